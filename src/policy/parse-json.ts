// A strict JSON reader that says where things are: line:col of syntax errors, duplicate keys, and positions by JSON pointer.

export interface JsonPosition {
  /** 1-based */
  line: number
  /** 1-based, as editors show it */
  column: number
}

export class JsonSyntaxError extends Error {
  readonly position: JsonPosition
  constructor(message: string, position: JsonPosition) {
    super(message)
    this.name = 'JsonSyntaxError'
    this.position = position
  }
}

export interface ParsedJson {
  value: unknown
  /** Where each value starts, keyed by JSON pointer ('' is the root). */
  positions: Map<string, JsonPosition>
  /** Pointers of keys that appear twice in one object (JSON.parse silently keeps the last one). */
  duplicateKeys: string[]
}

/** Escapes one JSON-pointer segment (RFC 6901). */
export function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1')
}

/** Parses untrusted JSON text; throws JsonSyntaxError with line and column. A leading BOM is ignored. */
export function parseJsonStrict(untrustedText: string): ParsedJson {
  const text = untrustedText.charCodeAt(0) === 0xfeff ? untrustedText.slice(1) : untrustedText
  let i = 0
  const positions = new Map<string, JsonPosition>()
  const duplicateKeys: string[] = []

  const positionAt = (offset: number): JsonPosition => {
    let line = 1
    let lineStart = 0
    for (let k = 0; k < offset && k < text.length; k++) {
      if (text.charCodeAt(k) === 10) { line++; lineStart = k + 1 }
    }
    return { line, column: offset - lineStart + 1 }
  }
  const fail = (message: string, at = i): never => { throw new JsonSyntaxError(message, positionAt(at)) }
  const describe = (at: number) => (at >= text.length ? 'end of file' : `'${text[at]}'`)
  const skipSpace = () => {
    while (i < text.length) {
      const c = text.charCodeAt(i)
      if (c === 32 || c === 9 || c === 10 || c === 13) i++
      else if (c === 47 && (text[i + 1] === '/' || text[i + 1] === '*')) fail('comments are not allowed in JSON')
      else break
    }
  }
  const readString = (): string => {
    const start = i
    i++ // opening quote
    let out = ''
    for (;;) {
      if (i >= text.length) fail('unterminated string', start)
      const c = text[i]
      if (c === '"') { i++; return out }
      if (c === '\\') {
        const e = text[i + 1]
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' }
        if (e !== undefined && e in simple) { out += simple[e]; i += 2; continue }
        if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16)); i += 6; continue
        }
        fail('invalid escape in string')
      }
      if (text.charCodeAt(i) < 0x20) fail('unescaped control character in string (line breaks inside strings must be written \\n)')
      out += c
      i++
    }
  }
  const readValue = (pointer: string): unknown => {
    skipSpace()
    positions.set(pointer, positionAt(i))
    const c = text[i]
    if (c === '{') {
      i++
      const obj: Record<string, unknown> = {}
      const seen = new Set<string>()
      skipSpace()
      if (text[i] === '}') { i++; return obj }
      for (;;) {
        skipSpace()
        if (text[i] !== '"') fail(text[i] === '}' ? "trailing comma before '}'" : `expected a double-quoted key, found ${describe(i)}`)
        const key = readString()
        const child = `${pointer}/${escapePointer(key)}`
        if (seen.has(key)) duplicateKeys.push(child)
        seen.add(key)
        skipSpace()
        if (text[i] !== ':') fail(`expected ':' after key "${key}", found ${describe(i)}`)
        i++
        const v = readValue(child)
        Object.defineProperty(obj, key, { value: v, enumerable: true, writable: true, configurable: true })
        skipSpace()
        if (text[i] === ',') { i++; continue }
        if (text[i] === '}') { i++; return obj }
        fail(`expected ',' or '}' after a value, found ${describe(i)}`)
      }
    }
    if (c === '[') {
      i++
      const arr: unknown[] = []
      skipSpace()
      if (text[i] === ']') { i++; return arr }
      for (;;) {
        skipSpace()
        if (text[i] === ']') fail("trailing comma before ']'")
        arr.push(readValue(`${pointer}/${arr.length}`))
        skipSpace()
        if (text[i] === ',') { i++; continue }
        if (text[i] === ']') { i++; return arr }
        fail(`expected ',' or ']' after a value, found ${describe(i)}`)
      }
    }
    if (c === '"') return readString()
    const lit = /^(?:true|false|null)/.exec(text.slice(i, i + 5))
    if (lit) { i += lit[0].length; return lit[0] === 'true' ? true : lit[0] === 'false' ? false : null }
    const num = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400))
    if (num) { i += num[0].length; return Number(num[0]) }
    if (c === "'") return fail('strings must use double quotes')
    return fail(`unexpected ${describe(i)}`)
  }

  const value = readValue('')
  skipSpace()
  if (i < text.length) fail(`unexpected ${describe(i)} after the end of the JSON value`)
  return { value, positions, duplicateKeys }
}
