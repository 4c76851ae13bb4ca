// package.json "exports" / "imports" maps without the file system: Node's algorithm, its precedence
// rules and its refusals, on tables of cases; hostile maps never throw.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { importDist } from '../../helpers/index.mjs'

const { resolveExportsMap, resolveImportsMap, listExportTargets, comparePatternKeys, MAX_TARGET_DEPTH } = await importDist('internal.js')

const REQUIRE = new Set(['node', 'node-addons', 'module-sync', 'require'])
const IMPORT = new Set(['node', 'node-addons', 'module-sync', 'import'])
const BROWSER = new Set(['browser', 'module', 'require'])

/** Targets as strings ('./x.js', or 'pkg:name' for a package target), or the error code. */
function short(result) {
  return result.t === 'error' ? result.code : result.targets.map((t) => (t.t === 'path' ? t.target : `pkg:${t.specifier}`))
}

// [what it shows, exports value, subpath, conditions, expected]
const exportCases = [
  ['a string is the main export', './main.js', '.', REQUIRE, ['./main.js']],
  ['a string exports nothing else', './main.js', './x', REQUIRE, 'ERR_PACKAGE_PATH_NOT_EXPORTED'],
  ['a conditions object is sugar for "."', { require: './r.js', import: './i.mjs' }, '.', REQUIRE, ['./r.js']],
  ['conditions are taken in the map\'s order, not ours', { import: './i.mjs', node: './n.js', require: './r.js' }, '.', REQUIRE, ['./n.js']],
  ['import selects the import branch', { require: './r.js', import: './i.mjs' }, '.', IMPORT, ['./i.mjs']],
  ['default matches under any conditions', { worker: './w.js', default: './d.js' }, '.', REQUIRE, ['./d.js']],
  ['a matching condition whose nested object matches nothing falls through (resolve.exports does not)', { node: { import: './n.mjs' }, default: './d.js' }, '.', REQUIRE, ['./d.js']],
  ['no matching condition is not exported', { import: './i.mjs' }, '.', REQUIRE, 'ERR_PACKAGE_PATH_NOT_EXPORTED'],
  ['browser is a condition of the browser platform', { node: './n.js', browser: './b.js' }, '.', BROWSER, ['./b.js']],
  ['module-sync is matched for require', { 'module-sync': './s.mjs', default: './d.cjs' }, '.', REQUIRE, ['./s.mjs']],
  ['node-addons is matched on node', { 'node-addons': './native.js', default: './js.js' }, '.', REQUIRE, ['./native.js']],
  ['types never matches', { types: './index.d.ts', default: './d.js' }, '.', REQUIRE, ['./d.js']],
  ['a subpath map exports its keys', { '.': './i.js', './feature': './f.js' }, './feature', REQUIRE, ['./f.js']],
  ['a subpath map without "." has no main export', { './feature': './f.js' }, '.', REQUIRE, 'ERR_PACKAGE_PATH_NOT_EXPORTED'],
  ['keys of both kinds are an invalid config', { '.': './i.js', require: './r.js' }, '.', REQUIRE, 'ERR_INVALID_PACKAGE_CONFIG'],
  ['a null target is not exported', { './x': null }, './x', REQUIRE, 'ERR_PACKAGE_PATH_NOT_EXPORTED'],
  ['a null condition is not exported, even with a default after it', { '.': { node: null, default: './d.js' } }, '.', REQUIRE, 'ERR_PACKAGE_PATH_NOT_EXPORTED'],
  ['an array keeps its valid entries in order', { '.': ['./a.js', './b.js'] }, '.', REQUIRE, ['./a.js', './b.js']],
  ['an array skips invalid targets', { '.': ['../up.js', 'bare', './ok.js'] }, '.', REQUIRE, ['./ok.js']],
  ['an array skips null entries (as Node\'s implementation does)', { '.': [null, './x.js'] }, '.', REQUIRE, ['./x.js']],
  ['an array skips entries matching no condition', { '.': [{ worker: './w.js' }, './f.js'] }, '.', REQUIRE, ['./f.js']],
  ['an empty array is not exported', { '.': [] }, '.', REQUIRE, 'ERR_PACKAGE_PATH_NOT_EXPORTED'],
  ['an array of invalid targets is an invalid target', { '.': ['../a.js', '/b.js'] }, '.', REQUIRE, 'ERR_INVALID_PACKAGE_TARGET'],
  ['conditions nest inside arrays', { '.': [{ require: './r.js' }, './d.js'] }, '.', REQUIRE, ['./r.js', './d.js']],
  ['a pattern substitutes the match', { './features/*.js': './src/features/*.js' }, './features/x.js', REQUIRE, ['./src/features/x.js']],
  ['a pattern match may span folders', { './features/*': './src/*.js' }, './features/a/b', REQUIRE, ['./src/a/b.js']],
  ['every * of the target takes the match', { './*': './*/*.js' }, './x', REQUIRE, ['./x/x.js']],
  ['a pattern must match something', { './features/*': './src/*.js' }, './features/', REQUIRE, 'ERR_PACKAGE_PATH_NOT_EXPORTED'],
  ['the pattern trailer must match', { './*.js': './src/*.js' }, './fooXjs', REQUIRE, 'ERR_PACKAGE_PATH_NOT_EXPORTED'],
  ['the longer part before * wins', { './a/*': './one/*.js', './a/b/*': './two/*.js' }, './a/b/c', REQUIRE, ['./two/c.js']],
  ['the longer base wins even over a longer key (resolve.exports ranks by key length)', { './ab*zzzzzzzz': './one/*.js', './abc*': './two/*.js' }, './abcQzzzzzzzz', REQUIRE, ['./two/Qzzzzzzzz.js']],
  ['with equal bases the longer key wins', { './a/*': './one/*', './a/*.js': './two/*.js' }, './a/x.js', REQUIRE, ['./two/x.js']],
  ['a null pattern hides a folder of a broader one', { './f/*': './src/*.js', './f/private/*': null }, './f/private/x', REQUIRE, 'ERR_PACKAGE_PATH_NOT_EXPORTED'],
  ['an exact key wins over a pattern', { './x/*': './p/*.js', './x/y': './exact.js' }, './x/y', REQUIRE, ['./exact.js']],
  ['a key with two * is not a pattern', { './a/*/b/*': './x.js' }, './a/1/b/2', REQUIRE, 'ERR_PACKAGE_PATH_NOT_EXPORTED'],
  ['folder mappings (removed in Node 17) export nothing', { './dir/': './lib/' }, './dir/a.js', REQUIRE, 'ERR_PACKAGE_PATH_NOT_EXPORTED'],
  ['regex characters in keys are literal', { './(*': './paren/*.js', './[a-z]+*': './class/*.js' }, './(q', REQUIRE, ['./paren/q.js']],
  ['a target outside the package is invalid', { './x': '../../y.js' }, './x', REQUIRE, 'ERR_INVALID_PACKAGE_TARGET'],
  ['an absolute target is invalid', { './x': '/etc/passwd' }, './x', REQUIRE, 'ERR_INVALID_PACKAGE_TARGET'],
  ['a bare target is invalid in exports', { './x': 'lodash' }, './x', REQUIRE, 'ERR_INVALID_PACKAGE_TARGET'],
  ['a URL target is invalid', { './x': 'https://evil.example/x.js' }, './x', REQUIRE, 'ERR_INVALID_PACKAGE_TARGET'],
  ['a .. segment inside a target is invalid', { './x': './a/../../y.js' }, './x', REQUIRE, 'ERR_INVALID_PACKAGE_TARGET'],
  ['a percent-encoded .. segment is invalid', { './x': './a/%2E%2e/y.js' }, './x', REQUIRE, 'ERR_INVALID_PACKAGE_TARGET'],
  ['a node_modules segment is invalid, in any case', { './x': './NODE_MODULES/y.js' }, './x', REQUIRE, 'ERR_INVALID_PACKAGE_TARGET'],
  ['a pattern match with a .. segment is an invalid specifier', { './*': './lib/*' }, './../../x.js', REQUIRE, 'ERR_INVALID_MODULE_SPECIFIER'],
  ['a number target is invalid', { './x': 42 }, './x', REQUIRE, 'ERR_INVALID_PACKAGE_TARGET'],
  ['numeric keys in a conditions object are an invalid config', { './x': { 0: './a.js' } }, './x', REQUIRE, 'ERR_INVALID_PACKAGE_CONFIG'],
  ['an exports value of false exports nothing', false, '.', REQUIRE, 'ERR_PACKAGE_PATH_NOT_EXPORTED'],
  ['an empty object exports nothing', {}, '.', REQUIRE, 'ERR_PACKAGE_PATH_NOT_EXPORTED'],
  ['a number as exports exports nothing', 42, '.', REQUIRE, 'ERR_PACKAGE_PATH_NOT_EXPORTED'],
]

for (const [what, exportsValue, subpath, conditions, expected] of exportCases) {
  test(`exports: ${what}`, () => {
    assert.deepEqual(short(resolveExportsMap(exportsValue, subpath, conditions)), expected)
  })
}

const imports = {
  '#config': './src/config.js',
  '#utils/*': './src/utils/*.js',
  '#env': { node: './env-node.js', default: './env.js' },
  '#dep': 'dep-pkg',
  '#dep/*': 'dep-pkg/lib/*.js',
  '#up': '../outside.js',
  '#abs': '/etc/passwd',
  '#url': 'node:fs',
  '#hidden/*': null,
  '#/*': './src/*.js',
}
const importCases = [
  ['an exact key', '#config', ['./src/config.js']],
  ['a pattern', '#utils/a/b', ['./src/utils/a/b.js']],
  ['conditions', '#env', ['./env-node.js']],
  ['a bare target is another package', '#dep', ['pkg:dep-pkg']],
  ['a bare pattern target substitutes the match', '#dep/x', ['pkg:dep-pkg/lib/x.js']],
  ['a target starting with ../ is invalid', '#up', 'ERR_INVALID_PACKAGE_TARGET'],
  ['an absolute target is invalid', '#abs', 'ERR_INVALID_PACKAGE_TARGET'],
  ['a URL target (node:fs too) is invalid', '#url', 'ERR_INVALID_PACKAGE_TARGET'],
  ['a null pattern is not defined', '#hidden/x', 'ERR_PACKAGE_IMPORT_NOT_DEFINED'],
  ['an unknown name is not defined', '#nothing', 'ERR_PACKAGE_IMPORT_NOT_DEFINED'],
  ['a lone # is an invalid specifier', '#', 'ERR_INVALID_MODULE_SPECIFIER'],
  ['#/ names are accepted (Node 24.x and 25+)', '#/a', ['./src/a.js']],
]
for (const [what, spec, expected] of importCases) {
  test(`imports: ${what}`, () => {
    assert.deepEqual(short(resolveImportsMap(imports, spec, REQUIRE)), expected)
  })
}

test('imports: a package without an imports object defines nothing', () => {
  for (const value of [undefined, null, 'x', ['#a'], 42]) assert.equal(resolveImportsMap(value, '#a', REQUIRE).code, 'ERR_PACKAGE_IMPORT_NOT_DEFINED')
})

test('pattern keys sort as PATTERN_KEY_COMPARE says', () => {
  const keys = ['./*', './a/*.js', './a/*', './a/b/*', './abc*', './ab*zzzzzzzz']
  assert.deepEqual([...keys].sort(comparePatternKeys), ['./a/b/*', './abc*', './ab*zzzzzzzz', './a/*.js', './a/*', './*'])
})

test('conditions nested deeper than the bound are refused, not recursed into', () => {
  let deep = './x.js'
  for (let i = 0; i < 100_000; i++) deep = { default: deep }
  assert.equal(resolveExportsMap({ '.': deep }, '.', REQUIRE).code, 'LIMIT')
  let ok = './x.js'
  for (let i = 0; i < MAX_TARGET_DEPTH; i++) ok = { default: ok }
  assert.deepEqual(short(resolveExportsMap({ '.': ok }, '.', REQUIRE)), ['./x.js'])
})

test('a cyclic map (only possible from code, not JSON) ends at the bound', () => {
  const cyclic = { node: {} }
  cyclic.node.default = cyclic
  assert.equal(resolveExportsMap({ '.': cyclic }, '.', REQUIRE).code, 'LIMIT')
  const arr = []
  arr.push(arr)
  assert.equal(resolveExportsMap({ '.': arr }, '.', REQUIRE).code, 'LIMIT')
  assert.equal(listExportTargets({ '.': cyclic }).truncated, true)
})

test('a huge target array is cut at the visit bound', () => {
  const many = Array.from({ length: 200_000 }, () => '../nope.js')
  assert.equal(resolveExportsMap({ '.': many }, '.', REQUIRE).code, 'LIMIT')
})

test('listExportTargets gives every target under every condition, without types, nulls or invalid ones', () => {
  const { entries, truncated } = listExportTargets({
    '.': { types: './index.d.ts', import: './esm.mjs', node: { require: './node.cjs' }, default: ['./a.js', null, '../bad.js'] },
    './feature/*': './src/*.js',
    './hidden/*': null,
    './a/*/b/*': './two-stars/*.js',
  })
  assert.equal(truncated, false)
  assert.deepEqual(entries, [
    { key: '.', target: './esm.mjs' },
    { key: '.', target: './node.cjs' },
    { key: '.', target: './a.js' },
    { key: './feature/*', target: './src/*.js' },
  ])
  assert.deepEqual(listExportTargets('./main.js').entries, [{ key: '.', target: './main.js' }])
  assert.deepEqual(listExportTargets({ '.': './x.js', require: './y.js' }).entries, [])
})

test('any JSON value as exports or imports, any subpath: never throws, always a result', () => {
  fc.assert(fc.property(fc.jsonValue({ maxDepth: 6 }), fc.string(), fc.constantFrom(REQUIRE, IMPORT, BROWSER), (value, sub, conditions) => {
    for (const r of [resolveExportsMap(value, sub.startsWith('.') ? sub : `./${sub}`, conditions), resolveExportsMap(value, '.', conditions), resolveImportsMap(value, `#${sub}`, conditions)]) {
      assert.ok(r.t === 'error' || (r.t === 'targets' && r.targets.length > 0))
      if (r.t === 'targets') for (const t of r.targets) if (t.t === 'path') assert.ok(t.target.startsWith('./') && !t.target.split('/').includes('..'))
    }
    listExportTargets(value)
  }), { numRuns: 2000 })
})
