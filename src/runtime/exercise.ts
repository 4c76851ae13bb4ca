// Exercise requests: a JSON list of HTTP requests sent with undici to the app through the sandbox bridge.
import { readFileSync } from 'node:fs'
import { UsageError } from '../errors.ts'

export interface ExerciseRequest {
  method?: string
  path: string
  headers?: Record<string, string>
  /** A string is sent as is; anything else as JSON. */
  body?: unknown
}

export interface ExerciseResult {
  method: string
  path: string
  status?: number
  error?: string
  ms: number
}

/** Reads and checks an exercise file; problems name the entry and field. */
export function loadExercise(file: string): ExerciseRequest[] {
  let untrusted: unknown
  try {
    untrusted = JSON.parse(readFileSync(file, 'utf8'))
  } catch (err) {
    throw new UsageError(`cannot read exercise file ${file}: ${(err as Error).message}`)
  }
  if (!Array.isArray(untrusted)) throw new UsageError(`${file}: expected a JSON array of requests like {"method":"GET","path":"/"}`)
  return untrusted.map((entry, i) => {
    const where = `${file} /${i}`
    if (!entry || typeof entry !== 'object') throw new UsageError(`${where}: expected an object`)
    const e = entry as Record<string, unknown>
    if (typeof e.path !== 'string' || !e.path.startsWith('/')) throw new UsageError(`${where}/path: expected a string starting with /`)
    if (e.method !== undefined && (typeof e.method !== 'string' || !/^[A-Za-z]+$/.test(e.method))) throw new UsageError(`${where}/method: expected an HTTP method`)
    if (e.headers !== undefined && (typeof e.headers !== 'object' || e.headers === null || Object.values(e.headers).some((v) => typeof v !== 'string'))) {
      throw new UsageError(`${where}/headers: expected an object of strings`)
    }
    return { method: e.method as string | undefined, path: e.path, headers: e.headers as Record<string, string> | undefined, body: e.body }
  })
}

/** Sends the requests one after another; a failing request is recorded, not thrown. */
export async function sendExercise(baseUrl: string, requests: readonly ExerciseRequest[], timeoutMs = 10_000): Promise<ExerciseResult[]> {
  const results: ExerciseResult[] = []
  // undici is loaded here, not at start-up: only `--exercise` runs need it.
  const { request } = await import('undici')
  for (const r of requests) {
    const method = (r.method ?? 'GET').toUpperCase()
    const headers: Record<string, string> = { ...(r.headers ?? {}) }
    let body: string | undefined
    if (r.body !== undefined) {
      body = typeof r.body === 'string' ? r.body : JSON.stringify(r.body)
      if (typeof r.body !== 'string' && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json'
    }
    const start = Date.now()
    try {
      const res = await request(new URL(r.path, baseUrl), {
        method: method as 'GET', headers, body, headersTimeout: timeoutMs, bodyTimeout: timeoutMs,
      })
      await res.body.dump()
      results.push({ method, path: r.path, status: res.statusCode, ms: Date.now() - start })
    } catch (err) {
      results.push({ method, path: r.path, error: (err as Error).message, ms: Date.now() - start })
    }
  }
  return results
}
