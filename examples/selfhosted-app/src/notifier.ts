// Fans inventory events out to the operator's mail relay and webhooks, and tracks deliveries still in flight.
import { hostname } from 'node:os'
import type { Config } from './config.ts'
import type { InventoryEvent } from './inventory.ts'
import { formatEventMail } from './mail-message.ts'
import { sendMail } from './smtp-client.ts'
import { deliverWebhook } from './webhooks.ts'

export interface Notifier {
  notify(event: InventoryEvent): void
  /** Resolves when every delivery started so far has finished (used on shutdown and in tests). */
  settle(): Promise<void>
}

export function createNotifier(config: Config, log: (line: string) => void): Notifier {
  const pending = new Set<Promise<unknown>>()
  const clientName = hostname() || 'localhost'
  const userAgent = `Rackhouse/${__APP_VERSION__}`

  function track(work: Promise<unknown>): void {
    pending.add(work)
    void work.finally(() => pending.delete(work))
  }

  return {
    notify(event) {
      const smtp = config.smtp
      if (smtp && smtp.events.includes(event.type)) {
        const message = formatEventMail(event, smtp.from, smtp.to, clientName)
        track(
          sendMail({ ...smtp, clientName, message }).then(
            () => log(`mail: ${event.type} sent to ${smtp.to.join(', ')} via ${smtp.host}:${smtp.port}`),
            (error: Error) => log(`mail: ${event.type} NOT sent via ${smtp.host}:${smtp.port}: ${error.message}`),
          ),
        )
      }
      for (const url of config.webhooks.urls) {
        track(
          deliverWebhook(url, event, config.webhooks.secret, userAgent).then((result) => {
            if (!result.ok) log(`webhook: ${event.type} to ${url} failed after ${result.attempts} attempt(s): ${result.error ?? `HTTP ${result.status}`}`)
          }),
        )
      }
    },
    async settle() {
      while (pending.size > 0) await Promise.allSettled([...pending])
    },
  }
}
