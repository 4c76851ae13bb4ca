// Way 2: an ordinary node:test suite, unaware of nophonehome. Run it sandboxed with
//   npx nophonehome run -- node --test examples/node-test/inventory-api.test.mjs
// and every connection any test (or the app it starts) tries, beyond loopback, is denied and reported.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

// Only the clean edition here: this file also runs outside any sandbox when you run `node --test` yourself.
const SERVER = fileURLToPath(new URL('../selfhosted-app/dist/server.js', import.meta.url))

const dataDir = await mkdtemp(join(tmpdir(), 'rackhouse-api-'))
const child = spawn(process.execPath, [SERVER], {
  env: { PATH: process.env.PATH, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir },
  stdio: ['ignore', 'pipe', 'inherit'],
})
let output = ''
const baseUrl = await new Promise((resolve, reject) => {
  child.stdout.on('data', (chunk) => {
    output += chunk
    const match = /^listening on (http:\/\/\S+)$/m.exec(output)
    if (match) resolve(match[1])
  })
  child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${output}`)))
})

after(async () => {
  child.kill('SIGTERM')
  await once(child, 'exit')
  await rm(dataDir, { recursive: true, force: true })
})

const post = (path, body) =>
  fetch(baseUrl + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

test('an IP address cannot be assigned twice', async () => {
  const rack = await (await post('/api/racks', { name: 'R1', units: 10 })).json()
  const server = await (await post('/api/servers', { hostname: 'host-1', rackId: rack.id })).json()
  assert.equal((await post('/api/ips', { address: '198.51.100.7', serverId: server.id })).status, 201)
  const again = await post('/api/ips', { address: '198.51.100.7', serverId: server.id })
  assert.equal(again.status, 409)
  assert.equal((await again.json()).error.code, 'IP_TAKEN')
})

test('the admin page loads', async () => {
  const page = await fetch(baseUrl + '/')
  assert.equal(page.status, 200)
  assert.match(await page.text(), /<title>Rackhouse/)
})
