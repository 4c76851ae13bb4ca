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

/** The acorn options for a kind (the benchmark's bare parse uses the same ones). */
export function optionsFor(kind: ModuleKind): Options {
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

/**
 * acorn catches its own stack overflow and tests the error message with two regex literals
 * (`catchStackOverflow`). Their first use would compile them at the bottom of an exhausted stack,
 * which on Node 20 and 22 aborts the whole process ("RegExpCompiler Allocation failed - process
 * out of memory", not catchable; e.g. 1 000 nested template literals). Running that path a few
 * times here, on a shallow stack, compiles them (and tiers them up) before any untrusted input.
 */
function warmStackOverflowCheck(): void {
  for (let i = 0; i < 4; i++) {
    let tokens = 0
    try {
      acornParse('x;y', {
        ecmaVersion: 'latest',
        // The first token is read before the guarded region; the message fails the first regex and
        // matches the second, so both get compiled.
        onToken: () => { if (++tokens > 1) throw new RangeError('too much recursion') },
      })
    } catch {
      // Expected: "Not enough stack space to parse input".
    }
  }
}
warmStackOverflowCheck()

const ACORN_OVERFLOW = /^Not enough stack space/

function tryParse(code: string, kind: ModuleKind): (ParseOk | ParseFailed) & { overflow?: boolean } {
  try {
    return { ok: true, ast: acornParse(code, optionsFor(kind)), kind }
  } catch (err) {
    // acorn reports most overflows itself as a SyntaxError; a RangeError can still escape it.
    if (err instanceof RangeError || ACORN_OVERFLOW.test((err as Error).message)) {
      const loc = (err as { loc?: { line: number; column: number } }).loc
      return { ok: false, overflow: true, message: 'nesting too deep to analyse (parser stack overflow)', line: loc?.line ?? 1, column: loc?.column ?? 0 }
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
