// Wires the HTTP server: security headers, the JSON API, the admin page's assets and error handling.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import type { Config } from './config.ts'
import { createApiRouter, sendJson } from './api.ts'
import { Inventory, InventoryError, type InventoryData } from './inventory.ts'
import { createNotifier, type Notifier } from './notifier.ts'
import { serveStatic } from './static-files.ts'
import { JsonFileStore } from './store.ts'

/** Only the page's own origin: the admin page loads nothing from anywhere else. */
export const DEFAULT_CONTENT_SECURITY_POLICY =
  "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

export interface AppOptions {
  publicDir: string
  contentSecurityPolicy?: string
  log?: (line: string) => void
  /** Called for every request that ends in a 500, with the error. */
  onError?: (error: unknown, context: { method: string; url: string }) => void
}

export interface RunningApp {
  url: string
  port: number
  inventory: Inventory
  notifier: Notifier
  close(): Promise<void>
}

export async function startApp(config: Config, options: AppOptions): Promise<RunningApp> {
  const log = options.log ?? ((line: string) => console.error(line))
  const store = new JsonFileStore<InventoryData>(join(config.dataDir, 'inventory.json'))
  const inventory = await Inventory.open(store)
  const notifier = createNotifier(config, log)
  inventory.onEvent((event) => notifier.notify(event))
  const router = createApiRouter(inventory, notifier)
  const csp = options.contentSecurityPolicy ?? DEFAULT_CONTENT_SECURITY_POLICY

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    response.setHeader('x-content-type-options', 'nosniff')
    response.setHeader('referrer-policy', 'no-referrer')
    response.setHeader('content-security-policy', csp)
    const method = request.method ?? 'GET'
    const { pathname } = new URL(request.url ?? '/', 'http://localhost')
    if (pathname.startsWith('/api/')) {
      const match = router.match(method, pathname)
      if ('handler' in match) return void (await match.handler(request, response, match.params))
      if (match.status === 405) response.setHeader('allow', match.allow!.join(', '))
      return sendJson(response, match.status, { error: { code: match.status === 405 ? 'METHOD_NOT_ALLOWED' : 'NOT_FOUND', message: `${method} ${pathname}` } })
    }
    if ((method === 'GET' || method === 'HEAD') && (await serveStatic(options.publicDir, pathname, response, method === 'HEAD'))) return
    sendJson(response, method === 'GET' || method === 'HEAD' ? 404 : 405, { error: { code: 'NOT_FOUND', message: `${method} ${pathname}` } })
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (error instanceof InventoryError) {
        return sendJson(response, error.status, { error: { code: error.code, message: error.message, field: error.field } })
      }
      log(`error: ${request.method} ${request.url}: ${(error as Error)?.stack ?? String(error)}`)
      options.onError?.(error, { method: request.method ?? 'GET', url: request.url ?? '/' })
      if (!response.headersSent) sendJson(response, 500, { error: { code: 'INTERNAL', message: 'internal error; see the server log' } })
      else response.destroy()
    })
  })
  server.headersTimeout = 15_000
  server.requestTimeout = 30_000

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(config.port, config.host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const address = server.address() as AddressInfo
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    inventory,
    notifier,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeIdleConnections()
      })
      await notifier.settle()
      await store.flush()
    },
  }
}
