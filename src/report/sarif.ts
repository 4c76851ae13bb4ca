// SARIF 2.1.0 for code scanning: one rule per detector, one result per finding, deterministic output.
import type { Finding, Report, Severity } from './finding.ts'
import type { Renderer } from './renderer.ts'
import { everyRule, resolveRules, ruleDocPath, ruleDocUrl, RULE_DOCS_BASE, type RuleMeta } from './rule-meta.ts'
import { relativeToTarget, toUriReference } from './paths.ts'

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json'
/** Key of our fingerprint in `partialFingerprints`; bump the suffix if the fingerprint recipe changes. */
export const FINGERPRINT_KEY = 'nophonehome/v1'

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { violation: 'error', review: 'warning', info: 'note' }
// GitHub code scanning ranks security alerts by this number (0.1-10).
const SECURITY_SEVERITY: Record<Severity, string> = { violation: '8.0', review: '5.0', info: '2.0' }

export interface SarifOptions {
  /** Absolute URL of the folder of rule pages (`<id>.md`); default: from package.json `repository` at build time. */
  docsBase?: string
}

/** A SARIF renderer that describes rules with `metas` (e.g. the detectors' meta); unknown rules are derived from findings. */
export function createSarifRenderer(metas: readonly RuleMeta[], options: SarifOptions = {}): Renderer {
  return (report) => JSON.stringify(toSarifLog(report, metas, options), null, 2) + '\n'
}

/** SARIF with every rule's own metadata. */
export const toSarif: Renderer = (report) => JSON.stringify(toSarifLog(report), null, 2) + '\n'

/** The SARIF log object (for callers that want to post-process it). */
export function toSarifLog(report: Report, metas: readonly RuleMeta[] = everyRule(), options: SarifOptions = {}): Record<string, unknown> {
  const docsBase = options.docsBase ?? RULE_DOCS_BASE
  const rules = resolveRules(report.findings, metas)
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]))
  const baselined = report.policy?.baseline !== undefined
  const run: Record<string, unknown> = {
    tool: {
      driver: {
        name: report.tool.name,
        version: report.tool.version,
        semanticVersion: report.tool.version,
        rules: rules.map((r) => toRuleDescriptor(r, docsBase)),
      },
    },
    invocations: [toInvocation(report)],
    // Locations are relative to the scanned target; consumers resolve TARGET to where they unpacked it.
    originalUriBaseIds: {
      TARGET: { description: { text: `The scanned target: ${report.target.join(', ')}` } },
    },
    results: report.findings.map((f) => toResult(f, report, ruleIndex.get(f.rule)!, baselined)),
    columnKind: 'utf16CodeUnits',
    properties: {
      verdict: report.verdict,
      failOn: report.failOn,
      summary: report.summary,
      ...(report.signatures ? { signatures: report.signatures } : {}),
      ...(report.degraded?.length ? { degraded: report.degraded } : {}),
      ...(report.policy ? { policy: report.policy } : {}),
    },
  }
  return { $schema: SARIF_SCHEMA_URI, version: '2.1.0', runs: [run] }
}

// helpUri must be an absolute URI (SARIF 2.1.0 §3.49.12; the schema's `format: uri`), so without a published
// docs location the page's path goes into the help text instead, and helpUri is left out.
function toRuleDescriptor(rule: RuleMeta, docsBase: string | undefined): Record<string, unknown> {
  const url = ruleDocUrl(rule.id, docsBase)
  const path = ruleDocPath(rule.id)
  const descriptor: Record<string, unknown> = {
    id: rule.id,
    name: rule.id.split(/[^a-zA-Z0-9]+/).map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(''),
    shortDescription: { text: rule.description },
    fullDescription: { text: rule.description },
    help: {
      text: `${rule.help}\n\nDocs: ${url ?? `${path} in the nophonehome repository`}`,
      markdown: `${rule.help}\n\nDocs: ${url ? `[${path}](${url})` : `\`${path}\` in the nophonehome repository`}`,
    },
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: { tags: ['security', 'network', 'privacy'], 'security-severity': SECURITY_SEVERITY[rule.severity], docs: path },
  }
  if (url) descriptor.helpUri = url
  return descriptor
}

function toInvocation(report: Report): Record<string, unknown> {
  const notifications = report.notAnalysed.map((n) => ({
    level: 'warning',
    message: { text: `Not analysed: ${n.reason}` },
    locations: [{ physicalLocation: { artifactLocation: { uri: toUriReference(relativeToTarget(n.file, report.target)), uriBaseId: 'TARGET' } } }],
  }))
  const invocation: Record<string, unknown> = { executionSuccessful: true }
  if (notifications.length) invocation.toolExecutionNotifications = notifications
  // The only non-deterministic part (times, durations) stays in this one block.
  if (report.run) invocation.properties = { run: report.run }
  return invocation
}

function toResult(f: Finding, report: Report, ruleIndex: number, baselined: boolean): Record<string, unknown> {
  const result: Record<string, unknown> = {
    ruleId: f.rule,
    ruleIndex,
    level: LEVEL[f.severity],
    message: { text: resultMessage(f) },
  }
  if (f.location) {
    const region: Record<string, unknown> = { startLine: Math.max(1, f.location.line), startColumn: f.location.column + 1 }
    if (f.location.snippet) region.snippet = { text: f.location.snippet }
    result.locations = [{
      physicalLocation: {
        artifactLocation: { uri: toUriReference(relativeToTarget(f.location.file, report.target)), uriBaseId: 'TARGET' },
        region,
      },
    }]
    const o = f.location.original
    if (o) {
      result.relatedLocations = [{
        id: 1,
        message: { text: 'Original source (through the source map)' },
        physicalLocation: {
          artifactLocation: { uri: toUriReference(o.file) },
          region: { startLine: Math.max(1, o.line), startColumn: o.column + 1 },
        },
      }]
    }
  }
  result.partialFingerprints = { [FINGERPRINT_KEY]: f.fingerprint }
  if (baselined) result.baselineState = f.status === 'baselined' ? 'unchanged' : 'new'
  if (f.status === 'waived' || f.status === 'allowed') {
    result.suppressions = [{ kind: 'external', status: 'accepted', justification: f.statusReason ?? f.status }]
  }
  const properties: Record<string, unknown> = { package: f.package, lens: f.lens, severity: f.severity }
  if (f.chain) properties.chain = f.chain
  if (f.api) properties.api = f.api
  if (f.destination) properties.destination = f.destination
  if (f.status) properties.status = f.status
  if (f.statusReason) properties.statusReason = f.statusReason
  if (f.details && Object.keys(f.details).length) properties.details = f.details
  if (f.evidence) properties.evidence = f.evidence
  result.properties = properties
  return result
}

function resultMessage(f: Finding): string {
  const pkg = f.package === '(first-party)' ? '' : ` [${f.package}]`
  return `${f.message}${pkg}`
}
