// The app cannot blind what watches it: it runs in a PID namespace of its own (its PID 1 our reaper), under a user
// namespace of its own, with the recorders' files out of view. Each attack is a hostile fixture that phones home after
// it; every attempt must still be a finding, and nothing that watches may be lost. Node fixtures run on every Node
// major in test/nodes; shell fixtures run with nophonehome itself on each major. Fixtures run only inside the sandbox.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fixture, importDist } from '../helpers/index.mjs'
import { nodeBinaries } from './guard/run-guarded.mjs'
import { runWith } from './helpers.mjs'

const { findExecutable, commandScript, REAPER_SCRIPT, snapshotNetwork, checkNetworkSnapshot, diffNetworkSnapshots } = await importDist('internal.js')

const app = (name) => fixture('runtime-watchers', name)
const NODES = nodeBinaries()
const missing = (bin, major) => (!bin ? `Node ${major} binary missing (npm ci --prefix test/nodes)` : false)

test('starts the command with exactly its environment and arguments, whatever bytes they hold', (t) => {
  const env = { PATH: '/usr/bin:/bin', 'A-B': 'dash drops this name', IFS: 'x', PWD: '/not/the/cwd', OPTIND: '5', PPID: '1', QUOTE: "it's", LINES: 'one\ntwo\n', EMPTY: '', SPACES: '  a  b  ' }
  const args = ['-e', 'process.stdout.write(JSON.stringify({ env: process.env, argv: process.argv.slice(1) }))', "arg 'one'", 'two\nlines', '', '$(false)', '"$HOME"']
  const script = commandScript(findExecutable('env'), env, [process.execPath, ...args])
  assert.equal(script.split('\n').length, 2, 'one line, read with read -r')
  // The reaper's own lines, with the status and idle PID 1 left out: fd 5 carries the line as in the sandbox.
  const dir = mkdtempSync(join(tmpdir(), 'nph-command-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  writeFileSync(join(dir, 'line'), script)
  const reaper = REAPER_SCRIPT.split('\n').slice(0, 3).join('\n')
  const r = spawnSync('sh', ['-c', `${reaper} 5<"$0"`, join(dir, 'line')], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin', NOISE: 'not for the app' } })
  assert.equal(r.status, 0, r.stderr)
  const seen = JSON.parse(r.stdout)
  assert.deepEqual(seen.env, env)
  assert.deepEqual(seen.argv, args.slice(2), 'node -e leaves its own two out of process.argv')
  assert.throws(() => commandScript('/usr/bin/env', {}, ['./a=b']), (err) => err.code === 'SANDBOX_UNAVAILABLE')
})

test('reads the network set-up from /proc and names what changed: a route removed, lo down, another interface', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nph-procnet-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  const trie = (withDefault, withBroadcast) => ['Main:', '  +-- 0.0.0.0/1 2 0 2', ...(withDefault ? ['     |-- 0.0.0.0', '        /0 host LOCAL'] : []),
    '     |-- 127.0.0.1', '        /32 host LOCAL', ...(withBroadcast ? ['     |-- 127.255.255.255', '        /32 link BROADCAST'] : []),
    'Local:', ...(withDefault ? ['     |-- 0.0.0.0', '        /0 host LOCAL'] : []), '     |-- 127.0.0.1', '        /32 host LOCAL',
    ...(withBroadcast ? ['     |-- 127.255.255.255', '        /32 link BROADCAST'] : []), ''].join('\n')
  const write = (name, files) => {
    mkdirSync(join(dir, name))
    for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, name, f), text)
    return join(dir, name)
  }
  const v6 = '00000000000000000000000000000001 80 00000000000000000000000000000000 00 00000000000000000000000000000000 00000000 00000002 00000007 80200001       lo\n'
  const dev = (...names) => `Inter-|   Receive\n face |bytes\n${names.map((n) => `  ${n}: 0 0 0`).join('\n')}\n`
  const before = snapshotNetwork(write('before', { fib_trie: trie(true, true), ipv6_route: v6, dev: dev('lo') }))
  assert.deepEqual(checkNetworkSnapshot(before), [])
  // Only the use counter of the IPv6 route changed: not a change.
  const same = snapshotNetwork(write('same', { fib_trie: trie(true, true), ipv6_route: v6.replace('00000007', '000000ff'), dev: dev('lo') }))
  assert.deepEqual(diffNetworkSnapshots(before, same), { removed: [], added: [] })
  const broken = snapshotNetwork(write('broken', { fib_trie: trie(false, false), ipv6_route: '', dev: dev('lo', 'veth0') }))
  assert.deepEqual(checkNetworkSnapshot(broken), ['interfaces other than lo: veth0', 'lo is not up', 'IPv4 destinations are not routed to the sandbox'])
  const { removed, added } = diffNetworkSnapshots(before, broken)
  assert.ok(removed.includes('Local 0.0.0.0/0 host LOCAL'))
  assert.ok(removed.includes('IPv6 ::1/128 from ::/0 via :: metric 0 flags 80200001 dev lo'))
  assert.deepEqual(added, ['interface veth0'])
})

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
