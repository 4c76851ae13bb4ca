// `nophonehome diff OLD NEW`: new, gone and changed capabilities by package; exit 1 on a new violation.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fixture, runCli } from '../helpers/index.mjs'

const OLD = fixture('reports/release-1.json')
const NEW = fixture('reports/release-2.json')
const work = mkdtempSync(join(tmpdir(), 'nph-diff-'))
after(() => rmSync(work, { recursive: true, force: true }))

test('json output groups new, gone and changed capabilities by package and exits 1 on new violations', async () => {
  const r = await runCli(['diff', OLD, NEW, '--format', 'json'])
  assert.equal(r.code, 1, r.stderr)
  const d = JSON.parse(r.stdout)
  assert.deepEqual(d.summary, { new: 2, gone: 1, changed: 3, newViolations: 3 })
  assert.deepEqual(d.newViolations.map((c) => c.fingerprint).sort(), ['b000000000000001', 'e000000000000001', 'f000000000000001'])
  const by = new Map(d.packages.map((p) => [p.package, p]))
  assert.deepEqual([...by.keys()], ['(first-party)', 'analytics', 'crashy', 'left-pad'])
  assert.deepEqual(by.get('(first-party)').new.map((c) => c.fingerprint), ['f000000000000001', 'a000000000000002'].sort((a, b) => {
    const dest = { f000000000000001: 'https://metrics.vendor.test/collect', a000000000000002: 'http://127.0.0.1:9000/health' }
    return dest[a] < dest[b] ? -1 : 1
  }))
  assert.deepEqual(by.get('(first-party)').gone.map((c) => c.fingerprint), ['c000000000000001'])
  assert.deepEqual(by.get('crashy').changed[0].changes, ['severity review → violation'])
  assert.deepEqual(by.get('crashy').oldVersions, ['2.3.0'])
  assert.deepEqual(by.get('crashy').newVersions, ['2.4.0'])
  assert.deepEqual(by.get('left-pad').changed[0].changes, ['code changed'])
  assert.deepEqual(by.get('analytics').changed[0].changes, ['status waived → new'])
})

test('text output is grouped by package with +/-/~ marks and version changes', async () => {
  const r = await runCli(['diff', OLD, NEW])
  assert.equal(r.code, 1)
  assert.match(r.stdout, /^2 new, 1 gone, 3 changed; 3 new at or above violation\n/)
  assert.match(r.stdout, /\ncrashy 2\.3\.0 → 2\.4\.0\n  ~ violation net-sink http\.request env CRASH_URL \(dynamic\)  node_modules\/crashy\/index\.js:1: severity review → violation\n/)
  assert.match(r.stdout, /\n\(first-party\)\n  \+ info net-sink fetch http:\/\/127\.0\.0\.1:9000\/health/)
  assert.match(r.stdout, /\n  - violation net-sink dns\.lookup license\.vendor\.test \(hard-coded-external\)  index\.js:11\n/)
})

test('markdown goes to a file next to text on stdout', async () => {
  const out = join(work, 'diff.md')
  const r = await runCli(['diff', OLD, NEW, '--format', 'markdown', '--output', out, '--format', 'text'])
  assert.equal(r.code, 1)
  const md = readFileSync(out, 'utf8')
  assert.match(md, /^## nophonehome diff: 3 new violation\(s\)\n/)
  assert.match(md, /### crashy 2\.3\.0 → 2\.4\.0\n/)
  assert.match(md, /\| changed \| violation \| `net-sink` \|/)
  assert.match(r.stdout, /^2 new/)
})

test('a report diffed with itself shows nothing and exits 0', async () => {
  const r = await runCli(['diff', NEW, NEW])
  assert.equal(r.code, 0)
  assert.match(r.stdout, /^0 new, 0 gone, 0 changed; 0 new at or above violation\n[^\n]*\n\nNo change in network capabilities\.\n$/)
})

test('going back from release 2 to release 1 has no new violation (only a lookup that was not there)', async () => {
  const r = await runCli(['diff', NEW, OLD, '--format', 'json'])
  const d = JSON.parse(r.stdout)
  assert.equal(d.summary.newViolations, 1, JSON.stringify(d.newViolations))
  assert.equal(d.newViolations[0].fingerprint, 'c000000000000001')
  assert.equal(r.code, 1)
})

test('--fail-on info counts the new info finding; a severity change between counting levels is then not new', async () => {
  const r = await runCli(['diff', OLD, NEW, '--format', 'json', '--fail-on', 'info'])
  const d = JSON.parse(r.stdout)
  assert.deepEqual(d.newViolations.map((c) => c.fingerprint).sort(), ['a000000000000002', 'e000000000000001', 'f000000000000001'])
})

test('an unreadable, non-JSON or wrongly shaped report exits 2 with REPORT_INVALID details', async () => {
  const missing = await runCli(['diff', join(work, 'nope.json'), NEW])
  assert.equal(missing.code, 2)
  assert.match(missing.stderr, /cannot read report .*nope\.json: no such file/)
  const broken = await runCli(['diff', fixture('reports/not-json.json'), NEW])
  assert.equal(broken.code, 2)
  assert.match(broken.stderr, /not-json\.json:4:27: trailing comma before '}'/)
  const shape = await runCli(['diff', OLD, fixture('reports/wrong-shape.json')])
  assert.equal(shape.code, 2)
  assert.match(shape.stderr, /wrong-shape\.json is not a nophonehome JSON report: \/findings\/0\/severity: expected one of violation, review, info/)
  assert.equal(shape.stdout, '')
})

test('usage errors exit 2', async () => {
  assert.equal((await runCli(['diff', OLD])).code, 2)
  const fmt = await runCli(['diff', OLD, NEW, '--format', 'sarif'])
  assert.equal(fmt.code, 2)
  assert.match(fmt.stderr, /unknown --format 'sarif' for diff \(expected one of text, json, markdown\)/)
})
