// Worker thread: reads, parses and analyses JavaScript files sent by the pool; replies per batch.
import { parentPort } from 'node:worker_threads'
import { getHeapStatistics } from 'node:v8'
import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs'
import { basename } from 'node:path'
import { analyseSource } from './analyse.ts'
import type { ModuleKind } from '../parse/parse.ts'
import { addAttributionInputs, toFileResult, type FileJob, type FileResult } from './file-result.ts'

if (!parentPort) throw new Error('worker.ts must run in a worker thread')
const port = parentPort

port.on('message', (msg: { batch: FileJob[] }) => {
  const results: FileResult[] = []
  for (const job of msg.batch) {
    results.push(analyseJob(job))
  }
  // The pool replaces a worker whose heap grew too big (see RECYCLE_HEAP_BYTES in pool.ts).
  port.postMessage({ results, heapBytes: getHeapStatistics().total_heap_size })
})

/**
 * Test-only fault injection, so tests can prove a dying or hanging worker costs one file, not the scan:
 * NOPHONEHOME_TEST_WORKER_FAULT=<exit|throw|hang>:<file basename>. It can only make a file not
 * analysed (the verdict then cannot pass), never hide one.
 */
const injectedFault = /^(exit|throw|hang):(.+)$/.exec(process.env.NOPHONEHOME_TEST_WORKER_FAULT ?? '')

function injectFault(path: string): void {
  if (!injectedFault || basename(path) !== injectedFault[2]) return
  if (injectedFault[1] === 'exit') process.exit(70)
  // Thrown outside analyseJob's own catch: an uncaught error ends the worker thread.
  if (injectedFault[1] === 'throw') throw new Error(`injected worker fault on ${basename(path)}`)
  if (injectedFault[1] === 'hang') for (;;) { /* spin until the pool's timer terminates this worker */ }
}

/** Reads a file the collector saw as regular; if it was swapped for a FIFO or device since, it is not read. */
function readRegularFile(path: string): string {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK)
  try {
    const st = fstatSync(fd)
    if (!st.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'ENOTREG' })
    // Read, then decode: on Node 20 this is ~35 ms faster on a 20 MB file than reading with 'utf8' (the
    // same string, U+FFFD for the same invalid bytes).
    return readFileSync(fd).toString('utf8')
  } finally {
    closeSync(fd)
  }
}

export function analyseJob(job: FileJob): FileResult {
  injectFault(job.path)
  let source: string
  try {
    source = job.source ?? readRegularFile(job.path)
  } catch (err) {
    return { id: job.id, notAnalysed: `could not be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` }
  }
  try {
    // Files read from disk are part of a program: their summary goes to the whole-program phase.
    const r = analyseSource(source, job.kind as ModuleKind, { summarise: job.source === undefined })
    const out = toFileResult(job.id, source, r)
    if (job.source === undefined) addAttributionInputs(out, source)
    return out
  } catch (err) {
    if (err instanceof RangeError) return { id: job.id, notAnalysed: `analysis ran out of stack (${err.message})` }
    return { id: job.id, notAnalysed: `analysis failed: ${(err as Error).message}` }
  }
}
