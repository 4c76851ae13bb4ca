// Shared test helpers: where the build is, how to run the CLI, where fixtures live.
import { spawn } from 'node:child_process'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { dirname, join, resolve } from 'node:path'

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
export const DIST = resolve(ROOT, process.env.NPH_DIST || 'dist')
export const FIXTURES = join(ROOT, 'test/fixtures')
export const CLI = join(DIST, 'cli.js')

/** Imports a built module, e.g. `await importDist('internal.js')`. */
export function importDist(rel) {
  return import(pathToFileURL(join(DIST, rel)).href)
}

export const fixture = (...parts) => join(FIXTURES, ...parts)

/**
 * Spawns the built CLI; resolves { code, stdout, stderr }. NO_COLOR is set so
 * output is stable; pass env to override.
 */
export function runCli(args, { cwd = ROOT, env = {}, input, timeout = 120_000 } = {}) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: '1', GITHUB_ACTIONS: '', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout,
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code, signal) => resolvePromise({ code, signal, stdout, stderr }))
    if (input !== undefined) child.stdin.end(input)
    else child.stdin.end()
  })
}

/** Runs the CLI with --format json and parses stdout. */
export async function scanJson(args, opts) {
  const r = await runCli([...args, '--format', 'json'], opts)
  let report
  try {
    report = JSON.parse(r.stdout)
  } catch {
    throw new Error(`CLI did not print JSON (exit ${r.code}).\nstdout: ${r.stdout.slice(0, 2000)}\nstderr: ${r.stderr.slice(0, 2000)}`)
  }
  return { ...r, report }
}
