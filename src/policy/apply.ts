// Applies a policy and a baseline to findings: severity overrides, allow, allowDns, waivers (with expiry), baseline.
import { PolicyInvalidError } from '../errors.ts'
import type { Finding, NotAnalysed, PolicyOutcome, Severity } from '../report/finding.ts'
import { compileHostPattern, destinationEndpoint, type HostMatcher } from './host-pattern.ts'
import { compileFileGlob, compilePackagePattern } from './patterns.ts'
import type { Policy } from './schema.ts'

/** A policy as loaded: the file it came from (for messages) and its checked content. */
export interface LoadedPolicy {
  /** Path as given or found, relative to the working directory when possible. */
  file: string
  policy: Policy
}

/** The fingerprints of an earlier report: findings with one of them do not count. */
export interface Baseline {
  file: string
  fingerprints: ReadonlySet<string>
}

export interface PolicyInput {
  policy?: LoadedPolicy
  baseline?: Baseline
  /** Injected clock for waiver expiry (tests); defaults to the current time. */
  now?: Date
  notices?: string[]
}

export interface PolicyResult {
  findings: Finding[]
  /** True when every not-analysed file is accepted explicitly by the policy. */
  acceptNotAnalysed: boolean
  outcome?: PolicyOutcome
}

interface Entry<T> { pointer: string; entry: T; used: number }

/**
 * Returns new finding objects with `status`/`statusReason` (and overridden `severity`) set.
 * Order: severity overrides, then allow/allowDns, then waivers, then the baseline. A finding keeps
 * the first status it gets; an expired waiver never applies but is named in the finding and the outcome.
 */
export function applyPolicy(findings: Finding[], notAnalysed: NotAnalysed[], input: PolicyInput): PolicyResult {
  const policy = input.policy?.policy
  const now = (input.now ?? new Date()).getTime()
  const allow = entries(policy?.allow, '/allow', (e, at) => ({ ...e, host: mustCompileHost(e.host, `${at}/host`) }))
  const allowDns = entries(policy?.allowDns, '/allowDns', (e, at) => ({ ...e, host: mustCompileHost(e.host, `${at}/host`) }))
  const overrides = entries(policy?.severity, '/severity', (e) => ({
    ...e,
    matchPackage: e.package ? compilePackagePattern(e.package) : undefined,
    rank: (e.rule ? 1 : 0) + (e.package ? 2 : 0),
  }))
  const waivers = entries(policy?.waivers, '/waivers', (e, at) => ({
    ...e,
    matchPackage: e.package ? compilePackagePattern(e.package) : undefined,
    matchDestination: e.destination ? mustCompileHost(e.destination, `${at}/destination`) : undefined,
    expired: e.expires !== undefined && now >= endOfDayUtc(e.expires),
  }))
  const expiredCounts = new Map<string, number>()

  const out = findings.map((original): Finding => {
    // A lens may already have decided (e.g. a runtime allow-list); the policy does not undo that.
    if (original.status && original.status !== 'new') return { ...original }
    const f: Finding = { ...original }
    delete f.status

    const override = overrides
      .filter(({ entry: o }) => (!o.rule || o.rule === f.rule) && (!o.matchPackage || o.matchPackage(f.package)))
      .sort((a, b) => a.entry.rank - b.entry.rank)
      .pop()
    if (override && override.entry.severity !== f.severity) {
      override.used++
      f.details = { ...f.details, originalSeverity: f.severity }
      f.statusReason = `severity ${f.severity} → ${override.entry.severity} (${override.pointer}): ${override.entry.reason}`
      f.severity = override.entry.severity as Severity
    } else if (override) override.used++

    const { host, port } = destinationEndpoint(f.destination)
    if (host) {
      const a = allow.find(({ entry }) => entry.host.matches(host) && (!entry.ports || (port !== undefined && entry.ports.includes(port))))
      const d = !a && isDnsOnly(f) ? allowDns.find(({ entry }) => entry.host.matches(host)) : undefined
      const hit = a ?? d
      if (hit) {
        hit.used++
        return { ...f, status: 'allowed', statusReason: `${hit.entry.host.pattern} allowed (${hit.pointer}): ${hit.entry.reason}` }
      }
    }

    const matching = waivers.filter(({ entry: w }) =>
      (!w.fingerprint || w.fingerprint === f.fingerprint) &&
      (!w.rule || w.rule === f.rule) &&
      (!w.matchPackage || w.matchPackage(f.package)) &&
      (!w.matchDestination || (host !== undefined && w.matchDestination.matches(host))))
    const live = matching.find(({ entry }) => !entry.expired)
    if (live) {
      live.used++
      const until = live.entry.expires ? ` (until ${live.entry.expires})` : ''
      return { ...f, status: 'waived', statusReason: `waived (${live.pointer})${until}: ${live.entry.reason}` }
    }
    const expired = matching[0]
    if (expired) {
      expiredCounts.set(expired.pointer, (expiredCounts.get(expired.pointer) ?? 0) + 1)
      f.statusReason = `waiver ${expired.pointer} expired on ${expired.entry.expires}: ${expired.entry.reason}`
    }

    if (input.baseline) {
      if (input.baseline.fingerprints.has(f.fingerprint)) {
        return { ...f, status: 'baselined', statusReason: f.statusReason ?? `in baseline ${input.baseline.file}` }
      }
      f.status = 'new'
    }
    return f
  })

  // Explicitly accepted not-analysed files: all must be accepted for the verdict to stop being incomplete.
  const accepted: Array<{ file: string; reason: string }> = []
  const acceptEntries = entries(policy?.acceptNotAnalysed, '/acceptNotAnalysed', (e) => ({ ...e, match: compileFileGlob(e.file) }))
  for (const n of notAnalysed) {
    const hit = acceptEntries.find(({ entry }) => entry.match(n.file))
    if (hit) { hit.used++; accepted.push({ file: n.file, reason: hit.entry.reason }) }
  }
  const acceptNotAnalysed = notAnalysed.length > 0 && accepted.length === notAnalysed.length

  if (!input.policy && !input.baseline && !input.notices?.length) return { findings: out, acceptNotAnalysed }
  const outcome: PolicyOutcome = {}
  if (input.policy) outcome.file = input.policy.file
  if (input.baseline) outcome.baseline = input.baseline.file
  const expiredWaivers = waivers
    .filter((w) => w.entry.expired)
    .map((w) => ({ pointer: w.pointer, reason: w.entry.reason, expires: w.entry.expires!, findings: expiredCounts.get(w.pointer) ?? 0 }))
  if (expiredWaivers.length) outcome.expiredWaivers = expiredWaivers
  const unused = [...allow, ...allowDns, ...waivers.filter((w) => !w.entry.expired), ...overrides, ...acceptEntries]
    .filter((e) => e.used === 0)
    .map((e) => e.pointer)
  if (unused.length) outcome.unused = unused
  if (accepted.length) outcome.acceptedNotAnalysed = accepted
  if (input.notices?.length) outcome.notices = [...input.notices]
  return { findings: out, acceptNotAnalysed, outcome }
}

/** A lookup only (no connection): dns.* APIs, a Resolver, or a runtime event seen by the DNS layer alone. */
export function isDnsOnly(f: Finding): boolean {
  if (f.api && /^(?:node:)?dns(?:\/promises)?[.:]|^(?:dns\.)?(?:promises\.)?Resolver\b|^dns$/.test(f.api)) return true
  const layers = f.evidence?.layers
  return !!layers?.length && layers.every((l) => l === 'dns')
}

/** A waiver's `expires` day is included: it stops applying at the next midnight UTC. */
export function endOfDayUtc(date: string): number {
  const [y, m, d] = date.split('-').map(Number)
  return Date.UTC(y, m - 1, d + 1)
}

function entries<T, U>(list: T[] | undefined, base: string, compile: (e: T, pointer: string) => U): Array<Entry<U>> {
  return (list ?? []).map((e, i) => ({ pointer: `${base}/${i}`, entry: compile(e, `${base}/${i}`), used: 0 }))
}

// Policies normally arrive checked (load.ts); a library caller may pass one built by hand.
function mustCompileHost(pattern: string, pointer: string): HostMatcher {
  const m = compileHostPattern(pattern)
  if (typeof m === 'string') throw new PolicyInvalidError(`policy ${pointer}: ${m}`)
  return m
}
