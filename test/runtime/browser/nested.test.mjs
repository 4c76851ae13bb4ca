// The browser check where users run it: inside an outer user namespace (a rootless container, a sandboxed CI job,
// `unshare -rn nophonehome run --browse / …`). Chromium used to die at launch there (nsenter's setgroups is refused
// in a user namespace an unprivileged process made); the run was incomplete.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { CLI, ROOT, importDist } from '../../helpers/index.mjs'

const { explainLaunchFailure } = await importDist('internal.js')
const canNest = spawnSync('unshare', ['-rn', 'true']).status === 0
const skip = !existsSync('/usr/bin/chromium') ? '/usr/bin/chromium is not installed (apt-get install chromium)' : !canNest ? 'unshare -rn does not work here' : false
let out

before(async () => {
  if (skip) return
  out = mkdtempSync(join(tmpdir(), 'nph-browser-nested-'))
  const { buildExample } = await import(pathToFileURL(join(ROOT, 'examples/build.mjs')).href)
  await buildExample('leaky-app', { outRoot: out })
})
after(() => { if (out) rmSync(out, { recursive: true, force: true }) })

test('runs the browser check inside an outer user namespace (unshare -rn) and reports the page\'s third parties', { skip }, async () => {
  const r = await new Promise((resolve, reject) => {
    const child = spawn('unshare', ['-rn', process.execPath, CLI, 'run', '--format', 'json', '--ready', '/listening on/', '--browse', '/', '--duration', '0.3', '--', process.execPath, 'dist/server.js'], {
      cwd: join(out, 'leaky-app'),
      env: { ...process.env, NO_COLOR: '1', PORT: '0', DATA_DIR: join(out, 'leaky-data') },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 180_000,
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
  let report
  try { report = JSON.parse(r.stdout) } catch { assert.fail(`no JSON (exit ${r.code}): ${r.stderr.slice(-2000)}`) }
  assert.ok(!(report.degraded ?? []).some((d) => /browser check/.test(d)), JSON.stringify(report.degraded))
  assert.equal(report.run.browser.pages[0].status, 200)
  const hosts = report.findings.filter((f) => f.rule === 'browser-egress').map((f) => f.destination.host).sort()
  assert.deepEqual(hosts, ['analytics.vendor.invalid', 'avatars.vendor.invalid', 'chat.vendor.invalid', 'fonts.googleapis.com', 'fonts.vendor-cdn.invalid', 'www.googletagmanager.com'])
  assert.equal(r.code, 1)
})

test('says why Chromium did not start and what to change, from the browser\'s own output', () => {
  const launch = (err) => `browserType.launch: Target page, context or browser has been closed\nBrowser logs:\n\n<launching> /tmp/x/chromium-in-sandbox --headless\n<launched> pid=7\n[pid=7][err] ${err}\n[pid=7] <process did exit: exitCode=1, signal=null>`
  assert.match(explainLaunchFailure(launch('nsenter: setgroups failed: Operation not permitted')), /^Chromium did not start inside the sandbox: nsenter: setgroups failed: Operation not permitted — nsenter could not enter/)
  assert.match(explainLaunchFailure(launch('/usr/lib/chromium/chromium: error while loading shared libraries: libnss3.so')), /missing system libraries/)
  assert.match(explainLaunchFailure(launch('[0101/000000.1:FATAL:zygote_host_impl_linux.cc(127)] No usable sandbox!')), /wrapper script/)
  assert.match(explainLaunchFailure('browserType.launch: Timeout 30000ms exceeded.'), /^Chromium did not start inside the sandbox — run with DEBUG=pw:browser/)
})
