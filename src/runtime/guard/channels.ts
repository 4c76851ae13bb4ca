// Diagnostics channels: undici's request detail and connect hand-off, and net.client.socket to notice a removed patch.
import { subscribe } from 'node:diagnostics_channel'
import { record } from './log.ts'
import { DEEPEST, captureSites, formatSites } from './stack.ts'
import { addressOf, asyncCover, expectUndiciConnect, isSameHost } from './cover.ts'
import { describeRequest } from './http.ts'
import { seenSockets } from './sockets.ts'
import { noteOnce } from './tamper.ts'

// npm undici's frames (and the copy inside Node) are the messenger, not the caller.
const UNDICI_FILE = /[\\/]node_modules[\\/]undici[\\/]|^node:internal\/deps\/undici/
const UNDICI_APIS = new Set(['request', 'fetch', 'stream', 'pipeline', 'connect', 'upgrade'])

function safeSubscribe(name: string, fn: (message: unknown) => void): void {
  try { subscribe(name, fn) } catch { /* channel API missing */ }
}

/** `undici.request`, `undici.fetch`…: the outermost undici frame's function is the API the caller used. */
function apiOf(sites: NodeJS.CallSite[]): string {
  let api = 'undici.request'
  for (const site of sites) {
    const file = site.getFileName()
    if (!file || !UNDICI_FILE.test(file)) continue
    const fn = site.getFunctionName()
    if (fn && UNDICI_APIS.has(fn)) api = `undici.${fn}`
  }
  return api
}

function onUndiciRequest(message: unknown): void {
  const request = (message as { request?: { origin?: unknown; method?: string; path?: string } }).request
  if (!request) return
  let url: URL
  try { url = new URL(String(request.origin)) } catch { return }
  const host = url.hostname.replace(/^\[|\]$/g, '')
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80
  const sent = describeRequest(request.method, request.path, url.host)
  const cover = asyncCover.getStore()
  if (cover) {
    // fetch/WebSocket recorded this already; a redirect to another host is a new destination.
    if (isSameHost(cover.host, host)) return
    record({ api: cover.api, host, address: addressOf(host), port, protocol: 'http', stack: cover.stack, sent, note: `redirected during ${cover.api}` })
    return
  }
  const sites = captureSites(onUndiciRequest, DEEPEST)
  record({ api: apiOf(sites), host, address: addressOf(host), port, protocol: 'http', stack: formatSites(sites, UNDICI_FILE), sent })
}

function onUndiciBeforeConnect(message: unknown): void {
  const params = (message as { connectParams?: { hostname?: string; host?: string } }).connectParams
  if (!params) return
  const host = (params.hostname ?? params.host ?? '').replace(/^\[|\]$/g, '')
  // The connector opens the socket in this same tick: that socket belongs to the request recorded above.
  expectUndiciConnect({ api: 'undici', host: host || undefined, stack: [], recordOnConnect: false, hits: 0 })
}

function onNetClientSocket(message: unknown): void {
  const socket = (message as { socket?: { connecting?: boolean } }).socket
  if (!socket) return
  queueMicrotask(() => {
    // Published right before socket.connect(); if that connect ran but our patch did not see it, the patch is gone.
    if (socket.connecting && !seenSockets.has(socket)) noteOnce('patches removed: net.Socket.prototype.connect (a connect went unseen)')
  })
}

export function installChannels(): void {
  safeSubscribe('undici:request:create', (m) => { try { onUndiciRequest(m) } catch { /* never break the app */ } })
  safeSubscribe('undici:client:beforeConnect', (m) => { try { onUndiciBeforeConnect(m) } catch { /* never break the app */ } })
  // Node 22+ only for tls; Node 20 publishes it for plain net.connect.
  safeSubscribe('net.client.socket', (m) => { try { onNetClientSocket(m) } catch { /* never break the app */ } })
}
