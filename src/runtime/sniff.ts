// Describes the first bytes a sink received: HTTP request head, TLS ClientHello SNI, or a byte preview.

export interface Sniffed {
  protocol: 'http' | 'tls' | 'tcp'
  /** Host header or SNI, when the client gave one. */
  host?: string
  /** One readable line-ish summary of what would have been sent. */
  sent: string
  /** For HTTP: total body bytes announced (Content-Length) so a sink knows how long to wait. */
  contentLength?: number
  /** For HTTP: true once the head (and announced body, up to the preview limit) is complete. */
  complete: boolean
}

const HTTP_METHOD = /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|CONNECT|TRACE|PRI) /
const BODY_PREVIEW = 512
const SENT_LIMIT = 2048

/** True when the buffer starts like an HTTP/1 request. */
export function looksLikeHttp(untrusted: Buffer): boolean {
  return HTTP_METHOD.test(untrusted.toString('latin1', 0, Math.min(untrusted.length, 8)))
}

/** True when the buffer starts like a TLS handshake record. */
export function looksLikeTls(untrusted: Buffer): boolean {
  return untrusted.length >= 3 && untrusted[0] === 0x16 && untrusted[1] === 0x03
}

/** Summarises an HTTP request: request line, headers, body preview. */
export function sniffHttp(untrusted: Buffer): Sniffed {
  const text = untrusted.toString('latin1')
  const headEnd = text.indexOf('\r\n\r\n')
  const head = headEnd >= 0 ? text.slice(0, headEnd) : text
  const lines = head.split('\r\n')
  let host: string | undefined
  let contentLength: number | undefined
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':')
    if (colon < 0) continue
    const name = line.slice(0, colon).trim().toLowerCase()
    const value = line.slice(colon + 1).trim()
    if (name === 'host') host = value
    if (name === 'content-length' && /^\d+$/.test(value)) contentLength = Number(value)
  }
  const body = headEnd >= 0 ? untrusted.subarray(headEnd + 4) : Buffer.alloc(0)
  const wantBody = Math.min(contentLength ?? 0, BODY_PREVIEW)
  const complete = headEnd >= 0 && body.length >= wantBody
  let sent = head
  if (body.length) sent += '\n\n' + printable(body.subarray(0, BODY_PREVIEW))
  return { protocol: 'http', host: host ? stripPort(host) : undefined, sent: sent.slice(0, SENT_LIMIT), contentLength, complete }
}

/** Summarises a TLS ClientHello: SNI and ALPN. Undefined until the whole hello has arrived. */
export function sniffTls(untrusted: Buffer): Sniffed | undefined {
  const hello = parseClientHello(untrusted)
  if (hello === 'incomplete') return undefined
  if (!hello) return { protocol: 'tls', sent: 'TLS handshake (no readable ClientHello)', complete: true }
  const parts = [`TLS ClientHello${hello.sni ? ` SNI=${hello.sni}` : ' (no SNI)'}`]
  if (hello.alpn.length) parts.push(`ALPN=${hello.alpn.join(',')}`)
  return { protocol: 'tls', host: hello.sni, sent: parts.join(' '), complete: true }
}

/** Readable preview of arbitrary bytes: printable ASCII kept, the rest as \xNN. */
export function previewBytes(untrusted: Buffer, limit = 256): string {
  return printable(untrusted.subarray(0, limit)) + (untrusted.length > limit ? '…' : '')
}

export interface ClientHello {
  sni?: string
  alpn: string[]
}

/**
 * Parses a TLS record holding a ClientHello (RFC 8446 §4.1.2). Returns 'incomplete' when more
 * bytes are needed, undefined when it is not a ClientHello.
 */
export function parseClientHello(untrusted: Buffer): ClientHello | 'incomplete' | undefined {
  const b = untrusted
  if (b.length < 5) return 'incomplete'
  if (b[0] !== 0x16) return undefined
  const recordLength = b.readUInt16BE(3)
  if (b.length < 5 + recordLength) {
    // A ClientHello may span records in theory; in practice it fits one. Wait for it (bounded by the caller).
    return 'incomplete'
  }
  let p = 5
  const end = 5 + recordLength
  if (b[p] !== 0x01) return undefined // handshake type client_hello
  const helloLength = b.readUIntBE(p + 1, 3)
  p += 4
  const helloEnd = Math.min(end, p + helloLength)
  p += 2 + 32 // legacy_version, random
  if (p >= helloEnd) return undefined
  p += 1 + b[p] // session id
  if (p + 2 > helloEnd) return undefined
  p += 2 + b.readUInt16BE(p) // cipher suites
  if (p >= helloEnd) return undefined
  p += 1 + b[p] // compression methods
  const result: ClientHello = { alpn: [] }
  if (p + 2 > helloEnd) return result
  const extEnd = Math.min(helloEnd, p + 2 + b.readUInt16BE(p))
  p += 2
  while (p + 4 <= extEnd) {
    const type = b.readUInt16BE(p)
    const len = b.readUInt16BE(p + 2)
    const data = b.subarray(p + 4, Math.min(extEnd, p + 4 + len))
    if (type === 0 && data.length >= 5) {
      // server_name list: length(2) then entries of type(1) length(2) name
      let q = 2
      while (q + 3 <= data.length) {
        const nameType = data[q]
        const nameLen = data.readUInt16BE(q + 1)
        if (nameType === 0) { result.sni = data.toString('latin1', q + 3, q + 3 + nameLen); break }
        q += 3 + nameLen
      }
    } else if (type === 16 && data.length >= 2) {
      let q = 2
      while (q < data.length) {
        const l = data[q]
        result.alpn.push(data.toString('latin1', q + 1, q + 1 + l))
        q += 1 + l
      }
    }
    p += 4 + len
  }
  return result
}

function printable(bytes: Buffer): string {
  let out = ''
  for (const c of bytes) {
    out += c === 0x0a || c === 0x0d || c === 0x09 || (c >= 0x20 && c < 0x7f) ? String.fromCharCode(c) : `\\x${c.toString(16).padStart(2, '0')}`
  }
  return out
}

function stripPort(host: string): string {
  if (host.startsWith('[')) return host.slice(1, host.indexOf(']') > 0 ? host.indexOf(']') : undefined)
  const colon = host.lastIndexOf(':')
  return colon > 0 && host.indexOf(':') === colon ? host.slice(0, colon) : host
}
