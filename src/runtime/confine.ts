// Where the app runs inside the sandbox: a PID namespace of its own whose PID 1 is our reaper, a user namespace of
// its own, and the recorders' files out of its view — so it cannot see, signal or rewrite what watches it.
//
// Inside the sandbox's namespaces (user U1, network, mount M1, PID P1) the supervisor (P1's PID 1) runs the DNS
// stub and the sinks and starts strace. strace's tracee is this chain:
//
//   A  unshare --pid --mount --fork --mount-proc      still in P1; makes P2 and M2, forks B, waits for it
//   B  sh CONFINE_SCRIPT                              PID 1 of P2, in M2: a fresh /proc that shows P2 only, and a
//                                                     read-only empty tmpfs over the private directory (strace's
//                                                     log, configs, the bridge socket, every concurrent run's too)
//      → unshare --user --map-root-user --mount       B enters user namespace U3 (a child of U1) and M3, a copy of
//                                                     M2 whose mounts are locked: U3 cannot unmount the tmpfs or
//                                                     the /proc over P1's, remount them, or mount another /proc
//      → sh REAPER_SCRIPT                             still PID 1 of P2: runs the command, reaps orphans meanwhile
//   C  env -i NAME=VALUE… command…                    the command, with exactly its environment (a shell would
//                                                     drop names it cannot parse, and add PWD)
//
// So the app sees only P2 (kill, ptrace and /proc reach nothing of P1: not the supervisor, strace or A), the kernel
// drops signals to B that B has no handler for (`kill -9 1`, `kill -TERM 1` do nothing), and U3 holds no
// capability over the network namespace (owned by U1): routes, `lo` and firewall rules cannot be changed. B has no
// more privilege than the app (both in U3): taking B over gains nothing but ending P2, which we see.
import { accessSync, constants, lstatSync, mkdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SandboxUnavailableError } from '../errors.ts'
import type { StraceLog } from './strace-log.ts'

/** `$0` of the reaper's shell: marks, in strace's log, the exec after which B's first child is the command. */
export const REAPER_MARKER = 'nophonehome-reaper'

/** B's exit code when it could not hide the private directory (the command never ran). */
export const CONFINE_FAILED = 125

/** Absolute paths of the programs the chain runs, found once by the host (no PATH search inside, under strace). */
export interface ConfineTools {
  sh: string
  mount: string
  unshare: string
  env: string
  sleep: string
}

/**
 * B's first program. Arguments: private dir, the tools, `1`/`0` (user namespace for the app), the reaper script.
 * fd 4 is the app's stderr (fd 2 is strace's, which the supervisor reads); fd 5 carries the command (below).
 */
export const CONFINE_SCRIPT = [
  'exec 2>&4 4>&-',
  'private=$1 mount=$2 unshare=$3 sh=$4 sleep=$5 userns=$6 reaper=$7',
  `"$mount" -t tmpfs -o ro,nosuid,nodev,noexec,size=4k,mode=0755 nophonehome-private "$private" || exit ${CONFINE_FAILED}`,
  'if [ "$userns" = 1 ]; then',
  `  exec "$unshare" --user --map-root-user --mount -- "$sh" -c "$reaper" ${REAPER_MARKER} "$sleep"`,
  'fi',
  `exec "$sh" -c "$reaper" ${REAPER_MARKER} "$sleep"`,
].join('\n')

/**
 * B as PID 1 of the app's namespace. The command comes as one line on fd 5 (commandScript(): an exec of env -i
 * with every variable and argument quoted), evaluated in a subshell: the environment and the arguments appear once in
 * strace's log, in that exec, instead of in every step of the chain. While the command runs, the shell's wait reaps
 * every orphan that ends (wait4 on any child). When it ends, its status goes to fd 3 (the supervisor), and B stays
 * as an idle PID 1 so that daemons the command left keep running until the sandbox is stopped. It installs no signal
 * handler the app could use: dash's SIGCHLD handler only wakes its wait.
 */
export const REAPER_SCRIPT = [
  "nl='",
  "'",
  '( IFS= read -r command <&5 && eval "$command" )',
  'echo "$?" >&3',
  'exec 3>&- 5<&- "$1" 2147483647',
].join('\n')

/**
 * The line B evaluates for the command: `exec env -i NAME=VALUE… command…`, each word single-quoted. A shell
 * between us and the command would drop variables whose names it cannot parse and rewrite PWD, PPID, IFS and
 * OPTIND; env(1) sets exactly these.
 */
export function commandScript(envPath: string, env: Record<string, string>, command: string[]): string {
  const [file] = command
  // env(1) takes the first argument without `=` for the command: one with `=` would be read as a variable.
  if (!file || file.includes('=')) throw new SandboxUnavailableError(`cannot run '${file ?? ''}': a command whose name contains '=' cannot be started through env(1)`, `run it through a shell: sh -c '${file ?? ''}'`)
  // Single quotes keep every byte but the quote itself and the newline: the line is read with `read -r`, so a
  // newline is spelled "$nl" (the reaper defines it) between quoted parts.
  const quote = (word: string) => `'${word.replace(/'/g, `'\\''`).replace(/\n/g, `'"$nl"'`)}'`
  const assignments = Object.entries(env).filter(([name]) => name !== '' && !name.includes('=')).map(([name, value]) => `${name}=${value}`)
  return `exec 3>&- 5<&- ${[envPath, '-i', ...assignments, ...command].map(quote).join(' ')}\n`
}

/** Finds the chain's programs on PATH; SandboxUnavailableError naming what is missing. */
export function findConfineTools(find: (name: string) => string | undefined): ConfineTools {
  const tools: Partial<ConfineTools> = {}
  const missing: string[] = []
  for (const name of ['sh', 'mount', 'unshare', 'env', 'sleep'] as const) {
    const found = find(name)
    if (found) tools[name] = found
    else missing.push(name)
  }
  if (missing.length) {
    throw new SandboxUnavailableError(
      `${missing.join(', ')} not found: the sandbox needs them to keep the app away from its recorders`,
      'install util-linux (mount, unshare) and coreutils (env, sleep)',
    )
  }
  return tools as ConfineTools
}

/** The argv that starts the chain (A); the command itself goes to fd 5 as commandScript(). */
export function confineArgs(options: { tools: ConfineTools; privateDir: string; appUserNamespace: boolean }): string[] {
  const { tools } = options
  return [
    tools.unshare, '--pid', '--mount', '--fork', '--mount-proc', '--kill-child', '--',
    tools.sh, '-c', CONFINE_SCRIPT, 'nophonehome-confine',
    options.privateDir, tools.mount, tools.unshare, tools.sh, tools.sleep, options.appUserNamespace ? '1' : '0', REAPER_SCRIPT,
  ]
}

/**
 * The chain's processes in strace's log (strace's own PID numbering): A is the first process, B is A's first child
 * (A is in strace's PID namespace, so its fork result is in that numbering), C is the first other process to exec
 * `env -i` after B exec'd the reaper (`sh -c SCRIPT nophonehome-reaper …`) — found by its exec, not by B's fork
 * result, which is in the app's numbering unless strace translates it. Undefined until they appear.
 */
export function chainOf(log: StraceLog): { starter?: number; reaper?: number; command?: number } {
  const starter = log.rootPid
  let reaper: number | undefined
  let command: number | undefined
  let reaperRunning = false
  for (const step of log.steps) {
    if (starter !== undefined && reaper === undefined && step.pid === starter && step.child !== undefined) reaper = step.child
    else if (reaper !== undefined && step.pid === reaper && step.argv?.[3] === REAPER_MARKER) reaperRunning = true
    // B's fork, when strace translated its result (it must still exec env to be the command); else its exec of env.
    else if (reaperRunning && step.pid === reaper && step.child !== undefined && step.translated) { command = step.child; break }
    else if (reaperRunning && step.pid !== reaper && step.argv?.[1] === '-i') { command = step.pid; break }
  }
  return { starter, reaper, command }
}

/**
 * The directory every run's private files live under (`$TMPDIR/nophonehome-<uid>`, mode 0700): hiding it hides the
 * files of every run in progress, not only this one's. Refused when it is not ours (a link, another owner, open
 * to others) — someone else could read or swap what the recorders write.
 */
export function privateRoot(): string {
  const uid = process.getuid?.() ?? 0
  const root = join(tmpdir(), `nophonehome-${uid}`)
  try { mkdirSync(root, { mode: 0o700 }) } catch (err) { if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err }
  const st = lstatSync(root)
  if (!st.isDirectory() || st.uid !== uid || (st.mode & 0o077) !== 0) {
    throw new SandboxUnavailableError(
      `${root} is not a private directory of this user (${st.isSymbolicLink() ? 'a symbolic link' : st.isDirectory() ? `mode ${(st.mode & 0o777).toString(8)}, owner ${st.uid}` : 'not a directory'})`,
      `remove it, or set TMPDIR to a directory only you can write`,
    )
  }
  accessSync(root, constants.W_OK)
  return root
}

/** A fresh directory under privateRoot(). */
export function makePrivateDir(prefix: string): string {
  return mkdtempSync(join(privateRoot(), prefix))
}
