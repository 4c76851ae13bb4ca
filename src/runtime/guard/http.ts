// HTTP clients: http/https request and get, http2.connect, and the http.client.request.start channel as a backstop.
import http from 'node:http'
import https from 'node:https'
import http2 from 'node:http2'
import { subscribe } from 'node:diagnostics_channel'
import { record } from './log.ts'
import { SHALLOW, captureStack } from './stack.ts'
import { addressOf, runCovered, type Cover } from './cover.ts'
import { patchMethod } from './wrap.ts'
import { toPort } from './sockets.ts'

/** Requests already recorded through the wrappers; the channel backstop skips them. */
const recordedRequests = new WeakSet<object>()

interface RequestLike {
  method?: string
  host?: string
  path?: string
  protocol?: string
  getHeader?: (name: string) => unknown
}

/** Port from request(url[, options][, cb]) or request(options[, cb]), else the protocol's default. */
function readPort(args: unknown[], defaultPort: number): number | undefined {
  let port: number | undefined
  for (const arg of args.slice(0, 2)) {
    if (typeof arg === 'string' || arg instanceof URL) {
      try {
        const url = typeof arg === 'string' ? new URL(arg) : arg
        if (url.port) port = toPort(url.port)
        else defaultPort = url.protocol === 'https:' ? 443 : 80
      } catch { /* invalid URL: the call throws by itself */ }
    } else if (arg && typeof arg === 'object') {
      const o = arg as { port?: unknown; defaultPort?: unknown; agent?: { defaultPort?: unknown } }
      port = toPort(o.port) ?? port
      defaultPort = toPort(o.defaultPort) ?? toPort(o.agent?.defaultPort) ?? defaultPort
    }
  }
  return port ?? defaultPort
}

export function describeRequest(method: string | undefined, path: string | undefined, host: string | undefined): string {
  return `${method ?? 'GET'} ${path || '/'} HTTP/1.1\r\nHost: ${host ?? ''}`
}

function recordRequest(api: string, req: RequestLike, port: number | undefined, stack: string[]): void {
  const hostHeader = req.getHeader?.('host')
  record({
    api,
    host: req.host,
    address: addressOf(req.host),
    port,
    protocol: 'http',
    stack,
    sent: describeRequest(req.method, req.path, typeof hostHeader === 'string' ? hostHeader : req.host),
  })
}

function wrapRequest(module: object, moduleName: 'http' | 'https', key: 'request' | 'get', defaultPort: number): void {
  const api = `${moduleName}.${key}`
  patchMethod(module, key, api, (original) =>
    function request(this: unknown, ...args: unknown[]) {
      let cover: Cover | undefined
      try { cover = { api, stack: captureStack(request, SHALLOW), recordOnConnect: false, hits: 0 } } catch { /* unrecorded */ }
      if (!cover) return Reflect.apply(original, this, args)
      const c = cover
      const req = runCovered(c, () => Reflect.apply(original, this, args)) as RequestLike
      try {
        recordedRequests.add(req as object)
        recordRequest(api, req, c.connected?.port ?? readPort(args, defaultPort), c.stack)
      } catch { /* never break the app */ }
      return req
    },
  )
}

export function installHttp(): void {
  wrapRequest(http, 'http', 'request', 80)
  wrapRequest(http, 'http', 'get', 80)
  wrapRequest(https, 'https', 'request', 443)
  wrapRequest(https, 'https', 'get', 443)
  // new http.ClientRequest(...) and clients that reach ClientRequest another way: recorded when the request is
  // finished, attributed to whoever called end().
  try {
    subscribe('http.client.request.start', function onRequestStart(message) {
      try {
        const req = (message as { request?: RequestLike & { agent?: { protocol?: string; defaultPort?: number } } }).request
        if (!req || recordedRequests.has(req)) return
        recordedRequests.add(req)
        const api = req.agent?.protocol === 'https:' || req.protocol === 'https:' ? 'https.request' : 'http.request'
        recordRequest(api, req, req.agent?.defaultPort, captureStack(onRequestStart))
      } catch { /* never break the app */ }
    })
  } catch { /* channel API missing */ }

  patchMethod(http2, 'connect', 'http2.connect', (original) =>
    function connect(this: unknown, ...args: unknown[]) {
      let cover: Cover | undefined
      try {
        const authority = args[0]
        const url = typeof authority === 'string' ? new URL(authority) : authority instanceof URL ? authority : undefined
        const host = url ? url.hostname.replace(/^\[|\]$/g, '') : undefined
        const port = url ? toPort(url.port) ?? (url.protocol === 'http:' ? 80 : 443) : undefined
        cover = { api: 'http2.connect', host, stack: captureStack(connect, SHALLOW), recordOnConnect: false, hits: 0 }
        record({ api: 'http2.connect', host, address: addressOf(host), port, protocol: 'http', stack: cover.stack })
      } catch { /* never break the app */ }
      if (!cover) return Reflect.apply(original, this, args)
      return runCovered(cover, () => Reflect.apply(original, this, args))
    },
  )
  // Node 22+ publishes each http2 client stream; that gives what http2.connect cannot know: method and path.
  try {
    subscribe('http2.client.stream.created', function onStreamCreated(message) {
      try {
        const { headers } = message as { headers?: Record<string, unknown> }
        if (!headers) return
        const authority = String(headers[':authority'] ?? '')
        let host = authority
        let port: number | undefined
        try { const u = new URL(`${String(headers[':scheme'] ?? 'https')}://${authority}`); host = u.hostname.replace(/^\[|\]$/g, ''); port = toPort(u.port) ?? (u.protocol === 'http:' ? 80 : 443) } catch { /* keep raw */ }
        record({
          api: 'http2.request',
          host,
          address: addressOf(host),
          port,
          protocol: 'http',
          stack: captureStack(onStreamCreated),
          sent: `${String(headers[':method'] ?? 'GET')} ${String(headers[':path'] ?? '/')} HTTP/2\r\nHost: ${authority}`,
        })
      } catch { /* never break the app */ }
    })
  } catch { /* channel API missing */ }
}
