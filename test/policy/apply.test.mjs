// The policy step: severity overrides, allow, allowDns, waivers with expiry, baseline, accepted not-analysed files.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { importDist, fixture } from '../helpers/index.mjs'

const nph = await importDist('internal.js')

function finding(over = {}) {
  const base = {
    rule: 'net-sink', severity: 'violation', message: 'fetch → x', lens: 'static',
    location: { file: 'index.js', line: 1, column: 0 }, package: '(first-party)', api: 'fetch',
    destination: { url: 'https://collect.vendor.test/x', host: 'collect.vendor.test', provenance: 'hard-coded-external' },
  }
  const f = { ...base, ...over }
  f.fingerprint ??= nph.fingerprintOf({ rule: f.rule, package: f.package, api: f.api, destination: f.destination, code: f.message })
  return f
}

function policy(p) {
  return { file: 'p.json', policy: nph.parsePolicyText(JSON.stringify({ version: 1, ...p }), 'p.json') }
}

function run(findings, p, extra = {}) {
  return nph.finalise({ target: ['dist'], findings, notAnalysed: [], filesScanned: 1, bytesScanned: 1, failOn: 'violation', policy: p && policy(p), ...extra })
}

test('an allowed destination does not count, and the report says which entry allowed it and why', () => {
  const r = run([finding()], { allow: [{ host: '*.vendor.test', reason: 'customer-configured relay' }] })
  assert.equal(r.verdict, 'pass')
  assert.equal(r.findings[0].status, 'allowed')
  assert.equal(r.findings[0].statusReason, '*.vendor.test allowed (/allow/0): customer-configured relay')
  assert.equal(r.summary.violation, 0)
})

test('a port-restricted allow entry matches only those ports; an unknown port does not match', () => {
  const p = { allow: [{ host: 'collect.vendor.test', ports: [8443], reason: 'x' }] }
  assert.equal(run([finding()], p).findings[0].status, undefined) // https → 443
  const on8443 = finding({ destination: { url: 'https://collect.vendor.test:8443/x', provenance: 'hard-coded-external' } })
  assert.equal(run([on8443], p).findings[0].status, 'allowed')
  const noPort = finding({ destination: { host: 'collect.vendor.test', provenance: 'hard-coded-external' } })
  assert.equal(run([noPort], p).findings[0].status, undefined)
})

test('CIDR and IP allow entries match IP destinations (v4 and v6)', () => {
  const p = { allow: [{ host: '198.51.100.0/24', reason: 'x' }, { host: '2001:db8::/32', reason: 'y' }] }
  const v4 = finding({ destination: { host: '198.51.100.7', port: 514, provenance: 'hard-coded-external' } })
  const v6 = finding({ destination: { url: 'http://[2001:db8::5]:80/', provenance: 'hard-coded-external' } })
  const other = finding({ destination: { host: '203.0.113.1', provenance: 'hard-coded-external' } })
  const r = run([v4, v6, other], p)
  assert.deepEqual(r.findings.map((f) => f.status ?? 'counts').sort(), ['allowed', 'allowed', 'counts'])
})

test('allowDns covers lookups only: a connection to the same name still counts', () => {
  const p = { allowDns: [{ host: 'license.vendor.test', reason: 'name check only' }] }
  const lookup = finding({ api: 'dns.lookup', destination: { host: 'license.vendor.test', provenance: 'hard-coded-external' } })
  const connect = finding({ api: 'https.request', destination: { url: 'https://license.vendor.test/', provenance: 'hard-coded-external' } })
  const r = run([lookup, connect], p)
  assert.deepEqual(r.findings.map((f) => `${f.api}:${f.status ?? 'counts'}`).sort(), ['dns.lookup:allowed', 'https.request:counts'])
  assert.equal(r.verdict, 'fail')
})

test('a runtime finding seen only by the DNS layer counts as a lookup', () => {
  const f = finding({ api: undefined, lens: 'runtime', evidence: { layers: ['dns'] }, destination: { host: 'license.vendor.test', provenance: 'hard-coded-external' } })
  assert.equal(nph.isDnsOnly(f), true)
  assert.equal(nph.isDnsOnly({ ...f, evidence: { layers: ['dns', 'syscall'] } }), false)
})

test('waivers match by fingerprint, or by rule + package (+ destination), and carry their reason', () => {
  const a = finding({ package: 'ajv@8.12.0', rule: 'opaque-code', api: 'new Function', destination: undefined })
  const b = finding()
  const c = finding({ package: '@sentry/node@8.1.0', destination: { url: 'https://o1.ingest.sentry.test/api', provenance: 'hard-coded-external' } })
  const d = finding({ package: '@sentry/node@8.1.0', destination: { url: 'https://elsewhere.test/api', provenance: 'hard-coded-external' } })
  const r = run([a, b, c, d], {
    waivers: [
      { rule: 'opaque-code', package: 'ajv', reason: 'schema compiler' },
      { fingerprint: b.fingerprint, reason: 'reviewed', expires: '2099-01-01' },
      { rule: 'net-sink', package: '@sentry/*', destination: '*.sentry.test', reason: 'empty DSN by default' },
    ],
  })
  const byFp = new Map(r.findings.map((f) => [f.fingerprint, f]))
  assert.equal(byFp.get(a.fingerprint).statusReason, 'waived (/waivers/0): schema compiler')
  assert.equal(byFp.get(b.fingerprint).statusReason, 'waived (/waivers/1) (until 2099-01-01): reviewed')
  assert.equal(byFp.get(c.fingerprint).status, 'waived')
  assert.equal(byFp.get(d.fingerprint).status, undefined, 'destination outside the waiver')
  assert.equal(r.verdict, 'fail')
  assert.equal(r.summary.violation, 1)
})

test('a waiver applies through its expiry day (UTC) and not after; the report lists it as expired', () => {
  const f = finding()
  const p = { waivers: [{ fingerprint: f.fingerprint, reason: 'until the next release', expires: '2026-03-31' }] }
  const lastDay = run([f], p, { now: new Date('2026-03-31T23:59:59Z') })
  assert.equal(lastDay.findings[0].status, 'waived')
  assert.equal(lastDay.verdict, 'pass')
  assert.equal(lastDay.policy.expiredWaivers, undefined)
  const after = run([f], p, { now: new Date('2026-04-01T00:00:00Z') })
  assert.equal(after.findings[0].status, undefined)
  assert.equal(after.findings[0].statusReason, 'waiver /waivers/0 expired on 2026-03-31: until the next release')
  assert.equal(after.verdict, 'fail')
  assert.deepEqual(after.policy.expiredWaivers, [{ pointer: '/waivers/0', reason: 'until the next release', expires: '2026-03-31', findings: 1 }])
})

test('an expired waiver is skipped in favour of a live one that matches the same finding', () => {
  const f = finding()
  const r = run([f], {
    waivers: [
      { fingerprint: f.fingerprint, reason: 'old', expires: '2020-01-01' },
      { rule: 'net-sink', package: '(first-party)', reason: 'new' },
    ],
  }, { now: new Date('2026-01-01T00:00:00Z') })
  assert.equal(r.findings[0].status, 'waived')
  assert.match(r.findings[0].statusReason, /\/waivers\/1.*new/)
  assert.deepEqual(r.policy.expiredWaivers.map((w) => [w.pointer, w.findings]), [['/waivers/0', 0]])
})

test('severity overrides: rule+package beats package beats rule; the original severity is kept in details', () => {
  const f = finding({ package: 'mailer@2.0.0' })
  const r = run([f], {
    severity: [
      { package: 'mailer', severity: 'info', reason: 'pkg' },
      { rule: 'net-sink', package: 'mailer', severity: 'review', reason: 'rule+pkg' },
      { rule: 'net-sink', severity: 'info', reason: 'rule' },
    ],
  })
  assert.equal(r.findings[0].severity, 'review')
  assert.equal(r.findings[0].details.originalSeverity, 'violation')
  assert.equal(r.findings[0].statusReason, 'severity violation → review (/severity/1): rule+pkg')
  assert.equal(r.verdict, 'pass')
  assert.equal(r.summary.review, 1)
  assert.equal(run([f], { severity: [{ rule: 'net-sink', severity: 'info', reason: 'r' }], failOn: 'review' }, { failOn: 'review' }).verdict, 'pass')
})

test('a severity override can also raise a finding so that it fails', () => {
  const f = finding({ severity: 'review', destination: { provenance: 'dynamic', source: 'env X' } })
  const r = run([f], { severity: [{ rule: 'net-sink', severity: 'violation', reason: 'we treat configured sinks as blocking' }] })
  assert.equal(r.verdict, 'fail')
})

test('not-analysed files make the verdict incomplete unless every one is accepted explicitly', () => {
  const notAnalysed = [{ file: 'dist/a.wasm', reason: 'binary' }, { file: 'dist/b.node', reason: 'native addon' }]
  const p = { acceptNotAnalysed: [{ file: '**/*.wasm', reason: 'audited codec' }] }
  const some = run([], p, { notAnalysed })
  assert.equal(some.verdict, 'incomplete')
  assert.deepEqual(some.policy.acceptedNotAnalysed, [{ file: 'dist/a.wasm', reason: 'audited codec' }])
  const all = run([], { acceptNotAnalysed: [...p.acceptNotAnalysed, { file: 'dist/*.node', reason: 'prebuilt by us' }] }, { notAnalysed })
  assert.equal(all.verdict, 'pass')
  assert.equal(all.summary.filesNotAnalysed, 2, 'still listed and counted as not analysed')
})

test('entries that matched nothing are listed as unused', () => {
  const r = run([finding()], { allow: [{ host: 'nothing.test', reason: 'x' }], waivers: [{ rule: 'opaque-code', package: 'x', reason: 'y' }] })
  assert.deepEqual(r.policy.unused, ['/allow/0', '/waivers/0'])
})

test('with a baseline, known findings are baselined and only new ones count', () => {
  const old = finding()
  const fresh = finding({ destination: { url: 'https://new.vendor.test/', provenance: 'hard-coded-external' } })
  const r = run([old, fresh], undefined, { baseline: { file: 'base.json', fingerprints: new Set([old.fingerprint]) } })
  const byFp = new Map(r.findings.map((f) => [f.fingerprint, f]))
  assert.equal(byFp.get(old.fingerprint).status, 'baselined')
  assert.equal(byFp.get(old.fingerprint).statusReason, 'in baseline base.json')
  assert.equal(byFp.get(fresh.fingerprint).status, 'new')
  assert.equal(r.verdict, 'fail')
  assert.equal(r.summary.violation, 1)
  assert.equal(r.policy.baseline, 'base.json')
  const onlyOld = run([old], undefined, { baseline: { file: 'base.json', fingerprints: new Set([old.fingerprint]) } })
  assert.equal(onlyOld.verdict, 'pass')
})

test('without policy, baseline or notices the report has no policy block and findings are untouched', () => {
  const f = finding()
  const r = run([f])
  assert.equal(r.policy, undefined)
  assert.equal(r.findings[0].status, undefined)
  assert.deepEqual(r.findings[0], f)
})

test('a status a lens already decided is kept', () => {
  const f = finding({ status: 'allowed', statusReason: 'runtime allow-list' })
  const r = run([f], { waivers: [{ fingerprint: f.fingerprint, reason: 'x' }] })
  assert.equal(r.findings[0].statusReason, 'runtime allow-list')
})

test('the full example policy applies cleanly (every entry kind compiles)', () => {
  const p = nph.parsePolicyText(readFileSync(fixture('policy/full.policy.json'), 'utf8'), 'full.policy.json')
  const r = nph.finalise({ target: ['x'], findings: [finding()], notAnalysed: [], filesScanned: 1, bytesScanned: 1, failOn: 'violation', policy: { file: 'full.policy.json', policy: p }, now: new Date('2025-06-01T00:00:00Z') })
  assert.deepEqual(r.policy.expiredWaivers.map((w) => w.pointer), ['/waivers/2'])
})

test('a hand-built policy with a bad pattern is refused, not crashed on', () => {
  assert.throws(
    () => nph.finalise({ target: ['x'], findings: [finding()], notAnalysed: [], filesScanned: 1, bytesScanned: 1, failOn: 'violation', policy: { file: 'mem', policy: { version: 1, allow: [{ host: 'a b', reason: 'x' }] } } }),
    { code: 'POLICY_INVALID' },
  )
})
