// `nophonehome/test`: startSandbox + assertNoPhoneHome fail a test for an app that phones home and pass a clean one.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ROOT, importDist } from '../helpers/index.mjs'

const sandboxAvailable = spawnSync('unshare', ['-rn', 'true']).status === 0
const skip = !sandboxAvailable && 'network namespaces unavailable here'
const { startSandbox, assertNoPhoneHome } = await importDist('test.js')
const tmp = mkdtempSync(join(tmpdir(), 'nph-helper-'))
test.after(() => rmSync(tmp, { recursive: true, force: true }))

// Each app runs only inside the sandbox: its attempts land on the sandbox's stub and sinks.
const APP = `
const http = require('node:http')
const server = http.createServer((req, res) => {
  if (req.url === '/ping' && process.env.LEAK === '1') fetch('https://usage.vendor.invalid/v1/ping?instance=42').catch(() => {})
  res.end('ok')
})
server.listen(0, '127.0.0.1', () => console.log('listening on ' + server.address().port))
`
writeFileSync(join(tmp, 'app.cjs'), APP)

test('assertNoPhoneHome throws an AssertionError naming destination, API and code for an app that phones home', { skip }, async () => {
  const app = await startSandbox({ command: process.execPath, args: ['app.cjs'], cwd: tmp, env: { LEAK: '1' }, ready: /listening on \d+/ })
  let result
  try {
    const r = await app.fetch('/ping')
    assert.equal(await r.text(), 'ok')
    await new Promise((resolve) => setTimeout(resolve, 500))
  } finally {
    result = await app.stop()
  }
  assert.throws(() => assertNoPhoneHome(result), (err) => {
    assert.equal(err.name, 'AssertionError')
    assert.match(err.message, /tried to reach 1 destination/)
    assert.match(err.message, /usage\.vendor\.invalid/)
    assert.match(err.message, /via fetch/)
    assert.match(err.message, /at .*app\.cjs:4/)
    return true
  })
})

test('assertNoPhoneHome passes for a clean app driven through the bridge, and await using cleans up', { skip }, async () => {
  let result
  {
    const app = await startSandbox({ command: process.execPath, args: ['app.cjs'], cwd: tmp, env: { LEAK: '0' }, ready: /listening on \d+/ })
    try {
      for (let i = 0; i < 3; i++) assert.equal(await (await app.fetch('/ping')).text(), 'ok')
    } finally {
      await app[Symbol.asyncDispose]()
      result = await app.stop()
    }
  }
  assertNoPhoneHome(result)
  assert.equal(result.report.verdict, 'pass')
})

test('a policy that allows the destination keeps it out of the assertion', { skip }, async () => {
  const app = await startSandbox({
    command: process.execPath, args: ['app.cjs'], cwd: tmp, env: { LEAK: '1' }, ready: /listening on \d+/,
    policy: { version: 1, allow: [{ host: 'usage.vendor.invalid', reason: 'test double for the customer-configured collector' }] },
  })
  try {
    await app.fetch('/ping')
    await new Promise((resolve) => setTimeout(resolve, 500))
  } finally {
    const result = await app.stop()
    assertNoPhoneHome(result)
    assert.ok(result.report.findings.every((f) => f.status === 'allowed' || f.severity !== 'violation'))
  }
})

test('browse() opens the admin page in Chromium inside the sandbox and fails on its third parties', { skip: skip || (!existsSync('/usr/bin/chromium') && 'chromium not installed'), timeout: 90_000 }, async () => {
  const { buildExample } = await import(join(ROOT, 'examples/build.mjs'))
  const out = join(tmp, 'built')
  await buildExample('leaky-app', { outRoot: out })
  const app = await startSandbox({ command: process.execPath, args: ['dist/server.js'], cwd: join(out, 'leaky-app'), env: { PORT: '0', DATA_DIR: join(tmp, 'data') }, ready: /listening on/ })
  let result
  try {
    const found = await app.browse(['/'], { crawl: 0 })
    const hosts = found.map((f) => f.destination.host).sort()
    for (const h of ['analytics.vendor.invalid', 'avatars.vendor.invalid', 'chat.vendor.invalid', 'fonts.vendor-cdn.invalid']) assert.ok(hosts.includes(h), `${h} in ${hosts}`)
  } finally {
    result = await app.stop()
  }
  assert.throws(() => assertNoPhoneHome(result), /analytics\.vendor\.invalid/)
})

test('the shipped node:test example passes on the clean app and fails on the leaky one', { skip, timeout: 120_000 }, async () => {
  const { buildExample } = await import(join(ROOT, 'examples/build.mjs'))
  await buildExample('selfhosted-app')
  await buildExample('leaky-app')
  const runExample = (app) => new Promise((resolve) => {
    // Run it as a user would: a top-level `node --test`, not as a child of this test runner.
    const env = { ...process.env, RACKHOUSE_APP: app }
    delete env.NODE_TEST_CONTEXT
    const child = spawn(process.execPath, ['--test', join(ROOT, 'examples/node-test/no-phone-home.test.mjs')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (out += d))
    child.on('close', (code) => resolve({ code, out }))
  })
  const clean = await runExample('selfhosted-app')
  assert.equal(clean.code, 0, clean.out)
  const leaky = await runExample('leaky-app')
  assert.equal(leaky.code, 1)
  assert.match(leaky.out, /updates\.vendor\.invalid|license\.vendor\.invalid/)
})
