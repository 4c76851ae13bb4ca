// The browser check on a fixture page: a script injected after a timeout, a crawled page, a CSP-blocked image, hints and sockets.
import { test, before } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { fixture, importDist } from '../../helpers/index.mjs'

const skip = existsSync('/usr/bin/chromium') ? false : '/usr/bin/chromium is not installed (apt-get install chromium)'
let report

before(async () => {
  if (skip) return
  const { runRuntime } = await importDist('internal.js')
  report = await runRuntime({
    command: [process.execPath, fixture('browser', 'late-script', 'server.mjs')],
    ready: { pattern: /listening on \d+/ },
    durationMs: 100,
    browse: { paths: ['/', '/locked'], crawl: 5 },
  })
})

const browserFinding = (host) => report.findings.find((f) => f.rule === 'browser-egress' && f.destination.host === host)

test('catches a script a page injects 500 ms after load, attributed to the timer callback', { skip }, () => {
  const f = browserFinding('late.vendor.invalid')
  assert.ok(f, JSON.stringify(report.findings.map((x) => x.message), null, 1))
  assert.equal(f.api, 'script')
  assert.equal(f.severity, 'violation')
  assert.equal(f.location.line, 15, f.details.initiator)
  assert.match(f.details.initiator, /script, inject\)/)
})

test('records WebSockets and preconnect hints with the line that made them', { skip }, () => {
  assert.equal(browserFinding('socket.vendor.invalid')?.api, 'websocket')
  assert.equal(browserFinding('socket.vendor.invalid').location.line, 17)
  assert.equal(browserFinding('preconnect.vendor.invalid')?.api, 'preconnect')
  assert.equal(browserFinding('preconnect.vendor.invalid').location.line, 4)
})

test('follows same-origin links but not sign-out links or other origins', { skip }, () => {
  const pages = report.run.browser.pages.map((p) => new URL(p.url).pathname)
  assert.deepEqual(pages, ['/', '/locked', '/second'])
  assert.equal(browserFinding('pixel.vendor.invalid')?.details.page, '/second')
  assert.equal(browserFinding('docs.vendor.invalid'), undefined, 'a link to another origin is not a request')
})

test("reports a request the page's own CSP blocked as info, not a violation", { skip }, () => {
  const f = browserFinding('blocked.vendor.invalid')
  assert.ok(f)
  assert.equal(f.severity, 'info')
  assert.equal(f.details.blocked, 'csp')
})

test("never reports the app's own origin, loopback, or the browser's own requests as the app's", { skip }, () => {
  const hosts = report.findings.filter((f) => f.rule === 'browser-egress').map((f) => f.destination.host).sort()
  assert.deepEqual(hosts, ['blocked.vendor.invalid', 'late.vendor.invalid', 'pixel.vendor.invalid', 'preconnect.vendor.invalid', 'socket.vendor.invalid'])
  // Nothing the browser did reached the sandbox's DNS stub or sinks.
  assert.deepEqual(report.findings.filter((f) => f.rule === 'runtime-egress').map((f) => f.message), [])
  for (const own of report.run.browser.own) assert.ok(!/vendor\.invalid/.test(own.url), `${own.url} is the page's, not the browser's`)
  assert.equal(report.verdict, 'fail')
})
