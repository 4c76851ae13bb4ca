// Child processes: records each spawn with its pid and whether the guard will load in it (a replaced env drops it).
import childProcess from 'node:child_process'
import { record } from './log.ts'
import { captureStack } from './stack.ts'
import { inheritsGuard } from './tamper.ts'
import { patchMethod } from './wrap.ts'

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
