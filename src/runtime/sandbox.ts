// Host side of the runtime sandbox: starts the namespaced supervisor, relays a local URL to the app, gathers events.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, accessSync, constants, openSync, closeSync, fstatSync, statSync, readSync } from 'node:fs'
import { createConnection, createServer, type Server, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { delimiter, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Writable } from 'node:stream'
import { SandboxUnavailableError } from '../errors.ts'
import type { Finding } from '../report/finding.ts'
import type { RuntimeEvent } from './events.ts'
import type { SupervisorConfig, ToHost, ToSupervisor } from './control.ts'
import { createLineParser } from './control.ts'
import { DEFAULT_TCP_SINK_PORTS, DEFAULT_UDP_SINK_PORTS } from './sinks.ts'
import { parseStraceLog } from './strace-log.ts'
import { parseAllowRule, type AllowRule } from './allow.ts'
import { correlateEvents } from './correlate.ts'
import { NETWORK_SETUP_SCRIPT } from './network-setup.ts'
import { prepareRootfs, readRootfsStatus, type RootfsSpec } from './rootfs.ts'
import { commandScript, findConfineTools, makePrivateDir, privateRoot, type ConfineTools } from './confine.ts'

export interface SandboxOptions {
  /** The command and its arguments (no shell). */
  command: string[]
  cwd?: string
  /** Environment of the command; defaults to this process's. */
  env?: NodeJS.ProcessEnv
  /** Allowed destinations (`host`, `*.suffix`, `ip`, `cidr`, each optionally `:port`): not findings. */
  allow?: Array<string | AllowRule>
  /** Test doubles: names the DNS stub answers with these addresses (inside the sandbox). */
  dnsAnswers?: Record<string, string | string[]>
  /** Answer unknown names with NXDOMAIN instead of a sinkhole address. */
  nxdomain?: boolean
  sinkPorts?: { tcp?: number[]; udp?: number[] }
  /** The app's listening port, for `url` (discovered when absent: the first port something listens on). */
  port?: number
  /** Timers and Date run this many times faster inside guarded Node processes. */
  timeWarp?: number
  /** Without namespaces, run with the in-process guard (and strace) alone instead of failing. */
  allowDegraded?: boolean
  /** strace binary; `false` turns the syscall layer off. Default: `strace` from PATH. */
  strace?: string | false
  /** Guard file to preload; `false` turns the guard off. Default: runtime/guard.cjs of this build. */
  guard?: string | false
  /** unshare binary (tests point it at a fake one). */
  unshare?: string
  /** Where the command's output goes besides being kept for output()/waitForOutput(). */
  stdout?: Writable
  stderr?: Writable
  /** Milliseconds between SIGTERM and SIGKILL when stopping (default 3000). */
  graceMs?: number
  /**
   * Run the command in an unpacked container image as its root file system (src/runtime/rootfs.ts); `cwd` is then
   * ignored (the image's working directory is in the spec) and namespaces are required (no degraded run).
   */
  rootfs?: RootfsSpec
}

export interface SandboxExit {
  code?: number
  signal?: string
  /** Set when the command could not be started at all (e.g. ENOENT). */
  error?: string
}

export interface SandboxLayers {
  namespace: boolean
  dns: boolean
  sinks: boolean
  syscall: boolean
  guard: boolean
}

export interface SandboxResult {
  exit?: SandboxExit
  events: RuntimeEvent[]
  findings: Finding[]
  degraded: string[]
  notes: string[]
  layers: SandboxLayers
  durationMs: number
  /** Unix-socket connections the syscall layer saw (local IPC, not egress, listed for review). */
  unixSockets: string[]
}

export interface Sandbox extends AsyncDisposable {
  /** http://127.0.0.1:PORT on this host, relayed to the app's port inside the sandbox. */
  readonly url: string
  readonly isolated: boolean
  readonly layers: SandboxLayers
  /** Why the verdict cannot be a plain pass (layers off, no isolation). */
  readonly degraded: string[]
  readonly notes: string[]
  /** Resolves when the command has ended (daemons it left may still run until stop()). */
  readonly exited: Promise<SandboxExit>
  /** Resolves once something listens on `port` inside the sandbox. */
  waitForPort(port: number, options?: { timeoutMs?: number }): Promise<void>
  /** Resolves with the match once the command's stdout or stderr matches. */
  waitForOutput(pattern: RegExp, options?: { timeoutMs?: number }): Promise<string>
  /** A local URL for another port of the app. */
  urlFor(port: number): Promise<string>
  output(): { stdout: string; stderr: string }
  /**
   * Host pid of a process inside the sandbox's namespaces (the supervisor), for running a second
   * program in them with nsenter (the browser lens does); undefined when not isolated or gone.
   */
  namespacePid(): number | undefined
  /** Everything recorded so far. */
  events(): RuntimeEvent[]
  findings(): Finding[]
  /** SIGTERM, then SIGKILL, of every process in the sandbox; gathers the final events. Idempotent. */
  stop(): Promise<SandboxResult>
}

const OUTPUT_LIMIT = 1024 * 1024

/** The supervisor is built as CommonJS: Node starts a CommonJS entry faster, and it is on every start's critical path. */
const SUPERVISOR_FILE = 'supervisor.cjs'

/** Where the built supervisor and guard live (this file is bundled into dist/ or dist/chunks/). */
export function locateDist(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 3; i++) {
    if (existsSync(join(dir, 'runtime', SUPERVISOR_FILE))) return dir
    dir = dirname(dir)
  }
  return undefined
}

/** First executable `name` on PATH. */
export function findExecutable(name: string, pathVar = process.env.PATH ?? ''): string | undefined {
  if (name.includes('/')) return canExecute(name) ? name : undefined
  for (const dir of pathVar.split(delimiter)) {
    if (!dir) continue
    const candidate = join(dir, name)
    if (canExecute(candidate)) return candidate
  }
  return undefined
}

function canExecute(file: string): boolean {
  try { accessSync(file, constants.X_OK); return true } catch { return false }
}

/** Starts the command in a sandbox where nothing can leave; every attempt is recorded. */
export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  if (!options.command.length) throw new SandboxUnavailableError('no command to run')
  const dist = locateDist()
  if (!dist) throw new SandboxUnavailableError(`cannot find runtime/${SUPERVISOR_FILE} next to the built nophonehome`, 'rebuild nophonehome (npm run build)')
  const started = Date.now()
  // What the recorders write (strace's log, configs, the bridge socket) goes under a private directory the app cannot
  // see (confine.ts); the guard's log is written by the app's own Node processes, so it lives apart.
  const workdir = makePrivateDir('run-')
  const guardDir = mkdtempSync(join(tmpdir(), 'nophonehome-guard-'))
  // An image run's launcher files (the throw-away layer's mount point, hosts, its status) are used before the app
  // starts and the app never sees the host's paths after the pivot, so they live apart from the hidden directory.
  const imageDir = options.rootfs ? mkdtempSync(join(tmpdir(), 'nophonehome-image-')) : undefined
  const removeDirs = () => { for (const d of [workdir, guardDir, imageDir]) if (d) rmSync(d, { recursive: true, force: true }) }
  const env = { ...(options.env ?? process.env) }
  const notes: string[] = []
  const degraded: string[] = []
  // The build writes the guard as .cjs (the package is ESM; --require needs CommonJS); .js for older builds.
  const guardPath = options.guard === false
    ? undefined
    : options.guard ?? ['guard.cjs', 'guard.js'].map((f) => join(dist, 'runtime', f)).find((f) => existsSync(f))
  const guardLog = join(guardDir, 'guard.jsonl')
  const guardOn = !!guardPath && existsSync(guardPath)
  // ── image root (src/runtime/rootfs.ts): the command runs with the image as its root; the guard and its log
  // appear at fixed paths inside it. Everything else of the sandbox is as for any command. ──
  let rootfs: ReturnType<typeof prepareRootfs> | undefined
  try {
    rootfs = options.rootfs && prepareRootfs(options.rootfs, {
      // The stub's resolv.conf, as the namespace shows it (bound over /etc/resolv.conf by the network set-up).
      workdir: imageDir!, command: options.command, resolvConf: '/etc/resolv.conf', env: process.env,
      ...(guardOn ? { guard: guardPath, guardLog } : {}),
    })
  } catch (err) {
    removeDirs()
    throw err
  }
  if (rootfs) notes.push(...rootfs.notes)
  if (guardOn) {
    env.NODE_OPTIONS = `${env.NODE_OPTIONS ?? ''} --require ${JSON.stringify(rootfs?.guardPath ?? guardPath)}`.trim()
    env.NOPHONEHOME_GUARD_LOG = rootfs?.guardLog ?? guardLog
    if (options.timeWarp && options.timeWarp !== 1) env.NOPHONEHOME_TIME_WARP = String(options.timeWarp)
  } else {
    notes.push('guard layer off: runtime/guard.cjs is not in this build, so findings carry no JS stack or package attribution')
    if (options.timeWarp && options.timeWarp !== 1) degraded.push('time-warp requested but the guard is off: timers ran at normal speed')
  }
  const strace = options.strace === false ? undefined : findExecutable(options.strace ?? 'strace', env.PATH ?? process.env.PATH)
  if (!strace) {
    degraded.push(
      'syscall layer off (strace not found): connects to ports without a sink, raw process.binding sockets and non-Node programs ' +
        'that skip DNS are not recorded by any other layer — install strace (apt-get install strace)',
    )
  }
  const answers: Record<string, string[]> = {}
  for (const [name, a] of Object.entries(options.dnsAnswers ?? {})) answers[name.toLowerCase()] = Array.isArray(a) ? a : [a]
  const excluded = new Set(options.port ? [options.port] : [])
  const baseConfig: Omit<SupervisorConfig, 'isolated' | 'networkStatus'> = {
    command: rootfs?.command ?? options.command,
    cwd: rootfs ? imageDir! : options.cwd ?? process.cwd(),
    env: Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => typeof e[1] === 'string')),
    resolvConf: join(workdir, 'resolv.conf'),
    strace,
    straceLog: join(workdir, 'strace.log'),
    bridgeSocket: join(workdir, 'bridge.sock'),
    dns: { answers, nxdomain: !!options.nxdomain },
    sinks: {
      tcp: (options.sinkPorts?.tcp ?? DEFAULT_TCP_SINK_PORTS).filter((p) => !excluded.has(p)),
      udp: options.sinkPorts?.udp ?? DEFAULT_UDP_SINK_PORTS,
    },
    graceMs: options.graceMs ?? 3000,
  }
  writeFileSync(baseConfig.resolvConf, 'nameserver 127.0.0.1\noptions attempts:1 timeout:1\n')
  // The app can reach this file (same user, same file system): we keep our own descriptor on the inode strace
  // writes to (strace truncates, never replaces it), so deleting or replacing the file hides nothing, and a
  // truncation leaves a hole of NUL bytes that we notice.
  let straceFd: number | undefined
  if (strace) {
    writeFileSync(baseConfig.straceLog, '')
    straceFd = openSync(baseConfig.straceLog, 'r')
  }
  const allow = (options.allow ?? []).map((a) => (typeof a === 'string' ? parseAllowRule(a) : a))

  let launched: Launched
  try {
    launched = await launch(true)
  } catch (err) {
    // An image cannot run without namespaces: its root is set up inside them (no degraded fallback).
    if (!(err instanceof SandboxUnavailableError) || !options.allowDegraded || rootfs) {
      if (straceFd !== undefined) try { closeSync(straceFd) } catch { /* closed */ }
      removeDirs()
      throw err
    }
    degraded.push(
      `not isolated: ${err.message} — the command ran with this host's network, so traffic may really have left; ` +
        'DNS stub and sinks were off (what was looked up or sent was seen only by the guard and strace)',
    )
    launched = await launch(false)
  }

  async function launch(isolated: boolean): Promise<Launched> {
    const supervisorFor = (config: SupervisorConfig, name: string) => {
      const configPath = join(workdir, name)
      writeFileSync(configPath, JSON.stringify(config))
      return [process.execPath, join(dist!, 'runtime', SUPERVISOR_FILE), configPath]
    }
    if (!isolated) {
      const supervisor = supervisorFor({ ...baseConfig, isolated }, 'config-degraded.json')
      return await spawnSupervisor(supervisor[0], supervisor.slice(1), false)
    }
    if (process.platform !== 'linux') {
      throw new SandboxUnavailableError(`network namespaces are a Linux feature; this is ${process.platform}`, unavailableHint())
    }
    const unshare = options.unshare ?? 'unshare'
    const tools: ConfineTools = findConfineTools((name) => findExecutable(name))
    // Refused here, before anything starts, rather than by the chain inside.
    commandScript(tools.env, baseConfig.env, baseConfig.command)
    const nsFlags = ['--net', '--mount', '--pid', '--fork', '--kill-child', '--mount-proc']
    // A user namespace keeps even a root-run app from reaching back into the host (setns, mounts, devices);
    // root may fall back to plain namespaces where user namespaces are disabled.
    const attempts = [['--user', '--map-root-user', ...nsFlags]]
    if (process.getuid?.() === 0) attempts.push(nsFlags)
    let last: Error | undefined
    for (const [i, flags] of attempts.entries()) {
      // Each attempt has its own status file: a failed attempt's setup must not vouch for the next one's.
      const networkStatus = join(workdir, `network-${i}.status`)
      // Without a user namespace of our own (root, where they are disabled) the app cannot get one either.
      const confine = { tools, privateDir: privateRoot(), appUserNamespace: flags.includes('--user') }
      const supervisor = supervisorFor({ ...baseConfig, isolated, networkStatus, confine }, `config-${i}.json`)
      // The network setup starts in the background as the namespaces are made, then sh execs the supervisor.
      const setup = ['sh', '-c', NETWORK_SETUP_SCRIPT, 'sh', networkStatus, baseConfig.resolvConf]
      try {
        return await spawnSupervisor(unshare, [...flags, '--', ...setup, ...supervisor], true)
      } catch (err) {
        last = err as Error
        if (!(err instanceof SandboxUnavailableError)) throw err
      }
    }
    throw last!
  }

  function spawnSupervisor(file: string, args: string[], isolated: boolean): Promise<Launched> {
    return new Promise((resolve, reject) => {
      const child = spawn(file, args, {
        cwd: baseConfig.cwd,
        env: supervisorEnv(process.env),
        stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
      })
      const control = child.stdio[3] as Socket
      let stderrText = ''
      let hello = false
      let settled = false
      const early: ToHost[] = []
      const fail = (err: Error) => { if (!settled) { settled = true; reject(err) } }
      const onStderr = (d: Buffer) => { if (!hello && stderrText.length < 8192) stderrText += d.toString() }
      child.stderr!.on('data', onStderr)
      child.on('error', (err) => {
        const code = (err as NodeJS.ErrnoException).code
        fail(new SandboxUnavailableError(code === 'ENOENT' ? `'${file}' was not found (util-linux unshare is needed)` : `${file}: ${err.message}`, unavailableHint()))
      })
      child.on('close', (code, signal) => {
        if (!hello) fail(new SandboxUnavailableError(describeUnshareFailure(stderrText, code, signal), unavailableHint()))
        else fail(new SandboxUnavailableError(`the sandbox supervisor ended during setup: ${lastLines(stderrText)}`, unavailableHint()))
      })
      control.on('error', () => {})
      control.on('data', createLineParser<ToHost>((message) => {
        if (settled) { early.push(message); return }
        if (message.type === 'hello') { hello = true; return }
        if (message.type === 'fatal') {
          fail(new SandboxUnavailableError(`${message.message}`, unavailableHint()))
          child.kill('SIGKILL')
          return
        }
        if (message.type === 'started') {
          settled = true
          child.stderr!.off('data', onStderr)
          control.removeAllListeners('data')
          resolve({ child, control, isolated, started: message, early, stderr: stderrText })
          return
        }
        early.push(message)
      }))
    })
  }

  const { child, control, isolated } = launched
  const layers: SandboxLayers = { namespace: isolated, dns: isolated, sinks: isolated, syscall: !!strace, guard: guardOn }
  notes.push(...launched.started.notes)
  const osEvents: RuntimeEvent[] = []
  const out = { stdout: '', stderr: '' }
  const outputWaiters = new Set<() => void>()
  const portWaiters = new Map<number, () => void>()
  let nextId = 1
  let exitInfo: SandboxExit | undefined
  let resolveExit!: (e: SandboxExit) => void
  const exited = new Promise<SandboxExit>((r) => { resolveExit = r })
  const sendToSupervisor = (m: ToSupervisor) => { if (!control.destroyed) control.write(JSON.stringify(m) + '\n') }

  let supervisorStopped = false
  let stopRequested = false
  /** What was lost, and when: an ISO time and how far into the run. */
  const when = (time: number) => `at ${new Date(time).toISOString()}, ${((time - started) / 1000).toFixed(1)} s into the run`
  const addDegraded = (reason: string) => { if (!degraded.includes(reason)) degraded.push(reason) }
  const onMessage = (message: ToHost) => {
    if (message.type === 'event') osEvents.push(message.event)
    else if (message.type === 'lost') addDegraded(`${message.reason} (${when(message.time)})`)
    else if (message.type === 'stopped') supervisorStopped = true
    else if (message.type === 'port-open') { portWaiters.get(message.id)?.(); portWaiters.delete(message.id) }
    else if (message.type === 'exit') {
      exitInfo = { code: message.code, signal: message.signal, error: message.error }
      resolveExit(exitInfo)
    }
  }
  for (const m of launched.early) onMessage(m)
  control.on('data', createLineParser<ToHost>(onMessage))
  // Only the first OUTPUT_LIMIT characters are kept (for waitForOutput); the rest is forwarded with backpressure:
  // a command writing hundreds of MB must wait for a slow reader, never pile up in our memory.
  let draining = false
  const collect = (name: 'stdout' | 'stderr', forward?: Writable, from?: NodeJS.ReadableStream) => (d: Buffer) => {
    const kept = out[name].length < OUTPUT_LIMIT
    if (kept) out[name] += d.toString()
    if (forward && !forward.write(d) && from && !draining) {
      from.pause()
      forward.once('drain', () => from.resume())
    }
    if (kept) for (const w of [...outputWaiters]) w()
  }
  child.stdout!.on('data', collect('stdout', options.stdout, child.stdout!))
  const onStderr = collect('stderr', options.stderr, child.stderr!)
  if (launched.stderr) onStderr(Buffer.from(launched.stderr))
  child.stderr!.on('data', onStderr)
  const closed = new Promise<void>((r) => child.once('close', (code, signal) => {
    // The supervisor ends itself only after a teardown it reports ('stopped'); otherwise it was killed or crashed,
    // and the DNS stub and the sinks went with it.
    if (isolated && !supervisorStopped && !stopRequested) {
      addDegraded(`the sandbox supervisor (DNS stub, sinks) ended unexpectedly (${signal ? `killed by ${signal}` : `exit code ${code}`}) ${when(Date.now())}: what the app did afterwards was not recorded`)
    }
    r()
  }))
  void closed.then(() => resolveExit(exitInfo ?? { error: 'the sandbox ended before the command reported its exit' }))

  // Local URL → (Unix socket → app port inside the namespace) or, degraded, straight to the app's port.
  const relays = new Set<Server>()
  const relayed = new Set<Socket>()
  const openRelay = async (port: number | undefined): Promise<string> => {
    const server = createServer((client) => {
      relayed.add(client)
      client.on('close', () => relayed.delete(client))
      client.on('error', () => {})
      let upstream: Socket
      if (isolated) {
        upstream = createConnection(baseConfig.bridgeSocket)
        upstream.write(`${port ?? 0}\n`)
      } else {
        if (!port) { client.destroy(); return }
        upstream = createConnection({ port, host: '127.0.0.1' })
      }
      upstream.on('error', () => client.destroy())
      client.on('close', () => upstream.destroy())
      upstream.on('close', () => client.destroy())
      client.pipe(upstream)
      upstream.pipe(client)
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
    relays.add(server)
    const addr = server.address() as { port: number }
    return `http://127.0.0.1:${addr.port}`
  }
  const url = await openRelay(options.port)

  let stopping: Promise<SandboxResult> | undefined
  const readEvents = (): { events: RuntimeEvent[]; unix: string[]; problems: string[] } => {
    const events = [...osEvents]
    const unix: string[] = []
    const problems: string[] = []
    if (guardOn) {
      const guard = readBounded(guardLog)
      if (guard.truncated) problems.push(`the guard's log grew past ${LOG_LIMIT >> 20} MB: only its start was read`)
      events.push(...parseGuardLog(guard.text))
    }
    if (strace && straceFd !== undefined) {
      const raw = readBounded(straceFd)
      if (raw.truncated) problems.push(`the syscall layer's log grew past ${LOG_LIMIT >> 20} MB: attempts after that were not read`)
      if (raw.text.includes('\0')) problems.push("the syscall layer's log was truncated or overwritten from inside the sandbox: attempts before that may be missing")
      if (!sameFile(straceFd, baseConfig.straceLog)) problems.push("the syscall layer's log was deleted or replaced from inside the sandbox (the original was still read)")
      const log = parseStraceLog(raw.text)
      for (const e of log.events) {
        if (e.protocol === 'unix') { if (e.note === '0' && e.host && !unix.includes(e.host)) unix.push(e.host) } else events.push(e)
      }
    }
    return { events: events.sort((a, b) => a.time - b.time), unix, problems }
  }
  // In an image, paths are shown relative to its root (`app/server.js`, as the static lens names them) and
  // package.json files are read from the unpacked image.
  const correlate = (events: RuntimeEvent[]) => correlateEvents(events, {
    allow, cwd: options.rootfs ? '/' : baseConfig.cwd, guardFile: rootfs?.guardPath ?? guardPath, ...(options.rootfs ? { fsRoot: options.rootfs.root } : {}),
  })

  const sandbox: Sandbox = {
    url,
    isolated,
    layers,
    degraded,
    notes,
    exited,
    waitForPort(port, { timeoutMs = 30_000 } = {}) {
      if (!isolated) return waitForHostPort(port, timeoutMs, exited)
      return withTimeout(new Promise<void>((resolve, reject) => {
        const id = nextId++
        portWaiters.set(id, resolve)
        void exited.then(() => { if (portWaiters.delete(id)) reject(new Error(`the command ended before port ${port} opened`)) })
        sendToSupervisor({ type: 'watch-port', id, port })
      }), timeoutMs, `nothing listened on port ${port} within ${timeoutMs} ms`)
    },
    waitForOutput(pattern, { timeoutMs = 30_000 } = {}) {
      return withTimeout(new Promise<string>((resolve, reject) => {
        const check = () => {
          const m = pattern.exec(out.stdout) ?? pattern.exec(out.stderr)
          if (m) { outputWaiters.delete(check); resolve(m[0]); return true }
          return false
        }
        if (check()) return
        outputWaiters.add(check)
        void exited.then(() => setImmediate(() => { if (outputWaiters.delete(check) && !check()) reject(new Error(`the command ended without printing ${pattern}`)) }))
      }), timeoutMs, `the command did not print ${pattern} within ${timeoutMs} ms`)
    },
    urlFor: (port) => openRelay(port),
    namespacePid: () => (isolated && child.pid ? childPidOf(child.pid) : undefined),
    output: () => ({ ...out }),
    events: () => readEvents().events,
    findings: () => correlate(readEvents().events),
    stop() {
      stopping ??= (async () => {
        sendToSupervisor({ type: 'stop' })
        const timer = setTimeout(() => {
          addDegraded(`the sandbox supervisor did not finish its teardown within ${((options.graceMs ?? 3000) + 5000) / 1000} s and was killed ${when(Date.now())}: the last events may be missing`)
          stopRequested = true
          child.kill('SIGKILL')
        }, (options.graceMs ?? 3000) + 5000)
        // A paused stream never ends, so the sandbox would never close: once stopping, read what is left
        // (at most a pipe's worth, every writer is being killed) without waiting for the reader.
        draining = true
        child.stdout!.resume()
        child.stderr!.resume()
        await closed
        clearTimeout(timer)
        for (const c of relayed) c.destroy()
        await Promise.all([...relays].map((s) => new Promise<void>((r) => s.close(() => r()))))
        const { events, unix, problems } = readEvents()
        // Evidence we could not fully read, or that was tampered with, keeps the verdict from passing.
        for (const p of problems) addDegraded(p)
        if (rootfs) {
          const st = readRootfsStatus(rootfs.statusFile)
          notes.push(...st.notes)
          for (const d of st.degraded) addDegraded(d)
        }
        if (isolated && exitInfo && exitInfo.code === undefined && exitInfo.signal === undefined && !exitInfo.error) {
          addDegraded("the command's exit status is unknown: the run may have ended before the command did")
        }
        if (straceFd !== undefined) try { closeSync(straceFd) } catch { /* closed */ }
        removeDirs()
        return {
          exit: exitInfo, events, findings: correlate(events), degraded, notes, layers,
          durationMs: Date.now() - started, unixSockets: unix,
        }
      })()
      return stopping
    },
    async [Symbol.asyncDispose]() { await sandbox.stop() },
  }
  return sandbox
}

interface Launched {
  child: ChildProcess
  control: Socket
  isolated: boolean
  started: Extract<ToHost, { type: 'started' }>
  early: ToHost[]
  /** What the supervisor's stderr carried before the command started (early command output). */
  stderr: string
}

/**
 * The supervisor's own environment (the command gets its environment from the config, untouched). It must not
 * load the user's NODE_OPTIONS (or our guard); it makes no TLS connection, so NODE_EXTRA_CA_CERTS — which Node 20
 * parses at start-up, about 60 ms for a distribution's CA bundle on a 2-core box — only slows it down; and it is
 * nobody's IPC child or cluster worker, even when this process is (its listeners would go through a cluster primary).
 */
export function supervisorEnv(hostEnv: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...hostEnv, NODE_OPTIONS: '' }
  for (const name of ['NODE_EXTRA_CA_CERTS', 'NODE_CHANNEL_FD', 'NODE_CHANNEL_SERIALIZATION_MODE', 'NODE_UNIQUE_ID']) delete env[name]
  return env
}

/** unshare --fork runs the supervisor as its only child: that child is inside every namespace (PID too). */
function childPidOf(pid: number): number | undefined {
  try {
    const first = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/)[0]
    return first ? Number(first) : undefined
  } catch { return undefined }
}

/** Most we read of one layer's log: an app flooding it must not exhaust our memory (or a string's maximum length). */
const LOG_LIMIT = 256 * 1024 * 1024

/** Reads a file (by path or descriptor, from the start) up to LOG_LIMIT bytes; missing → empty. */
function readBounded(file: string | number): { text: string; truncated: boolean } {
  let fd: number | undefined
  try {
    fd = typeof file === 'number' ? file : openSync(file, 'r')
    const size = fstatSync(fd).size
    const buf = Buffer.alloc(Math.min(size, LOG_LIMIT))
    let read = 0
    while (read < buf.length) {
      const n = readSync(fd, buf, read, buf.length - read, read)
      if (n <= 0) break
      read += n
    }
    return { text: buf.toString('utf8', 0, read), truncated: size > LOG_LIMIT }
  } catch {
    return { text: '', truncated: false }
  } finally {
    if (typeof file !== 'number' && fd !== undefined) try { closeSync(fd) } catch { /* closed */ }
  }
}

function sameFile(fd: number, path: string): boolean {
  try {
    const a = fstatSync(fd)
    const b = statSync(path)
    return a.ino === b.ino && a.dev === b.dev
  } catch { return false }
}

/** Guard lines are untrusted (the app can write to the log): whatever they claim, they count as the guard layer only. */
function parseGuardLog(text: string): RuntimeEvent[] {
  const events: RuntimeEvent[] = []
  for (const line of text.split('\n')) {
    if (!line.trim()) continue
    try {
      const ev = JSON.parse(line) as RuntimeEvent
      if (ev && typeof ev === 'object') events.push({ ...ev, layer: 'guard' })
    } catch { /* a torn last line */ }
  }
  return events
}

function describeUnshareFailure(stderr: string, code: number | null, signal: string | null): string {
  const said = lastLines(stderr) || (signal ? `killed by ${signal}` : `exit code ${code}`)
  return `cannot create the sandbox's namespaces (${said})`
}

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-3).join(' / ')
}

/** How to enable namespaces on this host, checking the usual culprits. */
export function unavailableHint(): string {
  const read = (p: string) => { try { return readFileSync(p, 'utf8').trim() } catch { return undefined } }
  const tips: string[] = []
  if (process.platform !== 'linux') tips.push('run on Linux (e.g. in CI or a Linux VM/container)')
  if (read('/proc/sys/kernel/apparmor_restrict_unprivileged_userns') === '1') {
    tips.push('AppArmor restricts unprivileged user namespaces here (Ubuntu 23.10+): `sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0`, or run as root')
  }
  if (read('/proc/sys/kernel/unprivileged_userns_clone') === '0') tips.push('`sudo sysctl -w kernel.unprivileged_userns_clone=1`')
  if (read('/proc/sys/user/max_user_namespaces') === '0') tips.push('`sudo sysctl -w user.max_user_namespaces=15000`')
  if (existsSync('/.dockerenv') || /docker|kubepods|containerd/.test(read('/proc/1/cgroup') ?? '')) {
    tips.push('in a container, allow namespaces (e.g. docker run --security-opt seccomp=unconfined --cap-add SYS_ADMIN, or --privileged)')
  }
  if (!tips.length) tips.push('make sure util-linux `unshare` and iproute2 `ip` are installed and that user namespaces are allowed')
  tips.push('or pass --allow-degraded to run with the in-process guard alone (the verdict then cannot pass)')
  return tips.join('; ')
}

function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(message)), ms)
    p.then((v) => { clearTimeout(timer); resolve(v) }, (e) => { clearTimeout(timer); reject(e) })
  })
}

/** Degraded mode has no namespace to inspect: probe the port on this host. */
function waitForHostPort(port: number, timeoutMs: number, exited: Promise<SandboxExit>): Promise<void> {
  let ended = false
  void exited.then(() => { ended = true })
  return withTimeout(new Promise<void>((resolve, reject) => {
    const attempt = () => {
      if (ended) { reject(new Error(`the command ended before port ${port} opened`)); return }
      const s = createConnection({ port, host: '127.0.0.1' })
      s.once('connect', () => { s.destroy(); resolve() })
      s.once('error', () => setTimeout(attempt, 50))
    }
    attempt()
  }), timeoutMs, `nothing listened on port ${port} within ${timeoutMs} ms`)
}
