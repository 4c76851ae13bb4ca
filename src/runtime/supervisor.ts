// Runs inside the sandbox's namespaces (as its PID 1): DNS stub, sinks, bridge, the command (once the network is set
// up), and the watch over everything that watches the app.
import { spawn, type ChildProcess } from 'node:child_process'
import { fstatSync, openSync, readFileSync, readSync, readdirSync, readlinkSync, realpathSync } from 'node:fs'
import { createConnection, createServer, Socket } from 'node:net'
import type { Readable } from 'node:stream'
import type { SupervisorConfig, ToHost, ToSupervisor } from './control.ts'
import { createLineParser } from './control.ts'
import { startDnsStub, type DnsStub } from './dns-stub.ts'
import { startSinks, type Sinks } from './sinks.ts'
import { parseStraceLog, straceArgs, type ProcessExit } from './strace-log.ts'
import { checkNetworkSnapshot, diffNetworkSnapshots, snapshotNetwork, waitForNetworkSetup } from './network-setup.ts'
import { closeInheritedDescriptors } from './descriptors.ts'
import { CONFINE_FAILED, REAPER_MARKER, chainOf, commandScript, confineArgs } from './confine.ts'

const config = JSON.parse(readFileSync(process.argv[2], 'utf8')) as SupervisorConfig
// Before anything is started: only stdio and our control channel (fd 3) are ours to have.
closeInheritedDescriptors([3])
const control = new Socket({ fd: 3, readable: true, writable: true })
const send = (message: ToHost) => { if (!control.destroyed) control.write(JSON.stringify(message) + '\n') }
const isPid1 = process.pid === 1
const confined = !!config.confine && isPid1

let child: ChildProcess | undefined
let exitSent = false
let stopping = false
// Declared up here: stop() and the log readers run from handlers while main() below is still pending.
let stopped: Promise<void> | undefined
// Opened before strace starts (the host created the file; strace truncates, never replaces it).
let straceFd: number | undefined
let dns: DnsStub | undefined
let sinks: Sinks | undefined
const ownInodes = new Set<string>()
/** The chain's processes (confine.ts): A, B (the app's PID 1) and C (the command), in our PID numbering. */
const chain: { starter?: number; reaper?: number; command?: number } = {}
let commandEnded = false
let networkBefore: string | undefined
const lostReasons = new Set<string>()

/** Something that watches the app was lost or tampered with: the host puts it in `degraded`. Once per reason. */
function lost(reason: string): void {
  if (lostReasons.has(reason)) return
  lostReasons.add(reason)
  send({ type: 'lost', reason, time: Date.now() })
}

control.on('error', () => {})
// The host went away (crashed or killed): nothing may outlive it.
control.on('close', () => { void stop().then(() => process.exit(0)) })
control.on('data', createLineParser<ToSupervisor>((message) => {
  if (message.type === 'stop') void stopAndExit()
  else if (message.type === 'watch-port') watchPort(message.id, message.port)
}))
// The host stops us over the control channel, never with a signal: a signal comes from elsewhere (a terminal's
// Ctrl-C, another process) and cuts the run short, or asks for something we do not do. PID 1 ignores signals it has
// no handler for; a handler makes each one seen. SIGUSR1 would otherwise open Node's inspector — a way into the
// recorders — so it gets one too.
for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
  process.on(sig, () => {
    if (!stopping) lost(`the sandbox supervisor received ${sig}, which nophonehome did not send: the sandbox was stopped before the command finished`)
    void stop().then(() => process.exit(0))
  })
}
for (const sig of ['SIGUSR1', 'SIGUSR2', 'SIGQUIT', 'SIGALRM', 'SIGVTALRM', 'SIGPROF', 'SIGXCPU', 'SIGXFSZ'] as const) {
  process.on(sig, () => lost(`the sandbox supervisor (DNS stub, sinks) received ${sig}, which nophonehome did not send`))
}

send({ type: 'hello', pid: process.pid })
// Built as CommonJS (no top-level await): Node boots a CommonJS entry noticeably faster than an ES module one.
main().catch((err: unknown) => {
  send({ type: 'fatal', stage: 'setup', message: (err as Error).message })
  control.end(() => process.exit(3))
})

async function main(): Promise<void> {
  const notes: string[] = []
  const onEvent = (event: import('./events.ts').RuntimeEvent) => send({ type: 'event', event })
  if (config.isolated) {
    // The network setup started with the namespaces (network-setup.ts) and ran while this process booted; binding
    // wildcard addresses needs no route, so the listeners start side by side with the wait for it.
    const host = hasIPv6() ? '::' : '0.0.0.0'
    const [, d, s] = await Promise.all([
      waitForNetworkSetup(config.networkStatus!),
      startDnsStub({
        answers: config.dns.answers, nxdomain: config.dns.nxdomain, host, onEvent,
        onLimit: (n) => lost(`the DNS stub stopped recording names after ${n} queries (flooded); later names were answered but not recorded`),
      }),
      startSinks({
        tcpPorts: config.sinks.tcp, udpPorts: config.sinks.udp, host, onEvent,
        onLimit: (n) => lost(`the sinks stopped recording after ${n} connections and datagrams (flooded): what later ones sent was not captured`),
      }),
      startBridge(),
    ])
    dns = d
    sinks = s
    if (sinks.unavailable.length) notes.push(`sink ports in use: ${sinks.unavailable.join(', ')}`)
  } else {
    await startBridge()
  }
  startCommand()
  // After the spawn, while the command starts: this process's descriptor table holds only our own sockets either way.
  rememberOwnSockets()
  send({ type: 'started', pid: child?.pid, sinks: sinks && { tcp: sinks.tcpPorts, udp: sinks.udpPorts, unavailable: sinks.unavailable }, notes })
  // While the chain starts the command (this process has nothing else to do): the first parse of strace's log
  // compiles the parser (~10 ms on a busy 2-core box), and it would come when the command ends, on the critical path.
  if (confined && config.strace) setImmediate(warmUpParser)
  if (confined) {
    if (!config.confine!.appUserNamespace) {
      lost('user namespaces are unavailable here, so the app ran with the same credentials as the recorders inside the sandbox and could have reached them')
    }
    // Compared with a second one when the sandbox stops.
    networkBefore = snapshotNetwork()
    for (const problem of checkNetworkSnapshot(networkBefore)) lost(`the sandbox's network set-up is broken: ${problem}`)
    if (config.strace) watchTracer()
  }
}

function warmUpParser(): void {
  const sample = [
    `1 1.000000 execve("/bin/sh", ["/bin/sh", "-c", "x", "${REAPER_MARKER}", "/usr/bin/env"], 0x1 /* 2 vars */) = 0`,
    '1 1.000001 clone(child_stack=NULL, flags=SIGCHLD) = 2 /* 3 in strace\'s PID NS */',
    '3 1.000002 execve("/usr/bin/env", ["/usr/bin/env", "-i", "A=1", "node"], 0x1 /* 0 vars */) = 0',
    '3 1.000003 connect(3<TCP:[1]>, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("192.0.2.1")}, 16 <unfinished ...>',
    '3 1.000004 <... connect resumed>) = -1 ECONNREFUSED (Connection refused)',
    '3 1.000005 sendto(4<UDP:[2]>, "\\1\\2", 2, 0, {sa_family=AF_INET6, sin6_port=htons(53), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "::1", &sin6_addr), sin6_scope_id=0}, 28) = 2',
    '3 1.000006 +++ exited with 0 +++',
    '',
  ].join('\n')
  chainOf(parseStraceLog(sample))
}

function hasIPv6(): boolean {
  try { return readFileSync('/proc/sys/net/ipv6/conf/all/disable_ipv6', 'utf8').trim() === '0' } catch { return false }
}

function startCommand(): void {
  if (config.strace) try { straceFd = openSync(config.straceLog, 'r') } catch { /* read by path later */ }
  if (!confined) { startUnconfined(); return }
  const { tools, privateDir, appUserNamespace } = config.confine!
  const argv = confineArgs({ tools, privateDir, appUserNamespace })
  const [file, ...args] = config.strace ? [config.strace, ...straceArgs(config.straceLog), '--', ...argv] : argv
  // The chain needs no environment of its own (absolute paths; the command's comes in the script on fd 5). fd 2 is
  // strace's own: anything it says is about the syscall layer. fd 3 carries the command's exit status from the
  // reaper; fd 4 becomes the app's stderr.
  child = spawn(file, args, {
    cwd: config.cwd, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    stdio: ['ignore', 'inherit', config.strace ? 'pipe' : 'inherit', 'pipe', 2, 'pipe'],
  })
  const script = (child.stdio as unknown as Socket[])[5]
  script.on('error', () => {})
  script.end(commandScript(tools.env, config.env, config.command))
  child.on('error', (err) => reportExit({ error: (err as NodeJS.ErrnoException).code ?? err.message, code: 127 }))
  if (config.strace) watchTracerOutput(child.stdio[2] as Readable)
  const status = child.stdio[3] as Socket
  status.on('error', () => {})
  status.on('data', createLineParser<number>((code) => { if (typeof code === 'number') onCommandStatus(code) }))
  child.on('exit', (code, signal) => onChainExit(code, signal))
}

/** Degraded runs (no namespaces): the command (under strace) straight away, in a process group of its own. */
function startUnconfined(): void {
  const [file, ...args] = config.strace ? [config.strace, ...straceArgs(config.straceLog), '--', ...config.command] : config.command
  child = spawn(file, args, { cwd: config.cwd, env: config.env, stdio: ['ignore', 'inherit', 'inherit'], detached: !isPid1 })
  child.on('error', (err) => reportExit({ error: (err as NodeJS.ErrnoException).code ?? err.message, code: 127 }))
  child.on('exit', (code, signal) => {
    if (!config.strace) reportExit({ code: code ?? undefined, signal: signal ?? undefined })
    else reportExit(commandExitFromLog(log().rootPid) ?? { code: code ?? undefined, signal: signal ?? undefined })
  })
  // strace outlives the command while daemons it left run: the command is the first process in strace's log.
  if (config.strace) {
    const timer = setInterval(() => {
      const root = log().rootPid
      if (exitSent || stopping) { clearInterval(timer); return }
      if (root !== undefined && !isRunning(root)) {
        const exit = commandExitFromLog(root)
        if (exit) { clearInterval(timer); reportExit(exit) }
      }
    }, 100)
    timer.unref()
  }
}

/**
 * The reaper wrote the command's status. Under strace the log is the authority (exact signal, and the app could
 * forge this line through /proc/1/fd/3): the command must really be gone, and its exit line is read from the log.
 */
function onCommandStatus(shellStatus: number): void {
  if (exitSent) return
  if (!config.strace || !tracerAlive()) {
    commandEnded = true
    reportExit({ code: shellStatus })
    endIfNothingIsLeft()
    return
  }
  const { command } = chainPids()
  if (command !== undefined && isRunning(command)) return
  void settleCommandExit()
}

/** Reads the command's exit from the log, giving strace a moment to write it (it does as it reaps the process). */
async function settleCommandExit(): Promise<void> {
  if (commandEnded) return
  commandEnded = true
  let exit: ProcessExit & { error?: string } | undefined
  await waitUntil(() => (exit = commandExitFromLog(chainPids().command)) !== undefined, 500)
  if (!exit) lost("the syscall layer did not record how the command ended (its exit is missing from strace's log)")
  reportExit(exit ?? {})
  endIfNothingIsLeft()
}

/**
 * strace (or, without it, A) ended. Before the stop that is only possible when something ended the app's PID 1 (and
 * with it every app process) or the tracer itself.
 */
function onChainExit(code: number | null, signal: NodeJS.Signals | null): void {
  if (stopping) return
  if (config.strace) {
    const { reaper, command } = chainPids()
    if (code === CONFINE_FAILED && command === undefined) {
      reportExit({ code: CONFINE_FAILED, error: 'the app could not be confined (see the output above); it did not run' })
    } else if (signal || reaper === undefined || isRunning(reaper)) {
      lost(`the syscall tracer (strace) ended (${signal ? `killed by ${signal}` : `exit code ${code}`}) while the app ran: later attempts were not recorded by the syscall layer`)
    } else {
      const how = log().exits.get(reaper)
      lost(`the app's PID 1 (nophonehome's reaper) ended (${how?.signal ? `killed by ${how.signal}` : `exit code ${how?.code ?? 'unknown'}`}) before the sandbox was stopped: every process of the app was killed with it`)
    }
  } else if (code === CONFINE_FAILED && !exitSent) {
    reportExit({ code: CONFINE_FAILED, error: 'the app could not be confined (see the output above); it did not run' })
  } else {
    lost(`the app's PID 1 (nophonehome's reaper) ended (${signal ? `killed by ${signal}` : `exit code ${code}`}) before the sandbox was stopped: every process of the app was killed with it`)
  }
  if (!exitSent && !commandEnded) void settleCommandExit()
  // The app's namespace is gone when its PID 1 is: nothing is left to watch.
  const { reaper } = chainPids()
  if (reaper === undefined || !isRunning(reaper)) void waitUntil(() => exitSent, 1000).then(() => stopAndExit())
}

/** strace writes to its stderr only when something is wrong with the syscall layer (it runs with -q). */
function watchTracerOutput(stream: Readable): void {
  let rest = ''
  stream.on('data', (d: Buffer) => {
    // Our own teardown kills the app's PID 1 with SIGKILL; unshare (the chain's first step) then fails to re-raise
    // a signal no handler may be set for, and says so: expected once stopping, so not shown.
    if (stopping) {
      const shown = d.toString().split('\n').filter((l) => !/^unshare: sigprocmask unblock failed/.test(l)).join('\n')
      if (shown) process.stderr.write(shown)
      return
    }
    process.stderr.write(d)
    rest += d.toString()
    const lines = rest.split('\n')
    rest = lines.pop() ?? ''
    for (const line of lines) {
      // strace prefixes what it says with its name; the chain's first step (unshare) shares this stream.
      if (!/^(?:\S*\/)?strace: /.test(line)) continue
      const text = line.length > 300 ? line.slice(0, 300) + '…' : line
      lost(/No space left|write|EIO|EFBIG|Disk quota/i.test(line)
        ? `the syscall layer could not write its log (${text}): attempts from then on are missing`
        : `the syscall layer reported a problem (${text})`)
    }
  })
  stream.on('error', () => {})
}

/**
 * A stopped tracer holds every traced call of the app and writes nothing; its state is polled (a stop sends its
 * parent no event it can see: libuv reaps only exits). Twice a second: cheap, and the app cannot send the signal.
 */
function watchTracer(): void {
  const timer = setInterval(() => {
    if (stopping || !child?.pid) return
    const state = /\) (\S) /.exec(safeRead(`/proc/${child.pid}/stat`))?.[1]
    if (state === 'T' || state === 't') lost(`the syscall tracer (strace) was stopped (process state ${state}): the app's traced calls were held and not recorded while it was`)
    // A missed status line (the app can write to the reaper's channel too): the command's end is still noticed.
    const { command } = chainPids()
    if (!exitSent && !commandEnded && command !== undefined && !isRunning(command)) void settleCommandExit()
  }, 500)
  timer.unref()
}

/**
 * The command and everything it started have ended: nothing in the sandbox can try anything any more, so the
 * sandbox ends by itself instead of waiting for the host's stop (which then only collects what was recorded).
 * Degraded runs (no PID namespace) cannot see everything the command started and keep waiting for stop.
 */
function endIfNothingIsLeft(): void {
  if (!isPid1 || stopping || !exitSent || appPids().length > 0) return
  // A loop turn later, not from inside an exit event: exiting right after reaping made this process's own exit
  // (PID 1 releasing the namespace) take ~18 ms in the kernel instead of ~3 ms here.
  setTimeout(() => { if (!stopping) void stopAndExit() }, 0)
}

function stopAndExit(): Promise<void> {
  return stop().then(() => { send({ type: 'stopped' }); control.end(() => process.exit(0)) })
}

let parsedLog: ReturnType<typeof parseStraceLog> | undefined
let parsedSize = -1

/** strace's log, parsed (again only when it grew). */
function log(): ReturnType<typeof parseStraceLog> {
  try {
    if (straceFd === undefined) straceFd = openSync(config.straceLog, 'r')
    const size = fstatSync(straceFd).size
    if (parsedLog && size === parsedSize) return parsedLog
    const buf = Buffer.alloc(size)
    let read = 0
    while (read < buf.length) {
      const n = readSync(straceFd, buf, read, buf.length - read, read)
      if (n <= 0) break
      read += n
    }
    parsedLog = parseStraceLog(buf.toString('utf8', 0, read))
    parsedSize = size
    return parsedLog
  } catch {
    return parsedLog ?? parseStraceLog('')
  }
}

/** A, B and C (confine.ts), as far as they exist yet; found once. */
function chainPids(): typeof chain {
  if (chain.command !== undefined || !child?.pid) return chain
  if (config.strace) {
    Object.assign(chain, chainOf(log()))
  } else {
    chain.starter = child.pid
    chain.reaper ??= childrenOf(child.pid)[0]
  }
  return chain
}

function childrenOf(pid: number): number[] {
  return safeRead(`/proc/${pid}/task/${pid}/children`).trim().split(/\s+/).filter(Boolean).map(Number)
}

function tracerAlive(): boolean {
  return !!child && child.exitCode === null && child.signalCode === null
}

/** The command's exit line in the log; an exec that never reached the command (env: not found) is an error. */
function commandExitFromLog(pid: number | undefined): (ProcessExit & { error?: string }) | undefined {
  if (pid === undefined) return undefined
  const parsed = log()
  // Unconfined, strace runs the command itself: no successful exec at all means it could not start it.
  if (!confined && parsed.programs.size === 0) return { code: 127, error: 'exec failed — see the command output' }
  const exit = parsed.exits.get(pid)
  if (!exit) return undefined
  const program = parsed.programs.get(pid)
  // Confined, the command is started by env(1): no exec at all means the chain itself failed to start it.
  if (confined && program === undefined) return { ...exit, error: 'the sandbox could not start the command — see the output above' }
  const neverRan = confined ? /^\S*env -i /.test(program ?? '') : program === undefined
  if (neverRan && (exit.code === 126 || exit.code === 127)) return { ...exit, error: 'exec failed — see the command output' }
  return exit
}

function isRunning(pid: number): boolean {
  try { return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8')) } catch { return false }
}

function reportExit(exit: { code?: number; signal?: string; error?: string }): void {
  if (exitSent) return
  exitSent = true
  send({ type: 'exit', ...exit })
}

/**
 * SIGTERM the command's processes, SIGKILL what is left after the grace period, let strace flush. Every caller
 * (the host's stop, a signal, the host going away) waits for the same teardown: Ctrl-C in a terminal signals
 * this process and the host at once, and exiting early (as PID 1) would cut the flush short.
 */
function stop(): Promise<void> {
  stopped ??= tearDown()
  return stopped
}

async function tearDown(): Promise<void> {
  stopping = true
  sinks?.flush()
  // Stopped right after the start: let the command exec first, so it gets a SIGTERM it can handle.
  if (config.strace) await waitUntil(() => exitSent || !tracerAlive() || (confined ? chainPids().command : log().rootPid) !== undefined, 1000)
  const alive = () => (isPid1 ? appPids().length > 0 : child?.exitCode === null && child.signalCode === null)
  const termed = new Set<number>()
  const termNewcomers = () => {
    if (isPid1) for (const pid of appPids()) if (!termed.has(pid)) { termed.add(pid); tryKill(pid, 'SIGTERM') }
  }
  if (isPid1) termNewcomers()
  else if (child?.pid) tryKill(-child.pid, 'SIGTERM')
  // Under load the stop can come while the command is still strace's fork, not yet exec'd; every app process gets
  // its SIGTERM, also one that appears (execs) during the grace period.
  await waitUntil(() => { termNewcomers(); return !alive() && !forkInFlight() }, config.graceMs)
  if (alive()) {
    if (isPid1) for (const pid of appPids()) tryKill(pid, 'SIGKILL')
    else if (child?.pid) tryKill(-child.pid, 'SIGKILL')
    await waitUntil(() => !alive(), 1000)
  }
  // Checked while the app's PID 1 still runs (its mount view), before it goes.
  if (confined) checkIntegrity()
  // The app's PID 1 last: its end takes down whatever is left in the app's namespace, then A and strace end. Stopped
  // before the chain got that far, A (or strace's fork on its way to it) goes instead.
  if (confined) {
    const { starter, reaper } = chainPids()
    for (const pid of [reaper, starter]) if (pid !== undefined) tryKill(pid, 'SIGKILL')
    if (reaper === undefined && child?.pid) for (const pid of childrenOf(child.pid)) tryKill(pid, 'SIGKILL')
  }
  if (child && child.exitCode === null && child.signalCode === null) {
    // strace exits by itself once its tracees are gone; give it the time to write its last lines (killed, it would
    // report its own SIGKILL for the command). A second can be short on a loaded machine; the host gives up on
    // the whole stop only after the grace period plus 5 s, and this stays within that.
    await exitOf(child, 2500)
    if (child.exitCode === null && child.signalCode === null) tryKill(child.pid!, 'SIGKILL')
  }
  // The exit report comes from the status line or the child's exit (their listeners run before exitOf's).
  if (config.strace && !exitSent) await settleCommandExit()
  await waitUntil(() => exitSent, 500)
  sinks?.flush()
  await Promise.allSettled([dns?.close(), sinks?.close()])
}

/**
 * The app's processes: when confined, exactly those in the app's PID namespace but its PID 1 (our helpers, the
 * network snapshots and strace's own start-up forks live in ours). Unconfined, every process but strace and the
 * forks strace makes at start-up (seccomp self-test, not yet exec'd).
 */
const straceExe = config.strace ? safeRealpath(config.strace) : undefined
function appPids(): number[] {
  if (!isPid1) return []
  if (confined) {
    const { reaper } = chainPids()
    if (reaper === undefined) return []
    const appNs = safeReadlink(`/proc/${reaper}/ns/pid`)
    if (!appNs) return []
    return listPids().filter((p) => p !== reaper && safeReadlink(`/proc/${p}/ns/pid`) === appNs)
  }
  return listPids().filter((p) => p !== child?.pid && (!straceExe || safeReadlink(`/proc/${p}/exe`) !== straceExe))
}

/** A process strace forked that has not exec'd yet (the chain's first step, or the command when unconfined). */
function forkInFlight(): boolean {
  if (!isPid1 || !straceExe) return false
  return listPids().some((p) => p !== child?.pid && safeReadlink(`/proc/${p}/exe`) === straceExe)
}

/**
 * What the app could still change around it, checked as the sandbox stops: the network set-up (it holds no
 * capability over it, so a change means something else broke the sandbox) and its resolver: /etc/resolv.conf is a
 * read-only mount it cannot write, but in its own mount namespace it can mount another file over it.
 */
function checkIntegrity(): void {
  const { reaper } = chainPids()
  if (reaper !== undefined && isRunning(reaper)) {
    const mine = resolverMounts(safeRead('/proc/self/mountinfo'))
    const theirs = resolverMounts(safeRead(`/proc/${reaper}/mountinfo`))
    if (theirs > mine) lost(`the app mounted its own file over /etc/resolv.conf (${theirs - mine} extra mount(s)): it may have resolved names elsewhere than the DNS stub`)
    const expected = safeRead(config.resolvConf)
    const seen = safeRead(`/proc/${reaper}/root/etc/resolv.conf`)
    if (mine > 0 && expected && seen !== expected) lost("the app's /etc/resolv.conf no longer names the DNS stub (it was changed during the run)")
  }
  if (networkBefore !== undefined) {
    const { removed, added } = diffNetworkSnapshots(networkBefore, snapshotNetwork())
    if (removed.length || added.length) {
      const show = (l: string[]) => l.slice(0, 4).join(' | ') + (l.length > 4 ? ` | … ${l.length - 4} more` : '')
      lost(`the sandbox's network set-up was changed during the run (${[removed.length ? `removed: ${show(removed)}` : '', added.length ? `added: ${show(added)}` : ''].filter(Boolean).join('; ')})`)
    }
  }
}

/** How many mounts sit on /etc/resolv.conf in a mountinfo (field 5 is the mount point). */
function resolverMounts(mountinfo: string): number {
  return mountinfo.split('\n').filter((line) => line.split(' ')[4] === '/etc/resolv.conf').length
}

function safeRead(path: string): string {
  try { return readFileSync(path, 'utf8') } catch { return '' }
}

function listPids(): number[] {
  const pids: number[] = []
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    const pid = Number(name)
    if (pid === process.pid) continue
    try {
      // Zombies are already dead; they only wait for us (PID 1) to exit.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      if (/\) Z /.test(stat)) continue
    } catch { continue }
    pids.push(pid)
  }
  return pids
}

function tryKill(pid: number, sig: NodeJS.Signals): void {
  try { process.kill(pid, sig) } catch { /* already gone */ }
}

/**
 * Polls `done` (for what has no event: processes that are not our children, other processes' files) until it holds
 * or `ms` pass. The interval starts at 1 ms and doubles up to 20 ms: most waits here end within milliseconds
 * (an app exiting on SIGTERM), and a fixed 20 ms step made every stop pay for a whole step.
 */
async function waitUntil(done: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms
  for (let step = 1; !done() && Date.now() < end; step = Math.min(step * 2, 20)) {
    await new Promise((r) => setTimeout(r, step))
  }
}

/** Resolves when `c` has exited (its 'exit' event), or after `ms`. */
function exitOf(c: ChildProcess, ms: number): Promise<void> {
  if (c.exitCode !== null || c.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    const done = () => { clearTimeout(timer); c.off('exit', done); resolve() }
    const timer = setTimeout(done, ms)
    c.once('exit', done)
  })
}

/** Polls the kernel's socket tables (no connection to the app) until something listens on `port`. */
function watchPort(id: number, port: number): void {
  const check = () => {
    if (listeningPorts().some((l) => l.port === port)) { send({ type: 'port-open', id, port }); return true }
    return false
  }
  if (check()) return
  const timer = setInterval(() => { if (check() || stopping) clearInterval(timer) }, 25)
}

interface Listener { port: number; inode: string; v6: boolean }

function listeningPorts(): Listener[] {
  const out: Listener[] = []
  for (const [file, v6] of [['/proc/net/tcp', false], ['/proc/net/tcp6', true]] as const) {
    let text = ''
    try { text = readFileSync(file, 'utf8') } catch { continue }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/)
      if (f.length < 10 || f[3] !== '0A') continue
      out.push({ port: parseInt(f[1].split(':')[1], 16), inode: f[9], v6 })
    }
  }
  return out
}

function rememberOwnSockets(): void {
  try {
    for (const fd of readdirSync('/proc/self/fd')) {
      const m = /^socket:\[(\d+)\]$/.exec(safeReadlink(`/proc/self/fd/${fd}`))
      if (m) ownInodes.add(m[1])
    }
  } catch { /* no /proc */ }
}

function safeRealpath(path: string): string | undefined {
  try { return realpathSync(path) } catch { return undefined }
}

function safeReadlink(path: string): string {
  try { return readlinkSync(path) } catch { return '' }
}

/** The app's listening port when the host did not name one: the first listener that is not ours. */
function discoverAppPort(): number | undefined {
  const mine = new Set(ownInodes)
  return listeningPorts().find((l) => !mine.has(l.inode))?.port
}

/** Unix socket → the app's TCP port inside the namespace. The host writes `PORT\n` first (0 = discover). */
async function startBridge(): Promise<void> {
  const server = createServer((upstream) => {
    upstream.on('error', () => {})
    let head = Buffer.alloc(0)
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk])
      const nl = head.indexOf(10)
      if (nl < 0) { if (head.length > 16) upstream.destroy(); return }
      upstream.off('data', onData)
      upstream.pause()
      const asked = Number(head.subarray(0, nl).toString())
      const rest = head.subarray(nl + 1)
      const port = asked || discoverAppPort()
      if (!port) { upstream.destroy(); return }
      connectApp(port, (app) => {
        if (!app) { upstream.destroy(); return }
        if (rest.length) app.write(rest)
        upstream.pipe(app)
        app.pipe(upstream)
        upstream.resume()
        app.on('close', () => upstream.destroy())
        upstream.on('close', () => app.destroy())
      })
    }
    upstream.on('data', onData)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(config.bridgeSocket, () => { server.off('error', reject); resolve() })
  })
  server.unref()
}

function connectApp(port: number, done: (socket: Socket | undefined) => void): void {
  const tryHost = (hosts: string[]) => {
    const [host, ...more] = hosts
    if (!host) { done(undefined); return }
    const s = createConnection({ port, host })
    s.once('connect', () => { s.removeAllListeners('error'); s.on('error', () => {}); done(s) })
    s.once('error', () => tryHost(more))
  }
  tryHost(['127.0.0.1', '::1'])
}
