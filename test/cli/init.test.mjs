// `nophonehome init`: a starter policy with a $schema reference that the loader and the schema accept.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { importDist, runCli } from '../helpers/index.mjs'

const nph = await importDist('internal.js')
const dirs = []
const tempDir = () => { const d = mkdtempSync(join(tmpdir(), 'nph-init-')); dirs.push(d); return d }
after(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }) })

test('writes nophonehome.policy.json with a $schema reference, valid as written', async () => {
  const dir = tempDir()
  const r = await runCli(['init'], { cwd: dir })
  assert.equal(r.code, 0, r.stderr)
  assert.match(r.stdout, /^wrote nophonehome\.policy\.json\n/)
  const text = readFileSync(join(dir, 'nophonehome.policy.json'), 'utf8')
  const policy = nph.parsePolicyText(text, 'nophonehome.policy.json')
  assert.equal(policy.$schema, './node_modules/nophonehome/schema/policy.schema.json')
  assert.equal(policy.version, 1)
  assert.deepEqual(policy.allow, [])
  assert.deepEqual(policy.waivers, [])
})

test('the starter policy changes no verdict until entries are added', async () => {
  const dir = tempDir()
  await runCli(['init'], { cwd: dir })
  const g = await nph.resolveGating({}, [], dir)
  assert.equal(g.policy.file, 'nophonehome.policy.json')
  const f = { rule: 'net-sink', severity: 'violation', message: 'm', lens: 'static', package: '(first-party)', fingerprint: '0000000000000001', destination: { host: 'a.test', provenance: 'hard-coded-external' } }
  const r = nph.finalise({ target: ['x'], findings: [f], notAnalysed: [], filesScanned: 1, bytesScanned: 1, failOn: g.failOn, policy: g.policy })
  assert.equal(r.verdict, 'fail')
})

test('refuses to overwrite an existing policy without --force', async () => {
  const dir = tempDir()
  writeFileSync(join(dir, 'nophonehome.policy.json'), '{"version":1,"allow":[{"host":"keep.test","reason":"mine"}]}')
  const r = await runCli(['init'], { cwd: dir })
  assert.equal(r.code, 2)
  assert.match(r.stderr, /nophonehome\.policy\.json already exists; not overwriting it\nhint: pass --force to replace it/)
  assert.match(readFileSync(join(dir, 'nophonehome.policy.json'), 'utf8'), /keep\.test/)
  const forced = await runCli(['init', '--force'], { cwd: dir })
  assert.equal(forced.code, 0)
  assert.doesNotMatch(readFileSync(join(dir, 'nophonehome.policy.json'), 'utf8'), /keep\.test/)
})

test('--output writes elsewhere; positional arguments are a usage error', async () => {
  const dir = tempDir()
  assert.equal((await runCli(['init', '--output', 'ci/policy.json'], { cwd: dir })).code, 2, 'missing directory is an error')
  const ok = await runCli(['init', '--output', 'custom.json'], { cwd: dir })
  assert.equal(ok.code, 0)
  nph.parsePolicyText(readFileSync(join(dir, 'custom.json'), 'utf8'), 'custom.json')
  assert.equal((await runCli(['init', 'extra'], { cwd: dir })).code, 2)
})
