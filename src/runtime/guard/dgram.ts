// UDP: dgram Socket#send and #connect; each socket records each destination once (statsd sends thousands).
import dgram from 'node:dgram'
import { record } from './log.ts'
import { SHALLOW, captureStack } from './stack.ts'
import { addressOf } from './cover.ts'
import { patchMethod } from './wrap.ts'
import { toPort } from './sockets.ts'

const seenDestinations = new WeakMap<object, Set<string>>()

/** First bytes of a datagram, printable ASCII kept, the rest as '.', so it fits a log line. */
function previewOf(untrustedMessage: unknown): string | undefined {
  let first = untrustedMessage
  if (Array.isArray(first)) first = first[0]
  let bytes: Uint8Array | undefined
  if (typeof first === 'string') bytes = Buffer.from(first.slice(0, 64))
  else if (ArrayBuffer.isView(first)) bytes = new Uint8Array(first.buffer, first.byteOffset, Math.min(first.byteLength, 64))
  if (!bytes) return undefined
  let out = ''
  for (let i = 0; i < bytes.length && i < 64; i++) out += bytes[i] >= 0x20 && bytes[i] < 0x7f ? String.fromCharCode(bytes[i]) : '.'
  return out
}

function defaultHost(socket: dgram.Socket): string {
  try { return socket.address().family === 'IPv6' ? '::1' : '127.0.0.1' } catch { return '127.0.0.1' }
}

/** Node's own argument shuffling: send(msg, [offset, length,] port, address, cb) or, connected, send(msg[, offset, length][, cb]). */
function readSendTarget(socket: dgram.Socket, args: unknown[]): { host?: string; port?: number } {
  let connected: { address: string; port: number } | undefined
  try { connected = socket.remoteAddress() } catch { /* not connected */ }
  if (connected) return { host: connected.address, port: connected.port }
  const [, offset, length, port, address] = args
  if (address || (port && typeof port !== 'function')) {
    return { port: toPort(port), host: typeof address === 'string' ? address : undefined }
  }
  return { port: toPort(offset), host: typeof length === 'string' ? length : undefined }
}

function recordUdp(api: string, socket: dgram.Socket, host: string | undefined, port: number | undefined, sent: string | undefined, stack: () => string[]): void {
  const h = host || defaultHost(socket)
  const key = `${api}|${h}|${port ?? ''}`
  let seen = seenDestinations.get(socket)
  if (!seen) { seen = new Set(); seenDestinations.set(socket, seen) }
  if (seen.has(key)) return
  seen.add(key)
  record({ api, host: h, address: addressOf(h), port, protocol: 'udp', stack: stack(), ...(sent ? { sent } : {}) })
}

export function installDgram(): void {
  patchMethod(dgram.Socket.prototype, 'send', 'dgram.Socket.prototype.send', (original) =>
    function send(this: dgram.Socket, ...args: unknown[]) {
      try {
        const target = readSendTarget(this, args)
        recordUdp('dgram.send', this, target.host, target.port, previewOf(args[0]), () => captureStack(send, SHALLOW))
      } catch { /* never break the app */ }
      return Reflect.apply(original, this, args)
    },
  )
  patchMethod(dgram.Socket.prototype, 'connect', 'dgram.Socket.prototype.connect', (original) =>
    function connect(this: dgram.Socket, ...args: unknown[]) {
      try {
        const host = typeof args[1] === 'string' ? args[1] : undefined
        recordUdp('dgram.connect', this, host, toPort(args[0]), undefined, () => captureStack(connect, SHALLOW))
      } catch { /* never break the app */ }
      return Reflect.apply(original, this, args)
    },
  )
}
