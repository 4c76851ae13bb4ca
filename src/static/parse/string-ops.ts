// Folding of the string built-ins phone-home code uses to hide URLs (join, reverse, base64, char codes).
import type { Val } from './fold.ts'

const MAX_LEN = 64 * 1024

function strs(args: Val[]): string[] | undefined {
  const out: string[] = []
  for (const a of args) {
    if (a.t === 'str' && !a.partial) out.push(a.v)
    else if (a.t === 'num') out.push(String(a.v))
    else return undefined
  }
  return out
}

function str(v: string): Val | undefined {
  return v.length > MAX_LEN ? undefined : { t: 'str', v }
}

function decodeBase64(s: string): string | undefined {
  if (!/^[A-Za-z0-9+/=_-\s]*$/.test(s)) return undefined
  return Buffer.from(s, 'base64').toString('utf8')
}

/** Global functions: atob, String.fromCharCode, decodeURIComponent, Buffer.from(…) (as an array-like). */
export function applyGlobalStringFunction(name: string, args: Val[]): Val | undefined {
  switch (name) {
    case 'atob': {
      const a = strs(args.slice(0, 1))
      if (!a) return undefined
      const d = decodeBase64(a[0])
      return d === undefined ? undefined : str(Buffer.from(a[0], 'base64').toString('latin1'))
    }
    case 'btoa': {
      const a = strs(args.slice(0, 1))
      return a ? str(Buffer.from(a[0], 'latin1').toString('base64')) : undefined
    }
    case 'String.fromCharCode':
    case 'String.fromCodePoint': {
      if (args.length > 4096) return undefined
      const codes: number[] = []
      for (const a of args) {
        if (a.t !== 'num' || !Number.isInteger(a.v) || a.v < 0 || a.v > 0x10ffff) return undefined
        codes.push(a.v)
      }
      return str(name === 'String.fromCharCode' ? String.fromCharCode(...codes) : String.fromCodePoint(...codes))
    }
    case 'decodeURIComponent':
    case 'decodeURI':
    case 'unescape': {
      const a = strs(args.slice(0, 1))
      if (!a) return undefined
      try { return str(name === 'decodeURI' ? decodeURI(a[0]) : decodeURIComponent(a[0])) } catch { return undefined }
    }
    case 'String': {
      const a = strs(args.slice(0, 1))
      return a ? str(a[0]) : undefined
    }
    case 'Buffer.from': {
      const a = args[0]
      const enc = args[1]
      if (a?.t === 'str' && !a.partial) {
        const e = enc?.t === 'str' ? enc.v : 'utf8'
        if (!Buffer.isEncoding(e)) return undefined
        // Represent the buffer by its latin1 bytes; .toString(enc) re-encodes.
        return { t: 'arr', items: [{ t: 'str', v: Buffer.from(a.v, e as BufferEncoding).toString('latin1') }, { t: 'str', v: '\u0000buffer' }] }
      }
      if (a?.t === 'arr') {
        const nums = a.items.map((i) => (i.t === 'num' ? i.v : NaN))
        if (nums.some((n) => !Number.isInteger(n))) return undefined
        return { t: 'arr', items: [{ t: 'str', v: Buffer.from(nums).toString('latin1') }, { t: 'str', v: '\u0000buffer' }] }
      }
      return undefined
    }
    default:
      return undefined
  }
}

function isBuffer(v: Val): v is { t: 'arr'; items: [{ t: 'str'; v: string }, { t: 'str'; v: string }] } {
  return v.t === 'arr' && v.items.length === 2 && v.items[1].t === 'str' && v.items[1].v === '\u0000buffer'
}

/** Methods on folded strings and arrays. */
export function applyStringMethod(recv: Val, name: string, args: Val[]): Val | undefined {
  if (isBuffer(recv)) {
    if (name !== 'toString') return undefined
    const bytes = Buffer.from((recv.items[0] as { v: string }).v, 'latin1')
    const e = args[0]?.t === 'str' ? (args[0] as { v: string }).v : 'utf8'
    return Buffer.isEncoding(e) ? str(bytes.toString(e as BufferEncoding)) : undefined
  }
  if (recv.t === 'arr') {
    if (recv.items.length > 4096) return undefined
    switch (name) {
      case 'join': {
        const sep = args[0] ? strs([args[0]]) : [',']
        const items = strs(recv.items)
        return sep && items ? str(items.join(sep[0])) : undefined
      }
      case 'reverse':
        return { t: 'arr', items: [...recv.items].reverse() }
      case 'concat':
        return args.every((a) => a.t === 'arr') ? { t: 'arr', items: recv.items.concat(...args.map((a) => (a as { items: Val[] }).items)) } : undefined
      case 'map':
        return undefined
      default:
        return undefined
    }
  }
  if (recv.t !== 'str' || recv.partial) return undefined
  const s = recv.v
  const a = strs(args)
  switch (name) {
    case 'split': {
      if (!a || a.length < 1) return undefined
      const parts = s.split(a[0])
      return parts.length > 4096 ? undefined : { t: 'arr', items: parts.map((v) => ({ t: 'str', v })) }
    }
    case 'concat':
      return a ? str(s + a.join('')) : args.some((x) => x.t === 'dyn') ? { t: 'str', v: s, partial: true } : undefined
    case 'toLowerCase':
    case 'toUpperCase':
    case 'trim':
    case 'trimStart':
    case 'trimEnd':
    case 'normalize':
    case 'toString':
    case 'valueOf':
      return str((s as unknown as Record<string, () => string>)[name]())
    case 'replace':
    case 'replaceAll':
      return a && a.length === 2 ? str(name === 'replace' ? s.replace(a[0], a[1]) : s.replaceAll(a[0], a[1])) : undefined
    case 'slice':
    case 'substring':
    case 'substr': {
      const nums = args.map((x) => (x.t === 'num' ? x.v : NaN))
      if (nums.some(Number.isNaN)) return undefined
      return str((s as unknown as Record<string, (...n: number[]) => string>)[name](...nums))
    }
    case 'repeat':
      return args[0]?.t === 'num' && args[0].v < 1000 ? str(s.repeat(args[0].v)) : undefined
    case 'charAt':
      return args[0]?.t === 'num' ? str(s.charAt(args[0].v)) : undefined
    default:
      return undefined
  }
}
