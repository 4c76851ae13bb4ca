// The one acorn call site: parses a file as module or script, falling back to the other kind.
import { parse as acornParse, type Node, type Options } from 'acorn'

export type ModuleKind = 'module' | 'commonjs' | 'script'

export interface ParseOk {
  ok: true
  ast: Node
  /** The kind that parsed (may differ from the one asked for when the fallback was used). */
  kind: ModuleKind
}

export interface ParseFailed {
  ok: false
  message: string
  line: number
  column: number
}

function optionsFor(kind: ModuleKind): Options {
  return {
    ecmaVersion: 'latest',
    sourceType: kind === 'module' ? 'module' : 'script',
    allowHashBang: true,
    // CommonJS files run inside a function wrapper: top-level return is legal there.
    allowReturnOutsideFunction: kind !== 'module',
    allowAwaitOutsideFunction: kind === 'module',
    allowReserved: kind !== 'module',
    locations: false,
    ranges: false,
  }
}

/**
 * Parses `code` as `kind`; when that fails, tries the other source type (an `.js` file in a
 * folder without `"type": "module"` may still be ESM, and vice versa) before giving up.
 * A stack overflow on deeply nested input is reported as a parse failure, not thrown.
 */
export function parseSource(code: string, kind: ModuleKind): ParseOk | ParseFailed {
  // ESM in a folder without `"type": "module"` is common (dual packages): a failed parse costs
  // as much as a good one, so try the likely kind first.
  if (kind !== 'module' && ESM_HINT.test(code)) {
    const m = tryParse(code, 'module')
    if (m.ok) return m
  }
  const first = tryParse(code, kind)
  if (first.ok) return first
  if ((first as ParseFailed & { overflow?: boolean }).overflow) return first
  const other: ModuleKind = kind === 'module' ? 'commonjs' : 'module'
  const second = tryParse(code, other)
  return second.ok ? second : first
}

const ESM_HINT = /^[ \t]*(?:import[ \t]*[\w{*'"]|export[ \t]+(?:default|const|let|var|function|class|async|\{|\*))/m

function tryParse(code: string, kind: ModuleKind): (ParseOk | ParseFailed) & { overflow?: boolean } {
  try {
    return { ok: true, ast: acornParse(code, optionsFor(kind)), kind }
  } catch (err) {
    if (err instanceof RangeError) {
      return { ok: false, overflow: true, message: 'nesting too deep to analyse (parser stack overflow)', line: 1, column: 0 }
    }
    const e = err as SyntaxError & { loc?: { line: number; column: number } }
    return {
      ok: false,
      message: e.message.replace(/\s*\(\d+:\d+\)$/, ''),
      line: e.loc?.line ?? 1,
      column: e.loc?.column ?? 0,
    }
  }
}
