// Worker-thread pool for parsing and analysis: batches by size, survives a worker dying mid-file.
import { Worker } from 'node:worker_threads'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { FileJob, FileResult } from './file-result.ts'

export interface PoolJob extends FileJob {
  size: number
}

export interface PoolOptions {
  workers: number
  /** A file taking longer than this is reported as not analysed. */
  fileTimeoutMs: number
  /** Heap limit per worker; a file needing more is reported, not fatal. */
  maxOldGenerationSizeMb?: number
  /** Files above this many bytes run one at a time, while other workers take the smallest (tests lower it). */
  bigFileBytes?: number
  /** A worker whose heap has grown past this is replaced once its batch is done (tests lower it). */
  recycleHeapBytes?: number
  /** Called each time a worker thread is started (tests count them). */
  onWorkerStart?: () => void
}

/** The built worker script, found from wherever this module was bundled to. */
export function workerPath(): string {
  const here = import.meta.url
  for (const rel of ['./static/worker.cjs', '../static/worker.cjs', './worker.cjs']) {
    const p = fileURLToPath(new URL(rel, here))
    if (existsSync(p)) return p
  }
  throw new Error('nophonehome: dist/static/worker.cjs is missing; run npm run build')
}

/** Heap limit of a scan's analysis workers: a file needing more is reported as not analysed. */
export const SCAN_WORKER_HEAP_MB = 2048

function newWorker(maxOldGenerationSizeMb: number | undefined): Worker {
  return new Worker(workerPath(), {
    resourceLimits: maxOldGenerationSizeMb ? { maxOldGenerationSizeMb } : undefined,
    stdout: true,
    stderr: true,
  })
}

// Workers started ahead of time (see prestartWorker), waiting for the next runPool.
const warm: Array<{ worker: Worker; maxOld: number | undefined; drop: () => void }> = []

/**
 * Starts an analysis worker now, for the next runPool to take: a worker thread takes ~60–90 ms to boot,
 * and the CLI starts one while it is still loading its own modules. Until taken it does not keep the
 * process alive; one that dies meanwhile leaves the list and is never handed out.
 */
export function prestartWorker(maxOldGenerationSizeMb: number | undefined = SCAN_WORKER_HEAP_MB): void {
  const drop = () => { const i = warm.indexOf(entry); if (i >= 0) warm.splice(i, 1) }
  const entry = { worker: newWorker(maxOldGenerationSizeMb), maxOld: maxOldGenerationSizeMb, drop }
  entry.worker.unref()
  entry.worker.on('error', drop)
  entry.worker.on('exit', drop)
  warm.push(entry)
}

/** A started worker with these limits, if one is waiting (referenced again: the pool owns it now). */
function takeWarmWorker(maxOldGenerationSizeMb: number | undefined): Worker | undefined {
  const e = warm.find((w) => w.maxOld === maxOldGenerationSizeMb)
  if (!e) return undefined
  e.drop()
  e.worker.off('error', e.drop)
  e.worker.off('exit', e.drop)
  e.worker.ref()
  return e.worker
}

/** How many prestarted workers are waiting (tests). */
export function warmWorkerCount(): number {
  return warm.length
}

const BATCH_FILES = 48
const BATCH_BYTES = 1_500_000
// Above this a file runs in the big lane (see next()): 21 of the 8 551 files of the benchmark corpus,
// whose ASTs are 70–700 MB each.
const BIG_FILE_BYTES = 1_000_000
// V8 keeps a heap grown for a big AST long after the file is done, so a worker past this is replaced. Not
// after every big file: a fresh worker runs its first files before the JIT has warmed up, which costs more.
const RECYCLE_HEAP_BYTES = 448 * 1024 * 1024

export async function runPool(jobs: PoolJob[], options: PoolOptions, onResult: (r: FileResult) => void): Promise<void> {
  if (!jobs.length) return
  const bigBytes = options.bigFileBytes ?? BIG_FILE_BYTES
  // Largest first so one big file does not finish last on a single core.
  const queue: PoolJob[][] = []
  const singles: PoolJob[][] = []
  const sorted = [...jobs].sort((a, b) => b.size - a.size)
  let batch: PoolJob[] = []
  let bytes = 0
  for (const j of sorted) {
    if (j.size > Math.min(BATCH_BYTES, bigBytes)) { queue.push([j]); continue }
    batch.push(j)
    bytes += j.size
    if (batch.length >= BATCH_FILES || bytes >= BATCH_BYTES) { queue.push(batch); batch = []; bytes = 0 }
  }
  if (batch.length) queue.push(batch)

  const size = Math.max(1, Math.min(options.workers, queue.length))
  const retried = new Set<number>()

  await new Promise<void>((resolve, reject) => {
    let live = 0
    let failed: Error | null = null
    // Memory: a multi-megabyte file's AST is hundreds of MB, so two such files never run at once;
    // while one is in flight, other workers take the smallest batches, from the tail of the queue.
    let bigInFlight = 0
    const isBig = (b: PoolJob[] | undefined) => !!b && b.length === 1 && b[0].size > bigBytes
    const next = (): PoolJob[] | undefined => {
      if (singles.length) return singles.shift()
      if (bigInFlight > 0 && queue.length && !isBig(queue[queue.length - 1])) return queue.pop()
      return queue.shift()
    }

    const start = () => {
      const w = takeWarmWorker(options.maxOldGenerationSizeMb) ?? newWorker(options.maxOldGenerationSizeMb)
      live++
      options.onWorkerStart?.()
      let current: PoolJob[] | undefined
      let timer: NodeJS.Timeout | undefined
      let done = false
      const finish = () => {
        if (done) return
        done = true
        live--
        if (timer) clearTimeout(timer)
        if (live === 0) {
          if (failed) reject(failed)
          else if (queue.length || singles.length) start()
          else resolve()
        }
      }
      let holdsBig = false
      const releaseBig = () => { if (holdsBig) { holdsBig = false; bigInFlight-- } }
      const feed = () => {
        releaseBig()
        current = next()
        if (isBig(current)) { holdsBig = true; bigInFlight++ }
        if (!current) {
          // Done: count this worker out now rather than on its 'exit', which comes only after its heap
          // (hundreds of MB after a big file) has been torn down; that happens while the caller goes on.
          finish()
          void w.terminate()
          return
        }
        const total = current.reduce((s, j) => s + j.size, 0)
        // Time allowed grows with the batch's bytes (about 1 s per MB on top of the per-file limit).
        const limit = options.fileTimeoutMs + Math.ceil(total / 1_000_000) * 1000 * (current.length > 1 ? 2 : 1)
        if (timer) clearTimeout(timer)
        timer = setTimeout(() => { lost(`took longer than ${Math.round(limit / 1000)} s`); void w.terminate() }, limit)
        w.postMessage({ batch: current.map(({ id, path, kind, source, root }) => ({ id, path, kind, source, root })) })
      }
      const lost = (why: string) => {
        releaseBig()
        const batchLost = current
        current = undefined
        if (!batchLost) return
        for (const j of batchLost) {
          if (batchLost.length === 1 || retried.has(j.id)) onResult({ id: j.id, notAnalysed: `analysis worker ${why}` })
          else { retried.add(j.id); singles.push([j]) }
        }
      }
      w.on('message', (msg: { results: FileResult[]; heapBytes?: number }) => {
        for (const r of msg.results) onResult(r)
        const recycle = (msg.heapBytes ?? 0) > (options.recycleHeapBytes ?? RECYCLE_HEAP_BYTES) && (queue.length > 0 || singles.length > 0)
        current = undefined
        if (recycle) { releaseBig(); if (timer) clearTimeout(timer); void w.terminate(); return }
        feed()
      })
      w.on('error', (err: Error & { code?: string }) => {
        lost(err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'ran out of memory' : `crashed (${err.message})`)
      })
      w.on('exit', () => {
        if (current) lost('exited unexpectedly')
        // Replace a worker that died with work left.
        if (queue.length || singles.length) { if (!done) { done = true; live--; if (timer) clearTimeout(timer); start() } }
        else finish()
      })
      feed()
    }
    try {
      for (let i = 0; i < size; i++) start()
    } catch (err) {
      failed = err as Error
      reject(err)
    }
  })
}
