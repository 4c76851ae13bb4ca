// GitHub Actions workflow annotations (`::error file=…,line=…::message`) for findings that count toward the verdict.
import { statSync } from 'node:fs'
import { isAbsolute, relative, resolve } from 'node:path'
import type { Finding, Report } from './finding.ts'

/** GitHub shows at most 10 of each kind per step; print a few more and then one line saying how many were left out. */
export const ANNOTATION_LIMIT = 50

export interface AnnotationOptions {
  /** Working directory: annotation paths are made relative to it (the checkout root in Actions). */
  cwd?: string
}

/** The annotation lines for a report (violation → error, review → warning); allowed/waived/baselined and info are left out. */
export function formatAnnotations(report: Report, options: AnnotationOptions = {}): string[] {
  const lines: string[] = []
  const counting = report.findings.filter((f) => f.severity !== 'info' && f.status !== 'allowed' && f.status !== 'waived' && f.status !== 'baselined')
  const base = targetBase(report, options.cwd)
  for (const f of counting.slice(0, ANNOTATION_LIMIT)) {
    const kind = f.severity === 'violation' ? 'error' : 'warning'
    const props: string[] = []
    if (f.location) {
      props.push(`file=${escapeProperty(annotationPath(f, base, options.cwd))}`)
      props.push(`line=${Math.max(1, f.location.line)}`)
      props.push(`col=${f.location.column + 1}`)
    }
    props.push(`title=${escapeProperty(`${f.rule} in ${f.package}`)}`)
    lines.push(`::${kind} ${props.join(',')}::${escapeData(annotationMessage(f))}`)
  }
  if (counting.length > ANNOTATION_LIMIT) {
    lines.push(`::notice title=nophonehome::${escapeData(`${counting.length - ANNOTATION_LIMIT} more finding(s) not annotated; see the report`)}`)
  }
  for (const w of report.policy?.expiredWaivers ?? []) {
    lines.push(`::warning title=${escapeProperty('expired waiver')}::${escapeData(`${w.pointer} expired on ${w.expires}: ${w.reason}`)}`)
  }
  return lines
}

/** Prints annotations to `stderr` when running in GitHub Actions (`GITHUB_ACTIONS=true`); otherwise does nothing. */
export function writeAnnotations(report: Report, io: { env: NodeJS.ProcessEnv; stderr: { write(s: string): unknown }; cwd: string }): void {
  if (io.env.GITHUB_ACTIONS !== 'true') return
  const lines = formatAnnotations(report, { cwd: io.cwd })
  if (lines.length) io.stderr.write(lines.join('\n') + '\n')
}

function annotationMessage(f: Finding): string {
  const d = f.destination
  const where = d?.url ?? d?.host ?? ''
  // Detectors usually name the destination in the message already; add it only when they did not.
  const dest = d && where && !f.message.includes(where) ? ` → ${where} (${d.provenance})` : ''
  const orig = f.location?.original ? ` [original ${f.location.original.file}:${f.location.original.line}]` : ''
  return `${f.message}${dest}${orig}`
}

/** Where the single directory target sits relative to cwd: finding paths are relative to it. */
function targetBase(report: Report, cwd: string | undefined): string | undefined {
  if (!cwd || report.target.length !== 1) return undefined
  const t = resolve(cwd, report.target[0])
  try {
    return statSync(t).isDirectory() ? t : undefined
  } catch {
    return undefined
  }
}

function annotationPath(f: Finding, base: string | undefined, cwd: string | undefined): string {
  const file = f.location!.file
  if (!cwd) return file.replace(/\\/g, '/')
  const abs = isAbsolute(file) ? file : base ? resolve(base, file) : resolve(cwd, file)
  const rel = relative(cwd, abs)
  return (rel.startsWith('..') || isAbsolute(rel) ? file : rel).replace(/\\/g, '/')
}

// Workflow command escaping: data escapes %, CR, LF; property values also ':' and ','.
function escapeData(untrusted: string): string {
  return untrusted.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}

function escapeProperty(untrusted: string): string {
  return escapeData(untrusted).replace(/:/g, '%3A').replace(/,/g, '%2C')
}
