// The JSON API: routes for racks, servers, IP assignments, the summary and a test notification.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { InventoryError, type Inventory } from './inventory.ts'
import type { Notifier } from './notifier.ts'
import { Router } from './router.ts'

const MAX_BODY_BYTES = 64 * 1024

export function createApiRouter(inventory: Inventory, notifier: Notifier): Router {
  return new Router()
    .add('GET', '/api/health', (_req, res) => sendJson(res, 200, { ok: true, version: __APP_VERSION__ }))
    .add('GET', '/api/summary', (_req, res) => sendJson(res, 200, inventory.summary()))
    .add('GET', '/api/racks', (_req, res) => sendJson(res, 200, inventory.listRacks()))
    .add('POST', '/api/racks', async (req, res) => sendJson(res, 201, await inventory.createRack(await readJson(req))))
    .add('GET', '/api/racks/:id', (_req, res, params) => sendJson(res, 200, inventory.getRack(params.id!)))
    .add('DELETE', '/api/racks/:id', async (_req, res, params) => {
      await inventory.deleteRack(params.id!)
      sendNoContent(res)
    })
    .add('GET', '/api/servers', (_req, res) => sendJson(res, 200, inventory.listServers()))
    .add('POST', '/api/servers', async (req, res) => sendJson(res, 201, await inventory.createServer(await readJson(req))))
    .add('DELETE', '/api/servers/:id', async (_req, res, params) => {
      await inventory.deleteServer(params.id!)
      sendNoContent(res)
    })
    .add('GET', '/api/ips', (_req, res) => sendJson(res, 200, inventory.listIps()))
    .add('POST', '/api/ips', async (req, res) => sendJson(res, 201, await inventory.assignIp(await readJson(req))))
    .add('DELETE', '/api/ips/:address', async (_req, res, params) => {
      await inventory.releaseIp(params.address!)
      sendNoContent(res)
    })
    .add('POST', '/api/notifications/test', (_req, res) => {
      notifier.notify({ type: 'notification.test', at: new Date().toISOString(), data: { message: 'Notifications from Rackhouse reach you.' } })
      sendJson(res, 202, { queued: true })
    })
}

/** Reads a JSON request body, refusing other content types and bodies over 64 KiB. */
export async function readJson(request: IncomingMessage): Promise<unknown> {
  const type = request.headers['content-type'] ?? ''
  if (!/^application\/json\b/i.test(type)) throw new InventoryError(415, 'UNSUPPORTED_MEDIA_TYPE', 'send the body as application/json')
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > MAX_BODY_BYTES) throw new InventoryError(413, 'BODY_TOO_LARGE', `request bodies are limited to ${MAX_BODY_BYTES} bytes`)
    chunks.push(chunk)
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'))
  } catch {
    throw new InventoryError(400, 'INVALID_JSON', 'the request body is not valid JSON')
  }
}

export function sendJson(response: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value)
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' })
  response.end(body)
}

function sendNoContent(response: ServerResponse): void {
  response.writeHead(204, { 'cache-control': 'no-store' })
  response.end()
}
