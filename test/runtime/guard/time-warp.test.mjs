// --time-warp: an hourly telemetry timer fires within seconds inside guarded processes, and Date keeps pace.
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { attemptLine, canUnshare, nodeBinaries, runGuarded, stackHas } from './run-guarded.mjs'

describe('time warp', { concurrency: 4 }, () => {
  const nodes = nodeBinaries()
  for (const { major, bin } of nodes) {
    const skip = !canUnshare ? 'unshare -rn is not available here'
      : !bin ? `Node ${major} binary missing (npm ci --prefix test/nodes)` : false
    test(`catches a telemetry ping on a one-hour setInterval within seconds with NOPHONEHOME_TIME_WARP=1000 on Node ${major}`, { skip, timeout: 30_000 }, async () => {
      const run = await runGuarded(bin, 'hourly-telemetry.cjs', { env: { NOPHONEHOME_TIME_WARP: '1000' } })
      assert.equal(run.code, 0, run.stderr)
      const out = JSON.parse(run.stdout)
      // 3.6 s for the hour plus 0.6 s for ten minutes, with slack for a busy 2-core machine.
      assert.ok(out.realMs >= 3_500 && out.realMs < 15_000, `took ${out.realMs} ms`)
      assert.ok(out.dateMs >= 4_000_000, `Date advanced ${out.dateMs} ms in ${out.realMs} ms`)
      assert.equal(out.dateIsDate, true)
      for (const marker of ['interval', 'promises']) {
        const line = attemptLine(run.file, marker)
        const ev = run.events.find((e) => e.api === 'fetch' && stackHas(e.stack, run.file, line))
        assert.ok(ev, `${marker}: ${JSON.stringify(run.events, null, 1)}`)
        assert.equal(ev.host, 'telemetry.invalid')
      }
      assert.ok(run.events.some((e) => e.note === 'guard loaded (time warp 1000x)'))
    })
  }
})
