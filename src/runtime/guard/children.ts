// Reach: records each child process (pid, whether the guard loads there) and keeps the guard in worker threads.
import childProcess from 'node:child_process'
import workerThreads from 'node:worker_threads'
import { record } from './log.ts'
import { captureStack } from './stack.ts'
import { inheritsGuard } from './tamper.ts'
import { disguise, patches, patchMethod } from './wrap.ts'

const GUARD_FILE = typeof __filename === 'string' ? __filename : ''

function nodeOptionsOf(envPairs: unknown): string | undefined {
  if (!Array.isArray(envPairs)) return undefined
  for (const pair of envPairs) if (typeof pair === 'string' && pair.startsWith('NODE_OPTIONS=')) return pair.slice(13)
  return undefined
}

function describeChild(file: unknown, args: unknown): string {
  const argv = Array.isArray(args) ? args.map(String) : [String(file)]
  return argv.join(' ').slice(0, 300)
}

/**
 * A note, not an attempt (no host): it lets the correlator attribute what the OS layers see from that pid —
 * a child `curl`, or a `node` child that runs without the guard because its env was replaced.
 */
function recordSpawn(api: string, childPid: number | undefined, commandLine: string, guarded: boolean, stack: string[]): void {
  record({
    api,
    stack,
    note: `spawned pid ${childPid ?? '?'}: ${commandLine}; guard ${guarded ? 'inherited' : 'not inherited (NODE_OPTIONS without the guard)'}`,
  })
}

export function installChildren(): void {
  // Every asynchronous spawn/exec/execFile/fork ends in ChildProcess#spawn with the final envPairs.
  patchMethod(childProcess.ChildProcess.prototype, 'spawn', 'ChildProcess.prototype.spawn', (original) =>
    function spawn(this: { pid?: number }, ...args: unknown[]) {
      let stack: string[] | undefined
      try { stack = captureStack(spawn) } catch { /* unrecorded */ }
      const result = Reflect.apply(original, this, args)
      try {
        const options = args[0] as { file?: unknown; args?: unknown; envPairs?: unknown } | undefined
        if (stack && options) recordSpawn('child_process.spawn', this.pid, describeChild(options.file, options.args), inheritsGuard(nodeOptionsOf(options.envPairs)), stack)
      } catch { /* never break the app */ }
      return result
    },
  )
  // The sync variants go straight to a binding; wrap the exports instead.
  for (const key of ['spawnSync', 'execSync', 'execFileSync'] as const) {
    patchMethod(childProcess, key, `child_process.${key}`, (original) =>
      function runSync(this: unknown, ...args: unknown[]) {
        let stack: string[] | undefined
        try { stack = captureStack(runSync) } catch { /* unrecorded */ }
        try {
          const options = args.find((a) => a !== null && typeof a === 'object' && !Array.isArray(a)) as { env?: NodeJS.ProcessEnv } | undefined
          const env = options?.env ?? process.env
          const line = [args[0], ...(Array.isArray(args[1]) ? args[1] : [])].map(String).join(' ').slice(0, 300)
          // Recorded before the call: a sync child may run for a long time (or forever).
          if (stack) recordSpawn(`child_process.${key}`, undefined, line, inheritsGuard(env.NODE_OPTIONS), stack)
        } catch { /* never break the app */ }
        return Reflect.apply(original, this, args)
      },
    )
  }
}

/**
 * A Worker given its own `env` loads preloads from that env's NODE_OPTIONS (verified on 20–26), so a replaced
 * env would drop the guard from the thread. Unlike a child process, a worker is inside this process where no
 * OS layer can tell threads apart, so the guard adds itself back to that env's NODE_OPTIONS (the worker logs
 * through this process's descriptor, handed over as worker environment data). The worker can see the added
 * option in its process.env — the only visible change.
 */
export function installWorkers(): void {
  const Original = workerThreads.Worker
  if (typeof Original !== 'function' || !GUARD_FILE) return
  const withGuard = (options: unknown): unknown => {
    if (!options || typeof options !== 'object') return options
    const env = (options as { env?: unknown }).env
    if (!env || typeof env !== 'object') return options // default env or SHARE_ENV: the guard is inherited
    const nodeOptions = (env as Record<string, unknown>).NODE_OPTIONS
    if (typeof nodeOptions === 'string' && nodeOptions.includes(GUARD_FILE)) return options
    const added = `${typeof nodeOptions === 'string' ? nodeOptions + ' ' : ''}--require ${JSON.stringify(GUARD_FILE)}`
    return { ...options, env: { ...(env as Record<string, unknown>), NODE_OPTIONS: added } }
  }
  const Guarded = class Worker extends Original {
    constructor(filename: string | URL, options?: workerThreads.WorkerOptions) {
      let adjusted = options
      try { adjusted = withGuard(options) as workerThreads.WorkerOptions | undefined } catch { /* keep the app's */ }
      super(filename, adjusted)
    }
  }
  disguise(Guarded, Original)
  try {
    Object.defineProperty(workerThreads, 'Worker', { value: Guarded, writable: true, enumerable: true, configurable: true })
    patches.push({ owner: workerThreads, key: 'Worker', label: 'worker_threads.Worker', wrapper: Guarded })
  } catch { /* read-only export: workers with a replaced env go unguarded */ }
}
