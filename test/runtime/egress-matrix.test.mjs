// Every way an app can reach out, run inside the sandbox: the OS layers catch each one on their own,
// and the guard (when built) ties Node calls to the fixture's file.
import { test, before } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { DIST, fixture } from '../helpers/index.mjs'
import { runJson } from './helpers.mjs'

const GUARD = ['guard.cjs', 'guard.js'].some((f) => existsSync(join(DIST, 'runtime', f)))
const HAS_CURL = ['/usr/bin/curl', '/bin/curl', '/usr/local/bin/curl'].some((p) => existsSync(p))
let report

before(async () => {
  const r = await runJson(['--', process.execPath, fixture('runtime', 'matrix.mjs')])
  report = r.report
  assert.equal(r.code, 1, r.stderr)
})

const find = (host, port) =>
  report.findings.find((f) => f.destination?.host === host && (port === undefined ? f.destination.port === undefined : f.destination.port === port))

// [case, host, port, OS layers that must see it on their own, guard can attribute it to the fixture]
const CASES = [
  ['fetch', 'fetch.invalid', 80, ['dns', 'sink', 'syscall'], true],
  ['http.get', 'httpget.invalid', 80, ['dns', 'sink', 'syscall'], true],
  ['https.request', 'httpsreq.invalid', 443, ['dns', 'sink', 'syscall'], true],
  ['net.connect', 'netconnect.invalid', 9411, ['dns', 'sink', 'syscall'], true],
  ['tls.connect', 'tlsconnect.invalid', 8443, ['dns', 'sink', 'syscall'], true],
  ['dgram.send', 'dgram.invalid', 6831, ['dns', 'sink', 'syscall'], true],
  ['dns.lookup', 'lookup.invalid', undefined, ['dns'], true],
  ['dns.resolve', 'resolve.invalid', undefined, ['dns'], true],
  ['undici.request', 'undici.invalid', 80, ['dns', 'sink', 'syscall'], true],
  ['getent (child, non-Node)', 'getent.invalid', undefined, ['dns'], false],
  ['bash /dev/tcp', '198.51.100.7', 2003, ['sink', 'syscall'], false],
  ['hard-coded IPv4', '192.0.2.10', 80, ['sink', 'syscall'], true],
  ['hard-coded IPv6', '2001:db8::10', 80, ['sink', 'syscall'], true],
  ["process.binding('tcp_wrap')", '203.0.113.9', 4317, ['sink', 'syscall'], false],
  ['child node with a replaced env', '203.0.113.20', 14268, ['sink', 'syscall'], false],
]
if (HAS_CURL) CASES.push(['curl (child, non-Node)', 'curl.invalid', 80, ['dns', 'sink', 'syscall'], false])

for (const [name, host, port, layers, guardSees] of CASES) {
  test(`records ${name} to ${host}${port ? `:${port}` : ''} as a runtime-egress violation`, () => {
    const f = find(host, port)
    assert.ok(f, `no finding for ${host}:${port}; got ${report.findings.map((x) => `${x.destination?.host}:${x.destination?.port}`).join(', ')}`)
    assert.equal(f.rule, 'runtime-egress')
    assert.equal(f.lens, 'runtime')
    assert.equal(f.severity, 'violation')
    for (const layer of layers) assert.ok(f.evidence.layers.includes(layer), `${layer} missing from ${f.evidence.layers}`)
    if (GUARD && guardSees) {
      assert.ok(f.evidence.layers.includes('guard'), `guard did not see ${name}`)
      assert.match(f.location?.file ?? '', /matrix\.mjs$/)
      assert.equal(f.package, '(first-party)')
    }
    if (!guardSees && name.startsWith('child node')) assert.equal(f.evidence.attribution, 'none')
  })
}

test('captures what would have been sent: HTTP request line and body, TLS SNI, first bytes, UDP payload', () => {
  assert.match(find('fetch.invalid', 80).evidence.sent, /^GET \/f\?k=v HTTP\/1\.1/)
  assert.match(find('httpsreq.invalid', 443).evidence.sent, /SNI=httpsreq\.invalid/)
  assert.match(find('tlsconnect.invalid', 8443).evidence.sent, /SNI=tlsconnect\.invalid/)
  assert.match(find('netconnect.invalid', 9411).evidence.sent, /raw bytes/)
  assert.match(find('dgram.invalid', 6831).evidence.sent, /metric\.count:1\|c/)
  assert.match(find('192.0.2.10', 80).evidence.sent, /Host: 192\.0\.2\.10/)
})

test('names the process of OS-only attempts from execve', () => {
  assert.match(find('198.51.100.7', 2003).evidence.command, /^bash -c /)
  assert.match(find('203.0.113.20', 14268).evidence.command, /node -e/)
  if (HAS_CURL) assert.match(find('curl.invalid', 80).evidence.command, /^curl /)
})

test('folds a lookup and its connect into one finding and counts repeats once per attempt', () => {
  const fetchFinding = find('fetch.invalid', 80)
  assert.equal(fetchFinding.evidence.count, 1)
  assert.equal(report.findings.filter((f) => f.destination?.host === 'fetch.invalid').length, 1)
  assert.equal(report.run.layers.namespace, true)
  assert.equal(report.run.layers.syscall, true)
  assert.equal(report.verdict, 'fail')
})
