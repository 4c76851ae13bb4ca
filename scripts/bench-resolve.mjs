// Measures the static module resolver on a real installed tree and cross-checks it with Node's own
// resolver: `node scripts/bench-resolve.mjs DIR [--node BIN]… [--esbuild]` (run `npm run build` first). DIR is, say,
// a temp folder where `npm i express fastify pg @sentry/node --ignore-scripts` ran. Specifiers are taken
// from every .js/.cjs/.mjs file with a regex (comments and strings included: both resolvers see the same
// input); nothing is executed — Node only resolves (createRequire().resolve, import.meta.resolve).
import { readdirSync, readFileSync, realpathSync } from 'node:fs'
import { dirname, extname, join, relative } from 'node:path'
import { importDist } from '../test/helpers/index.mjs'
import { nodeResolveAll } from '../test/helpers/node-resolve.mjs'

const args = process.argv.slice(2)
const dir = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--node')
if (!dir) {
  console.error('usage: node scripts/bench-resolve.mjs DIR [--node /path/to/node]…')
  process.exit(2)
}
const nodes = args.flatMap((a, i) => (args[i - 1] === '--node' ? [a] : []))
if (!nodes.length) nodes.push(process.execPath)
const root = realpathSync(dir)
const { ModuleResolver, fsResolverHost, indexResolverHost, readPackageJsonFile } = await importDist('internal.js')

// Every JS file, where it really is (links are not followed: the scan collects files in place), and the
// links inside the root (a pnpm tree's node_modules/x), which the index host needs.
const files = []
const allFiles = new Set()
const links = new Map()
const walk = (d) => {
  for (const e of readdirSync(d, { withFileTypes: true })) {
    const p = join(d, e.name)
    if (e.isSymbolicLink()) {
      try { const t = realpathSync(p); if (t.startsWith(root + '/')) links.set(p, t) } catch { /* dangling or a loop */ }
    } else if (e.isDirectory()) walk(p)
    else if (e.isFile()) {
      allFiles.add(p)
      if (['.js', '.cjs', '.mjs'].includes(extname(e.name))) files.push(p)
    }
  }
}
walk(root)

const PATTERNS = [
  [/\brequire\.resolve\(\s*(['"])([^'"\n]+)\1/g, 'require-resolve'],
  [/(?<![.\w$])require\(\s*(['"])([^'"\n]+)\1\s*\)/g, 'require'],
  [/(?<![.\w$])import\(\s*(['"])([^'"\n]+)\1\s*[,)]/g, 'dynamic-import'],
  [/(?:^|[;\n}])\s*(?:import|export)\s[^'";]*?\bfrom\s*(['"])([^'"\n]+)\1/g, 'import'],
  [/(?:^|[;\n])\s*import\s*(['"])([^'"\n]+)\1/g, 'import'],
]
const requests = []
for (const file of files) {
  const text = readFileSync(file, 'utf8')
  for (const [re, kind] of PATTERNS) for (const m of text.matchAll(re)) requests.push([m[2], file, kind])
}

// Each configuration runs ROUNDS times with fresh caches; the median CPU time is reported (CPU rather than
// wall time: a shared machine's load would otherwise decide the figure).
const ROUNDS = 5
function run(makeResolver) {
  const rounds = []
  for (let i = 0; i < ROUNDS; i++) {
    const resolver = makeResolver()
    const cpu = process.cpuUsage()
    const wall = performance.now()
    const results = requests.map(([spec, file, kind]) => resolver.resolve(spec, file, kind))
    const used = process.cpuUsage(cpu)
    rounds.push({ resolver, results, ms: (used.user + used.system) / 1000, wallMs: performance.now() - wall })
  }
  return rounds.sort((a, b) => a.ms - b.ms)[ROUNDS >> 1]
}
const fmt = (n) => Math.round(n).toLocaleString('en')
const cold = run(() => new ModuleResolver(fsResolverHost(root)))
const coldIndex = run(() => new ModuleResolver(indexResolverHost(root, allFiles, (d) => readPackageJsonFile(d), { links })))
const indexDiffers = cold.results.filter((r, i) => JSON.stringify(r) !== JSON.stringify(coldIndex.results[i])).length
const byKind = {}
for (const [, , kind] of requests) byKind[kind] = (byKind[kind] ?? 0) + 1
const byResult = {}
for (const r of cold.results) { const k = r.t === 'missing' ? `missing ${r.code}` : r.t === 'file' && r.lenient ? 'file (lenient)' : r.t; byResult[k] = (byResult[k] ?? 0) + 1 }

console.log(`tree: ${root}: ${fmt(files.length)} JS files, ${fmt(links.size)} links, ${fmt(requests.length)} specifiers (${Object.entries(byKind).map(([k, n]) => `${k} ${fmt(n)}`).join(', ')})`)
console.log(`answers: ${Object.entries(byResult).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${fmt(n)}`).join(', ')}`)
for (const [name, r] of [['fs host', cold], ['index host', coldIndex]]) {
  const s = r.resolver.stats
  console.log(`${name}: ${fmt(requests.length / (r.ms / 1000))} resolutions per CPU second (median of ${ROUNDS}: ${r.ms.toFixed(0)} ms CPU, ${r.wallMs.toFixed(0)} ms wall, cold caches); memo hits ${fmt(s.memoHits)}/${fmt(s.resolutions)} = ${((100 * s.memoHits) / s.resolutions).toFixed(1)}%; package.json reads ${fmt(s.packageJsonReads)}`)
}
console.log(`index host answers that differ from the fs host's: ${fmt(indexDiffers)}`)
const warm = process.cpuUsage()
for (const [spec, file, kind] of requests) cold.resolver.resolve(spec, file, kind)
const warmUsed = process.cpuUsage(warm)
console.log(`warm (every answer memoised): ${fmt(requests.length / ((warmUsed.user + warmUsed.system) / 1e6))} resolutions per CPU second`)
console.log(`load average while measuring: ${(await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ')} on ${(await import('node:os')).availableParallelism()} cores`)

// --- cross-check with Node ---
const rel = (p) => relative(root, p)
for (const bin of nodes) {
  const node = nodeResolveAll(bin, requests.map(([spec, file, kind]) => [spec, file, kind.startsWith('require') ? 'require' : 'import']))
  const classes = new Map()
  const note = (cls, i) => {
    const c = classes.get(cls) ?? { n: 0, examples: [] }
    c.n++
    if (c.examples.length < 3) {
      const [spec, file, kind] = requests[i]
      const ours = cold.results[i]
      c.examples.push(`${kind} '${spec}' in ${rel(file)}: ours ${ours.t === 'file' ? rel(ours.path) : ours.t === 'missing' ? ours.code : ours.t === 'builtin' ? ours.name : ours.t}, Node ${node[i].path ? rel(node[i].path) : node[i].builtin ?? node[i].url ?? node[i].error}`)
    }
    classes.set(cls, c)
  }
  node.forEach((n, i) => {
    const ours = cold.results[i]
    const esm = !requests[i][2].startsWith('require')
    if (ours.t === 'file' && n.path === ours.path) note(ours.lenient ? 'DISAGREE: lenient file, yet Node takes it too' : 'agree: same file', i)
    else if (ours.t === 'builtin' && n.builtin === ours.name.replace(/^node:/, '')) note('agree: same builtin', i)
    else if (ours.t === 'url' && n.url === ours.url) note('agree: same URL', i)
    else if (ours.t === 'missing' && n.error) note('agree: both unresolvable', i)
    else if (ours.t === 'file' && ours.lenient && n.error) note(`expected: lenient (${esm ? 'ESM' : 'CJS'}), Node fails: ${ours.lenient}`, i)
    else if (ours.t === 'builtin' && ours.lenient && n.error) note(`expected: lenient builtin, Node fails`, i)
    else if (ours.t === 'builtin' && ours.name.startsWith('node:') && n.error) note('expected: a builtin of a newer Node than this one', i)
    else if (ours.t === 'missing' && ours.code === 'OUTSIDE_ROOT' && n.path && !n.path.startsWith(root + '/')) note('expected: Node leaves the root', i)
    else note(`DISAGREE: ours ${ours.t}${ours.code ? ` ${ours.code}` : ''}, Node ${n.path ? 'file' : n.builtin ? 'builtin' : n.url ? 'url' : n.error}`, i)
  })
  const version = (await import('node:child_process')).execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim()
  const agree = [...classes].filter(([k]) => !k.startsWith('DISAGREE')).reduce((a, [, c]) => a + c.n, 0)
  console.log(`\nNode ${version}: ${fmt(agree)}/${fmt(requests.length)} agree or differ as designed`)
  for (const [cls, c] of [...classes].sort((a, b) => b[1].n - a[1].n)) {
    console.log(`  ${fmt(c.n).padStart(6)}  ${cls}`)
    if (!cls.startsWith('agree')) for (const e of c.examples) console.log(`            e.g. ${e}`)
  }
}

// --- browser platform: esbuild's own resolver (bundling for the browser) on the same specifiers ---
if (args.includes('--esbuild')) {
  const esbuild = await import('esbuild')
  const browser = new ModuleResolver(fsResolverHost(root), { platform: 'browser' })
  const ours = requests.map(([spec, file, kind]) => browser.resolve(spec, file, kind))
  const KIND = { require: 'require-call', 'require-resolve': 'require-resolve', import: 'import-statement', 'dynamic-import': 'dynamic-import' }
  let theirs
  await esbuild.build({
    stdin: { contents: '' }, write: false, bundle: true, platform: 'browser', logLevel: 'silent',
    plugins: [{ name: 'resolve-all', setup(build) {
      build.onStart(async () => {
        theirs = []
        for (const [spec, file, kind] of requests) {
          const r = await build.resolve(spec, { kind: KIND[kind], importer: file, resolveDir: dirname(file) })
          theirs.push(r.errors.length ? { error: r.errors[0].text } : r.external ? { external: r.path } : { path: r.path })
        }
      })
    } }],
  })
  // esbuild's resolve API does not say a module is disabled by `browser: false`; a bundle's metafile does.
  for (const [i, o] of ours.entries()) {
    if (o.t !== 'empty') continue
    const [spec, file, kind] = requests[i]
    const call = kind.startsWith('require') ? `require(${JSON.stringify(spec)})` : `import ${JSON.stringify(spec)}`
    const r = await esbuild.build({ stdin: { contents: call, resolveDir: dirname(file), sourcefile: file }, write: false, bundle: true, platform: 'browser', logLevel: 'silent', metafile: true }).catch(() => undefined)
    theirs[i].disabled = !!r && Object.keys(r.metafile.inputs).some((k) => k.startsWith('(disabled):'))
  }
  const classes = new Map()
  const note = (cls, i) => {
    const c = classes.get(cls) ?? { n: 0, examples: [] }
    c.n++
    if (c.examples.length < 3) {
      const [spec, file, kind] = requests[i]
      const o = ours[i]
      c.examples.push(`${kind} '${spec}' in ${rel(file)}: ours ${o.t === 'file' ? rel(o.path) : o.t === 'missing' ? o.code : o.t === 'builtin' ? o.name : o.t}, esbuild ${theirs[i].path ? rel(theirs[i].path) : theirs[i].error ?? theirs[i].external}`)
    }
    classes.set(cls, c)
  }
  theirs.forEach((t, i) => {
    const o = ours[i]
    if (o.t === 'file' && t.path === o.path) note('agree: same file', i)
    else if ((o.t === 'missing' || o.t === 'builtin') && t.error) note(`agree: both unresolvable (ours ${o.t === 'builtin' ? 'a Node builtin' : o.code})`, i)
    else if (o.t === 'empty' && t.disabled) note('agree: both empty (browser: false)', i)
    else if (o.t === 'url' && (t.error || t.external)) note('agree: a URL, not a file', i)
    else if (o.t === 'file' && t.error && /\.(node|cjs|mjs)$/.test(o.path) && o.via === 'extension') note('expected: ours probes .node/.cjs/.mjs, esbuild\'s default extensions do not', i)
    else note(`DISAGREE: ours ${o.t}${o.code ? ` ${o.code}` : ''}, esbuild ${t.path ? 'file' : t.error ? 'error' : 'external'}`, i)
  })
  const agree = [...classes].filter(([k]) => !k.startsWith('DISAGREE')).reduce((a, [, c]) => a + c.n, 0)
  console.log(`\nesbuild ${esbuild.version} (platform browser): ${fmt(agree)}/${fmt(requests.length)} agree, differ as designed or cannot be compared`)
  for (const [cls, c] of [...classes].sort((a, b) => b[1].n - a[1].n)) {
    console.log(`  ${fmt(c.n).padStart(6)}  ${cls}`)
    if (!cls.startsWith('agree')) for (const e of c.examples) console.log(`            e.g. ${e}`)
  }
}

