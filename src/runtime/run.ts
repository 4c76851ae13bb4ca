// The runtime lens end to end: sandbox → ready → exercise → watch → stop → findings → Report.
import type { Report, Severity } from '../report/finding.ts'
import { finalise } from '../pipeline.ts'
import type { Baseline, LoadedPolicy } from '../policy/apply.ts'
import { startSandbox, type SandboxOptions, type SandboxExit, type SandboxResult } from './sandbox.ts'
import { sendExercise, type ExerciseRequest, type ExerciseResult } from './exercise.ts'

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
}

/** Runs a command where nothing can leave and reports every attempt as a runtime-egress finding. */
export async function run(options: RunOptions): Promise<Report> {
  const serverMode = !!options.ready || !!options.exercise?.length
  const port = options.port ?? (options.ready && 'port' in options.ready ? options.ready.port : undefined)
  const sandbox = await startSandbox({ ...options, port })
  const degraded = [...sandbox.degraded]
  const info: Record<string, unknown> = {}
  let timedOut = false
  let result: SandboxResult
  try {
    if (options.ready) {
      const readyStart = Date.now()
      try {
        const timeoutMs = options.readyTimeoutMs ?? 60_000
        if ('port' in options.ready) await sandbox.waitForPort(options.ready.port, { timeoutMs })
        else await sandbox.waitForOutput(options.ready.pattern, { timeoutMs })
        info.ready = { ms: Date.now() - readyStart }
      } catch (err) {
        info.ready = { error: (err as Error).message }
        degraded.push(`the app never became ready (${(err as Error).message}): it was not exercised`)
      }
    }
    let exercise: ExerciseResult[] | undefined
    if (options.exercise?.length && !(info.ready as { error?: string } | undefined)?.error) {
      exercise = await sendExercise(sandbox.url, options.exercise)
      info.exercise = exercise
    }
    const limit = options.durationMs ?? (serverMode ? 10_000 : 600_000)
    const ended = await Promise.race([
      sandbox.exited.then(() => true),
      new Promise<false>((r) => setTimeout(() => r(false), limit).unref()),
    ])
    timedOut = !ended && !serverMode
  } finally {
    result = await sandbox.stop()
  }
  const exit: SandboxExit | undefined = result.exit
  if (exit?.error && exit.code === 127) degraded.push(`the command could not be started (${exit.error})`)
  const report = finalise({
    target: options.command,
    findings: result.findings,
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
      layers: result.layers,
      notes: result.notes,
      ...(result.unixSockets.length ? { unixSockets: result.unixSockets } : {}),
      events: result.events.length,
      ...info,
    },
  })
  return report
}
