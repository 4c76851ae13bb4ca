// The guard records without changing the app: loopback traffic works, a bad log path is harmless, tampering is noted.
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { canUnshare, nodeBinaries, runGuarded } from './run-guarded.mjs'

for (const { major, bin } of nodeBinaries()) {
  const skip = !canUnshare ? 'unshare -rn is not available here'
    : !bin ? `Node ${major} binary missing (npm ci --prefix test/nodes)` : false
  describe(`guard behaviour on Node ${major}`, { skip }, () => {
    test('keeps a loopback HTTP round trip working and still records the request', async () => {
      const run = await runGuarded(bin, 'loopback.cjs', { loopbackUp: true })
      assert.equal(run.code, 0, run.stderr)
      assert.equal(run.stdout.trim(), 'hello from loopback GET /path?q=1')
      assert.equal(run.stderr, '')
      const ev = run.events.find((e) => e.api === 'http.get')
      assert.equal(ev.host, '127.0.0.1')
      assert.match(ev.sent, /^GET \/path\?q=1 HTTP\/1\.1\r\nHost: 127\.0\.0\.1:\d+$/)
    })

    test('lets the app run unchanged when the log cannot be opened', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'nph-guard-unwritable-'))
      try {
        // A directory cannot be opened for appending (EISDIR), even as root.
        const run = await runGuarded(bin, 'loopback.cjs', { loopbackUp: true, log: dir })
        assert.equal(run.code, 0, run.stderr)
        assert.equal(run.stdout.trim(), 'hello from loopback GET /path?q=1')
        assert.equal(run.stderr, '')
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    })

    test('notes when the app replaces a guard patch', async () => {
      const run = await runGuarded(bin, 'tamper.cjs')
      assert.equal(run.code, 0, run.stderr)
      assert.ok(run.events.some((e) => e.note === 'patches removed: net.Socket.prototype.connect'), JSON.stringify(run.events))
    })
  })
}
