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
  const params = paramsIn(v)
  if (params?.length) (d as WithParams)[PARAMS] = params
  return d
}

/** Functions whose parameters a value depends on (a default's too: the caller may replace it). */
function paramsIn(v: Val): AnyNode[] | undefined {
  if (v.t === 'dyn' || v.t === 'str') return v.params
  if (v.t === 'dflt') return paramsIn(v.over) ?? paramsIn(v.v)
  return undefined
}

export function paramsOf(d: Destination | undefined): AnyNode[] | undefined {
  return d ? (d as WithParams)[PARAMS] : undefined
}

/** Where the hard-coded string a destination came from is: offset, and file when not the one analysed (hidden key). */
export const ORIGIN: unique symbol = Symbol('origin')
export type Origin = { at: number; file?: number }

export function originOf(d: Destination | undefined): Origin | undefined {
  return d ? (d as Destination & { [ORIGIN]?: Origin })[ORIGIN] : undefined
}

function withOrigin(d: Destination, v: Val): Destination {
  if (v.t === 'str' && v.at !== undefined) (d as Destination & { [ORIGIN]?: Origin })[ORIGIN] = { at: v.at, file: v.file }
  return d
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

export function destinationOfVal(v: Val, role: 'url' | 'host', folder?: Folder): Destination {
  return withParams(destinationOfValInner(v, role, folder), v)
}

/** What replaces a default, in words: `env ACME_URL`, `option host`, `parameter url`, `config from ./config.json`. */
export function knobOf(over: Val): string {
  switch (over.t) {
    case 'dyn':
      if (over.hole?.path.length) return `option ${over.hole.path.join('.')}`
      return over.source
    case 'dflt':
      return `${knobOf(over.over)}, ${knobOf(over.v)}`
    case 'mod':
      return `${over.mod}${over.path.length ? ' ' + over.path.join('.') : ''}`
    case 'ret':
    case 'cat':
      return 'a value another module computes'
    case 'unknown':
      return over.why && /^this\./.test(over.why) ? over.why : 'a value the analysis cannot follow'
    default:
      return 'configuration'
  }
}

/** `default` for a hard-coded external destination that `over` can replace. */
function asDefault(d: Destination, over: Val): Destination {
  return { ...d, provenance: 'default', source: knobOf(over) }
}

export function isObjectLike(v: Val): boolean {
  return v.t === 'obj' || v.t === 'rec' || v.t === 'mrg' || (v.t === 'dflt' && isObjectLike(v.v))
}

function destinationOfValInner(v: Val, role: 'url' | 'host', folder?: Folder): Destination {
  switch (v.t) {
    case 'dflt': {
      if (folder && isObjectLike(v)) return destinationOfOptions(folder, v)
      const inner = destinationOfVal(v.v, role, folder)
      if (inner.provenance === 'hard-coded-external') return asDefault(inner, v.over)
      // A default of a default (`opts.registry ?? rc('npm', { registry: URL }).registry`): either knob replaces it.
      if (inner.provenance === 'default') return { ...inner, source: `${knobOf(v.over)}, ${inner.source}` }
      // A local default (`env API_URL || 'http://localhost:3000'`) leaves the real destination to configuration.
      return destinationOfVal(v.over, role, folder)
    }
    case 'mrg':
    case 'rec':
    case 'obj':
      return folder ? destinationOfOptions(folder, v) : { provenance: 'unknown', source: 'options object' }
    case 'mod':
      return { provenance: 'unknown', source: `value from ${v.mod}${v.path.length ? ' ' + v.path.join('.') : ''}` }
    case 'ret':
    case 'cat':
      return { provenance: 'unknown', source: 'value another module computes' }
    case 'str':
      // A path where a host belongs is a Unix socket (`net.connect('/var/run/app.sock')`): on this machine.
      if (role === 'host' && v.v.startsWith('/')) return { host: `unix:${v.v}`, provenance: 'hard-coded-local', source: 'unix socket' }
      // An empty host name: Node's clients then connect to localhost (`host: parsed.hostname || ''`).
      if (role === 'host' && !v.partial && v.v === '') return { host: 'localhost', provenance: 'hard-coded-local', source: 'empty host name (localhost)' }
      if (role === 'host' && !v.partial) return withOrigin({ host: v.v.toLowerCase(), provenance: provenanceOfHost(v.v) }, v)
      return withOrigin(destinationOfUrlString(v.v, v.partial, v.source), v)
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

/** A default's value when only its value matters (a port, a path), else the value itself. */
function plain(v: Val): Val {
  return v.t === 'dflt' ? plain(v.v) : v
}

/**
 * Options objects: `{ host, hostname, port, path, protocol, url, href, origin, baseURL, socketPath }` — an
 * object literal, a merge of objects (`{ ...DEFAULTS, ...opts }`), or one known by its properties.
 */
export function destinationOfOptions(folder: Folder, obj: Val, defaultProtocol = ''): Destination {
  const get = (k: string) => folder.property(obj, k, '')
  for (const k of ['url', 'href', 'baseURL', 'baseUrl', 'prefixUrl', 'origin', 'uri', 'endpoint', 'apiHost', 'api_host']) {
    const v = get(k)
    if (v.t === 'nullish') continue
    const d = destinationOfVal(v, 'url', folder)
    return k === 'url' || k === 'uri' ? againstBase(d, get) ?? d : d
  }
  const socketPath = plain(get('socketPath'))
  if (socketPath.t === 'str') return { host: `unix:${socketPath.v}`, provenance: 'hard-coded-local', source: 'unix socket' }
  const hostName = get('hostname')
  let hostV = hostName.t !== 'nullish' ? hostName : get('host')
  // `host: 'example.com:8080'` carries a port.
  if (hostV.t === 'str' && !hostV.partial && /^[^:[\]]+:\d+$/.test(hostV.v) && hostName.t === 'nullish') hostV = { ...hostV, v: hostV.v.split(':')[0] }
  const portRaw = get('port')
  const portV = plain(portRaw)
  const port = portV.t === 'num' ? portV.v : portV.t === 'str' && /^\d+$/.test(portV.v) ? Number(portV.v) : undefined
  // A host written as a URL (`host: 'https://api.vendor.example'`, common in SDK options) is read as one.
  const d = hostV.t === 'str' && /^[a-z][a-z0-9+.-]*:\/\//i.test(hostV.v) ? destinationOfVal(hostV, 'url', folder) : destinationOfVal(hostV, 'host', folder)
  if (hostV.t === 'nullish' && portV.t === 'dyn') return withParams({ provenance: 'dynamic', source: portV.source, host: 'localhost' }, portV)
  if (port !== undefined) d.port = port
  const pathV = plain(get('path'))
  if (d.host && !d.url && pathV.t === 'str' && (d.provenance.startsWith('hard-coded') || d.provenance === 'default')) {
    const protoV = plain(get('protocol'))
    const proto = protoV.t === 'str' ? protoV.v : defaultProtocol
    d.url = `${proto ? proto.replace(/:?$/, ':') + '//' : ''}${d.host}${port ? ':' + port : ''}${pathV.v}${pathV.partial ? '…' : ''}`
  }
  return d
}

/**
 * `{ baseURL: 'https://api.vendor.example/', url: '/v3/send' }` (axios, got's prefixUrl, request's baseUrl): a
 * relative URL goes where the base points. Only a relative URL reads the bases: each read of an object the
 * analysis can barely see into (a field rebuilt from itself by spreads) costs as much as the URL did.
 */
function againstBase(d: Destination, get: (k: string) => Val): Destination | undefined {
  if (d.provenance !== 'hard-coded-local' || d.source !== 'relative URL (same origin)') return undefined
  for (const k of ['baseURL', 'baseUrl', 'prefixUrl']) {
    const base = get(k)
    if (base.t !== 'nullish') return destinationOfVal(base, 'url')
  }
  return undefined
}

/** Destination of a sink argument that may be a URL string, a URL object, or an options object. */
export function destinationOfArg(folder: Folder, node: AnyNode | undefined, scope: Scope, role: 'url' | 'host' = 'url'): Destination {
  if (!node) return { provenance: 'unknown', source: 'no argument' }
  if (node.type === 'SpreadElement') {
    // `(...args) => fetch(...args)`: whatever the wrapper's callers pass.
    const rest = folder.evaluate(node.argument, scope)
    return rest.t === 'dyn' && rest.hole ? withParams({ provenance: 'dynamic', source: rest.source }, rest) : { provenance: 'unknown', source: 'spread arguments' }
  }
  const v = folder.evaluate(node, scope)
  if (isObjectLike(v)) return destinationOfOptions(folder, v)
  return destinationOfVal(v, role, folder)
}
