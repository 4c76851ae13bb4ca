// The module resolver on fixture trees: each case asserts the exact resolution, and (for the node
// platform) that Node's own resolver agrees, or names why it may not.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { dirname, join } from 'node:path'
import { importDist } from '../../helpers/index.mjs'
import { nodeBinaries, nodeResolveAll } from '../../helpers/node-resolve.mjs'
import { BASE, cases, describe, expandSpec, shorten } from './resolve-cases.mjs'

const { ModuleResolver, fsResolverHost } = await importDist('internal.js')

const resolvers = new Map()
function resolverFor(kase, options = {}) {
  const key = `${kase}\0${JSON.stringify(options)}`
  if (!resolvers.has(key)) resolvers.set(key, new ModuleResolver(fsResolverHost(join(BASE, kase)), options))
  return resolvers.get(key)
}
for (const [kase, from, spec, kind, expect, , options] of cases) {
  const where = options?.platform === 'browser' ? ' for the browser' : options?.extraConditions ? ` with ${options.extraConditions.join(', ')}` : ''
  test(`${kind} '${spec}' from ${kase}/${from}${where} resolves to ${describe(expect)}`, () => {
    const root = join(BASE, kase)
    const r = resolverFor(kase, options).resolve(expandSpec(kase, spec), join(root, from), kind)
    assert.deepEqual(shorten(r, fsResolverHost(root).root), expect)
    if (r.t === 'missing') assert.ok(r.reason.length > 10, 'a missing resolution says why')
  })
}

// Node's own resolver on the same trees, each installed major: every node-platform case agrees with it,
// except where Node is stricter (lenient answers, which it must not give) or the row names why it differs.
for (const bin of nodeBinaries()) {
  const version = execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim()
  test(`Node ${version}'s require.resolve and import.meta.resolve agree with every node-platform case`, () => {
    const rows = cases.filter(([, , , , , differs, options]) => !options && !differs)
    const answers = nodeResolveAll(bin, rows.map(([kase, from, spec, kind]) => [expandSpec(kase, spec), join(BASE, kase, from), kind.startsWith('require') ? 'require' : 'import']))
    const problems = []
    rows.forEach(([kase, from, spec, kind, expect], i) => {
      const node = answers[i]
      const ours = expect.file && join(fsResolverHost(join(BASE, kase)).root, expect.file)
      let ok
      if (expect.file) ok = expect.lenient ? node.path !== ours : node.path === ours
      else if (expect.builtin) ok = expect.lenient ? node.builtin === undefined : node.builtin === expect.builtin.replace(/^node:/, '')
      else if (expect.url) ok = node.url === expect.url
      else ok = node.error !== undefined
      if (!ok) problems.push(`${kind} '${spec}' from ${kase}/${from}: ours ${describe(expect)}, Node ${JSON.stringify(node)}`)
    })
    assert.deepEqual(problems, [])
    assert.ok(rows.length > 120, `compared ${rows.length} cases`)
  })
}

/** Whether esbuild bundles `spec` from `importer` as a module disabled by a `browser: false` (its resolve API does not say). */
async function isDisabled(esbuild, spec, importer, kind) {
  const call = kind.startsWith('require') ? `require(${JSON.stringify(spec)})` : `import ${JSON.stringify(spec)}`
  const r = await esbuild.build({ stdin: { contents: call, resolveDir: dirname(importer), sourcefile: importer }, write: false, bundle: true, platform: 'browser', logLevel: 'silent', metafile: true })
  return Object.keys(r.metafile.inputs).some((k) => k.startsWith('(disabled):'))
}

// esbuild (the bundler this project uses) on the browser-platform cases: a bundler resolves them the same.
test("esbuild's resolver agrees with every browser-platform case", async () => {
  const esbuild = await import('esbuild')
  const rows = cases.filter(([, , , , , differs, options]) => options?.platform === 'browser' && !differs)
  const KIND = { require: 'require-call', 'require-resolve': 'require-resolve', import: 'import-statement', 'dynamic-import': 'dynamic-import' }
  const problems = []
  await esbuild.build({
    stdin: { contents: '' }, write: false, bundle: true, platform: 'browser', logLevel: 'silent',
    plugins: [{ name: 'resolve-cases', setup(build) {
      build.onStart(async () => {
        for (const [kase, from, spec, kind, expect] of rows) {
          const importer = join(BASE, kase, from)
          const r = await build.resolve(expandSpec(kase, spec), { kind: KIND[kind], importer, resolveDir: dirname(importer) })
          const root = fsResolverHost(join(BASE, kase)).root
          const ok = expect.file ? r.path === join(root, expect.file) : expect.empty ? await isDisabled(esbuild, expandSpec(kase, spec), importer, kind) : r.errors.length > 0
          if (!ok) problems.push(`${kind} '${spec}' from ${kase}/${from}: ours ${describe(expect)}, esbuild ${r.path || r.errors[0]?.text}`)
        }
      })
    } }],
  })
  assert.deepEqual(problems, [])
  assert.ok(rows.length >= 20, `compared ${rows.length} cases`)
})

test('answers each directory, specifier and kind once (the memo), and reads each package.json once', () => {
  const resolver = new ModuleResolver(fsResolverHost(join(BASE, 'node-modules')))
  const from = join(BASE, 'node-modules', 'src', 'index.js')
  const first = resolver.resolve('dep', from, 'require')
  const again = resolver.resolve('dep', join(BASE, 'node-modules', 'src', 'other.js'), 'require-resolve')
  assert.equal(again, first)
  resolver.resolve('dep', from, 'import')
  assert.deepEqual(resolver.stats, { resolutions: 3, memoHits: 1, packageJsonReads: resolver.stats.packageJsonReads })
  const reads = resolver.stats.packageJsonReads
  resolver.resolve('dep/lib/extra', from, 'require')
  assert.equal(resolver.stats.packageJsonReads, reads, 'the second lookup in the same package reads no package.json')
})

test('an importer outside the root resolves nothing', () => {
  const resolver = resolverFor('relative')
  assert.equal(resolver.resolve('./lib/a', '/etc/x.js', 'require').code, 'OUTSIDE_ROOT')
})

test('a malformed specifier is missing, never a throw', () => {
  const resolver = resolverFor('relative')
  const from = join(BASE, 'relative', 'main.js')
  for (const spec of ['', 'a\0b', './x\0', 'x'.repeat(5000), '@', '@/', '%41', 'pkg\\sub', undefined, 42]) {
    const r = resolver.resolve(spec, from, 'require')
    assert.equal(r.t, 'missing', String(spec).slice(0, 20))
  }
})
