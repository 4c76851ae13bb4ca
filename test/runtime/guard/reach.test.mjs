// Where the guard reaches: worker threads (file and eval) and spawned `node` children — and where it does not.
import { describe, test, before } from 'node:test'
import assert from 'node:assert/strict'
import { fixture } from '../../helpers/index.mjs'
import { attemptLine, canUnshare, nodeBinaries, runGuarded, stackHas } from './run-guarded.mjs'

for (const { major, bin } of nodeBinaries()) {
  const skip = !canUnshare ? 'unshare -rn is not available here (egress fixtures run only inside it)'
    : !bin ? `Node ${major} binary missing (npm ci --prefix test/nodes)` : false
  describe(`guard reach on Node ${major}`, { skip }, () => {
    let workers
    let children
    before(async () => {
      ;[workers, children] = await Promise.all([runGuarded(bin, 'worker.cjs'), runGuarded(bin, 'child.cjs')])
    })

    test('records a worker thread started from a file with its thread id and the worker file:line', () => {
      assert.equal(workers.code, 0, workers.stderr)
      const file = fixture('runtime-guard', 'worker-child.cjs')
      const ev = workers.events.find((e) => e.api === 'net.connect' && e.port === 5001)
      assert.ok(ev, JSON.stringify(workers.events, null, 1))
      assert.equal(ev.address, '192.0.2.10')
      assert.ok(ev.thread > 0, `thread ${ev.thread}`)
      assert.ok(stackHas(ev.stack, file, attemptLine(file)), ev.stack.join('\n'))
      const main = workers.events.find((e) => e.note?.startsWith('guard loaded') && e.thread === 0)
      assert.equal(ev.pid, main.pid, 'a worker is in the same process')
    })

    test('records a worker thread started with eval: true with its own thread id', () => {
      const first = workers.events.find((e) => e.port === 5001)
      const ev = workers.events.find((e) => e.api === 'net.connect' && e.port === 5002)
      assert.ok(ev, JSON.stringify(workers.events, null, 1))
      assert.ok(ev.thread > 0 && ev.thread !== first.thread, `threads ${first.thread} and ${ev.thread}`)
      assert.ok(ev.stack.some((f) => f.includes('[worker eval]')), ev.stack.join('\n'))
    })

    test('keeps the guard in a worker thread started with a replaced env', () => {
      const ev = workers.events.find((e) => e.api === 'net.connect' && e.port === 5003)
      assert.ok(ev, JSON.stringify(workers.events, null, 1))
      assert.ok(ev.thread > 0, `thread ${ev.thread}`)
      assert.ok(ev.stack.some((f) => f.includes('[worker eval]')), ev.stack.join('\n'))
    })

    test('records a spawned node child that inherits NODE_OPTIONS under its own pid, with the parent as ppid', () => {
      assert.equal(children.code, 0, children.stderr)
      const parent = children.events.find((e) => e.note?.startsWith('guard loaded') && e.command.includes('child.cjs'))
      const ev = children.events.find((e) => e.api === 'net.connect' && e.port === 6001)
      assert.ok(parent && ev, JSON.stringify(children.events, null, 1))
      assert.notEqual(ev.pid, parent.pid)
      assert.equal(ev.ppid, parent.pid)
      assert.ok(ev.command.includes('child-target.cjs 6001'), ev.command)
      const target = fixture('runtime-guard', 'child-target.cjs')
      assert.ok(stackHas(ev.stack, target, attemptLine(target)), ev.stack.join('\n'))
      const spawnNote = children.events.find((e) => e.api === 'child_process.spawn' && e.note.includes('child-target.cjs 6001'))
      assert.match(spawnNote.note, new RegExp(`^spawned pid ${ev.pid}: .*guard inherited$`))
    })

    test('does not see a node child given a replaced env without NODE_OPTIONS (only the OS layers do) and notes the spawn', () => {
      // The limit, documented: a replaced env drops the preload, so that child's connect to port 6002 is
      // invisible here; the sandbox's DNS stub and strace layers are what see it.
      assert.equal(children.events.some((e) => e.port === 6002), false)
      const loaded = children.events.filter((e) => e.note?.startsWith('guard loaded'))
      assert.equal(loaded.some((e) => e.command.includes('6002')), false)
      const spawnNote = children.events.find((e) => e.api === 'child_process.spawn' && e.note.includes('child-target.cjs 6002'))
      assert.ok(spawnNote, JSON.stringify(children.events, null, 1))
      assert.match(spawnNote.note, /guard not inherited/)
      const parentFile = fixture('runtime-guard', 'child.cjs')
      assert.ok(spawnNote.stack.some((f) => f.includes(`${parentFile}:`)), spawnNote.stack.join('\n'))
    })
  })
}
