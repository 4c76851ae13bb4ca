// `--variant`: one app run once per variant (environment, files, arguments) in the sandbox — does the
// documented opt-out stop everything? The fixture's TELEMETRY=false stops the usage ping, not the update check.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fixture, importDist, runCli } from '../helpers/index.mjs'

const app = fixture('runtime-variants')
const { parseVariant, variantMatrix } = await importDist('internal.js')
const tmp = mkdtempSync(join(tmpdir(), 'nph-variants-'))
const VARIANTS = [
  '--variant', 'default:',
  '--variant', 'opted-out: TELEMETRY=false',
  '--variant', 'config: file:acme.json=opted-out.json -- --config {data}/acme.json',
]
const hostsOf = (findings, variant) => [...new Set(findings.filter((f) => f.details?.variant === variant && f.lens === 'runtime').map((f) => f.destination?.host))].sort()

test('run: each variant gets its own verdict, and the opt-out is seen stopping the usage ping but not the update check', async () => {
  const json = join(tmp, 'run.json')
  const r = await runCli(['run', '--ready', '3000', '--duration', '1', ...VARIANTS, '--format', 'json', '--output', json, '--format', 'text', '--', process.execPath, 'server.mjs'], { cwd: app })
  assert.equal(r.code, 1, r.stderr)
  const report = JSON.parse(readFileSync(json, 'utf8'))
  assert.deepEqual(report.variants.map((v) => [v.name, v.verdict]), [['default', 'fail'], ['opted-out', 'fail'], ['config', 'pass']])
  assert.equal(report.verdict, 'fail')
  assert.deepEqual(hostsOf(report.findings, 'default'), ['updates.acme-desk.invalid', 'usage.acme-desk.invalid'])
  assert.deepEqual(hostsOf(report.findings, 'opted-out'), ['updates.acme-desk.invalid'])
  assert.deepEqual(hostsOf(report.findings, 'config'), [])
  assert.deepEqual(report.variants[1].env, { TELEMETRY: 'false' })
  assert.deepEqual(report.variants[2].files.map((f) => f.dest), ['acme.json'])
  assert.deepEqual(report.variants[2].args, ['--config', '{data}/acme.json'])
  // The app saw each variant's settings (its start line goes to stderr).
  assert.match(r.stderr, /telemetry on, update check on/)
  assert.match(r.stderr, /telemetry off, update check on/)
  assert.match(r.stderr, /telemetry off, update check off/)
  // One table: destinations down the side, variants across.
  const lines = r.stdout.split('\n')
  const header = lines.findIndex((l) => /^\s+destination\s+default\s+opted-out\s+config\s*$/.test(l))
  assert.ok(header > 0, r.stdout)
  assert.match(lines[header + 1], /^\s+updates\.acme-desk\.invalid\s+✗ runtime\s+✗ runtime\s+—\s*$/)
  assert.match(lines[header + 2], /^\s+usage\.acme-desk\.invalid\s+✗ runtime\s+—\s+—\s*$/)
  assert.match(lines[header + 3], /^\s+verdict\s+FAIL\s+FAIL\s+PASS\s*$/)
})

test('verify --start: static and per-variant columns; the record holds every variant and --expect reproduces it', async () => {
  const record = join(tmp, 'record.json')
  const args = ['verify', '.', '--start', 'node server.mjs', '--ready', '3000', '--duration', '1', '--no-cache', ...VARIANTS]
  const first = await runCli([...args, '--record', record], { cwd: app })
  assert.equal(first.code, 1, first.stderr)
  assert.match(first.stdout, /^\s+destination\s+static\s+default\s+opted-out\s+config\s*$/m)
  assert.match(first.stdout, /^\s+usage\.acme-desk\.invalid\s+✗ static\s+✗ runtime\s+—\s+—\s*$/m)
  const rec = JSON.parse(readFileSync(record, 'utf8'))
  // Static findings count in every variant's verdict (the same code ships in each); the runtime ones differ.
  assert.deepEqual(rec.predicate.variants.map((v) => [v.name, v.verdict, v.findings.length]), [['default', 'fail', 2], ['opted-out', 'fail', 1], ['config', 'fail', 0]])
  assert.equal(rec.predicate.variants[2].files[0].sha256, '1507dae7366c0d254d885251dcd1ec62b240df9f4cae4639c0bc12b29a7fa45e')
  assert.deepEqual(rec.predicate.options.variants.map((v) => v.name), ['default', 'opted-out', 'config'])
  const again = await runCli([...args, '--expect', record], { cwd: app })
  assert.match(again.stdout, /reproduced: same artifact digest/)
  // A record whose opted-out variant sent nothing does not reproduce: the update check is new.
  const tampered = JSON.parse(JSON.stringify(rec))
  tampered.predicate.variants[1].findings = []
  tampered.predicate.variants.pop()
  writeFileSync(join(tmp, 'tampered.json'), JSON.stringify(tampered))
  const third = await runCli([...args, '--expect', join(tmp, 'tampered.json')], { cwd: app })
  assert.equal(third.code, 1)
  assert.match(third.stdout, /variant opted-out: new finding not in the record: runtime-egress \(violation, runtime\)/)
  assert.match(third.stdout, /variant config was run but is not in the record/)
})

test('each variant gets a fresh data directory with its files, removed afterwards; {data} names it', async () => {
  const script = 'echo "seen:$(ls -A "$0" | tr "\\n" " ")"; echo "dir:$0"'
  const r = await runCli([
    'run', '--format', 'json',
    '--variant', 'a: MODE=a file:conf/acme.json=opted-out.json -- {data}',
    '--variant', 'b: -- {data}',
    '--', 'sh', '-c', script,
  ], { cwd: app })
  assert.equal(r.code, 0, r.stderr)
  const seen = [...r.stderr.matchAll(/^seen:(.*)$/gm)].map((m) => m[1].trim())
  assert.deepEqual(seen, ['conf', ''])
  const dirs = [...r.stderr.matchAll(/^dir:(.*)$/gm)].map((m) => m[1])
  assert.equal(dirs.length, 2)
  assert.notEqual(dirs[0], dirs[1])
  for (const d of dirs) assert.ok(!existsSync(d), `${d} removed`)
})

test('rejects malformed variant specs before anything runs (exit 2, the spec named)', async () => {
  for (const [spec, message] of [
    ['opted-out TELEMETRY=false', /expected NAME: \[KEY=VALUE…\]/],
    ['opted out: X=1', /the name 'opted out' must be/],
    ['x: --no-telemetry', /'--no-telemetry' is neither KEY=VALUE[\s\S]*hint: Arguments for the app go after a lone --/],
    ['x: 1X=2', /'1X=2' is neither KEY=VALUE/],
    ['x: A=1 A=2', /A is set twice/],
    ['x: file:acme.json=no-such.json -- {data}', /no-such\.json cannot be read \(ENOENT\)/],
    ['x: file:../acme.json=opted-out.json -- {data}', /must be a relative path inside the variant's data directory/],
    ['x: file:acme.json=opted-out.json', /nothing tells the app where it is/],
    ["x: MSG='unclosed", /unclosed ' quote/],
  ]) {
    const r = await runCli(['run', '--variant', spec, '--', 'true'], { cwd: app })
    assert.equal(r.code, 2, spec)
    assert.match(r.stderr, message, spec)
    assert.ok(r.stderr.includes(`--variant "${spec}"`), `names the spec: ${r.stderr}`)
  }
  const dup = await runCli(['run', '--variant', 'a:', '--variant', 'a: X=1', '--', 'true'])
  assert.equal(dup.code, 2)
  assert.match(dup.stderr, /--variant a: the name is used twice/)
  const noStart = await runCli(['verify', app, '--variant', 'a:'])
  assert.equal(noStart.code, 2)
  assert.match(noStart.stderr, /--variant needs --start/)
})

test('splits a spec like a shell: quotes keep spaces, and arguments follow a lone --', () => {
  const v = parseVariant(`q: MSG='hello world' PATHS="a b\\"c" EMPTY= -- --flag "x y" z`, app)
  assert.deepEqual(v.env, { MSG: 'hello world', PATHS: 'a b"c', EMPTY: '' })
  assert.deepEqual(v.args, ['--flag', 'x y', 'z'])
  assert.deepEqual(parseVariant('default:', app), { name: 'default', env: {}, files: [], args: [] })
})

test('the matrix leaves out info, allowed and waived findings, and puts static findings in their own column', () => {
  const f = (lens, host, severity, variant, status) => ({ rule: 'x', lens, severity, message: '', package: '(first-party)', fingerprint: host + lens, destination: { host, provenance: 'unknown' }, ...(variant ? { details: { variant } } : {}), ...(status ? { status } : {}) })
  const report = {
    findings: [f('static', 'a.invalid', 'review'), f('runtime', 'a.invalid', 'violation', 'v1'), f('browser', 'a.invalid', 'review', 'v1'), f('runtime', 'b.invalid', 'info', 'v1'), f('runtime', 'c.invalid', 'violation', 'v2', 'allowed')],
    variants: [{ name: 'v1' }, { name: 'v2' }],
  }
  const m = variantMatrix(report)
  assert.deepEqual(m.columns, ['static', 'v1', 'v2'])
  assert.deepEqual(m.rows, [{ destination: 'a.invalid', cells: { static: { lenses: ['static'], severity: 'review' }, v1: { lenses: ['browser', 'runtime'], severity: 'violation' } } }])
})
