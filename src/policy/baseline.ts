// Loads a baseline: the fingerprints of an earlier JSON report, so only findings not in it count for the verdict.
import { resolve } from 'node:path'
import { readReportFile } from '../report/read-report.ts'
import type { Baseline } from './apply.ts'

/** Every finding of the earlier report is baselined, whatever its status was then. */
export function loadBaseline(file: string, cwd: string): Baseline {
  const report = readReportFile(resolve(cwd, file), file)
  return { file, fingerprints: new Set(report.findings.map((f) => f.fingerprint)) }
}
