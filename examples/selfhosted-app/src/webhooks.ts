// Delivers inventory events as signed JSON POSTs to the webhook URLs the operator configured.
import { createHmac } from 'node:crypto'
import type { InventoryEvent } from './inventory.ts'

export interface WebhookDelivery {
  url: string
  ok: boolean
  status?: number
  attempts: number
  error?: string
}

const ATTEMPTS = 3

/** POSTs the event to one configured URL, retrying transient failures (network errors, 5xx, 429). */
export async function deliverWebhook(configuredUrl: string, event: InventoryEvent, secret: string | undefined, userAgent: string): Promise<WebhookDelivery> {
  const body = JSON.stringify(event)
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': userAgent, 'x-rackhouse-event': event.type }
  if (secret) headers['x-rackhouse-signature'] = 'sha256=' + createHmac('sha256', secret).update(body).digest('hex')
  let last: WebhookDelivery = { url: configuredUrl, ok: false, attempts: 0 }
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    try {
      const response = await fetch(configuredUrl, { method: 'POST', headers, body, signal: AbortSignal.timeout(10_000), redirect: 'manual' })
      await response.arrayBuffer()
      last = { url: configuredUrl, ok: response.ok, status: response.status, attempts: attempt }
      if (response.ok || (response.status < 500 && response.status !== 429)) return last
    } catch (error) {
      last = { url: configuredUrl, ok: false, attempts: attempt, error: (error as Error).message }
    }
    if (attempt < ATTEMPTS) await new Promise((resolve) => setTimeout(resolve, 250 * 2 ** attempt))
  }
  return last
}
