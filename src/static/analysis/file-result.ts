// What a worker sends back for one file: findings with line/column, or why it was not analysed.
import type { Destination, Severity } from '../../report/finding.ts'
import type { AnalyseResult } from './analyse.ts'
import type { FileSummary } from '../graph/summary.ts'
import { findModuleMarkers, moduleAt } from '../attribution/markers.ts'
import { sourceMapRefOf, type SourceMapRef } from '../attribution/sourcemap.ts'

export interface FileJob {
  id: number
  path: string
  kind: string
  /** Inline source (embedded scripts, bundles in memory); otherwise the worker reads `path`. */
  source?: string
  /** Scan root: first-party imports are followed only inside it. */
  root?: string
}

export interface LocatedFinding {
  rule: string
  severity: Severity
  message: string
  line: number
  column: number
  snippet: string
  /** Source text of the node, for fingerprints (normalised later). */
  code: string
  /** Offset of the node in the file, for source maps of bundles analysed in memory. */
  offset: number
  api?: string
  destination?: Destination
  details?: Record<string, string>
  /** The bundled module the finding is in, from the bundler's module comments (see markers.ts). */
  module?: string
  /** Whether an entry point of the product loads the file (set by the whole-program phase). */
  reachability?: 'reachable' | 'unreachable'
}

export interface FileResult {
  id: number
  findings?: LocatedFinding[]
  parseError?: { message: string; line: number; column: number; snippet: string }
  notAnalysed?: string
  /** What the file means to other files: exports, calls into other modules (see graph/summary.ts). */
  summary?: FileSummary
  /** Where the file's source map is, when it has findings and names one (the map is read by the scan). */
  sourceMap?: SourceMapRef
}

/** Index of line starts, built only when a file has findings. */
export function lineStarts(source: string): number[] {
  const starts = [0]
  for (let i = source.indexOf('\n'); i !== -1; i = source.indexOf('\n', i + 1)) starts.push(i + 1)
  return starts
}

export function positionOf(starts: number[], offset: number): { line: number; column: number } {
  let lo = 0
  let hi = starts.length - 1
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if (starts[mid] <= offset) lo = mid
    else hi = mid - 1
  }
  return { line: lo + 1, column: offset - starts[lo] }
}

/** The line around a position, cut to a readable width for minified code. */
export function snippetAt(source: string, starts: number[], line: number, column: number): string {
  return lineSnippet(source, starts[line - 1] ?? 0, column)
}

function lineSnippet(source: string, lineStart: number, column: number): string {
  const nl = source.indexOf('\n', lineStart)
  const text = source.slice(lineStart, nl === -1 ? source.length : nl).replace(/\r$/, '')
  if (text.length <= 160) return text.trim()
  const from = Math.max(0, column - 60)
  return (from > 0 ? '…' : '') + text.slice(from, from + 160).trim() + (from + 160 < text.length ? '…' : '')
}

export function toFileResult(id: number, source: string, r: AnalyseResult): FileResult {
  if (r.parseError) {
    const starts = lineStarts(source)
    return { id, parseError: { ...r.parseError, snippet: snippetAt(source, starts, r.parseError.line, r.parseError.column) } }
  }
  if (!r.findings.length) return r.summary ? { id, findings: [], summary: r.summary } : { id, findings: [] }
  const at = locate(source, r.findings.map((f) => f.start))
  const findings = r.findings.map((f, i): LocatedFinding => {
    const { line, column, snippet } = at[i]
    return {
      rule: f.rule,
      severity: f.severity,
      message: f.message,
      line,
      column,
      snippet,
      code: source.slice(f.start, Math.min(f.end, f.start + 300)),
      offset: f.start,
      api: f.api,
      destination: f.destination,
      details: f.details,
    }
  })
  return r.summary ? { id, findings, summary: r.summary } : { id, findings }
}

/**
 * Line, column and snippet of each offset, counting line breaks only up to the last offset: a bundle's
 * findings need a few lines, not an index of all of them (half a million on a 20 MB bundle).
 */
export function locate(source: string, offsets: number[]): Array<{ line: number; column: number; snippet: string }> {
  return linesOf(source, offsets).map(({ line, lineStart }, i) => {
    const column = offsets[i] - lineStart
    return { line, column, snippet: lineSnippet(source, lineStart, column) }
  })
}

function linesOf(source: string, offsets: number[]): Array<{ line: number; lineStart: number }> {
  const order = offsets.map((_, i) => i).sort((a, b) => offsets[a] - offsets[b])
  const out = new Array<{ line: number; lineStart: number }>(offsets.length)
  let line = 1
  let lineStart = 0
  for (const i of order) {
    for (let nl = source.indexOf('\n', lineStart); nl !== -1 && nl < offsets[i]; nl = source.indexOf('\n', lineStart)) {
      line++
      lineStart = nl + 1
    }
    out[i] = { line, lineStart }
  }
  return out
}

/**
 * For a file read from disk with findings: what attribution needs from its text, taken while the worker has it in
 * memory (the scan then reads only the `.map`). Code analysed from memory (bundles we built, inline scripts) is
 * attributed by its caller and skips this.
 */
export function addAttributionInputs(result: FileResult, source: string): void {
  if (!result.findings?.length) return
  const ref = sourceMapRefOf(source)
  if (Object.keys(ref).length) result.sourceMap = ref
  const markers = findModuleMarkers(source)
  if (!markers.length) return
  for (const f of result.findings) {
    const m = moduleAt(markers, f.offset)
    if (m) f.module = m.path
  }
}
