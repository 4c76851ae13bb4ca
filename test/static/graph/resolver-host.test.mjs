// The resolver's hosts (real file system, collected-file index) and package entry points: the index host
// answers every resolver case exactly as the disk does, links never lead out of the root, and hostile
// package.json files are refused without a throw.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { lstatSync, mkdtempSync, readdirSync, realpathSync, rmSync, writeFileSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, sep } from 'node:path'
import fc from 'fast-check'
import { importDist } from '../../helpers/index.mjs'
import { BASE, cases, expandSpec, shorten } from './resolve-cases.mjs'

const { ModuleResolver, fsResolverHost, indexResolverHost, readPackageJsonFile, parsePackageJson } = await importDist('internal.js')

/** What the scan's collect step knows of a tree: its regular files (links not followed) and its links inside the root. */
function collectIndex(root) {
  const files = new Set()
  const links = new Map()
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name)
      if (e.isSymbolicLink()) {
        let target
        try { target = realpathSync(p) } catch { continue }
        if (target.startsWith(root + sep)) links.set(p, target)
      } else if (e.isDirectory()) walk(p)
      else if (e.isFile()) files.add(p)
    }
  }
  walk(root)
  return { files, links }
}

const indexHostFor = (kase) => {
  const root = realpathSync(join(BASE, kase))
  const { files, links } = collectIndex(root)
  return indexResolverHost(root, files, (dir) => readPackageJsonFile(dir), { links })
}

test('the index host answers every resolver case exactly as the file system host does', () => {
  const resolvers = new Map()
  const differences = []
  for (const [kase, from, spec, kind, expect, , options] of cases) {
    const key = `${kase}\0${JSON.stringify(options)}`
    if (!resolvers.has(key)) resolvers.set(key, new ModuleResolver(indexHostFor(kase), options))
    const resolver = resolvers.get(key)
    const got = shorten(resolver.resolve(expandSpec(kase, spec), join(resolver.host?.root ?? realpathSync(join(BASE, kase)), from), kind), realpathSync(join(BASE, kase)))
    // A link out of the root is not in the index at all: it is simply not there (not OUTSIDE_ROOT).
    const want = expect.missing === 'OUTSIDE_ROOT' && kase === 'symlinks' ? { missing: 'MODULE_NOT_FOUND' } : expect
    if (JSON.stringify(got) !== JSON.stringify(want)) differences.push(`${kind} '${spec}' from ${kase}/${from}: ${JSON.stringify(got)} != ${JSON.stringify(want)}`)
  }
  assert.deepEqual(differences, [])
})

test('the index host resolves through pnpm links without touching the disk for files', () => {
  const root = realpathSync(join(BASE, 'symlinks'))
  const host = indexHostFor('symlinks')
  assert.equal(host.isDirectory(join(root, 'node_modules/foo')), true)
  assert.equal(host.isFile(join(root, 'node_modules/foo/index.js')), true)
  assert.equal(host.realpath(join(root, 'node_modules/foo/index.js')), join(root, 'node_modules/.pnpm/foo@1.0.0/node_modules/foo/index.js'))
  assert.equal(host.isDirectory(join(root, 'node_modules/@scope')), true, 'a folder holding only links is a folder')
  assert.equal(host.isFile(join(root, 'node_modules/escapee/index.js')), false)
  assert.equal(host.realpath('/etc/passwd'), undefined)
})

test('the index host ends a link loop', () => {
  const host = indexResolverHost('/r', new Set(['/r/a.js']), () => undefined, { links: new Map([['/r/x', '/r/y'], ['/r/y', '/r/x']]) })
  assert.equal(host.isFile('/r/x/a.js'), false)
  assert.equal(host.isFile('/r/a.js'), true)
})

test('the file system host refuses links that leave the root or loop, and says so', () => {
  const root = realpathSync(join(BASE, 'symlinks'))
  const host = fsResolverHost(root)
  assert.equal(host.isDirectory(join(root, 'node_modules/escapee')), false)
  assert.equal(host.readPackageJson(join(root, 'node_modules/escapee')), undefined, 'no package.json read through a link out of the root')
  assert.equal(host.leavesRoot(join(root, 'node_modules/escapee')), true)
  assert.equal(host.leavesRoot(join(root, 'src/loop-a')), true)
  assert.equal(host.leavesRoot(join(root, 'src/index.js')), false)
  assert.equal(host.leavesRoot(join(root, 'src/absent.js')), false)
  assert.equal(host.isFile('/etc/passwd'), false)
  assert.equal(host.realpath(join(root, 'node_modules/foo')), join(root, 'node_modules/.pnpm/foo@1.0.0/node_modules/foo'))
})

test('paths with . or .. segments are normalised before the root check, in both hosts', () => {
  const root = realpathSync(join(BASE, 'relative'))
  for (const host of [fsResolverHost(root), indexHostFor('relative')]) {
    assert.equal(host.isFile(`${root}/lib/../lib/./a.js`), true)
    assert.equal(host.realpath(`${root}/lib/../lib/./a.js`), join(root, 'lib/a.js'))
    assert.equal(host.isFile(`${root}/../../../../../../../../etc/passwd`), false)
    assert.equal(host.isDirectory(`${root}/lib/..`), true)
    assert.equal(host.isDirectory(`${root}/..`), false)
    assert.equal(host.readPackageJson(`${root}/lib/..`).name, 'relative-app')
  }
})

test('filesUnder lists a package\'s files, sorted, without entering node_modules', () => {
  const root = realpathSync(join(BASE, 'entries'))
  const dir = join(root, 'node_modules/with-exports')
  const expected = ['cjs.js', 'esm.mjs', 'index.d.ts', 'legacy.js', 'lib/a.js', 'lib/b/c.js', 'lib/hidden/h.js', 'package.json'].map((f) => join(dir, f))
  assert.deepEqual([...fsResolverHost(root).filesUnder(dir)], expected)
  assert.deepEqual([...indexHostFor('entries').filesUnder(dir)], expected)
})

test('package.json that is too big, not JSON, not an object or nested to exhaust the parser is undefined', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'nph-resolve-'))
  try {
    const put = (name, text) => { mkdirSync(join(tmp, name)); writeFileSync(join(tmp, name, 'package.json'), text); return join(tmp, name) }
    assert.deepEqual(readPackageJsonFile(put('ok', '\ufeff{"name":"ok"}')), { name: 'ok' })
    assert.equal(readPackageJsonFile(put('invalid', '{"name":')), undefined)
    assert.equal(readPackageJsonFile(put('array', '[1]')), undefined)
    assert.equal(readPackageJsonFile(put('null', 'null')), undefined)
    assert.equal(readPackageJsonFile(put('deep', '['.repeat(2_000_000) + ']'.repeat(2_000_000))), undefined)
    assert.equal(readPackageJsonFile(put('big', JSON.stringify({ name: 'big', pad: 'x'.repeat(5 * 1024 * 1024) }))), undefined)
    assert.equal(readPackageJsonFile(join(tmp, 'absent')), undefined)
    mkdirSync(join(tmp, 'dir-not-file', 'package.json'), { recursive: true })
    assert.equal(readPackageJsonFile(join(tmp, 'dir-not-file')), undefined)
  } finally {
    rmSync(tmp, { recursive: true, force: true })
  }
  assert.equal(parsePackageJson('{"a":1}').a, 1)
})

test('a package.json over the host\'s size limit makes the package an invalid config, with the index file as fallback', () => {
  const root = realpathSync(join(BASE, 'hostile'))
  const r = new ModuleResolver(fsResolverHost(root, { maxPackageJsonBytes: 1024 })).resolve('big', join(root, 'src/index.js'), 'require')
  assert.deepEqual(shorten(r, root), { missing: 'ERR_INVALID_PACKAGE_CONFIG', fallback: 'node_modules/big/index.js' })
  const normal = new ModuleResolver(fsResolverHost(root)).resolve('big', join(root, 'src/index.js'), 'require')
  assert.deepEqual(shorten(normal, root), { file: 'node_modules/big/index.js', via: 'main' })
})

test('a huge exports array in a real package.json is refused at the bound, quickly', () => {
  const tmp = realpathSync(mkdtempSync(join(tmpdir(), 'nph-resolve-')))
  try {
    mkdirSync(join(tmp, 'node_modules/many'), { recursive: true })
    writeFileSync(join(tmp, 'node_modules/many/package.json'), JSON.stringify({ name: 'many', exports: { '.': Array.from({ length: 100_000 }, (_, i) => `../x${i}.js`) } }))
    writeFileSync(join(tmp, 'node_modules/many/index.js'), '')
    writeFileSync(join(tmp, 'app.js'), '')
    const started = performance.now()
    const r = new ModuleResolver(fsResolverHost(tmp)).resolve('many', join(tmp, 'app.js'), 'require')
    assert.deepEqual(shorten(r, tmp), { missing: 'LIMIT', fallback: 'node_modules/many/index.js' })
    assert.ok(performance.now() - started < 2000)
  } finally {
    rmSync(tmp, { recursive: true, force: true })
  }
})

// [package, entries as [path relative to the package, via, key?]]
const entryCases = [
  ['fields', [['lib/index.js', 'main'], ['esm/index.mjs', 'module'], ['browser.js', 'browser'], ['cli/a.js', 'bin', 'fields-a'], ['cli/b', 'bin', 'fields-b']]],
  ['string-bin', [['index.js', 'index'], ['run.js', 'bin', 'string-bin']]],
  ['no-main', [['index.js', 'index']]],
  ['with-exports', [['legacy.js', 'main'], ['esm.mjs', 'exports', '.'], ['cjs.js', 'exports', '.'], ['lib/a.js', 'exports', './a.js'], ['lib/b/c.js', 'exports', './b/c.js']]],
  ['patterns', [['src/features/a.js', 'exports', './features/a.js'], ['src/features/deep/b.js', 'exports', './features/deep/b.js'], ['src/special/s.js', 'exports', './features/special/s.js'], ['src/utils/u.js', 'exports', './utils/u'], ['two/Qzzzzzzzz.js', 'exports', './abcQzzzzzzzz'], ['lib/sub/y.js', 'exports', './star-only/sub/y.js'], ['lib/x.js', 'exports', './star-only/x.js']], 'exports'],
]
for (const [pkg, expected, kase = 'entries'] of entryCases) {
  test(`the entry points of ${kase}/node_modules/${pkg} are main, module, browser, every exports target that exists and bin`, () => {
    const root = realpathSync(join(BASE, kase))
    const dir = join(root, 'node_modules', pkg)
    const want = expected.map(([p, via, key]) => (key === undefined ? { path: join(dir, p), via } : { path: join(dir, p), via, key }))
    for (const host of [fsResolverHost(root), indexHostFor(kase)]) {
      const resolver = new ModuleResolver(host)
      assert.deepEqual(resolver.packageEntryPoints(dir), want)
      assert.deepEqual(resolver.packageEntries(dir), want.map((e) => e.path))
    }
  })
}

test('entry points of a package reached through a pnpm link are its real files; a package outside the root has none', () => {
  const root = realpathSync(join(BASE, 'symlinks'))
  const resolver = new ModuleResolver(fsResolverHost(root))
  assert.deepEqual(resolver.packageEntries(join(root, 'node_modules/foo')), [join(root, 'node_modules/.pnpm/foo@1.0.0/node_modules/foo/index.js')])
  assert.deepEqual(resolver.packageEntries(join(root, 'node_modules/escapee')), [])
  assert.deepEqual(resolver.packageEntries('/usr/lib'), [])
})

test('any specifier from any fixture file: never throws, never answers outside the root', () => {
  const kases = ['relative', 'node-modules', 'exports', 'imports', 'browser', 'symlinks', 'hostile']
  const resolvers = kases.flatMap((k) => ['node', 'browser'].map((platform) => [k, new ModuleResolver(fsResolverHost(join(BASE, k)), { platform })]))
  const fragments = ['./', '../', '/', '#', '@', 'node:', 'file:///', 'data:', '%2e', '%2f', '..', '.', '*', 'node_modules', 'dep', 'cond', 'patterns', 'arrays', 'lib', 'src', 'index', '.js', '\\', '?', '\0', 'foo', 'bar', 'escapee', 'fs', 'loop-a']
  const spec = fc.array(fc.oneof(fc.constantFrom(...fragments), fc.string({ maxLength: 4 })), { maxLength: 8 }).map((parts) => parts.join(''))
  fc.assert(fc.property(fc.constantFrom(...resolvers), spec, fc.constantFrom('require', 'import', 'dynamic-import', 'require-resolve'), ([kase, resolver], s, kind) => {
    const root = realpathSync(join(BASE, kase))
    const r = resolver.resolve(s, join(root, 'src', 'index.js'), kind)
    assert.ok(['file', 'builtin', 'empty', 'url', 'missing'].includes(r.t))
    if (r.t === 'file') assert.ok(r.path.startsWith(root + sep) && lstatSync(r.path).isFile(), r.path)
    if (r.t === 'missing') {
      assert.ok(typeof r.code === 'string' && r.reason)
      if (r.fallback) assert.ok(r.fallback.startsWith(root + sep))
    }
  }), { numRuns: 3000 })
})
