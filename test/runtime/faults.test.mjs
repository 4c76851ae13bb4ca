// `nophonehome run` when the app misbehaves: crashes, hangs, daemons, ignored signals, floods, a deleted cwd, Ctrl-C.
// Every fixture that phones home runs inside the sandbox (a network namespace with no route out).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CLI, fixture } from '../helpers/index.mjs'
import { runJson } from './helpers.mjs'

const app = (name) => fixture('runtime-faults', name)
const markerFor = (name) => `nph-fault-${name}-${process.pid}-${Date.now()}`
const hosts = (report) => report.findings.map((f) => f.destination?.host)

test('writes the report with every finding when the app crashes after phoning home', async () => {
  const { code, report, stderr } = await runJson(['--', process.execPath, app('crash.mjs')])
  assert.equal(code, 1)
  assert.equal(report.verdict, 'fail')
  assert.equal(report.run.exitCode, 1, 'the crash is reported as the command exit code')
  assert.match(stderr, /boom: the app crashed after phoning home/)
  assert.ok(hosts(report).includes('before-crash.invalid'), hosts(report).join(', '))
  const connect = report.findings.find((f) => f.destination?.host === '192.0.2.71')
  assert.ok(connect, 'the connect made before the crash is not hidden by it')
  assert.equal(connect.destination.port, 9411)
})

test('kills the whole process tree of an app that hangs past --duration, leaving no orphans', async () => {
  const marker = markerFor('tree')
  const started = Date.now()
  const { code, report, stderr } = await runJson(['--duration', '3', '--', process.execPath, app('tree.mjs'), marker])
  assert.match(stderr, /tree started/, 'the children and grandchildren were running when the duration ran out')
  assert.equal(report.run.timedOut, true)
  assert.equal(code, 0, 'no egress: a time-boxed run passes')
  assert.ok(Date.now() - started < 15_000, `took ${Date.now() - started} ms`)
  assert.deepEqual(processesWith(marker), [])
})

test('watches a forked daemon while it lives and kills it with the sandbox when the command exits', async () => {
  const marker = markerFor('daemon')
  const started = Date.now()
  const { code, report } = await runJson(['--duration', '60', '--', process.execPath, app('daemon.mjs'), marker, '1500'])
  assert.equal(report.run.exitCode, 0)
  assert.equal(report.run.timedOut, false, 'the run ended with the command, not at --duration')
  assert.ok(Date.now() - started < 20_000, `took ${Date.now() - started} ms`)
  const daemon = report.findings.find((f) => f.destination?.host === 'daemon.invalid')
  assert.ok(daemon, 'the setsid daemon escaped no layer while it ran')
  assert.ok(daemon.evidence.layers.includes('dns'))
  assert.equal(code, 1)
  assert.deepEqual(processesWith(marker), [])
})

test('sends SIGTERM, then SIGKILL after the grace period, to an app that ignores SIGTERM', async () => {
  const marker = markerFor('sigterm')
  // --ready: the SIGTERM handler is in place before the duration starts (a busy machine starts node slowly).
  const { code, report, stderr } = await runJson(['--ready', '/stubborn ready/', '--duration', '1', '--', process.execPath, app('ignore-sigterm.mjs'), marker])
  assert.equal(code, 0)
  assert.ok(report.run.ready.ms >= 0)
  assert.match(stderr, /ignored SIGTERM/, 'SIGTERM came first')
  assert.equal(report.run.signal, 'SIGKILL')
  // 1 s of duration plus the 3 s grace before SIGKILL.
  assert.ok(report.run.durationMs >= 3900, `SIGKILL came after ${report.run.durationMs} ms`)
  assert.deepEqual(processesWith(marker), [])
})

test('forwards 200 MB of app output without holding it in memory, then still reports what came after', async () => {
  const megabytes = 200
  const r = await runCounting(['run', '--format', 'json', '--', process.execPath, app('flood-stdout.mjs'), String(megabytes)])
  const report = JSON.parse(r.stdout)
  assert.equal(r.stderrBytes >= megabytes * 1024 * 1024, true, `only ${r.stderrBytes} bytes of output came through`)
  assert.ok(report.findings.some((f) => f.destination?.host === 'after-flood.invalid'))
  assert.equal(report.run.exitCode, 0)
  assert.equal(r.code, 1)
  // Buffering the output would need at least its size; measured ~110 MB peak with backpressure, ~300 MB without.
  assert.ok(r.peakRssMb < 200, `peak RSS of nophonehome run was ${r.peakRssMb} MB`)
})

test('reports an app that deletes its own working directory, with its exit code and its egress', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'nph-fault-cwd-'))
  try {
    const { code, report } = await runJson(['--', process.execPath, app('delete-cwd.mjs')], { cwd })
    assert.equal(existsSync(cwd), false, 'the app did delete its working directory')
    assert.equal(report.run.exitCode, 3)
    assert.ok(hosts(report).includes('no-cwd.invalid'), hosts(report).join(', '))
    assert.equal(code, 1)
  } finally {
    rmSync(cwd, { recursive: true, force: true })
  }
})

for (const target of ['the nophonehome process', 'the whole process group (a terminal Ctrl-C)']) {
  test(`on SIGINT to ${target}: tears the sandbox down and writes a partial report marked interrupted`, async () => {
    const marker = markerFor('sigint')
    const r = await interruptWhen(/phoned home/, target.startsWith('the whole'), ['run', '--format', 'json', '--duration', '60', '--', process.execPath, app('interrupt-me.mjs'), marker])
    assert.equal(r.code, 1)
    assert.ok(r.ms < 15_000, `took ${r.ms} ms after the interrupt`)
    const report = JSON.parse(r.stdout)
    assert.equal(report.run.interrupted, 'SIGINT')
    assert.equal(report.run.timedOut, false)
    assert.match(report.degraded.join('\n'), /interrupted \(SIGINT\).*partial/)
    assert.equal(report.verdict, 'fail')
    assert.ok(hosts(report).includes('before-interrupt.invalid'), 'what was seen before the interrupt is in the report')
    assert.deepEqual(processesWith(marker), [])
  })
}

test('never passes an interrupted run, even when nothing was seen before the interrupt', async () => {
  const r = await interruptWhen(/stubborn ready/, false, ['run', '--format', 'json', '--duration', '60', '--', process.execPath, app('ignore-sigterm.mjs'), markerFor('quiet')])
  const report = JSON.parse(r.stdout)
  assert.deepEqual(report.findings, [])
  assert.equal(report.verdict, 'incomplete')
  assert.equal(r.code, 1)
})

function processesWith(marker) {
  const found = []
  for (const pid of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker)) found.push(Number(pid))
    } catch { /* gone */ }
  }
  return found
}

/** Runs the CLI, counting (not keeping) its stderr and sampling its peak RSS. */
function runCounting(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } })
    let stdout = ''
    let stderrBytes = 0
    let peakKb = 0
    const sample = () => {
      try { peakKb = Math.max(peakKb, Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0)) } catch { /* exited */ }
    }
    const timer = setInterval(sample, 50)
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => { stderrBytes += d.length; sample() })
    child.on('error', reject)
    child.on('close', (code) => { clearInterval(timer); resolve({ code, stdout, stderrBytes, peakRssMb: Math.round(peakKb / 1024) }) })
  })
}

/** Runs the CLI in its own process group and sends SIGINT (to it or to the group) once stderr matches `pattern`. */
function interruptWhen(pattern, wholeGroup, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: { ...process.env, NO_COLOR: '1' } })
    let stdout = ''
    let stderr = ''
    let sentAt
    const guard = setTimeout(() => { try { process.kill(-child.pid, 'SIGKILL') } catch { /* gone */ } }, 60_000)
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => {
      stderr += d
      if (sentAt === undefined && pattern.test(stderr)) {
        sentAt = Date.now()
        process.kill(wholeGroup ? -child.pid : child.pid, 'SIGINT')
      }
    })
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(guard)
      if (sentAt === undefined) reject(new Error(`never saw ${pattern} (exit ${code}): ${stderr.slice(-1000)}`))
      else resolve({ code, stdout, stderr, ms: Date.now() - sentAt })
    })
  })
}
