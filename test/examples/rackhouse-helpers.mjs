// Helpers for the example-app tests: build into a temp dir, start the built server, fake SMTP and webhook receivers.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync } from 'node:fs'
import { createServer as createHttpServer } from 'node:http'
import { createServer as createTcpServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ROOT } from '../helpers/index.mjs'

export const EXAMPLES = join(ROOT, 'examples')

/** Builds one example into a fresh temp dir (never into examples/ itself, which others may be using). */
export async function buildInTemp(app) {
  const { buildExample } = await import(join(EXAMPLES, 'build.mjs'))
  const outRoot = mkdtempSync(join(tmpdir(), `nph-examples-${app}-`))
  return { outRoot, ...(await buildExample(app, { outRoot })) }
}

/**
 * Starts a built server with PORT=0 on 127.0.0.1 and resolves once it prints "listening on <url>".
 * Only for the self-hosted app: the leaky app must never run outside a network namespace.
 */
export async function startBuiltServer(serverJs, { env = {}, cwd }) {
  const child = spawn(process.execPath, [serverJs], {
    cwd,
    // A clean environment: nothing from the developer's shell (PORT, INVENTORY_*) leaks in.
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stderr.on('data', (chunk) => (stderr += chunk))
  const url = await new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      stdout += chunk
      const match = /^listening on (http:\/\/\S+)$/m.exec(stdout)
      if (match) resolve(match[1])
    })
    child.once('exit', (code) => reject(new Error(`server exited with ${code} before listening\n${stdout}\n${stderr}`)))
  })
  return {
    url,
    child,
    output: () => ({ stdout, stderr }),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode
      child.kill('SIGTERM')
      const [code] = await once(child, 'exit')
      return code
    },
  }
}

/** JSON over fetch to the app: resolves { status, body }. */
export async function call(baseUrl, method, path, body) {
  const response = await fetch(baseUrl + path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await response.text()
  return { status: response.status, headers: response.headers, text, body: text && /json/.test(response.headers.get('content-type') ?? '') ? JSON.parse(text) : undefined }
}

/** Turns a stream of arrivals into awaitable "next one" calls. */
function createInbox() {
  const items = []
  const waiters = []
  return {
    push(item) {
      const waiter = waiters.shift()
      if (waiter) waiter(item)
      else items.push(item)
    },
    next() {
      return items.length > 0 ? Promise.resolve(items.shift()) : new Promise((resolve) => waiters.push(resolve))
    },
  }
}

/** A webhook receiver on 127.0.0.1:0 that records each POST (headers and body) and answers 204. */
export async function startWebhookReceiver() {
  const inbox = createInbox()
  const server = createHttpServer((request, response) => {
    const chunks = []
    request.on('data', (chunk) => chunks.push(chunk))
    request.on('end', () => {
      inbox.push({ method: request.method, url: request.url, headers: request.headers, body: Buffer.concat(chunks).toString('utf8') })
      response.writeHead(204).end()
    })
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return {
    url: `http://127.0.0.1:${server.address().port}/hooks/rackhouse`,
    next: inbox.next,
    close: () => new Promise((resolve) => server.close(resolve)),
  }
}

/**
 * A fake SMTP relay on 127.0.0.1:0 that speaks just enough ESMTP (EHLO, AUTH PLAIN, MAIL, RCPT, DATA,
 * QUIT) and records each accepted message with its envelope and the credentials it was given.
 */
export async function startFakeSmtp() {
  const inbox = createInbox()
  const server = createTcpServer((socket) => {
    let buffer = ''
    let inData = false
    let mail = { from: undefined, to: [], auth: undefined, helo: undefined, data: '' }
    socket.write('220 fake-relay.test ESMTP ready\r\n')
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8')
      let end
      while ((end = buffer.indexOf('\r\n')) !== -1) {
        const line = buffer.slice(0, end)
        buffer = buffer.slice(end + 2)
        if (inData) {
          if (line === '.') {
            inData = false
            inbox.push(mail)
            mail = { from: undefined, to: [], auth: mail.auth, helo: mail.helo, data: '' }
            socket.write('250 2.0.0 queued as FAKE1\r\n')
          } else {
            mail.data += (line.startsWith('..') ? line.slice(1) : line) + '\r\n'
          }
          continue
        }
        const [verb] = line.split(' ')
        switch (verb.toUpperCase()) {
          case 'EHLO':
            mail.helo = line.slice(5)
            socket.write('250-fake-relay.test\r\n250-AUTH PLAIN\r\n250 8BITMIME\r\n')
            break
          case 'AUTH': {
            const [, user, password] = Buffer.from(line.split(' ')[2] ?? '', 'base64').toString('utf8').split('\0')
            mail.auth = { user, password }
            socket.write('235 2.7.0 authenticated\r\n')
            break
          }
          case 'MAIL':
            mail.from = /<(.*)>/.exec(line)?.[1]
            socket.write('250 2.1.0 ok\r\n')
            break
          case 'RCPT':
            mail.to.push(/<(.*)>/.exec(line)?.[1])
            socket.write('250 2.1.5 ok\r\n')
            break
          case 'DATA':
            inData = true
            socket.write('354 end with <CRLF>.<CRLF>\r\n')
            break
          case 'QUIT':
            socket.end('221 2.0.0 bye\r\n')
            break
          default:
            socket.write('502 5.5.2 not implemented\r\n')
        }
      }
    })
    socket.on('error', () => {})
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return {
    port: server.address().port,
    next: inbox.next,
    close: () => new Promise((resolve) => server.close(resolve)),
  }
}

/** Decodes the base64 body of a message formatted by the app's mail-message.ts. */
export function decodeMailBody(data) {
  const [, body] = data.split('\r\n\r\n')
  return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
}
