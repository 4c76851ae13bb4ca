// Helpers for runtime tests: `nophonehome run --format json …` with the command kept after `--`.
import { runCli } from '../helpers/index.mjs'

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
