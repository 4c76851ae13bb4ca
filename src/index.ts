// Public library API of nophonehome.
export type { Finding, Report, Severity, Provenance, Destination, Location, Verdict } from './report/finding.ts'
export * from './errors.ts'
export { renderers } from './report/index.ts'
export type { Policy } from './policy/schema.ts'
export { parsePolicyText, readPolicyFile } from './policy/load.ts'
export { diffReports, type ReportDiff } from './report/diff.ts'
export { TOOL_VERSION as version } from './version.ts'
