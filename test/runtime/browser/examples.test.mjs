// The browser check on the example apps, end to end through the CLI: the leaky admin page's third parties, the clean one's none.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { ROOT } from '../../helpers/index.mjs'
import { runJson } from '../helpers.mjs'

const skip = existsSync('/usr/bin/chromium') ? false : '/usr/bin/chromium is not installed (apt-get install chromium)'
let out

before(async () => {
  if (skip) return
  out = mkdtempSync(join(tmpdir(), 'nph-browser-examples-'))
  const { buildExample } = await import(pathToFileURL(join(ROOT, 'examples/build.mjs')).href)
  await buildExample('leaky-app', { outRoot: out })
  await buildExample('selfhosted-app', { outRoot: out })
})
after(() => { if (out) rmSync(out, { recursive: true, force: true }) })

/** `run --ready /listening on/ --browse / -- node dist/server.js` in the built app's folder. */
function browseExample(app) {
  return runJson(['--ready', '/listening on/', '--browse', '/', '--duration', '0.3', '--', process.execPath, 'dist/server.js'], {
    cwd: join(out, app),
    env: { PORT: '0', DATA_DIR: join(out, `${app}-data`) },
  })
}

test('reports one browser-egress finding per third party on the leaky admin page, each with its initiator line', { skip }, async () => {
  const { code, report } = await browseExample('leaky-app')
  assert.equal(code, 1)
  const browser = report.findings.filter((f) => f.rule === 'browser-egress')
  // Lines of examples/leaky-app/public/index.html (its README table names the same ones).
  const expected = {
    'fonts.vendor-cdn.invalid': ['stylesheet', 10],
    'fonts.googleapis.com': ['stylesheet', 13],
    'analytics.vendor.invalid': ['script', 17],
    'www.googletagmanager.com': ['script', 24],
    'avatars.vendor.invalid': ['image', 39],
    'chat.vendor.invalid': ['script', 98],
  }
  assert.deepEqual(browser.map((f) => f.destination.host).sort(), Object.keys(expected).sort(), JSON.stringify(browser.map((f) => f.message), null, 1))
  for (const f of browser) {
    const [api, line] = expected[f.destination.host]
    assert.equal(f.severity, 'violation')
    assert.equal(f.lens, 'browser')
    assert.deepEqual(f.evidence.layers, ['browser'])
    assert.equal(f.api, api, f.destination.host)
    assert.equal(f.location.file, '<app:/>')
    assert.equal(f.location.line, line, `${f.destination.host}: ${f.details.initiator}`)
    assert.equal(f.details.page, '/')
  }
  const byHost = Object.fromEntries(browser.map((f) => [f.destination.host, f]))
  assert.equal(byHost['fonts.googleapis.com'].details.category, 'font-cdn')
  assert.equal(byHost['www.googletagmanager.com'].details.category, 'product-analytics')
  // The beacon sent on load joins the analytics host's finding, with what it would have carried.
  assert.match(byHost['analytics.vendor.invalid'].details.resourceTypes, /ping/)
  assert.match(byHost['analytics.vendor.invalid'].evidence.sent, /"page":"\//)
  // The browser's own traffic never reached the sandbox's DNS stub or sinks: runtime-egress is the server's alone.
  const runtimeHosts = report.findings.filter((f) => f.rule === 'runtime-egress').map((f) => f.destination.host)
  for (const h of runtimeHosts) assert.ok(!(h in expected), `${h} blamed on the server process`)
  assert.equal(report.run.browser.pages.length, 1)
  assert.equal(report.run.browser.pages[0].status, 200)
  assert.match(report.run.browser.origin, /^http:\/\/127\.0\.0\.1:\d+$/)
})

test('passes the self-hosted admin page: the browser sees no third party (exit 0)', { skip }, async () => {
  const { code, report } = await browseExample('selfhosted-app')
  assert.deepEqual(report.findings.map((f) => f.message), [])
  assert.equal(report.verdict, 'pass', JSON.stringify(report.degraded))
  assert.equal(code, 0)
  assert.equal(report.run.browser.pages[0].status, 200)
  assert.equal(report.run.browser.pages[0].quiet, true)
})
