// The self-hosted example app, built and run for real: API rules, admin page, disk storage, mail and webhooks.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildInTemp, call, decodeMailBody, startBuiltServer, startFakeSmtp, startWebhookReceiver } from './rackhouse-helpers.mjs'

let built, app, smtp, hooks, dataDir, workDir
const SECRET = 'test-webhook-secret'

before(async () => {
  built = await buildInTemp('selfhosted-app')
  smtp = await startFakeSmtp()
  hooks = await startWebhookReceiver()
  workDir = mkdtempSync(join(tmpdir(), 'nph-rackhouse-run-'))
  dataDir = join(workDir, 'data')
  app = await startBuiltServer(join(built.distDir, 'server.js'), {
    cwd: workDir,
    env: {
      DATA_DIR: dataDir,
      INVENTORY_SMTP_HOST: '127.0.0.1',
      INVENTORY_SMTP_PORT: String(smtp.port),
      INVENTORY_SMTP_SECURITY: 'none',
      INVENTORY_SMTP_USER: 'rackhouse',
      INVENTORY_SMTP_PASSWORD: 's3cret',
      INVENTORY_MAIL_FROM: 'rackhouse@example.test',
      INVENTORY_MAIL_TO: 'noc@example.test, oncall@example.test',
      INVENTORY_WEBHOOK_URLS: hooks.url,
      INVENTORY_WEBHOOK_SECRET: SECRET,
    },
  })
})

after(async () => {
  await app?.stop()
  await smtp?.close()
  await hooks?.close()
  if (built) rmSync(built.outRoot, { recursive: true, force: true })
  if (workDir) rmSync(workDir, { recursive: true, force: true })
})

/** Every change is delivered; earlier tests' deliveries are skipped until one matches. */
async function nextHook(type, matches = () => true) {
  for (;;) {
    const delivery = await hooks.next()
    const event = JSON.parse(delivery.body)
    if (event.type === type && matches(event)) return delivery
  }
}

test('prints the real port when PORT=0 and answers on loopback', async () => {
  assert.match(app.url, /^http:\/\/127\.0\.0\.1:\d+$/)
  assert.notEqual(app.url, 'http://127.0.0.1:0')
  const health = await call(app.url, 'GET', '/api/health')
  assert.equal(health.status, 200)
  assert.deepEqual(health.body, { ok: true, version: '1.4.2' })
})

test('creates a rack, mounts a server, assigns an IP and refuses the same IP twice', async () => {
  const rack = await call(app.url, 'POST', '/api/racks', { name: 'A-01', location: 'Hall 2', units: 4 })
  assert.equal(rack.status, 201)
  const server = await call(app.url, 'POST', '/api/servers', { hostname: 'db-01', rackId: rack.body.id, height: 2 })
  assert.equal(server.status, 201)
  assert.equal(server.body.position, 1)

  const ip = await call(app.url, 'POST', '/api/ips', { address: '2001:DB8:0:0::10', serverId: server.body.id })
  assert.equal(ip.status, 201)
  assert.equal(ip.body.address, '2001:db8::10')

  // The same address written differently is still the same address.
  const duplicate = await call(app.url, 'POST', '/api/ips', { address: '2001:db8::10', serverId: server.body.id })
  assert.equal(duplicate.status, 409)
  assert.equal(duplicate.body.error.code, 'IP_TAKEN')
  assert.equal(duplicate.body.error.field, 'address')

  const invalid = await call(app.url, 'POST', '/api/ips', { address: '192.0.2.300', serverId: server.body.id })
  assert.equal(invalid.status, 400)
  assert.equal(invalid.body.error.code, 'INVALID_ADDRESS')

  const servers = await call(app.url, 'GET', '/api/servers')
  assert.deepEqual(servers.body.find((s) => s.hostname === 'db-01').ips, ['2001:db8::10'])
})

test('refuses a server that does not fit its rack or overlaps another one', async () => {
  const rack = await call(app.url, 'POST', '/api/racks', { name: 'B-01', units: 3 })
  const first = await call(app.url, 'POST', '/api/servers', { hostname: 'app-01', rackId: rack.body.id, position: 2, height: 1 })
  assert.equal(first.status, 201)
  const overlap = await call(app.url, 'POST', '/api/servers', { hostname: 'app-02', rackId: rack.body.id, position: 1, height: 2 })
  assert.equal(overlap.status, 409)
  assert.equal(overlap.body.error.code, 'SLOT_TAKEN')
  const tooTall = await call(app.url, 'POST', '/api/servers', { hostname: 'app-03', rackId: rack.body.id, position: 3, height: 2 })
  assert.equal(tooTall.status, 409)
  assert.equal(tooTall.body.error.code, 'OUT_OF_RACK')
  const unknownRack = await call(app.url, 'POST', '/api/servers', { hostname: 'app-04', rackId: 'no-such-rack' })
  assert.equal(unknownRack.status, 404)
  const notEmpty = await call(app.url, 'DELETE', `/api/racks/${rack.body.id}`)
  assert.equal(notEmpty.status, 409)
  assert.equal(notEmpty.body.error.code, 'RACK_NOT_EMPTY')
})

test('delivers a signed webhook to the configured URL for each change', async () => {
  const rack = await call(app.url, 'POST', '/api/racks', { name: 'C-01', units: 10 })
  const delivery = await nextHook('rack.created', (event) => event.data.rack.name === 'C-01')
  assert.equal(delivery.method, 'POST')
  assert.equal(delivery.url, '/hooks/rackhouse')
  assert.equal(delivery.headers['content-type'], 'application/json')
  assert.equal(delivery.headers['x-rackhouse-event'], 'rack.created')
  const expected = 'sha256=' + createHmac('sha256', SECRET).update(delivery.body).digest('hex')
  assert.equal(delivery.headers['x-rackhouse-signature'], expected)
  const event = JSON.parse(delivery.body)
  assert.equal(event.data.rack.id, rack.body.id)
  assert.equal(event.data.rack.name, 'C-01')
})

test('mails the configured relay, with AUTH PLAIN, when a rack becomes full', async () => {
  const rack = await call(app.url, 'POST', '/api/racks', { name: 'D-01', units: 2 })
  const server = await call(app.url, 'POST', '/api/servers', { hostname: 'full-01', rackId: rack.body.id, height: 2 })
  assert.equal(server.status, 201)
  const mail = await smtp.next()
  assert.deepEqual(mail.auth, { user: 'rackhouse', password: 's3cret' })
  assert.equal(mail.from, 'rackhouse@example.test')
  assert.deepEqual(mail.to, ['noc@example.test', 'oncall@example.test'])
  assert.match(mail.data, /^Subject: \[Rackhouse\] Rack D-01 is full\r$/m)
  assert.match(decodeMailBody(mail.data), /Event: rack\.full/)
  const full = await call(app.url, 'POST', '/api/servers', { hostname: 'full-02', rackId: rack.body.id })
  assert.equal(full.status, 409)
  assert.equal(full.body.error.code, 'RACK_FULL')
})

test('the test-notification endpoint reaches both the mail relay and the webhook', async () => {
  const queued = await call(app.url, 'POST', '/api/notifications/test')
  assert.equal(queued.status, 202)
  const mail = await smtp.next()
  assert.match(mail.data, /^Subject: \[Rackhouse\] Test notification\r$/m)
  const delivery = await nextHook('notification.test')
  assert.equal(JSON.parse(delivery.body).data.message, 'Notifications from Rackhouse reach you.')
})

test('serves the admin page and its local assets, and nothing from another origin', async () => {
  const page = await call(app.url, 'GET', '/')
  assert.equal(page.status, 200)
  assert.match(page.headers.get('content-type'), /^text\/html/)
  assert.match(page.headers.get('content-security-policy'), /default-src 'self'/)
  const references = [...page.text.matchAll(/\b(?:src|href)="([^"]+)"/g)].map((m) => m[1])
  assert.deepEqual(references.sort(), ['/admin.css', '/admin.js', '/favicon.svg', '/favicon.svg'])
  for (const [path, type] of [['/admin.css', /^text\/css/], ['/admin.js', /^text\/javascript/], ['/favicon.svg', /^image\/svg\+xml/]]) {
    const asset = await call(app.url, 'GET', path)
    assert.equal(asset.status, 200, path)
    assert.match(asset.headers.get('content-type'), type)
  }
  const traversal = await fetch(app.url + '/%2e%2e/package.json')
  assert.equal(traversal.status, 404)
})

test('answers unknown API routes with 404 and wrong methods with 405', async () => {
  assert.equal((await call(app.url, 'GET', '/api/nope')).status, 404)
  const wrong = await call(app.url, 'PUT', '/api/racks')
  assert.equal(wrong.status, 405)
  assert.equal(wrong.headers.get('allow'), 'GET, POST')
  const badJson = await fetch(app.url + '/api/racks', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' })
  assert.equal(badJson.status, 400)
})

test('keeps the inventory in DATA_DIR, written atomically, and reloads it after a restart', async () => {
  const before = await call(app.url, 'GET', '/api/summary')
  assert.equal(await app.stop(), 0)
  assert.deepEqual(readdirSync(dataDir), ['inventory.json'], 'no temporary files are left behind')
  const stored = JSON.parse(readFileSync(join(dataDir, 'inventory.json'), 'utf8'))
  assert.equal(stored.version, 1)
  assert.equal(stored.racks.length, before.body.racks)

  app = await startBuiltServer(join(built.distDir, 'server.js'), { cwd: workDir, env: { DATA_DIR: dataDir } })
  const after = await call(app.url, 'GET', '/api/summary')
  assert.deepEqual(after.body, before.body)
})

test('refuses a bad configuration with exit code 2 and says which setting is wrong', async () => {
  const { spawnSync } = await import('node:child_process')
  const result = spawnSync(process.execPath, [join(built.distDir, 'server.js')], {
    cwd: workDir,
    env: { PATH: process.env.PATH, PORT: '0', INVENTORY_WEBHOOK_URLS: 'ftp://example.test/x' },
    encoding: 'utf8',
  })
  assert.equal(result.status, 2)
  assert.match(result.stderr, /webhooks\.urls: "ftp:\/\/example\.test\/x" must be http: or https:/)
})

test('--self-test drives its own API on loopback with a throw-away data dir and exits 0', async () => {
  const { spawnSync } = await import('node:child_process')
  const result = spawnSync(process.execPath, [join(built.distDir, 'server.js'), '--self-test'], {
    cwd: workDir,
    // Configured destinations are ignored by the self-test: these would fail loudly if used.
    env: { PATH: process.env.PATH, INVENTORY_WEBHOOK_URLS: 'http://127.0.0.1:9/never', DATA_DIR: join(workDir, 'untouched') },
    encoding: 'utf8',
  })
  assert.equal(result.status, 0, result.stdout + result.stderr)
  const report = JSON.parse(/^self-test: ok (.*)$/m.exec(result.stdout)[1])
  assert.deepEqual(report.checks.map((c) => c.name), ['create rack', 'create server', 'assign IP', 'refuse duplicate IP', 'admin page', 'asset /admin.css', 'asset /admin.js', 'start-up hooks'])
  assert.ok(!readdirSync(workDir).includes('untouched'), 'DATA_DIR is not used by the self-test')
})
