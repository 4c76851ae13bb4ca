// Correlation: layers merge into one finding per destination; loopback and allowed destinations are not egress.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { importDist } from '../helpers/index.mjs'

const { correlateEvents, parseAllowRule, isAllowed } = await importDist('internal.js')
const T = 1700000000000

test('maps a connect to a sinkhole address back to the name looked up, with every layer listed', () => {
  const findings = correlateEvents([
    { layer: 'dns', time: T, name: 'tele.invalid', qtype: 'A', address: '127.77.0.1', api: 'dns-query' },
    { layer: 'syscall', time: T + 1, api: 'connect(2)', address: '127.77.0.1', port: 443, protocol: 'tcp', pid: 9, command: 'curl https://tele.invalid' },
    { layer: 'sink', time: T + 2, api: 'tcp-sink', address: '127.77.0.1', port: 443, protocol: 'tls', host: 'tele.invalid', sent: 'TLS ClientHello SNI=tele.invalid' },
  ], { cwd: '/' })
  assert.equal(findings.length, 1)
  const [f] = findings
  assert.deepEqual(f.destination, { host: 'tele.invalid', port: 443, provenance: 'unknown' })
  assert.deepEqual(f.evidence.layers, ['dns', 'sink', 'syscall'])
  assert.equal(f.evidence.attribution, 'none')
  assert.equal(f.evidence.command, 'curl https://tele.invalid')
  assert.equal(f.severity, 'violation')
  assert.match(f.fingerprint, /^[0-9a-f]{16}$/)
})

test('ignores loopback traffic and localhost lookups', () => {
  const findings = correlateEvents([
    { layer: 'syscall', time: T, api: 'connect(2)', address: '127.0.0.1', port: 3000, protocol: 'tcp' },
    { layer: 'syscall', time: T, api: 'connect(2)', address: '::1', port: 3000, protocol: 'tcp' },
    { layer: 'guard', time: T, api: 'net.connect', host: 'localhost', port: 3000 },
    { layer: 'dns', time: T, name: 'localhost', qtype: 'A', address: '127.0.0.1' },
    { layer: 'syscall', time: T, api: 'sendmmsg(2)', address: '127.0.0.1', port: 53, protocol: 'udp' },
  ], { cwd: '/' })
  assert.deepEqual(findings, [])
})

test('counts repeated attempts once per attempt and keeps lookups without a connect as their own finding', () => {
  const connect = { layer: 'syscall', api: 'connect(2)', address: '192.0.2.10', port: 80, protocol: 'tcp' }
  const findings = correlateEvents([
    { ...connect, time: T }, { ...connect, time: T + 1 }, { ...connect, time: T + 2 },
    { layer: 'sink', time: T, api: 'tcp-sink', address: '192.0.2.10', port: 80, protocol: 'http', sent: 'GET / HTTP/1.1' },
    { layer: 'dns', time: T, name: 'only-looked-up.invalid', qtype: 'A', address: '127.77.0.2' },
    { layer: 'dns', time: T, name: 'only-looked-up.invalid', qtype: 'AAAA' },
  ], { cwd: '/' })
  const byHost = Object.fromEntries(findings.map((f) => [f.destination.host, f]))
  assert.equal(byHost['192.0.2.10'].evidence.count, 3)
  assert.match(byHost['only-looked-up.invalid'].message, /looked up only-looked-up\.invalid \(A, AAAA\)/)
  assert.equal(byHost['only-looked-up.invalid'].destination.port, undefined)
})

test('attributes through the guard stack to the nearest package.json under node_modules', () => {
  const root = mkdtempSync(join(tmpdir(), 'nph-attr-'))
  const pkgDir = join(root, 'node_modules', '@scope', 'beacon')
  mkdirSync(join(pkgDir, 'lib'), { recursive: true })
  writeFileSync(join(pkgDir, 'package.json'), JSON.stringify({ name: '@scope/beacon', version: '1.2.3' }))
  writeFileSync(join(pkgDir, 'lib', 'package.json'), JSON.stringify({ type: 'commonjs' }))
  const file = join(pkgDir, 'lib', 'send.js')
  const [f] = correlateEvents([
    {
      layer: 'guard', time: T, api: 'https.request', host: 'beacon.invalid', port: 443, pid: 5,
      stack: ['connect (node:net:1:1)', 'request (/opt/nophonehome/dist/runtime/guard.js:10:5)', `send (${file}:7:13)`, `${join(root, 'app.js')}:2:1`],
    },
    { layer: 'dns', time: T, name: 'beacon.invalid', qtype: 'A', address: '127.77.0.3' },
    { layer: 'syscall', time: T, api: 'connect(2)', address: '127.77.0.3', port: 443, protocol: 'tcp' },
  ], { cwd: root })
  assert.equal(f.package, '@scope/beacon@1.2.3')
  assert.deepEqual(f.location, { file: 'node_modules/@scope/beacon/lib/send.js', line: 7, column: 12 })
  assert.equal(f.api, 'https.request')
  assert.deepEqual(f.evidence.layers, ['dns', 'guard', 'syscall'])
})

test('leaves allowed destinations out: names, wildcards, CIDRs and ports', () => {
  const allow = ['smtp.corp.test:25', '*.metrics.test', '10.0.0.0/8', '[2001:db8::1]:443'].map(parseAllowRule)
  assert.ok(isAllowed(allow, { host: 'smtp.corp.test', port: 25 }))
  assert.ok(!isAllowed(allow, { host: 'smtp.corp.test', port: 26 }))
  assert.ok(isAllowed(allow, { host: 'smtp.corp.test' }), 'the lookup of a port-scoped host is allowed')
  assert.ok(isAllowed(allow, { host: 'a.metrics.test', port: 1 }))
  assert.ok(!isAllowed(allow, { host: 'metrics.test.invalid', port: 1 }))
  assert.ok(isAllowed(allow, { address: '10.2.3.4', port: 5432 }))
  assert.ok(isAllowed(allow, { host: '2001:db8::1', port: 443 }))
  assert.ok(!isAllowed(allow, { address: '2001:db8::2', port: 443 }))
  const findings = correlateEvents([
    { layer: 'syscall', time: T, api: 'connect(2)', address: '10.1.1.1', port: 5432, protocol: 'tcp' },
    { layer: 'syscall', time: T, api: 'connect(2)', address: '192.0.2.1', port: 5432, protocol: 'tcp' },
  ], { cwd: '/', allow })
  assert.deepEqual(findings.map((f) => f.destination.host), ['192.0.2.1'])
})
