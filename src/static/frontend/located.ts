// Builds located findings for non-JS files (HTML, CSS, package.json) from an offset into the file text.
import type { Destination, Severity } from '../../report/finding.ts'
import { lineStarts, positionOf, snippetAt, type LocatedFinding } from '../analysis/file-result.ts'

export interface FindingInput {
  rule: string
  severity: Severity
  message: string
  /** Offset into the file text where the finding points. */
  offset: number
  /** Stable text for the fingerprint (element + attribute + URL, not the line). */
  code: string
  api?: string
  destination?: Destination
  details?: Record<string, string>
}

/** Positions findings in one file's text; line starts are computed once, on first use. */
export class Locator {
  private starts: number[] | undefined

  constructor(readonly untrustedText: string) {}

  position(offset: number): { line: number; column: number } {
    this.starts ??= lineStarts(this.untrustedText)
    return positionOf(this.starts, offset)
  }

  snippetAt(line: number, column: number): string {
    this.starts ??= lineStarts(this.untrustedText)
    return snippetAt(this.untrustedText, this.starts, line, column)
  }

  finding(f: FindingInput): LocatedFinding {
    this.starts ??= lineStarts(this.untrustedText)
    const { line, column } = positionOf(this.starts, f.offset)
    const out: LocatedFinding = {
      rule: f.rule,
      severity: f.severity,
      message: f.message,
      line,
      column,
      snippet: snippetAt(this.untrustedText, this.starts, line, column),
      code: f.code.slice(0, 300),
      offset: f.offset,
    }
    if (f.api) out.api = f.api
    if (f.destination) out.destination = f.destination
    if (f.details) out.details = f.details
    return out
  }
}
