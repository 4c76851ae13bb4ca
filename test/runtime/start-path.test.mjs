// The sandbox's start path: the background network setup and its wait, what the supervisor inherits and passes on, strace's options.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DIST, importDist, runCli } from '../helpers/index.mjs'

const { readSetupStatus, waitForNetworkSetup, supervisorEnv, straceArgs, findExecutable } = await importDist('internal.js')

function tempDir(t) {
  const dir = mkdtempSync(join(tmpdir(), 'nph-start-path-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

test('reads the setup status only once it is complete', () => {
  assert.equal(readSetupStatus('0\n'), 0)
  assert.equal(readSetupStatus('127\n'), 127)
  assert.equal(readSetupStatus(''), undefined, 'truncated by the redirect, not written yet')
  assert.equal(readSetupStatus('1'), undefined, 'no newline: still being written')
  assert.equal(readSetupStatus('ok\n'), undefined)
})

test('waits for the background network setup to report success, without polling a fixed interval', async (t) => {
  const dir = tempDir(t)
  const status = join(dir, 'network-0.status')
  let done = false
  const waiting = waitForNetworkSetup(status, 5000).then(() => { done = true })
  // Created empty first (as `echo $? >file` does), then written: only the complete status counts.
  writeFileSync(status, '')
  await new Promise((r) => setTimeout(r, 30))
  assert.equal(done, false)
  const writtenAt = Date.now()
  writeFileSync(status, '0\n')
  await waiting
  assert.equal(done, true)
  assert.ok(Date.now() - writtenAt < 1000, 'noticed through a file event')
})

test('fails with what the setup printed when it did not succeed, and when it never finishes', async (t) => {
  const dir = tempDir(t)
  const status = join(dir, 'network-0.status')
  writeFileSync(`${status}.err`, 'sh: 3: ip: not found\n')
  setTimeout(() => writeFileSync(status, '127\n'), 20)
  await assert.rejects(waitForNetworkSetup(status, 5000), /^Error: network setup failed: sh: 3: ip: not found$/)
  await assert.rejects(waitForNetworkSetup(join(dir, 'never.status'), 100), /network setup did not finish within 100 ms/)
})

test('boots the supervisor without the host\'s NODE_OPTIONS, CA bundle, IPC channel or cluster role, keeping the rest', () => {
  const env = supervisorEnv({
    PATH: '/usr/bin', HOME: '/root', NODE_OPTIONS: '--require /x.cjs', NODE_EXTRA_CA_CERTS: '/etc/ssl/certs/ca-certificates.crt',
    NODE_CHANNEL_FD: '7', NODE_CHANNEL_SERIALIZATION_MODE: 'json', NODE_UNIQUE_ID: '1',
  })
  assert.deepEqual(env, { PATH: '/usr/bin', HOME: '/root', NODE_OPTIONS: '' })
})

test('traces the syscalls the OS layer needs plus each new thread\'s first syscall', () => {
  const args = straceArgs('/tmp/x.log')
  assert.ok(args.includes('-f') && args.includes('--seccomp-bpf'))
  const traced = args.find((a) => a.startsWith('trace=')).slice('trace='.length).split(',')
  for (const call of ['connect', 'sendto', 'sendmsg', 'sendmmsg', 'execve']) assert.ok(traced.includes(call), call)
  // Without them strace steps every thread that never makes a traced call through all its syscalls.
  assert.ok(traced.includes('?rseq') && traced.includes('?set_robust_list'))
})

/**
 * Starts a sandbox from a process that inherited an open descriptor without close-on-exec, as from a CI harness
 * (bash: fd 50 — Node itself marks the lowest inherited descriptors close-on-exec at start-up, not higher ones);
 * returns that descriptor's target and the app's descriptors.
 */
function runWithInheritedDescriptor(t, strace) {
  const dir = tempDir(t)
  const secret = join(dir, 'harness-channel')
  writeFileSync(secret, '')
  const host = `
    import { readlinkSync, readFileSync } from 'node:fs'
    const { startSandbox } = await import(${JSON.stringify(new URL(`file://${join(DIST, 'internal.js')}`).href)})
    const flags = /flags:\\s*(\\d+)/.exec(readFileSync('/proc/self/fdinfo/50', 'utf8'))[1]
    const inherited = { target: readlinkSync('/proc/self/fd/50'), cloexec: (parseInt(flags, 8) & 0o2000000) !== 0 }
    const app = "const fs = require('fs'); console.log(JSON.stringify(fs.readdirSync('/proc/self/fd').map((fd) => { try { return fd + ' ' + fs.readlinkSync('/proc/self/fd/' + fd) } catch { return fd } })))"
    const sandbox = await startSandbox({ command: [process.execPath, '-e', app], guard: false, strace: ${strace ? 'undefined' : 'false'} })
    await sandbox.exited
    const result = await sandbox.stop()
    console.log(JSON.stringify({ inherited, app: JSON.parse(sandbox.output().stdout), exit: result.exit }))
  `
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', 'exec "$@" 50<"$0"', secret, process.execPath, '--input-type=module', '-e', host], { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (err += d))
    child.on('error', reject)
    child.on('close', (code) => {
      try { resolve({ secret, ...JSON.parse(out) }) } catch { reject(new Error(`exit ${code}: ${out}\n${err}`)) }
    })
  })
}

for (const strace of [true, false]) {
  const skip = !findExecutable('bash') ? 'bash is not installed' : strace && !findExecutable('strace') ? 'strace is not installed' : false
  test(`passes none of the descriptors nophonehome inherited on to the app (strace ${strace ? 'on' : 'off'})`, { skip }, async (t) => {
    const { secret, inherited, app, exit } = await runWithInheritedDescriptor(t, strace)
    assert.equal(exit.code, 0)
    assert.deepEqual(inherited, { target: secret, cloexec: false }, 'the host really inherited it')
    assert.ok(!app.some((line) => line.endsWith(` ${secret}`)), `it reached the app: ${app.join(', ')}`)
    assert.ok(app.some((line) => line.startsWith('0 ')) && app.some((line) => line.startsWith('1 ')), 'stdio is still there')
  })
}

test('refuses to start the command when the network setup fails (fail closed)', async (t) => {
  const dir = tempDir(t)
  // A PATH with everything the sandbox runs but `ip`: the setup's first step fails.
  const bin = join(dir, 'bin')
  const marker = join(dir, 'ran')
  mkdirSync(bin)
  for (const tool of ['sh', 'unshare', 'mount', 'env', 'sleep']) symlinkSync(findExecutable(tool), join(bin, tool))
  const { code, stdout, stderr } = await runCli(
    ['run', '--', process.execPath, '-e', `require('fs').writeFileSync(${JSON.stringify(marker)}, '')`],
    { env: { PATH: bin } },
  )
  assert.equal(code, 2, stderr)
  assert.equal(stdout, '')
  assert.match(stderr, /network setup failed: .*ip.*not found/)
  assert.equal(existsSync(marker), false, 'the command never ran')
})

test('leaves the supervisor asleep while the app runs quietly (no polling loop on the hot path)', { skip: !findExecutable('strace') && 'strace is not installed' }, async (t) => {
  const { startSandbox } = await importDist('internal.js')
  const sandbox = await startSandbox({ command: [process.execPath, '-e', 'setTimeout(() => {}, 30_000)'], guard: false })
  t.after(() => sandbox.stop())
  const supervisor = sandbox.namespacePid()
  const wakeups = () => Number(/voluntary_ctxt_switches:\s*(\d+)/.exec(readFileSync(`/proc/${supervisor}/status`, 'utf8'))[1])
  // Past the start (the command's execve is in strace's log by then).
  await new Promise((r) => setTimeout(r, 500))
  const before = wakeups()
  await new Promise((r) => setTimeout(r, 1000))
  const perSecond = wakeups() - before
  // A 10 ms polling loop wakes it about 100 times a second.
  assert.ok(perSecond < 30, `${perSecond} wake-ups in a second`)
})
