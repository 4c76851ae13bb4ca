// Reads a JSON report written earlier (for --baseline and diff) and checks it is one before anything trusts its shape.
import { readFileSync } from 'node:fs'
import { ReportInvalidError } from '../errors.ts'
import { JsonSyntaxError, parseJsonStrict } from '../policy/parse-json.ts'
import { SEVERITIES, type Report } from './finding.ts'

/** Parses report text; `file` names it in messages. Throws ReportInvalidError. */
export function parseReportText(untrustedText: string, file: string): Report {
  let value: unknown
  try {
    value = JSON.parse(untrustedText.charCodeAt(0) === 0xfeff ? untrustedText.slice(1) : untrustedText)
  } catch {
    // JSON.parse does not say where on every Node version; the strict reader does.
    let where = ''
    try { parseJsonStrict(untrustedText) } catch (err) {
      if (err instanceof JsonSyntaxError) where = `:${err.position.line}:${err.position.column}: ${err.message}`
    }
    throw new ReportInvalidError(`${file}${where || ': not valid JSON'}`, 'give a report written with --format json')
  }
  const problem = checkReportShape(value)
  if (problem) {
    throw new ReportInvalidError(`${file} is not a nophonehome JSON report: ${problem}`,
      "write one with 'nophonehome scan … --format json --output report.json' (SARIF, JUnit and other formats cannot be read back)")
  }
  return value as Report
}

export function readReportFile(path: string, display = path): Report {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    throw new ReportInvalidError(`cannot read report ${display}: ${code === 'ENOENT' ? 'no such file' : (err as Error).message}`)
  }
  return parseReportText(text, display)
}

/** What is wrong with the shape of an alleged report, or undefined. Only what readers rely on is checked. */
function checkReportShape(allegedReport: unknown): string | undefined {
  if (!isRecord(allegedReport)) return 'expected a JSON object'
  if ('$schema' in allegedReport && 'runs' in allegedReport) return 'this is a SARIF file'
  if (allegedReport.schemaVersion !== 1) return `/schemaVersion: expected 1, got ${JSON.stringify(allegedReport.schemaVersion) ?? 'nothing'}`
  if (!Array.isArray(allegedReport.target)) return '/target: expected a list'
  if (!Array.isArray(allegedReport.findings)) return '/findings: expected a list'
  if (allegedReport.notAnalysed !== undefined && !Array.isArray(allegedReport.notAnalysed)) return '/notAnalysed: expected a list'
  for (const [i, f] of (allegedReport.findings as unknown[]).entries()) {
    if (!isRecord(f)) return `/findings/${i}: expected an object`
    for (const key of ['rule', 'message', 'package', 'fingerprint'] as const) {
      if (typeof f[key] !== 'string') return `/findings/${i}/${key}: expected a string`
    }
    if (!(SEVERITIES as readonly unknown[]).includes(f.severity)) return `/findings/${i}/severity: expected one of ${SEVERITIES.join(', ')}`
    if (f.location !== undefined && (!isRecord(f.location) || typeof f.location.file !== 'string')) return `/findings/${i}/location: expected an object with a file`
  }
  return undefined
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}
