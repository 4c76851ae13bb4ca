// The one acorn call site: parses a file as module or script, falling back to the other kind.
import { Parser, tokTypes, type Node, type Options } from 'acorn'

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
    // OurParser's nodes (below) carry no `loc` or `range`: keep these off.
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
  if (kind !== 'module' && looksLikeEsm(code)) {
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
// ESM puts its imports first and (bundles) its exports last: the hint looks at both ends of a large file
// only. Scanning all of a 20 MB CommonJS bundle for nothing took 40–55 ms. A miss costs no correctness:
// the script parse fails at the first import or export, and the module parse follows.
const HINT_WINDOW = 64 * 1024

function looksLikeEsm(code: string): boolean {
  if (code.length <= 2 * HINT_WINDOW) return ESM_HINT.test(code)
  if (ESM_HINT.test(code.slice(0, HINT_WINDOW))) return true
  // The tail starts at a line start, so a cut line is not read as one beginning with `import`.
  const cut = code.indexOf('\n', code.length - HINT_WINDOW)
  return cut >= 0 && ESM_HINT.test(code.slice(cut + 1))
}

/**
 * acorn keeps its keyword and reserved-word lists as regexes (`^(?:break|case|…)$`) and tests every name
 * against one or more of them. Ours are Sets behind the same `test` method, one per list (lists are few).
 */
const wordSets = new Map<string, { test(word: string): boolean }>()
function wordSetOf(pattern: RegExp): { test(word: string): boolean } {
  let tester = wordSets.get(pattern.source)
  if (!tester) {
    const m = /^\^\(\?:(.*)\)\$$/.exec(pattern.source)
    if (!m || !/^[a-z|]*$/.test(m[1])) throw new Error(`acorn word list not understood: ${pattern.source}`)
    const words = m[1].split('|').filter((w) => w.length > 0)
    const set = new Set(words)
    // Which first letters occur at each length: most names (`e`, `exports`, `require_foo`, `Buffer`) fail
    // this before the Set has to hash them.
    const firstLetters = new Int32Array(Math.max(1, ...words.map((w) => w.length + 1)))
    for (const w of words) firstLetters[w.length] |= 1 << (w.charCodeAt(0) - 97)
    const longest = firstLetters.length - 1
    tester = {
      test: (word: string) => {
        const n = word.length
        if (n > longest) return false
        const bit = word.charCodeAt(0) - 97
        return bit >= 0 && bit < 26 && (firstLetters[n] & (1 << bit)) !== 0 && set.has(word)
      },
    }
    wordSets.set(pattern.source, tester)
  }
  return tester
}

const WORD_LISTS = ['keywords', 'reservedWords', 'reservedWordsStrict', 'reservedWordsStrictBind'] as const

type ParserInternals = {
  input: string; pos: number; start: number; end: number; containsEsc: boolean; strict: boolean
  type: unknown; value: unknown
  next(): void
  finishNode(node: Node, type: string): Node
  parseIdentNode(): Node
  parseLiteral(value: unknown): Node
  keywords: RegExp; reservedWords: RegExp; reservedWordsStrict: RegExp; reservedWordsStrictBind: RegExp
  raise(pos: number, message: string): never
  readWord1(): string
  checkUnreserved(ref: { start: number; end: number; name: string }): void
}

/**
 * Our acorn: the same parser and the same AST, made faster through acorn's plugin mechanism (`Parser.extend`)
 * and tested against plain acorn for identical trees and errors (test/static/parser.test.mjs).
 *
 * 1. Stack overflow. acorn turns one into "Not enough stack space to parse input" in `catchStackOverflow`,
 *    which tests the error message with two regex literals in the frame that overflowed. V8 may have to
 *    compile those regexes right there (the first time, or again after a GC dropped their code), with no
 *    stack left, and that aborts the whole process: "RegExpCompiler Allocation failed - process out of
 *    memory", not catchable (seen in about 1 of 4 scans of 100 000 nested template literals, Node 20 and
 *    22). Warming them up first only made it rarer. Ours does the same check without a regex.
 * 2. Names. acorn reads every identifier a code point at a time and matches names against keyword and
 *    reserved-word regexes. Ours reads a plain ASCII name with one tight loop (a name with anything
 *    else in it, non-ASCII letters or `\u` escapes, goes to acorn's own code from its first character),
 *    and its word lists are Sets behind the same `test`, with a first-letter-by-length filter in front.
 *    acorn's `checkUnreserved` walks its scope stack three times for every identifier before it looks
 *    at the name; ours looks at the name first and calls acorn's only for the few names it concerns.
 * 3. Nodes are object literals, not `new Node()`: the same three first fields (`type`, `start`, `end`; we
 *    ask for no `loc`, `range` or `sourceFile`), so the same tree. V8 tracks where literals are allocated,
 *    sees that nearly every node outlives the next young-generation GC, and allocates them in the old
 *    generation from then on, so the scavenger stops copying the whole AST: ~9% of that parse. Fields
 *    added later live in a separate, young property array that is still copied; identifiers and
 *    literals, half the nodes of a bundle, are built whole instead.
 * 4. The same short name comes back as the same string: one seen lately is not sliced out of the source
 *    again. Fewer young strings to copy, and the scope tables hash each name once.
 */
// Names seen lately (this file and earlier ones in this thread), by a hash of their characters; a newer name
// takes an older one's slot. Shared by all parses: at most 16 384 strings of up to 12 characters stay pinned.
const NAME_SLOTS_MASK = (1 << 14) - 1
const seenNames: Array<string | undefined> = new Array(NAME_SLOTS_MASK + 1).fill(undefined)
const MAX_KEPT_NAME = 12
const OurParser = Parser.extend((Base) => {
  const Internal = Base as unknown as new (...args: unknown[]) => ParserInternals
  return class extends Internal {
    constructor(...args: unknown[]) {
      super(...args)
      for (const list of WORD_LISTS) this[list] = wordSetOf(this[list]) as unknown as RegExp
    }

    catchStackOverflow<T>(parse: () => T): T {
      try {
        return parse()
      } catch (err) {
        if (err instanceof RangeError) this.raise(this.start, 'Not enough stack space to parse input')
        throw err
      }
    }

    checkUnreserved(ref: { start: number; end: number; name: string }): void {
      // acorn's checks all concern these three names, keywords or reserved words; it evaluates its scope
      // getters (a walk up the scope stack each) before looking at the name, for every identifier.
      const name = ref.name
      if (name !== 'yield' && name !== 'await' && name !== 'arguments' && !this.keywords.test(name) &&
        !(this.strict ? this.reservedWordsStrict : this.reservedWords).test(name)) return
      super.checkUnreserved(ref)
    }

    startNode(): Node {
      return { type: '', start: this.start, end: 0 } as Node
    }

    startNodeAt(pos: number): Node {
      return { type: '', start: pos, end: 0 } as Node
    }

    // The commonest nodes are built whole, so all their fields live in the object itself (see 3 above).
    parseIdentNode(): Node {
      if (this.type !== tokTypes.name) return super.parseIdentNode()
      return { type: '', start: this.start, end: 0, name: this.value } as unknown as Node
    }

    parseLiteral(value: unknown): Node {
      const raw = this.input.slice(this.start, this.end)
      // A BigInt (`10n`) gets one more field: acorn's own path.
      if (raw.charCodeAt(raw.length - 1) === 110) return super.parseLiteral(value)
      const node = { type: '', start: this.start, end: 0, value, raw } as unknown as Node
      this.next()
      return this.finishNode(node, 'Literal')
    }

    copyNode(node: Node): Node {
      const copy = { type: '', start: node.start, end: 0 } as Record<string, unknown>
      for (const prop in node) copy[prop] = (node as unknown as Record<string, unknown>)[prop]
      return copy as unknown as Node
    }

    readWord1(): string {
      const input = this.input
      const start = this.pos
      const len = input.length
      let pos = start
      let hash = 0
      while (pos < len) {
        const c = input.charCodeAt(pos)
        // [a-z] [A-Z] [0-9] _ $ : exactly the ASCII characters acorn's isIdentifierChar accepts.
        if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 36) {
          hash = (Math.imul(hash, 31) + c) | 0
          pos++
        } else break
      }
      if (pos < len) {
        const c = input.charCodeAt(pos)
        // A non-ASCII character may continue the name, and a backslash starts an escape: acorn's path.
        if (c >= 128 || c === 92) return super.readWord1()
      }
      this.containsEsc = false
      this.pos = pos
      // The same name comes back as the same string (see 4 above). Only short names are kept: V8 makes a slice of
      // 13 characters or more a view into the whole source, and one such name left in the table would keep a
      // finished file's text (megabytes, for a bundle) alive. Shorter slices are copies. 85% of a bundle's names
      // are short.
      const length = pos - start
      if (length > MAX_KEPT_NAME) return input.slice(start, pos)
      const slot = (hash ^ (hash >>> 15)) & NAME_SLOTS_MASK
      const seen = seenNames[slot]
      if (seen !== undefined && seen.length === length && input.startsWith(seen, start)) return seen
      const word = input.slice(start, pos)
      seenNames[slot] = word
      return word
    }
  } as unknown as typeof Base
})

const ACORN_OVERFLOW = /^Not enough stack space/

function tryParse(code: string, kind: ModuleKind): (ParseOk | ParseFailed) & { overflow?: boolean } {
  try {
    return { ok: true, ast: OurParser.parse(code, optionsFor(kind)), kind }
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
