// Minimal DNS wire format (RFC 1035): parse a query's question, encode an answer — enough for the stub.

export interface DnsQuestion {
  id: number
  /** Header flags of the query (RD is echoed back). */
  flags: number
  name: string
  qtype: number
  qclass: number
}

const QTYPE_NAMES: Record<number, string> = {
  1: 'A', 2: 'NS', 5: 'CNAME', 6: 'SOA', 12: 'PTR', 15: 'MX', 16: 'TXT', 28: 'AAAA', 33: 'SRV',
  35: 'NAPTR', 64: 'SVCB', 65: 'HTTPS', 255: 'ANY',
}

/** `A`, `AAAA`, … or `TYPE<n>` for types without a common name. */
export function nameQtype(qtype: number): string {
  return QTYPE_NAMES[qtype] ?? `TYPE${qtype}`
}

/** Reads the first question of a query; undefined when the message is not a well-formed query. */
export function parseQuery(untrustedMessage: Buffer): DnsQuestion | undefined {
  const msg = untrustedMessage
  if (msg.length < 12) return undefined
  const id = msg.readUInt16BE(0)
  const flags = msg.readUInt16BE(2)
  if (flags & 0x8000) return undefined // a response, not a query
  if (msg.readUInt16BE(4) < 1) return undefined
  const labels: string[] = []
  let offset = 12
  let jumps = 0
  let end = -1
  for (;;) {
    if (offset >= msg.length) return undefined
    const len = msg[offset]
    if (len === 0) { offset++; break }
    if ((len & 0xc0) === 0xc0) {
      // Compression pointer (unusual in a question, but legal): follow it, at most a few times.
      if (offset + 1 >= msg.length || ++jumps > 8) return undefined
      if (end < 0) end = offset + 2
      offset = ((len & 0x3f) << 8) | msg[offset + 1]
      continue
    }
    if (len > 63 || offset + 1 + len > msg.length) return undefined
    labels.push(msg.toString('latin1', offset + 1, offset + 1 + len))
    offset += 1 + len
  }
  if (end >= 0) offset = end
  if (offset + 4 > msg.length) return undefined
  return { id, flags, name: labels.join('.').toLowerCase(), qtype: msg.readUInt16BE(offset), qclass: msg.readUInt16BE(offset + 2) }
}

export interface DnsAnswer {
  /** NXDOMAIN instead of an answer. */
  nxdomain?: boolean
  /** IPv4 (for A) or IPv6 (for AAAA) addresses to answer with; empty = no data. */
  addresses?: string[]
  ttl?: number
}

/** Encodes the response to `q`: the question echoed, then A/AAAA records for matching addresses. */
export function encodeResponse(q: DnsQuestion, answer: DnsAnswer): Buffer {
  const qname = encodeName(q.name)
  const records: Buffer[] = []
  if (!answer.nxdomain) {
    for (const address of answer.addresses ?? []) {
      const rdata = q.qtype === 1 ? encodeIPv4(address) : q.qtype === 28 ? encodeIPv6(address) : undefined
      if (!rdata) continue
      const rr = Buffer.alloc(12 + rdata.length)
      rr.writeUInt16BE(0xc00c, 0) // pointer to the question's name
      rr.writeUInt16BE(q.qtype, 2)
      rr.writeUInt16BE(1, 4)
      rr.writeUInt32BE(answer.ttl ?? 1, 6)
      rr.writeUInt16BE(rdata.length, 10)
      rdata.copy(rr, 12)
      records.push(rr)
    }
  }
  const header = Buffer.alloc(12)
  header.writeUInt16BE(q.id, 0)
  // QR=1, opcode echoed, AA=1, RD echoed, RA=1, rcode 0 or 3 (NXDOMAIN).
  const flags = 0x8000 | (q.flags & 0x7800) | 0x0400 | (q.flags & 0x0100) | 0x0080 | (answer.nxdomain ? 3 : 0)
  header.writeUInt16BE(flags, 2)
  header.writeUInt16BE(1, 4)
  header.writeUInt16BE(records.length, 6)
  const question = Buffer.alloc(qname.length + 4)
  qname.copy(question, 0)
  question.writeUInt16BE(q.qtype, qname.length)
  question.writeUInt16BE(q.qclass, qname.length + 2)
  return Buffer.concat([header, question, ...records])
}

function encodeName(name: string): Buffer {
  const parts: Buffer[] = []
  for (const label of name.split('.').filter(Boolean)) {
    const bytes = Buffer.from(label, 'latin1').subarray(0, 63)
    parts.push(Buffer.from([bytes.length]), bytes)
  }
  parts.push(Buffer.from([0]))
  return Buffer.concat(parts)
}

function encodeIPv4(address: string): Buffer | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(address)
  return m ? Buffer.from(m.slice(1).map(Number)) : undefined
}

function encodeIPv6(address: string): Buffer | undefined {
  if (!address.includes(':')) return undefined
  const [head, tail = ''] = address.split('::')
  const toWords = (s: string) => (s ? s.split(':').map((w) => parseInt(w, 16)) : [])
  const h = toWords(head), t = toWords(tail)
  const words = address.includes('::') ? [...h, ...new Array(8 - h.length - t.length).fill(0), ...t] : h
  if (words.length !== 8 || words.some((w) => !(w >= 0 && w <= 0xffff))) return undefined
  const out = Buffer.alloc(16)
  words.forEach((w, i) => out.writeUInt16BE(w, i * 2))
  return out
}
