// `nophonehome run`: clean apps pass, ready/exercise/duration work, namespaces refused → exit 2 or degraded.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readdirSync, readFileSync, chmodSync } from 'node:fs'
import { spawn } from 'node:child_process'
import { CLI, fixture, runCli } from '../helpers/index.mjs'
import { runJson } from './helpers.mjs'

test('passes a clean app that only talks to itself on loopback (exit 0)', async () => {
  const { code, report, stderr } = await runJson(['--', process.execPath, fixture('runtime', 'clean-app.mjs')])
  assert.equal(report.findings.length, 0, JSON.stringify(report.findings, null, 2))
  assert.equal(report.verdict, 'pass', JSON.stringify(report.degraded))
  assert.equal(code, 0)
  assert.match(stderr, /clean: ok ok/, 'the command output goes to stderr')
  assert.equal(report.run.exitCode, 0)
})

test('reports the command failing without hiding its egress', async () => {
  const { code, report } = await runJson(['--', 'sh', '-c', 'getent hosts failing.invalid; exit 7'])
  assert.equal(code, 1)
  assert.equal(report.run.exitCode, 7)
  assert.ok(report.findings.some((f) => f.destination?.host === 'failing.invalid'))
})

test('waits for --ready PORT, sends --exercise requests through the bridge, records what they trigger', async () => {
  const { code, report } = await runJson([
    '--ready', '3000', '--exercise', fixture('runtime', 'exercise.json'), '--duration', '0.5',
    '--', process.execPath, fixture('runtime', 'server.mjs'),
  ])
  assert.equal(code, 1)
  assert.deepEqual(report.run.exercise.map((e) => [e.method, e.path, e.status]), [['GET', '/hello', 200], ['POST', '/leak', 200]])
  assert.ok(report.run.ready.ms >= 0)
  const leak = report.findings.find((f) => f.destination?.host === 'exercise-leak.invalid')
  assert.ok(leak, 'the egress the exercise triggered is a finding')
  assert.match(leak.evidence.sent, /"customer":"acme"/)
})

test('waits for --ready /regex/ on the output and finds the app port by itself', async () => {
  const { report } = await runJson([
    '--ready', '/listening on \\d+/', '--exercise', fixture('runtime', 'exercise.json'), '--duration', '0.2',
    '--', process.execPath, fixture('runtime', 'server.mjs'),
  ], { env: { PORT: '4100' } })
  assert.equal(report.run.exercise[0].status, 200)
  assert.ok(!report.degraded, JSON.stringify(report.degraded))
})

test('marks a never-ready app as incomplete rather than passing', async () => {
  const { code, report } = await runJson(['--ready', '3999', '--duration', '0.2', '--', process.execPath, '-e', 'setTimeout(() => {}, 200)'])
  assert.equal(code, 1)
  assert.equal(report.verdict, 'incomplete')
  assert.match(report.degraded.join('\n'), /never became ready/)
})

test('stops a command at --duration with SIGTERM then SIGKILL, leaving no process behind', async () => {
  const marker = `nph-orphan-${process.pid}-${Date.now()}`
  const started = Date.now()
  // 3 s so Node has installed the fixture's SIGTERM handler even on a loaded machine.
  const { code, report } = await runJson(['--duration', '3', '--', process.execPath, fixture('runtime', 'stubborn.mjs'), marker])
  const took = Date.now() - started
  assert.equal(code, 0, 'no egress, and a time-boxed finite run is not a failure')
  assert.equal(report.run.timedOut, true)
  assert.equal(report.run.signal, 'SIGKILL', 'the command ignores SIGTERM')
  // Bounded: duration + grace + start-up, with slack for a busy machine (a correctness check, not a benchmark).
  assert.ok(took < 30_000, `took ${took} ms`)
  assert.deepEqual(processesWith(marker), [])
})

test('ends a finite command when it exits, even if it left a daemon behind', async () => {
  const marker = `nph-daemon-${process.pid}-${Date.now()}`
  const started = Date.now()
  const daemon = `${process.execPath} -e 'setInterval(() => {}, 1000)' ${marker}`
  const { code, report } = await runJson(['--duration', '30', '--', 'sh', '-c', `${daemon} & sleep 0.3; exit 0`])
  assert.equal(code, 0)
  assert.equal(report.run.exitCode, 0)
  assert.equal(report.run.timedOut, false)
  assert.ok(Date.now() - started < 10_000, 'did not wait for the daemon or the duration')
  assert.deepEqual(processesWith(marker), [])
})

test('exits 2 with an explanation when namespaces are refused', async () => {
  const fake = fixture('runtime', 'fake-unshare.sh')
  chmodSync(fake, 0o755)
  const { code, stderr, stdout } = await runCli(['run', '--', process.execPath, '-e', '0'], { env: { NOPHONEHOME_UNSHARE: fake } })
  assert.equal(code, 2)
  assert.equal(stdout, '')
  assert.match(stderr, /cannot create the sandbox's namespaces \(unshare: unshare failed: Operation not permitted\)/)
  assert.match(stderr, /--allow-degraded/)
})

test('--allow-degraded runs with the guard and strace alone and never passes', async () => {
  const fake = fixture('runtime', 'fake-unshare.sh')
  chmodSync(fake, 0o755)
  // The degraded run has the host's network: run it inside an outer namespace with no route out.
  const clean = await cliInEmptyNamespace(['run', '--allow-degraded', '--format', 'json', '--', process.execPath, '-e', '0'], fake)
  assert.equal(clean.code, 1, clean.stderr)
  const cleanReport = JSON.parse(clean.stdout)
  assert.equal(cleanReport.verdict, 'incomplete')
  assert.match(cleanReport.degraded.join('\n'), /not isolated/)
  assert.equal(cleanReport.run.layers.namespace, false)

  const leaky = await cliInEmptyNamespace(['run', '--allow-degraded', '--format', 'json', '--', process.execPath, fixture('runtime', 'one-connect.mjs')], fake)
  const leakyReport = JSON.parse(leaky.stdout)
  assert.equal(leakyReport.verdict, 'fail')
  const f = leakyReport.findings.find((x) => x.destination?.host === '192.0.2.44')
  assert.ok(f, leaky.stdout)
  assert.ok(f.evidence.layers.includes('syscall'))
})

test('marks the report degraded when the syscall layer is off', async () => {
  const { code, report } = await runJson(['--', process.execPath, '-e', '0'], { env: { NOPHONEHOME_STRACE: 'off' } })
  assert.equal(code, 1)
  assert.equal(report.verdict, 'incomplete')
  assert.match(report.degraded.join('\n'), /syscall layer off/)
})

test('rejects a bad --ready value with a usage error', async () => {
  const { code, stderr } = await runCli(['run', '--ready', 'soon', '--', 'true'])
  assert.equal(code, 2)
  assert.match(stderr, /--ready expects a port or \/regex\//)
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

function cliInEmptyNamespace(args, fakeUnshare) {
  return new Promise((resolve, reject) => {
    const child = spawn('unshare', ['-rn', process.execPath, CLI, ...args], {
      env: { ...process.env, NO_COLOR: '1', NOPHONEHOME_UNSHARE: fakeUnshare },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = '', stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}
