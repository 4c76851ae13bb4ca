// Runs a fixture under the built guard, inside a network namespace with no route out, and reads what it recorded.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DIST, ROOT, fixture } from '../../helpers/index.mjs'

export const GUARD = join(DIST, 'runtime', 'guard.cjs')

/** Node binaries by major: the one running the tests (if it is 20) and the npm `nodeNN` packages. */
export function nodeBinaries() {
  const out = []
  for (const major of [20, 22, 24, 26]) {
    const candidates = [join(ROOT, `test/nodes/node_modules/node${major}/bin/node`)]
    if (Number(process.versions.node.split('.')[0]) === major) candidates.unshift(process.execPath)
    const bin = candidates.find((c) => existsSync(c))
    out.push({ major, bin })
  }
  return out
}

/** Whether `unshare -rn` works here; every fixture that tries the network must run inside it. */
export const canUnshare = spawnSync('unshare', ['-rn', 'true']).status === 0

/**
 * Spawns `unshare -rn <node> fixture` with NODE_OPTIONS=--require <guard> (as `nophonehome run` does) and
 * NOPHONEHOME_GUARD_LOG set; `loopbackUp` brings `lo` up first for fixtures that talk to themselves.
 */
export function runGuarded(node, name, { env = {}, loopbackUp = false, timeout = 20_000, log } = {}) {
  // Missing guard = broken build: fail loudly rather than skip.
  if (!existsSync(GUARD)) return Promise.reject(new Error(`no built guard at ${GUARD}: run \`npm run build\` (NPH_DIST=${process.env.NPH_DIST ?? ''})`))
  const dir = mkdtempSync(join(tmpdir(), 'nph-guard-'))
  const logFile = log ?? join(dir, 'guard.jsonl')
  const childEnv = { ...process.env, NODE_OPTIONS: `--require ${JSON.stringify(GUARD)}`, NOPHONEHOME_GUARD_LOG: logFile, ...env }
  delete childEnv.NODE_TEST_CONTEXT
  for (const [k, v] of Object.entries(childEnv)) if (v === undefined) delete childEnv[k]
  const file = fixture('runtime-guard', name)
  const argv = loopbackUp
    ? ['-rn', 'sh', '-c', 'ip link set lo up && exec "$0" "$@"', node, file]
    : ['-rn', node, file]
  return new Promise((resolvePromise, reject) => {
    const child = spawn('unshare', argv, { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'], timeout })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code, signal) => {
      let events = []
      try {
        events = readFileSync(logFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l))
      } catch { /* no log */ }
      rmSync(dir, { recursive: true, force: true })
      resolvePromise({ code, signal, stdout, stderr, events, file })
    })
  })
}

/** 1-based line of the fixture line ending in `// attempt` or `// attempt:<marker>`. */
export function attemptLine(file, marker) {
  const lines = readFileSync(file, 'utf8').split('\n')
  const tag = marker ? `// attempt:${marker}` : '// attempt'
  const i = lines.findIndex((l) => l.trimEnd().endsWith(tag))
  if (i < 0) throw new Error(`no "${tag}" in ${file}`)
  return i + 1
}

/** True when some frame of the stack points at file:line (paths or file:// URLs). */
export function stackHas(stack, file, line) {
  return (stack ?? []).some((f) => f.includes(`${file}:${line}:`))
}
