// The one shape every lens produces and every renderer reads (see DESIGN.md "Finding").
import { createHash } from 'node:crypto'
import type { BuildRecord } from '../static/artifact/build-inputs.ts'
import type { VariantOutcome } from '../runtime/variants.ts'

export type Severity = 'violation' | 'review' | 'info'
export const SEVERITIES: readonly Severity[] = ['violation', 'review', 'info']

/**
 * Where a destination comes from. `default`: hard-coded and external, but configuration can replace it
 * (`source` names the knobs) — out of the box it goes to the vendor. `dynamic` = configured (env, config,
 * parameters).
 */
export type Provenance = 'hard-coded-external' | 'default' | 'hard-coded-local' | 'dynamic' | 'unknown'

export type Lens = 'static' | 'runtime' | 'browser'

export interface SourcePosition {
  file: string
  /** 1-based */
  line: number
  /** 0-based */
  column: number
}

export interface Location extends SourcePosition {
  snippet?: string
  /** The position in original source, through a source map, when known. */
  original?: SourcePosition
}

export interface Destination {
  url?: string
  host?: string
  port?: number
  provenance: Provenance
  /**
   * Where a dynamic destination comes from (`env SMTP_HOST`, `parameter url`), or for a `default` the knobs
   * that replace it (`env ACME_TELEMETRY_URL`, `option host`).
   */
  source?: string
}

export interface RuntimeEvidence {
  /** Which layer saw it: guard, dns, sink, syscall, browser. Several when correlated. */
  layers: string[]
  pid?: number
  command?: string
  thread?: string
  stack?: string[]
  /** What was about to be sent (HTTP request line/headers, SNI, first bytes), trimmed. */
  sent?: string
  /** `none` when no JS stack could be tied to the attempt. */
  attribution?: string
  count?: number
}

export interface Finding {
  /** Stable rule id; the detector's file name and SARIF ruleId. */
  rule: string
  severity: Severity
  message: string
  lens: Lens
  location?: Location
  /** `name@version` of the owning package or `(first-party)`. */
  package: string
  /** Dependency chain `app>b>c` when known. */
  chain?: string
  destination?: Destination
  /** API used: `https.request`, `fetch`, `dgram.send`, `dns.lookup`, `curl` … */
  api?: string
  evidence?: RuntimeEvidence
  /** Free-form extra facts a rule wants to show (e.g. signature id/category). */
  details?: Record<string, string>
  /**
   * Static lens: whether an entry point of the product loads the file through its imports (`details.importChain`
   * shows the shortest chain). `unreachable` findings are lowered one step (`details.reachability` says why).
   * Absent when no entry points were found or the file is not JavaScript.
   */
  reachability?: 'reachable' | 'unreachable'
  /** Stable across reformatting and line shifts. */
  fingerprint: string
  /** Set by the policy step: why a finding does not count. */
  status?: 'new' | 'baselined' | 'waived' | 'allowed'
  /** Reason attached by a waiver/allow entry, or why a severity was changed. */
  statusReason?: string
}

export interface NotAnalysed {
  file: string
  reason: string
}

export interface Summary {
  violation: number
  review: number
  info: number
  filesScanned: number
  bytesScanned: number
  filesNotAnalysed: number
}

export type Verdict = 'pass' | 'fail' | 'incomplete'

/** What the policy step did (src/policy/apply.ts); present when a policy, baseline or notice was involved. */
export interface PolicyOutcome {
  /** Policy file used, as given or as found relative to the working directory. */
  file?: string
  /** Baseline report used. */
  baseline?: string
  /** Waivers whose `expires` date has passed: they no longer apply, and the findings they matched count. */
  expiredWaivers?: Array<{ pointer: string; reason: string; expires: string; findings: number }>
  /** Policy entries (JSON pointers) that matched nothing: candidates for clean-up. */
  unused?: string[]
  /** Not-analysed files the policy accepts explicitly, with its reason. */
  acceptedNotAnalysed?: Array<{ file: string; reason: string }>
  /** What the user should know, e.g. that a policy inside the scanned artifact was ignored. */
  notices?: string[]
}

/** The container image a report is about (src/static/artifact/image.ts): what was picked, its digests, how it starts. */
export interface ImageReport {
  /** docker-archive: `docker save` (Docker 25+ also writes an OCI index; older ones have no manifest digest); oci-archive / oci-layout: OCI image layout. */
  format: 'docker-archive' | 'oci-archive' | 'oci-layout'
  /** The name the image was picked by, or its only name. */
  ref?: string
  /** Every name the archive gives this image (tags, `io.containerd.image.name`, RepoTags). */
  refs: string[]
  /** `os/architecture[/variant]`. */
  platform?: string
  /**
   * `sha256:…` of the image manifest, the value `docker images --digests` shows and registries address it by.
   * Absent for `docker save` archives in the legacy layout, which do not contain the manifest.
   */
  manifestDigest?: string
  /** `sha256:…` of the image config: the image ID (`docker images --no-trunc`). */
  configDigest: string
  layers: Array<{ blob: string; digest?: string; diffId?: string; size: number; compression: string }>
  /** Why this image and platform were used (the only one, `--image`, `--platform`, this host's platform). */
  choice: string
  /** What the image runs (Entrypoint + Cmd), where, and as whom. */
  start: { argv: string[]; workingDir: string; user?: string }
  /** JavaScript entry points found from the start command, relative to the image root. */
  entryPoints: string[]
  /** How the entry points were found, and what could not be followed. */
  entryNotes: string[]
  /** Distribution package databases read to group native code and other languages (`dpkg: 92 packages`). */
  packageDatabases?: string[]
  /** Set when a limit stopped the unpacking. */
  incomplete?: string
}

export interface Report {
  schemaVersion: 1
  tool: { name: string; version: string }
  /** What was examined: paths as given, or the command run. */
  target: string[]
  /** When the target is a container image: which one, its digests and entry points. */
  image?: ImageReport
  verdict: Verdict
  failOn: Severity
  summary: Summary
  findings: Finding[]
  notAnalysed: NotAnalysed[]
  /** Signature database identity, so a report says which data judged it. */
  signatures?: { version: string; digest: string }
  /** Layers/limitations that weaken the verdict (e.g. `syscall layer off`). */
  degraded?: string[]
  /** What the policy/baseline step did (see PolicyOutcome). */
  policy?: PolicyOutcome
  /** Bundling mode: the entries bundled and the vendor's build inputs applied (define, dropLabels, conditions…). */
  build?: BuildRecord
  /** Runtime check run once per named variant (`--variant`): each one's spec, verdict and counts, in order. */
  variants?: VariantOutcome[]
  /** Non-deterministic facts (times, durations) kept apart from the rest. */
  run?: Record<string, unknown>
}

const SEVERITY_RANK: Record<Severity, number> = { violation: 3, review: 2, info: 1 }

/** True when `sev` is at or above `threshold`. */
export function isAtLeast(sev: Severity, threshold: Severity): boolean {
  return SEVERITY_RANK[sev] >= SEVERITY_RANK[threshold]
}

export function compareSeverity(a: Severity, b: Severity): number {
  return SEVERITY_RANK[b] - SEVERITY_RANK[a]
}

/**
 * Normalises a code snippet for fingerprints: comments and whitespace go, quotes become `"`,
 * `;` and trailing commas go (formatters and minifiers disagree on them), local identifiers
 * (which minifiers rename) become `_`; property names and string contents stay. One pass over
 * the text so that `//` inside a string ("https://…") is not taken for a comment.
 */
export function normaliseCode(code: string): string {
  let out = ''
  let i = 0
  while (i < code.length) {
    const c = code[i]
    if (c === '/' && code[i + 1] === '/') { while (i < code.length && code[i] !== '\n') i++; continue }
    if (c === '/' && code[i + 1] === '*') { const end = code.indexOf('*/', i + 2); i = end < 0 ? code.length : end + 2; continue }
    if (c === '"' || c === "'" || c === '`') {
      let j = i + 1
      while (j < code.length && code[j] !== c) j += code[j] === '\\' ? 2 : 1
      out += '"' + code.slice(i + 1, j).replace(/\\(['"`])/g, '$1').replace(/"/g, '\\"') + '"'
      i = j + 1
      continue
    }
    if (/\s/.test(c)) { i++; continue }
    if (c === ';') { i++; continue }
    if (c === ',') {
      let j = i + 1
      while (j < code.length && /\s/.test(code[j])) j++
      if (code[j] === ')' || code[j] === ']' || code[j] === '}') { i++; continue }
    }
    if (/[A-Za-z_$]/.test(c)) {
      let j = i + 1
      while (j < code.length && /[\w$]/.test(code[j])) j++
      const word = code.slice(i, j)
      out += out.endsWith('.') || KEEP_WORDS.has(word) ? word : '_'
      i = j
      continue
    }
    out += c
    i++
  }
  return out.slice(0, 200)
}

// Globals and keywords stay in fingerprints; local names (which minifiers rename) don't.
const KEEP_WORDS = new Set([
  'fetch', 'require', 'import', 'new', 'globalThis', 'global', 'window', 'self', 'navigator',
  'WebSocket', 'EventSource', 'XMLHttpRequest', 'process', 'eval', 'Function', 'URL', 'await', 'return',
])

/** Strips a version from `name@version` so version bumps keep fingerprints. */
export function packageName(pkg: string): string {
  if (pkg.startsWith('(')) return pkg
  const at = pkg.lastIndexOf('@')
  return at > 0 ? pkg.slice(0, at) : pkg
}

export interface FingerprintInput {
  rule: string
  package: string
  api?: string
  destination?: Destination
  code?: string
  /** Extra distinguishing key when code alone is not enough (e.g. file basename). */
  key?: string
}

/** rule + package (without version) + destination + normalised code → 16 hex chars. */
export function fingerprintOf(f: FingerprintInput): string {
  const dest = f.destination
    ? `${f.destination.provenance}|${f.destination.url ?? ''}|${f.destination.host ?? ''}|${f.destination.port ?? ''}|${f.destination.source ?? ''}`
    : ''
  const parts = [f.rule, packageName(f.package), f.api ?? '', dest, f.code ? normaliseCode(f.code) : '', f.key ?? '']
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 16)
}

/** Deterministic order: file, line, column, rule, fingerprint. */
export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort((a, b) => {
    const fa = a.location?.file ?? '', fb = b.location?.file ?? ''
    if (fa !== fb) return fa < fb ? -1 : 1
    const la = a.location?.line ?? 0, lb = b.location?.line ?? 0
    if (la !== lb) return la - lb
    const ca = a.location?.column ?? 0, cb = b.location?.column ?? 0
    if (ca !== cb) return ca - cb
    if (a.rule !== b.rule) return a.rule < b.rule ? -1 : 1
    return a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0
  })
}

/** Counts, verdict: `incomplete` when anything was not analysed (fail closed). */
export function summarise(
  findings: Finding[],
  failOn: Severity,
  stats: { filesScanned: number; bytesScanned: number; notAnalysed: number; acceptNotAnalysed?: boolean },
): { summary: Summary; verdict: Verdict } {
  const summary: Summary = {
    violation: 0, review: 0, info: 0,
    filesScanned: stats.filesScanned, bytesScanned: stats.bytesScanned, filesNotAnalysed: stats.notAnalysed,
  }
  let failing = false
  for (const f of findings) {
    if (f.status === 'allowed' || f.status === 'waived' || f.status === 'baselined') continue
    summary[f.severity]++
    if (isAtLeast(f.severity, failOn)) failing = true
  }
  const verdict: Verdict = failing ? 'fail' : stats.notAnalysed > 0 && !stats.acceptNotAnalysed ? 'incomplete' : 'pass'
  return { summary, verdict }
}
