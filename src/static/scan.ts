// The static lens end to end: collect → (cache) → parse+detect in workers → attribute → Report.
import { readFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { basename, dirname, extname, resolve } from 'node:path'
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
import { existsSync, statSync } from 'node:fs'
import { DEFAULT_LIMITS, type ScanOptions, type StaticResult } from './options.ts'
import { finding } from './attribution/attribute.ts'

export { DEFAULT_LIMITS, type ScanOptions, type StaticResult } from './options.ts'

/** Scans targets and returns the full report. */
export async function scan(options: ScanOptions): Promise<Report> {
  const result = await analyseTargets(options)
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
    notices: options.notices,
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

    type Pending = { file: CollectedFile; pkg: PackageInfo; key?: string; kind: ModuleKind; origin: RootOrigin }
    const pending: Pending[] = []
    const jobs: PoolJob[] = []
    const total = roots.reduce((n, r) => n + r.files.length, 0)
    let done = 0
    const progress = () => options.onProgress?.(done, total)

    for (const { root, files, index, origin } of roots) {
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
            if (hit && depsUnchanged(cache, hit.deps)) {
              absorb({ id: -1, ...hit }, { file, pkg, origin }, findings, notAnalysed, mapMemo)
              done++
              continue
            }
          }
        }
        const id = pending.length
        pending.push({ file, pkg, key, kind, origin })
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
      absorb(r, p, findings, notAnalysed, mapMemo)
      if (cache && p.key) cache.set(p.key, r)
      done++
      if (done % 200 === 0) progress()
    })
    progress()
    cache?.save()
  } finally {
    for (const c of cleanups) c()
  }
  return { findings, notAnalysed, filesScanned, bytesScanned, ...(entryPoints ? { entryPoints } : {}), ...(image ? { image } : {}) }
}

/** A cached result that folded through other files is reused only while those files are unchanged. */
function depsUnchanged(cache: AnalysisCache, deps: Array<[string, string]> | undefined): boolean {
  if (!deps) return true
  for (const [path, want] of deps) {
    let st
    try { st = statSync(path) } catch { return false }
    if (cache.hashOf(path, st) !== want) return false
  }
  return true
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
