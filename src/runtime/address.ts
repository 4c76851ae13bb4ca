// IP address helpers for the runtime lens: loopback, the DNS sinkhole range, CIDR matching.
import { isIP } from 'node:net'

/** Names the DNS stub does not allow resolve to 127.77.x.y, one address per name, so a connect to it names the host. */
export const SINKHOLE_PREFIX = '127.77.'

/** `::ffff:1.2.3.4` → `1.2.3.4`; lower-case IPv6; brackets removed. */
export function normaliseAddress(address: string): string {
  let a = address.trim().toLowerCase()
  if (a.startsWith('[') && a.endsWith(']')) a = a.slice(1, -1)
  const pct = a.indexOf('%')
  if (pct > 0) a = a.slice(0, pct)
  if (a.startsWith('::ffff:') && isIP(a.slice(7)) === 4) a = a.slice(7)
  return a
}

export function isSinkhole(address: string): boolean {
  return normaliseAddress(address).startsWith(SINKHOLE_PREFIX)
}

/** Loopback or unspecified (both stay on this machine) and not a sinkhole address. */
export function isLoopback(address: string): boolean {
  const a = normaliseAddress(address)
  if (isSinkhole(a)) return false
  if (isIP(a) === 4) return a.startsWith('127.') || a === '0.0.0.0'
  if (isIP(a) === 6) return a === '::1' || a === '::'
  return a === 'localhost' || a.endsWith('.localhost')
}

/** The n-th sinkhole address (n from 1). */
export function sinkholeAddress(n: number): string {
  return `${SINKHOLE_PREFIX}${Math.floor(n / 250) % 250}.${(n % 250) + 1}`
}

/** True when `address` is inside `cidr` (`10.0.0.0/8`, `2001:db8::/32`, or a plain address). */
export function inCidr(address: string, cidr: string): boolean {
  const [base, bitsText] = cidr.split('/')
  const a = toBytes(normaliseAddress(address))
  const b = toBytes(normaliseAddress(base))
  if (!a || !b || a.length !== b.length) return false
  const bits = bitsText === undefined ? a.length * 8 : Number(bitsText)
  if (!(bits >= 0 && bits <= a.length * 8)) return false
  for (let i = 0; i < bits; i++) {
    const mask = 0x80 >> (i % 8)
    if ((a[i >> 3] & mask) !== (b[i >> 3] & mask)) return false
  }
  return true
}

function toBytes(address: string): number[] | undefined {
  const kind = isIP(address)
  if (kind === 4) return address.split('.').map(Number)
  if (kind !== 6) return undefined
  const [head, tail = ''] = address.split('::')
  const words = (s: string) => (s ? s.split(':') : [])
  let h = words(head), t = words(tail)
  // An embedded IPv4 tail (::ffff:1.2.3.4 that was not normalised, or 64:ff9b::1.2.3.4).
  const fix = (list: string[]) => {
    const last = list[list.length - 1]
    if (last && last.includes('.')) {
      const [p, q, r, s] = last.split('.').map(Number)
      list.splice(-1, 1, ((p << 8) | q).toString(16), ((r << 8) | s).toString(16))
    }
  }
  if (t.length) fix(t); else fix(h)
  const all = address.includes('::') ? [...h, ...new Array(8 - h.length - t.length).fill('0'), ...t] : h
  const out: number[] = []
  for (const w of all) { const n = parseInt(w, 16); out.push(n >> 8, n & 0xff) }
  return out
}

/**
 * Listen options for the sandbox's wildcard address (`::` dual stack, or `0.0.0.0`) that skip Node's host lookup:
 * given a host, `listen` runs it through dns.lookup, whose first IPv6 literal check costs several milliseconds on
 * every sandbox start. Without a host Node binds `::` dual stack (falling back to `0.0.0.0`), the same thing.
 */
export function wildcardListenOptions(host: string): { host?: string; ipv6Only?: boolean } {
  return host === '::' ? {} : { host, ipv6Only: false }
}

/**
 * dgram `lookup` for sockets that only ever bind to and send to IP literals (the wildcard address, a peer's
 * address): answers with the literal itself, for the same reason as wildcardListenOptions.
 */
export function literalLookup(
  address: string,
  familyOrOptions: unknown,
  callback: (err: NodeJS.ErrnoException | null, address: string, family: number) => void,
): void {
  // dgram passes the socket's family (4 or 6); no isIP() here, that is the check being avoided.
  callback(null, address, typeof familyOrOptions === 'number' ? familyOrOptions : address.includes(':') ? 6 : 4)
}
