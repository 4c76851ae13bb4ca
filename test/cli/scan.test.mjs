// The `scan` command end to end: the built binary, its JSON, text output and exit codes.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync, readFileSync, rmSync, existsSync, mkdirSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fixture, runCli, scanJson } from '../helpers/index.mjs'
import { makeTar } from '../helpers/tar-writer.mjs'

const tmp = mkdtempSync(join(tmpdir(), 'nph-cli-'))
test.after(() => rmSync(tmp, { recursive: true, force: true }))

test('prints the JSON report with the documented top-level shape and exits 1 on a violation', async () => {
  const { code, report } = await scanJson(['scan', fixture('static/kinds'), '--no-cache'])
  assert.equal(code, 1)
  assert.deepEqual(Object.keys(report).slice(0, 8), ['schemaVersion', 'tool', 'target', 'verdict', 'failOn', 'summary', 'findings', 'notAnalysed'])
  assert.equal(report.schemaVersion, 1)
  assert.equal(report.tool.name, 'nophonehome')
  assert.equal(report.verdict, 'fail')
  for (const key of ['violation', 'review', 'info', 'filesScanned', 'bytesScanned', 'filesNotAnalysed']) assert.equal(typeof report.summary[key], 'number')
  const f = report.findings.find((x) => x.rule === 'net-sink')
  for (const key of ['rule', 'severity', 'message', 'location', 'package', 'fingerprint']) assert.ok(key in f, key)
  for (const key of ['file', 'line', 'column', 'snippet']) assert.ok(key in f.location, key)
})

test('exits 0 on the clean fixture and 1 with --fail-on review', async () => {
  const pass = await runCli(['scan', fixture('static/clean-server'), '--no-cache'])
  assert.equal(pass.code, 0, pass.stderr)
  assert.match(pass.stdout, /verdict: PASS/)
  const strict = await runCli(['scan', fixture('static/clean-server'), '--no-cache', '--fail-on', 'review'])
  assert.equal(strict.code, 1)
  assert.match(strict.stdout, /verdict: FAIL/)
})

test('text output groups findings by package and has no colour codes under NO_COLOR', async () => {
  const r = await runCli(['scan', fixture('static/kinds'), '--no-cache'])
  assert.match(r.stdout, /^vendor-sdk@2\.1\.0 {2}\(kinds-app>vendor-sdk\)$/m)
  assert.match(r.stdout, /^inner-dep@0\.3\.1/m)
  assert.doesNotMatch(r.stdout, /\x1b\[/)
  const coloured = await runCli(['scan', fixture('static/kinds'), '--no-cache'], { env: { NO_COLOR: '', FORCE_COLOR: '1' } })
  assert.match(coloured.stdout, /\x1b\[/)
})

test('usage errors exit 2 with a clear message and no stack', async () => {
  for (const args of [['scan'], ['scan', '--fail-on', 'sometimes', '.'], ['scan', '--bogus', '.'], ['nonsense'], ['scan', '--format', 'yaml', '.']]) {
    const r = await runCli(args)
    assert.equal(r.code, 2, `${args.join(' ')} → ${r.code}`)
    assert.doesNotMatch(r.stderr, /^\s+at /m, 'no stack trace for a usage error')
    assert.ok(r.stderr.length > 0)
  }
  const missing = await runCli(['scan', join(tmp, 'does-not-exist')])
  assert.equal(missing.code, 2)
  assert.match(missing.stderr, /no such file or directory/)
})

test('--output writes the report to a file and --format can be repeated', async () => {
  const out = join(tmp, 'r.json')
  const r = await runCli(['scan', fixture('static/kinds'), '--no-cache', '--format', 'json', '--output', out, '--format', 'text'])
  assert.equal(r.code, 1)
  assert.equal(JSON.parse(readFileSync(out, 'utf8')).verdict, 'fail')
  assert.match(r.stdout, /verdict: FAIL/)
})

test('scans a release tarball without writing outside a temp dir and names entries by their path in it', async () => {
  const tgz = join(tmp, 'release-1.0.0.tgz')
  writeFileSync(tgz, makeTar([
    { name: 'package/package.json', content: '{"name":"rel","version":"1.0.0"}' },
    { name: 'package/dist/server.js', content: "fetch('https://tar.vendor.invalid/ping')\n" },
    { name: '../escape.js', content: "fetch('https://escape.vendor.invalid')\n" },
    { name: '/abs/evil.js', content: "fetch('https://abs.vendor.invalid')\n" },
    { name: 'package/link.js', type: '2', linkname: '/etc/passwd' },
    { name: 'package/dev', type: '3' },
  ]))
  const { code, report } = await scanJson(['scan', tgz, '--no-cache'], { cwd: tmp })
  assert.equal(code, 1)
  const f = report.findings.find((x) => x.destination?.host === 'tar.vendor.invalid')
  assert.equal(f.location.file, 'package/dist/server.js')
  assert.equal(report.findings.some((x) => /escape|abs\.vendor/.test(x.destination?.host ?? '')), false)
  const reasons = report.notAnalysed.map((n) => `${n.file}: ${n.reason}`).join('\n')
  assert.match(reasons, /\.\.\/escape\.js: entry refused: path escapes/)
  assert.match(reasons, /abs\/evil\.js: entry refused: absolute path/)
  assert.match(reasons, /link\.js: symlink to \/etc\/passwd not followed/)
  assert.match(reasons, /dev: CharacterDevice entry not extracted/)
  assert.equal(existsSync(join(tmp, 'escape.js')), false)
  assert.equal(existsSync('/abs/evil.js'), false)
})

test('symlinks out of the scanned root are reported, never followed', async () => {
  const root = join(tmp, 'linked')
  mkdirSync(root, { recursive: true })
  const outside = join(tmp, 'outside.js')
  writeFileSync(outside, "fetch('https://outside.vendor.invalid')\n")
  symlinkSync(outside, join(root, 'out.js'))
  symlinkSync(root, join(root, 'loop'))
  writeFileSync(join(root, 'in.js'), "fetch('https://inside.vendor.invalid')\n")
  const { report } = await scanJson(['scan', root, '--no-cache'])
  assert.ok(report.findings.some((f) => f.destination?.host === 'inside.vendor.invalid'))
  assert.ok(!report.findings.some((f) => f.destination?.host === 'outside.vendor.invalid'))
  assert.ok(report.notAnalysed.some((n) => n.file === 'out.js' && /outside the scanned root/.test(n.reason)))
  assert.equal(report.verdict, 'fail')
})

test('the cache makes a second scan reuse results and gives the same findings', async () => {
  const cacheDir = join(tmp, 'cache')
  const first = await scanJson(['scan', fixture('static/matrix'), '--cache-dir', cacheDir])
  assert.ok(existsSync(cacheDir))
  const second = await scanJson(['scan', fixture('static/matrix'), '--cache-dir', cacheDir])
  assert.deepEqual(second.report.findings, first.report.findings)
  const nocache = await scanJson(['scan', fixture('static/matrix'), '--no-cache'])
  assert.deepEqual(nocache.report.findings, first.report.findings)
})

test('the same input gives byte-identical JSON', async () => {
  const a = await runCli(['scan', fixture('static/kinds'), '--no-cache', '--format', 'json'])
  const b = await runCli(['scan', fixture('static/kinds'), '--no-cache', '--format', 'json', '--jobs', '1'])
  assert.equal(a.stdout, b.stdout)
})

test('--help and --version answer with exit 0', async () => {
  const h = await runCli(['scan', '--help'])
  assert.equal(h.code, 0)
  assert.match(h.stdout, /usage: nophonehome scan/)
  const v = await runCli(['--version'])
  assert.equal(v.code, 0)
  assert.match(v.stdout, /^\d+\.\d+\.\d+/)
})

test('a value from another module is linked afresh on every scan: a warm scan sees that module change', async () => {
  const dir = join(tmp, 'cross')
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'config.mjs'), "export const URL_X = 'https://first.vendor.invalid/p'\n")
  writeFileSync(join(dir, 'app.mjs'), "import { URL_X } from './config.mjs'\nawait fetch(URL_X)\n")
  const cacheDir = join(tmp, 'cross-cache')
  // Reported where the URL is decided (config.mjs), with the way it travels to the sink in app.mjs.
  const hosts = (r) => r.report.findings.filter((f) => f.location.file === 'config.mjs' && f.rule === 'net-sink' && f.details.path === 'config.mjs:1 → app.mjs:2 → fetch').map((f) => f.destination.host)
  assert.deepEqual(hosts(await scanJson(['scan', dir, '--cache-dir', cacheDir])), ['first.vendor.invalid'])
  assert.deepEqual(hosts(await scanJson(['scan', dir, '--cache-dir', cacheDir])), ['first.vendor.invalid'])
  writeFileSync(join(dir, 'config.mjs'), "export const URL_X = 'https://second.vendor.invalid/p'\n")
  assert.deepEqual(hosts(await scanJson(['scan', dir, '--cache-dir', cacheDir])), ['second.vendor.invalid'])
})
