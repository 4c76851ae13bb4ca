// A minimal SMTP submission client (RFC 5321 + STARTTLS + AUTH PLAIN) for the operator's own mail relay.
import { connect as connectTcp, type Socket } from 'node:net'
import { connect as connectTls, type TLSSocket } from 'node:tls'
import type { SmtpSecurity } from './config.ts'

export interface SmtpSendOptions {
  host: string
  port: number
  security: SmtpSecurity
  user?: string
  password?: string
  /** Name announced in EHLO. */
  clientName: string
  from: string
  to: string[]
  /** The complete RFC 5322 message (headers, blank line, body) with CRLF line ends. */
  message: string
  timeoutMs?: number
}

interface Reply {
  code: number
  lines: string[]
}

export class SmtpError extends Error {
  constructor(
    message: string,
    readonly reply?: Reply,
  ) {
    super(message)
  }
}

/** Sends one message through the configured relay; resolves with the server's final reply text. */
export async function sendMail(options: SmtpSendOptions): Promise<string> {
  const timeoutMs = options.timeoutMs ?? 30_000
  let socket: Socket | TLSSocket =
    options.security === 'tls'
      ? connectTls({ host: options.host, port: options.port, servername: options.host })
      : connectTcp({ host: options.host, port: options.port })
  const reader = new ReplyReader()
  reader.attach(socket, timeoutMs)
  try {
    await expect(reader, [220], 'greeting')
    let ehlo = await command(socket, reader, `EHLO ${options.clientName}`, [250])
    if (options.security === 'starttls') {
      if (!ehlo.lines.some((line) => /^STARTTLS\b/i.test(line))) {
        throw new SmtpError(`${options.host} does not offer STARTTLS; set smtp.security to "tls" or "none"`)
      }
      await command(socket, reader, 'STARTTLS', [220])
      reader.detach()
      socket = await upgrade(socket as Socket, options.host)
      reader.attach(socket, timeoutMs)
      ehlo = await command(socket, reader, `EHLO ${options.clientName}`, [250])
    }
    if (options.user) {
      const token = Buffer.from(`\0${options.user}\0${options.password ?? ''}`, 'utf8').toString('base64')
      await command(socket, reader, `AUTH PLAIN ${token}`, [235], 'AUTH PLAIN')
    }
    await command(socket, reader, `MAIL FROM:<${checkAddress(options.from)}>`, [250])
    for (const recipient of options.to) await command(socket, reader, `RCPT TO:<${checkAddress(recipient)}>`, [250, 251])
    await command(socket, reader, 'DATA', [354])
    socket.write(dotStuff(options.message) + '.\r\n')
    const accepted = await expect(reader, [250], 'end of data')
    await command(socket, reader, 'QUIT', [221]).catch(() => undefined)
    return accepted.lines.join(' ')
  } finally {
    reader.detach()
    socket.destroy()
  }
}

/** Refuses addresses that could smuggle extra SMTP commands. */
function checkAddress(address: string): string {
  if (/[\r\n<>]/.test(address)) throw new SmtpError(`refusing suspicious mail address ${JSON.stringify(address)}`)
  return address
}

/** A line starting with "." would end DATA early; SMTP escapes it by doubling the dot. */
function dotStuff(message: string): string {
  const normalised = message.replace(/\r?\n/g, '\r\n')
  const stuffed = normalised.replace(/^\./gm, '..')
  return stuffed.endsWith('\r\n') ? stuffed : stuffed + '\r\n'
}

function upgrade(socket: Socket, host: string): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const secure = connectTls({ socket, servername: host }, () => resolve(secure))
    secure.once('error', reject)
  })
}

async function command(socket: Socket | TLSSocket, reader: ReplyReader, line: string, ok: number[], shown = line): Promise<Reply> {
  socket.write(line + '\r\n')
  return expect(reader, ok, shown)
}

async function expect(reader: ReplyReader, ok: number[], what: string): Promise<Reply> {
  const reply = await reader.next()
  if (!ok.includes(reply.code)) {
    throw new SmtpError(`SMTP ${what}: server answered ${reply.code} ${reply.lines.join(' ')}`, reply)
  }
  return reply
}

/** Splits the byte stream into replies; a reply ends with a line "NNN text" (no dash after the code). */
class ReplyReader {
  #buffer = ''
  #lines: string[] = []
  #replies: Reply[] = []
  #waiting: Array<{ resolve: (reply: Reply) => void; reject: (error: Error) => void }> = []
  #failure: Error | undefined
  #socket: Socket | TLSSocket | undefined
  #onData = (chunk: Buffer) => this.#push(chunk.toString('utf8'))
  #onError = (error: Error) => this.#fail(error)
  #onClose = () => this.#fail(new SmtpError('SMTP server closed the connection'))
  #onTimeout = () => {
    this.#fail(new SmtpError('SMTP server did not answer in time'))
    this.#socket?.destroy()
  }

  attach(socket: Socket | TLSSocket, timeoutMs: number): void {
    this.#socket = socket
    socket.setTimeout(timeoutMs)
    socket.on('data', this.#onData)
    socket.on('error', this.#onError)
    socket.on('close', this.#onClose)
    socket.on('timeout', this.#onTimeout)
  }

  detach(): void {
    const socket = this.#socket
    if (!socket) return
    socket.setTimeout(0)
    socket.off('data', this.#onData)
    socket.off('error', this.#onError)
    socket.off('close', this.#onClose)
    socket.off('timeout', this.#onTimeout)
    this.#socket = undefined
  }

  next(): Promise<Reply> {
    const reply = this.#replies.shift()
    if (reply) return Promise.resolve(reply)
    if (this.#failure) return Promise.reject(this.#failure)
    return new Promise((resolve, reject) => this.#waiting.push({ resolve, reject }))
  }

  #push(text: string): void {
    this.#buffer += text
    let end: number
    while ((end = this.#buffer.indexOf('\n')) !== -1) {
      const line = this.#buffer.slice(0, end).replace(/\r$/, '')
      this.#buffer = this.#buffer.slice(end + 1)
      const match = /^(\d{3})([ -]?)(.*)$/.exec(line)
      if (!match) {
        this.#fail(new SmtpError(`malformed SMTP reply line ${JSON.stringify(line)}`))
        return
      }
      this.#lines.push(match[3]!)
      if (match[2] !== '-') {
        const reply = { code: Number(match[1]), lines: this.#lines }
        this.#lines = []
        const waiter = this.#waiting.shift()
        if (waiter) waiter.resolve(reply)
        else this.#replies.push(reply)
      }
    }
  }

  #fail(error: Error): void {
    this.#failure ??= error
    for (const waiter of this.#waiting.splice(0)) waiter.reject(error)
  }
}
