// DNS: every lookup and resolve the app asks for, through the callback API, dns.promises and Resolver instances.
import dns from 'node:dns'
import { isIP } from 'node:net'
import { record } from './log.ts'
import { SHALLOW, callerFile, captureSites, formatSites } from './stack.ts'
import { patchMethod } from './wrap.ts'

const RESOLVE_TYPES: Record<string, string> = {
  resolve4: 'A', resolve6: 'AAAA', resolveAny: 'ANY', resolveCaa: 'CAA', resolveCname: 'CNAME', resolveMx: 'MX',
  resolveNaptr: 'NAPTR', resolveNs: 'NS', resolvePtr: 'PTR', resolveSoa: 'SOA', resolveSrv: 'SRV', resolveTxt: 'TXT',
  resolveTlsa: 'TLSA',
}
const RESOLVER_METHODS = ['resolve', 'reverse', ...Object.keys(RESOLVE_TYPES)]

// net and dgram look names up for the connect or send already recorded with the host name: not a second attempt.
const INTERNAL_CALLERS = new Set(['node:net', 'node:dgram', 'node:internal/dgram'])

function qtypeOf(method: string, args: unknown[]): string {
  if (method === 'lookup') {
    const options = args[1]
    const family = typeof options === 'number' ? options : options && typeof options === 'object' ? (options as { family?: unknown }).family : 0
    return family === 4 || family === 'IPv4' ? 'A' : family === 6 || family === 'IPv6' ? 'AAAA' : 'A/AAAA'
  }
  if (method === 'resolve') return typeof args[1] === 'string' ? args[1] : 'A'
  if (method === 'reverse' || method === 'lookupService') return 'PTR'
  return RESOLVE_TYPES[method] ?? method
}

function onQuery(api: string, method: string, args: unknown[], below: Function): void {
  const name = args[0]
  if (typeof name !== 'string') return
  const reverse = method === 'reverse' || method === 'lookupService'
  // An IP literal handed to lookup is answered without a query.
  if (!reverse && isIP(name)) return
  const sites = captureSites(below, SHALLOW)
  if (INTERNAL_CALLERS.has(callerFile(sites))) return
  record({
    api,
    ...(reverse ? { address: name } : { host: name }),
    name,
    qtype: qtypeOf(method, args),
    protocol: 'dns',
    stack: formatSites(sites),
  })
}

function patchQueries(owner: object, prefix: string, methods: string[]): void {
  for (const method of methods) {
    const api = `${prefix}.${method}`
    patchMethod(owner, method, api, (original) =>
      function query(this: unknown, ...args: unknown[]) {
        try { onQuery(api, method, args, query) } catch { /* never break the app */ }
        return Reflect.apply(original, this, args)
      },
    )
  }
}

export function installDns(): void {
  // Module-level resolve* are bound copies of the default Resolver's methods, made before we run: patch both.
  patchQueries(dns, 'dns', ['lookup', 'lookupService', ...RESOLVER_METHODS])
  patchQueries(dns.Resolver.prototype, 'dns.Resolver', RESOLVER_METHODS)
  // dns.promises is the same object as require('dns/promises') on 20–26, so one patch covers both spellings.
  const promises = dns.promises
  patchQueries(promises, 'dns.promises', ['lookup', 'lookupService', ...RESOLVER_METHODS])
  patchQueries(promises.Resolver.prototype, 'dns.promises.Resolver', RESOLVER_METHODS)
}
