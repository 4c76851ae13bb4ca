// Markdown summary sized for a PR comment or a CI job summary (GitHub comments stop at 65,536 characters).
import type { Finding, Report } from './finding.ts'
import type { Renderer } from './renderer.ts'
import { formatBytes } from './text.ts'
import { describeProvenance, externalDestinations, severityText, vendorText, type DestinationGroup } from './destinations.ts'

/** Stay well below GitHub's 65,536-character comment limit, leaving room for a bot's own header. */
export const MARKDOWN_BUDGET = 60_000
const ROWS_PER_TABLE = 50

export const toMarkdown: Renderer = (report, options) => {
  const out: string[] = []
  const s = report.summary
  const verdict = report.verdict === 'pass' ? 'PASS' : report.verdict === 'fail' ? 'FAIL' : 'INCOMPLETE'
  out.push(`## ${report.tool.name}: ${verdict}`)
  out.push('')
  out.push(
    `**${s.violation}** violation(s) · **${s.review}** to review · ${s.info} info · ${s.filesScanned} files (${formatBytes(s.bytesScanned)}) scanned · ` +
      `${s.filesNotAnalysed} not analysed · fails on **${report.failOn}**`,
  )
  out.push('')
  out.push(`Target: ${report.target.map(code).join(', ') || '(none)'}`)
  out.push('')

  const counting = report.findings.filter(counts)
  const notCounting = report.findings.filter((f) => !counts(f))
  const budget = { left: MARKDOWN_BUDGET - out.join('\n').length - 2_000 }
  out.push(...destinationTable(externalDestinations(report.findings), budget, options.showInfo === true))
  const violations = counting.filter((f) => f.severity === 'violation')
  const review = counting.filter((f) => f.severity === 'review')
  const info = counting.filter((f) => f.severity === 'info')
  if (violations.length) out.push(`### Violations (${violations.length})`, '', ...findingTable(violations, budget), '')
  if (review.length) out.push(...collapsible(`To review (${review.length})`, findingTable(review, budget)))
  if (info.length && options.showInfo) out.push(...collapsible(`Info (${info.length})`, findingTable(info, budget)))
  if (notCounting.length) {
    const by = (st: string) => notCounting.filter((f) => f.status === st).length
    const label = `Not counted (${['allowed', 'waived', 'baselined'].map((st) => `${st} ${by(st)}`).join(', ')})`
    out.push(...collapsible(label, findingTable(notCounting, budget, true)))
  }
  if (report.notAnalysed.length) {
    const rows = report.notAnalysed.slice(0, ROWS_PER_TABLE).map((n) => `- ${code(n.file)}: ${escapeText(n.reason)}`)
    if (report.notAnalysed.length > ROWS_PER_TABLE) rows.push(`- … and ${report.notAnalysed.length - ROWS_PER_TABLE} more`)
    out.push(`### Not analysed (${report.notAnalysed.length})`, '', 'Nothing is skipped silently: these keep the verdict from passing unless the policy accepts them.', '', ...rows, '')
  }
  if (report.degraded?.length) out.push('### Degraded', '', ...report.degraded.map((d) => `- ${escapeText(d)}`), '')
  const p = report.policy
  if (p?.expiredWaivers?.length) {
    out.push('### Expired waivers', '', ...p.expiredWaivers.map((w) => `- ${code(w.pointer)} expired on ${escapeText(w.expires)} (${w.findings} finding(s) count again): ${escapeText(w.reason)}`), '')
  }
  if (p?.notices?.length) out.push('### Notices', '', ...p.notices.map((n) => `- ${escapeText(n)}`), '')
  const footer: string[] = []
  if (p?.file) footer.push(`policy ${code(p.file)}`)
  if (p?.baseline) footer.push(`baseline ${code(p.baseline)}`)
  if (report.signatures) footer.push(`signatures ${escapeText(report.signatures.version)}`)
  footer.push(`${escapeText(report.tool.name)} ${escapeText(report.tool.version)}`)
  out.push(`<sub>${footer.join(' · ')}</sub>`)
  return out.join('\n') + '\n'
}

function counts(f: Finding): boolean {
  return f.status !== 'allowed' && f.status !== 'waived' && f.status !== 'baselined'
}

function collapsible(summary: string, body: string[]): string[] {
  // Labels are ours (counts and words), not artifact text; Markdown escapes would show literally inside <summary>.
  return ['<details>', `<summary>${summary}</summary>`, '', ...body, '', '</details>', '']
}

/** Who the build talks to, first: one row per external destination, worst first (info-only ones with --show-info). */
function destinationTable(all: DestinationGroup[], budget: { left: number }, showInfo: boolean): string[] {
  if (!all.length) return []
  const list = all.filter((g) => showInfo || g.severity !== 'info' || !g.counts)
  const head = [
    `### Destinations (${all.length} external)`, '',
    '| Destination | Vendor (category) | Severity | Seen by | Findings | How it is set |', '|---|---|---|---|---|---|',
  ]
  const rows: string[] = []
  for (const g of list) {
    const how = g.provenance.length ? g.provenance.map(escapeText).join('; ') : g.lenses.includes('static') ? '' : 'seen at run time'
    const row = tableRow([code(g.label), escapeText(vendorText(g)), severityText(g), g.lenses.join(', '), String(g.findings.length), how])
    if (rows.length >= ROWS_PER_TABLE || budget.left - row.length < 0) break
    budget.left -= row.length + 1
    rows.push(row)
  }
  const notes: string[] = []
  if (list.length > rows.length) notes.push(`… and ${list.length - rows.length} more; see the full report (JSON, SARIF or HTML).`)
  if (all.length > list.length) notes.push(`${all.length - list.length} more seen only at info level (such as URL strings that reach no sink; --show-info lists them).`)
  return [...head, ...rows, ...(notes.length ? ['', ...notes] : []), '']
}

function findingTable(list: Finding[], budget: { left: number }, withStatus = false): string[] {
  const head = withStatus
    ? ['| Severity | Rule | Package | Destination | Location | Status |', '|---|---|---|---|---|---|']
    : ['| Severity | Rule | Package | Destination | Location |', '|---|---|---|---|---|']
  const rows: string[] = []
  let shown = 0
  for (const f of list) {
    const dest = f.destination ? `${code(f.destination.url ?? f.destination.host ?? '')} ${escapeText(describeProvenance(f.destination))}`.trim() : ''
    const loc = f.location ? code(`${f.location.file}:${f.location.line}`) : ''
    const cells = [f.severity, code(f.rule), code(f.package), dest, loc]
    if (withStatus) cells.push(escapeText(`${f.status ?? ''}${f.statusReason ? `: ${f.statusReason}` : ''}`))
    const row = tableRow(cells)
    if (shown >= ROWS_PER_TABLE || budget.left - row.length < 0) break
    budget.left -= row.length + 1
    rows.push(row)
    shown++
  }
  const more = list.length - shown
  return [...head, ...rows, ...(more > 0 ? ['', `… and ${more} more; see the full report (JSON, SARIF or HTML).`] : [])]
}

/** One GFM table row; pipes in cells (also inside code spans) are escaped, as GFM splits cells before anything else. */
export function tableRow(cells: string[]): string {
  return `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`
}

/** Untrusted text as an inline code span: no line breaks, a fence longer than any backtick run inside. */
export function code(untrusted: string): string {
  const flat = untrusted.replace(/[\r\n\t]+/g, ' ').slice(0, 200)
  if (!flat) return ''
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((r) => r.length))
  const fence = '`'.repeat(longest + 1)
  const pad = flat.startsWith('`') || flat.endsWith('`') || flat.startsWith(' ') ? ' ' : ''
  return `${fence}${pad}${flat}${pad}${fence}`
}

/** Untrusted text as plain Markdown: no HTML, links, emphasis or headings can be smuggled in. */
export function escapeText(untrusted: string): string {
  return untrusted
    .replace(/[\r\n]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_{}[\]()#+!~])/g, '\\$1')
    // Break bare URLs so they do not auto-link to a destination found in an untrusted artifact.
    .replace(/:\/\//g, ':&#47;&#47;')
    .replace(/\bwww\./gi, (m) => m.slice(0, 3) + '&#46;')
}
