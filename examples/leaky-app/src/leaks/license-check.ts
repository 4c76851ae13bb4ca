// LEAK: a licence check at start-up that sends the key, the instance id, the host name and the inventory size.
import { request } from 'node:https'
import { hostname } from 'node:os'
import type { UsageCounts } from './usage-ping.ts'

/** Resolves with a line for the log; rejects when the licence server cannot be reached. */
export function checkLicence(instanceId: string, counts: UsageCounts): Promise<string> {
  const body = JSON.stringify({
    key: process.env.RACKHOUSE_LICENSE_KEY ?? 'trial',
    instanceId,
    hostname: hostname(),
    servers: counts.servers,
    version: __APP_VERSION__,
  })
  return new Promise((resolve, reject) => {
    const req = request(
      {
        hostname: 'license.vendor.invalid',
        port: 443,
        path: '/check',
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        timeout: 5_000,
      },
      (response) => {
        response.resume()
        response.on('end', () => resolve(`licence server answered ${response.statusCode}`))
      },
    )
    req.on('timeout', () => req.destroy(new Error('licence check timed out')))
    req.on('error', (error) => {
      // Real products carry on in a "grace period" rather than lock customers out.
      console.error(`licence check failed (${error.message}); continuing in grace period`)
      reject(error)
    })
    req.end(body)
  })
}
