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
import { outcomeOf, tagDegraded, tagFindings, variantRecord, withVariant, worstVerdict, type AppliedVariant, type Variant, type VariantOutcome } from '../runtime/variants.ts'

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
  /** With start: run the app once per variant (environment, files, arguments); each gets its own verdict. */
  variants?: Variant[]
  /** Test hooks for the sandbox (fake unshare, no strace). */
  sandbox?: { unshare?: string; strace?: string | false }
  env?: NodeJS.ProcessEnv
}

/** One run of the start command in the sandbox, from a fresh copy of a tarball (or the directory as it is). */
async function runtimeOnce(options: VerifyOptions, name: string, failOn: Severity, opened: OpenedImage | undefined, variant?: AppliedVariant): Promise<Report> {
  let cleanup: (() => void) | undefined
  let cwd = options.artifact
  // Runtime stacks name files relative to where the app ran (`package/` in a tarball): prefix them so
  // they read like the static lens's paths, side by side.
  let prefix = ''
  // A variant's arguments follow the start command, quoted for sh.
  const args = variant?.args.length ? ` ${variant.args.map(shellQuote).join(' ')}` : ''
  try {
    // An image runs in its own root; its runtime paths are already relative to that root, as the static lens's are.
    const image = opened && imageRunOf(opened, options.start ? ['/bin/sh', '-c', options.start + args] : undefined)
    if (image) {
      cwd = '/'
      if (!options.start && variant?.args.length) image.command.push(...variant.args)
    } else if (isTarball(options.artifact) && statSync(options.artifact).isFile()) {
      const ex = await extractTarball(options.artifact, name, { maxEntries: DEFAULT_LIMITS.maxEntries, maxTotalBytes: DEFAULT_LIMITS.maxTotalSize, maxFileSize: DEFAULT_LIMITS.maxFileSize })
      cleanup = ex.cleanup
      cwd = appRoot(ex.dir)
      prefix = relative(ex.dir, cwd).split(sep).join('/')
    } else if (!statSync(options.artifact).isDirectory()) {
      cwd = join(options.artifact, '..')
    }
    const r = await run({
      command: image?.command ?? ['sh', '-c', options.start! + args],
      cwd,
      env: image ? { ...image.env, ...variant?.env } : variant ? { ...(options.env ?? process.env), ...variant.env } : options.env,
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
    return r
  } finally {
    cleanup?.()
  }
}

function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`
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

  const variantOutcomes: VariantOutcome[] = []
  const variantRuns: Array<Record<string, unknown>> = []
  if (options.start !== undefined) {
    // Without --variant: one run of the app as shipped. With: one run per variant, each in a fresh copy of
    // the artifact, so what one variant's app writes next to itself does not carry over to the next.
    const runs: Array<Variant | undefined> = options.variants?.length ? options.variants : [undefined]
    const runtimeFindings: Finding[] = []
    for (const variant of runs) {
      const once = async (applied?: AppliedVariant) => runtimeOnce(options, artifact.name, failOn, opened, applied)
      const r = variant ? await withVariant(variant, once) : await once()
      const mine = variant ? tagFindings(r.findings, variant.name) : r.findings
      runtimeFindings.push(...mine)
      findings.push(...mine)
      degraded.push(...(variant ? tagDegraded(r.degraded, variant.name) : r.degraded ?? []))
      if (variant) {
        // Each variant's verdict is the verdict of the whole check had it been the only one: static + its run.
        const alone = finalise({
          target: [artifact.name], findings: [...staticResult.findings, ...r.findings], notAnalysed: staticResult.notAnalysed,
          filesScanned: staticResult.filesScanned, bytesScanned: staticResult.bytesScanned, failOn, policy: options.policy,
          baseline: options.baseline, signatures, degraded: r.degraded,
        })
        variantOutcomes.push(outcomeOf(variant, alone, r.degraded))
        variantRuns.push({ variant: variant.name, ...r.run })
      }
      runInfo ??= r.run
    }
    runtime = { ran: true, ...runtimeCounts(runtimeFindings), ...(degraded.length ? { degraded: [...degraded] } : {}) }
  }

  const report = finalise({
    target: [artifact.name],
    findings,
    notAnalysed: staticResult.notAnalysed,
    filesScanned: staticResult.filesScanned,
    bytesScanned: staticResult.bytesScanned,
    failOn,
    policy: options.policy,
    baseline: options.baseline,
    notices: options.notices,
    image: staticResult.image,
    signatures,
    degraded,
    run: runInfo ? { runtime: runInfo, ...(variantRuns.length ? { variants: variantRuns } : {}) } : undefined,
  })
  if (variantOutcomes.length) {
    report.variants = variantOutcomes
    report.verdict = worstVerdict([report.verdict, ...variantOutcomes.map((o) => o.verdict)])
  }
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
      ready: options.ready ? ('port' in options.ready ? options.ready.port : String(options.ready.pattern)) : null,
      exercise: options.exercise?.length ?? 0,
      durationMs: options.durationMs ?? null,
      timeWarp: options.timeWarp ?? null,
      ...(options.browse ? { browse: options.browse.paths, crawl: options.browse.crawl ?? null } : {}),
      ...(options.variants?.length ? { variants: options.variants.map(variantRecord) } : {}),
      ...(artifact.image ? { image: artifact.image.ref ?? null, platform: artifact.image.platform ?? null } : {}),
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
