// Bundling mode (`scan <project> --entry`): only shipped code, esbuild's gaps as findings, original locations.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { fixture, importDist, runCli, scanJson } from '../helpers/index.mjs'

const { scan } = await importDist('index.js')
const project = fixture('bundle-small')
const report = await scan({ targets: [project], entries: ['src/main.js'], cache: false })
const byHost = (host) => report.findings.filter((f) => f.rule === 'net-sink' && f.destination?.host === host)

test('locates every finding in the entry bundle and, through the source map, in the original file', () => {
  const [f] = byHost('shipped.app.invalid')
  assert.equal(f.location.file, '<bundle:src/main.js>')
  assert.ok(f.location.line > 1)
  assert.deepEqual(f.location.original, { file: 'src/lib.js', line: 3, column: 9 })
  assert.equal(f.package, '(first-party)')
  for (const x of report.findings) assert.equal(x.location.file, '<bundle:src/main.js>')
  for (const x of report.findings) assert.ok(x.location.original, `${x.rule} ${x.message} has an original location`)
})

test('does not report code that tree shaking left out of the bundle', () => {
  assert.equal(byHost('shaken.app.invalid').length, 0)
  assert.equal(byHost('never-imported.app.invalid').length, 0)
  assert.ok(!JSON.stringify(report.findings).includes('shaken.app.invalid'))
})

test('attributes bundled dependency code to name@version of its original file', () => {
  const [sdk] = byHost('ingest.vendor-sdk.invalid')
  assert.equal(sdk.severity, 'violation')
  assert.equal(sdk.package, 'vendor-sdk@1.4.0')
  assert.equal(sdk.chain, 'bundle-small>vendor-sdk')
  assert.deepEqual(sdk.location.original, { file: 'node_modules/vendor-sdk/index.js', line: 5, column: 2 })
})

test('takes the dependency chain of a hoisted package from package-lock.json', () => {
  const [core] = byHost('beacon-core.vendor.invalid')
  assert.equal(core.package, 'beacon-core@3.0.1')
  // The tree alone says bundle-small>beacon-core; the lockfile knows vendor-sdk pulled it in.
  assert.equal(core.chain, 'bundle-small>vendor-sdk>beacon-core')
  assert.equal(core.location.original.file, 'node_modules/beacon-core/index.js')
})

test('reports an import esbuild cannot resolve as unresolved-import naming specifier and importer', () => {
  const [u] = report.findings.filter((f) => f.rule === 'unresolved-import')
  assert.equal(u.severity, 'review')
  assert.equal(u.details.specifier, 'not-installed-sdk')
  assert.equal(u.details.importer, 'src/main.js')
  assert.match(u.message, /not-installed-sdk/)
  assert.deepEqual(u.location.original, { file: 'src/main.js', line: 6, column: 20 })
  assert.match(u.location.snippet, /not-installed-sdk/)
})

test('reports computed require calls, including a glob over a missing folder, as opaque-code with importer and line', () => {
  const dyn = report.findings.filter((f) => f.rule === 'opaque-code' && f.api === 'require')
  assert.deepEqual(dyn.map((f) => `${f.location.original.file}:${f.location.original.line}`).sort(), ['src/loader.cjs:3', 'src/loader.cjs:4'])
  for (const f of dyn) assert.equal(f.severity, 'review')
})

test('reports a native addon the bundle cannot contain as opaque-code in its package', () => {
  const [n] = report.findings.filter((f) => f.api === 'native addon')
  assert.equal(n.rule, 'opaque-code')
  assert.equal(n.package, 'native-thing@0.2.0')
  assert.equal(n.location.original.file, 'node_modules/native-thing/index.js')
})

test('reports a user --external as opaque-code instead of analysing it', async () => {
  const r = await scan({ targets: [project], entries: ['src/main.js'], external: ['vendor-sdk'], cache: false })
  assert.equal(r.findings.filter((f) => f.destination?.host === 'ingest.vendor-sdk.invalid').length, 0)
  const [ext] = r.findings.filter((f) => f.api === 'external import')
  assert.equal(ext.details.specifier, 'vendor-sdk')
  assert.equal(ext.severity, 'review')
})

test('reports a relative import that does not resolve, and still bundles the rest', async () => {
  const r = await scan({ targets: [project], entries: ['src/relative-missing.js'], cache: false })
  const [u] = r.findings.filter((f) => f.rule === 'unresolved-import')
  assert.equal(u.details.specifier, './gone.js')
  assert.equal(u.location.original.line, 2)
  assert.equal(r.findings.filter((f) => f.destination?.host === 'relative.app.invalid' && f.rule === 'net-sink').length, 1)
})

test('bundles several entries, each into its own <bundle:…>', async () => {
  const r = await scan({ targets: [project], entries: ['src/main.js', 'src/relative-missing.js'], cache: false })
  const files = new Set(r.findings.map((f) => f.location.file))
  assert.deepEqual([...files].sort(), ['<bundle:src/main.js>', '<bundle:src/relative-missing.js>'])
})

test('a syntax error in a bundled source exits 2 with esbuild file:line:column and text', async () => {
  const r = await runCli(['scan', project, '--entry', 'src/broken.js', '--no-cache'])
  assert.equal(r.code, 2)
  assert.match(r.stderr, /src\/broken\.js:4:0: Unexpected "}"/)
  assert.equal(r.stdout, '')
})

test('the CLI takes --entry with --platform and prints the bundle and original locations in JSON', async () => {
  const { code, report: r } = await scanJson(['scan', project, '--entry', 'src/main.js', '--platform', 'node', '--no-cache'])
  assert.equal(code, 1)
  const f = r.findings.find((x) => x.destination?.host === 'ingest.vendor-sdk.invalid' && x.rule === 'net-sink')
  assert.equal(f.location.file, '<bundle:src/main.js>')
  assert.equal(f.location.original.file, 'node_modules/vendor-sdk/index.js')
  assert.equal(f.package, 'vendor-sdk@1.4.0')
})

test('--platform browser resolves node builtins as unresolved imports', async () => {
  // update-check.js imports only node:https, so this needs no installed packages.
  const { report: r } = await scanJson(['scan', fixture('bundle-app'), '--entry', 'src/update-check.js', '--platform', 'browser', '--no-cache'])
  const [u] = r.findings.filter((f) => f.rule === 'unresolved-import')
  assert.equal(u.details.specifier, 'node:https')
  assert.equal(u.details.importer, 'src/update-check.js')
})

test('rejects bundling options that do not fit', async () => {
  for (const args of [
    ['scan', project, '--entry', 'src/nope.js'],
    ['scan', project, project, '--entry', 'src/main.js'],
    ['scan', project, '--platform', 'node'],
    ['scan', project, '--entry', 'src/main.js', '--platform', 'deno'],
  ]) {
    const r = await runCli(args)
    assert.equal(r.code, 2, args.join(' '))
  }
})

test('the same bundle analysed twice gives the same fingerprints (cache on)', async () => {
  const { mkdtempSync, rmSync } = await import('node:fs')
  const { tmpdir } = await import('node:os')
  const { join } = await import('node:path')
  const dir = mkdtempSync(join(tmpdir(), 'nph-bundle-cache-'))
  try {
    const a = await scan({ targets: [project], entries: ['src/main.js'], cacheDir: dir })
    const b = await scan({ targets: [project], entries: ['src/main.js'], cacheDir: dir })
    assert.deepEqual(b.findings.map((f) => f.fingerprint), a.findings.map((f) => f.fingerprint))
    assert.deepEqual(b.findings.map((f) => f.location.original), a.findings.map((f) => f.location.original))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
