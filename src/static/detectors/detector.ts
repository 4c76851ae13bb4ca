// The detector contract (ESLint-style meta + detect) and what a detector can ask of the analysis.
import type { Destination, Severity } from '../../report/finding.ts'
import type { Folder, Val } from '../parse/fold.ts'
import type { ModuleKind } from '../parse/parse.ts'
import type { AnyNode, FileFacts, Scope } from '../parse/scope.ts'

export interface DetectorMeta {
  /** Stable rule id: the file name, test name, docs page and SARIF ruleId. */
  id: string
  /** Default severity (a finding may pick another, e.g. by provenance). */
  severity: Severity
  description: string
  /** Longer help for SARIF/HTML: what it means and what to do. */
  help: string
}

/** A finding as a detector reports it, before location/package/fingerprint are attached. */
export interface RawFinding {
  /** Functions whose parameters decided the destination (for call-site folding; not serialised). */
  params?: unknown[]
  rule: string
  severity: Severity
  message: string
  /** Offsets into the analysed source. */
  start: number
  end: number
  api?: string
  destination?: Destination
  details?: Record<string, string>
}

export interface ReportInput {
  message: string
  api?: string
  destination?: Destination
  /** Defaults to the severity implied by the destination, else the rule's default. */
  severity?: Severity
  details?: Record<string, string>
  /** Report under another rule id (a detector may own several). */
  rule?: string
}

export interface CallTarget {
  callee: Val
  args: AnyNode[]
}

export interface DetectContext {
  readonly file: string
  readonly source: string
  readonly moduleKind: ModuleKind
  readonly facts: FileFacts
  readonly folder: Folder
  evaluate(node: AnyNode | null | undefined, scope: Scope): Val
  /** Destination of a sink argument (URL string, URL object or options object). */
  destination(node: AnyNode | undefined, scope: Scope, role?: 'url' | 'host'): Destination
  report(node: AnyNode, input: ReportInput): void
  /** Analyses a constant code string (eval, new Function) and reports its findings at `node`. */
  analyseEmbedded(code: string, node: AnyNode, via: string, asFunctionBody?: boolean): void
}

export interface Visitors {
  CallExpression?(node: AnyNode, scope: Scope, target: CallTarget): void
  NewExpression?(node: AnyNode, scope: Scope, target: CallTarget): void
  /** Computed member reads `a[b]`. */
  MemberExpression?(node: AnyNode, scope: Scope): void
  ImportExpression?(node: AnyNode, scope: Scope): void
  ImportDeclaration?(node: AnyNode, scope: Scope): void
  /** Assignments to a member: `img.src = …`, `exports.x = …`. */
  AssignmentExpression?(node: AnyNode, scope: Scope): void
  /** String literals and template literals that look like URLs. */
  UrlString?(node: AnyNode, scope: Scope, value: string): void
  /** After every candidate has been visited. */
  end?(): void
}

export interface Detector {
  meta: DetectorMeta
  detect(ctx: DetectContext): Visitors
}

/** Severity implied by where a destination points. */
export function severityFor(dest: Destination | undefined, fallback: Severity): Severity {
  if (!dest) return fallback
  if (dest.provenance === 'hard-coded-external' || dest.provenance === 'default') return 'violation'
  if (dest.provenance === 'hard-coded-local') return 'info'
  return 'review'
}

/** `https://x.invalid/a (hard-coded external)` */
export function describeDestination(d: Destination): string {
  const where = d.url ?? (d.host ? d.host + (d.port ? `:${d.port}` : '') : '')
  const prov = d.provenance
  if (d.source && d.provenance === 'default') return `${where ? where + ' ' : ''}(default; overridden by ${d.source})`
  if (d.source && (d.provenance === 'dynamic' || d.provenance === 'unknown')) return `${where ? where + ' ' : ''}(${prov}: ${d.source})`
  return where ? `${where} (${prov})` : `(${prov})`
}
