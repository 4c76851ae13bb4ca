// Compares two reports (two releases): network capabilities new, gone and changed, grouped by package.
import { isAtLeast, packageName, type Finding, type Report, type Severity } from './finding.ts'
import { code, escapeText, tableRow } from './markdown.ts'

export interface Capability {
  rule: string
  severity: Severity
  message: string
  /** `name@version` as in the report it comes from. */
  package: string
  api?: string
  /** URL, host[:port] or the configured source; '' when none. */
  destination: string
  provenance?: string
  location?: string
  fingerprint: string
  status?: string
  /** True when it counts toward the verdict (not allowed, waived or baselined). */
  counts: boolean
}

export interface ChangedCapability {
  before: Capability
  after: Capability
  /** What changed, e.g. `severity review → violation`, `code changed`. */
  changes: string[]
}

export interface PackageDiff {
  /** Package name without version, or `(first-party)`. */
  package: string
  oldVersions: string[]
  newVersions: string[]
  new: Capability[]
  gone: Capability[]
  changed: ChangedCapability[]
}

export interface ReportDiff {
  schemaVersion: 1
  old: { target: string[]; tool: string; verdict: string }
  new: { target: string[]; tool: string; verdict: string }
  failOn: Severity
  summary: { new: number; gone: number; changed: number; newViolations: number }
  /** New or changed capabilities that count at or above failOn in the new report. */
  newViolations: Capability[]
  packages: PackageDiff[]
}

/** Diffs two reports. Matching is by fingerprint first, then by rule + package + API + destination (code edits). */
export function diffReports(oldReport: Report, newReport: Report, failOn: Severity = newReport.failOn): ReportDiff {
  const before = oldReport.findings.map(toCapability)
  const after = newReport.findings.map(toCapability)
  const pairs: Array<[Capability, Capability, boolean]> = []
  const restBefore = matchBy(before, after, (c) => c.fingerprint, pairs, false)
  const restAfter = after.filter((c) => !pairs.some((p) => p[1] === c))
  const looseKey = (c: Capability) => [c.rule, packageName(c.package), c.api ?? '', c.destination, c.provenance ?? ''].join('\u0000')
  const gone = matchBy(restBefore, restAfter, looseKey, pairs, true)
  const added = restAfter.filter((c) => !pairs.some((p) => p[1] === c))

  const changed: ChangedCapability[] = []
  for (const [b, a, loose] of pairs) {
    const changes: string[] = []
    if (b.severity !== a.severity) changes.push(`severity ${b.severity} → ${a.severity}`)
    if ((b.status ?? 'new') !== (a.status ?? 'new')) changes.push(`status ${b.status ?? 'new'} → ${a.status ?? 'new'}`)
    if (loose) changes.push('code changed')
    if (changes.length) changed.push({ before: b, after: a, changes })
  }

  const isNewViolation = (c: Capability) => c.counts && isAtLeast(c.severity, failOn)
  const newViolations = [
    ...added.filter(isNewViolation),
    ...changed.filter((ch) => isNewViolation(ch.after) && !isNewViolation(ch.before)).map((ch) => ch.after),
  ]

  const packages = new Map<string, PackageDiff>()
  const pkg = (name: string) => {
    let p = packages.get(name)
    if (!p) packages.set(name, (p = { package: name, oldVersions: [], newVersions: [], new: [], gone: [], changed: [] }))
    return p
  }
  for (const c of added) pkg(packageName(c.package)).new.push(c)
  for (const c of gone) pkg(packageName(c.package)).gone.push(c)
  for (const c of changed) pkg(packageName(c.after.package)).changed.push(c)
  for (const p of packages.values()) {
    p.oldVersions = versionsOf(oldReport.findings, p.package)
    p.newVersions = versionsOf(newReport.findings, p.package)
    p.new.sort(compareCapabilities)
    p.gone.sort(compareCapabilities)
    p.changed.sort((x, y) => compareCapabilities(x.after, y.after))
  }
  const list = [...packages.values()].sort((a, b) =>
    a.package === '(first-party)' ? -1 : b.package === '(first-party)' ? 1 : a.package < b.package ? -1 : a.package > b.package ? 1 : 0)
  return {
    schemaVersion: 1,
    old: { target: oldReport.target, tool: `${oldReport.tool.name} ${oldReport.tool.version}`, verdict: oldReport.verdict },
    new: { target: newReport.target, tool: `${newReport.tool.name} ${newReport.tool.version}`, verdict: newReport.verdict },
    failOn,
    summary: { new: added.length, gone: gone.length, changed: changed.length, newViolations: newViolations.length },
    newViolations: newViolations.sort(compareCapabilities),
    packages: list,
  }
}

/** Pairs items with equal keys (as many as both sides have); returns the unpaired `before` items. */
function matchBy(before: Capability[], after: Capability[], key: (c: Capability) => string, pairs: Array<[Capability, Capability, boolean]>, loose: boolean): Capability[] {
  const pool = new Map<string, Capability[]>()
  for (const a of after) {
    const list = pool.get(key(a)) ?? []
    list.push(a)
    pool.set(key(a), list)
  }
  const rest: Capability[] = []
  for (const b of before) {
    const a = pool.get(key(b))?.shift()
    if (a) pairs.push([b, a, loose])
    else rest.push(b)
  }
  return rest
}

function toCapability(f: Finding): Capability {
  const d = f.destination
  const destination = d ? d.url ?? (d.host ? d.host + (d.port ? `:${d.port}` : '') : d.source ?? '') : ''
  const c: Capability = { rule: f.rule, severity: f.severity, message: f.message, package: f.package, destination, fingerprint: f.fingerprint, counts: f.status !== 'allowed' && f.status !== 'waived' && f.status !== 'baselined' }
  if (f.api) c.api = f.api
  if (d) c.provenance = d.provenance
  if (f.location) c.location = `${f.location.file}:${f.location.line}`
  if (f.status) c.status = f.status
  return c
}

function versionsOf(findings: Finding[], name: string): string[] {
  const v = new Set<string>()
  for (const f of findings) {
    if (packageName(f.package) !== name) continue
    const version = f.package.slice(name.length + 1)
    if (version) v.add(version)
  }
  return [...v].sort()
}

function compareCapabilities(a: Capability, b: Capability): number {
  const ka = `${a.rule}\u0000${a.destination}\u0000${a.location ?? ''}\u0000${a.fingerprint}`
  const kb = `${b.rule}\u0000${b.destination}\u0000${b.location ?? ''}\u0000${b.fingerprint}`
  return ka < kb ? -1 : ka > kb ? 1 : 0
}

function versionLabel(p: PackageDiff): string {
  const o = p.oldVersions.join(', '), n = p.newVersions.join(', ')
  if (!o && !n) return ''
  if (o === n) return ` ${n}`
  return ` ${o || '(absent)'} → ${n || '(absent)'}`
}

function describe(c: Capability): string {
  const dest = c.destination ? ` ${c.destination}${c.provenance ? ` (${c.provenance})` : ''}` : c.provenance ? ` (${c.provenance})` : ''
  const status = c.status && c.status !== 'new' ? ` [${c.status}]` : ''
  return `${c.severity} ${c.rule}${c.api ? ` ${c.api}` : ''}${dest}${c.location ? `  ${c.location}` : ''}${status}`
}

/** Plain text, grouped by package. */
export function diffToText(diff: ReportDiff): string {
  const out: string[] = []
  const s = diff.summary
  out.push(`${s.new} new, ${s.gone} gone, ${s.changed} changed; ${s.newViolations} new at or above ${diff.failOn}`)
  out.push(`old: ${diff.old.target.join(' ')} (${diff.old.verdict}) · new: ${diff.new.target.join(' ')} (${diff.new.verdict})`)
  for (const p of diff.packages) {
    out.push('')
    out.push(`${p.package}${versionLabel(p)}`)
    for (const c of p.new) out.push(`  + ${describe(c)}`)
    for (const c of p.gone) out.push(`  - ${describe(c)}`)
    for (const c of p.changed) out.push(`  ~ ${describe(c.after)}: ${c.changes.join(', ')}`)
  }
  if (!diff.packages.length) out.push('', 'No change in network capabilities.')
  return out.join('\n') + '\n'
}

export function diffToJson(diff: ReportDiff): string {
  return JSON.stringify(diff, null, 2) + '\n'
}

/** Markdown for a release PR or job summary. */
export function diffToMarkdown(diff: ReportDiff): string {
  const s = diff.summary
  const out = [
    `## nophonehome diff: ${s.newViolations ? `${s.newViolations} new violation(s)` : 'no new violation'}`,
    '',
    `**${s.new}** new · **${s.gone}** gone · **${s.changed}** changed (fails on ${diff.failOn})`,
    '',
  ]
  let rows = 0
  for (const p of diff.packages) {
    out.push(`### ${escapeText(p.package)}${escapeText(versionLabel(p))}`, '', '| | Severity | Rule | Destination | Location | Change |', '|---|---|---|---|---|---|')
    const row = (mark: string, c: Capability, change = '') =>
      tableRow([mark, c.severity, code(c.rule), c.destination ? code(c.destination) : '', c.location ? code(c.location) : '', escapeText(change)])
    for (const c of p.new) if (rows++ < 200) out.push(row('new', c))
    for (const c of p.gone) if (rows++ < 200) out.push(row('gone', c))
    for (const c of p.changed) if (rows++ < 200) out.push(row('changed', c.after, c.changes.join(', ')))
    out.push('')
  }
  if (rows > 200) out.push(`… ${rows - 200} more rows; see the JSON diff.`, '')
  return out.join('\n') + '\n'
}
