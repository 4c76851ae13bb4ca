// Turns a folded value into a Destination with provenance (hard-coded external/local, dynamic, unknown).
import { isIP } from 'node:net'
import type { Destination } from '../../report/finding.ts'
import { isLocalAddress as isSharedLocalAddress, isLocalHost as isSharedLocalHost } from '../../address.ts'
import type { Folder, Val } from './fold.ts'
import type { AnyNode, Scope } from './scope.ts'

/** Functions whose parameters a destination depends on (hidden key: never serialised). */
export const PARAMS: unique symbol = Symbol('params')
type WithParams = Destination & { [PARAMS]?: AnyNode[] }

function withParams(d: Destination, v: Val): Destination {
  const params = v.t === 'dyn' || v.t === 'str' ? v.params : undefined
  if (params?.length) (d as WithParams)[PARAMS] = params
  return d
}

export function paramsOf(d: Destination | undefined): AnyNode[] | undefined {
  return d ? (d as WithParams)[PARAMS] : undefined
}

/** Loopback, private, link-local, CGNAT, multicast, unspecified, broadcast: the classification every lens shares (src/address.ts). */
export function isLocalAddress(ip: string): boolean {
  return isSharedLocalAddress(ip)
}

/** Whether a host name or address stays on the customer's machine or network (src/address.ts). */
export function isLocalHost(untrustedHost: string): boolean {
  return isSharedLocalHost(untrustedHost)
}

function provenanceOfHost(host: string): Destination['provenance'] {
  return isLocalHost(host) ? 'hard-coded-local' : 'hard-coded-external'
}

const URL_PREFIX = /^([a-z][a-z0-9+.-]*:)?\/\/(?:[^@/?#]*@)?(\[[0-9a-f:.]+\]|[^/?#:[\]]+)(?::(\d+))?(?=[/?#]|$)/i

/** Destination of a URL-ish string (full or known prefix). */
export function destinationOfUrlString(v: string, partial = false, source?: string): Destination {
  const m = URL_PREFIX.exec(v)
  if (m && (!partial || m[0].length < v.length)) {
    const host = m[2].replace(/^\[|\]$/g, '').toLowerCase()
    const scheme = (m[1] ?? '').toLowerCase()
    const port = m[3] ? Number(m[3]) : undefined
    if (!scheme || /^(https?|wss?|ftp|grpcs?|mqtts?|tcp|udp|smtps?|redis|amqps?):$/.test(scheme) || scheme.endsWith('s:')) {
      const url = partial ? v + '…' : v
      return { url: url.length > 300 ? url.slice(0, 300) + '…' : url, host, port, provenance: provenanceOfHost(host) }
    }
  }
  if (/^(\/(?!\/)|\.\.?\/|\?|#)/.test(v) || (v === '' && !partial)) {
    // Relative URL: same origin in a browser; only meaningful against a base.
    return { url: v, provenance: 'hard-coded-local', source: 'relative URL (same origin)' }
  }
  if (/^(data|blob|about|javascript|file):/i.test(v)) return { url: v.slice(0, 80), provenance: 'hard-coded-local', source: 'non-network URL' }
  if (partial) return { url: v + '…', provenance: source ? 'dynamic' : 'unknown', source: source ?? 'URL built at run time' }
  // `host:port` (gRPC targets, Redis/AMQP addresses without a scheme).
  const hp = /^([a-z0-9.-]+\.[a-z0-9-]+|\[[0-9a-f:]+\]):(\d{1,5})$/i.exec(v)
  if (hp) { const host = hp[1].replace(/^\[|\]$/g, '').toLowerCase(); return { host, port: Number(hp[2]), provenance: provenanceOfHost(host) } }
  // A bare host name or address.
  if (/^[a-z0-9.-]+$/i.test(v) || isIP(v.replace(/^\[|\]$/g, ''))) return { host: v.toLowerCase(), provenance: provenanceOfHost(v) }
  return { url: v.slice(0, 300), provenance: 'unknown', source: 'not a URL' }
}

export function destinationOfVal(v: Val, role: 'url' | 'host'): Destination {
  return withParams(destinationOfValInner(v, role), v)
}

function destinationOfValInner(v: Val, role: 'url' | 'host'): Destination {
  switch (v.t) {
    case 'str':
      if (role === 'host' && !v.partial) return { host: v.v.toLowerCase(), provenance: provenanceOfHost(v.v) }
      return destinationOfUrlString(v.v, v.partial, v.source)
    case 'dyn':
      return { provenance: 'dynamic', source: v.source }
    case 'inst':
      // `new URL(…)`/`new Request(…)` keep their first argument.
      return v.init ? destinationOfVal(v.init, role) : { provenance: 'unknown' }
    case 'nullish':
      return role === 'host' ? { host: 'localhost', provenance: 'hard-coded-local', source: 'default host' } : { provenance: 'unknown' }
    default:
      return { provenance: 'unknown', source: v.t === 'unknown' && v.why ? v.why : undefined }
  }
}

/** Options objects: `{ host, hostname, port, path, protocol, url, href, origin, baseURL, socketPath }`. */
export function destinationOfOptions(folder: Folder, obj: Extract<Val, { t: 'obj' }>, defaultProtocol = ''): Destination {
  const get = (k: string) => folder.objectProperty(obj.node, obj.scope, k)
  for (const k of ['url', 'href', 'baseURL', 'baseUrl', 'prefixUrl', 'origin', 'uri']) {
    const v = get(k)
    if (v.t !== 'nullish') return destinationOfVal(v, 'url')
  }
  const socketPath = get('socketPath')
  if (socketPath.t === 'str') return { host: `unix:${socketPath.v}`, provenance: 'hard-coded-local', source: 'unix socket' }
  const hostName = get('hostname')
  let hostV = hostName.t !== 'nullish' ? hostName : get('host')
  // `host: 'example.com:8080'` carries a port.
  if (hostV.t === 'str' && !hostV.partial && /^[^:[\]]+:\d+$/.test(hostV.v) && hostName.t === 'nullish') hostV = { t: 'str', v: hostV.v.split(':')[0] }
  const portV = get('port')
  const port = portV.t === 'num' ? portV.v : portV.t === 'str' && /^\d+$/.test(portV.v) ? Number(portV.v) : undefined
  const d = destinationOfVal(hostV, 'host')
  if (hostV.t === 'nullish' && portV.t === 'dyn') return withParams({ provenance: 'dynamic', source: portV.source, host: 'localhost' }, portV)
  if (port !== undefined) d.port = port
  const pathV = get('path')
  if (d.host && pathV.t === 'str' && d.provenance.startsWith('hard-coded')) {
    const protoV = get('protocol')
    const proto = protoV.t === 'str' ? protoV.v : defaultProtocol
    d.url = `${proto ? proto.replace(/:?$/, ':') + '//' : ''}${d.host}${port ? ':' + port : ''}${pathV.v}${pathV.partial ? '…' : ''}`
  }
  return d
}

/** Destination of a sink argument that may be a URL string, a URL object, or an options object. */
export function destinationOfArg(folder: Folder, node: AnyNode | undefined, scope: Scope, role: 'url' | 'host' = 'url'): Destination {
  if (!node) return { provenance: 'unknown', source: 'no argument' }
  const v = folder.evaluate(node, scope)
  if (v.t === 'obj') return destinationOfOptions(folder, v)
  return destinationOfVal(v, role)
}
