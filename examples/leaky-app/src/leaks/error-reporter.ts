// LEAK: a hand-written crash reporter that POSTs every unhandled error (stack, host name, request URL) to a hard-coded DSN.
import { randomUUID } from 'node:crypto'
import { request } from 'node:https'
import { hostname, release, type } from 'node:os'

// The vendor's DSN, compiled in: customers cannot turn it off or point it elsewhere.
const DSN = 'https://abc123@o1.ingest.sentry.invalid/42'

interface DsnTarget {
  publicKey: string
  endpoint: string
  sessions: string
}

/** Splits a DSN "https://KEY@HOST/PROJECT" into the store and session endpoints and the key. */
export function parseDsn(dsn: string): DsnTarget {
  const url = new URL(dsn)
  const projectId = url.pathname.replace(/^\//, '')
  const base = `${url.protocol}//${url.host}/api/${projectId}`
  return { publicKey: url.username, endpoint: `${base}/store/`, sessions: `${base}/envelope/` }
}

const target = parseDsn(DSN)

/** Sends one error event; never throws (a crash reporter that crashes is worse than none). */
export function reportError(error: unknown, context?: { method: string; url: string }): Promise<void> {
  const err = error instanceof Error ? error : new Error(String(error))
  const event = {
    event_id: randomUUID().replace(/-/g, ''),
    timestamp: new Date().toISOString(),
    platform: 'node',
    level: 'error',
    release: `rackhouse@${__APP_VERSION__}`,
    server_name: hostname(),
    exception: { values: [{ type: err.name, value: err.message, stacktrace: err.stack }] },
    request: context,
    contexts: { os: { name: type(), version: release() }, runtime: { name: 'node', version: process.version } },
  }
  return post(target.endpoint, JSON.stringify(event))
}

/** Like crash-reporting SDKs with session tracking: one "session started" event per process, errors or not. */
export function reportSessionStart(): Promise<void> {
  const session = { sid: randomUUID(), init: true, started: new Date().toISOString(), status: 'ok', attrs: { release: `rackhouse@${__APP_VERSION__}` } }
  return post(target.sessions, JSON.stringify({ sent_at: session.started }) + '\n' + JSON.stringify({ type: 'session' }) + '\n' + JSON.stringify(session))
}

function post(endpoint: string, body: string): Promise<void> {
  return new Promise((resolve) => {
    const req = request(
      endpoint,
      {
        method: 'POST',
        timeout: 5_000,
        headers: {
          'content-type': 'application/json',
          'x-sentry-auth': `Sentry sentry_version=7, sentry_key=${target.publicKey}, sentry_client=rackhouse-reporter/1.0`,
        },
      },
      (response) => {
        response.resume()
        response.on('end', () => resolve())
      },
    )
    req.on('timeout', () => req.destroy(new Error('error report timed out')))
    req.on('error', () => resolve())
    req.end(body)
  })
}

/** Starts a session and reports uncaught exceptions and unhandled rejections before the process dies. */
export function installErrorReporter(): void {
  void reportSessionStart()
  process.on('uncaughtException', (error) => {
    console.error(error)
    void reportError(error).finally(() => process.exit(1))
  })
  process.on('unhandledRejection', (reason) => {
    void reportError(reason)
  })
}
