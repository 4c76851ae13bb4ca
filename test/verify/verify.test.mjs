// `verify`: the plain verdict on the example releases, the deterministic record, and --expect.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, cpSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { spawnSync } from 'node:child_process'
import { ROOT, runCli } from '../helpers/index.mjs'

const { buildExample } = await import(join(ROOT, 'examples/build.mjs'))
const tmp = mkdtempSync(join(tmpdir(), 'nph-verify-'))
test.after(() => rmSync(tmp, { recursive: true, force: true }))
const clean = await buildExample('selfhosted-app', { outRoot: tmp })
const leaky = await buildExample('leaky-app', { outRoot: tmp })
const cleanTgz = join(tmp, 'selfhosted-app/release/selfhosted-app-1.4.2.tgz')
const leakyTgz = join(tmp, 'leaky-app/release/leaky-app-1.4.2.tgz')
void clean; void leaky
const sha = (f) => createHash('sha256').update(readFileSync(f)).digest('hex')
const sandboxAvailable = spawnSync('unshare', ['-rn', 'true']).status === 0

test('the clean example passes and the verdict names the artifact SHA-256', async () => {
  const r = await runCli(['verify', cleanTgz, '--no-cache'])
  assert.equal(r.code, 0, r.stdout + r.stderr)
  assert.match(r.stdout, /^PASS — /m)
  assert.ok(r.stdout.includes(`sha256 ${sha(cleanTgz)}`))
  assert.match(r.stdout, /What was not checked\n {2}– runtime: not run/)
})

test('the leaky example fails and names each hard-coded phone-home destination', async () => {
  const r = await runCli(['verify', leakyTgz, '--no-cache'])
  assert.equal(r.code, 1)
  assert.match(r.stdout, /^FAIL — /m)
  for (const host of ['usage.vendor.invalid', 'updates.vendor.invalid', 'license.vendor.invalid', 'o1.ingest.sentry.invalid', 'fonts.vendor-cdn.invalid', 'analytics.vendor.invalid']) {
    assert.match(r.stdout, new RegExp(`^ {2}${host.replace(/\./g, '\\.')}$`, 'm'), host)
  }
})

test('the verification record is an in-toto Statement and byte-identical across runs', async () => {
  const a = join(tmp, 'a.json')
  const b = join(tmp, 'b.json')
  await runCli(['verify', leakyTgz, '--no-cache', '--record', a])
  // The second run may come from the analysis cache: the record must not change.
  await runCli(['verify', leakyTgz, '--record', b])
  const ra = readFileSync(a, 'utf8')
  assert.equal(ra, readFileSync(b, 'utf8'))
  const rec = JSON.parse(ra)
  assert.equal(rec._type, 'https://in-toto.io/Statement/v1')
  assert.deepEqual(rec.subject, [{ name: 'leaky-app-1.4.2.tgz', digest: { sha256: sha(leakyTgz) } }])
  assert.equal(rec.predicate.verdict, 'fail')
  assert.match(rec.predicate.signatures.digest, /^sha256:[0-9a-f]{64}$/)
  assert.ok(rec.predicate.findings.length > 5)
  assert.equal(rec.predicate.lenses.runtime.ran, false)
})

test('--expect reproduces the vendor record offline, and catches a changed artifact', async () => {
  const rec = join(tmp, 'vendor.json')
  await runCli(['verify', cleanTgz, '--no-cache', '--record', rec])
  const same = await runCli(['verify', cleanTgz, '--no-cache', '--expect', rec])
  assert.equal(same.code, 0, same.stdout)
  assert.match(same.stdout, /reproduced: same artifact digest/)
  const other = await runCli(['verify', leakyTgz, '--no-cache', '--expect', rec])
  assert.equal(other.code, 1)
  assert.match(other.stdout, /artifact digest differs: the record is for sha256 [0-9a-f]{64} \(selfhosted-app-1\.4\.2\.tgz\)/)
  assert.match(other.stdout, /verdict differs: the record says PASS, this run says FAIL/)
})

test('--expect catches a new finding the record lacks', async () => {
  const dir = join(tmp, 'tree')
  mkdirSync(dir)
  cpSync(join(tmp, 'selfhosted-app/dist'), join(dir, 'dist'), { recursive: true })
  const rec = join(tmp, 'tree.json')
  await runCli(['verify', dir, '--no-cache', '--record', rec])
  // Planted in the code the app loads (a file nothing loads would only be for review).
  for (const f of readdirSync(join(dir, 'dist')).filter((n) => n.endsWith('.js'))) appendFileSync(join(dir, 'dist', f), "\nfetch('https://new.vendor.invalid/ping')\n")
  const r = await runCli(['verify', dir, '--no-cache', '--expect', rec])
  assert.equal(r.code, 1)
  assert.match(r.stdout, /new finding not in the record: net-sink \(violation, static\) fingerprint [0-9a-f]{16}/)
})

test('--expect catches a changed policy', async () => {
  const rec = join(tmp, 'nopolicy.json')
  await runCli(['verify', cleanTgz, '--no-cache', '--record', rec], { cwd: tmp })
  const policy = join(tmp, 'policy.json')
  writeFileSync(policy, JSON.stringify({ version: 1, allow: [{ host: 'smtp.example.test', reason: 'our relay' }] }))
  const r = await runCli(['verify', cleanTgz, '--no-cache', '--policy', policy, '--expect', rec], { cwd: tmp })
  assert.equal(r.code, 1, r.stdout + r.stderr)
  assert.match(r.stdout, /policy differs: the record used none, this run used sha256:[0-9a-f]{64}/)
})

test('runtime-only flags without --start are a usage error', async () => {
  const r = await runCli(['verify', cleanTgz, '--ready', '8080'])
  assert.equal(r.code, 2)
  assert.match(r.stderr, /--ready needs --start/)
  const bad = join(tmp, 'bad.json')
  writeFileSync(bad, '{"not":"a record"}')
  const e = await runCli(['verify', cleanTgz, '--expect', bad])
  assert.equal(e.code, 2)
  assert.match(e.stderr, /not a nophonehome verification record/)
})

test('with --start the runtime lens runs the leaky app where nothing can leave and shows both kinds of evidence', { skip: !sandboxAvailable && 'network namespaces unavailable here' }, async () => {
  const r = await runCli(['verify', leakyTgz, '--no-cache', '--format', 'json', '--start', 'node dist/server.js', '--ready', '/listening on/', '--duration', '2', '--time-warp', '100000'])
  assert.equal(r.code, 1, r.stderr)
  const report = JSON.parse(r.stdout)
  assert.equal(report.lenses.runtime.ran, true)
  for (const host of ['usage.vendor.invalid', 'updates.vendor.invalid', 'license.vendor.invalid']) {
    const rt = report.findings.find((f) => f.lens === 'runtime' && f.destination?.host === host)
    assert.ok(rt, `runtime finding for ${host}`)
    assert.equal(rt.severity, 'violation')
    assert.ok(report.findings.some((f) => f.lens === 'static' && f.destination?.host === host), `static finding for ${host}`)
  }
})

test('with --start the clean app passes the runtime lens too', { skip: !sandboxAvailable && 'network namespaces unavailable here' }, async () => {
  const r = await runCli(['verify', cleanTgz, '--no-cache', '--format', 'json', '--start', 'node dist/server.js', '--ready', '/listening on/', '--duration', '1'])
  const report = JSON.parse(r.stdout)
  assert.equal(report.lenses.runtime.ran, true)
  assert.deepEqual(report.findings.filter((f) => f.lens === 'runtime' && f.severity !== 'info').map((f) => f.message), [])
  assert.equal(r.code, 0, r.stdout)
})
