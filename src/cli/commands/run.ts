// `nophonehome run -- <command…>`: the runtime lens — run the build where nothing can leave and record every attempt.
import type { CliIo, Command } from '../command.ts'
import { parse, parsePositiveInt } from '../args.ts'
import { GATING_OPTIONS, GATING_USAGE, resolveGating } from '../gating.ts'
import { planOutputs, writeReports } from '../output.ts'
import { UsageError } from '../../errors.ts'
import { exitCodeFor } from '../../pipeline.ts'
import { run, type RunOptions } from '../../runtime/run.ts'
import { parseVariants, runVariants, type Variant } from '../../runtime/variants.ts'
import { loadExercise } from '../../runtime/exercise.ts'
import { resolve } from 'node:path'
import type { Finding } from '../../report/finding.ts'
import { openImage } from '../../static/artifact/image.ts'
import { DEFAULT_LIMITS } from '../../static/options.ts'
import { imageRunOf } from '../../runtime/image-run.ts'

const usage = `usage: nophonehome run [options] -- <command> [args…]
       nophonehome run --image ARCHIVE [options] [-- <command> [args…]]

Runs a start command (until ready, then exercised and watched) or a finite command such as
\`npm test\` inside fresh network, mount and PID namespaces where nothing can leave. A DNS stub,
sinks on common ports, strace and an in-process guard record every attempt; each one is a
runtime-egress finding. The command's own exit code is reported but never hides findings.

With --image, the command runs in a container image (a \`docker save\` / \`podman save\` archive,
an OCI archive or layout): rootless, no daemon, the image's root as its root file system with a
throw-away layer on top, its Env, WorkingDir and (where the sandbox maps it) User; the image's
Entrypoint + Cmd unless a command follows -- (which replaces both, like docker run --entrypoint).
Needs user and mount namespaces and a static busybox (apt-get install busybox-static).

options:
  --image ARCHIVE       run in this container image (digests checked; exit 2 on a mismatch)
  --ref REF             with --image: which image of the archive (a name, a tag or sha256:…)
  --platform OS/ARCH    with --image: which platform (default: this host's)
  --ready PORT|/REGEX/  the app is ready when PORT listens inside the sandbox, or when its
                        output matches REGEX; then --exercise runs and --duration counts
  --port PORT           the app's port for the bridge URL (default: the --ready port, or
                        the first port the app listens on)
  --exercise FILE       JSON list of HTTP requests {method, path, headers, body} sent to the app
  --duration S          seconds to watch after ready (default 10); without --ready, the most
                        the command may run (default 600)
  --time-warp N         timers and Date run N times faster in guarded Node processes
  --browse PATH         once ready: open PATH in headless Chromium inside the sandbox and
                        report every third-party request (browser-egress); repeatable
  --crawl N             with --browse: follow up to N same-origin links (default 10)
  --allow-degraded      where namespaces are unavailable, run with the guard (and strace)
                        alone; the verdict then cannot pass
  --variant "NAME: …"   run once per variant (repeatable) with the same ready check, exercise,
                        duration and time warp; a table shows what each variant sent where.
                        NAME: [KEY=VALUE…] [file:DEST=SOURCE…] [-- ARG…] sets environment
                        variables, lays files into a fresh data directory ({data} in values
                        and arguments is its path) and appends arguments. "default:" runs the
                        app as it is. Each variant has its own verdict; exit 1 unless all pass
  --format FMT          text (default) | json | …; repeat with --output for several reports
  --output FILE         write the report to FILE (pairs with --format in order)
  --show-info           include info-level findings in text output
${GATING_USAGE}

The command's output goes to standard error; the report to standard output (or --output).
Ctrl-C stops the sandbox and writes a partial report marked interrupted (exit 1); press it again
to quit at once without a report.

exit codes: 0 pass · 1 findings at or above --fail-on, or an incomplete check · 2 usage/config/internal
error, or no sandbox (namespaces unavailable without --allow-degraded)
`

/** Flags of the runtime lens, shared by `run` and `verify --start`. */
export const RUNTIME_OPTIONS = {
  ready: { type: 'string' },
  exercise: { type: 'string' },
  duration: { type: 'string' },
  'time-warp': { type: 'string' },
  browse: { type: 'string', multiple: true },
  crawl: { type: 'string' },
  'allow-degraded': { type: 'boolean' },
  variant: { type: 'string', multiple: true },
} as const

export const runCommand: Command = {
  name: 'run',
  summary: 'runtime check: run a command where nothing can leave, report every attempt',
  usage,
  async run(argv, io) {
    const { values, positionals } = parse(argv, {
      ...RUNTIME_OPTIONS,
      image: { type: 'string' },
      ref: { type: 'string' },
      platform: { type: 'string' },
      port: { type: 'string' },
      format: { type: 'string', multiple: true },
      output: { type: 'string', multiple: true },
      'show-info': { type: 'boolean' },
      ...GATING_OPTIONS,
    })
    if (!positionals.length && !values.image) throw new UsageError('run needs a command after --, e.g. nophonehome run -- npm test (or --image ARCHIVE)')
    if (!values.image && (values.ref !== undefined || values.platform !== undefined)) throw new UsageError('--ref and --platform pick an image: they need --image ARCHIVE')
    const plan = planOutputs(values)
    const ready = parseReady(values.ready)
    const port = parsePositiveInt(values.port, '--port')
    const durationMs = parseSeconds(values.duration, '--duration')
    const timeWarp = parsePositiveInt(values['time-warp'], '--time-warp')
    const browse = parseBrowse(values.browse, values.crawl)
    if (browse && !ready) throw new UsageError('--browse needs --ready (the pages are opened once the app is ready)')
    const exercise = values.exercise ? loadExercise(resolve(io.cwd, values.exercise)) : undefined
    const gating = await resolveGating(values, [], io.cwd)
    for (const n of gating.notices) io.stderr.write(`nophonehome run: ${n}\n`)
    const variants = parseVariants(values.variant, io.cwd)
    const strace = io.env.NOPHONEHOME_STRACE
    // The image is unpacked (and its digests checked) before anything starts; removed whatever happens.
    const opened = values.image
      ? await openImage(resolve(io.cwd, values.image), { ref: values.ref, platform: values.platform }, { maxEntries: DEFAULT_LIMITS.maxEntries, maxTotalSize: DEFAULT_LIMITS.maxTotalSize })
      : undefined
    let image: ReturnType<typeof imageRunOf> | undefined
    try {
      image = opened && imageRunOf(opened, positionals)
    } catch (err) {
      opened?.cleanup()
      throw err
    }
    if (image) io.stderr.write(`nophonehome run: image ${image.image.ref ?? values.image} ${image.image.platform ?? ''} (${image.image.manifestDigest ?? image.image.configDigest}): ${image.command.join(' ')} in ${image.rootfs.workingDir}\n`)
    const interrupt = listenForInterrupt(io)
    const options: RunOptions = {
      command: image?.command ?? positionals,
      cwd: io.cwd,
      env: image ? image.env : io.env,
      ...(image ? { rootfs: image.rootfs, image: image.image, target: [values.image!] } : {}),
      ready,
      port,
      exercise,
      durationMs,
      timeWarp,
      browse,
      allowDegraded: !!values['allow-degraded'],
      // For tests and odd hosts: a different unshare/strace binary, or `off` for no syscall layer.
      unshare: io.env.NOPHONEHOME_UNSHARE || undefined,
      strace: strace === 'off' ? false : strace || undefined,
      stdout: io.stderr,
      stderr: io.stderr,
      failOn: gating.failOn,
      policy: gating.policy,
      baseline: gating.baseline,
      notices: gating.notices,
      signal: interrupt.signal,
    }
    const onStart = (v: Variant, i: number) => io.stderr.write(`nophonehome run: variant ${v.name} (${i + 1}/${variants!.length})\n`)
    const report = await (variants ? runVariants(options, variants, onStart) : run(options)).finally(() => { interrupt.dispose(); opened?.cleanup() })
    writeReports(report, plan, io, values)
    return exitCodeFor(report)
  },
}

/**
 * Ctrl-C (SIGINT) or a CI cancel (SIGTERM, SIGHUP): the first one stops the sandbox and still writes the report,
 * marked interrupted (so never a pass); a second one quits at once — the sandbox's supervisor, losing its host,
 * still kills everything inside.
 */
function listenForInterrupt(io: CliIo): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController()
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const
  const onSignal = (sig: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      io.stderr.write(`nophonehome run: ${sig} again — quitting without a report\n`)
      process.exit(130)
    }
    io.stderr.write(`nophonehome run: ${sig} — stopping the sandbox and writing a partial report (again to quit now)\n`)
    controller.abort(sig)
  }
  for (const sig of signals) process.on(sig, onSignal)
  return { signal: controller.signal, dispose: () => { for (const sig of signals) process.off(sig, onSignal) } }
}

export function parseReady(value: string | undefined): { port: number } | { pattern: RegExp } | undefined {
  if (value === undefined) return undefined
  if (/^\d+$/.test(value)) {
    const port = Number(value)
    if (port < 1 || port > 65535) throw new UsageError(`--ready port must be 1-65535 (got ${value})`)
    return { port }
  }
  const m = /^\/(.*)\/([a-z]*)$/s.exec(value)
  if (!m) throw new UsageError(`--ready expects a port or /regex/ (got '${value}')`)
  try {
    return { pattern: new RegExp(m[1], m[2].replace(/[gy]/g, '')) }
  } catch (err) {
    throw new UsageError(`--ready: invalid regular expression: ${(err as Error).message}`)
  }
}

/** `--browse PATH` (repeatable) and `--crawl N` → the browser check's options. */
export function parseBrowse(paths: string[] | undefined, crawl: string | undefined): { paths: string[]; crawl?: number } | undefined {
  if (!paths?.length) {
    if (crawl !== undefined) throw new UsageError('--crawl needs --browse')
    return undefined
  }
  for (const p of paths) if (!p.startsWith('/')) throw new UsageError(`--browse expects a path of the app starting with / (got '${p}')`)
  if (crawl !== undefined && !/^\d+$/.test(crawl)) throw new UsageError(`--crawl expects a number of pages, 0 or more (got '${crawl}')`)
  return { paths, ...(crawl !== undefined ? { crawl: Number(crawl) } : {}) }
}

export function parseSeconds(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined
  if (!/^\d+(?:\.\d+)?$/.test(value) || Number(value) <= 0) throw new UsageError(`${flag} expects a positive number of seconds (got '${value}')`)
  return Math.round(Number(value) * 1000)
}

/** Runtime stacks name files relative to where the app ran: prefixed, they read like the static lens's paths. */
export function prefixLocations(findings: Finding[], prefix: string): void {
  for (const f of findings) {
    if (prefix && f.location && !f.location.file.startsWith('/') && !f.location.file.startsWith('<') && !f.location.file.startsWith('..')) {
      f.location = { ...f.location, file: `${prefix}/${f.location.file}` }
    }
  }
}
