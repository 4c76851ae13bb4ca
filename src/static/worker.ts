// Worker thread: reads, parses and analyses JavaScript files sent by the pool; replies per batch.
import { parentPort } from 'node:worker_threads'
import { readFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { analyseSource } from './analyse.ts'
import { wireModuleResolver } from './modules.ts'
import type { ModuleKind } from './parse.ts'
import { toFileResult, type FileJob, type FileResult } from './file-result.ts'

if (!parentPort) throw new Error('worker.ts must run in a worker thread')
const port = parentPort

port.on('message', (msg: { batch: FileJob[] }) => {
  const results: FileResult[] = []
  for (const job of msg.batch) {
    results.push(analyseJob(job))
  }
  port.postMessage({ results })
})

export function analyseJob(job: FileJob): FileResult {
  let source: string
  try {
    source = job.source ?? readFileSync(job.path, 'utf8')
  } catch (err) {
    return { id: job.id, notAnalysed: `could not be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` }
  }
  try {
    let deps: Set<string> | undefined
    const r = analyseSource(source, job.kind as ModuleKind, {
      setupFolder: job.source === undefined ? (folder) => { deps = wireModuleResolver(folder, job.path, job.root ?? dirname(job.path)).dependsOn } : undefined,
    })
    const out = toFileResult(job.id, source, r)
    if (deps?.size) out.crossFile = true
    return out
  } catch (err) {
    if (err instanceof RangeError) return { id: job.id, notAnalysed: `analysis ran out of stack (${err.message})` }
    return { id: job.id, notAnalysed: `analysis failed: ${(err as Error).message}` }
  }
}
