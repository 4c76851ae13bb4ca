// Findings grouped by where they go: one group per external host or address, shared by every human-oriented renderer.
import type { Destination, Finding, Lens, Severity } from './finding.ts'
import { compareSeverity, isAtLeast } from './finding.ts'
import { parseUrl, signatureMatcher } from '../signatures/index.ts'
import { isLocalHost } from '../static/parse/destination.ts'

/**
 * `external`: a host or address outside the customer's network. `local`: loopback, private, link-local,
 * multicast, single-label names and same-origin URLs (info by default, never an "external destination").
 * `configured`: set by the customer (env, config, parameters). `unknown`: the analysis could not tell.
 * `none`: findings with no destination at all (code it cannot see through, files not parsed).
 */
export type DestinationKind = 'external' | 'local' | 'configured' | 'unknown' | 'none'

export interface DestinationGroup {
  /** Stable within a report: `external:<host>`, `local:<host>`, `local:(same origin)`, `local:(no network)`, `configured`, `unknown`, `none`. */
  key: string
  kind: DestinationKind
  /** Host name or address (lower case, no brackets) of external and local groups. */
  host?: string
  /** What to show for the group: the host, or a short phrase in parentheses. */
  label: string
  /** From the signature database (a finding's details, else the host looked up). */
  signature?: string
  vendor?: string
  category?: string
  /** Worst severity among the findings that count; the worst of all when none counts. */
  severity: Severity
  /** False when every finding is allowed, waived or baselined. */
  counts: boolean
  /** Lenses that saw it, in pipeline order: static, runtime, browser. */
  lenses: Lens[]
  /** Worst first, then by file and line. */
  findings: Finding[]
  /** Findings that count (not allowed, waived or baselined). */
  counting: number
  /** How the static lens found the destination set, e.g. `hard-coded`, `default — override with env ACME_URL`. */
  provenance: string[]
}

const LENS_ORDER: readonly Lens[] = ['static', 'runtime', 'browser']
const KIND_ORDER: readonly DestinationKind[] = ['external', 'configured', 'unknown', 'none', 'local']

/** True unless the policy step set the finding aside (allowed, waived, baselined). */
export function countsToward(f: Finding): boolean {
  return f.status !== 'allowed' && f.status !== 'waived' && f.status !== 'baselined'
}

/** The host (lower case, without brackets or a trailing dot) a destination names, from `host` or its URL. */
export function hostOf(d: Destination | undefined): string | undefined {
  if (!d) return undefined
  const raw = d.host ?? (d.url ? parseUrl(d.url)?.host : undefined)
  const h = raw?.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '')
  return h || undefined
}

/** Where one finding belongs. */
export function destinationKindOf(f: Finding): { kind: DestinationKind; host?: string } {
  const d = f.destination
  if (!d) return { kind: 'none' }
  const host = hostOf(d)
  if (host && isLocalHost(host)) return { kind: 'local', host }
  if (d.provenance === 'hard-coded-local') return { kind: 'local', host }
  // A runtime or browser finding names where the app really went, whatever the static provenance says.
  if (host && (f.lens !== 'static' || d.provenance !== 'dynamic')) return { kind: 'external', host }
  if (d.provenance === 'dynamic') return { kind: 'configured' }
  return { kind: 'unknown' }
}

/**
 * How a destination is set, for people: `hard-coded`, `default — override with env ACME_URL`,
 * `configured: env SMTP_HOST`, `local`, `unknown: url is reassigned`.
 */
export function describeProvenance(d: Destination): string {
  switch (d.provenance) {
    case 'hard-coded-external': return 'hard-coded'
    case 'default': return d.source ? `default — override with ${d.source}` : 'default — replaceable by configuration'
    case 'hard-coded-local': return d.source ? `local: ${d.source}` : 'local'
    case 'dynamic': return d.source ? `configured: ${d.source}` : 'configured'
    default: return d.source ? `unknown: ${d.source}` : 'unknown'
  }
}

/** The destination as one short string: URL, else host[:port], else port, else ''. */
export function destinationText(d: Destination | undefined): string {
  if (!d) return ''
  if (d.url) return d.url
  if (d.host) return (d.host.includes(':') ? `[${d.host}]` : d.host) + (d.port ? `:${d.port}` : '')
  return d.port ? `port ${d.port}` : ''
}

const LABELS: Record<Exclude<DestinationKind, 'external' | 'local'>, string> = {
  configured: '(configured by the customer)',
  unknown: '(destination not known)',
  none: '(no single destination)',
}

/**
 * Groups findings by destination: each external host or address is one group (all lenses together), local
 * hosts one group each, and the rest in one group per kind. Order: worst severity that counts first, then
 * external before the others, then by label; groups where nothing counts come last.
 */
export function groupByDestination(findings: readonly Finding[]): DestinationGroup[] {
  const groups = new Map<string, DestinationGroup>()
  for (const f of findings) {
    const { kind, host } = destinationKindOf(f)
    const place = host ?? (f.destination?.source === 'non-network URL' ? '(no network)' : '(same origin)')
    const key = kind === 'external' || kind === 'local' ? `${kind}:${place}` : kind
    let g = groups.get(key)
    if (!g) {
      const label = kind === 'external' || kind === 'local' ? place : LABELS[kind]
      g = { key, kind, host, label, severity: 'info', counts: false, lenses: [], findings: [], counting: 0, provenance: [] }
      groups.set(key, g)
    }
    g.findings.push(f)
  }
  const matcher = signatureMatcher()
  for (const g of groups.values()) {
    const counting = g.findings.filter(countsToward)
    g.counting = counting.length
    g.counts = counting.length > 0
    g.severity = worstOf(counting.length ? counting : g.findings)
    g.lenses = LENS_ORDER.filter((l) => g.findings.some((f) => f.lens === l))
    g.findings.sort(byWorstThenPlace)
    g.provenance = [...new Set(g.findings.filter((f) => f.lens === 'static' && f.destination).map((f) => describeProvenance(f.destination!)))]
    const named = g.findings.find((f) => f.details?.vendor)
    if (named) {
      g.signature = named.details!.signature
      g.vendor = named.details!.vendor
      g.category = named.details!.category
    } else if (g.kind === 'external' && g.host) {
      const url = g.findings.map((f) => f.destination?.url).find((u) => u && parseUrl(u))
      const hit = (url ? matcher.matchUrl(url) : undefined) ?? matcher.matchHost(g.host)
      if (hit) {
        g.signature = hit.signature.id
        g.vendor = hit.signature.vendor
        g.category = hit.signature.category
      }
    }
  }
  return [...groups.values()].sort((a, b) =>
    Number(b.counts) - Number(a.counts) ||
    compareSeverity(a.severity, b.severity) ||
    KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) ||
    (a.label < b.label ? -1 : a.label > b.label ? 1 : 0))
}

/** External groups only: the "who does it talk to" list. */
export function externalDestinations(findings: readonly Finding[]): DestinationGroup[] {
  return groupByDestination(findings).filter((g) => g.kind === 'external')
}

/** `Sentry (error-reporting)`, or '' when the signature database does not know the destination. */
export function vendorText(g: DestinationGroup): string {
  return g.vendor ? `${g.vendor}${g.category ? ` (${g.category})` : ''}` : ''
}

/** The group's severity for people: `violation`, or `waived` etc. when nothing in it counts. */
export function severityText(g: DestinationGroup): string {
  if (g.counts) return g.severity
  const statuses = [...new Set(g.findings.map((f) => f.status ?? 'new'))]
  return statuses.length === 1 ? statuses[0] : 'not counted'
}

/** True when the group has a finding that counts at or above `threshold`. */
export function reaches(g: DestinationGroup, threshold: Severity): boolean {
  return g.findings.some((f) => countsToward(f) && isAtLeast(f.severity, threshold))
}

function worstOf(list: readonly Finding[]): Severity {
  return list.reduce<Severity>((w, f) => (compareSeverity(f.severity, w) < 0 ? f.severity : w), 'info')
}

function byWorstThenPlace(a: Finding, b: Finding): number {
  return Number(countsToward(b)) - Number(countsToward(a)) ||
    compareSeverity(a.severity, b.severity) ||
    LENS_ORDER.indexOf(a.lens) - LENS_ORDER.indexOf(b.lens) ||
    cmp(a.location?.file ?? '', b.location?.file ?? '') ||
    (a.location?.line ?? 0) - (b.location?.line ?? 0) ||
    (a.location?.column ?? 0) - (b.location?.column ?? 0) ||
    cmp(a.rule, b.rule) || cmp(a.fingerprint, b.fingerprint)
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
