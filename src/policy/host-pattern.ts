// Destination patterns of the policy (exact host, *.suffix, IP, CIDR) and the host/port of a finding they are matched against.
import { BlockList, isIP } from 'node:net'
import type { Destination } from '../report/finding.ts'

export interface HostMatcher {
  readonly pattern: string
  matches(host: string): boolean
}

const HOST_LABELS = /^(?=.{1,253}$)(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*$/

/** Lower-cases, drops a trailing dot and IPv6 brackets: the form hosts are compared in. */
export function normaliseHost(host: string): string {
  let h = host.trim().toLowerCase()
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1)
  if (h.endsWith('.') && !isIP(h)) h = h.slice(0, -1)
  return h
}

/** Compiles a policy host pattern; returns a string saying what is wrong when it is not one. */
export function compileHostPattern(pattern: string): HostMatcher | string {
  const p = normaliseHost(pattern)
  if (p.includes('/')) {
    const [addr, bits, extra] = p.split('/')
    const family = isIP(addr)
    if (extra !== undefined || !family) return `'${pattern}' is not a CIDR range (expected e.g. 10.0.0.0/8 or 2001:db8::/32)`
    const max = family === 4 ? 32 : 128
    if (!/^\d{1,3}$/.test(bits) || Number(bits) > max) return `'${pattern}' has a prefix length outside 0-${max}`
    const list = new BlockList()
    list.addSubnet(addr, Number(bits), family === 4 ? 'ipv4' : 'ipv6')
    return { pattern, matches: (host) => checkIp(list, host) }
  }
  const family = isIP(p)
  if (family) {
    const list = new BlockList()
    list.addAddress(p, family === 4 ? 'ipv4' : 'ipv6')
    return { pattern, matches: (host) => checkIp(list, host) }
  }
  if (p.startsWith('*.')) {
    const suffix = p.slice(2)
    if (!HOST_LABELS.test(suffix) || !suffix.includes('.')) {
      return `'${pattern}' is not a valid wildcard (use '*.' followed by a domain with at least two labels, e.g. '*.example.com')`
    }
    return { pattern, matches: (host) => normaliseHost(host).endsWith('.' + suffix) }
  }
  if (p.includes('*')) return `'${pattern}' uses '*' in the wrong place (only a leading '*.' is supported, e.g. '*.example.com')`
  if (!HOST_LABELS.test(p)) return `'${pattern}' is not a host name, IP address or CIDR range`
  return { pattern, matches: (host) => normaliseHost(host) === p }
}

function checkIp(list: BlockList, host: string): boolean {
  const h = normaliseHost(host)
  const family = isIP(h)
  if (!family) return false
  return list.check(h, family === 4 ? 'ipv4' : 'ipv6')
}

const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'ws:': 80, 'https:': 443, 'wss:': 443, 'ftp:': 21 }

/** The host and port a destination goes to, from its fields or its URL; undefined parts are unknown. */
export function destinationEndpoint(dest: Destination | undefined): { host?: string; port?: number } {
  if (!dest) return {}
  let host = dest.host
  let port = dest.port
  if (dest.url && (!host || port === undefined)) {
    try {
      const u = new URL(dest.url)
      host ??= u.hostname || undefined
      port ??= u.port ? Number(u.port) : DEFAULT_PORTS[u.protocol]
    } catch {
      // Not a full URL (e.g. a path or a template): the host stays unknown and nothing matches it.
    }
  }
  return { host: host ? normaliseHost(host) : undefined, port }
}
