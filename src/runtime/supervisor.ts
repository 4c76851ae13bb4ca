// Runs inside the sandbox's namespaces (as its PID 1): DNS stub, sinks, bridge, the command (once the network is set up).
import { spawn, type ChildProcess } from 'node:child_process'
import { fstatSync, openSync, readFileSync, readSync, readdirSync, readlinkSync, realpathSync, watch, type FSWatcher } from 'node:fs'
import { createConnection, createServer, Socket } from 'node:net'
import type { SupervisorConfig, ToHost, ToSupervisor } from './control.ts'
import { createLineParser } from './control.ts'
import { startDnsStub, type DnsStub } from './dns-stub.ts'
import { startSinks, type Sinks } from './sinks.ts'
import { parseStraceLog, straceArgs } from './strace-log.ts'
import { waitForNetworkSetup } from './network-setup.ts'
import { closeInheritedDescriptors } from './descriptors.ts'

const config = JSON.parse(readFileSync(process.argv[2], 'utf8')) as SupervisorConfig
// Before anything is started: only stdio and our control channel (fd 3) are ours to have.
closeInheritedDescriptors([3])
const control = new Socket({ fd: 3, readable: true, writable: true })
const send = (message: ToHost) => { if (!control.destroyed) control.write(JSON.stringify(message) + '\n') }
const isPid1 = process.pid === 1

let child: ChildProcess | undefined
let rootPid: number | undefined
let exitSent = false
let stopping = false
// Declared up here: stop() and the log readers run from handlers while main() below is still pending.
let stopped: Promise<void> | undefined
// Opened before strace starts (the host created the file; strace truncates, never replaces it): the app can delete
// or replace the path, not what this descriptor reads.
let straceFd: number | undefined
let dns: DnsStub | undefined
let sinks: Sinks | undefined
const ownInodes = new Set<string>()

control.on('error', () => {})
// The host went away (crashed or killed): nothing may outlive it.
control.on('close', () => { void stop().then(() => process.exit(0)) })
control.on('data', createLineParser<ToSupervisor>((message) => {
  if (message.type === 'stop') void stopAndExit()
  else if (message.type === 'watch-port') watchPort(message.id, message.port)
}))
// PID 1 ignores signals it has no handler for; make SIGTERM/SIGINT mean "stop everything".
for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(sig, () => { void stop().then(() => process.exit(0)) })

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
      startDnsStub({ answers: config.dns.answers, nxdomain: config.dns.nxdomain, host, onEvent }),
      startSinks({ tcpPorts: config.sinks.tcp, udpPorts: config.sinks.udp, host, onEvent }),
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
}

function hasIPv6(): boolean {
  try { return readFileSync('/proc/sys/net/ipv6/conf/all/disable_ipv6', 'utf8').trim() === '0' } catch { return false }
}

function startCommand(): void {
  if (config.strace) try { straceFd = openSync(config.straceLog, 'r') } catch { /* read by path later */ }
  const [file, ...args] = config.strace ? [config.strace, ...straceArgs(config.straceLog), '--', ...config.command] : config.command
  child = spawn(file, args, {
    cwd: config.cwd, env: config.env, stdio: ['ignore', 'inherit', 'inherit'],
    // Degraded runs have no PID namespace: a process group is what can be killed as a whole.
    detached: !isPid1,
  })
  child.on('error', (err) => reportExit({ error: (err as NodeJS.ErrnoException).code ?? err.message, code: 127 }))
  child.on('exit', (code, signal) => {
    if (!config.strace) reportExit({ code: code ?? undefined, signal: signal ?? undefined })
    else reportExit(rootExitFromLog() ?? { code: code ?? undefined, signal: signal ?? undefined })
    endIfNothingIsLeft()
  })
  if (config.strace) watchRoot()
}

/**
 * The command and everything it started have ended: nothing in the sandbox can try anything any more, so the
 * sandbox ends by itself instead of waiting for the host's stop (which then only collects what was recorded).
 * Under strace its exit means that: it follows every process the command started and exits after the last one.
 * Degraded runs (no PID namespace) cannot see everything the command started and keep waiting for stop.
 */
function endIfNothingIsLeft(): void {
  if (!isPid1 || stopping || !exitSent || listPids().length > 0) return
  // A loop turn later, not from inside the exit event: exiting right after reaping strace made this process's
  // own exit (PID 1 releasing the namespace) take ~18 ms in the kernel instead of ~3 ms here.
  setTimeout(() => { if (!stopping) void stopAndExit() }, 0)
}

function stopAndExit(): Promise<void> {
  return stop().then(() => { send({ type: 'stopped' }); control.end(() => process.exit(0)) })
}

/**
 * Under strace, the command is the first process in strace's log (strace's other children are its own
 * start-up probes). When it is gone the command has ended, even if daemons it left still run.
 * Woken by the log itself: strace writes a line when the command starts and when it ends, so a file event
 * (coalesced to one check per 5 ms) says when to look; nothing wakes this process while the app runs quietly.
 * A slow timer covers a missed event.
 */
function watchRoot(): void {
  let watcher: FSWatcher | undefined
  let pending: NodeJS.Timeout | undefined
  const check = () => {
    pending = undefined
    if (exitSent) { done(); return }
    if (rootPid === undefined) { rootPid = firstPidInLog(); if (rootPid === undefined) return }
    if (isRunning(rootPid)) return
    done()
    // strace writes the exit line as it reaps the process: give it a moment to land in the log.
    let tries = 0
    const read = () => {
      const exit = rootExitFromLog()
      if (exit || ++tries > 20) reportExit(exit ?? {})
      else setTimeout(read, 10)
    }
    read()
  }
  try {
    watcher = watch(config.straceLog, () => { pending ??= setTimeout(check, 5) })
    watcher.on('error', () => {})
    watcher.unref()
  } catch { /* no inotify: the timer below does it all */ }
  const fallback = setInterval(check, watcher ? 250 : 10)
  fallback.unref()
  function done(): void {
    watcher?.close()
    clearInterval(fallback)
    clearTimeout(pending)
  }
}

function readStraceLog(maxBytes = Infinity): string {
  if (straceFd === undefined) straceFd = openSync(config.straceLog, 'r')
  const buf = Buffer.alloc(Math.min(fstatSync(straceFd).size, maxBytes))
  let read = 0
  while (read < buf.length) {
    const n = readSync(straceFd, buf, read, buf.length - read, read)
    if (n <= 0) break
    read += n
  }
  return buf.toString('utf8', 0, read)
}

function firstPidInLog(): number | undefined {
  try {
    const m = /^(\d+)\s/.exec(readStraceLog(32))
    return m ? Number(m[1]) : undefined
  } catch { return undefined }
}

function isRunning(pid: number): boolean {
  try { return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8')) } catch { return false }
}

function rootExitFromLog(): { code?: number; signal?: string; error?: string } | undefined {
  try {
    const text = readStraceLog()
    // Truncated from inside the sandbox (the host reports that): its start, with the first execve, is gone.
    if (text.includes('\0')) return undefined
    const log = parseStraceLog(text)
    // No successful execve at all: strace could not start the command (not found, not executable).
    if (log.programs.size === 0) return { code: 127, error: 'exec failed — see the command output' }
    const pid = log.rootPid ?? rootPid
    return pid !== undefined ? log.exits.get(pid) : undefined
  } catch { return undefined }
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
  const stracePid = config.strace ? child?.pid : undefined
  // strace and the helpers it forks at start-up (seccomp self-test, not yet exec'd) must not be signalled:
  // a SIGTERM there makes strace drop its seccomp filter or lose its log.
  const straceExe = config.strace ? safeRealpath(config.strace) : undefined
  const appPids = () => (isPid1 ? listPids().filter((p) => p !== stracePid && (!straceExe || safeReadlink(`/proc/${p}/exe`) !== straceExe)) : [])
  const signalAll = (sig: NodeJS.Signals) => {
    if (isPid1) for (const pid of appPids()) tryKill(pid, sig)
    else if (child?.pid) tryKill(-child.pid, sig)
  }
  // Stopped right after the start: let the command exec first, so it gets a SIGTERM it can handle.
  if (straceExe) {
    await waitUntil(() => exitSent || (rootPid ??= firstPidInLog()) !== undefined, 1000)
  }
  const alive = () => (isPid1 ? appPids().length > 0 : child?.exitCode === null && child.signalCode === null)
  // Under load the stop can come while the command is still strace's fork, not yet exec'd: not an app process
  // (it is strace), so it was neither signalled nor waited for, and strace, killed a second later for not
  // exiting, took the command down with SIGKILL. Now the grace period also waits for such a fork, and every app
  // process gets its SIGTERM, also one that appears (execs) during the grace period.
  const onItsWay = () => (isPid1 ? listPids().some((p) => p !== stracePid) : alive())
  const termed = new Set<number>()
  const termNewcomers = () => {
    if (isPid1) for (const pid of appPids()) if (!termed.has(pid)) { termed.add(pid); tryKill(pid, 'SIGTERM') }
  }
  if (isPid1) termNewcomers()
  else signalAll('SIGTERM')
  await waitUntil(() => { termNewcomers(); return !onItsWay() }, config.graceMs)
  if (alive()) { signalAll('SIGKILL'); await waitUntil(() => !alive(), 1000) }
  if (child && child.exitCode === null && child.signalCode === null) {
    // strace exits by itself once its tracees are gone; give it the time to write its last lines (killed, it would
    // report its own SIGKILL for the command). A second can be short on a loaded machine; the host gives up on
    // the whole stop only after the grace period plus 5 s, and this stays within that.
    await exitOf(child, 2500)
    if (child.exitCode === null && child.signalCode === null) tryKill(child.pid!, 'SIGKILL')
  }
  // The exit report comes from the child's exit event (its listener runs before exitOf's).
  await waitUntil(() => exitSent, 500)
  sinks?.flush()
  await Promise.allSettled([dns?.close(), sinks?.close()])
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
