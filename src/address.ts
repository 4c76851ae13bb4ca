// One classification of addresses and host names, shared by every lens: what kind of destination it is, and whether
// traffic to it stays on the customer's machine or network segment.
//
// A table of prefixes over the address's bytes, not node:net's BlockList or a library: both cost 5-10 µs per lookup
// here (BlockList builds a SocketAddress per check), against well under a microsecond for this, and the static lens
// asks for every IP literal it folds.
import { isIP } from 'node:net'

/**
 * - `loopback`: 127.0.0.0/8, ::1, `localhost` — this machine.
 * - `unspecified`: 0.0.0.0/8, :: — "this host".
 * - `private`: 10/8, 172.16/12, 192.168/16 (RFC 1918), fc00::/7 (unique local).
 * - `link-local`: 169.254/16, fe80::/10 — never routed off the network segment.
 * - `multicast`: 224/4 (mDNS 224.0.0.251, SSDP 239.255.255.250, admin-scoped 239/8…), ff00::/8 (ff02::fb…).
 * - `cgnat`: 100.64/10, shared address space (RFC 6598), not routed on the internet.
 * - `broadcast`: 255.255.255.255.
 * - `local-name`: a name only the customer's own resolver or hosts file answers (`db`, `nas.local`, `*.internal`).
 * - `external`: everything else, documentation ranges (192.0.2/24, 2001:db8::/32) included.
 */
export type AddressCategory = 'loopback' | 'unspecified' | 'private' | 'link-local' | 'multicast' | 'cgnat' | 'broadcast' | 'external'
export type HostCategory = AddressCategory | 'local-name'

export interface HostClass {
  category: HostCategory
  /** True when traffic to it cannot leave the customer's machine or network (every category but `external`). */
  local: boolean
  /** A few words for reports, e.g. `multicast (LAN discovery such as mDNS or SSDP)`. */
  description: string
}

const DESCRIPTIONS: Record<HostCategory, string> = {
  loopback: 'loopback (this machine)',
  unspecified: 'unspecified address (this machine)',
  private: 'private network address',
  'link-local': 'link-local (this network segment only)',
  multicast: 'multicast (LAN discovery such as mDNS or SSDP)',
  cgnat: 'shared address space (RFC 6598, not routed on the internet)',
  broadcast: 'broadcast (this network segment only)',
  'local-name': "a name only the customer's own resolver or hosts file answers",
  external: 'external',
}

const classOf = (category: HostCategory): HostClass => ({ category, local: category !== 'external', description: DESCRIPTIONS[category] })

// [category, prefix bytes, prefix length in bits]; the first match wins.
type Range = [AddressCategory, number[], number]
const V4_RANGES: Range[] = [
  ['loopback', [127], 8],
  ['unspecified', [0], 8],
  ['private', [10], 8],
  ['private', [172, 16], 12],
  ['private', [192, 168], 16],
  ['link-local', [169, 254], 16],
  ['multicast', [224], 4],
  ['cgnat', [100, 64], 10],
  ['broadcast', [255, 255, 255, 255], 32],
]
const V6_RANGES: Range[] = [
  ['loopback', [...new Array(15).fill(0), 1], 128],
  ['unspecified', new Array(16).fill(0), 128],
  ['private', [0xfc], 7],
  ['link-local', [0xfe, 0x80], 10],
  ['multicast', [0xff], 8],
]

/** Suffixes of names that resolve only inside the customer's network (mDNS, RFC 8375, ICANN's private-use TLD, common LAN ones). */
const LOCAL_SUFFIXES = ['.local', '.localhost', '.home.arpa', '.internal', '.lan']

/** `::ffff:1.2.3.4` → `1.2.3.4`; lower-case IPv6; brackets and zone (`%eth0`) removed. */
export function normaliseAddress(address: string): string {
  let a = address.trim().toLowerCase()
  if (a.startsWith('[') && a.endsWith(']')) a = a.slice(1, -1)
  const pct = a.indexOf('%')
  if (pct > 0) a = a.slice(0, pct)
  if (a.startsWith('::ffff:') && isIP(a.slice(7)) === 4) a = a.slice(7)
  return a
}

/** The category of an IP address (v4, v6, IPv4-mapped v6 in either spelling); undefined when `address` is not one. */
export function classifyAddress(address: string): HostClass | undefined {
  let bytes = toBytes(normaliseAddress(address))
  if (!bytes) return undefined
  // ::ffff:a.b.c.d written in hex (::ffff:7f00:1) is the IPv4 address it carries.
  if (bytes.length === 16 && bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) bytes = bytes.slice(12)
  for (const [category, prefix, bits] of bytes.length === 4 ? V4_RANGES : V6_RANGES) {
    if (matchesPrefix(bytes, prefix, bits)) return classOf(category)
  }
  return classOf('external')
}

/** The category of a host name or IP literal (brackets and a trailing dot allowed). */
export function classifyHost(untrustedHost: string): HostClass {
  const h = untrustedHost.trim().toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '')
  if (!h) return classOf('external')
  const address = classifyAddress(h)
  if (address) return address
  if (h === 'localhost' || h.endsWith('.localhost')) return classOf('loopback')
  if (LOCAL_SUFFIXES.some((s) => h.endsWith(s))) return classOf('local-name')
  // Single-label names (`db`, `redis`) resolve through the customer's own hosts file or DNS search list.
  if (!h.includes('.')) return classOf('local-name')
  return classOf('external')
}

/** Whether an IP address stays on the customer's machine or network (loopback, private, link-local, multicast…). */
export function isLocalAddress(address: string): boolean {
  return classifyAddress(address)?.local ?? false
}

/** Whether a host name or address stays on the customer's machine or network. */
export function isLocalHost(untrustedHost: string): boolean {
  return classifyHost(untrustedHost).local
}

/** True when `address` is inside `cidr` (`10.0.0.0/8`, `2001:db8::/32`, or a plain address). */
export function inCidr(address: string, cidr: string): boolean {
  const [base, bitsText] = cidr.split('/')
  const a = toBytes(normaliseAddress(address))
  const b = toBytes(normaliseAddress(base))
  if (!a || !b || a.length !== b.length) return false
  const bits = bitsText === undefined ? a.length * 8 : Number(bitsText)
  if (!(bits >= 0 && bits <= a.length * 8)) return false
  return matchesPrefix(a, b, bits)
}

function matchesPrefix(bytes: number[], prefix: number[], bits: number): boolean {
  for (let i = 0; i < bits; i++) {
    const mask = 0x80 >> (i % 8)
    if ((bytes[i >> 3] & mask) !== ((prefix[i >> 3] ?? 0) & mask)) return false
  }
  return true
}

/** 4 bytes for IPv4, 16 for IPv6 (embedded IPv4 tails included); undefined for anything else. */
function toBytes(address: string): number[] | undefined {
  const kind = isIP(address)
  if (kind === 4) return address.split('.').map(Number)
  if (kind !== 6) return undefined
  const [head, tail = ''] = address.split('::')
  const words = (s: string) => (s ? s.split(':') : [])
  const h = words(head)
  const t = words(tail)
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
