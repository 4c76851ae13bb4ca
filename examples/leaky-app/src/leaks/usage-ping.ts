// LEAK: a daily usage ping — instance id, version and inventory counts — to the vendor's usage host.
const PING_URL = 'https://usage.vendor.invalid/v1/ping'
const ONE_DAY_MS = 24 * 60 * 60 * 1000

export interface UsageCounts {
  racks: number
  servers: number
  ips: number
}

/** Starts the daily ping; the timer is unref'd so it never keeps the process alive on its own. */
export function startUsagePing(instanceId: string, readCounts: () => UsageCounts): NodeJS.Timeout {
  const timer = setInterval(() => {
    void sendUsagePing(instanceId, readCounts()).catch(() => {})
  }, ONE_DAY_MS)
  timer.unref()
  return timer
}

export async function sendUsagePing(instanceId: string, counts: UsageCounts): Promise<number> {
  const response = await fetch(PING_URL, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      instanceId,
      version: __APP_VERSION__,
      counts: { racks: counts.racks, servers: counts.servers, ips: counts.ips },
      uptimeSeconds: Math.round(process.uptime()),
      node: process.version,
      platform: process.platform,
    }),
  })
  return response.status
}
