// The static lens end to end: collect → (cache) → parse+detect in workers → attribute → Report.
import { readFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { basename, dirname, extname, resolve } from 'node:path'
import type { Finding, NotAnalysed, Report, Severity } from '../report/finding.ts'
import { fingerprintOf } from '../report/finding.ts'
import { finalise, type FinaliseInput } from '../pipeline.ts'
import { ANALYSIS_ID } from '../version.ts'
import { ArtifactUnreadableError } from '../errors.ts'
import { AnalysisCache, defaultCacheDir } from './cache.ts'
import { collect, type CollectedFile, type CollectResult } from './collect.ts'
import { analyseSource } from './analyse.ts'
import { fileAnalysers } from './file-analysers.ts'
import { loadFrontendAnalysers } from './frontend/register.ts'
import { toFileResult, type FileResult, type LocatedFinding } from './file-result.ts'
import { PackageIndex, type PackageInfo } from './packages.ts'
import { runPool, SCAN_WORKER_HEAP_MB, type PoolJob } from './pool.ts'
import { extractTarball, isTarball } from './tarball.ts'
import { analyseBundleTargets, type BundlePlatform } from './bundle.ts'
import { PackageOrigins } from './lockfile.ts'
import { attributorForResult, type Attribution, type MapMemo } from './sourcemap.ts'
import type { ModuleKind } from './parse.ts'
import { existsSync, statSync } from 'node:fs'

export interface ScanOptions {
  /** Directories, files or tarballs. */
  targets: string[]
  failOn?: Severity
  /** Use the analysis cache (default true). */
  cache?: boolean
  cacheDir?: string
  /** Worker threads (default: available cores). */
  jobs?: number
  maxFileSize?: number
  maxFiles?: number
  maxEntries?: number
  maxTotalSize?: number
  fileTimeoutMs?: number
  acceptNotAnalysed?: boolean
  /** Policy, baseline and notices from gating (see src/cli/gating.ts). */
  policy?: FinaliseInput['policy']
  baseline?: FinaliseInput['baseline']
  notices?: string[]
  onProgress?: (done: number, total: number) => void
  /** Bundling mode (src/static/bundle.ts): entry points inside the one project target. */
  entries?: string[]
  platform?: BundlePlatform
  /** Modules left out of the bundle on purpose (esbuild patterns); reported as not analysed code. */
  external?: string[]
}

export interface StaticResult {
  findings: Finding[]
  notAnalysed: NotAnalysed[]
  filesScanned: number
  bytesScanned: number
}

export const DEFAULT_LIMITS = {
  maxFileSize: 32 * 1024 * 1024,
  maxFiles: 500_000,
  maxEntries: 200_000,
  maxTotalSize: 4 * 1024 * 1024 * 1024,
  fileTimeoutMs: 60_000,
}

/** Scans targets and returns the full report. */
export async function scan(options: ScanOptions): Promise<Report> {
  const result = await analyseTargets(options)
  return finalise({
    target: options.targets,
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

  try {
    const roots: Array<{ root: string; files: CollectedFile[]; index: PackageIndex; origin: RootOrigin }> = []
    for (const target of options.targets) {
      if (!existsSync(target)) throw new ArtifactUnreadableError(`${target}: no such file or directory`, 'Pass a directory, a file, or a .tgz/.tar.gz/.tar release tarball.')
      const prefix = options.targets.length > 1 ? basename(target) : ''
      const out: CollectResult = { files: [], notAnalysed: [] }
      let root = target
      if (isTarball(target) && statSync(target).isFile()) {
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
  return { findings, notAnalysed, filesScanned, bytesScanned }
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

/** Attaches file, package and fingerprint to a located finding. */
export function finding(f: LocatedFinding, file: { display: string }, pkg: PackageInfo, attribution?: Pick<Attribution, 'original' | 'module'>): Finding {
  const out: Finding = {
    rule: f.rule,
    severity: f.severity,
    message: f.message,
    lens: 'static',
    location: { file: file.display, line: f.line, column: f.column, snippet: f.snippet },
    package: pkg.id,
    fingerprint: fingerprintOf({
      rule: f.rule, package: pkg.id, api: f.api, destination: f.destination, code: f.code,
      key: f.rule === 'parse-error' || !f.code ? stableFileKey(file.display) : undefined,
    }),
  }
  if (pkg.chain) out.chain = pkg.chain
  if (f.destination) out.destination = f.destination
  if (f.api) out.api = f.api
  if (f.details) out.details = f.details
  if (attribution?.original) out.location!.original = attribution.original
  if (attribution?.module) out.details = { ...out.details, module: attribution.module }
  return out
}

/** A file path without version-looking segments, so fingerprints survive version bumps. */
function stableFileKey(display: string): string {
  return display.replace(/@\d+\.\d+\.\d+[^/]*/g, '').replace(/-\d+\.\d+\.\d+[^/]*(\.tgz)?/g, '')
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
