// Way 1: a dedicated node:test that starts the release inside the nophonehome sandbox, drives it, and asserts silence.
// Copy this file into your product's test folder and change APP_DIR, the env and the requests.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startSandbox, assertNoPhoneHome } from 'nophonehome/test'

// The built release to check. RACKHOUSE_APP=leaky-app shows what a failure looks like; it is safe
// because startSandbox runs the app in a network namespace where nothing can leave.
const APP = process.env.RACKHOUSE_APP ?? 'selfhosted-app'
const APP_DIR = fileURLToPath(new URL(`../${APP}/`, import.meta.url))

test('the inventory phones no one home while it is used', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'rackhouse-sandbox-'))
  const app = await startSandbox({
    command: process.execPath,
    args: ['dist/server.js'],
    cwd: APP_DIR,
    // Configured destinations are the customer's own; here they point at reserved test names.
    env: { PORT: '0', DATA_DIR: dataDir, INVENTORY_WEBHOOK_URLS: 'https://hooks.customer.test/rackhouse' },
    // The app prints this line once it accepts connections.
    ready: /listening on http:\/\/127\.0\.0\.1:\d+/,
    // The webhook target is the customer's own, configured above: allowed, so not a finding.
    policy: { version: 1, allow: [{ host: 'hooks.customer.test', reason: 'customer-configured webhook receiver (a test double here)' }] },
    // Fast-forward timers (100 000×: a day passes in under a second) so daily phone-home timers fire.
    timeWarp: 100_000,
  })
  // On Node 24+ you can write `await using app = await startSandbox(...)` and drop the try/finally.
  try {
    // app.fetch reaches the app through the sandbox's bridge; nothing else gets in or out.
    const rack = await app.fetch('/api/racks', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'A-01', units: 42 }),
    })
    assert.equal(rack.status, 201)
    const { id } = await rack.json()
    const server = await app.fetch('/api/servers', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ hostname: 'web-01', rackId: id }),
    })
    assert.equal(server.status, 201)
    const page = await app.fetch('/')
    assert.equal(page.status, 200)
  } finally {
    const result = await app.stop()
    await rm(dataDir, { recursive: true, force: true })
    // Throws an AssertionError listing every attempt: destination, API and the code that made it.
    // hooks.customer.test is allowed by the policy above, so only unconfigured destinations are listed.
    assertNoPhoneHome(result)
  }
})
