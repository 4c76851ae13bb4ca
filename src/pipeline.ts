// Shared tail of every lens: sort, fingerprint checks, verdict — one Report out.
import type { Finding, ImageReport, NotAnalysed, Report, Severity } from './report/finding.ts'
import { sortFindings, summarise } from './report/finding.ts'
import { applyPolicy, type Baseline, type LoadedPolicy } from './policy/apply.ts'
import { TOOL_NAME, TOOL_VERSION } from './version.ts'
import { signatureIdentity } from './signatures/version.ts'
import type { BuildRecord } from './static/artifact/build-inputs.ts'

export interface FinaliseInput {
  target: string[]
  /** The container image the target is, when it is one. */
  image?: ImageReport
  findings: Finding[]
  notAnalysed: NotAnalysed[]
  filesScanned: number
  bytesScanned: number
  failOn: Severity
  /** Accept not-analysed files without making the verdict incomplete (policy opt-in). */
  acceptNotAnalysed?: boolean
  signatures?: { version: string; digest: string }
  degraded?: string[]
  run?: Record<string, unknown>
  /** Policy to apply (allow, waivers, severity overrides, accepted not-analysed files); see src/policy/apply.ts. */
  policy?: LoadedPolicy
  /** Earlier report whose findings are marked `baselined` and do not count. */
  baseline?: Baseline
  /** Clock for waiver expiry; tests inject it. */
  now?: Date
  /** Notices for the report's `policy.notices` (e.g. an ignored policy inside the artifact). */
  notices?: string[]
  /** Bundling mode: what was bundled and with which edition inputs (`report.build`). */
  build?: BuildRecord
}

export function finalise(input: FinaliseInput): Report {
  const notAnalysed = [...input.notAnalysed].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))
  const applied = applyPolicy(input.findings, notAnalysed, { policy: input.policy, baseline: input.baseline, now: input.now, notices: input.notices })
  const findings = sortFindings(applied.findings)
  const { summary, verdict } = summarise(findings, input.failOn, {
    filesScanned: input.filesScanned,
    bytesScanned: input.bytesScanned,
    notAnalysed: notAnalysed.length,
    acceptNotAnalysed: input.acceptNotAnalysed || applied.acceptNotAnalysed,
  })
  const degradedVerdict = verdict === 'pass' && input.degraded?.length ? 'incomplete' : verdict
  const report: Report = {
    schemaVersion: 1,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    target: input.target,
    ...(input.image ? { image: input.image } : {}),
    verdict: degradedVerdict,
    failOn: input.failOn,
    summary,
    findings,
    notAnalysed,
  }
  report.signatures = input.signatures ?? signatureIdentity()
  if (input.build) report.build = input.build
  if (input.degraded?.length) report.degraded = input.degraded
  if (applied.outcome) report.policy = applied.outcome
  if (input.run) report.run = input.run
  return report
}

/** Exit code for a report: 0 pass, 1 otherwise. */
export function exitCodeFor(report: Report): number {
  return report.verdict === 'pass' ? 0 : 1
}
