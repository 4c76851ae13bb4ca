// `nophonehome verify <artifact>`: the customer's plain verdict, a verification record, and reproduction of a vendor's record.
import { readFileSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import type { Command } from '../command.ts'
import { parse, parsePositiveInt } from '../args.ts'
import { GATING_OPTIONS, GATING_USAGE, resolveGating } from '../gating.ts'
import { colorEnabled, planOutputs, writeReports } from '../output.ts'
import { RUNTIME_OPTIONS, parseBrowse, parseReady, parseSeconds } from './run.ts'
import { UsageError, ReportInvalidError } from '../../errors.ts'
import { loadExercise } from '../../runtime/exercise.ts'
import { verify } from '../../verify/verify.ts'
import { parseVariants } from '../../runtime/variants.ts'
import { parseRecord } from '../../verify/expect.ts'
import { serialiseRecord } from '../../verify/record.ts'
import { renderVerifyText } from '../../verify/text.ts'

const usage = `usage: nophonehome verify <artifact> [options]

Checks a release as shipped (a .tgz/.tar.gz/.tar, a directory, or a container image: a
\`docker save\` / \`podman save\` archive, an OCI archive or layout) and prints one plain verdict —
PASS, FAIL or INCOMPLETE — tied to the artifact's SHA-256 (for an image: its manifest digest),
with what was checked, what was not, and the findings that decided it. Works offline.

options:
  --start "CMD"         also run the app (CMD run by sh in the unpacked artifact) where nothing
                        can leave: the runtime lens. For an image, a bare --start runs the
                        image's own Entrypoint + Cmd in it (rootless, no daemon)
  --image REF           container images: which image of the archive (a name, a tag or sha256:…)
  --platform OS/ARCH    container images: which platform (default: this host's)
  --ready PORT|/REGEX/  with --start: the app is ready when PORT listens or its output matches
  --exercise FILE       with --start: JSON list of HTTP requests sent once ready
  --duration S          with --start: seconds to watch after ready (default 10)
  --time-warp N         with --start: timers and Date run N times faster (daily pings show up)
  --browse PATH         with --start and --ready: open PATH in headless Chromium inside the
                        sandbox; every third-party request is a finding; repeatable
  --crawl N             with --browse: follow up to N same-origin links (default 10)
  --allow-degraded      with --start: run without namespaces (guard only); cannot PASS
  --variant "NAME: …"   with --start: run the app once per variant (repeatable), e.g.
                        --variant "default:" --variant "opted-out: TELEMETRY=false";
                        NAME: [KEY=VALUE…] [file:DEST=SOURCE…] [-- ARG…] (see run --help).
                        Each variant has its own verdict; the record holds them all
  --record FILE         write the verification record (in-toto Statement v1 JSON)
  --expect FILE         compare with the record the vendor published; exit 1 if it does not reproduce
  --format FMT          text (default: the plain verdict) | json | sarif | html | …
  --output FILE         write the report to FILE (pairs with --format in order)
  --no-cache            analyse every file again
${GATING_USAGE}

exit codes: 0 pass (and, with --expect, reproduced) · 1 fail, incomplete, or not reproduced ·
2 usage/config/internal error
`

export const verifyCommand: Command = {
  name: 'verify',
  summary: 'customer check of a release: plain verdict, SHA-256, reproducible record',
  usage,
  async run(argv, io) {
    const { values, positionals } = parse(bareStart(argv), {
      start: { type: 'string' },
      image: { type: 'string' },
      platform: { type: 'string' },
      ...RUNTIME_OPTIONS,
      record: { type: 'string' },
      expect: { type: 'string' },
      format: { type: 'string', multiple: true },
      output: { type: 'string', multiple: true },
      'show-info': { type: 'boolean' },
      'no-cache': { type: 'boolean' },
      ...GATING_OPTIONS,
    })
    if (positionals.length !== 1) throw new UsageError('verify takes exactly one artifact (a tarball or a directory)')
    for (const flag of ['ready', 'exercise', 'duration', 'time-warp', 'allow-degraded', 'browse', 'variant'] as const) {
      if (values[flag] !== undefined && values.start === undefined) throw new UsageError(`--${flag} needs --start (it applies to the runtime check)`)
    }
    const browse = parseBrowse(values.browse, values.crawl)
    if (browse && !values.ready) throw new UsageError('--browse needs --ready (the pages are opened once the app is ready)')
    const formats = values.format?.length ? values.format : ['text']
    const plan = planOutputs({ ...values, format: formats.map((f) => (f === 'text' ? 'json' : f)) }).map((p, i) => ({ ...p, format: formats[i] }))
    let expect
    if (values.expect) {
      let text: string
      try { text = readFileSync(resolve(io.cwd, values.expect), 'utf8') } catch (err) { throw new ReportInvalidError(`${values.expect}: cannot be read (${(err as NodeJS.ErrnoException).code})`) }
      expect = parseRecord(text, values.expect)
    }
    const gating = await resolveGating(values, positionals, io.cwd)
    for (const n of gating.notices) io.stderr.write(`nophonehome verify: ${n}\n`)
    const strace = io.env.NOPHONEHOME_STRACE
    const result = await verify({
      artifact: resolve(io.cwd, positionals[0]),
      start: values.start,
      ...(values.image !== undefined || values.platform !== undefined ? { image: { ref: values.image, platform: values.platform } } : {}),
      ready: parseReady(values.ready),
      exercise: values.exercise ? loadExercise(resolve(io.cwd, values.exercise)) : undefined,
      durationMs: parseSeconds(values.duration, '--duration'),
      timeWarp: parsePositiveInt(values['time-warp'], '--time-warp'),
      browse,
      variants: parseVariants(values.variant, io.cwd),
      allowDegraded: !!values['allow-degraded'],
      failOn: gating.failOn,
      policy: gating.policy,
      baseline: gating.baseline,
      notices: gating.notices,
      expect,
      cache: !values['no-cache'],
      env: io.env,
      sandbox: { unshare: io.env.NOPHONEHOME_UNSHARE || undefined, strace: strace === 'off' ? false : strace || undefined },
    })
    if (values.record) writeFileSync(resolve(io.cwd, values.record), serialiseRecord(result.record))
    for (const p of plan) {
      if (p.format === 'text') {
        const text = renderVerifyText(result, !p.file && colorEnabled(io, io.stdout))
        if (p.file) writeFileSync(resolve(io.cwd, p.file), text)
        else io.stdout.write(text)
      } else if (p.format === 'json') {
        const text = JSON.stringify({ ...result.report, artifact: result.artifact, lenses: result.lenses, ...(result.comparison ? { comparison: result.comparison } : {}) }, null, 2) + '\n'
        if (p.file) writeFileSync(resolve(io.cwd, p.file), text)
        else io.stdout.write(text)
      } else {
        writeReports(result.report, [p], io, values)
      }
    }
    if (result.comparison && !result.comparison.reproduced) return 1
    return result.report.verdict === 'pass' ? 0 : 1
  },
}

/** `--start` with no command (last, or followed by another option) runs an image's own start command: `--start=`. */
function bareStart(argv: string[]): string[] {
  const out: string[] = []
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--') { out.push(...argv.slice(i)); break }
    if (argv[i] === '--start' && (i === argv.length - 1 || argv[i + 1].startsWith('-'))) out.push('--start=')
    else out.push(argv[i])
  }
  return out
}
