// `nophonehome scan <path...>`: the static lens over directories, files and release tarballs.
import type { Command } from '../command.ts'
import { parse, parsePositiveInt, parseSize } from '../args.ts'
import { GATING_OPTIONS, GATING_USAGE, resolveGating } from '../gating.ts'
import { planOutputs, writeReports } from '../output.ts'
import { UsageError } from '../../errors.ts'
import { scan } from '../../static/scan.ts'
import { exitCodeFor } from '../../pipeline.ts'
import { describeBuild, loadBuildOptionsFile, mergeBuildInputs, parseDefineFlags, parseListFlag } from '../../static/artifact/build-inputs.ts'

const usage = `usage: nophonehome scan <path...> [options]
       nophonehome scan <project> --entry FILE [--entry FILE…] [--platform node|browser]
                        [--define K=V…] [--drop-labels L,…] [--conditions C,…] [--esbuild-options F]

Reports every outbound network capability in a built self-hosted artifact: a directory
(node_modules included), single files, release tarballs (.tgz, .tar.gz, .tar), or container
images (a \`docker save\` / \`podman save\` archive, an OCI archive or OCI layout directory).

options:
  --format FMT          text (default) | json | …; repeat with --output for several reports
  --output FILE         write the report to FILE (pairs with --format in order)
  --show-info           include info-level findings in text output
  --cache-dir DIR       analysis cache location (default: OS cache dir)
  --no-cache            analyse every file again
  --jobs N              worker threads (default: number of cores)
  --max-file-size SIZE  skip (and report) larger files (default 32mb)
  --max-files N         stop collecting after N files (default 500000)
  --max-entries N       tarball entry limit (default 200000)
  --max-total-size SIZE tarball unpacked size limit (default 4gb)
  --file-timeout SECS   give up on a file (reported as not analysed) after SECS, plus 1 s
                        per MB of the file (default 60)

container images (read offline, no daemon; digests checked, exit 2 on a mismatch):
  --image REF           with several images in one archive: the one to check (a name such as
                        vendor/app:1.4, a tag, or a manifest digest sha256:…)
  --platform OS/ARCH    with several platforms: the one to check (default: this host's)

bundling mode (esbuild, in memory; reports only the code that ships):
  --entry FILE          entry point inside <project> (repeatable); findings are located in
                        <bundle:FILE> and mapped back to the original file and package
  --platform P          node (default) | browser: how imports resolve
  --external MOD        leave MOD out of the bundle (repeatable, * allowed); reported as review

reachability without bundling (the scan reads every file; entries decide what the product loads):
  --no-bundle --entry F  F (a file, or a package directory: its main/exports/bin) is where the
                        product starts (repeatable). Without --entry, entries come from package.json
                        main/exports/bin/scripts.start, HTML pages and top-level shebang files.
                        Findings in files no entry loads are lowered one step and say why.

the edition that ships (the same inputs as the vendor's build; see docs/editions.md):
  --define K=V          replace K by V before tree-shaking, as esbuild's define: V is a JSON
                        literal or a name (repeatable), e.g. --define 'process.env.EDITION="self-hosted"'
  --drop-labels L,…     remove statements labelled L (esbuild dropLabels)
  --conditions C,…      extra package.json exports conditions for resolving imports
  --esbuild-options F   the vendor's esbuild options as JSON (entryPoints, define, dropLabels,
                        conditions, platform, external, mainFields, alias, …); flags add to it.
                        Read, never run: a JavaScript config is refused

${GATING_USAGE}

exit codes: 0 pass · 1 findings at or above --fail-on, or not everything analysed · 2 usage/config/internal error
`

export const scanCommand: Command = {
  name: 'scan',
  summary: 'static check of a built artifact (directory, files, tarball)',
  usage,
  async run(argv, io) {
    const { values, positionals } = parse(argv, {
      format: { type: 'string', multiple: true },
      output: { type: 'string', multiple: true },
      'show-info': { type: 'boolean' },
      'cache-dir': { type: 'string' },
      'no-cache': { type: 'boolean' },
      jobs: { type: 'string' },
      'max-file-size': { type: 'string' },
      'max-files': { type: 'string' },
      'max-entries': { type: 'string' },
      'max-total-size': { type: 'string' },
      'file-timeout': { type: 'string' },
      entry: { type: 'string', multiple: true },
      platform: { type: 'string' },
      external: { type: 'string', multiple: true },
      define: { type: 'string', multiple: true },
      'drop-labels': { type: 'string', multiple: true },
      conditions: { type: 'string', multiple: true },
      'esbuild-options': { type: 'string' },
      image: { type: 'string' },
      'no-bundle': { type: 'boolean' },
      ...GATING_OPTIONS,
    })
    if (!positionals.length) throw new UsageError('scan needs at least one path (a directory, a file or a .tgz)')
    // An image platform (`linux/amd64`) has a slash; esbuild's (`node`, `browser`) has none.
    const imagePlatform = values.platform?.includes('/') ? values.platform : undefined
    const bundlePlatform = imagePlatform ? undefined : values.platform
    if (bundlePlatform !== undefined && bundlePlatform !== 'node' && bundlePlatform !== 'browser') {
      throw new UsageError(`--platform must be node or browser (bundling), or OS/ARCH such as linux/amd64 (images), not '${values.platform}'`)
    }
    const editionNotices: string[] = []
    const define = parseDefineFlags(values.define, editionNotices)
    const dropLabels = parseListFlag(values['drop-labels'], '--drop-labels', 'label')
    const conditions = parseListFlag(values.conditions, '--conditions', 'condition')
    const optionsFile = values['esbuild-options'] ? loadBuildOptionsFile(values['esbuild-options'], io.cwd) : undefined
    // --no-bundle: --entry names where the product starts (reachability), and nothing is bundled.
    const noBundle = values['no-bundle'] === true
    if (noBundle && !values.entry?.length) throw new UsageError('--no-bundle goes with --entry: name the files (or package directories) the product starts from')
    if (noBundle && (bundlePlatform !== undefined || values.external?.length || define || dropLabels || conditions || optionsFile)) {
      throw new UsageError('--platform node|browser, --external, --define, --drop-labels, --conditions and --esbuild-options are for bundling mode, not with --no-bundle')
    }
    const entries = noBundle ? [] : values.entry?.length ? values.entry : optionsFile?.entries ?? []
    if (entries.length && (values.image !== undefined || imagePlatform)) throw new UsageError('--image and --platform OS/ARCH apply to container images, not with --entry (bundling mode)')
    if (!entries.length && !noBundle && (bundlePlatform !== undefined || values.external?.length || define || dropLabels || conditions || optionsFile)) {
      throw new UsageError(
        '--platform, --external, --define, --drop-labels, --conditions and --esbuild-options only apply in bundling mode: give --entry (or entryPoints in the options file)',
      )
    }
    if (entries.length && positionals.length !== 1) throw new UsageError('--entry bundles one project: give exactly one project directory')
    const plan = planOutputs(values)
    const gating = await resolveGating(values, positionals, io.cwd)
    for (const n of [...gating.notices, ...editionNotices]) io.stderr.write(`nophonehome scan: ${n}\n`)
    const external = [...new Set([...(optionsFile?.external ?? []), ...(values.external ?? [])])]
    const bundling = entries.length
      ? {
          entries,
          platform: (bundlePlatform ?? optionsFile?.platform) as 'node' | 'browser' | undefined,
          external,
          build: mergeBuildInputs(optionsFile?.inputs, { define, dropLabels, conditions }),
          ...(optionsFile ? { buildOptionsFile: { file: optionsFile.file, applied: optionsFile.applied, ignored: optionsFile.ignored } } : {}),
        }
      : {}
    const showProgress = !!io.stderr.isTTY
    const started = Date.now()
    let lastDraw = 0
    const report = await scan({
      targets: positionals,
      ...bundling,
      ...(noBundle ? { entryPoints: values.entry } : {}),
      ...(values.image !== undefined || imagePlatform ? { image: { ref: values.image, platform: imagePlatform } } : {}),
      failOn: gating.failOn,
      policy: gating.policy,
      baseline: gating.baseline,
      notices: gating.notices,
      // NOPHONEHOME_TIMING=1: one line on stderr with the whole-program phase's time (npm run bench reads it).
      ...(io.env.NOPHONEHOME_TIMING ? { onTiming: (t: { wholeProgramMs: number; program: Array<Record<string, number>> }) => io.stderr.write(`nophonehome timing: whole-program ${t.wholeProgramMs} ms ${JSON.stringify(t.program)}\n`) } : {}),
      cache: !values['no-cache'],
      cacheDir: values['cache-dir'],
      jobs: parsePositiveInt(values.jobs, '--jobs'),
      maxFileSize: parseSize(values['max-file-size'], '--max-file-size'),
      maxFiles: parsePositiveInt(values['max-files'], '--max-files'),
      maxEntries: parsePositiveInt(values['max-entries'], '--max-entries'),
      maxTotalSize: parseSize(values['max-total-size'], '--max-total-size'),
      fileTimeoutMs: secondsToMs(parsePositiveInt(values['file-timeout'], '--file-timeout')),
      onProgress: showProgress
        ? (done, total) => {
            const now = Date.now()
            if (now - started < 1000 || now - lastDraw < 100) return
            lastDraw = now
            io.stderr.write(`\r\x1b[Kscanning: ${done}/${total} files`)
          }
        : undefined,
    })
    if (showProgress && lastDraw) io.stderr.write('\r\x1b[K')
    if (report.build) io.stderr.write(`nophonehome scan: ${describeBuild(report.build)}\n`)
    writeReports(report, plan, io, values)
    return exitCodeFor(report)
  },
}

function secondsToMs(seconds: number | undefined): number | undefined {
  return seconds === undefined ? undefined : seconds * 1000
}
