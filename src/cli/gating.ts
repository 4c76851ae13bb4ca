// Flags shared by every command that produces a verdict (scan, run, verify): --fail-on, --policy, --baseline.
import { loadBaseline } from '../policy/baseline.ts'
import { discoverPolicy } from '../policy/discover.ts'
import { readPolicyFile } from '../policy/load.ts'
import type { Baseline, LoadedPolicy } from '../policy/apply.ts'
import type { Severity } from '../report/finding.ts'
import { parseSeverity } from './args.ts'

export const GATING_OPTIONS = {
  'fail-on': { type: 'string' },
  policy: { type: 'string' },
  baseline: { type: 'string' },
} as const

export const GATING_USAGE = [
  '  --fail-on LEVEL     violation (default), review or info: lowest severity that fails',
  '  --policy FILE       policy to apply (default: nophonehome.policy.json in the working',
  '                      directory, unless it lies inside a scanned directory)',
  '  --baseline FILE     earlier JSON report: only findings not in it count for the verdict',
].join('\n')

export interface Gating {
  /** --fail-on, else the policy's failOn, else 'violation'. */
  failOn: Severity
  /** The policy in force, if any (pass to finalise). */
  policy?: LoadedPolicy
  /** The baseline in force, if any (pass to finalise). */
  baseline?: Baseline
  /** Things to tell the user on stderr (and pass to finalise so reports carry them). */
  notices: string[]
}

/**
 * Resolves the gating flags before a long scan, so config errors fail fast (PolicyInvalidError,
 * ReportInvalidError → exit 2). `targets` are the paths being scanned: a policy inside one is ignored.
 */
export async function resolveGating(values: Record<string, unknown>, targets: string[], cwd: string): Promise<Gating> {
  const flag = parseSeverity(values['fail-on'] as string | undefined, '--fail-on')
  const where = discoverPolicy(values.policy as string | undefined, targets, cwd)
  const policy = where.path ? readPolicyFile(where.path, where.display) : undefined
  const baselineFile = values.baseline as string | undefined
  const baseline = baselineFile ? loadBaseline(baselineFile, cwd) : undefined
  const failOn = flag ?? (policy?.policy.failOn as Severity | undefined) ?? 'violation'
  return { failOn, policy, baseline, notices: where.notices }
}
