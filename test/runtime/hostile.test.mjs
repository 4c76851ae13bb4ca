// `nophonehome run` against an app that fights back: it undoes the guard, hides from it, exfiltrates through DNS,
// tampers with the logs, or looks for the sandbox. The OS layers must still see every attempt, and say so.
// Every fixture runs inside the sandbox only (a network namespace with no route out).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { DIST, fixture } from '../helpers/index.mjs'
import { runJson } from './helpers.mjs'

const app = (name) => fixture('runtime-hostile', name)
const GUARD = ['guard.cjs', 'guard.js'].some((f) => existsSync(join(DIST, 'runtime', f)))
const HAS_CURL = ['/usr/bin/curl', '/bin/curl', '/usr/local/bin/curl'].some((p) => existsSync(p))

function findingFor(report, host, port) {
  const f = report.findings.find((x) => x.destination?.host === host && x.destination?.port === port)
  assert.ok(f, `no finding for ${host}:${port}; got ${report.findings.map((x) => `${x.destination?.host}:${x.destination?.port}`).join(', ')}`)
  assert.equal(f.rule, 'runtime-egress')
  assert.equal(f.severity, 'violation')
  return f
}

test('sees every attempt of an app that goes around the guard, and names the OS layers that saw each', async () => {
  // The app's own preload runs before the guard (first on NODE_OPTIONS) and saves the untouched functions.
  const preload = `--require ${JSON.stringify(app('save-originals.cjs'))}`
  const { code, report } = await runJson([
    '--', 'sh', '-c', `NODE_OPTIONS="${preload.replace(/"/g, '\\"')} $NODE_OPTIONS" exec "$0" "$1"`, process.execPath, app('evade-guard.cjs'),
  ])
  assert.equal(code, 1)
  assert.equal(report.run.exitCode, 0)
  // [what the app did, host, port, layers that must have seen it]; none of these went through a guard patch.
  const cases = [
    ['restored net.Socket#connect, sink port', '192.0.2.31', 80, ['sink', 'syscall']],
    ['restored net.Socket#connect, no sink', '192.0.2.32', 5555, ['syscall']],
    ['restored dns.lookup', 'unpatched-lookup.invalid', undefined, ['dns']],
    ['child node with NODE_OPTIONS cleared (IPv6)', '2001:db8::41', 443, ['sink', 'syscall']],
    ['child node with NODE_OPTIONS cleared (lookup)', 'clean-env-child.invalid', undefined, ['dns']],
    ["process.binding('tcp_wrap')", '203.0.113.42', 7777, ['syscall']],
    ['getent (non-Node)', 'getent-hostile.invalid', undefined, ['dns']],
    ['bash /dev/tcp (non-Node, no DNS)', '198.51.100.43', 9999, ['syscall']],
    ['hard-coded IPv6 literal, no sink', '2001:db8::44', 8080, ['syscall']],
    ['hard-coded IPv6 literal over UDP', '2001:db8::45', 8125, ['sink', 'syscall']],
  ]
  if (HAS_CURL) cases.push(['curl (non-Node)', 'curl-hostile.invalid', 80, ['dns', 'sink', 'syscall']])
  for (const [what, host, port, layers] of cases) {
    const f = findingFor(report, host, port)
    for (const layer of layers) assert.ok(f.evidence.layers.includes(layer), `${what}: ${layer} missing from ${f.evidence.layers}`)
    if (what !== 'hard-coded IPv6 literal over UDP') {
      assert.ok(!f.evidence.layers.includes('guard'), `${what}: the guard was supposed to be bypassed, yet saw it`)
      assert.equal(f.evidence.attribution, 'none', `${what}: no layer can attribute it to code`)
    }
  }
  const sent = findingFor(report, '192.0.2.31', 80).evidence.sent
  assert.match(sent, /Host: unpatched\.invalid/, 'the sink still captured what the unguarded connect sent')
  if (GUARD) assert.match((report.run.guardTampering ?? []).join('\n'), /patches removed: .*net\.Socket\.prototype\.connect/)
})

test('reports each name of a DNS-only exfiltration as its own finding, whichever resolver path asked', async () => {
  const { code, report, stderr } = await runJson(['--', process.execPath, app('dns-exfil.cjs')])
  assert.equal(code, 1)
  const names = JSON.parse(/^\{.*\}$/m.exec(stderr)[0])
  assert.equal(Object.keys(names).length, 5)
  for (const [path, name] of Object.entries(names)) {
    assert.ok(name.length > 60 && name.endsWith('.exfil.invalid'))
    const f = findingFor(report, name, undefined)
    assert.ok(f.evidence.layers.includes('dns'), `${path}: ${f.evidence.layers}`)
    assert.ok(f.message.includes(name), `${path}: the message names the full name: ${f.message}`)
  }
  // Queries sent straight to a hard-coded resolver (no resolv.conf) still reached the stub, and the connect is a finding.
  assert.ok(findingFor(report, '192.0.2.53', 53).evidence.layers.includes('syscall'))
  assert.ok(findingFor(report, '198.51.100.53', 53).evidence.layers.includes('syscall'))
})

test('keeps the OS layers\' evidence when the app truncates and forges the guard log, and hides the syscall log from it', async () => {
  const { code, report, stderr } = await runJson(['--', process.execPath, app('tamper-logs.cjs')])
  // The guard's log must stay writable by the app's Node processes; the syscall layer's is out of its view.
  assert.match(stderr, /tampered \{"guardLog":true,"straceLog":false\}/, 'the app reached the guard log and not the syscall log')
  assert.equal(code, 1)
  assert.equal(report.verdict, 'fail')
  // Before the tampering: the DNS stub and the sinks report over a channel the app cannot reach.
  assert.ok(findingFor(report, '192.0.2.81', 9200).evidence.layers.includes('sink'))
  assert.ok(findingFor(report, 'tamper-before.invalid', undefined).evidence.layers.includes('dns'))
  // After it: the syscall layer still recorded.
  assert.ok(findingFor(report, '192.0.2.82', 6002).evidence.layers.includes('syscall'))
  assert.ok(findingFor(report, 'tamper-after.invalid', undefined).evidence.layers.includes('dns'))
  // A forged line is guard evidence at most, whatever layer it claims.
  assert.deepEqual(findingFor(report, 'forged-by-app.invalid', undefined).evidence.layers, ['guard'])
})

test('an app that detects the sandbox and stays quiet passes: the documented limit of any dynamic check', async () => {
  const { code, report, stderr } = await runJson(['--', process.execPath, app('detect-sandbox.cjs')])
  const signs = JSON.parse(/signs of a sandbox: (.*)$/m.exec(stderr)[1])
  // Each of these is named in SECURITY.md ("Known limits"); if one disappears, update the text.
  for (const sign of ['no default route', "the sandbox's resolv.conf", "PID 1 is the sandbox's reaper"]) {
    assert.ok(signs.includes(sign), `${sign} not detected; saw ${signs.join(', ')}`)
  }
  // strace is outside the app's PID namespace: the kernel shows its TracerPid as 0.
  assert.ok(!signs.includes('TracerPid is set (strace)'), signs.join(', '))
  if (GUARD) assert.ok(signs.includes('NODE_OPTIONS preload / guard log in the environment'))
  assert.doesNotMatch(stderr, /phoning home/)
  assert.deepEqual(report.findings, [])
  assert.equal(report.verdict, 'pass')
  assert.equal(code, 0)
})
