// Compares a fresh verification with the record a vendor published and says exactly what differs.
import { ReportInvalidError } from '../errors.ts'
import { PREDICATE_TYPE, STATEMENT_TYPE, type VerificationRecord } from './record.ts'

export interface Comparison {
  reproduced: boolean
  differences: string[]
  /** Facts that differ but do not break reproduction (e.g. tool version). */
  notes: string[]
}

/** Reads and checks the shape of an alleged record (from the vendor: untrusted input). */
export function parseRecord(untrustedText: string, file: string): VerificationRecord {
  let v: unknown
  try {
    v = JSON.parse(untrustedText)
  } catch (err) {
    throw new ReportInvalidError(`${file}: not JSON (${(err as Error).message})`, 'Pass the verification record the vendor published (written by verify --record).')
  }
  const r = v as Partial<VerificationRecord>
  const problems: string[] = []
  if (r?._type !== STATEMENT_TYPE) problems.push(`_type is not ${STATEMENT_TYPE}`)
  if (r?.predicateType !== PREDICATE_TYPE) problems.push(`predicateType is not ${PREDICATE_TYPE}`)
  if (!Array.isArray(r?.subject) || !r!.subject[0]?.digest?.sha256) problems.push('subject[0].digest.sha256 is missing')
  if (!r?.predicate || !Array.isArray(r.predicate.findings) || typeof r.predicate.verdict !== 'string') problems.push('predicate.findings/verdict missing')
  if (problems.length) throw new ReportInvalidError(`${file}: not a nophonehome verification record (${problems.join('; ')})`)
  return r as VerificationRecord
}

export function compareRecords(vendor: VerificationRecord, ours: VerificationRecord): Comparison {
  const differences: string[] = []
  const notes: string[] = []
  const vs = vendor.subject[0]
  const os = ours.subject[0]
  if (vs.digest.sha256 !== os.digest.sha256) {
    differences.push(`artifact digest differs: the record is for sha256 ${vs.digest.sha256} (${vs.name}), this artifact is sha256 ${os.digest.sha256} (${os.name})`)
  }
  const vp = vendor.predicate
  const op = ours.predicate
  if (vp.verdict !== op.verdict) differences.push(`verdict differs: the record says ${vp.verdict.toUpperCase()}, this run says ${op.verdict.toUpperCase()}`)
  const vPolicy = vp.policy?.digest ?? 'none'
  const oPolicy = op.policy?.digest ?? 'none'
  if (vPolicy !== oPolicy) differences.push(`policy differs: the record used ${vPolicy}, this run used ${oPolicy}`)
  if (vp.failOn !== op.failOn) differences.push(`--fail-on differs: the record used ${vp.failOn}, this run used ${op.failOn}`)
  const key = (f: { fingerprint: string; rule: string; lens: string }) => `${f.lens}:${f.rule}:${f.fingerprint}`
  const vendorKeys = new Set(vp.findings.map(key))
  const ourKeys = new Set(op.findings.map(key))
  for (const f of op.findings) {
    if (!vendorKeys.has(key(f))) differences.push(`new finding not in the record: ${f.rule} (${f.severity}, ${f.lens}) fingerprint ${f.fingerprint}`)
  }
  for (const f of vp.findings) {
    if (!ourKeys.has(key(f))) notes.push(`finding in the record not seen now: ${f.rule} (${f.severity}, ${f.lens}) fingerprint ${f.fingerprint}`)
  }
  // Variants: each one the record has must be here, with the same verdict and no finding it lacks.
  const ourVariants = new Map((op.variants ?? []).map((v) => [v.name, v]))
  const vendorVariants = (Array.isArray(vp.variants) ? vp.variants : []).filter((v) => v && typeof v.name === 'string')
  for (const v of vendorVariants) {
    const mine = ourVariants.get(v.name)
    if (!mine) { differences.push(`variant ${v.name} is in the record but was not run (give --variant with the record's spec)`); continue }
    if (JSON.stringify({ env: v.env, files: v.files, args: v.args }) !== JSON.stringify({ env: mine.env, files: mine.files, args: mine.args })) {
      differences.push(`variant ${v.name} differs: the record ran ${describeSpec(v)}, this run ${describeSpec(mine)}`)
    }
    if (v.verdict !== mine.verdict) differences.push(`variant ${v.name}: the record says ${String(v.verdict).toUpperCase()}, this run says ${mine.verdict.toUpperCase()}`)
    const theirs = new Set((Array.isArray(v.findings) ? v.findings : []).map(key))
    for (const f of mine.findings) if (!theirs.has(key(f))) differences.push(`variant ${v.name}: new finding not in the record: ${f.rule} (${f.severity}, ${f.lens}) fingerprint ${f.fingerprint}`)
  }
  for (const v of op.variants ?? []) {
    if (!vendorVariants.some((x) => x.name === v.name)) differences.push(`variant ${v.name} was run but is not in the record`)
  }
  if (vp.lenses?.runtime?.ran && !op.lenses.runtime.ran) differences.push('the record includes a runtime check; this run did not run one (give --start)')
  if (vp.tool.version !== op.tool.version) notes.push(`tool version differs: record ${vp.tool.version}, this run ${op.tool.version}`)
  if ((vp.signatures?.digest ?? '') !== (op.signatures?.digest ?? '')) notes.push(`signature database differs: record ${vp.signatures?.version ?? 'none'} (${vp.signatures?.digest ?? '-'}), this run ${op.signatures?.version ?? 'none'} (${op.signatures?.digest ?? '-'})`)
  return { reproduced: differences.length === 0, differences, notes }
}

function describeSpec(v: { env?: Record<string, string>; files?: Array<{ dest: string; sha256: string }>; args?: string[] }): string {
  const parts = [
    ...Object.entries(v.env ?? {}).map(([k, x]) => `${k}=${x}`),
    ...(v.files ?? []).map((f) => `file:${f.dest} (sha256 ${f.sha256.slice(0, 12)})`),
    ...(v.args?.length ? ['--', ...v.args] : []),
  ]
  return parts.length ? `"${parts.join(' ')}"` : '(as shipped)'
}
