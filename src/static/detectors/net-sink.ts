// Flags every outbound network capability: Node builtins, browser globals and npm client packages.
import type { Destination } from '../../report/finding.ts'
import { describeDestination, type CallTarget, type DetectContext, type Detector } from './detector.ts'
import { destinationOfVal, destinationOfOptions, isObjectLike } from '../parse/destination.ts'
import type { Val } from '../parse/fold.ts'
import type { AnyNode, Scope } from '../parse/scope.ts'

/** npm packages whose calls open connections; destinations come from their arguments. */
export const CLIENT_PACKAGES = new Set([
  'axios', 'got', 'node-fetch', 'cross-fetch', 'isomorphic-fetch', 'whatwg-fetch', 'make-fetch-happen', 'undici',
  'superagent', 'request', 'request-promise', 'request-promise-native', 'request-promise-any', 'needle', 'ky',
  'ofetch', 'bent', 'urllib', 'node-rest-client', 'phin', 'centra', 'wretch', 'redaxios', 'minipass-fetch',
  'ws', 'socket.io-client', 'sockjs-client', 'isomorphic-ws', 'reconnecting-websocket', 'eventsource',
  '@grpc/grpc-js', 'grpc', 'mqtt', 'nodemailer', 'amqplib', 'kafkajs', 'nats', 'ioredis', 'redis', 'pg', 'mysql',
  'mysql2', 'mongodb', 'mongoose', 'cassandra-driver', 'tedious', 'ldapjs', 'ssh2', 'ftp', 'basic-ftp',
  '@octokit/request', '@octokit/graphql', '@octokit/core', '@octokit/rest', 'apollo-link-http', '@apollo/client',
  'graphql-request', 'chrome-remote-interface', 'jsdom', 'form-data', 'simple-get', 'follow-redirects', 'http-proxy',
  'https-proxy-agent', 'proxy-agent', 'xmlhttprequest', 'xhr2', 'jquery',
])

// Methods of client packages that send a request (plus calling the export itself).
const CLIENT_METHODS = new Set([
  'get', 'post', 'put', 'patch', 'delete', 'del', 'head', 'options', 'request', 'fetch', 'stream', 'pipeline',
  'connect', 'createConnection', 'createClient', 'createPool', 'createTransport', 'createTransporter', 'curl',
  'ajax', 'getJSON', 'getScript', 'load', 'fromURL', 'submit', 'graphql', 'json', 'text', 'upgrade', 'io',
  'Client', 'Pool', 'Agent', 'WebSocket', 'EventSource', 'MongoClient', 'Redis', 'Cluster', 'Kafka', 'Octokit',
  'GraphQLClient', 'Sequelize', 'Connection', 'default', 'create', 'extend', 'defaults',
])

const HTTP_VERBS = /^(get|post|put|patch|delete|head|options|connect|trace)$/i

const DNS_METHODS = new Set([
  'lookup', 'lookupService', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveCaa', 'resolveCname',
  'resolveMx', 'resolveNaptr', 'resolveNs', 'resolvePtr', 'resolveSoa', 'resolveSrv', 'resolveTxt', 'reverse',
])

const meta = {
  id: 'net-sink',
  severity: 'review',
  description: 'Outbound network capability',
  help:
    'Code that can open a connection, send a datagram or resolve a name. Hard-coded external destinations are violations; ' +
    'destinations from configuration are for review; loopback and private destinations are informational. ' +
    'Make the destination configurable (off by default), or allow it in the policy with a reason.',
} as const

function apiName(callee: Val): string {
  if (callee.t === 'mod') return [callee.mod, ...callee.path].join('.')
  if (callee.t === 'glob') return callee.path.join('.')
  if (callee.t === 'inst') return [callee.cls, ...callee.path].join('.')
  return '?'
}

export default {
  meta,
  detect(ctx: DetectContext) {
    const coveredInstances = new Set<AnyNode>()
    const createdInstances: Array<{ node: AnyNode; api: string }> = []
    const usedClientMods = new Set<string>()
    const importedClients: Array<{ node: AnyNode; mod: string }> = []

    const sink = (node: AnyNode, api: string, dest: Destination, extra?: string) => {
      ctx.report(node, { message: `${api}${extra ? ' ' + extra : ''} → ${describeDestination(dest)}`, api, destination: dest })
    }
    const argDest = (args: AnyNode[], i: number, scope: Scope, role: 'url' | 'host' = 'url') => ctx.destination(args[i], scope, role)

    /** `(port, host)` / `(options)` / `(path)` for net/tls connect. */
    const socketDest = (args: AnyNode[], scope: Scope): Destination => {
      const a0 = ctx.evaluate(args[0], scope)
      if (isObjectLike(a0)) return destinationOfOptions(ctx.folder, a0)
      if (a0.t === 'num' || (a0.t === 'str' && /^\d+$/.test(a0.v))) {
        const hostNode = args[1] && args[1].type !== 'FunctionExpression' && args[1].type !== 'ArrowFunctionExpression' ? args[1] : undefined
        const d = hostNode ? ctx.destination(hostNode, scope, 'host') : { host: 'localhost', provenance: 'hard-coded-local' as const }
        if (d.provenance === 'unknown' && hostNode && ctx.evaluate(hostNode, scope).t === 'obj') return { host: 'localhost', provenance: 'hard-coded-local', port: Number(a0.v) }
        return { ...d, port: Number(a0.v) }
      }
      if (a0.t === 'str' && !a0.partial) return { host: `unix:${a0.v}`, provenance: 'hard-coded-local', source: 'unix socket' }
      // `(port, host)` with a port the analysis cannot fold: the host still says where it goes.
      if ((a0.t === 'unknown' || a0.t === 'dflt') && args[1] && args[1].type !== 'FunctionExpression' && args[1].type !== 'ArrowFunctionExpression') {
        const h = ctx.destination(args[1], scope, 'host')
        if (h.provenance !== 'unknown') return h
      }
      if (a0.t === 'dyn') {
        const h = args[1] ? ctx.destination(args[1], scope, 'host') : undefined
        if (h && h.provenance !== 'unknown' && h.provenance !== 'dynamic') return h
        return { provenance: 'dynamic', source: h?.source ?? a0.source }
      }
      return destinationOfVal(a0, 'host')
    }

    /** dgram `send(msg, [offset, length,] port, [address])`. */
    const dgramSendDest = (args: AnyNode[], scope: Scope): Destination => {
      const vals = args.map((a) => ctx.evaluate(a, scope))
      let portIdx = 1
      if (vals.length >= 4 && (vals[2].t === 'num' || vals[2].t === 'dyn')) portIdx = 3
      const port = vals[portIdx]
      const addrNode = args[portIdx + 1]
      const addr = addrNode && addrNode.type !== 'FunctionExpression' && addrNode.type !== 'ArrowFunctionExpression' ? ctx.destination(addrNode, scope, 'host') : undefined
      if (!port) return { provenance: 'unknown', source: 'connected socket' }
      const d: Destination = addr ?? { host: 'localhost', provenance: 'hard-coded-local', source: 'default address' }
      if (port.t === 'num') d.port = port.v
      else if (port.t === 'dyn' && d.provenance !== 'hard-coded-external') return { provenance: 'dynamic', source: port.source }
      return d
    }

    const onModuleCall = (node: AnyNode, scope: Scope, callee: Extract<Val, { t: 'mod' }>, args: AnyNode[], isNew: boolean) => {
      const { mod, path } = callee
      const p = path.join('.')
      const api = apiName(callee)
      switch (mod) {
        case 'http':
        case 'https':
          if ((p === 'request' || p === 'get') && !isNew) {
            const a0 = ctx.evaluate(args[0], scope)
            const d = isObjectLike(a0) ? destinationOfOptions(ctx.folder, a0, `${mod}:`) : destinationOfVal(a0, 'url', ctx.folder)
            return sink(node, api, d)
          }
          if (p === 'Agent' || p === 'globalAgent') {
            return ctx.report(node, { message: `${api}: connection pool (destinations are set per request)`, api, severity: 'info' })
          }
          return
        case 'http2':
          if (p === 'connect') return sink(node, api, argDest(args, 0, scope))
          return
        case 'net':
        case 'tls':
          if (p === 'connect' || p === 'createConnection') return sink(node, api, socketDest(args, scope))
          return
        case 'dgram':
          if (p === 'createSocket') createdInstances.push({ node, api })
          return
        case 'dns': {
          const last = path[path.length - 1]
          if (DNS_METHODS.has(last)) return sink(node, api, argDest(args, 0, scope, 'host'))
          if (last === 'Resolver') createdInstances.push({ node, api })
          return
        }
        default:
          break
      }
      if (isClientPackage(mod)) {
        const last = path[path.length - 1]
        if (path.length === 0 || CLIENT_METHODS.has(last) || HTTP_VERBS.test(last ?? '')) {
          usedClientMods.add(mod)
          let i = 0
          const first = ctx.evaluate(args[0], scope)
          if (first.t === 'str' && !first.partial && HTTP_VERBS.test(first.v) && args.length > 1) i = 1
          if (mod === 'ioredis' || (mod === 'redis' && path.length === 0)) {
            if (first.t === 'num') return sink(node, api, socketDest(args, scope))
          }
          const d = args.length ? ctx.destination(args[i], scope) : defaultDestinationOf(mod)
          return sink(node, api, d)
        }
      }
    }

    const onGlobalCall = (node: AnyNode, scope: Scope, callee: Extract<Val, { t: 'glob' }>, args: AnyNode[], isNew: boolean) => {
      const g = callee.path.join('.')
      switch (g) {
        case 'fetch':
          if (!isNew) return sink(node, 'fetch', argDest(args, 0, scope))
          return
        case 'WebSocket':
        case 'EventSource':
        case 'WebTransport':
          return sink(node, g, argDest(args, 0, scope))
        case 'navigator.sendBeacon':
          return sink(node, g, argDest(args, 0, scope))
        case 'importScripts':
          for (let i = 0; i < Math.max(1, args.length); i++) sink(node, g, argDest(args, i, scope))
          return
        case 'XMLHttpRequest':
          if (isNew) createdInstances.push({ node, api: 'XMLHttpRequest' })
          return
        case 'RTCPeerConnection': {
          const cfg = ctx.evaluate(args[0], scope)
          let dest: Destination = { provenance: 'unknown', source: 'ICE servers not given' }
          if (cfg.t === 'obj') {
            const ice = ctx.folder.objectProperty(cfg.node, cfg.scope, 'iceServers')
            if (ice.t === 'arr' && ice.items[0]?.t === 'obj') {
              const urls = ctx.folder.objectProperty(ice.items[0].node, ice.items[0].scope, 'urls')
              const u = urls.t === 'arr' ? urls.items[0] ?? urls : urls
              dest = destinationOfVal(u.t === 'str' ? { t: 'str', v: u.v.replace(/^(stuns?|turns?):/, '$1://') } : u, 'url')
            } else if (ice.t === 'nullish') dest = { provenance: 'hard-coded-local', source: 'no ICE servers (host candidates only)' }
          }
          return sink(node, 'RTCPeerConnection', dest)
        }
        default:
          return
      }
    }

    const onInstanceCall = (node: AnyNode, scope: Scope, callee: Extract<Val, { t: 'inst' }>, args: AnyNode[]) => {
      const method = callee.path[callee.path.length - 1]
      if (callee.path.length !== 1) return
      switch (callee.cls) {
        case 'dgram.Socket':
          if (method === 'send' || method === 'connect') {
            coveredInstances.add(callee.origin)
            return sink(node, `dgram.${method}`, method === 'send' ? dgramSendDest(args, scope) : socketDest(args, scope))
          }
          return
        case 'net.Socket':
        case 'tls.Socket':
          if (method === 'connect') {
            coveredInstances.add(callee.origin)
            return sink(node, `${callee.cls}#connect`, socketDest(args, scope))
          }
          return
        case 'dns.Resolver':
          if (DNS_METHODS.has(method)) {
            coveredInstances.add(callee.origin)
            return sink(node, `dns.Resolver#${method}`, argDest(args, 0, scope, 'host'))
          }
          return
        case 'XMLHttpRequest':
          if (method === 'open') {
            coveredInstances.add(callee.origin)
            return sink(node, 'XMLHttpRequest.open', argDest(args, 1, scope))
          }
          return
        default:
          return
      }
    }

    return {
      CallExpression(node: AnyNode, scope: Scope, { callee, args }: CallTarget) {
        if (callee.t === 'mod') onModuleCall(node, scope, callee, args, false)
        else if (callee.t === 'glob') onGlobalCall(node, scope, callee, args, false)
        else if (callee.t === 'inst') onInstanceCall(node, scope, callee, args)
        else if (callee.t === 'req') {
          const spec = ctx.evaluate(args[0], scope)
          if (spec.t === 'str' && !spec.partial) noteImport(node, spec.v)
        }
      },
      NewExpression(node: AnyNode, scope: Scope, { callee, args }: CallTarget) {
        if (callee.t === 'mod') {
          const p = callee.path.join('.')
          if ((callee.mod === 'net' || callee.mod === 'tls') && (p === 'Socket' || p === 'TLSSocket')) { createdInstances.push({ node, api: `new ${callee.mod}.${p}` }); return }
          if (callee.mod === 'dns' && p.endsWith('Resolver')) { createdInstances.push({ node, api: 'new dns.Resolver' }); return }
          onModuleCall(node, scope, callee, args, true)
        } else if (callee.t === 'glob') onGlobalCall(node, scope, callee, args, true)
      },
      ImportDeclaration(node: AnyNode) {
        noteImport(node, String(node.source.value))
      },
      ImportExpression(node: AnyNode, scope: Scope) {
        const v = ctx.evaluate(node.source, scope)
        if (v.t === 'str' && !v.partial) noteImport(node, v.v)
      },
      end() {
        for (const c of createdInstances) {
          if (coveredInstances.has(c.node)) continue
          ctx.report(c.node, {
            message: `${c.api}: socket created; where it sends could not be followed`,
            api: c.api,
            destination: { provenance: 'unknown', source: 'socket used out of sight' },
          })
        }
        for (const imp of importedClients) {
          if (usedClientMods.has(imp.mod)) continue
          ctx.report(imp.node, {
            message: `imports network client ${imp.mod}; its calls could not be followed`,
            api: imp.mod,
            destination: { provenance: 'unknown', source: `${imp.mod} used out of sight` },
          })
        }
      },
    }

    function noteImport(node: AnyNode, specifier: string) {
      const mod = specifier.startsWith('node:') ? specifier.slice(5) : specifier
      const base = packageOf(mod)
      if (isClientPackage(base) && !importedClients.some((i) => i.mod === base)) importedClients.push({ node, mod: base })
    }
  },
} satisfies Detector

const NETWORK_GLOBAL_FUNCTIONS = new Set(['fetch', 'WebSocket', 'EventSource', 'XMLHttpRequest', 'navigator.sendBeacon', 'importScripts', 'WebTransport'])

/**
 * The API a value is when it is a network function itself (`fetch`, `https.request`, `dgram.createSocket`,
 * a client package's export), else undefined: used to notice a sink handed around instead of called.
 */
export function networkFunctionName(v: Val): string | undefined {
  if (v.t === 'glob') {
    const g = v.path.join('.')
    return NETWORK_GLOBAL_FUNCTIONS.has(g) ? g : undefined
  }
  if (v.t !== 'mod') return undefined
  const p = v.path.join('.')
  const api = [v.mod, ...v.path].join('.')
  switch (v.mod) {
    case 'http': case 'https': return p === 'request' || p === 'get' ? api : undefined
    case 'http2': return p === 'connect' ? api : undefined
    case 'net': case 'tls': return p === 'connect' || p === 'createConnection' ? api : undefined
    case 'dgram': return p === 'createSocket' ? api : undefined
    case 'dns': return DNS_METHODS.has(v.path[v.path.length - 1] ?? '') ? api : undefined
    default: return isClientPackage(v.mod) && (v.path.length === 0 || CLIENT_METHODS.has(v.path[v.path.length - 1])) ? api : undefined
  }
}

/** `axios/lib/x` → `axios`; `@grpc/grpc-js/build` → `@grpc/grpc-js`. */
function packageOf(spec: string): string {
  const parts = spec.split('/')
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]
}

function isClientPackage(mod: string): boolean {
  return CLIENT_PACKAGES.has(packageOf(mod))
}

/** Clients with a built-in default endpoint when called without one. */
function defaultDestinationOf(mod: string): Destination {
  if (mod.startsWith('@octokit/')) return { url: 'https://api.github.com', host: 'api.github.com', provenance: 'hard-coded-external', source: `${mod} default base URL` }
  return { provenance: 'unknown', source: 'no argument' }
}
