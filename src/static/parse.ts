// The one acorn call site: parses a file as module or script, falling back to the other kind.
import { Parser, type Node, type Options } from 'acorn'

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

// `import x`, `import {`, `import '…'` at the start of a line; not an `importFrom: …` property of a CommonJS bundle.
const ESM_HINT = /^[ \t]*(?:import(?:[ \t]*[{*'"]|[ \t]+[\w$])|export[ \t]+(?:default|const|let|var|function|class|async|\{|\*))/m

/**
 * acorn turns a stack overflow into "Not enough stack space to parse input" in `catchStackOverflow`, which
 * tests the error message with two regex literals in the frame that overflowed. V8 may have to compile those
 * regexes right there (the first time, or again after a GC dropped their code), with no stack left, and that
 * aborts the whole process: "RegExpCompiler Allocation failed - process out of memory", not catchable (seen
 * in about 1 of 4 scans of 100 000 nested template literals, Node 20 and 22). Warming them up first only
 * made it rarer. Our subclass does the same check without a regex.
 */
const OverflowSafeParser = Parser.extend((Base) => {
  const Unsafe = Base as unknown as new (...args: unknown[]) => { start: number; raise(pos: number, message: string): never }
  return class extends Unsafe {
    catchStackOverflow<T>(parse: () => T): T {
      try {
        return parse()
      } catch (err) {
        if (err instanceof RangeError) this.raise(this.start, 'Not enough stack space to parse input')
        throw err
      }
    }
  } as unknown as typeof Base
})

const ACORN_OVERFLOW = /^Not enough stack space/

function tryParse(code: string, kind: ModuleKind): (ParseOk | ParseFailed) & { overflow?: boolean } {
  try {
    return { ok: true, ast: OverflowSafeParser.parse(code, optionsFor(kind)), kind }
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
