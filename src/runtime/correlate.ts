// Turns what the runtime layers saw (guard, DNS stub, sinks, strace) into deduplicated runtime-egress findings.
import { isIP } from 'node:net'
import type { Finding } from '../report/finding.ts'
import { fingerprintOf } from '../report/finding.ts'
import type { RuntimeEvent } from './events.ts'
import { isLoopback, isSinkhole, normaliseAddress } from './address.ts'
import { classifyHost } from '../address.ts'
import { isAllowed, type AllowRule } from './allow.ts'
import { attributeStack, displayPath, type Attribution } from './attribution.ts'
import { registerRule } from '../static/detectors/rules.ts'

export const RUNTIME_RULE = 'runtime-egress'

registerRule({
  id: RUNTIME_RULE,
  severity: 'violation',
  description: 'The running app tried to reach a destination the policy does not allow',
  help: 'Seen while the app ran in a sandbox with no route out. The evidence shows what was attempted, from which process and code. ' +
    "Destinations that stay on the customer's network (private, link-local, multicast such as mDNS or SSDP) are listed as info.",
})

export interface CorrelateOptions {
  allow?: readonly AllowRule[]
  /** Directory file paths are shown relative to. */
  cwd: string
  /** The preloaded guard: its frames are never the culprit. */
  guardFile?: string
  /** Where the app's `/` is on this host when it ran in a container image (for package.json lookups). */
  fsRoot?: string
}

interface Group {
  kind: 'connect' | 'dns'
  host?: string
  address?: string
  port?: number
  udp: boolean
  events: RuntimeEvent[]
}

// Higher-level APIs name the call better than the socket APIs they end in.
const API_RANK = [
  'fetch', 'undici.request', 'undici.fetch', 'WebSocket', 'http2.connect', 'https.request', 'https.get', 'http.request', 'http.get',
  'tls.connect', 'net.connect', 'dgram.send', 'dgram.connect',
]

/** One finding per destination (host or address, port, TCP/UDP); lookups without a connect get their own. */
export function correlateEvents(events: readonly RuntimeEvent[], options: CorrelateOptions): Finding[] {
  // Every name the stub answered with a sinkhole or test address: a connect to that address names the host.
  const nameOf = new Map<string, string>()
  for (const ev of events) {
    if (ev.layer === 'dns' && ev.address && ev.name) nameOf.set(normaliseAddress(ev.address), ev.name)
  }
  const groups = new Map<string, Group>()
  const udpSinkEvents: RuntimeEvent[] = []
  const keyOf = (g: Omit<Group, 'events'>) => `${g.kind}|${g.host ?? ''}|${g.address ?? ''}|${g.port ?? ''}|${g.udp ? 'udp' : 'tcp'}`
  const add = (g: Omit<Group, 'events'>, ev: RuntimeEvent) => {
    const key = keyOf(g)
    let group = groups.get(key)
    if (!group) { group = { ...g, events: [] }; groups.set(key, group) }
    group.events.push(ev)
  }

  for (const ev of events) {
    if (ev.protocol === 'unix') continue
    if (ev.layer === 'dns') {
      // localhost is answered from the stub for tools that skip /etc/hosts; it never leaves.
      if (ev.name && !isLoopback(ev.name)) add({ kind: 'dns', host: ev.name.toLowerCase(), udp: false }, ev)
      continue
    }
    if (ev.layer === 'sink' && ev.protocol === 'udp' && !ev.address) { udpSinkEvents.push(ev); continue }
    const isDnsApi = ev.layer === 'guard' && (ev.api?.startsWith('dns.') || ev.api?.startsWith('dns/') || ev.protocol === 'dns')
    let address = ev.address ? normaliseAddress(ev.address) : undefined
    let host = ev.layer === 'sink' ? undefined : (ev.host ?? ev.name)?.toLowerCase()
    if (host && isIP(normaliseAddress(host))) { address ??= normaliseAddress(host); host = undefined }
    if (isDnsApi && !ev.port) {
      if (host && !isLoopback(host)) add({ kind: 'dns', host, udp: false }, ev)
      continue
    }
    if (address && isSinkhole(address)) host ??= nameOf.get(address) ?? undefined
    if (host && isLoopback(host)) continue
    if (!host && (!address || isLoopback(address))) continue
    if (address && isLoopback(address) && !host) continue
    if (address && isLoopback(address) && host) {
      // A name that resolved to loopback (localhost aliases, /etc/hosts entries) stays on this machine.
      continue
    }
    const udp = ev.protocol === 'udp' || !!ev.api?.startsWith('dgram')
    // Group by name when known; the address is kept in the events.
    add({ kind: 'connect', host: host ?? address, address: host ? undefined : address, port: ev.port, udp }, ev)
  }

  const all = [...groups.values()]
  const connects = all.filter((g) => g.kind === 'connect')
  for (const ev of udpSinkEvents) {
    const targets = connects.filter((g) => g.udp && g.port === ev.port)
    if (targets.length) for (const g of targets) g.events.push(ev)
    else add({ kind: 'connect', port: ev.port, udp: true }, ev)
  }
  // A guard event that named a host but no port (some HTTP-level hooks) joins that host's connect.
  for (const g of connects) {
    if (g.port !== undefined || !g.host) continue
    const target = connects.find((c) => c !== g && c.host === g.host && c.port !== undefined && c.udp === g.udp)
    if (target && g.events.every((e) => e.layer === 'guard')) { target.events.push(...g.events); groups.delete(keyOf(g)) }
  }
  // A lookup followed by a connect is one attempt: fold the DNS group into the connect groups of that name.
  const result: Group[] = []
  for (const g of [...groups.values()]) {
    if (g.kind !== 'dns') { result.push(g); continue }
    const targets = connects.filter((c) => c.host === g.host)
    if (targets.length) for (const t of targets) t.events.push(...g.events)
    else result.push(g)
  }

  const findings: Finding[] = []
  for (const g of result) {
    if (isAllowed(options.allow ?? [], { host: g.host, address: g.address, port: g.port })) continue
    findings.push(toFinding(g, options))
  }
  return findings
}

function toFinding(g: Group, options: CorrelateOptions): Finding {
  const layers = [...new Set(g.events.map((e) => e.layer))].sort()
  const guard = g.events.filter((e) => e.layer === 'guard')
  const attributed: Array<{ ev: RuntimeEvent; at: Attribution }> = []
  for (const ev of guard) {
    const at = attributeStack(ev.stack, options.guardFile, options.fsRoot)
    if (at) attributed.push({ ev, at })
  }
  const rank = (api?: string) => { const i = API_RANK.indexOf(api ?? ''); return i < 0 ? API_RANK.length : i }
  attributed.sort((a, b) => rank(a.ev.api) - rank(b.ev.api))
  const primary = attributed[0]
  const guardApi = [...guard].sort((a, b) => rank(a.api) - rank(b.api))[0]?.api
  const syscall = g.events.find((e) => e.layer === 'syscall')
  const sink = g.events.find((e) => e.layer === 'sink')
  const dns = g.events.filter((e) => e.layer === 'dns')
  const api = primary?.ev.api ?? guardApi ?? syscall?.api ?? (sink ? `${sink.protocol}-sink` : dns.length ? 'dns-query' : undefined)

  const countByLayer = new Map<string, number>()
  for (const e of g.events) {
    if (g.kind === 'connect' && (e.layer === 'dns' || (e.layer === 'guard' && e.api?.startsWith('dns')))) continue
    // Only count the guard events of one API: fetch + net.connect for one call is one attempt.
    if (e.layer === 'guard' && guardApi && e.api !== guardApi && g.kind === 'connect') continue
    countByLayer.set(e.layer, (countByLayer.get(e.layer) ?? 0) + 1)
  }
  // A lookup is asked as A and AAAA by one call: for lookups the guard's count, when it saw them, is the call count.
  const count = g.kind === 'dns' && countByLayer.has('guard') ? countByLayer.get('guard')! : Math.max(1, ...countByLayer.values())
  const proc = primary?.ev ?? guard[0] ?? syscall
  const command = proc?.command ?? syscall?.command
  const target = g.host ?? g.address
  const destination = {
    host: target,
    port: g.port,
    provenance: 'unknown' as const,
  }
  const addresses = [...new Set(g.events.map((e) => e.address).filter((a): a is string => !!a && isDestinationAddress(a)).map(normaliseAddress))]
  // Judged as every lens judges it (src/address.ts): where the traffic really went when an address was seen (a name's
  // test double included), else by the name. LAN discovery, link-local and private destinations stay with the customer.
  // A lookup goes to the resolver whatever it answers: judged by the name.
  const reached = g.kind === 'dns' ? [] : [...new Set(g.events.filter((e) => e.layer !== 'dns' && e.address && isDestinationAddress(e.address)).map((e) => normaliseAddress(e.address!)))]
  const kind = reached.length
    ? reached.map((a) => classifyHost(a)).find((c) => !c.local) ?? classifyHost(reached[0])
    : target !== undefined ? classifyHost(target) : undefined
  const local = kind?.local === true
  const transport = g.udp ? 'UDP' : sink?.protocol === 'tls' ? 'TLS' : sink?.protocol === 'http' ? 'HTTP' : 'TCP'
  const message = g.kind === 'dns'
    ? `looked up ${target} (${[...new Set(g.events.map((e) => e.qtype).filter(Boolean))].join(', ') || 'DNS'})${local ? '' : ' — a lookup alone can carry data out'}`
    : `tried to reach ${target === undefined ? 'an unknown address' : target.includes(':') ? `[${target}]` : target}${g.port !== undefined ? `:${g.port}` : ''} over ${transport}${api ? ` (${api})` : ''}`
  const judged = local ? `${message}; ${kind!.description}: stays on the customer's network` : message
  const details: Record<string, string> = {}
  if (addresses.length) details.addresses = addresses.join(', ')
  if (kind && local) details.destinationKind = kind.description
  const claimed = [...new Set(g.events.filter((e) => e.layer === 'sink' && e.host).map((e) => e.host!))]
  if (claimed.length) details.announcedHost = claimed.join(', ')
  const programs = [...new Set(g.events.map((e) => e.command).filter((c): c is string => !!c))]
  if (programs.length > 1) details.processes = programs.slice(0, 5).join(' | ')
  const sites = [...new Set(attributed.map((a) => `${displayPath(a.at.file, options.cwd)}:${a.at.line}`))]
  if (sites.length > 1) details.otherSites = sites.slice(1, 10).join(', ')

  const pkg = primary?.at.package ?? '(unattributed)'
  const finding: Finding = {
    rule: RUNTIME_RULE,
    severity: local ? 'info' : 'violation',
    message: judged,
    lens: 'runtime',
    package: pkg,
    destination,
    api,
    evidence: {
      layers,
      count,
      attribution: primary ? `${displayPath(primary.at.file, options.cwd)}:${primary.at.line}` : 'none',
    },
    fingerprint: '',
  }
  if (primary) {
    finding.location = { file: displayPath(primary.at.file, options.cwd), line: primary.at.line, column: Math.max(0, primary.at.column - 1) }
    if (primary.ev.stack) finding.evidence!.stack = primary.ev.stack.slice(0, 20)
  }
  if (proc?.pid !== undefined) finding.evidence!.pid = proc.pid
  if (command) finding.evidence!.command = command
  if (proc?.thread !== undefined) finding.evidence!.thread = String(proc.thread)
  const sent = sink?.sent ?? guard.find((e) => e.sent)?.sent ?? g.events.find((e) => e.layer === 'syscall' && e.sent)?.sent
  if (sent) finding.evidence!.sent = sent.slice(0, 1024)
  if (Object.keys(details).length) finding.details = details
  finding.fingerprint = fingerprintOf({
    rule: RUNTIME_RULE, package: pkg, api: g.kind, destination,
    key: `${g.udp ? 'udp' : 'tcp'}|${finding.location?.file ?? ''}`,
  })
  return finding
}

// Sinkhole addresses are an artefact of the sandbox, not where the app wanted to go.
function isDestinationAddress(address: string): boolean {
  return !isSinkhole(address)
}
