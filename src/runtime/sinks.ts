// Listeners inside the sandbox that receive what the app tried to send: HTTP heads, TLS SNI, first bytes.
import { createServer, type Server, type Socket } from 'node:net'
import { createSocket, type Socket as UdpSocket } from 'node:dgram'
import { looksLikeHttp, looksLikeTls, previewBytes, sniffHttp, sniffTls } from './sniff.ts'
import { literalLookup, normaliseAddress, wildcardListenOptions } from './address.ts'
import type { RuntimeEvent } from './events.ts'

/**
 * Web plus common telemetry, tracing, metrics and log-shipping ports. Kept short on purpose: a sink on a
 * port the app itself wants to listen on would make the app fail (EADDRINUSE).
 */
export const DEFAULT_TCP_SINK_PORTS = [80, 443, 2003, 4317, 4318, 5044, 8126, 8443, 9200, 9411, 14250, 14268, 24224]
export const DEFAULT_UDP_SINK_PORTS = [123, 514, 6831, 6832, 8125, 9125, 12201]

const MAX_CAPTURE = 16 * 1024
/** How long a sink waits for more bytes before reporting what it has. */
const QUIET_MS = 150
/** A client that sends nothing (server-speaks-first protocols) is reported and closed after this. */
const IDLE_MS = 1500
/** Stop recording after this many sink events: a flooding app must not exhaust memory. */
const MAX_EVENTS = 5000

export interface SinkOptions {
  tcpPorts: number[]
  udpPorts: number[]
  host: string
  onEvent(event: RuntimeEvent): void
  /** Called once when the sinks stop recording (flooded): what later connections send is not captured. */
  onLimit?(limit: number): void
}

export interface Sinks {
  tcpPorts: number[]
  udpPorts: number[]
  /** Ports that could not be bound (in use). */
  unavailable: string[]
  /** Reports every connection still waiting for bytes. */
  flush(): void
  close(): Promise<void>
}

export async function startSinks(options: SinkOptions): Promise<Sinks> {
  let emitted = 0
  const emit = (event: RuntimeEvent) => {
    if (emitted < MAX_EVENTS) options.onEvent(event)
    else if (emitted === MAX_EVENTS) options.onLimit?.(MAX_EVENTS)
    emitted++
  }
  const pending = new Set<() => void>()
  const servers: Server[] = []
  const udps: UdpSocket[] = []
  const sinks: Sinks = {
    tcpPorts: [], udpPorts: [], unavailable: [],
    flush: () => { for (const report of [...pending]) report() },
    close: async () => {
      for (const u of udps) u.close()
      await Promise.all(servers.map((s) => new Promise<void>((resolve) => { s.close(() => resolve()); closeAll(s) })))
    },
  }
  const sockets = new WeakMap<Server, Set<Socket>>()
  const closeAll = (s: Server) => { for (const c of sockets.get(s) ?? []) c.destroy() }

  const handle = (socket: Socket, set: Set<Socket>) => {
    set.add(socket)
    socket.on('close', () => set.delete(socket))
    socket.on('error', () => {})
    const address = normaliseAddress(socket.localAddress ?? '')
    const port = socket.localPort
    let buf = Buffer.alloc(0)
    let done = false
    let quiet: NodeJS.Timeout | undefined
    const report = (protocol: RuntimeEvent['protocol'], sent: string, host?: string, reply?: string) => {
      if (done) return
      done = true
      pending.delete(flushThis)
      clearTimeout(quiet)
      clearTimeout(idle)
      const ev: RuntimeEvent = { layer: 'sink', time: Date.now(), api: 'tcp-sink', address, port, protocol, sent }
      if (host) ev.host = host
      emit(ev)
      if (reply) socket.end(reply)
      else socket.destroy()
    }
    const flushThis = () => {
      if (buf.length === 0) report('tcp', '(connected, sent nothing)')
      else classify(true)
    }
    pending.add(flushThis)
    const idle = setTimeout(flushThis, IDLE_MS)
    const classify = (final: boolean) => {
      if (looksLikeHttp(buf)) {
        const http = sniffHttp(buf)
        if (http.complete || final) {
          report('http', http.sent, http.host, 'HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\nconnection: close\r\n\r\n')
        }
        return
      }
      if (looksLikeTls(buf)) {
        const tls = sniffTls(buf)
        if (tls) report('tls', tls.sent, tls.host)
        else if (final) report('tls', 'TLS handshake (incomplete ClientHello)')
        return
      }
      if (final) report('tcp', previewBytes(buf))
    }
    socket.on('data', (chunk) => {
      if (done) return
      buf = Buffer.concat([buf, chunk]).subarray(0, MAX_CAPTURE)
      clearTimeout(quiet)
      if (buf.length >= MAX_CAPTURE) { classify(true); return }
      classify(false)
      if (!done) quiet = setTimeout(() => classify(true), QUIET_MS)
    })
    socket.on('end', () => { if (!done) classify(true) })
  }

  for (const port of options.tcpPorts) {
    const server = createServer()
    const set = new Set<Socket>()
    sockets.set(server, set)
    server.on('connection', (s) => handle(s, set))
    const ok = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false))
      server.listen({ port, ...wildcardListenOptions(options.host), backlog: 511 }, () => resolve(true))
    })
    if (ok) { servers.push(server); sinks.tcpPorts.push(port) } else sinks.unavailable.push(`tcp/${port}`)
  }
  for (const port of options.udpPorts) {
    const udp = createSocket({ type: options.host.includes(':') ? 'udp6' : 'udp4', lookup: literalLookup })
    udp.on('message', (msg) => {
      emit({ layer: 'sink', time: Date.now(), api: 'udp-sink', port, protocol: 'udp', sent: previewBytes(msg) })
    })
    const ok = await new Promise<boolean>((resolve) => {
      udp.once('error', () => resolve(false))
      udp.bind({ port, address: options.host }, () => resolve(true))
    })
    if (ok) { udp.on('error', () => {}); udps.push(udp); sinks.udpPorts.push(port) } else sinks.unavailable.push(`udp/${port}`)
  }
  return sinks
}
