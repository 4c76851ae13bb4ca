// DNS stub for inside the sandbox: logs every name asked, answers test doubles, sinkholes the rest.
import { createSocket, type Socket as UdpSocket } from 'node:dgram'
import { createServer, type Server } from 'node:net'
import { encodeResponse, nameQtype, parseQuery, type DnsAnswer, type DnsQuestion } from './dns-wire.ts'
import { literalLookup, sinkholeAddress, wildcardListenOptions } from './address.ts'
import type { RuntimeEvent } from './events.ts'

export interface DnsStubOptions {
  /** Allowed names (exact or `*.suffix`) → the test addresses they resolve to inside the sandbox. */
  answers: Record<string, string[]>
  /** Answer names without a test address with NXDOMAIN instead of a sinkhole address. */
  nxdomain: boolean
  /** Address to bind: `::` (dual stack) or `0.0.0.0`; every destination is local, so DNS to any server lands here. */
  host: string
  port?: number
  onEvent(event: RuntimeEvent): void
  /** Called once when the stub stops recording names (flooded; it still answers). */
  onLimit?(limit: number): void
  /** Most names recorded (default 50 000). */
  limit?: number
}

/** Most names recorded: every query is one control message and one event in the host's memory. */
const MAX_EVENTS = 50_000

export interface DnsStub {
  /** The UDP port it answers on (53 in the sandbox). */
  port: number
  close(): Promise<void>
}

export async function startDnsStub(options: DnsStubOptions): Promise<DnsStub> {
  const sinkholes = new Map<string, string>()
  let recorded = 0
  const limit = options.limit ?? MAX_EVENTS
  const answerFor = (q: DnsQuestion): { answer: DnsAnswer; note: string; address?: string } => {
    const name = q.name.replace(/\.$/, '')
    if (name === 'localhost' || name.endsWith('.localhost')) {
      return { answer: { addresses: ['127.0.0.1', '::1'] }, note: 'localhost' }
    }
    const configured = lookupConfigured(options.answers, name)
    if (configured) {
      const pick = configured.filter((a) => (q.qtype === 28 ? a.includes(':') : !a.includes(':')))
      return { answer: { addresses: configured }, note: 'test double', address: pick[0] }
    }
    if (options.nxdomain) return { answer: { nxdomain: true }, note: 'nxdomain' }
    let address = sinkholes.get(name)
    if (!address) { address = sinkholeAddress(sinkholes.size); sinkholes.set(name, address) }
    // AAAA gets no data: clients then use the A record, whose sinkhole address names the host.
    return { answer: { addresses: q.qtype === 1 ? [address] : [] }, note: 'sinkhole', address }
  }
  const respond = (untrustedQuery: Buffer, transport: 'udp' | 'tcp'): Buffer | undefined => {
    const q = parseQuery(untrustedQuery)
    if (!q) return undefined
    const { answer, note, address } = answerFor(q)
    const event: RuntimeEvent = {
      layer: 'dns', time: Date.now(), api: 'dns-query', protocol: 'dns', name: q.name.replace(/\.$/, ''),
      qtype: nameQtype(q.qtype), note: `${note} (${transport})`,
    }
    if (address) event.address = address
    if (recorded < limit) options.onEvent(event)
    else if (recorded === limit) options.onLimit?.(limit)
    recorded++
    return encodeResponse(q, answer)
  }

  const udp: UdpSocket = createSocket({ type: options.host.includes(':') ? 'udp6' : 'udp4', reuseAddr: false, lookup: literalLookup })
  udp.on('message', (msg, rinfo) => {
    const out = respond(msg, 'udp')
    if (out) udp.send(out, rinfo.port, rinfo.address)
  })
  udp.on('error', () => {})
  const tcp: Server = createServer((socket) => {
    let buf = Buffer.alloc(0)
    socket.on('error', () => {})
    socket.setTimeout(5000, () => socket.destroy())
    socket.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk])
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        const len = buf.readUInt16BE(0)
        const out = respond(buf.subarray(2, 2 + len), 'tcp')
        buf = buf.subarray(2 + len)
        if (!out) { socket.destroy(); return }
        const framed = Buffer.alloc(2 + out.length)
        framed.writeUInt16BE(out.length, 0)
        out.copy(framed, 2)
        socket.write(framed)
      }
      if (buf.length > 70000) socket.destroy()
    })
  })
  const port = options.port ?? 53
  await new Promise<void>((resolve, reject) => {
    udp.once('error', reject)
    udp.bind({ port, address: options.host }, () => { udp.off('error', reject); resolve() })
  })
  await new Promise<void>((resolve, reject) => {
    tcp.once('error', reject)
    tcp.listen({ port, ...wildcardListenOptions(options.host) }, () => { tcp.off('error', reject); resolve() })
  })
  return {
    port: udp.address().port,
    close: async () => {
      udp.close()
      await new Promise<void>((resolve) => tcp.close(() => resolve()))
    },
  }
}

function lookupConfigured(answers: Record<string, string[]>, name: string): string[] | undefined {
  const exact = answers[name]
  if (exact) return exact
  for (const [pattern, addresses] of Object.entries(answers)) {
    if (pattern.startsWith('*.') && name.endsWith(pattern.slice(1).toLowerCase())) return addresses
  }
  return undefined
}
