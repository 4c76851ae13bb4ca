// TCP and TLS: net.Socket#connect (every TCP client ends there on every Node version) and tls.connect.
import net from 'node:net'
import tls from 'node:tls'
import { record } from './log.ts'
import { SHALLOW, captureStack } from './stack.ts'
import { addressOf, currentCover, isSameHost, peekCover, runCovered, type Cover } from './cover.ts'
import { patchMethod } from './wrap.ts'

/** Sockets whose connect the patch saw; the net.client.socket channel uses it to notice a removed patch. */
export const seenSockets = new WeakSet<object>()

interface Target { host?: string; port?: number; path?: string }

/** connect(options[, cb]) | connect(port[, host][, cb]) | connect(path[, cb]) | connect([options, cb]) (net.connect's normalised form). */
function readTarget(args: unknown[]): Target {
  let first = args[0]
  if (Array.isArray(first)) first = first[0]
  if (first !== null && typeof first === 'object') {
    const o = first as { host?: unknown; port?: unknown; path?: unknown }
    if (typeof o.path === 'string' && o.path) return { path: o.path }
    return { host: typeof o.host === 'string' ? o.host : 'localhost', port: toPort(o.port) }
  }
  if (typeof first === 'string' && !/^\d+$/.test(first)) return { path: first }
  return { port: toPort(first), host: typeof args[1] === 'string' ? args[1] : 'localhost' }
}

export function toPort(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value !== '' ? Number(value) : NaN
  return Number.isInteger(n) && n >= 0 && n < 65536 ? n : undefined
}

function onSocketConnect(socket: net.Socket, args: unknown[], below: Function): void {
  seenSockets.add(socket)
  const target = readTarget(args)
  // Unix sockets are local IPC, never egress.
  if (target.path !== undefined) return
  const encrypted = (socket as { encrypted?: boolean }).encrypted === true
  const cover = currentCover()
  if (cover) {
    const first = cover.hits++ === 0
    if (first) cover.connected = { host: target.host, port: target.port }
    if (cover.recordOnConnect && first) {
      recordSocket(cover.api, target, encrypted, cover.stack)
      return
    }
    // The socket the covered call was made for: already recorded as that call.
    if ((first && cover.host === undefined) || isSameHost(cover.host, target.host)) return
    // A different destination while covered (a proxy, a redirect): its own event, with the call's site.
    recordSocket(cover.api, target, encrypted, cover.stack, `connection to another host during ${cover.api}`)
    return
  }
  recordSocket(encrypted ? 'tls.connect' : 'net.connect', target, encrypted, captureStack(below))
}

function recordSocket(api: string, target: Target, encrypted: boolean, stack: string[], note?: string): void {
  record({
    api,
    host: target.host,
    address: addressOf(target.host),
    port: target.port,
    protocol: encrypted ? 'tls' : 'tcp',
    stack,
    ...(note ? { note } : {}),
  })
}

export function installSockets(): void {
  patchMethod(net.Socket.prototype, 'connect', 'net.Socket.prototype.connect', (original) =>
    function connect(this: net.Socket, ...args: unknown[]) {
      try { onSocketConnect(this, args, connect) } catch { /* never break the app */ }
      return Reflect.apply(original, this, args)
    },
  )
  // tls.connect opens its socket through net.Socket#connect; the cover names that socket tls.connect and keeps
  // the caller's stack (https.request → tls.connect stays one https.request).
  patchMethod(tls, 'connect', 'tls.connect', (original) =>
    function connect(this: unknown, ...args: unknown[]) {
      // Inside a recorded call already (https.request, undici, fetch): its socket is its own.
      if (peekCover()) return Reflect.apply(original, this, args)
      let cover: Cover | undefined
      try { cover = { api: 'tls.connect', stack: captureStack(connect, SHALLOW), recordOnConnect: true, hits: 0 } } catch { /* unrecorded */ }
      if (!cover) return Reflect.apply(original, this, args)
      return runCovered(cover, () => Reflect.apply(original, this, args))
    },
  )
}
