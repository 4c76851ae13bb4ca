// The shape of one CLI command; each lives in src/cli/commands/<name>.ts.
import type { Writable } from 'node:stream'

export interface CliIo {
  stdout: Writable & { isTTY?: boolean }
  stderr: Writable & { isTTY?: boolean }
  env: NodeJS.ProcessEnv
  cwd: string
}

export interface Command {
  name: string
  /** One line for `nophonehome --help`. */
  summary: string
  /** Full usage text for `nophonehome <name> --help`. */
  usage: string
  /** Returns the exit code: 0 pass, 1 findings at/above --fail-on, 2 usage/config/internal error. */
  run(argv: string[], io: CliIo): Promise<number>
}
