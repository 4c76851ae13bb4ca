// The programmatic sandbox API (startSandbox): bridge URL, events, guard attribution, asyncDispose.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fixture, importDist } from '../helpers/index.mjs'

const { startSandbox } = await importDist('internal.js')

test('serves the app through a local URL and attributes a dependency\'s egress to package@version', async (t) => {
  // node_modules folders are git-ignored: assemble the app with its dependency in a temp dir.
  const app = mkdtempSync(join(tmpdir(), 'nph-attributed-'))
  t.after(() => rmSync(app, { recursive: true, force: true }))
  cpSync(fixture('runtime', 'attributed', 'app.cjs'), join(app, 'app.cjs'))
  cpSync(fixture('runtime', 'attributed', 'tele-sdk'), join(app, 'node_modules', 'tele-sdk'), { recursive: true })
  const sandbox = await startSandbox({
    command: [process.execPath, 'app.cjs'],
    cwd: app,
    guard: fixture('runtime', 'fake-guard.cjs'),
    port: 5000,
  })
  try {
    assert.equal(sandbox.isolated, true)
    assert.match(sandbox.url, /^http:\/\/127\.0\.0\.1:\d+$/)
    await sandbox.waitForPort(5000)
    const body = await fetch(`${sandbox.url}/through-bridge`).then((r) => r.text())
    assert.equal(body, 'hi /through-bridge')
    await sandbox.waitForOutput(/up/)
  } finally {
    const result = await sandbox.stop()
    const f = result.findings.find((x) => x.destination?.host === 'collector.tele-sdk.invalid')
    assert.ok(f, JSON.stringify(result.findings, null, 2))
    assert.equal(f.package, 'tele-sdk@2.3.4')
    assert.equal(f.location.file, 'node_modules/tele-sdk/index.js')
    assert.equal(f.location.line, 4)
    assert.deepEqual(f.evidence.layers, ['dns', 'guard', 'sink', 'syscall'])
    assert.equal(f.evidence.attribution, 'node_modules/tele-sdk/index.js:4')
    assert.equal(f.evidence.sent, 'otlp')
    assert.equal(result.layers.guard, true)
    // The bridge request itself is loopback traffic to the app: not egress.
    assert.equal(result.findings.length, 1, JSON.stringify(result.findings, null, 2))
  }
})

test('disposes with await using semantics: stop() runs and the command ends', async () => {
  let sandbox
  {
    sandbox = await startSandbox({ command: [process.execPath, '-e', 'setInterval(() => {}, 1000)'], guard: false })
    await sandbox[Symbol.asyncDispose]()
  }
  const exit = await sandbox.exited
  assert.ok(exit.signal === 'SIGTERM' || exit.code !== undefined, JSON.stringify(exit))
  const again = await sandbox.stop()
  assert.equal(again.layers.namespace, true)
})

test('answers allowed names with their test address and keeps them out of the findings', async () => {
  const sandbox = await startSandbox({
    command: ['sh', '-c', 'getent hosts smtp.allowed.test; getent hosts other.invalid'],
    dnsAnswers: { 'smtp.allowed.test': '192.0.2.25' },
    allow: ['smtp.allowed.test'],
    guard: false,
  })
  await sandbox.exited
  const result = await sandbox.stop()
  assert.match(sandbox.output().stdout, /192\.0\.2\.25\s+smtp\.allowed\.test/)
  assert.deepEqual(result.findings.map((f) => f.destination.host), ['other.invalid'])
  assert.ok(result.events.some((e) => e.layer === 'dns' && e.name === 'smtp.allowed.test'), 'the lookup is still recorded')
})

/** Polls `done` (another process's exit gives this process no event) until it holds or `ms` pass. */
async function eventually(done, ms) {
  const end = Date.now() + ms
  while (!done()) {
    if (Date.now() > end) return false
    await new Promise((r) => setTimeout(r, 10))
  }
  return true
}

for (const strace of [undefined, false]) {
  test(`ends by itself once the command and all it started have ended; stop() still reports what happened (strace ${strace === false ? 'off' : 'on'})`, async (t) => {
    const sandbox = await startSandbox({ command: ['sh', '-c', 'getent hosts ended.invalid; exit 3'], guard: false, strace })
    t.after(() => sandbox.stop())
    const supervisor = sandbox.namespacePid()
    assert.ok(supervisor)
    assert.equal((await sandbox.exited).code, 3)
    assert.ok(await eventually(() => !existsSync(`/proc/${supervisor}`), 10_000), 'the sandbox ended without being stopped')
    const result = await sandbox.stop()
    assert.equal(result.exit.code, 3)
    assert.deepEqual(result.findings.map((f) => f.destination.host), ['ended.invalid'])
  })
}

test('stays up while a process the command left behind runs, until stop()', async (t) => {
  const sandbox = await startSandbox({ command: ['sh', '-c', 'sleep 30 & exit 0'], guard: false })
  t.after(() => sandbox.stop())
  const supervisor = sandbox.namespacePid()
  assert.equal((await sandbox.exited).code, 0)
  assert.equal(await eventually(() => !existsSync(`/proc/${supervisor}`), 500), false, 'still watching the daemon')
  await sandbox.stop()
  assert.equal(existsSync(`/proc/${supervisor}`), false)
})
