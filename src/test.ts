// `nophonehome/test`: run the product inside the runtime sandbox from its own node:test suite,
// drive it through the bridge, and assert that it phoned no one home.
import { AssertionError } from 'node:assert'
import type { Finding, Report } from './report/finding.ts'
import { isAtLeast } from './report/finding.ts'
import { finalise } from './pipeline.ts'
import { readPolicyFile } from './policy/load.ts'
import type { LoadedPolicy } from './policy/apply.ts'
import type { Policy } from './policy/schema.ts'
import { startSandbox as startRawSandbox, type SandboxResult } from './runtime/sandbox.ts'
import type { RuntimeEvent } from './runtime/events.ts'
import type { AllowRule } from './runtime/allow.ts'
import { browseInSandbox } from './runtime/browser/browse.ts'
import { toBrowserFindings } from './runtime/browser/findings.ts'

export interface StartSandboxOptions {
  /** Program to run, e.g. `process.execPath`. */
  command: string
  args?: string[]
  /** Added to this process's environment (so PATH and friends stay). */
  env?: Record<string, string | undefined>
  cwd?: string
  /** Ready when this port listens inside the sandbox, or when the app's output matches. */
  ready?: number | RegExp
  readyTimeoutMs?: number
  /** A policy file path, or a policy object: its allowed destinations are not findings. */
  policy?: string | Policy
  /** Timers and Date run this many times faster in the app (e.g. 100000: a day in under a second). */
  timeWarp?: number
  /** Run even where namespaces are unavailable (guard only); assertNoPhoneHome then fails unless told otherwise. */
  allowDegraded?: boolean
}

export interface SandboxRun extends SandboxResult {
  /** The findings after the policy, as a full report (verdict, summary). */
  report: Report
}

export interface SandboxedApp extends AsyncDisposable {
  /** http://127.0.0.1:PORT on this host, relayed to the app inside the sandbox. */
  readonly url: string
  /** `fetch` against the app: `app.fetch('/api/items')`. */
  fetch(path: string | URL, init?: RequestInit): Promise<Response>
  /** Every attempt recorded so far. */
  events(): RuntimeEvent[]
  /**
   * Opens pages of the app in headless Chromium inside the same sandbox and records every request to
   * another origin; those become browser-egress findings in the result of stop().
   */
  browse(paths: string[], options?: { crawl?: number; port?: number }): Promise<Finding[]>
  /** Stops the app (and everything it started) and returns what was recorded. Idempotent. */
  stop(): Promise<SandboxRun>
}

function loadPolicy(policy: string | Policy | undefined): LoadedPolicy | undefined {
  if (policy === undefined) return undefined
  if (typeof policy === 'string') return readPolicyFile(policy)
  return { file: '(inline policy)', policy }
}

/** Starts the app in the runtime sandbox and waits until it is ready. */
export async function startSandbox(options: StartSandboxOptions): Promise<SandboxedApp> {
  const policy = loadPolicy(options.policy)
  const allow = (policy?.policy.allow ?? []).flatMap((a) => allowRules(a as Record<string, unknown>))
  const port = typeof options.ready === 'number' ? options.ready : undefined
  const env: NodeJS.ProcessEnv = { ...process.env }
  for (const [k, v] of Object.entries(options.env ?? {})) {
    if (v === undefined) delete env[k]
    else env[k] = v
  }
  const sandbox = await startRawSandbox({
    command: [options.command, ...(options.args ?? [])],
    cwd: options.cwd,
    env,
    port,
    timeWarp: options.timeWarp,
    allowDegraded: options.allowDegraded,
    allow,
  })
  try {
    const timeoutMs = options.readyTimeoutMs ?? 30_000
    if (typeof options.ready === 'number') await sandbox.waitForPort(options.ready, { timeoutMs })
    else if (options.ready) await sandbox.waitForOutput(options.ready, { timeoutMs })
  } catch (err) {
    const r = await sandbox.stop()
    const out = sandbox.output()
    throw new Error(`the app did not become ready: ${(err as Error).message}\nexit: ${JSON.stringify(r.exit)}\nstderr: ${out.stderr.slice(-2000)}`)
  }
  let stopped: Promise<SandboxRun> | undefined
  const browserFindings: Finding[] = []
  const stop = () => {
    stopped ??= sandbox.stop().then((result) => ({
      ...result,
      findings: [...result.findings, ...browserFindings],
      report: finalise({
        target: [options.command, ...(options.args ?? [])],
        findings: [...result.findings, ...browserFindings],
        notAnalysed: [],
        filesScanned: 0,
        bytesScanned: 0,
        failOn: 'violation',
        policy,
        degraded: result.degraded,
      }),
    }))
    return stopped
  }
  return {
    get url() { return sandbox.url },
    fetch: (path, init) => fetch(new URL(String(path), sandbox.url), init),
    events: () => sandbox.events(),
    async browse(paths, browseOptions = {}) {
      const r = await browseInSandbox(sandbox, { paths, crawl: browseOptions.crawl, port: browseOptions.port ?? port, env })
      const found = toBrowserFindings(r.requests, { origin: r.origin, allow })
      browserFindings.push(...found)
      return found
    },
    stop,
    async [Symbol.asyncDispose]() { await stop() },
  }
}

/** Policy allow entries (host, `*.suffix`, IP or CIDR, optional ports) → the sandbox's allow rules. */
function allowRules(a: Record<string, unknown>): AllowRule[] {
  const host = a.host as string | undefined
  if (!host) return []
  const ports = Array.isArray(a.ports) ? (a.ports as number[]) : []
  return ports.length ? ports.map((port) => ({ host, port })) : [{ host }]
}

function describe(f: Finding): string {
  const d = f.destination
  const where = d ? (d.url ?? `${d.host ?? '?'}${d.port ? `:${d.port}` : ''}`) : '(no destination)'
  const at = f.location ? `${f.location.file}:${f.location.line}` : f.evidence?.attribution === 'none' ? 'no JS stack (seen by the OS only)' : 'unknown code'
  const ev = f.evidence
  const who = ev?.command ? ` by ${ev.command}${ev.pid ? ` (pid ${ev.pid})` : ''}` : ''
  const sent = ev?.sent ? ` — would have sent: ${ev.sent.split('\n')[0].slice(0, 120)}` : ''
  return `  - ${where} via ${f.api ?? '?'}${who}, seen by ${ev?.layers?.join(', ') ?? f.lens}; at ${at} in ${f.package}${sent}`
}

/**
 * Throws an AssertionError listing every attempt the policy does not allow — destination, API and the
 * code that made it — or why the check itself was not complete (a degraded sandbox).
 */
export function assertNoPhoneHome(result: SandboxRun | Report | { findings: Finding[]; degraded?: string[] }, options: { allowDegraded?: boolean } = {}): void {
  const findings = 'report' in result ? result.report.findings : result.findings
  const attempts = findings.filter((f) => (!f.status || f.status === 'new') && isAtLeast(f.severity, 'violation'))
  const degraded = ('report' in result ? result.report.degraded : result.degraded) ?? []
  const lines: string[] = []
  if (attempts.length) {
    lines.push(`the app tried to reach ${attempts.length} destination${attempts.length === 1 ? '' : 's'} it is not allowed to:`)
    lines.push(...attempts.map(describe))
  }
  if (degraded.length && !options.allowDegraded) {
    lines.push('the sandbox was degraded, so silence proves nothing:')
    lines.push(...degraded.map((d) => `  - ${d}`))
  }
  if (lines.length) {
    throw new AssertionError({ message: lines.join('\n'), actual: attempts.map((f) => f.destination?.host ?? f.destination?.url), expected: [], operator: 'assertNoPhoneHome' })
  }
}
