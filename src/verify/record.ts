// The verification record: an in-toto Statement v1 a vendor publishes and a customer reproduces.
import { createHash } from 'node:crypto'
import type { Report, Severity, Verdict } from '../report/finding.ts'
import { TOOL_NAME, TOOL_VERSION } from '../version.ts'
import type { ArtifactIdentity } from './digest.ts'
import type { VariantOutcome } from '../runtime/variants.ts'

export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1'
export const PREDICATE_TYPE = 'https://nophonehome.dev/verification/v1'

export interface LensSummary {
  ran: boolean
  /** Why a lens did not run, or ran degraded. */
  note?: string
  violation: number
  review: number
  info: number
  filesScanned?: number
  filesNotAnalysed?: number
  degraded?: string[]
}

export interface RecordPredicate {
  tool: { name: string; version: string }
  signatures: { version: string; digest: string } | null
  policy: { digest: string } | null
  options: Record<string, unknown>
  lenses: { static: LensSummary; runtime: LensSummary }
  failOn: Severity
  verdict: Verdict
  degraded: string[]
  findings: RecordFinding[]
  /** With --variant: each variant's spec (files by digest), verdict, counts and runtime findings, in order. */
  variants?: Array<VariantOutcome & { findings: RecordFinding[] }>
}

export interface RecordFinding { fingerprint: string; rule: string; severity: Severity; lens: string; status: string }

export interface VerificationRecord {
  _type: typeof STATEMENT_TYPE
  subject: Array<{ name: string; digest: { sha256: string }; annotations?: Record<string, string> }>
  predicateType: typeof PREDICATE_TYPE
  predicate: RecordPredicate
}

export function digestOf(text: string): string {
  return 'sha256:' + createHash('sha256').update(text).digest('hex')
}

/** Builds the record from the combined report; no times, no absolute paths: same inputs, same bytes. */
export function buildRecord(input: {
  artifact: ArtifactIdentity
  report: Report
  policyText?: string
  options: Record<string, unknown>
  lenses: { static: LensSummary; runtime: LensSummary }
}): VerificationRecord {
  const recordFindings = (list: Report['findings']): RecordFinding[] => {
    // One entry per finding: variants can see the same one (same fingerprint) in several runs.
    const seen = new Set<string>()
    const out: RecordFinding[] = []
    for (const f of list) {
      const r = { fingerprint: f.fingerprint, rule: f.rule, severity: f.severity, lens: f.lens, status: f.status ?? 'new' }
      const k = JSON.stringify(r)
      if (!seen.has(k)) { seen.add(k); out.push(r) }
    }
    return out.sort((a, b) => (a.fingerprint + a.rule + a.lens < b.fingerprint + b.rule + b.lens ? -1 : a.fingerprint + a.rule + a.lens > b.fingerprint + b.rule + b.lens ? 1 : 0))
  }
  const findings = recordFindings(input.report.findings)
  const variants = input.report.variants?.map((v) => ({
    ...v,
    findings: recordFindings(input.report.findings.filter((f) => f.details?.variant === v.name)),
  }))
  return {
    _type: STATEMENT_TYPE,
    subject: subjectsOf(input.artifact),
    predicateType: PREDICATE_TYPE,
    predicate: {
      tool: { name: TOOL_NAME, version: TOOL_VERSION },
      signatures: input.report.signatures ?? null,
      policy: input.policyText !== undefined ? { digest: digestOf(input.policyText) } : null,
      options: sortKeys(input.options) as Record<string, unknown>,
      lenses: input.lenses,
      failOn: input.report.failOn,
      verdict: input.report.verdict,
      degraded: [...(input.report.degraded ?? [])].sort(),
      findings,
      ...(variants ? { variants: sortKeys(variants) as NonNullable<RecordPredicate['variants']> } : {}),
    },
  }
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys)
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]))
  return v
}

export function serialiseRecord(r: VerificationRecord): string {
  return JSON.stringify(r, null, 2) + '\n'
}

/**
 * What the record is about. An image is named first by its manifest digest (what `docker images --digests` shows
 * and registries address it by, the same in a docker save, an OCI archive or a layout), then by the file received;
 * an image without a manifest (legacy docker save) by the file, then by its config digest (the image ID).
 */
function subjectsOf(artifact: ArtifactIdentity): VerificationRecord['subject'] {
  const file = { name: artifact.name, digest: { sha256: artifact.sha256 } }
  const image = artifact.image
  if (!image) return [file]
  const name = image.ref ?? artifact.name
  const hex = (d: string) => d.replace(/^sha256:/, '')
  if (image.manifestDigest?.startsWith('sha256:')) {
    return [{ name, digest: { sha256: hex(image.manifestDigest) }, annotations: { kind: 'image-manifest', ...(image.platform ? { platform: image.platform } : {}) } }, file]
  }
  return [file, { name, digest: { sha256: hex(image.configDigest) }, annotations: { kind: 'image-config', ...(image.platform ? { platform: image.platform } : {}) } }]
}
