// `verify`: the customer's check of a release as shipped — static lens, optionally the runtime lens,
// one plain verdict tied to the artifact's SHA-256, and a reproducible verification record.
import { readdirSync, statSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import type { Finding, Report, Severity } from '../report/finding.ts'
import type { Baseline, LoadedPolicy } from '../policy/apply.ts'
import { finalise } from '../pipeline.ts'
import { analyseTargets } from '../static/scan.ts'
import type { ScanOptions } from '../static/options.ts'
import { signatureIdentity } from '../signatures/version.ts'
import { extractTarball, isTarball } from '../static/artifact/tarball.ts'
import { DEFAULT_LIMITS } from '../static/options.ts'
import type { ExerciseRequest } from '../runtime/exercise.ts'
import { run } from '../runtime/run.ts'
import { locateChromium } from '../runtime/browser/chromium.ts'
import { identify, type ArtifactIdentity } from './digest.ts'
import { buildRecord, type LensSummary, type VerificationRecord } from './record.ts'
import { compareRecords, type Comparison } from './expect.ts'
import { isImage, openImage, type ImageSelection, type OpenedImage } from '../static/artifact/image.ts'
import { imageRunOf } from '../runtime/image-run.ts'
import { prefixLocations } from '../cli/commands/run.ts'
import { UsageError } from '../errors.ts'

export interface VerifyOptions {
  artifact: string
  /**
   * Shell command that starts the app from the unpacked artifact (runs the runtime lens). For a container image,
   * run by the image's /bin/sh in its root; the empty string runs the image's own Entrypoint + Cmd.
   */
  start?: string
  /** When the artifact is a container image: which image and platform of the archive (`--image`, `--platform`). */
  image?: ImageSelection
  ready?: { port: number } | { pattern: RegExp }
  exercise?: ExerciseRequest[]
  durationMs?: number
  timeWarp?: number
  /** With start + ready: open these pages in headless Chromium inside the sandbox. */
  browse?: { paths: string[]; crawl?: number }
  allowDegraded?: boolean
  failOn?: Severity
  policy?: LoadedPolicy
  baseline?: Baseline
  notices?: string[]
  /** The vendor's published record to reproduce. */
  expect?: VerificationRecord
  cache?: boolean
  cacheDir?: string
  /** Where the app's output goes (default: discarded). */
  appOutput?: NodeJS.WritableStream
  /** Test hooks for the sandbox (fake unshare, no strace). */
  sandbox?: { unshare?: string; strace?: string | false }
  env?: NodeJS.ProcessEnv
}

export interface VerifyResult {
  artifact: ArtifactIdentity
  report: Report
  record: VerificationRecord
  lenses: { static: LensSummary; runtime: LensSummary }
  comparison?: Comparison
}

/** The folder a start command runs in: `package/` for npm-style tarballs, else the root. */
function appRoot(dir: string): string {
  const entries = readdirSync(dir)
  if (entries.length === 1 && statSync(join(dir, entries[0])).isDirectory()) return join(dir, entries[0])
  return dir
}

function lensCounts(findings: Finding[], lens: 'static' | 'runtime' | 'browser'): Pick<LensSummary, 'violation' | 'review' | 'info'> {
  const c = { violation: 0, review: 0, info: 0 }
  for (const f of findings) if (f.lens === lens && !f.status?.match(/allowed|waived|baselined/)) c[f.severity]++
  return c
}

/** The browser check runs inside the runtime lens's sandbox: its findings count there. */
function runtimeCounts(findings: Finding[]): Pick<LensSummary, 'violation' | 'review' | 'info'> {
  const a = lensCounts(findings, 'runtime')
  const b = lensCounts(findings, 'browser')
  return { violation: a.violation + b.violation, review: a.review + b.review, info: a.info + b.info }
}

export async function verify(options: VerifyOptions): Promise<VerifyResult> {
  // A missing browser is a setup problem (exit 2): say so before minutes of static analysis.
  if (options.start !== undefined && options.browse) locateChromium(undefined, options.env)
  const artifact = await identify(options.artifact)
  const failOn = options.failOn ?? 'violation'
  // A container image is opened (digests checked) and unpacked once: the static lens scans it, the runtime lens runs it.
  let opened: OpenedImage | undefined
  if (options.image || (await isImage(options.artifact))) {
    opened = await openImage(options.artifact, options.image ?? {}, { maxEntries: DEFAULT_LIMITS.maxEntries, maxTotalSize: DEFAULT_LIMITS.maxTotalSize })
    const i = opened.info
    artifact.image = { ...(i.ref ? { ref: i.ref } : {}), ...(i.platform ? { platform: i.platform } : {}), ...(i.manifestDigest ? { manifestDigest: i.manifestDigest } : {}), configDigest: i.configDigest }
  } else if (options.start === '') {
    throw new UsageError('--start needs a command: only a container image has a start command of its own')
  }
  try {
    return await verifyOpened(options, artifact, failOn, opened)
  } finally {
    opened?.cleanup()
  }
}

async function verifyOpened(options: VerifyOptions, artifact: ArtifactIdentity, failOn: Severity, opened: OpenedImage | undefined): Promise<VerifyResult> {
  const scanOptions: ScanOptions = { targets: [options.artifact], failOn, cache: options.cache, cacheDir: options.cacheDir, ...(opened ? { openedImage: opened } : {}) }
  const staticResult = await analyseTargets(scanOptions)
  const signatures = signatureIdentity()

  const findings: Finding[] = [...staticResult.findings]
  const degraded: string[] = []
  let runtime: LensSummary = { ran: false, note: 'not run: no --start command given', violation: 0, review: 0, info: 0 }
  let runInfo: Record<string, unknown> | undefined

  if (options.start !== undefined) {
    let cleanup: (() => void) | undefined
    let cwd = options.artifact
    // Runtime stacks name files relative to where the app ran (`package/` in a tarball): prefix them so
    // they read like the static lens's paths, side by side.
    let prefix = ''
    try {
      // An image runs in its own root; its runtime paths are already relative to that root, as the static lens's are.
      const image = opened && imageRunOf(opened, options.start ? ['/bin/sh', '-c', options.start] : undefined)
      if (image) {
        cwd = '/'
      } else if (isTarball(options.artifact) && statSync(options.artifact).isFile()) {
        const ex = await extractTarball(options.artifact, artifact.name, { maxEntries: DEFAULT_LIMITS.maxEntries, maxTotalBytes: DEFAULT_LIMITS.maxTotalSize, maxFileSize: DEFAULT_LIMITS.maxFileSize })
        cleanup = ex.cleanup
        cwd = appRoot(ex.dir)
        prefix = relative(ex.dir, cwd).split(sep).join('/')
      } else if (!statSync(options.artifact).isDirectory()) {
        cwd = join(options.artifact, '..')
      }
      const r = await run({
        command: image?.command ?? ['sh', '-c', options.start],
        cwd,
        env: image?.env ?? options.env,
        ...(image ? { rootfs: image.rootfs } : {}),
        ready: options.ready,
        exercise: options.exercise,
        durationMs: options.durationMs,
        timeWarp: options.timeWarp,
        browse: options.browse,
        allowDegraded: options.allowDegraded,
        failOn,
        unshare: options.sandbox?.unshare,
        strace: options.sandbox?.strace,
        stdout: options.appOutput as never,
        stderr: options.appOutput as never,
      })
      prefixLocations(r.findings, prefix)
      findings.push(...r.findings)
      degraded.push(...(r.degraded ?? []))
      runInfo = r.run
      runtime = { ran: true, ...runtimeCounts(r.findings), ...(r.degraded?.length ? { degraded: r.degraded } : {}) }
    } finally {
      cleanup?.()
    }
  }

  const report = finalise({
    target: [artifact.name],
    image: staticResult.image,
    findings,
    notAnalysed: staticResult.notAnalysed,
    filesScanned: staticResult.filesScanned,
    bytesScanned: staticResult.bytesScanned,
    failOn,
    policy: options.policy,
    baseline: options.baseline,
    notices: options.notices,
    signatures,
    degraded,
    run: runInfo ? { runtime: runInfo } : undefined,
  })
  const staticLens: LensSummary = {
    ran: true,
    ...lensCounts(report.findings, 'static'),
    filesScanned: staticResult.filesScanned,
    filesNotAnalysed: staticResult.notAnalysed.length,
  }
  if (runtime.ran) Object.assign(runtime, runtimeCounts(report.findings))
  const lenses = { static: staticLens, runtime }
  const record = buildRecord({
    artifact,
    report,
    policyText: options.policy ? canonicalJson(options.policy.policy) : undefined,
    options: {
      failOn,
      start: options.start ?? null,
      ...(artifact.image ? { image: artifact.image.ref ?? null, platform: artifact.image.platform ?? null } : {}),
      ready: options.ready ? ('port' in options.ready ? options.ready.port : String(options.ready.pattern)) : null,
      exercise: options.exercise?.length ?? 0,
      durationMs: options.durationMs ?? null,
      timeWarp: options.timeWarp ?? null,
      ...(options.browse ? { browse: options.browse.paths, crawl: options.browse.crawl ?? null } : {}),
      baseline: options.baseline ? true : false,
    },
    lenses,
  })
  const comparison = options.expect ? compareRecords(options.expect, record) : undefined
  return { artifact, report, record, lenses, comparison }
}

function canonicalJson(v: unknown): string {
  return JSON.stringify(v, (_k, value) =>
    value && typeof value === 'object' && !Array.isArray(value) ? Object.fromEntries(Object.keys(value).sort().map((k) => [k, value[k]])) : value,
  )
}
