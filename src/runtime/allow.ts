// Destinations the runtime lens accepts: host names (with `*.` wildcards), IPs, CIDRs, each optionally with a port.
import { isIP } from 'node:net'
import { inCidr, normaliseAddress } from './address.ts'

export interface AllowRule {
  /** `smtp.internal.test`, `*.corp.test`, `192.0.2.7`, `10.0.0.0/8`, `2001:db8::/32`; absent = any host. */
  host?: string
  /** Absent = any port. */
  port?: number
}

/** Parses `host`, `host:port`, `[v6]:port`, `cidr`, `cidr:port` or `:port`. */
export function parseAllowRule(text: string): AllowRule {
  const t = text.trim()
  const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(t)
  if (bracket) return withPort({ host: bracket[1] }, bracket[2])
  // Bare IPv6 (with or without a prefix length) has several colons: no port.
  if ((t.match(/:/g) ?? []).length > 1) return { host: t }
  const m = /^([^:]*)(?::(\d+))?$/.exec(t)
  if (!m) return { host: t }
  return withPort(m[1] ? { host: m[1] } : {}, m[2])
}

function withPort(rule: AllowRule, port: string | undefined): AllowRule {
  return port ? { ...rule, port: Number(port) } : rule
}

export interface DestinationKey {
  host?: string
  address?: string
  port?: number
}

/** True when some rule allows the destination (name or address, and port). */
export function isAllowed(rules: readonly AllowRule[], dest: DestinationKey): boolean {
  return rules.some((rule) => {
    if (rule.port !== undefined && dest.port !== undefined && rule.port !== dest.port) return false
    if (rule.port !== undefined && dest.port === undefined) {
      // A port-scoped rule still allows the DNS lookup of its host: the lookup precedes the connect.
      if (!rule.host) return false
    }
    if (!rule.host || rule.host === '*') return true
    const ruleHost = rule.host.toLowerCase()
    const base = ruleHost.split('/')[0]
    if (isIP(normaliseAddress(base))) {
      return [dest.address, dest.host].some((a) => a !== undefined && isIP(normaliseAddress(a)) > 0 && inCidr(a, ruleHost))
    }
    const name = dest.host?.toLowerCase().replace(/\.$/, '')
    if (!name) return false
    if (ruleHost.startsWith('*.')) return name.endsWith(ruleHost.slice(1))
    return name === ruleHost
  })
}
