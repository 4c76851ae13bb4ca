// Helpers for runtime tests: `nophonehome run --format json …` with the command kept after `--`.
import { spawn } from 'node:child_process'
import { CLI, runCli } from '../helpers/index.mjs'

/** Runs `nophonehome run --format json <args>`; resolves { code, stdout, stderr, report }. */
export async function runJson(args, opts) {
  const r = await runCli(['run', '--format', 'json', ...args], opts)
  let report
  try {
    report = JSON.parse(r.stdout)
  } catch {
    throw new Error(`run did not print JSON (exit ${r.code}).\nstdout: ${r.stdout.slice(0, 2000)}\nstderr: ${r.stderr.slice(0, 2000)}`)
  }
  return { ...r, report }
}

/** `<node> dist/cli.js run --format json -- <command>`: nophonehome itself on the given Node binary. */
export function runWith(node, args, { env = {}, timeout = 120_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(node, [CLI, 'run', '--format', 'json', ...args], { env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'], timeout })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code) => {
      try { resolve({ code, stderr, report: JSON.parse(stdout) }) } catch { reject(new Error(`no JSON (exit ${code}): ${stdout.slice(0, 500)}\n${stderr.slice(-2000)}`)) }
    })
  })
}
