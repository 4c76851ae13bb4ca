// Parses `strace -f -ttt -yy` output into syscall-layer events: destinations, pid → program, exit status.
import type { RuntimeEvent } from './events.ts'
import { previewBytes } from './sniff.ts'

export interface ProcessExit {
  code?: number
  signal?: string
}

export interface StraceLog {
  events: RuntimeEvent[]
  /** First process strace started (the user's command). */
  rootPid?: number
  exits: Map<number, ProcessExit>
  /** pid → command line of the program it was running last. */
  programs: Map<number, string>
  /** Successful execs (argv) and forks (child, in strace's PID numbering), in log order. */
  steps: Array<{ pid: number; argv?: string[]; child?: number; translated?: boolean }>
}

const NETWORK_CALLS = new Set(['connect', 'sendto', 'sendmsg', 'sendmmsg'])
const CLONE_CALLS = new Set(['clone', 'clone3', 'fork', 'vfork'])

/**
 * Syscalls every new thread makes first (glibc's thread start registers rseq, then its robust-futex list).
 * Tracing them is for speed, not for the log: strace cannot know that a new thread or child inherited the
 * seccomp filter until that task stops at a filtered syscall, and until then it steps the task through every
 * syscall with PTRACE_SYSCALL. Node's worker threads never connect or exec, so without these they stayed in
 * that slow mode for good — about a thousand ptrace stops a second under HTTP load. `?`: no error where
 * a name is unknown.
 */
export const THREAD_START_CALLS = ['?rseq', '?set_robust_list']

/** Signals whose delivery strace does not log: frequent, and not how a process is usually killed. */
const QUIET_SIGNALS = ['SIGCHLD', 'SIGWINCH', 'SIGURG', 'SIGPROF', 'SIGVTALRM', 'SIGIO']

/** The strace arguments the sandbox uses; `--seccomp-bpf` keeps untraced syscalls at full speed. */
export function straceArgs(outputFile: string): string[] {
  return [
    // --pidns-translation: the app runs in a PID namespace of its own (confine.ts), so its forks return numbers of
    // that namespace; translated, they match the numbers strace prefixes every line with.
    // Signals: strace writes `+++ killed by SIG… +++` only for signals in this set, so all but the frequent
    // harmless ones (with signal=none a process killed by a signal left no exit line at all).
    '-f', '--seccomp-bpf', '--pidns-translation', '-ttt', '-yy', '-s', '256', '-q', '-e', `signal=!${QUIET_SIGNALS.join(',')}`,
    // glibc sends DNS with sendmmsg; clone/fork give pid → program for threads and children.
    '-e', `trace=connect,sendto,sendmsg,sendmmsg,execve,clone,clone3,fork,vfork,${THREAD_START_CALLS.join(',')}`,
    '-o', outputFile,
  ]
}

/** Parses a whole log (a partial last line is ignored). */
export function parseStraceLog(untrustedText: string): StraceLog {
  const log: StraceLog = { events: [], exits: new Map(), programs: new Map(), steps: [] }
  const pending = new Map<number, { head: string; time: number }>()
  const parent = new Map<number, number>()
  const commandOf = (pid: number): string | undefined => {
    for (let p: number | undefined = pid, hops = 0; p !== undefined && hops < 64; p = parent.get(p), hops++) {
      const c = log.programs.get(p)
      if (c) return c
    }
    return undefined
  }
  const addNetworkCall = (pid: number, time: number, name: string, args: string, result: string) => {
    if (!NETWORK_CALLS.has(name)) return
    const fdKind = /^\d+<([A-Za-z0-9-]+):/.exec(args)?.[1] ?? ''
    const protocol = fdKind.startsWith('TCP') ? 'tcp' : fdKind.startsWith('UDP') ? 'udp' : undefined
    const seen = new Set<string>()
    // What a datagram carried (sendto's buffer, sendmsg's first iov): the syscall layer's own copy of what was sent.
    const payload = name === 'connect' ? undefined : firstPayload(args)
    for (const addr of findAddresses(args)) {
      const key = `${addr.address}|${addr.port}|${addr.unix ?? ''}`
      if (seen.has(key)) continue
      seen.add(key)
      const ev: RuntimeEvent = { layer: 'syscall', time, api: `${name}(2)`, pid, note: result.replace(/\s*\(.*\)$/, '') }
      if (addr.unix !== undefined) { ev.protocol = 'unix'; ev.host = addr.unix }
      else {
        ev.address = addr.address; ev.port = addr.port; ev.protocol = protocol ?? (name === 'connect' ? 'tcp' : 'udp')
        if (payload) ev.sent = payload
      }
      const command = commandOf(pid)
      if (command) ev.command = command
      log.events.push(ev)
    }
  }
  const lines = untrustedText.split('\n')
  if (!untrustedText.endsWith('\n')) lines.pop()
  for (const raw of lines) {
    // A log truncated under strace's feet continues after a hole of NUL bytes: the line after it still counts.
    const line = raw.charCodeAt(0) === 0 ? raw.replace(/^\0+/, '') : raw
    const m = /^(\d+)\s+(?:(\d+\.\d+)\s+)?(.*)$/.exec(line)
    if (!m) continue
    const pid = Number(m[1])
    const time = m[2] ? Math.round(Number(m[2]) * 1000) : Date.now()
    let rest = m[3]
    log.rootPid ??= pid
    const exited = /^\+\+\+ exited with (\d+) \+\+\+/.exec(rest)
    if (exited) { log.exits.set(pid, { code: Number(exited[1]) }); continue }
    const killed = /^\+\+\+ killed by (SIG\w+)/.exec(rest)
    if (killed) { log.exits.set(pid, { signal: killed[1] }); continue }
    if (rest.endsWith('<unfinished ...>')) {
      pending.set(pid, { head: rest.slice(0, -'<unfinished ...>'.length).trimEnd(), time })
      continue
    }
    const resumed = /^<\.\.\. (\w+) resumed>(.*)$/.exec(rest)
    if (resumed) {
      const head = pending.get(pid)?.head
      pending.delete(pid)
      if (!head) continue
      rest = head + resumed[2]
    }
    const call = /^(\w+)\((.*)\) = (.*)$/.exec(rest)
    if (!call) continue
    const [, name, args, result] = call
    if (name === 'execve') {
      if (!result.startsWith('0')) continue
      const argv = parseExecArgv(args)
      if (argv) { log.programs.set(pid, argv.join(' ')); log.steps.push({ pid, argv }) }
      continue
    }
    if (CLONE_CALLS.has(name)) {
      // With --pidns-translation, a child in a nested PID namespace reads `= 2 /* 4711 in strace's PID NS */`:
      // lines are prefixed with strace's own numbering, so that is the one to keep.
      const translated = /in strace's PID NS/.test(result)
      const child = translated ? /\/\* (\d+) in strace's PID NS/.exec(result) : /^(\d+)/.exec(result)
      if (child) { parent.set(Number(child[1]), pid); log.steps.push({ pid, child: Number(child[1]), ...(translated ? { translated } : {}) }) }
      continue
    }
    addNetworkCall(pid, time, name, args, result)
  }
  // A call a process was killed in (or the log ends in) never returned, but it was attempted: its arguments are there.
  for (const [pid, { head, time }] of pending) {
    const call = /^(\w+)\((.*)$/.exec(head)
    if (call) addNetworkCall(pid, time, call[1], call[2], 'unfinished')
  }
  return log
}

/** The first quoted buffer of a send call's arguments (`"…"` after the descriptor, or `iov_base="…"`), as a preview. */
function firstPayload(args: string): string | undefined {
  const m = /^\d+(?:<[^>]*>)?, (?:"((?:[^"\\]|\\.)*)"|\{msg_name=.*?iov_base="((?:[^"\\]|\\.)*)")/.exec(args) ??
    /^\d+(?:<[^>]*>)?, \[\{msg_hdr=\{msg_name=.*?iov_base="((?:[^"\\]|\\.)*)"/.exec(args)
  const text = m?.[1] ?? m?.[2]
  if (text === undefined || text === '') return undefined
  return previewBytes(unescapeC(text), 64)
}

/** strace's C-style string (`\n`, `\33`, `\x1b`, `\\`) back to bytes. */
function unescapeC(text: string): Buffer {
  const out: number[] = []
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (text[i] !== '\\' || i + 1 >= text.length) { out.push(c & 0xff); continue }
    const n = text[++i]
    const simple: Record<string, number> = { n: 10, r: 13, t: 9, v: 11, f: 12, a: 7, b: 8, '\\': 92, '"': 34, "'": 39, '?': 63 }
    if (n in simple) { out.push(simple[n]); continue }
    if (n === 'x') {
      const hex = /^[0-9a-fA-F]{1,2}/.exec(text.slice(i + 1))?.[0] ?? ''
      out.push(hex ? parseInt(hex, 16) : 120)
      i += hex.length
      continue
    }
    const oct = /^[0-7]{1,3}/.exec(text.slice(i))?.[0]
    if (oct) { out.push(parseInt(oct, 8) & 0xff); i += oct.length - 1; continue }
    out.push(n.charCodeAt(0) & 0xff)
  }
  return Buffer.from(out)
}

interface FoundAddress { address?: string; port?: number; unix?: string }

function findAddresses(args: string): FoundAddress[] {
  const found: FoundAddress[] = []
  const re = /sa_family=AF_INET, sin_port=htons\((\d+)\), sin_addr=inet_addr\("([^"]+)"\)|sa_family=AF_INET6, sin6_port=htons\((\d+)\),[^}]*?inet_pton\(AF_INET6, "([^"]+)"|sa_family=AF_UNIX, sun_path=(@?"(?:[^"\\]|\\.)*")/g
  for (let m; (m = re.exec(args)); ) {
    if (m[2]) found.push({ address: m[2], port: Number(m[1]) })
    else if (m[4]) found.push({ address: m[4], port: Number(m[3]) })
    else if (m[5]) found.push({ unix: m[5].replace(/^@?"|"$/g, (s) => (s.startsWith('@') ? '@' : '')) })
  }
  return found
}

/** `"/usr/bin/curl", ["curl", "-s", "url"], 0x… /* 30 vars *\/` → ['curl', '-s', 'url']. */
function parseExecArgv(args: string): string[] | undefined {
  const open = args.indexOf('[')
  if (open < 0) return undefined
  const argv: string[] = []
  let i = open + 1
  while (i < args.length) {
    while (args[i] === ' ' || args[i] === ',') i++
    if (args[i] !== '"') break
    let s = ''
    i++
    while (i < args.length && args[i] !== '"') {
      if (args[i] === '\\' && i + 1 < args.length) { s += unescapeChar(args[i + 1]); i += 2 } else s += args[i++]
    }
    i++
    if (args.startsWith('...', i)) { s += '…'; i += 3 }
    argv.push(s)
  }
  if (argv.length === 0) {
    const path = /^"((?:[^"\\]|\\.)*)"/.exec(args)
    return path ? [path[1]] : undefined
  }
  return argv
}

function unescapeChar(c: string): string {
  return c === 'n' ? '\n' : c === 't' ? '\t' : c
}
