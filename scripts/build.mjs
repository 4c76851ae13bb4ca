// Builds the CLI, the library, the test helper, the runtime guard and the scan worker into dist/.
import { build } from 'esbuild'
import { rmSync, readFileSync, existsSync, readdirSync, statSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { join } from 'node:path'
import { ruleDocsBase } from './rule-docs-base.mjs'

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
// NPH_DIST lets parallel work build into its own folder; CI and users get dist/.
const outdir = process.env.NPH_DIST || 'dist'
rmSync(outdir, { recursive: true, force: true })

// The analysis cache is keyed by this: any change to the static lens or signatures starts a fresh cache.
function hashTree(dirs) {
  const h = createHash('sha256')
  const walk = (d) => {
    if (!existsSync(d)) return
    if (!statSync(d).isDirectory()) { h.update(d); h.update(readFileSync(d)); return }
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(d, e.name)
      if (e.isDirectory()) walk(p)
      else { h.update(p); h.update(readFileSync(p)) }
    }
  }
  dirs.forEach(walk)
  return h.digest('hex').slice(0, 16)
}
const analysisId = hashTree(['src/static', 'src/signatures', 'src/report/finding.ts'])

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20.18',
  sourcemap: 'linked',
  logLevel: 'warning',
  // Runtime dependencies stay external (installed by npm next to us). TypeBox is a devDependency and is
  // inlined: its ES build is ~250 small files, and opening them was a third of the CLI's start-up.
  external: Object.keys(pkg.dependencies ?? {}),
  define: {
    __NOPHONEHOME_VERSION__: JSON.stringify(pkg.version),
    __NOPHONEHOME_ANALYSIS_ID__: JSON.stringify(analysisId),
    __NOPHONEHOME_RULE_DOCS__: JSON.stringify(ruleDocsBase(pkg) ?? ''),
  },
}

const esmEntries = ['cli', 'index', 'test', 'internal'].filter((e) =>
  existsSync(new URL(`../src/${e}.ts`, import.meta.url)),
)
await build({
  ...common,
  entryPoints: esmEntries.map((e) => ({ in: `src/${e}.ts`, out: e })),
  outdir,
  format: 'esm',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  banner: {
    // Some CommonJS-only dependencies call require(); give ESM chunks one.
    js: "import { createRequire as __nphCreateRequire } from 'node:module'; const require = __nphCreateRequire(import.meta.url);",
  },
})

// Started on every scan (the analysis worker) and every `run` (the sandbox's supervisor): CommonJS, which
// Node starts sooner than an ES module graph of shared chunks (worker: 59-82 ms to its first reply instead of
// 83-105 ms; supervisor: ~10 ms). The supervisor uses Node builtins only.
const cjsEntries = { 'static/worker': 'src/static/analysis/worker.ts', 'runtime/supervisor': 'src/runtime/supervisor.ts' }
for (const [out, src] of Object.entries(cjsEntries)) if (!existsSync(new URL(`../${src}`, import.meta.url))) delete cjsEntries[out]
if (Object.keys(cjsEntries).length) {
  await build({
    ...common,
    entryPoints: cjsEntries,
    outdir,
    format: 'cjs',
    outExtension: { '.js': '.cjs' },
  })
}

// The guard is preloaded with --require into untrusted apps: CommonJS, self-contained, no deps.
if (existsSync(new URL('../src/runtime/guard/index.ts', import.meta.url))) {
  await build({
    ...common,
    external: [],
    entryPoints: { 'runtime/guard': 'src/runtime/guard/index.ts' },
    outdir,
    format: 'cjs',
    // .cjs: package.json says "type": "module", so a .js file here would be loaded as ESM and fail under --require.
    outExtension: { '.js': '.cjs' },
    sourcemap: false,
  })
}
