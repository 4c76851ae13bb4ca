// The app cannot blind what watches it: it runs in a PID namespace of its own (its PID 1 our reaper), under a user
// namespace of its own, with the recorders' files out of view. Each attack is a hostile fixture that phones home after
// it; every attempt must still be a finding, and nothing that watches may be lost. Node fixtures run on every Node
// major in test/nodes; shell fixtures run with nophonehome itself on each major. Fixtures run only inside the sandbox.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { fixture, importDist } from '../helpers/index.mjs'
import { nodeBinaries } from './guard/run-guarded.mjs'
import { runWith } from './helpers.mjs'

const { findExecutable } = await importDist('internal.js')

const app = (name) => fixture('runtime-watchers', name)
const NODES = nodeBinaries()
const missing = (bin, major) => (!bin ? `Node ${major} binary missing (npm ci --prefix test/nodes)` : false)

function findingFor(report, host, port) {
  const f = report.findings.find((x) => x.destination?.host === host && x.destination?.port === port)
  assert.ok(f, `no finding for ${host}:${port}; got ${report.findings.map((x) => `${x.destination?.host}:${x.destination?.port}`).join(', ')}`)
  assert.equal(f.severity, 'violation')
  return f
}

/** The run the attacks could not blind: the command finished by itself, nothing that watches was lost, and it failed on what it sent. */
function assertWatchedThroughout({ code, report, stderr }) {
  assert.equal(report.run.exitCode, 0, `the command finished by itself: ${stderr.slice(-1500)}`)
  assert.equal(report.run.timedOut, false)
  assert.deepEqual(report.degraded ?? [], [], 'no watcher was lost or tampered with')
  assert.equal(report.verdict, 'fail')
  assert.equal(code, 1)
}

for (const { major, bin } of NODES) {
  test(`Node ${major}: an app that SIGKILLs and SIGSTOPs all it sees, signals PID 1, breaks the network set-up and peels mounts is still recorded after each step`, { skip: missing(bin, major) }, async () => {
    const result = await runWith(process.execPath, ['--', bin, app('blind-watchers.cjs')])
    assertWatchedThroughout(result)
    const { report, stderr } = result
    // The app's output reaches nophonehome's stderr.
    const attacks = JSON.parse(/^attacks (.*)$/m.exec(stderr)[1])
    // It saw only its own namespace: its PID 1 (our reaper), no tracer, no supervisor.
    assert.equal(attacks.killAll.straceVisible, false)
    assert.equal(attacks.killAll.tracerPid, 0, 'the tracer is outside its PID namespace')
    for (const cmd of attacks.killAll.seen) assert.ok(cmd === '' || /nophonehome-reaper/.test(cmd), `saw ${cmd}`)
    assert.match(attacks.pid1.cmd, /nophonehome-reaper/)
    assert.equal(attacks.pid1.alive, true, 'PID 1 ignores signals from inside its namespace')
    // No capability over the network namespace; the resolver file is read-only.
    assert.notEqual(attacks.network.loDown, 'ok')
    assert.notEqual(attacks.network.routeDel, 'ok')
    assert.equal(attacks.network.resolvWrite, 'EROFS')
    // The mounts that hide the recorders are locked; the private directory shows nothing.
    assert.notEqual(attacks.unhide.umountProc, 'ok')
    assert.notEqual(attacks.unhide.umountPrivate, 'ok')
    assert.notEqual(attacks.unhide.mountProc, 'ok')
    assert.deepEqual(attacks.unhide.privateEntries, [])
    for (const [step, port] of [['kill-all', 7001], ['term-pid1', 7002], ['network', 7003], ['unhide', 7004]]) {
      assert.ok(findingFor(report, `after-${step}.invalid`, undefined).evidence.layers.includes('dns'), step)
      assert.ok(findingFor(report, '192.0.2.16', port).evidence.layers.includes('syscall'), step)
    }
  })
}

const HAS_BASH = !!findExecutable('bash')
for (const { major, bin } of NODES) {
  test(`nophonehome on Node ${major}: a shell app that kills all it sees (kill -9 -1), signals PID 1, breaks the network set-up and peels mounts is still recorded`, { skip: !HAS_BASH ? 'bash is not installed' : missing(bin, major) }, async () => {
    const result = await runWith(bin, ['--', 'bash', app('blind-watchers.sh')])
    assertWatchedThroughout(result)
    const { report, stderr } = result
    const out = stderr + '\n'
    assert.match(out, /attacks done/)
    assert.match(out, /kill-all: straceVisible=false tracer=0 /)
    assert.match(out, /pid1: alive/)
    assert.match(out, /network: lo refused/)
    assert.match(out, /network: route refused/)
    assert.match(out, /network: resolv refused/)
    assert.match(out, /unhide: proc refused/)
    assert.match(out, /unhide: private refused/)
    assert.match(out, /unhide: proc mount refused/)
    assert.match(out, /unhide: private entries=0/)
    for (const [step, port] of [['kill-all', 7101], ['term-pid1', 7102], ['network', 7103], ['unhide', 7104]]) {
      assert.ok(findingFor(report, `after-${step}-sh.invalid`, undefined).evidence.layers.includes('dns'), step)
      assert.ok(findingFor(report, '192.0.2.17', port).evidence.layers.includes('syscall'), step)
    }
  })
}
