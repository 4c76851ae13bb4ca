// Which policy is used: --policy, else the working directory's — never one inside the scanned artifact.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { importDist, fixture } from '../helpers/index.mjs'

const nph = await importDist('internal.js')
const POLICY = JSON.stringify({ version: 1, failOn: 'review' })

const dirs = []
after(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }) })

function workspace() {
  const dir = mkdtempSync(join(tmpdir(), 'nph-discover-'))
  dirs.push(dir)
  mkdirSync(join(dir, 'dist'))
  writeFileSync(join(dir, 'dist', 'index.js'), '// empty\n')
  return dir
}

test('the working directory policy is used when it is outside the scanned target', async () => {
  const dir = workspace()
  writeFileSync(join(dir, 'nophonehome.policy.json'), POLICY)
  const g = await nph.resolveGating({}, ['dist'], dir)
  assert.equal(g.policy.file, 'nophonehome.policy.json')
  assert.equal(g.failOn, 'review')
  assert.deepEqual(g.notices, [])
})

test('a policy inside the scanned directory is ignored with a notice', async () => {
  const dir = workspace()
  writeFileSync(join(dir, 'dist', 'nophonehome.policy.json'), POLICY)
  const g = await nph.resolveGating({}, ['dist'], dir)
  assert.equal(g.policy, undefined)
  assert.equal(g.failOn, 'violation')
  assert.equal(g.notices.length, 1)
  assert.match(g.notices[0], /^ignored dist\/nophonehome\.policy\.json: it is inside the scanned artifact/)
})

test('scanning the working directory itself ignores its policy and says how to trust it', async () => {
  const dir = workspace()
  writeFileSync(join(dir, 'nophonehome.policy.json'), POLICY)
  const g = await nph.resolveGating({}, ['.'], dir)
  assert.equal(g.policy, undefined)
  assert.equal(g.notices.length, 1)
  assert.match(g.notices[0], /inside a scanned target.*pass --policy nophonehome\.policy\.json/)
})

test('an explicit --policy is used even inside the target (the user chose it)', async () => {
  const dir = workspace()
  writeFileSync(join(dir, 'dist', 'nophonehome.policy.json'), POLICY)
  const g = await nph.resolveGating({ policy: 'dist/nophonehome.policy.json' }, ['dist'], dir)
  assert.equal(g.policy.file, 'dist/nophonehome.policy.json')
  assert.deepEqual(g.notices, [])
})

test('--fail-on beats the policy failOn, which beats the default', async () => {
  const dir = workspace()
  writeFileSync(join(dir, 'nophonehome.policy.json'), POLICY)
  assert.equal((await nph.resolveGating({ 'fail-on': 'info' }, ['dist'], dir)).failOn, 'info')
  assert.equal((await nph.resolveGating({}, ['dist'], dir)).failOn, 'review')
  assert.equal((await nph.resolveGating({}, ['dist'], workspace())).failOn, 'violation')
})

test('a target reached through a symlinked path is still recognised as containing the policy', async () => {
  const dir = workspace()
  const { symlinkSync } = await import('node:fs')
  symlinkSync(dir, join(dir, 'link'))
  writeFileSync(join(dir, 'nophonehome.policy.json'), POLICY)
  const g = await nph.resolveGating({}, ['link'], dir)
  assert.equal(g.policy, undefined)
})

test('a tarball target never hides the working directory policy', async () => {
  const dir = workspace()
  writeFileSync(join(dir, 'nophonehome.policy.json'), POLICY)
  writeFileSync(join(dir, 'release.tgz'), '')
  const g = await nph.resolveGating({}, ['release.tgz'], dir)
  assert.equal(g.policy.file, 'nophonehome.policy.json')
})

test('--baseline loads the fingerprints of an earlier report; a missing or invalid one is REPORT_INVALID', async () => {
  const dir = workspace()
  cpSync(fixture('reports/release-1.json'), join(dir, 'base.json'))
  const g = await nph.resolveGating({ baseline: 'base.json' }, ['dist'], dir)
  assert.equal(g.baseline.file, 'base.json')
  assert.equal(g.baseline.fingerprints.size, 5)
  assert.ok(g.baseline.fingerprints.has('c000000000000001'))
  await assert.rejects(nph.resolveGating({ baseline: 'missing.json' }, ['dist'], dir), { code: 'REPORT_INVALID' })
  await assert.rejects(nph.resolveGating({ baseline: fixture('reports/wrong-shape.json') }, ['dist'], dir), { code: 'REPORT_INVALID' })
})
