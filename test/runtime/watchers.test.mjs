// Whatever still happens to what watches the app makes the run incomplete, with what was lost and when: the tracer
// killed or stopped, the app's PID 1 killed, a signal the supervisor did not expect, the network set-up changed, the
// syscall log cut short or replaced, its file system filled, the sinks flooded, the resolver swapped. Faults the app
// cannot cause any more are made from this (trusted) test process, as a crash or another host process could.
// Each runs with a Node app (a different Node major each time) and a shell app. Apps run only inside the sandbox.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync, spawnSync } from 'node:child_process'
import { createSocket } from 'node:dgram'
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { CLI, fixture, importDist } from '../helpers/index.mjs'
import { nodeBinaries } from './guard/run-guarded.mjs'
import { runWith } from './helpers.mjs'

const { startSandbox, findExecutable, privateRoot, startDnsStub } = await importDist('internal.js')
const app = (name) => fixture('runtime-watchers', name)
const NODES = nodeBinaries().filter((n) => n.bin)
const HAS_BASH = !!findExecutable('bash')
let turn = 0
/** A Node major per test, in turn, so that every one in test/nodes runs some of them. */
const nextNode = () => NODES[turn++ % NODES.length]

/** Apps that wait for `trigger` to exist, then look a name up and connect somewhere: bystanders to the tampering. */
function bystander(kind, trigger, node) {
  if (kind === 'node') {
    const code = `const fs = require('fs'); (function wait() { if (!fs.existsSync(${JSON.stringify(trigger)})) return setTimeout(wait, 20);
      require('dns').lookup('after-tamper.invalid', () => require('net').connect(7201, '192.0.2.20').on('error', () => {}).on('close', () => process.exit(0)).on('connect', function () { this.end('x') })) })()`
    return [node.bin, '-e', code]
  }
  return ['bash', '-c', `while [ ! -e ${JSON.stringify(trigger)} ]; do sleep 0.02; done; getent hosts after-tamper-sh.invalid; (exec 3<>/dev/tcp/192.0.2.21/7202) 2>/dev/null; exit 0`]
}

const children = (pid) => { try { return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number) } catch { return [] } }
const exe = (pid) => { try { return basename(readlinkSync(`/proc/${pid}/exe`)) } catch { return '' } }

/** The sandbox's processes, seen from the host: supervisor, strace, A (unshare), B (the app's PID 1), and the private run directory. */
function processesOf(sandbox) {
  const supervisor = sandbox.namespacePid()
  const strace = children(supervisor).find((p) => exe(p) === 'strace')
  const starter = strace && children(strace).find((p) => exe(p) === 'unshare')
  const reaper = starter && children(starter)[0]
  const config = readFileSync(`/proc/${supervisor}/cmdline`, 'utf8').split('\0')[2]
  return { supervisor, strace, starter, reaper, runDir: dirname(config) }
}

/** Starts a bystander, lets it run, tampers, triggers it, and returns what stop() reported. */
async function tamperWith(t, kind, tamper, { after = 300 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'nph-watchers-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  const trigger = join(dir, 'go')
  const sandbox = await startSandbox({ command: bystander(kind, trigger, nextNode()), guard: false })
  t.after(() => sandbox.stop())
  // Past the start: the reaper runs (not the mount before it) and the app it started runs (past env).
  const cmdline = (pid) => { try { return readFileSync(`/proc/${pid}/cmdline`, 'utf8') } catch { return '' } }
  await waitFor(() => { const p = processesOf(sandbox); return p.reaper && cmdline(p.reaper).includes('nophonehome-reaper') && children(p.reaper).some((c) => ['node', 'bash'].includes(exe(c))) }, 10_000)
  const procs = processesOf(sandbox)
  await tamper(procs, sandbox)
  await new Promise((r) => setTimeout(r, after))
  writeFileSync(trigger, '')
  await Promise.race([sandbox.exited, new Promise((r) => setTimeout(r, 5000))])
  return { result: await sandbox.stop(), procs }
}

async function waitFor(done, ms) {
  const end = Date.now() + ms
  while (!done()) {
    if (Date.now() > end) throw new Error('timed out waiting for the sandbox')
    await new Promise((r) => setTimeout(r, 20))
  }
}

/** `degraded` names what was lost and when (an ISO time and how far into the run). */
function assertLost(result, pattern) {
  const line = result.degraded.find((d) => pattern.test(d))
  assert.ok(line, `no degraded reason matching ${pattern}: ${JSON.stringify(result.degraded)}`)
  assert.match(line, /at \d{4}-\d\d-\d\dT[\d:.]+Z, \d+\.\d s into the run/)
  return line
}

const KINDS = [['node', false], ['shell', !HAS_BASH && 'bash is not installed']]

for (const [kind, skip] of KINDS) {
  test(`${kind} app: the tracer killed while the app runs makes the run incomplete, and the app's traced calls fail`, { skip }, async (t) => {
    const { result } = await tamperWith(t, kind, (p) => process.kill(p.strace, 'SIGKILL'))
    assertLost(result, /syscall tracer \(strace\) ended \(killed by SIGKILL\) while the app ran/)
    // Without its tracer, every call strace's seccomp filter hands to it fails (ENOSYS): no lookup, no connect.
    assert.ok(!result.findings.some((f) => /^after-tamper(-sh)?\.invalid$/.test(f.destination.host)), JSON.stringify(result.findings.map((f) => f.destination)))
    assert.ok(result.exit.code !== 0 || result.exit.signal, `the app could not carry on normally: ${JSON.stringify(result.exit)}`)
  })

  test(`${kind} app: the tracer stopped for a while makes the run incomplete`, { skip }, async (t) => {
    const { result } = await tamperWith(t, kind, async (p) => {
      process.kill(p.strace, 'SIGSTOP')
      // Three times the supervisor's polling interval.
      await new Promise((r) => setTimeout(r, 1500))
      process.kill(p.strace, 'SIGCONT')
    })
    assertLost(result, /syscall tracer \(strace\) was stopped/)
  })

  test(`${kind} app: the app's PID 1 killed (and every app process with it) makes the run incomplete`, { skip }, async (t) => {
    const { result } = await tamperWith(t, kind, (p) => process.kill(p.reaper, 'SIGKILL'))
    assertLost(result, /app's PID 1 \(nophonehome's reaper\) ended \(killed by SIGKILL\) before the sandbox was stopped/)
    assert.equal(result.exit.signal, 'SIGKILL', 'the command did not finish: it was killed with its namespace')
  })

  test(`${kind} app: a signal the supervisor did not expect makes the run incomplete, and SIGUSR1 opens no inspector`, { skip }, async (t) => {
    const { result, procs } = await tamperWith(t, kind, async (p) => {
      process.kill(p.supervisor, 'SIGUSR1')
      process.kill(p.supervisor, 'SIGUSR2')
      await new Promise((r) => setTimeout(r, 300))
      // Node's inspector would listen on 9229 (0x2405) inside the sandbox's network namespace.
      const listening = readFileSync(`/proc/${p.supervisor}/net/tcp`, 'utf8').split('\n').some((l) => / 0A /.test(l) && /:2405 /.test(l))
      assert.equal(listening, false, 'no inspector opened in the supervisor')
    })
    assertLost(result, /supervisor \(DNS stub, sinks\) received SIGUSR1/)
    assertLost(result, /supervisor \(DNS stub, sinks\) received SIGUSR2/)
    assert.ok(procs.supervisor)
  })

  test(`${kind} app: SIGTERM to the supervisor from elsewhere stops the run early, and it is incomplete`, { skip }, async (t) => {
    const { result } = await tamperWith(t, kind, (p) => process.kill(p.supervisor, 'SIGTERM'), { after: 800 })
    assertLost(result, /supervisor received SIGTERM, which nophonehome did not send: the sandbox was stopped before the command finished/)
    assert.ok(!result.findings.some((f) => /after-tamper/.test(f.destination.host)), 'the app never got to phone home')
  })

  test(`${kind} app: the network set-up changed inside the sandbox makes the run incomplete`, { skip: skip || (!findExecutable('nsenter') && 'nsenter is not installed') }, async (t) => {
    const { result } = await tamperWith(t, kind, (p) => {
      execFileSync('nsenter', ['--target', String(p.supervisor), '--user', '--net', '--preserve-credentials', 'ip', 'route', 'del', 'local', 'default', 'dev', 'lo', 'table', 'local'])
    })
    const line = assertLost(result, /network set-up was changed during the run/)
    assert.match(line, /removed: .*Local 0\.0\.0\.0\/0 host LOCAL/)
  })

  test(`${kind} app: the syscall log truncated, then deleted and replaced, from outside the app makes the run incomplete`, { skip }, async (t) => {
    const { result } = await tamperWith(t, kind, (p) => {
      const log = join(p.runDir, 'strace.log')
      truncateSync(log, 0)
      unlinkSync(log)
      writeFileSync(log, '1 1.000000 +++ exited with 0 +++\n')
    })
    assert.ok(result.degraded.some((d) => /syscall layer's log was truncated or overwritten/.test(d)), JSON.stringify(result.degraded))
    assert.ok(result.degraded.some((d) => /syscall layer's log was deleted or replaced/.test(d)), JSON.stringify(result.degraded))
  })
}

// Attacks the app can still make: each is detected and named.
const canUnshareMount = spawnSync('unshare', ['-rm', 'true']).status === 0
for (const [kind, command, skip] of [
  ['node', () => [nextNode().bin, app('fill-disk.cjs')], !canUnshareMount && 'unshare -rm does not work here'],
  ['shell', () => ['bash', app('fill-disk.sh')], (!HAS_BASH && 'bash is not installed') || (!canUnshareMount && 'unshare -rm does not work here')],
]) {
  test(`${kind} app: filling the file system that holds the syscall log makes the run incomplete`, { skip }, async () => {
    // nophonehome itself runs with TMPDIR on a 3 MB tmpfs of its own mount namespace, where the app can fill it.
    const dir = mkdtempSync(join(tmpdir(), 'nph-fill-'))
    try {
      const inner = 'mount -t tmpfs -o size=3m nph-small "$0" && TMPDIR="$0" exec "$@"'
      const r = spawnSync('unshare', ['-rm', 'sh', '-c', inner, dir, process.execPath, CLI, 'run', '--format', 'json', '--', ...command()], {
        encoding: 'utf8', timeout: 120_000, env: { ...process.env, NO_COLOR: '1' },
      })
      let report
      try { report = JSON.parse(r.stdout) } catch { assert.fail(`no JSON (exit ${r.status}): ${r.stdout.slice(0, 300)}\n${r.stderr.slice(-1500)}`) }
      assert.match(r.stderr, /full: /)
      assert.ok(report.degraded?.some((d) => /syscall layer could not write its log \(.*strace: .*No space left on device/.test(d)), JSON.stringify(report.degraded))
      assert.notEqual(report.verdict, 'pass')
      assert.equal(r.status, 1)
      assert.ok(report.findings.some((f) => /^while-full(-sh)?\.invalid$/.test(f.destination?.host)), 'the DNS stub, which writes no file, still recorded the lookup')
    } finally { rmSync(dir, { recursive: true, force: true }) }
  })
}

for (const [kind, command, skip] of [
  ['node', () => [nextNode().bin, app('flood-sinks.cjs')], false],
  ['shell', () => ['bash', app('flood-sinks.sh')], !HAS_BASH && 'bash is not installed'],
]) {
  test(`${kind} app: flooding the sinks until they stop recording makes the run incomplete`, { skip }, async () => {
    const { code, report, stderr } = await runWith(process.execPath, ['--', ...command()])
    assert.match(stderr, /flooded 5200/)
    assert.ok(report.degraded?.some((d) => /sinks stopped recording after 5000 connections/.test(d)), JSON.stringify(report.degraded))
    assert.ok(report.findings.some((f) => /^after-flood(-sh)?\.invalid$/.test(f.destination?.host)))
    assert.equal(code, 1)
  })
}

for (const [kind, command, skip] of [
  ['node', () => [nextNode().bin, app('resolver-swap.cjs')], false],
  ['shell', () => ['sh', app('resolver-swap.sh')], false],
]) {
  test(`${kind} app: mounting its own /etc/resolv.conf makes the run incomplete; the lookup still reaches the DNS stub`, { skip }, async () => {
    const { code, report, stderr } = await runWith(process.execPath, ['--', ...command()])
    // Writing is refused (read-only); mounting over it in its own mount namespace is possible, and noticed.
    assert.match(stderr, /swap.*(EROFS|write refused)/)
    assert.match(stderr, /swap.*(mount":"ok|mounted)/)
    assert.ok(report.degraded?.some((d) => /app mounted its own file over \/etc\/resolv\.conf/.test(d)), JSON.stringify(report.degraded))
    assert.ok(report.findings.some((f) => /^through-own-resolver(-sh)?\.invalid$/.test(f.destination?.host)), 'every resolver address is routed to the DNS stub')
    assert.equal(code, 1)
  })
}

test('keeps the recorders\' files in a directory of this user alone: a link, a directory others can write, another owner are refused', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nph-private-'))
  const saved = process.env.TMPDIR
  t.after(() => { process.env.TMPDIR = saved; if (saved === undefined) delete process.env.TMPDIR; rmSync(dir, { recursive: true, force: true }) })
  process.env.TMPDIR = dir
  const root = join(dir, `nophonehome-${process.getuid()}`)
  const elsewhere = mkdtempSync(join(dir, 'elsewhere-'))
  symlinkSync(elsewhere, root)
  assert.throws(() => privateRoot(), (err) => err.code === 'SANDBOX_UNAVAILABLE' && /symbolic link/.test(err.message))
  unlinkSync(root)
  mkdirSync(root, { mode: 0o777 })
  chmodSync(root, 0o777)
  assert.throws(() => privateRoot(), (err) => err.code === 'SANDBOX_UNAVAILABLE' && /mode 777/.test(err.message))
  chmodSync(root, 0o700)
  assert.equal(privateRoot(), root)
  rmSync(root, { recursive: true })
  assert.equal(privateRoot(), root, 'created when missing')
  assert.equal(statSync(root).mode & 0o777, 0o700)
})

test('the DNS stub flooded past its limit says so once and keeps answering (the supervisor makes that a lost recorder)', async () => {
  const events = []
  const limits = []
  // On loopback with a small limit: the sandbox's stub is the same code with 50 000.
  const stub = await startDnsStub({ answers: {}, nxdomain: false, host: '127.0.0.1', port: 0, limit: 20, onEvent: (e) => events.push(e), onLimit: (n) => limits.push(n) })
  const client = createSocket('udp4')
  try {
    let answered = 0
    client.on('message', () => { answered++ })
    const query = (id, name) => {
      const labels = Buffer.concat(name.split('.').map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l)])))
      return Buffer.concat([Buffer.from([id >> 8, id & 0xff, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0]), labels, Buffer.from([0, 0, 1, 0, 1])])
    }
    for (let i = 0; i < 30; i++) client.send(query(i, `n${i}.flood.invalid`), stub.port, '127.0.0.1')
    await waitFor(() => answered === 30, 5000)
  } finally {
    client.close()
    await stub.close()
  }
  assert.equal(events.length, 20)
  assert.deepEqual(limits, [20], 'reported once, when the first name went unrecorded')
})
