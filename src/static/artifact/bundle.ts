// Bundling mode: esbuild bundles a project from its entry points in memory; the bundle that would ship
// is analysed, and every finding is mapped back to its original file and package through the source map.
//
// Only code that ships is reported: tree-shaken modules are not in the bundle. What esbuild cannot
// bundle is reported instead of failing: unresolved imports (`unresolved-import`), computed requires and
// imports, externals and native addons (`opaque-code`). Real bundle errors (syntax) → BundleFailedError.
import { readFileSync, statSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { isBuiltin } from 'node:module'
import { extname, join, relative, resolve, sep } from 'node:path'
import type { BuildFailure, BuildOptions, Loader, Message, Metafile, Plugin } from 'esbuild'
import { generatedPositionFor, LEAST_UPPER_BOUND } from '@jridgewell/trace-mapping'
import type { Finding, NotAnalysed, SourcePosition } from '../../report/finding.ts'
import { BundleFailedError, UsageError } from '../../errors.ts'
import { ANALYSIS_ID } from '../../version.ts'
import { AnalysisCache, defaultCacheDir } from '../analysis/cache.ts'
import { lineStarts, locate, positionOf, snippetAt, type FileResult, type LocatedFinding } from '../analysis/file-result.ts'
import { PackageOrigins } from '../attribution/lockfile.ts'
import { PackageIndex, type PackageInfo } from '../attribution/packages.ts'
import { runPool, type PoolJob } from '../analysis/pool.ts'
import { registerRule } from '../detectors/rules.ts'
import { displayPathOf, loadSourceMap, originalPositionOf, type LoadedSourceMap } from '../attribution/sourcemap.ts'
import { DEFAULT_LIMITS, type ScanOptions, type StaticResult } from '../options.ts'
import { finding } from '../attribution/attribute.ts'
import type { BuildInputs, BuildRecord } from './build-inputs.ts'
import { blankDeadBranches } from './dead-branches.ts'

export type { BundlePlatform } from '../options.ts'
import type { BundlePlatform } from '../options.ts'

registerRule({
  id: 'unresolved-import',
  severity: 'review',
  description: 'Import the bundler could not resolve',
  help: 'esbuild could not find this module from the importing file, so it is not in the bundle and its code was not analysed. At run time it may resolve to something else entirely. Install the dependency (npm ci) before scanning, or check why the import points nowhere.',
})

/** Name of an entry's bundle in reports: `<bundle:src/server.ts>` (not a file on disk). */
export function bundleNameOf(entry: string): string {
  return `<bundle:${entry}>`
}

export interface BundleOptions {
  /** Entry points, relative to the project (or absolute inside it). */
  entries: string[]
  platform?: BundlePlatform
  /** Module names (esbuild patterns, `*` allowed) left out of the bundle on purpose. */
  external?: string[]
  /** The vendor's build inputs that pick the edition (define, dropLabels, conditions, …: see build-inputs.ts). */
  build?: BuildInputs
  /** The vendor's options file these came from, for the report. */
  buildOptionsFile?: BuildRecord['optionsFile']
}

export interface BundleOutput {
  /** Entry as given, `/`-separated, relative to the project. */
  entry: string
  name: string
  code: string
  map: LoadedSourceMap
  /** Absolute paths of the inputs that went into this bundle. */
  inputs: Set<string>
}

/** Something esbuild could not put into the bundle, located in the importing file. */
export interface BundleIssue {
  rule: 'unresolved-import' | 'opaque-code'
  message: string
  api: string
  specifier: string
  /** Absolute path of the importer. */
  importer: string
  line: number
  column: number
}

export interface BundleResult {
  outputs: BundleOutput[]
  issues: BundleIssue[]
  metafile: Metafile
  /** Size of every input file in the bundle graph. */
  inputBytes: number
}

// Assets a browser app imports are not code: bundle them as nothing instead of failing.
const ASSET_LOADERS: Record<string, Loader> = Object.fromEntries(
  ['.png', '.jpg', '.jpeg', '.gif', '.svg', '.webp', '.avif', '.ico', '.bmp', '.woff', '.woff2', '.ttf', '.eot', '.otf', '.mp3', '.mp4', '.webm', '.wav', '.ogg', '.txt', '.md', '.html', '.htm'].map((e) => [e, 'empty' as Loader]),
)
const OUT_DIR_NAME = '.nophonehome-bundle'
const INNER = 'nophonehome-inner'

/**
 * Bundles each entry (one esbuild build, one output per entry) in memory: ESM, not minified, external
 * source maps with sources content, metafile. Never writes to disk.
 */
export async function bundleProject(projectDir: string, options: BundleOptions): Promise<BundleResult> {
  const project = resolve(projectDir)
  const entries = options.entries.map((e) => checkEntry(project, e))
  const platform = options.platform ?? 'node'
  const outdir = join(project, OUT_DIR_NAME)
  const issues: BundleIssue[] = []
  const seen = new Set<string>()
  const texts = new Map<string, string | undefined>()
  const addIssue = (issue: Omit<BundleIssue, 'line' | 'column'> & { line?: number; column?: number }) => {
    const key = `${issue.rule}\0${issue.specifier}\0${issue.importer}\0${issue.line ?? ''}`
    if (seen.has(key)) return
    seen.add(key)
    const at = issue.line !== undefined ? { line: issue.line, column: issue.column ?? 0 } : locateSpecifier(texts, issue.importer, issue.specifier)
    issues.push({ ...issue, ...at })
  }
  // Files whose computed `require('./dir/' + x)` esbuild turns into a glob over a missing folder.
  const rewrites = new Map<string, Array<{ line: number; column: number }>>()
  // Relative imports that did not resolve (`importer\0specifier`): external on the next attempt.
  const forceExternal = new Set<string>()

  const plugin: Plugin = {
    name: 'nophonehome-resolve',
    setup(b) {
      // Only bare specifiers go through this hook: a round trip per relative import would double the
      // bundling time, and a relative import that does not resolve is an esbuild error we retry below.
      if (forceExternal.size) {
        b.onResolve({ filter: /^\.{0,2}\// }, (args) => (forceExternal.has(`${args.importer}\0${args.path}`) ? { path: args.path, external: true } : undefined))
      }
      b.onResolve({ filter: /\.node$/ }, (args) => {
        if ((args.pluginData as Record<string, unknown> | undefined)?.[INNER]) return undefined
        addIssue({
          rule: 'opaque-code', api: 'native addon', specifier: args.path, importer: args.importer,
          message: `native addon '${args.path}' loaded by ${displayPathOf(project, args.importer)}: compiled code the analysis cannot read`,
        })
        return { path: args.path, external: true }
      })
      b.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.kind === 'entry-point' || (args.pluginData as Record<string, unknown> | undefined)?.[INNER]) return undefined
        const r = await b.resolve(args.path, {
          kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, namespace: args.namespace, with: args.with,
          pluginData: { [INNER]: true },
        })
        const importer = args.importer
        if (r.errors.length) {
          addIssue({
            rule: 'unresolved-import', api: args.kind === 'dynamic-import' ? 'import()' : args.kind === 'require-call' ? 'require' : 'import',
            specifier: args.path, importer,
            message: `'${args.path}' imported by ${displayPathOf(project, importer)} cannot be resolved: it is not in the bundle and was not analysed`,
          })
          return { path: args.path, external: true }
        }
        if (r.external) {
          const bare = args.path.replace(/^node:/, '')
          if (!(platform === 'node' && (isBuiltin(args.path) || isBuiltin(bare)))) {
            addIssue({
              rule: 'opaque-code', api: 'external import', specifier: args.path, importer,
              message: `'${args.path}' imported by ${displayPathOf(project, importer)} is external to the bundle (--external): its code was not analysed`,
            })
          }
          return { path: r.path, external: true, sideEffects: r.sideEffects }
        }
        if (r.path.endsWith('.node')) {
          addIssue({
            rule: 'opaque-code', api: 'native addon', specifier: args.path, importer,
            message: `native addon '${displayPathOf(project, r.path)}' loaded by ${displayPathOf(project, importer)}: compiled code the analysis cannot read`,
          })
          return { path: args.path, external: true }
        }
        return { path: r.path, namespace: r.namespace, external: false, sideEffects: r.sideEffects, suffix: r.suffix, pluginData: r.pluginData }
      })
      if (rewrites.size) {
        b.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, (args) => {
          const at = rewrites.get(args.path)
          if (!at) return undefined
          return { contents: neutraliseGlobs(readFileSync(args.path, 'utf8'), at), loader: loaderOf(args.path), resolveDir: resolve(args.path, '..') }
        })
      }
    },
  }

  // esbuild is loaded only by scans that bundle (its start-up is not free).
  const { build } = await import('esbuild')
  for (let attempt = 0; ; attempt++) {
    try {
      const result = await build({
        treeShaking: true,
        // The vendor's own inputs first (mainFields, alias, …); ours, which make the bundle analysable, after.
        ...(options.build?.passThrough as BuildOptions | undefined),
        ...(options.build?.define ? { define: options.build.define } : {}),
        ...(options.build?.dropLabels ? { dropLabels: options.build.dropLabels } : {}),
        ...(options.build?.conditions ? { conditions: options.build.conditions } : {}),
        absWorkingDir: project,
        entryPoints: entries.map((e) => join(project, e)),
        outdir,
        outbase: project,
        entryNames: '[dir]/[name]',
        bundle: true,
        write: false,
        metafile: true,
        sourcemap: 'external',
        sourcesContent: true,
        minify: false,
        splitting: false,
        platform,
        format: 'esm',
        target: 'esnext',
        external: options.external ?? [],
        loader: { ...ASSET_LOADERS, ...(options.build?.passThrough?.loader as Record<string, Loader> | undefined) },
        logLevel: 'silent',
        plugins: [plugin],
      })
      return collectOutputs(project, entries, result.outputFiles ?? [], result.metafile!, issues)
    } catch (err) {
      const errors = (err as BuildFailure).errors
      if (!Array.isArray(errors)) throw err
      // `require('./plugins/' + name)` makes esbuild glob ./plugins; a missing folder is an error that
      // no resolve hook sees. Report it as computed and bundle again without the glob.
      const globs = errors.filter((e) => /^Could not resolve (?:require|import)\(".*\*/.test(e.text) && e.location)
      const missing = errors.filter((e) => /^Could not resolve "/.test(e.text) && e.location)
      if ((globs.length || missing.length) && globs.length + missing.length === errors.length && attempt < 5) {
        for (const e of missing) {
          const file = resolve(project, e.location!.file)
          const specifier = e.text.replace(/^Could not resolve "(.*)"$/, '$1')
          addIssue({
            rule: 'unresolved-import', api: /\brequire\s*\(\s*$/.test(e.location!.lineText.slice(0, e.location!.column)) ? 'require' : 'import',
            specifier, importer: file, line: e.location!.line, column: e.location!.column,
            message: `'${specifier}' imported by ${displayPathOf(project, file)} cannot be resolved: it is not in the bundle and was not analysed`,
          })
          forceExternal.add(`${file}\0${specifier}`)
        }
        for (const e of globs) {
          const file = resolve(project, e.location!.file)
          const api = e.text.includes('import(') ? 'import()' : 'require'
          addIssue({
            rule: 'opaque-code', api, specifier: e.text.replace(/^Could not resolve (?:require|import)\("(.*)"\)$/, '$1'), importer: file,
            line: e.location!.line, column: e.location!.column,
            message: `${api} of a computed specifier in ${displayPathOf(project, file)}: esbuild cannot bundle it, and what it loads was not analysed`,
          })
          const list = rewrites.get(file) ?? []
          if (!list.some((p) => p.line === e.location!.line && p.column === e.location!.column)) list.push({ line: e.location!.line, column: e.location!.column })
          rewrites.set(file, list)
        }
        continue
      }
      throw new BundleFailedError(
        `esbuild could not bundle ${entries.join(', ')}:\n${errors.slice(0, 20).map((e) => `  ${formatMessage(e)}`).join('\n')}${errors.length > 20 ? `\n  … and ${errors.length - 20} more` : ''}`,
        'Fix the errors above (or scan the built output directory instead of bundling with --entry).',
      )
    }
  }
}

function checkEntry(project: string, entry: string): string {
  const abs = resolve(project, entry)
  const rel = relative(project, abs)
  if (rel.startsWith('..') || rel === '') throw new UsageError(`--entry ${entry}: not inside the project ${project}`)
  try {
    if (!statSync(abs).isFile()) throw new Error('not a file')
  } catch {
    throw new UsageError(`--entry ${entry}: no such file in ${project}`, 'Entry points are relative to the project directory given to scan.')
  }
  return rel.split(sep).join('/')
}

function formatMessage(m: Message): string {
  const loc = m.location ? `${m.location.file}:${m.location.line}:${m.location.column}: ` : ''
  return `${loc}${m.text}${m.location?.lineText ? `\n    ${m.location.lineText.trim()}` : ''}`
}

function loaderOf(path: string): Loader {
  const ext = extname(path).toLowerCase()
  if (ext === '.ts' || ext === '.mts' || ext === '.cts') return 'ts'
  if (ext === '.tsx') return 'tsx'
  if (ext === '.jsx') return 'jsx'
  return 'js'
}

/** Turns `require('./dir/' + x)` into `require(__nph_computed__||'./dir/' + x)`: still computed, no glob. */
function neutraliseGlobs(text: string, at: Array<{ line: number; column: number }>): string {
  const starts = lineStarts(text)
  const offsets = at.map((p) => (starts[p.line - 1] ?? 0) + p.column).sort((a, b) => b - a)
  let out = text
  for (const o of offsets) out = `${out.slice(0, o)}__nph_computed__||${out.slice(o)}`
  return out
}

/** Line and column of a specifier's string literal in its importer (first occurrence), else 1:0. */
function locateSpecifier(texts: Map<string, string | undefined>, importer: string, specifier: string): { line: number; column: number } {
  if (!texts.has(importer)) {
    let t: string | undefined
    try { t = readFileSync(importer, 'utf8') } catch { t = undefined }
    texts.set(importer, t)
  }
  const text = texts.get(importer)
  if (!text) return { line: 1, column: 0 }
  for (const q of ['"', "'", '`']) {
    const i = text.indexOf(`${q}${specifier}${q}`)
    if (i >= 0) return positionOf(lineStarts(text), i)
  }
  return { line: 1, column: 0 }
}

function collectOutputs(
  project: string,
  entries: string[],
  files: Array<{ path: string; text: string }>,
  metafile: Metafile,
  issues: BundleIssue[],
): BundleResult {
  const outputs: BundleOutput[] = []
  for (const [outRel, out] of Object.entries(metafile.outputs)) {
    if (!out.entryPoint || !outRel.endsWith('.js')) continue
    const abs = resolve(project, outRel)
    const js = files.find((f) => f.path === abs)
    const mapFile = files.find((f) => f.path === `${abs}.map`)
    const entry = entries.find((e) => e === out.entryPoint) ?? out.entryPoint
    if (!js || !mapFile) continue
    const map = loadSourceMap(mapFile.text, resolve(abs, '..'))
    if (!map) continue
    outputs.push({ entry, name: bundleNameOf(entry), code: js.text, map, inputs: new Set(Object.keys(out.inputs).map((i) => resolve(project, i))) })
  }
  outputs.sort((a, b) => entries.indexOf(a.entry) - entries.indexOf(b.entry))
  const inputBytes = Object.values(metafile.inputs).reduce((n, i) => n + i.bytes, 0)
  return { outputs, issues, metafile, inputBytes }
}

/** Computed `__require(x)` calls in esbuild's ESM output (esbuild's stand-in for `require`): offsets. */
export function findComputedRequires(code: string): Array<{ start: number; end: number }> {
  if (!/^var __require = /m.test(code)) return []
  const out: Array<{ start: number; end: number }> = []
  const re = /\b__require\(/g
  for (let m = re.exec(code); m; m = re.exec(code)) {
    const argStart = m.index + m[0].length
    if (/^\s*(?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')\s*\)/.test(code.slice(argStart, argStart + 400))) continue
    if (code.slice(m.index - 4, m.index) === 'var ') continue
    const close = code.indexOf(')', argStart)
    out.push({ start: m.index, end: close < 0 ? argStart : close + 1 })
  }
  return out
}

/** The static lens in bundling mode: bundle, analyse each bundle, attribute through the source map. */
export async function analyseBundleTargets(options: ScanOptions & BundleOptions): Promise<StaticResult> {
  if (options.targets.length !== 1) throw new UsageError('--entry bundles one project: give exactly one project directory')
  const project = resolve(options.targets[0])
  try {
    if (!statSync(project).isDirectory()) throw new Error('not a directory')
  } catch {
    throw new UsageError(`${options.targets[0]}: --entry needs a project directory`)
  }
  const bundled = await bundleProject(project, options)
  // Under an edition's defines, the branches they made constant go, as the vendor's minified build drops them.
  if (options.build?.define && Object.keys(options.build.define).length) {
    for (const out of bundled.outputs) out.code = blankDeadBranches(out.code).code
  }
  const index = new PackageIndex(project)
  const origins = new PackageOrigins(project, index)
  const own = index.infoFor(project).pkg
  const findings: Finding[] = []
  const notAnalysed: NotAnalysed[] = []
  const cache = options.cache === false ? undefined : new AnalysisCache(options.cacheDir ?? defaultCacheDir(), ANALYSIS_ID)

  // Attribution of a bundle position: original file, line, column and its package.
  const attribute = (out: BundleOutput, line: number, column: number): { original?: SourcePosition; pkg: PackageInfo } => {
    const o = originalPositionOf(out.map, line, column, project)
    if (!o) return { pkg: own }
    return { original: { file: displayPathOf(project, o.abs), line: o.line, column: o.column }, pkg: origins.packageOf(o.abs) ?? own }
  }

  const results = new Map<number, FileResult>()
  const jobs: Array<PoolJob & { key?: string }> = []
  let cacheHits = 0
  for (let id = 0; id < bundled.outputs.length; id++) {
    const out = bundled.outputs[id]
    const key = cache ? `${AnalysisCache.hash(Buffer.from(out.code))}:bundle` : undefined
    const hit = key ? cache!.get(key) : undefined
    if (hit) { results.set(id, { ...hit, id }); cacheHits++ }
    else jobs.push({ id, path: join(project, OUT_DIR_NAME, out.entry), kind: 'module', size: out.code.length, source: out.code, key })
  }
  await runPool(jobs.map(({ key: _key, ...j }) => j), {
    workers: Math.max(1, Math.min(options.jobs ?? availableParallelism(), jobs.length)),
    fileTimeoutMs: options.fileTimeoutMs ?? DEFAULT_LIMITS.fileTimeoutMs,
    maxOldGenerationSizeMb: 4096,
  }, (r) => {
    results.set(r.id, r)
    const key = jobs.find((j) => j.id === r.id)?.key
    if (cache && key && !r.notAnalysed) cache.set(key, r)
  })
  cache?.save()

  for (let id = 0; id < bundled.outputs.length; id++) {
    const out = bundled.outputs[id]
    const r = results.get(id)
    const display = { display: out.name }
    if (!r || r.notAnalysed) {
      notAnalysed.push({ file: out.name, reason: r?.notAnalysed ?? 'bundle was not analysed' })
      continue
    }
    if (r.parseError) {
      const e = r.parseError
      findings.push(finding({ rule: 'parse-error', severity: 'review', message: `bundle does not parse: ${e.message}`, line: e.line, column: e.column, snippet: e.snippet, code: '', offset: 0 }, display, own))
      notAnalysed.push({ file: out.name, reason: `parse error at ${e.line}:${e.column}: ${e.message}` })
      continue
    }
    const located = [...(r.findings ?? []), ...computedRequireFindings(out.code, r.findings ?? [])]
    for (const f of located) {
      const a = attribute(out, f.line, f.column)
      findings.push(finding(f, display, a.pkg, { original: a.original }))
    }
    // What esbuild could not bundle, placed where the bundle refers to it when the map can say so.
    const starts = lineStarts(out.code)
    const reported = new Set(located.filter((f) => f.rule === 'opaque-code').map((f) => attribute(out, f.line, f.column).original).filter(Boolean).map((o) => `${o!.file}:${o!.line}`))
    for (const issue of bundled.issues) {
      // An issue belongs to the bundles its importer went into (the first bundle when none: fail closed).
      const owner = bundled.outputs.find((o) => o.inputs.has(issue.importer))
      if (!(owner ? out.inputs.has(issue.importer) : id === 0)) continue
      const original = { file: displayPathOf(project, issue.importer), line: issue.line, column: issue.column }
      if (issue.rule === 'opaque-code' && reported.has(`${original.file}:${original.line}`)) continue
      const at = generatedPositionOf(out, outdirOf(project), issue) ?? { line: 1, column: 0 }
      const lf: LocatedFinding = {
        rule: issue.rule, severity: 'review', message: issue.message, line: at.line, column: at.column,
        snippet: snippetAt(out.code, starts, at.line, at.column), code: `${issue.api} ${JSON.stringify(issue.specifier)}`, offset: 0, api: issue.api,
        details: { specifier: issue.specifier, importer: original.file },
      }
      findings.push(finding(lf, display, origins.packageOf(issue.importer) ?? own, { original }))
    }
  }
  const build: BuildRecord = {
    entries: bundled.outputs.map((o) => o.entry),
    platform: options.platform ?? 'node',
    define: options.build?.define ?? {},
    dropLabels: options.build?.dropLabels ?? [],
    conditions: options.build?.conditions ?? [],
    external: options.external ?? [],
    ...(options.buildOptionsFile ? { optionsFile: options.buildOptionsFile } : {}),
  }
  return {
    findings, notAnalysed, filesScanned: Object.keys(bundled.metafile.inputs).length, bytesScanned: bundled.inputBytes, build,
    ...(cache ? { cache: { hits: cacheHits, misses: jobs.length } } : {}),
  }
}

function outdirOf(project: string): string {
  return join(project, OUT_DIR_NAME)
}

function generatedPositionOf(out: BundleOutput, outdir: string, issue: BundleIssue): { line: number; column: number } | undefined {
  // Map sources are relative to the output file's directory.
  const outFileDir = resolve(outdir, out.entry, '..')
  const source = relative(outFileDir, issue.importer).split(sep).join('/')
  for (const column of [issue.column, 0]) {
    const g = generatedPositionFor(out.map.map, { source, line: issue.line, column, bias: LEAST_UPPER_BOUND })
    if (g.line !== null && g.column !== null) return { line: g.line, column: g.column }
  }
  return undefined
}

/** `__require(x)` with a computed x, unless the analysis already reported that spot. */
function computedRequireFindings(code: string, already: LocatedFinding[]): LocatedFinding[] {
  const spots = findComputedRequires(code)
  if (!spots.length) return []
  const taken = new Set(already.filter((f) => f.rule === 'opaque-code').map((f) => f.offset))
  const fresh = spots.filter((s) => !taken.has(s.start))
  const at = locate(code, fresh.map((s) => s.start))
  return fresh.map((s, i) => ({
    rule: 'opaque-code', severity: 'review' as const, message: 'require of a computed specifier: what it loads at run time is not in the bundle and was not analysed',
    ...at[i], code: code.slice(s.start, Math.min(s.end, s.start + 300)), offset: s.start, api: 'require',
  }))
}
