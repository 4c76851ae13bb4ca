// What a static scan is asked to do (targets, limits, cache, bundling mode) and what it returns.
import type { Finding, ImageReport, NotAnalysed, Severity } from '../report/finding.ts'
import type { FinaliseInput } from '../pipeline.ts'
import type { BuildInputs, BuildRecord } from './artifact/build-inputs.ts'
import type { ImageSelection, OpenedImage } from './artifact/image.ts'
/** Where bundled code runs: esbuild's platform. */
export type BundlePlatform = 'node' | 'browser'

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
  /** Told how long the whole-program phase took (the benchmark reads it; not part of the report, which stays deterministic). */
  onTiming?: (timing: NonNullable<StaticResult['timing']>) => void
  /**
   * Reachability entries without bundling: files the product starts from, as paths relative to the (single)
   * target root (or absolute paths inside it). When absent they are found from the artifact (package.json
   * `main`/`exports`/`bin`/`scripts.start`, HTML pages, top-level shebang files); an image's config sets them.
   */
  entryPoints?: string[]
  /** Container images among the targets: which image and platform to pick (`--image REF`, `--platform os/arch`). */
  image?: ImageSelection
  /** An image already opened and unpacked by the caller (verify runs it too): scanned instead of opening the target again. */
  openedImage?: OpenedImage
  /** Bundling mode (src/static/artifact/bundle.ts): entry points inside the one project target. */
  entries?: string[]
  platform?: BundlePlatform
  /** Modules left out of the bundle on purpose (esbuild patterns); reported as not analysed code. */
  external?: string[]
  /** Bundling mode: the vendor's build inputs that pick the edition that ships (define, dropLabels, conditions…). */
  build?: BuildInputs
  /** Bundling mode: the vendor's esbuild options file those came from, recorded in the report. */
  buildOptionsFile?: BuildRecord['optionsFile']
}

export interface StaticResult {
  findings: Finding[]
  notAnalysed: NotAnalysed[]
  filesScanned: number
  bytesScanned: number
  /** What the report should say about how the scan was done (entry points used, bounds reached). */
  notices?: string[]
  /** Time spent in the whole-program phase and its figures (not deterministic: goes to the report's `run`). */
  timing?: { wholeProgramMs: number; program: Array<Record<string, number>> }
  /** Bundling mode: what was bundled, with which edition inputs. */
  build?: BuildRecord
  /** Analysis cache use: files (or bundles) answered from the cache, and analysed afresh. */
  cache?: { hits: number; misses: number }
  /** The entry points reachability started from (given, or derived from an image's config). */
  entryPoints?: string[]
  /** When the target was a container image: which one, its digests, how it starts. */
  image?: ImageReport
}

export const DEFAULT_LIMITS = {
  maxFileSize: 32 * 1024 * 1024,
  maxFiles: 500_000,
  maxEntries: 200_000,
  maxTotalSize: 4 * 1024 * 1024 * 1024,
  fileTimeoutMs: 60_000,
}
