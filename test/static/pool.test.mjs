// The worker pool: every file gets exactly one result, and workers whose heap grew too big are replaced.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { importDist } from '../helpers/index.mjs'

const { runPool, prestartWorker, warmWorkerCount } = await importDist('internal.js')

const tmp = mkdtempSync(join(tmpdir(), 'nph-pool-'))
test.after(() => rmSync(tmp, { recursive: true, force: true }))

/** Writes `count` files, each calling fetch with its own reserved host; returns pool jobs for them. */
function writeJobs(count, prefix, padding = 0) {
  const jobs = []
  for (let i = 0; i < count; i++) {
    const path = join(tmp, `${prefix}-${i}.js`)
    writeFileSync(path, `${'// pad\n'.repeat(padding)}fetch('https://${prefix}-${i}.invalid/t')\n`)
    jobs.push({ id: jobs.length, path, kind: 'commonjs', size: statSync(path).size, root: tmp })
  }
  return jobs
}

async function runAll(jobs, extra) {
  const results = new Map()
  let starts = 0
  await runPool(jobs, { workers: 2, fileTimeoutMs: 30_000, onWorkerStart: () => { starts++ }, ...extra }, (r) => {
    assert.ok(!results.has(r.id), `file ${r.id} reported twice`)
    results.set(r.id, r)
  })
  return { results, starts }
}

test('a worker whose heap grew past the limit is replaced while work remains, and every file still gets its result', async () => {
  const big = writeJobs(5, 'big', 200)
  // Any heap is over one byte: every worker is replaced after its first file while others are queued.
  const { results, starts } = await runAll(big, { bigFileBytes: 100, recycleHeapBytes: 1 })
  assert.equal(results.size, 5)
  for (const j of big) {
    const f = results.get(j.id).findings
    assert.equal(f.length, 1, `one finding for ${j.path}`)
    assert.equal(f[0].destination.host, `big-${j.id}.invalid`)
  }
  // Two to begin with; each file finished while others were queued cost a fresh worker.
  assert.ok(starts >= 4, `expected replaced workers, saw ${starts} starts`)
})

test('big files alone do not replace a worker whose heap stayed small', async () => {
  const { results, starts } = await runAll(writeJobs(5, 'bigsmallheap', 200), { bigFileBytes: 100 })
  assert.equal(results.size, 5)
  assert.equal(starts, 2)
})

test('small files share workers: no replacement when nothing is big', async () => {
  const small = writeJobs(120, 'small')
  const { results, starts } = await runAll(small, {})
  assert.equal(results.size, 120)
  assert.ok([...results.values()].every((r) => r.findings?.length === 1))
  assert.equal(starts, 2)
})

test('big and small files mixed: all results arrive once, whatever order the workers take them in', async () => {
  const jobs = [...writeJobs(3, 'mixbig', 300), ...writeJobs(100, 'mixsmall')].map((j, id) => ({ ...j, id }))
  const { results } = await runAll(jobs, { bigFileBytes: 1000 })
  assert.equal(results.size, jobs.length)
  for (const j of jobs) assert.equal(results.get(j.id).findings?.length, 1, j.path)
})

test('a prestarted worker is taken by the next pool with the same limits, and analyses like any other', async () => {
  prestartWorker(1024)
  assert.equal(warmWorkerCount(), 1)
  // Other limits: the warm worker is not theirs.
  const other = writeJobs(1, 'other')
  await runAll(other, { workers: 1, maxOldGenerationSizeMb: 512 })
  assert.equal(warmWorkerCount(), 1)
  const jobs = writeJobs(3, 'warm')
  const { results } = await runAll(jobs, { workers: 1, maxOldGenerationSizeMb: 1024 })
  assert.equal(warmWorkerCount(), 0)
  assert.equal(results.size, 3)
  for (const j of jobs) assert.match(results.get(j.id).findings[0].destination.host, /^warm-\d\.invalid$/)
})

test('an unused prestarted worker does not keep the process alive', async () => {
  const { spawnSync } = await import('node:child_process')
  const { DIST } = await import('../helpers/index.mjs')
  const { pathToFileURL } = await import('node:url')
  // A file, not `-e`: workers inherit node's flags, and `--input-type` is not one a worker accepts.
  const script = join(tmp, 'prestart.mjs')
  writeFileSync(script, `const m = await import(${JSON.stringify(pathToFileURL(join(DIST, 'internal.js')).href)})
m.prestartWorker()
setTimeout(() => console.log('waiting', m.warmWorkerCount()), 300)
`)
  const r = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 20_000 })
  assert.equal(r.status, 0, r.stderr)
  assert.equal(r.stdout.trim(), 'waiting 1')
})
