// File kinds and attribution: shebang scripts, native/wasm, parse errors, package.json type, node_modules chains.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { fixture, importDist } from '../helpers/index.mjs'

const { scan } = await importDist('index.js')
const report = await scan({ targets: [fixture('static/kinds')], cache: false })
const at = (file) => report.findings.filter((f) => f.location.file === file)

test('analyses an extension-less file with a node shebang as JavaScript', () => {
  const [f] = at('bin/tool')
  assert.equal(f.rule, 'net-sink')
  assert.equal(f.destination.host, 'shebang.vendor.invalid')
  assert.equal(f.location.line, 3)
})

test('ignores an extension-less file without a shebang', () => {
  assert.deepEqual(at('bin/notes'), [])
})

test('reports native addons and WebAssembly as opaque code', () => {
  assert.equal(at('addon.node')[0].rule, 'opaque-code')
  assert.equal(at('codec.wasm')[0].rule, 'opaque-code')
  assert.equal(at('codec.wasm')[0].severity, 'review')
})

test('reports a file that does not parse as parse-error with line and column, and as not analysed', () => {
  const [f] = at('broken.js')
  assert.equal(f.rule, 'parse-error')
  assert.equal(f.severity, 'review')
  assert.equal(f.location.line, 3)
  assert.equal(f.location.column, 2)
  assert.ok(report.notAnalysed.some((n) => n.file === 'broken.js'))
  assert.equal(report.summary.filesNotAnalysed, 1)
})

test('parses .js as ESM where the nearest package.json says type module', () => {
  const [f] = at('esm/report.js')
  assert.equal(f.api, 'https.request')
  assert.equal(f.destination.host, 'esm-dir.vendor.invalid')
})

test('attributes node_modules code to name@version with its dependency chain', () => {
  const [sdk] = at('node_modules/vendor-sdk/index.js')
  assert.equal(sdk.package, 'vendor-sdk@2.1.0')
  assert.equal(sdk.chain, 'kinds-app>vendor-sdk')
  const [inner] = at('node_modules/vendor-sdk/node_modules/inner-dep/index.js')
  assert.equal(inner.package, 'inner-dep@0.3.1')
  assert.equal(inner.chain, 'kinds-app>vendor-sdk>inner-dep')
})

test('a violation fails the verdict; counts add up', () => {
  assert.equal(report.verdict, 'fail')
  assert.equal(report.summary.violation, report.findings.filter((f) => f.severity === 'violation').length)
})

test('the clean server has zero violations and passes', async () => {
  const clean = await scan({ targets: [fixture('static/clean-server')], cache: false })
  assert.equal(clean.summary.violation, 0)
  assert.equal(clean.verdict, 'pass')
  // Its configured destinations are found and named, not ignored.
  const sources = clean.findings.filter((f) => f.destination?.provenance === 'dynamic').map((f) => f.destination.source).sort()
  // Linked across modules to where the values come from: the environment, read in lib/config.js.
  assert.deepEqual(sources, ['env SMTP_HOST', 'env WEBHOOK_URL'])
})

test('a CommonJS file is parsed as one even when a line starts with an identifier like importFrom', async () => {
  const { parseSource } = await importDist('internal.js')
  const cjs = 'module.exports = {\n  importFrom: () => 1,\n  exportAll: 2,\n}\n'
  assert.equal(parseSource(cjs, 'commonjs').kind, 'commonjs')
  // A real import line in a .js file outside a "type": "module" package is still tried as ESM first.
  assert.equal(parseSource("import x from './x.js'\nx()\n", 'commonjs').kind, 'module')
  assert.equal(parseSource("import{a}from'./a.js'\na()\n", 'commonjs').kind, 'module')
})

test('large files: the ESM hint reads both ends, and a file it misses still parses as a module', async () => {
  const { parseSource } = await importDist('internal.js')
  const filler = 'var pad = [' + '1, '.repeat(60_000) + '0]\n' // ~180 KB, more than both windows together
  // An esbuild-style ESM bundle: code first, its exports on the last line.
  const tailExport = filler + 'function a() {}\nexport { a }\n'
  assert.equal(parseSource(tailExport, 'commonjs').kind, 'module')
  // The only import sits in the middle, outside both windows: the script parse fails there and the module parse follows.
  const middleImport = filler + "import b from './b.js'\n" + filler + 'b(pad)\n'
  const r = parseSource(middleImport, 'commonjs')
  assert.equal(r.ok, true)
  assert.equal(r.kind, 'module')
  // The tail window may start mid-line: here exactly at ` import y` inside a comment, which must not count as an
  // import statement (this CommonJS file parses as a module too, so a false hint would make it one).
  let tail = ' import y from "z"\nmodule.exports = pad\n'
  tail += '//' + 'y'.repeat(64 * 1024 - tail.length - 3) + '\n'
  assert.equal(tail.length, 64 * 1024)
  const cjs = filler + '// comment:' + tail
  assert.equal(parseSource(cjs, 'commonjs').kind, 'commonjs')
})
