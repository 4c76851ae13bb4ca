// The static lens end to end: collect → (cache) → parse+detect in workers → attribute → Report.
import { readFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { basename, dirname, extname, resolve, sep } from 'node:path'
import type { Finding, NotAnalysed, Report } from '../report/finding.ts'
import { finalise } from '../pipeline.ts'
import { ANALYSIS_ID } from '../version.ts'
import { ArtifactUnreadableError } from '../errors.ts'
import { AnalysisCache, defaultCacheDir } from './analysis/cache.ts'
import { collect, type CollectedFile, type CollectResult } from './artifact/collect.ts'
import { analyseSource } from './analysis/analyse.ts'
import { fileAnalysers } from './analysis/file-analysers.ts'
import { loadFrontendAnalysers } from './frontend/register.ts'
import { toFileResult, type FileResult, type LocatedFinding } from './analysis/file-result.ts'
import { PackageIndex, type PackageInfo } from './attribution/packages.ts'
import { runPool, SCAN_WORKER_HEAP_MB, type PoolJob } from './analysis/pool.ts'
import { extractTarball, isTarball } from './artifact/tarball.ts'
import { isImage } from './artifact/image.ts'
import { prepareImageTarget } from './artifact/image-target.ts'
import type { ImageReport } from '../report/finding.ts'
import { analyseBundleTargets } from './artifact/bundle.ts'
import { PackageOrigins } from './attribution/lockfile.ts'
import { attributorForResult, type Attribution, type MapMemo } from './attribution/sourcemap.ts'
import type { ModuleKind } from './parse/parse.ts'
import { existsSync, realpathSync, statSync } from 'node:fs'
import { createHash } from 'node:crypto'
import type { FileSummary } from './graph/summary.ts'
import { analyseProgram, type ProgramFile } from './graph/program.ts'
import { findEntries, type Entries } from './graph/reach.ts'
import { ModuleResolver } from './graph/resolve.ts'
import { fsResolverHost } from './graph/resolver-host.ts'
import { DEFAULT_LIMITS, type ScanOptions, type StaticResult } from './options.ts'
import { finding } from './attribution/attribute.ts'

export { DEFAULT_LIMITS, type ScanOptions, type StaticResult } from './options.ts'

/** Scans targets and returns the full report. */
export async function scan(options: ScanOptions): Promise<Report> {
  const result = await analyseTargets(options)
  if (result.timing) options.onTiming?.(result.timing)
  return finalise({
    target: options.targets,
    image: result.image,
    findings: result.findings,
    notAnalysed: result.notAnalysed,
    filesScanned: result.filesScanned,
    bytesScanned: result.bytesScanned,
    failOn: options.failOn ?? 'violation',
    acceptNotAnalysed: options.acceptNotAnalysed,
    policy: options.policy,
    baseline: options.baseline,
    notices: [...(options.notices ?? []), ...(result.notices ?? [])],
    build: result.build,
    // Cache use is a fact of this run, not of the artifact: kept in `run` (CI checks its warm runs with it).
    run: result.cache ? { cache: result.cache } : undefined,
  })
}

function moduleKindFor(file: CollectedFile, pkgType: 'module' | 'commonjs'): ModuleKind {
  const ext = extname(file.abs).toLowerCase()
  if (ext === '.mjs') return 'module'
  if (ext === '.cjs' || !ext) return 'commonjs'
  return pkgType
}

/** The static lens without the verdict: findings and what was not analysed. */
export async function analyseTargets(options: ScanOptions): Promise<StaticResult> {
  if (options.entries?.length) return analyseBundleTargets({ ...options, entries: options.entries })
  const limits = { ...DEFAULT_LIMITS, ...definedOnly(options) }
  const findings: Finding[] = []
  const notAnalysed: NotAnalysed[] = []
  const cleanups: Array<() => void> = []
  const cache = options.cache === false ? undefined : new AnalysisCache(options.cacheDir ?? defaultCacheDir(), ANALYSIS_ID)
  // Source-map lookups are remembered with the cache, per map file as it is on disk (see AnalysisCache.mapPositions).
  const mapMemo: MapMemo | undefined = cache && { table: (path, st) => cache.mapPositions(path, st), changed: () => cache.touchMaps() }
  let filesScanned = 0
  let bytesScanned = 0
  const notices: string[] = []
  /** Cache keys whose results came with a summary (read only if the program phase runs). */
  const summarised = new Set<string>()
  const programStats: Array<Record<string, number>> = []
  let programMs = 0
  let cacheHits = 0
  let cacheMisses = 0
  let entryPoints = options.entryPoints
  let image: ImageReport | undefined

  try {
    const roots: Array<{ root: string; files: CollectedFile[]; index: PackageIndex; origin: RootOrigin }> = []
    for (const target of options.targets) {
      if (!existsSync(target)) throw new ArtifactUnreadableError(`${target}: no such file or directory`, 'Pass a directory, a file, or a .tgz/.tar.gz/.tar release tarball.')
      const prefix = options.targets.length > 1 ? basename(target) : ''
      const out: CollectResult = { files: [], notAnalysed: [] }
      let root = target
      if (options.openedImage || (await isImage(target)) || (options.image && options.targets.length === 1)) {
        // Container image (src/static/artifact/image-target.ts): unpacked into a temp root like a tarball; its
        // config gives the entry points and its own findings; native code and other languages are listed there.
        const img = await prepareImageTarget(target, prefix, { selection: options.image, maxEntries: limits.maxEntries, maxTotalSize: limits.maxTotalSize, opened: options.openedImage })
        cleanups.push(img.cleanup)
        findings.push(...img.findings)
        notAnalysed.push(...img.notAnalysed)
        filesScanned += img.filesScanned
        bytesScanned += img.bytesScanned
        // None found: left to the artifact's own entries (package.json, shebangs) rather than "nothing is reachable".
        if (options.targets.length === 1 && img.entryPoints.length) entryPoints ??= img.entryPoints
        image = img.report
        root = img.root
      } else if (isTarball(target) && statSync(target).isFile()) {
        const ex = await extractTarball(target, basename(target), { maxEntries: limits.maxEntries, maxTotalBytes: limits.maxTotalSize, maxFileSize: limits.maxFileSize })
        cleanups.push(ex.cleanup)
        for (const n of ex.notAnalysed) notAnalysed.push(n)
        root = ex.dir
      }
      collect(root, prefix, { maxFileSize: limits.maxFileSize, maxFiles: limits.maxFiles }, out)
      for (const n of out.notAnalysed) notAnalysed.push(n)
      const rootDir = statSync(root).isDirectory() ? root : dirname(root)
      const index = new PackageIndex(rootDir)
      roots.push({ root, files: out.files, index, origin: { abs: resolve(rootDir), prefix, origins: new PackageOrigins(resolve(rootDir), index) } })
    }

    if (roots.some((r) => r.files.some((f) => f.kind === 'html' || f.kind === 'css'))) await loadFrontendAnalysers()

    type Pending = { file: CollectedFile; pkg: PackageInfo; key?: string; kind: ModuleKind; origin: RootOrigin; root: number }
    const pending: Pending[] = []
    // JavaScript results (fresh or cached), per root: the whole-program phase runs on them before they are absorbed.
    const results: Array<Array<{ p: Pending; r: FileResult }>> = roots.map(() => [])
    const jobs: PoolJob[] = []
    const total = roots.reduce((n, r) => n + r.files.length, 0)
    let done = 0
    const progress = () => options.onProgress?.(done, total)

    for (const [rootIndex, { root, files, index, origin }] of roots.entries()) {
      const rootDir = statSync(root).isDirectory() ? root : dirname(root)
      for (const file of files) {
        const info = index.infoFor(dirname(file.abs))
        const pkg = info.pkg
        if (file.kind === 'sourcemap') { done++; continue }
        filesScanned++
        bytesScanned += file.size
        if (file.kind === 'native' || file.kind === 'wasm') {
          findings.push(finding({
            rule: 'opaque-code', severity: 'review', api: file.kind === 'native' ? 'native addon' : 'WebAssembly',
            message: file.kind === 'native' ? 'native addon (.node): compiled code the analysis cannot read' : 'WebAssembly module (.wasm): compiled code the analysis cannot read',
            line: 1, column: 0, snippet: '', code: '', offset: 0,
          }, file, pkg))
          done++
          continue
        }
        if (file.kind !== 'js') {
          const analyser = fileAnalysers[file.kind]
          if (analyser) runFileAnalyser(analyser, file, pkg, findings, notAnalysed)
          else filesScanned--, bytesScanned -= file.size
          done++
          continue
        }
        const kind = moduleKindFor(file, info.type)
        let key: string | undefined
        if (cache) {
          const hash = cache.hashOf(file.abs, file.stat)
          if (hash) {
            key = `${hash}:${kind}`
            const hit = cache.get(key)
            if (hit) {
              const { sum, ...cached } = hit
              if (sum) summarised.add(key)
              results[rootIndex].push({ p: { file, pkg, key, kind, origin, root: rootIndex }, r: { id: -1, ...cached } })
              cacheHits++
              done++
              continue
            }
          }
        }
        const id = pending.length
        pending.push({ file, pkg, key, kind, origin, root: rootIndex })
        jobs.push({ id, path: file.abs, kind, size: file.size, root: rootDir })
      }
    }
    progress()

    await runPool(jobs, {
      workers: options.jobs ?? Math.max(1, availableParallelism()),
      fileTimeoutMs: limits.fileTimeoutMs,
      maxOldGenerationSizeMb: SCAN_WORKER_HEAP_MB,
    }, (r) => {
      const p = pending[r.id]
      if (cache && p.key) cache.set(p.key, r)
      results[p.root].push({ p, r })
      done++
      if (done % 200 === 0) progress()
    })
    progress()
    cacheMisses = jobs.length
    cache?.save()

    // Whole program, per scanned artifact: links summaries across modules and packages, then reachability.
    // Its outcome is cached by a digest of everything it reads, so an unchanged tree does not link again.
    const tp = performance.now()
    for (const [rootIndex, { root, files, origin }] of roots.entries()) {
      const list = results[rootIndex]
      // Deterministic order whatever the workers' timing (the program phase numbers files in this order).
      list.sort((a, b) => (a.p.file.display < b.p.file.display ? -1 : a.p.file.display > b.p.file.display ? 1 : 0))
      const rootEntries = roots.length === 1 ? entryPoints : undefined
      const digest = cache && programDigest(cache, files, list, rootEntries)
      const stored = digest ? cache!.program(digest) : undefined
      if (stored && stored.deps.every(([path, hash]) => fileHashNow(cache!, path) === hash)) {
        for (const x of list) if (!x.r.notAnalysed && !x.r.parseError) x.r = { ...x.r, findings: (stored.files[x.p.file.display] ?? []).map((f) => ({ ...f })) }
        notices.push(...stored.notices)
        programStats.push({ cached: 1 })
        continue
      }
      // Summaries of cached results are read now (a warm scan of an unchanged tree never needs them). One that
      // should be there and is not (the summaries file was removed) sends its file back to a worker.
      const lost = list.filter((x) => x.p.key && summarised.has(x.p.key) && !cache!.summary(x.p.key))
      if (lost.length) {
        await runPool(lost.map((x, id) => ({ id, path: x.p.file.abs, kind: x.p.kind, size: x.p.file.size, root: dirname(x.p.file.abs) })), {
          workers: options.jobs ?? Math.max(1, availableParallelism()), fileTimeoutMs: limits.fileTimeoutMs, maxOldGenerationSizeMb: SCAN_WORKER_HEAP_MB,
        }, (r) => { const x = lost[r.id]; if (cache && x.p.key) cache.set(x.p.key, r); x.r = r })
      }
      const program = list.map(({ p, r }) => ({ abs: p.file.abs, display: p.file.display, pkg: p.pkg, result: cloneResult(r, cache && p.key ? () => cache.summary(p.key!) : undefined) }))
      const outcome = runProgramPhase(root, program, rootEntries, origin.prefix)
      notices.push(...outcome.notices)
      list.forEach((x, i) => { x.r = outcome.files[i].result })
      programStats.push(outcome.stats)
      if (digest) {
        const out: Record<string, LocatedFinding[]> = {}
        for (const x of list) if (x.r.findings?.length) out[x.p.file.display] = x.r.findings
        cache!.setProgram(digest, { deps: outcome.reads.map((path) => [path, fileHashNow(cache!, path) ?? '']), files: out, notices: outcome.notices })
      }
    }
    programMs = performance.now() - tp
    for (const list of results) for (const { p, r } of list) absorb(r, p, findings, notAnalysed, mapMemo)
    // After attribution: source-map lookups made while placing findings are kept too.
    cache?.save()
  } finally {
    for (const c of cleanups) c()
  }
  return {
    findings, notAnalysed, filesScanned, bytesScanned, notices, timing: { wholeProgramMs: Math.round(programMs), program: programStats },
    ...(cache ? { cache: { hits: cacheHits, misses: cacheMisses } } : {}), ...(entryPoints ? { entryPoints } : {}), ...(image ? { image } : {}),
  }
}

/** A copy whose findings the whole-program phase may rewrite (the cache keeps the worker's own), with its summary. */
function cloneResult(r: FileResult, summary?: () => FileSummary | undefined): FileResult {
  const out: FileResult = r.findings ? { ...r, findings: r.findings.map((f) => ({ ...f })) } : { ...r }
  if (!out.summary && summary) out.summary = summary()
  return out
}

/**
 * What the whole-program phase of one root reads: every collected file by content (JavaScript by the cache key
 * of its result, the rest — package.json, HTML — by hash), and the entry points asked for.
 */
function programDigest(cache: AnalysisCache, files: CollectedFile[], list: Array<{ p: { file: CollectedFile; key?: string } }>, entryPoints: string[] | undefined): string | undefined {
  const keys = new Map(list.map((x) => [x.p.file.abs, x.p.key]))
  const h = createHash('sha256')
  h.update(JSON.stringify(entryPoints ?? null))
  for (const f of files) {
    const id = f.kind === 'js' ? keys.get(f.abs) : f.kind === 'sourcemap' ? 'map' : cache.hashOf(f.abs, f.stat)
    // A file the scan could not hash or did not analyse: no digest, the phase runs.
    if (!id) return undefined
    h.update(`${f.display}\0${f.kind}\0${id}\n`)
  }
  return h.digest('hex')
}

function fileHashNow(cache: AnalysisCache, path: string): string | undefined {
  try { return cache.hashOf(path, statSync(path)) } catch { return undefined }
}

/**
 * The resolver works on real paths (links resolved, checked against the real root); the scan knows files by
 * their path under the root as given. When the two differ (a root reached through a symlink), paths are
 * translated both ways.
 */
function rootedResolver(r: ModuleResolver, abs: string, real: string): Pick<ModuleResolver, 'resolve' | 'packageEntries'> {
  if (abs === real) return r
  const swap = (p: string, from: string, to: string) => (p === from || p.startsWith(from + sep) ? to + p.slice(from.length) : p)
  return {
    resolve: (spec, fromFile, kind) => {
      const res = r.resolve(spec, swap(fromFile, abs, real), kind)
      if (res.t === 'file') return { ...res, path: swap(res.path, real, abs) }
      if (res.t === 'missing' && res.fallback) return { ...res, fallback: swap(res.fallback, real, abs) }
      return res
    },
    packageEntries: (dir) => r.packageEntries(swap(dir, abs, real)).map((p) => swap(p, real, abs)),
  }
}

/** The whole-program phase of one scan root (see graph/program.ts). */
function runProgramPhase(root: string, files: ProgramFile[], entryPoints: string[] | undefined, prefix: string): { files: ProgramFile[]; notices: string[]; stats: Record<string, number>; reads: string[] } {
  const withSummary = files.filter((f) => f.result.summary)
  if (!withSummary.length) return { files, notices: [], stats: {}, reads: [] }
  const rootDir = statSync(root).isDirectory() ? root : dirname(root)
  let rootReal = resolve(rootDir)
  try { rootReal = realpathSync(rootDir) } catch { /* keep the resolved path */ }
  const resolver = rootedResolver(new ModuleResolver(fsResolverHost(rootReal)), resolve(rootDir), rootReal)
  const entries: Entries = { files: findEntries(resolve(rootDir), resolver, files.map((f) => f.abs), entryPoints), roots: [rootDir] }
  if (!statSync(root).isDirectory() && !entries.files.length) entries.files.push({ abs: resolve(root), why: 'the scanned file' })
  const outcome = analyseProgram(files, resolver, entries)
  const label = prefix ? `${prefix}: ` : ''
  return {
    files,
    reads: outcome.reads,
    notices: outcome.notices.map((n) => label + n),
    stats: { ...outcome.stats, ...Object.fromEntries(Object.entries(outcome.timing).map(([k, v]) => [k, Math.round(v)])) },
  }
}

function definedOnly(o: ScanOptions): Partial<typeof DEFAULT_LIMITS> {
  const out: Partial<typeof DEFAULT_LIMITS> = {}
  for (const k of Object.keys(DEFAULT_LIMITS) as Array<keyof typeof DEFAULT_LIMITS>) if (o[k] !== undefined) out[k] = o[k]!
  return out
}

/** A scan root as attribution needs it: where it is, its display prefix, its packages and lockfile. */
type RootOrigin = { abs: string; prefix: string; origins: PackageOrigins }

function absorb(r: FileResult, p: { file: CollectedFile; pkg: PackageInfo; origin?: RootOrigin }, findings: Finding[], notAnalysed: NotAnalysed[], memo?: MapMemo): void {
  if (r.notAnalysed) {
    notAnalysed.push({ file: p.file.display, reason: r.notAnalysed })
    return
  }
  if (r.parseError) {
    const e = r.parseError
    findings.push(finding({
      rule: 'parse-error', severity: 'review', message: `does not parse: ${e.message} — nothing in this file was analysed`,
      line: e.line, column: e.column, snippet: e.snippet, code: '', offset: 0,
    }, p.file, p.pkg))
    notAnalysed.push({ file: p.file.display, reason: `parse error at ${e.line}:${e.column}: ${e.message}` })
    return
  }
  if (!r.findings?.length) return
  // Built files: original location and package through a source map or bundle markers. Done here, after
  // the cache, so a changed .map next to an unchanged bundle is always read fresh (its stat differs from
  // the one its remembered lookups were made with).
  const attribute = p.origin ? attributorForResult(p.file.abs, r.sourceMap ?? {}, p.origin, memo) : undefined
  const pkg = p.origin ? p.origin.origins.withLockfileChain(p.pkg) : p.pkg
  for (const f of r.findings) {
    const a = attribute?.(f.line, f.column, f.module)
    findings.push(finding(f, p.file, a?.pkg ?? pkg, a))
  }
}

function runFileAnalyser(
  analyser: (typeof fileAnalysers)[keyof typeof fileAnalysers] & {},
  file: CollectedFile,
  pkg: PackageInfo,
  findings: Finding[],
  notAnalysed: NotAnalysed[],
): void {
  let text: string
  try {
    text = readFileSync(file.abs, 'utf8')
  } catch (err) {
    notAnalysed.push({ file: file.display, reason: `cannot be read (${(err as NodeJS.ErrnoException).code})` })
    return
  }
  try {
    const res = analyser(text, {
      display: file.display,
      abs: file.abs,
      analyseScript(code, at, kind = 'script') {
        const r = toFileResult(0, code, analyseSource(code, kind))
        if (r.parseError) return { parseError: `${r.parseError.message} at ${r.parseError.line + at.line - 1}:${r.parseError.column}` }
        return (r.findings ?? []).map((f) => ({ ...f, line: f.line + at.line - 1, column: f.line === 1 ? f.column + at.column : f.column }))
      },
    })
    for (const f of res.findings) findings.push(finding(f, file, pkg))
    if (res.notAnalysed) notAnalysed.push({ file: file.display, reason: res.notAnalysed })
  } catch (err) {
    notAnalysed.push({ file: file.display, reason: `analysis failed: ${(err as Error).message}` })
  }
}
