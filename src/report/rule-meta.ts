// Rule metadata for the formats that describe rules (SARIF, HTML): the detectors' meta when wired, a small table until then.
import type { Finding, Severity } from './finding.ts'

/** Same shape as a detector's meta (src/static/detector.ts DetectorMeta). */
export interface RuleMeta {
  id: string
  severity: Severity
  description: string
  /** What it means and what to do; Markdown allowed. */
  help: string
}

// Used until the renderers are handed the detectors' own meta (createSarifRenderer(detectors.map((d) => d.meta))).
export const KNOWN_RULES: readonly RuleMeta[] = [
  {
    id: 'net-sink',
    severity: 'violation',
    description: 'Code that can open a network connection or send a request',
    help: 'A call that can send data over the network. Hard-coded external destinations are violations; configured ones need review. Allow the destination in the policy if the customer configures it, or remove the call.',
  },
  {
    id: 'child-process-network',
    severity: 'violation',
    description: 'A child process that runs a network tool (curl, wget, nc, nslookup …)',
    help: 'The program runs a command-line tool that can reach the network. Check where it goes and whether the customer controls it.',
  },
  {
    id: 'opaque-code',
    severity: 'review',
    description: 'Code the analysis cannot see through (eval, new Function, computed require/import)',
    help: 'Code built at run time can do anything, including network access. Review what it evaluates; waive it with a reason when it is known to be safe.',
  },
  {
    id: 'telemetry-endpoint',
    severity: 'violation',
    description: 'A known telemetry, analytics, crash-reporting or update-check endpoint or SDK',
    help: 'The build contains a destination or SDK known to report usage, errors or versions to a vendor. Remove it or make it off by default and configurable.',
  },
  {
    id: 'runtime-egress',
    severity: 'violation',
    description: 'The running app tried to reach a destination the policy does not allow',
    help: 'Seen while the app ran in a sandbox with no route out. The evidence shows what was attempted, from which process and code. ' +
      "Destinations that stay on the customer's network (private, link-local, multicast such as mDNS or SSDP) are listed as info.",
  },
  {
    id: 'not-analysed',
    severity: 'review',
    description: 'A file that could not be analysed',
    help: 'Nothing is silently skipped: a file that could not be read or parsed keeps the verdict from passing. Accept it explicitly in the policy (acceptNotAnalysed) with a reason if it is safe.',
  },
]

/**
 * Rule entries for the rules a report uses: from `metas` when known, otherwise derived from the
 * findings themselves (highest severity seen). Sorted by id, one per rule.
 */
export function resolveRules(findings: Finding[], metas: readonly RuleMeta[]): RuleMeta[] {
  const byId = new Map(metas.map((m) => [m.id, m]))
  const out = new Map<string, RuleMeta>()
  for (const f of findings) {
    if (out.has(f.rule)) continue
    const known = byId.get(f.rule)
    out.set(f.rule, known ?? {
      id: f.rule,
      severity: f.severity,
      description: `nophonehome rule ${f.rule}`,
      help: `Findings of rule ${f.rule}; see the message of each finding.`,
    })
  }
  return [...out.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}
