// The runtime lens end to end: sandbox → ready → exercise → watch → stop → findings → Report.
import type { ImageReport, Report, Severity } from '../report/finding.ts'
import { finalise } from '../pipeline.ts'
import type { Baseline, LoadedPolicy } from '../policy/apply.ts'
import { startSandbox, type SandboxOptions, type SandboxExit, type SandboxResult } from './sandbox.ts'
import { sendExercise, type ExerciseRequest, type ExerciseResult } from './exercise.ts'
import { browseInSandbox, type BrowseOptions } from './browser/browse.ts'
import { locateChromium } from './browser/chromium.ts'
import { toBrowserFindings } from './browser/findings.ts'
import { parseAllowRule } from './allow.ts'
import type { Finding } from '../report/finding.ts'

export interface RunOptions extends SandboxOptions {
  /** Wait until this port listens inside the sandbox, or this pattern appears in the output. */
  ready?: { port: number } | { pattern: RegExp }
  readyTimeoutMs?: number
  /** HTTP requests sent to the app once ready. */
  exercise?: ExerciseRequest[]
  /**
   * With ready/exercise: how long to keep watching afterwards (default 10 s). Without: the most a
   * finite command may run (default 600 s).
   */
  durationMs?: number
  failOn?: Severity
  /** Policy and baseline applied by finalise() (allow, waivers, overrides), as resolved by the CLI's gating. */
  policy?: LoadedPolicy
  baseline?: Baseline
  notices?: string[]
  /** Once ready (and exercised): open these pages in headless Chromium inside the sandbox (browser-egress findings). */
  browse?: Omit<BrowseOptions, 'port' | 'env'>
  /**
   * Aborting (the CLI does on Ctrl-C / SIGTERM) stops the sandbox at once; the report is still made, marked
   * `run.interrupted` and never a pass. The abort reason (e.g. 'SIGINT') is what the report names.
   */
  signal?: AbortSignal
  /** When the command ran in a container image (rootfs): the image, for the report (runtime/image-run.ts). */
  image?: ImageReport
  /** What the report says was examined (default: the command). */
  target?: string[]
}

const INTERRUPTED = Symbol('interrupted')

/** Runs a command where nothing can leave and reports every attempt as a runtime-egress finding. */
export async function run(options: RunOptions): Promise<Report> {
  const serverMode = !!options.ready || !!options.exercise?.length
  const port = options.port ?? (options.ready && 'port' in options.ready ? options.ready.port : undefined)
  // Before anything starts: no Chromium is a usage problem (exit 2), not a finding.
  if (options.browse) locateChromium(options.browse.chromium, options.env)
  const sandbox = await startSandbox({ ...options, port })
  const degraded = [...sandbox.degraded]
  const info: Record<string, unknown> = {}
  let timedOut = false
  let result: SandboxResult
  let browserFindings: Finding[] = []
  const interrupted = new Promise<typeof INTERRUPTED>((resolve) => {
    if (options.signal?.aborted) resolve(INTERRUPTED)
    else options.signal?.addEventListener('abort', () => resolve(INTERRUPTED), { once: true })
  })
  // Each phase gives way to an interrupt; what it was doing ends with the sandbox.
  const unlessInterrupted = async <T>(p: Promise<T>): Promise<T> => {
    const r = await Promise.race([p, interrupted])
    if (r === INTERRUPTED) throw INTERRUPTED
    return r as T
  }
  try {
    if (options.ready) {
      const readyStart = Date.now()
      try {
        const timeoutMs = options.readyTimeoutMs ?? 60_000
        if ('port' in options.ready) await unlessInterrupted(sandbox.waitForPort(options.ready.port, { timeoutMs }))
        else await unlessInterrupted(sandbox.waitForOutput(options.ready.pattern, { timeoutMs }))
        info.ready = { ms: Date.now() - readyStart }
      } catch (err) {
        if (err === INTERRUPTED) throw err
        info.ready = { error: (err as Error).message }
        degraded.push(`the app never became ready (${(err as Error).message}): it was not exercised`)
      }
    }
    let exercise: ExerciseResult[] | undefined
    if (options.exercise?.length && !(info.ready as { error?: string } | undefined)?.error) {
      exercise = await unlessInterrupted(sendExercise(sandbox.url, options.exercise))
      info.exercise = exercise
    }
    if (options.browse && !(info.ready as { error?: string } | undefined)?.error) {
      browserFindings = await unlessInterrupted(runBrowser(sandbox, options, port, degraded, info))
    }
    const limit = options.durationMs ?? (serverMode ? 10_000 : 600_000)
    const ended = await unlessInterrupted(Promise.race([
      sandbox.exited.then(() => true),
      new Promise<false>((r) => setTimeout(() => r(false), limit).unref()),
    ]))
    timedOut = !ended && !serverMode
  } catch (err) {
    if (err !== INTERRUPTED) throw err
  } finally {
    result = await sandbox.stop()
  }
  // What the sandbox found only while stopping (a layer's log tampered with or too large).
  for (const d of result.degraded) if (!degraded.includes(d)) degraded.push(d)
  // Checked after the stop: a Ctrl-C in a terminal also signals the app, which may end first.
  const interruptedBy = options.signal?.aborted ? String(options.signal.reason ?? 'abort') : undefined
  if (interruptedBy) {
    degraded.push(
      `interrupted (${interruptedBy}): the sandbox was stopped early, so this report is partial — ` +
        'what the app would have done afterwards was not observed',
    )
  }
  // The guard notices its patches being undone; the OS layers are unaffected, so this explains, not degrades.
  const guardTampering = [...new Set(result.events
    .filter((e) => e.layer === 'guard' && e.note && /^(patches removed|NODE_OPTIONS changed)/.test(e.note))
    .map((e) => e.note!))]
  const exit: SandboxExit | undefined = result.exit
  if (exit?.error) {
    degraded.push(exit.code === 127 || exit.code === 126 ? `the command could not be started (${exit.error})` : `the command's end was not observed as it should be (${exit.error})`)
  }
  const report = finalise({
    target: options.target ?? options.command,
    image: options.image,
    findings: [...result.findings, ...browserFindings],
    notAnalysed: [],
    filesScanned: 0,
    bytesScanned: 0,
    failOn: options.failOn ?? 'violation',
    policy: options.policy,
    baseline: options.baseline,
    notices: options.notices,
    degraded,
    run: {
      command: options.command,
      exitCode: exit?.code ?? null,
      signal: exit?.signal ?? null,
      ...(exit?.error ? { error: exit.error } : {}),
      durationMs: result.durationMs,
      timedOut,
      ...(interruptedBy ? { interrupted: interruptedBy } : {}),
      layers: result.layers,
      notes: result.notes,
      ...(result.unixSockets.length ? { unixSockets: result.unixSockets } : {}),
      ...(guardTampering.length ? { guardTampering } : {}),
      events: result.events.length,
      ...info,
    },
  })
  return report
}

/** The browser check inside the running sandbox; a failure makes the verdict incomplete, never a pass. */
async function runBrowser(
  sandbox: Awaited<ReturnType<typeof startSandbox>>, options: RunOptions, port: number | undefined, degraded: string[], info: Record<string, unknown>,
): Promise<Finding[]> {
  if (!sandbox.isolated) {
    degraded.push('browser check not run: without a network namespace the browser could really reach third parties')
    info.browser = { ran: false }
    return []
  }
  try {
    const r = await browseInSandbox(sandbox, { ...options.browse!, port, env: options.env })
    info.browser = { origin: r.origin, ms: r.ms, pages: r.pages, own: r.own, ...(r.notes.length ? { notes: r.notes } : {}) }
    for (const p of r.pages) if (p.error) degraded.push(`browser check: ${p.url} did not load (${p.error})`)
    const allow = (options.allow ?? []).map((a) => (typeof a === 'string' ? parseAllowRule(a) : a))
    return toBrowserFindings(r.requests, { origin: r.origin, allow })
  } catch (err) {
    if ((err as { code?: string }).code === 'TOOL_MISSING') throw err
    degraded.push(`browser check failed: ${(err as Error).message.split('\n')[0]}`)
    info.browser = { error: (err as Error).message.split('\n')[0] }
    return []
  }
}
