// Baselines on two real builds of one app: fingerprints survive reformatting, line shifts, minification and version bumps.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { importDist, fixture, runCli } from '../helpers/index.mjs'

const nph = await importDist('internal.js')
const work = mkdtempSync(join(tmpdir(), 'nph-baseline-'))
after(() => rmSync(work, { recursive: true, force: true }))

async function scanBuild(version) {
  const out = join(work, `${version}.json`)
  const r = await runCli(['scan', fixture('policy/two-builds', version), '--no-cache', '--format', 'json', '--output', out])
  assert.ok(r.code === 0 || r.code === 1, r.stderr)
  return JSON.parse(readFileSync(out, 'utf8'))
}

const v1 = await scanBuild('v1')
const v2 = await scanBuild('v2')
const key = (f) => `${f.package.replace(/@[^@]*$/, '')} ${f.api} ${f.destination?.url ?? f.destination?.host}`

test('the same capability keeps its fingerprint between the two builds', () => {
  const before = new Map(v1.findings.map((f) => [key(f), f.fingerprint]))
  const after = new Map(v2.findings.map((f) => [key(f), f.fingerprint]))
  // Reformatted first-party call (quotes, line breaks, trailing comma, 4 lines lower).
  const usage = '(first-party) https.request https://usage.vendor.test/v1/ping'
  assert.ok(before.has(usage) && after.has(usage), [...after.keys()].join('\n'))
  assert.equal(after.get(usage), before.get(usage))
  // Minified dependency, bumped 2.3.0 → 2.4.0, everything on one line.
  for (const k of ['crashy http.request http://crash.crashy.test/report', 'crashy fetch http://127.0.0.1:9000/health']) {
    assert.ok(before.has(k) && after.has(k), k)
    assert.equal(after.get(k), before.get(k), k)
  }
  assert.ok(v2.findings.some((f) => f.package === 'crashy@2.4.0'), 'the version did change')
})

test('with v1 as the baseline, only the new beacon in v2 counts', async () => {
  const g = await nph.resolveGating({ baseline: join(work, 'v1.json') }, [], work)
  const r = nph.finalise({ target: ['v2'], findings: v2.findings, notAnalysed: [], filesScanned: 2, bytesScanned: 1, failOn: 'violation', baseline: g.baseline })
  const counting = r.findings.filter((f) => f.status === 'new')
  assert.deepEqual(counting.map((f) => f.destination?.url), ['https://metrics.vendor.test/collect'])
  assert.equal(r.findings.filter((f) => f.status === 'baselined').length, v2.findings.length - 1)
  assert.equal(r.verdict, 'fail')
  assert.equal(r.summary.violation, 1)
})

test('v2 against itself as baseline passes', () => {
  const r = nph.finalise({ target: ['v2'], findings: v2.findings, notAnalysed: [], filesScanned: 2, bytesScanned: 1, failOn: 'violation', baseline: { file: 'v2.json', fingerprints: new Set(v2.findings.map((f) => f.fingerprint)) } })
  assert.equal(r.verdict, 'pass')
})

test('diff of the two builds shows the new beacon and the dropped lookup, and exits 1', async () => {
  const r = await runCli(['diff', join(work, 'v1.json'), join(work, 'v2.json'), '--format', 'json'])
  assert.equal(r.code, 1, r.stderr)
  const d = JSON.parse(r.stdout)
  assert.equal(d.summary.new, 1)
  assert.equal(d.summary.gone, 1)
  assert.equal(d.summary.changed, 0)
  const first = d.packages.find((p) => p.package === '(first-party)')
  assert.equal(first.new[0].destination, 'https://metrics.vendor.test/collect')
  assert.equal(first.gone[0].api, 'dns.lookup')
  assert.ok(!d.packages.some((p) => p.package === 'crashy'), 'a version bump alone is not a change')
})
