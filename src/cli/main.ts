// argv → command → exit code. The only place (with command files) that decides exit codes.
import { NophonehomeError, UsageError } from '../errors.ts'
import { TOOL_NAME, TOOL_VERSION } from '../version.ts'
import type { CliIo, Command } from './command.ts'
import { commands } from './commands/index.ts'

export function helpText(): string {
  const width = Math.max(...commands.map((c) => c.name.length))
  return [
    `${TOOL_NAME} ${TOOL_VERSION} — prove a self-hosted build phones no one home`,
    '',
    `usage: ${TOOL_NAME} <command> [options]`,
    '',
    'commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    `Run '${TOOL_NAME} <command> --help' for a command's options.`,
    'Exit codes: 0 pass, 1 findings at or above --fail-on (or an incomplete analysis), 2 usage/config/internal error.',
  ].join('\n')
}

/** Runs the CLI; returns the exit code. Never calls process.exit. */
export async function main(argv: string[], io: CliIo = defaultIo()): Promise<number> {
  const [name, ...rest] = argv
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(helpText() + '\n')
    return name ? 0 : 2
  }
  if (name === '--version' || name === '-V') {
    io.stdout.write(TOOL_VERSION + '\n')
    return 0
  }
  const cmd: Command | undefined = commands.find((c) => c.name === name)
  if (!cmd) {
    io.stderr.write(`${TOOL_NAME}: unknown command '${name}'\n\n${helpText()}\n`)
    return 2
  }
  // `run -- app --help` passes --help to the app: only flags before `--` are ours.
  const own = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest
  if (own.includes('--help') || own.includes('-h')) {
    io.stdout.write(cmd.usage.trimEnd() + '\n')
    return 0
  }
  try {
    return await cmd.run(rest, io)
  } catch (err) {
    return reportError(err, io, cmd.name)
  }
}

export function reportError(err: unknown, io: CliIo, command: string): number {
  if (err instanceof NophonehomeError) {
    io.stderr.write(`${TOOL_NAME} ${command}: ${err.message}\n`)
    const problems = (err as { problems?: string[] }).problems
    if (problems?.length) io.stderr.write(problems.map((p) => `  ${p}\n`).join(''))
    if (err.hint) io.stderr.write(`hint: ${err.hint}\n`)
    if (err instanceof UsageError) io.stderr.write(`Run '${TOOL_NAME} ${command} --help' for usage.\n`)
    return 2
  }
  const e = err as Error
  io.stderr.write(
    `${TOOL_NAME} ${TOOL_VERSION} ${command}: internal error — please report it with this output.\n` +
      `${e?.stack ?? String(err)}\n`,
  )
  return 2
}

function defaultIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() }
}
