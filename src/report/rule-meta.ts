// Rule metadata for the formats that describe rules (SARIF, HTML): every rule the tool can emit, and where its docs page is.
import type { Finding, Severity } from './finding.ts'
import { allRules } from '../static/detectors/rules.ts'
// Rules outside the JS detectors register when their module loads: load every such module here, so that
// the list is whole whichever command (or library call) is rendering.
import '../static/frontend/register.ts'
import '../static/artifact/bundle.ts'
import '../runtime/correlate.ts'
import '../runtime/browser/findings.ts'

/** Same shape as a detector's meta (src/static/detectors/detector.ts DetectorMeta). */
export interface RuleMeta {
  id: string
  severity: Severity
  description: string
  /** What it means and what to do; Markdown allowed. */
  help: string
}

/** Every rule id the tool can report (JS detectors, the parse/not-analysed rules, and every registered rule), by id. */
export function everyRule(): RuleMeta[] {
  return allRules()
}

declare const __NOPHONEHOME_RULE_DOCS__: string
/**
 * Absolute URL of the folder holding `<id>.md`, derived from package.json `repository` at build time
 * (scripts/rule-docs-base.mjs); undefined while the project names no repository.
 */
export const RULE_DOCS_BASE: string | undefined =
  typeof __NOPHONEHOME_RULE_DOCS__ === 'string' && __NOPHONEHOME_RULE_DOCS__ ? __NOPHONEHOME_RULE_DOCS__ : undefined

/** The rule's docs page in the nophonehome repository, relative to its root: `docs/rules/<id>.md`. */
export function ruleDocPath(id: string): string {
  return `docs/rules/${id}.md`
}

/** Absolute URL of the rule's docs page under `base` (default RULE_DOCS_BASE), or undefined without a base. */
export function ruleDocUrl(id: string, base: string | undefined = RULE_DOCS_BASE): string | undefined {
  return base ? new URL(`${encodeURIComponent(id)}.md`, base.endsWith('/') ? base : base + '/').href : undefined
}

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
