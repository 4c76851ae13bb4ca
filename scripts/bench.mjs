// Benchmark of the static lens on a pinned real-world dependency tree: bare acorn vs cold/warm scan, peak RSS, one big bundle.
//
// usage: npm run bench [-- --quick] [-- --runs N]
//   NOPHONEHOME_BENCH_DIR=DIR   corpus folder (default $XDG_CACHE_HOME/nophonehome-bench/corpus-<lock hash>)
//   NPH_DIST=DIR                which build to measure (default dist)
//
// Not a timed test: numbers depend on the machine and on whatever else runs on it, so the load average
// is printed next to them. The corpus is installed with `npm ci --ignore-scripts` outside the repo and
// reused while its lockfile is unchanged.
import { spawn, spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import {
  copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync,
} from 'node:fs'
import { availableParallelism, cpus, homedir, loadavg, tmpdir } from 'node:os'
import { dirname, extname, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'

const REPO = fileURLToPath(new URL('..', import.meta.url))
const CORPUS_SPEC = join(REPO, 'scripts', 'bench-corpus')
const MARKER = '.nophonehome-bench-complete'
const MAX_FILE_SIZE = 32 * 1024 * 1024 // the scan's default --max-file-size: bigger files are skipped by both sides
const GIB = 1024 * 1024 * 1024
// Issue 15 keeps cold / bare at 1.3× or better with the whole-program layer, whose own phase stays under a
// tenth of the cold scan (issue 2's 0.75× was found to need more than two cores: blocked).
const TARGETS = { coldOverBare: 1.3, warmOverCold: 0.1, peakRssBytes: GIB, bundleOverBare: 1.5, wholeProgramOverCold: 0.1 }

// Package folders (under node_modules) scanned by --quick: a few MB each, some CJS, some ESM.
const QUICK_PACKAGES = ['typescript', 'fastify', 'express', 'pg', 'react-dom']
// What the ~20 MB bundle requires (esbuild follows their imports); --quick uses a smaller set.
const BUNDLE_ENTRY = ['typescript', 'express', 'fastify', 'pg', '@sentry/node', 'react', 'next/dist/compiled/babel/bundle']
const QUICK_BUNDLE_ENTRY = ['express', 'fastify', 'pg', '@sentry/node']

// ---------------------------------------------------------------------------------------------
// Child modes: each measurement runs in a fresh process so one does not warm or bloat the other.

/**
 * Bare baseline: read every listed file (timed apart), then acorn.parse each one on one thread. A file
 * whose guessed source type fails is parsed again as the other; the failed attempt is timed apart so
 * the baseline can be "one parse per file with the right type" (stricter, i.e. smaller) or include it.
 */
async function runBareChild(listFile) {
  const { parse } = await import('acorn')
  // Exactly the options the tool gives acorn (src/static/parse.ts), taken from the build being measured.
  const { acornOptionsFor: acornOptions } = await import(pathToFileURL(join(resolve(REPO, process.env.NPH_DIST || 'dist'), 'internal.js')).href)
  const list = JSON.parse(readFileSync(listFile, 'utf8'))
  const t0 = performance.now()
  const sources = list.map((f) => readFileSync(f.path, 'utf8'))
  const t1 = performance.now()
  let fallbacks = 0
  let failures = 0
  let wastedMs = 0
  let wastedCpuMs = 0
  const cpuMsSince = (c) => { const d = process.cpuUsage(c); return (d.user + d.system) / 1000 }
  const cpu0 = process.cpuUsage()
  for (let i = 0; i < sources.length; i++) {
    const kind = list[i].kind
    const a = performance.now()
    const ac = process.cpuUsage()
    try {
      parse(sources[i], acornOptions(kind))
    } catch {
      fallbacks++
      try {
        const b = performance.now()
        const bc = process.cpuUsage()
        parse(sources[i], acornOptions(kind === 'module' ? 'commonjs' : 'module'))
        // Parsed the other way: the first attempt was the price of guessing wrong.
        wastedMs += b - a
        wastedCpuMs += (bc.user + bc.system - ac.user - ac.system) / 1000
      } catch {
        failures++ // parses neither way: the scan pays both attempts too
      }
    }
  }
  const t2 = performance.now()
  const parseCpuMs = cpuMsSince(cpu0)
  process.stdout.write(JSON.stringify({
    readMs: t1 - t0, parseMs: t2 - t1, parseCpuMs, wastedMs, wastedCpuMs,
    strictMs: t2 - t1 - wastedMs, strictCpuMs: parseCpuMs - wastedCpuMs,
    files: list.length, fallbacks, failures, maxRssKb: process.resourceUsage().maxRSS,
  }))
}

/** In-process measures of one file without process start-up: the library's scan(), or analyseSource() alone. */
async function runInProcessChild(how, file, distDir) {
  if (how === 'lib-scan') {
    const { scan } = await import(pathToFileURL(join(distDir, 'index.js')).href)
    const t0 = performance.now()
    const report = await scan({ targets: [file], cache: false })
    const ms = performance.now() - t0
    process.stdout.write(JSON.stringify({ ms, findings: report.findings.length, maxRssKb: process.resourceUsage().maxRSS }))
  } else {
    const { analyseSource } = await import(pathToFileURL(join(distDir, 'internal.js')).href)
    const source = readFileSync(file, 'utf8')
    const t0 = performance.now()
    const r = analyseSource(source, 'commonjs')
    const ms = performance.now() - t0
    if (r.parseError) throw new Error(`bundle did not parse: ${r.parseError.message}`)
    process.stdout.write(JSON.stringify({ ms, findings: r.findings.length, kind: r.kind, maxRssKb: process.resourceUsage().maxRSS }))
  }
}

// ---------------------------------------------------------------------------------------------
// Corpus

function cacheHome() {
  return process.env.XDG_CACHE_HOME || join(homedir(), '.cache')
}

/** Installs the pinned tree once per lockfile (never running install scripts); returns its folder. */
function ensureCorpus() {
  const manifest = readFileSync(join(CORPUS_SPEC, 'package.json'))
  const lock = readFileSync(join(CORPUS_SPEC, 'package-lock.json'))
  const hash = createHash('sha256').update(manifest).update('\0').update(lock).digest('hex').slice(0, 16)
  const dir = resolve(process.env.NOPHONEHOME_BENCH_DIR || join(cacheHome(), 'nophonehome-bench', `corpus-${hash}`))
  const rel = relative(REPO, dir)
  if (!rel || (!rel.startsWith('..') && !rel.startsWith(sep) && !/^[a-zA-Z]:/.test(rel))) {
    throw new Error(`corpus folder ${dir} is inside the repository; point NOPHONEHOME_BENCH_DIR elsewhere`)
  }
  const marker = join(dir, MARKER)
  if (existsSync(marker) && readFileSync(marker, 'utf8').trim() === hash && existsSync(join(dir, 'node_modules'))) {
    return { dir, hash, installed: false }
  }
  log(`installing the pinned corpus into ${dir} (npm ci --ignore-scripts; a few minutes the first time)…`)
  mkdirSync(dir, { recursive: true })
  rmSync(marker, { force: true })
  copyFileSync(join(CORPUS_SPEC, 'package.json'), join(dir, 'package.json'))
  copyFileSync(join(CORPUS_SPEC, 'package-lock.json'), join(dir, 'package-lock.json'))
  const r = spawnSync('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], {
    cwd: dir,
    stdio: ['ignore', 'inherit', 'inherit'],
    // Belt and braces: nothing in the corpus gets to run code on this machine.
    env: { ...process.env, npm_config_ignore_scripts: 'true' },
  })
  if (r.status !== 0) throw new Error(`npm ci failed in ${dir} (exit ${r.status ?? r.signal})`)
  writeFileSync(marker, `${hash}\n`)
  return { dir, hash, installed: true }
}

/**
 * Lists the .js/.mjs/.cjs files under `roots` the way the scan sees them: symlinks not followed, files
 * over the size limit left out, module kind from the extension and the nearest package.json `type`.
 */
function listJsFiles(roots, stopAt) {
  const typeCache = new Map()
  const typeOf = (dir) => {
    if (typeCache.has(dir)) return typeCache.get(dir)
    let t
    try {
      const pj = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
      t = pj && pj.type === 'module' ? 'module' : 'commonjs'
    } catch {
      t = dir === stopAt || dirname(dir) === dir ? 'commonjs' : typeOf(dirname(dir))
    }
    typeCache.set(dir, t)
    return t
  }
  const files = []
  let skipped = 0
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name)
      if (e.isDirectory()) walk(p)
      else if (e.isFile()) {
        const ext = extname(e.name).toLowerCase()
        if (ext !== '.js' && ext !== '.mjs' && ext !== '.cjs') continue
        const size = statSync(p).size
        if (size > MAX_FILE_SIZE) { skipped++; continue }
        files.push({ path: p, size, kind: ext === '.mjs' ? 'module' : ext === '.cjs' ? 'commonjs' : typeOf(d) })
      }
    }
  }
  roots.forEach(walk)
  return { files, skipped }
}

/** Bundles corpus packages with esbuild (platform node, not minified) into one file of about `aimMb`. */
async function makeBundle(corpusDir, quick) {
  const { build } = await import('esbuild')
  const dir = join(corpusDir, quick ? 'bundle-quick' : 'bundle')
  mkdirSync(dir, { recursive: true })
  // Its own package.json so the scan attributes it here instead of walking up to the corpus.
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'nophonehome-bench-bundle', version: '0.0.0', private: true, type: 'commonjs' }, null, 2) + '\n')
  const mods = quick ? QUICK_BUNDLE_ENTRY : BUNDLE_ENTRY
  const entry = join(dir, 'entry.cjs')
  writeFileSync(entry, mods.map((m) => `exports[${JSON.stringify(m)}] = require(${JSON.stringify(m)})\n`).join(''))
  const outfile = join(dir, 'bundle.js')
  const external = []
  // Optional imports that are not installed make esbuild fail: keep those external and try again.
  for (let attempt = 0; ; attempt++) {
    try {
      await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', target: 'node20', minify: false, outfile, external, logLevel: 'silent', nodePaths: [join(corpusDir, 'node_modules')] })
      break
    } catch (err) {
      const missing = (err.errors ?? []).map((e) => /Could not resolve "([^"]+)"/.exec(e.text)?.[1]).filter(Boolean)
      if (!missing.length || attempt >= 5) throw err
      external.push(...missing)
    }
  }
  return { file: outfile, bytes: statSync(outfile).size, modules: mods, external }
}

// ---------------------------------------------------------------------------------------------
// Measuring

const TIME_BIN = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined

/**
 * Runs `node args…`, returning wall time, exit code, stdout, and peak RSS and CPU time of the whole
 * process (worker threads included): from GNU time, or without it RSS by polling /proc/<pid>/status
 * VmHWM (CPU time then unknown).
 */
function runNode(args, { tmp, label }) {
  return new Promise((resolvePromise, reject) => {
    const rssFile = join(tmp, `rss-${label}.txt`)
    const cmd = TIME_BIN ? TIME_BIN : process.execPath
    const argv = TIME_BIN ? ['-f', '%U %S %M', '-o', rssFile, process.execPath, ...args] : args
    const t0 = performance.now()
    const child = spawn(cmd, argv, { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', NOPHONEHOME_TIMING: '1' } })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => { stdout += d })
    child.stderr.on('data', (d) => { stderr += d })
    let polledKb = 0
    const poll = TIME_BIN ? undefined : setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))
        if (m) polledKb = Math.max(polledKb, Number(m[1]))
      } catch { /* exited between ticks */ }
    }, 25)
    child.on('error', reject)
    child.on('close', (code) => {
      const ms = performance.now() - t0
      if (poll) clearInterval(poll)
      let rssKb = polledKb
      let cpuMs = NaN
      if (TIME_BIN) {
        // GNU time writes "Command exited with non-zero status N" before the figures on failure.
        const lines = existsSync(rssFile) ? readFileSync(rssFile, 'utf8').trim().split('\n') : []
        const [user, system, kb] = (lines.at(-1) ?? '').split(' ').map(Number)
        rssKb = kb || 0
        cpuMs = (user + system) * 1000
      }
      resolvePromise({ ms, code, stdout, stderr, rssBytes: rssKb * 1024, cpuMs })
    })
  })
}

async function runChildJson(args, opts) {
  const r = await runNode([fileURLToPath(import.meta.url), ...args], opts)
  if (r.code !== 0) throw new Error(`bench child ${args[0]} failed (exit ${r.code}):\n${r.stderr}`)
  return { ...JSON.parse(r.stdout), wallMs: r.ms, rssBytes: r.rssBytes }
}

/** Runs the built CLI's scan; exit 0 and 1 are results, anything else is a failure. */
async function runScan(cli, targets, extra, opts) {
  const r = await runNode([cli, 'scan', ...targets, ...extra], opts)
  if (r.code !== 0 && r.code !== 1) throw new Error(`scan failed (exit ${r.code}):\n${r.stderr}`)
  return r
}

/** The whole-program phase's milliseconds, from the line NOPHONEHOME_TIMING=1 makes the CLI print. */
function programMsOf(stderr) {
  const m = /nophonehome timing: whole-program (\d+) ms/.exec(stderr)
  if (!m) throw new Error(`the scan printed no timing line (NOPHONEHOME_TIMING=1):\n${stderr.slice(-2000)}`)
  return Number(m[1])
}

function summaryOf(reportFile) {
  const report = JSON.parse(readFileSync(reportFile, 'utf8'))
  return { summary: report.summary, fingerprints: report.findings.map((f) => f.fingerprint).sort() }
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

// ---------------------------------------------------------------------------------------------
// Printing

function log(line) {
  process.stdout.write(`${line}\n`)
}
const sec = (ms) => `${(ms / 1000).toFixed(2)} s`
const mib = (b) => `${(b / 1024 / 1024).toFixed(0)} MiB`
const mb = (b) => `${(b / 1e6).toFixed(1)} MB`
const loadText = (l) => l.map((x) => x.toFixed(2)).join(' ')

function printTable(rows, runs) {
  const head = ['', ...Array.from({ length: runs }, (_, i) => `run ${i + 1}`), 'median']
  const body = rows.map(([name, values, fmt]) => [name, ...values.map(fmt), fmt(median(values))])
  const all = [head, ...body]
  const widths = head.map((_, c) => Math.max(...all.map((r) => r[c].length)))
  for (const r of all) log(r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('   '))
}

/** One verdict line: PASS when `value` is at or under `target`, else MISS with how far over. */
function verdict(name, value, target, show) {
  const ok = value <= target
  const over = ok ? '' : `  (over by ${((value / target - 1) * 100).toFixed(0)}%)`
  log(`  ${name.padEnd(34)} ${show(value).padStart(9)}   target ≤ ${show(target).padEnd(7)} ${ok ? 'PASS' : 'MISS'}${over}`)
  return ok
}

// ---------------------------------------------------------------------------------------------
// Main

async function main() {
  const { values } = parseArgs({
    options: { quick: { type: 'boolean' }, runs: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  })
  if (values.help) {
    log('usage: node scripts/bench.mjs [--quick] [--runs N]   (npm run bench builds first)')
    log('  --quick   scan a few packages of the corpus and a small bundle, 1 run unless --runs is given')
    log('  --runs N  repeat each measurement N times, interleaved (default 3); medians are reported')
    return
  }
  const quick = !!values.quick
  const runs = values.runs === undefined ? (quick ? 1 : 3) : Number(values.runs)
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs needs a positive integer, got ${values.runs}`)
  const distDir = resolve(REPO, process.env.NPH_DIST || 'dist')
  const cli = join(distDir, 'cli.js')
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run npm run build (or npm run bench, which builds first)`)

  const loadStart = loadavg()
  const startedAt = new Date()
  const { dir: corpusDir, hash, installed } = ensureCorpus()
  const nodeModules = join(corpusDir, 'node_modules')
  const scanRoots = quick ? QUICK_PACKAGES.map((p) => join(nodeModules, p)).filter((p) => existsSync(p)) : [nodeModules]
  const { files, skipped } = listJsFiles(scanRoots, corpusDir)
  const jsBytes = files.reduce((n, f) => n + f.size, 0)
  const tmp = mkdtempSync(join(tmpdir(), 'nph-bench-'))
  // Reports, scan caches and RSS files live here; gone on any exit, a failed run included.
  process.on('exit', () => rmSync(tmp, { recursive: true, force: true }))
  const listFile = join(tmp, 'files.json')
  writeFileSync(listFile, JSON.stringify(files.map(({ path, kind }) => ({ path, kind }))))
  // The same files split over one process per core, balanced by bytes (largest first to the lightest
  // share): how fast acorn alone gets through the corpus with every core, a floor for any full scan.
  const cores = availableParallelism()
  const shares = Array.from({ length: cores }, () => ({ files: [], bytes: 0 }))
  for (const f of [...files].sort((a, b) => b.size - a.size)) {
    const lightest = shares.reduce((a, b) => (b.bytes < a.bytes ? b : a))
    lightest.files.push({ path: f.path, kind: f.kind })
    lightest.bytes += f.size
  }
  const shareFiles = shares.map((sh, i) => {
    const file = join(tmp, `files-share-${i}.json`)
    writeFileSync(file, JSON.stringify(sh.files))
    return file
  })
  const bundle = await makeBundle(corpusDir, quick)
  const bundleList = join(tmp, 'bundle-files.json')
  writeFileSync(bundleList, JSON.stringify([{ path: bundle.file, kind: 'commonjs' }]))

  const cpuModel = cpus()[0]?.model?.trim() ?? 'unknown CPU'
  log('')
  log(`nophonehome static-lens benchmark${quick ? ' (--quick: corpus subset, smoke run only)' : ''}`)
  log(`started      ${startedAt.toISOString()}   load average at start: ${loadText(loadStart)} (1/5/15 min)`)
  log(`machine      ${availableParallelism()} cores (${cpuModel}), node ${process.version}, measuring ${relative(REPO, cli)}`)
  log(`corpus       ${corpusDir}${installed ? ' (installed now)' : ' (reused)'}`)
  log(`             ${quick ? `packages ${QUICK_PACKAGES.join(', ')}: ` : ''}${files.length} JS files (.js/.mjs/.cjs), ${mb(jsBytes)} of JS` +
    `${skipped ? `, ${skipped} over 32 MiB left out` : ''}; lock ${hash}`)
  log(`bundle       ${bundle.file}: ${mb(bundle.bytes)} (esbuild, platform node, not minified, from ${bundle.modules.join(' ')})`)
  log(`runs         ${runs}, interleaved; page cache warm for all (the baseline reads every file first)`)
  log('')

  const m = { bareParallel: [], bare: [], bareCpu: [], bareLoose: [], bareLooseCpu: [], bareRead: [], cold: [], coldCpu: [], warmCpu: [], warm: [], coldRss: [], warmRss: [], coldProgram: [], warmProgram: [], bBare: [], bCli: [], bCliRss: [], bLib: [], bAnalyse: [] }
  let bareInfo
  let coldSummary
  let warmMismatch = 0
  for (let i = 0; i < runs; i++) {
    process.stderr.write(`run ${i + 1}/${runs}: bare parse…`)
    const bare = await runChildJson(['--internal-bare', listFile], { tmp, label: `bare-${i}` })
    m.bare.push(bare.strictMs)
    m.bareCpu.push(bare.strictCpuMs)
    m.bareLoose.push(bare.parseMs)
    m.bareLooseCpu.push(bare.parseCpuMs)
    m.bareRead.push(bare.readMs)
    bareInfo = bare

    process.stderr.write(` bare parse on ${cores} processes…`)
    const parts = await Promise.all(shareFiles.map((f, k) => runChildJson(['--internal-bare', f], { tmp, label: `share-${i}-${k}` })))
    // Each child reads its files (about the same short time), then parses them side by side with the
    // others: the slowest child's parse is when the last file is done.
    m.bareParallel.push(Math.max(...parts.map((x) => x.strictMs)))

    process.stderr.write(' cold scan…')
    const cacheDir = join(tmp, `cache-${i}`)
    const coldOut = join(tmp, `cold-${i}.json`)
    const cold = await runScan(cli, scanRoots, ['--cache-dir', cacheDir, '--format', 'json', '--output', coldOut], { tmp, label: `cold-${i}` })
    m.cold.push(cold.ms)
    m.coldCpu.push(cold.cpuMs)
    m.coldRss.push(cold.rssBytes)
    m.coldProgram.push(programMsOf(cold.stderr))

    process.stderr.write(' warm scan…')
    const warmOut = join(tmp, `warm-${i}.json`)
    const warm = await runScan(cli, scanRoots, ['--cache-dir', cacheDir, '--format', 'json', '--output', warmOut], { tmp, label: `warm-${i}` })
    m.warm.push(warm.ms)
    m.warmCpu.push(warm.cpuMs)
    m.warmRss.push(warm.rssBytes)
    m.warmProgram.push(programMsOf(warm.stderr))
    const c = summaryOf(coldOut)
    const w = summaryOf(warmOut)
    coldSummary = c.summary
    if (JSON.stringify(c.fingerprints) !== JSON.stringify(w.fingerprints)) warmMismatch++
    rmSync(cacheDir, { recursive: true, force: true })

    process.stderr.write(' bundle…')
    const bb = await runChildJson(['--internal-bare', bundleList], { tmp, label: `bbare-${i}` })
    m.bBare.push(bb.strictMs)
    const bundleOut = join(tmp, `bundle-${i}.json`)
    const bc = await runScan(cli, [bundle.file], ['--no-cache', '--format', 'json', '--output', bundleOut], { tmp, label: `bcli-${i}` })
    m.bCli.push(bc.ms)
    m.bCliRss.push(bc.rssBytes)
    const bl = await runChildJson(['--internal-in-process', 'lib-scan', bundle.file, distDir], { tmp, label: `blib-${i}` })
    m.bLib.push(bl.ms)
    const ba = await runChildJson(['--internal-in-process', 'analyse', bundle.file, distDir], { tmp, label: `ban-${i}` })
    m.bAnalyse.push(ba.ms)
    process.stderr.write(' done\n')
  }
  const loadEnd = loadavg()

  const ms = (x) => sec(x)
  printTable([
    ['bare acorn.parse, 1 thread, 1 parse per file', m.bare, ms],
    ['  + failed first attempts (wrong type guess)', m.bareLoose, ms],
    ['  (file reads, not in the figure above)', m.bareRead, ms],
    [`bare acorn.parse split over ${cores} processes (wall)`, m.bareParallel, ms],
    [`cold scan (CLI wall, fresh --cache-dir)`, m.cold, ms],
    ['warm scan (CLI wall, same --cache-dir)', m.warm, ms],
    ['  whole-program phase of the cold scan', m.coldProgram, ms],
    ['  whole-program phase of the warm scan (cached)', m.warmProgram, ms],
    ['bare parse CPU time (1 parse per file)', m.bareCpu, ms],
    ['cold scan CPU time (user+sys, all threads)', m.coldCpu, ms],
    ['warm scan CPU time', m.warmCpu, ms],
    ['cold scan peak RSS', m.coldRss, mib],
    ['warm scan peak RSS', m.warmRss, mib],
    [`bundle ${mb(bundle.bytes)}: bare acorn.parse`, m.bBare, ms],
    ['bundle: scan --no-cache (CLI wall)', m.bCli, ms],
    ['bundle: library scan() in-process', m.bLib, ms],
    ['bundle: analyseSource() in-process', m.bAnalyse, ms],
    ['bundle: scan peak RSS', m.bCliRss, mib],
  ], runs)
  log('')
  if (bareInfo.fallbacks || bareInfo.failures) {
    log(`baseline: ${bareInfo.fallbacks} files failed as the type guessed from extension + nearest package.json "type" and were parsed as the other; ` +
      `the targets use the stricter baseline without those failed attempts. ${bareInfo.failures} files parse neither way (both attempts counted).`)
  }
  if (coldSummary) {
    log(`scan saw: ${coldSummary.filesScanned} files, ${mb(coldSummary.bytesScanned)} (all kinds), ${coldSummary.filesNotAnalysed} not analysed; ` +
      `findings ${coldSummary.violation} violation / ${coldSummary.review} review / ${coldSummary.info} info`)
  }
  if (warmMismatch) log(`WARNING: in ${warmMismatch} run(s) the warm scan's findings differed from the cold scan's`)
  log('')

  const r = {
    coldOverBare: median(m.cold) / median(m.bare),
    warmOverCold: median(m.warm) / median(m.cold),
    peakRss: Math.max(...m.coldRss),
    bundleCliOverBare: median(m.bCli) / median(m.bBare),
    bundleLibOverBare: median(m.bLib) / median(m.bBare),
    bundleAnalyseOverBare: median(m.bAnalyse) / median(m.bBare),
    wholeProgramOverCold: median(m.coldProgram) / median(m.cold),
  }
  const ratio = (x) => `${x.toFixed(2)}×`
  log(`targets (medians; peak RSS is the highest of the cold runs)${quick ? ' — --quick figures do not judge the targets' : ''}`)
  const pass = {
    coldOverBare: verdict('cold scan / bare parse', r.coldOverBare, TARGETS.coldOverBare, ratio),
    warmOverCold: verdict('warm scan / cold scan', r.warmOverCold, TARGETS.warmOverCold, ratio),
    peakRss: verdict('cold scan peak RSS', r.peakRss, TARGETS.peakRssBytes, mib),
    bundle: verdict('bundle: scan CLI wall / bare parse', r.bundleCliOverBare, TARGETS.bundleOverBare, ratio),
    wholeProgram: verdict('whole-program phase / cold scan', r.wholeProgramOverCold, TARGETS.wholeProgramOverCold, ratio),
  }
  log(`  (against the looser baseline with failed first attempts: cold / bare = ${ratio(median(m.cold) / median(m.bareLoose))})`)
  if (m.coldCpu.every(Number.isFinite)) {
    log(`  (less sensitive to other load: cold scan CPU / bare parse CPU = ${ratio(median(m.coldCpu) / median(m.bareCpu))}; ` +
      `with ${availableParallelism()} cores fully used that would be a wall ratio of about ${ratio(median(m.coldCpu) / median(m.bareCpu) / availableParallelism())})`)
  }
  log(`  (floor: acorn.parse alone, split over ${availableParallelism()} processes, takes ${ratio(median(m.bareParallel) / median(m.bare))} of the bare parse — ` +
    `a scan that parses every file cannot be faster than that, analysis aside)`)
  log(`  (bundle without process start-up: library scan() ${ratio(r.bundleLibOverBare)}, analyseSource() alone ${ratio(r.bundleAnalyseOverBare)} of bare parse)`)
  if (runs > 1) {
    // Each run measures the baseline and the scan minutes apart at most; the machine's speed drifts more than
    // that over a whole benchmark. Ratios within a run show how much of the spread above is that drift.
    const perRun = (num, den) => num.map((x, i) => x / den[i])
    const show = (xs) => `${xs.map((x) => x.toFixed(2)).join(' / ')} (median ${ratio(median(xs))})`
    log(`  (ratios within each run, for information: cold / bare ${show(perRun(m.cold, m.bare))}; bundle CLI / bare ${show(perRun(m.bCli, m.bBare))})`)
  }
  log('')
  log(`load average at end: ${loadText(loadEnd)} (1/5/15 min) on ${availableParallelism()} cores; finished ${new Date().toISOString()}`)

  const results = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    quick,
    runs,
    machine: { cores: availableParallelism(), cpu: cpuModel, node: process.version, loadAverageStart: loadStart, loadAverageEnd: loadEnd },
    measured: relative(REPO, cli),
    corpus: { dir: corpusDir, lockHash: hash, roots: scanRoots, jsFiles: files.length, jsBytes, skippedOverLimit: skipped, scanSummary: coldSummary },
    bundle: { file: bundle.file, bytes: bundle.bytes, modules: bundle.modules, external: bundle.external },
    baseline: { fallbacks: bareInfo.fallbacks, failures: bareInfo.failures },
    milliseconds: { coldWholeProgram: m.coldProgram, warmWholeProgram: m.warmProgram, bareParse: m.bare, bareParseParallel: m.bareParallel, bareParseWithFailedAttempts: m.bareLoose, bareParseWithFailedAttemptsCpu: m.bareLooseCpu, bareParseCpu: m.bareCpu, coldScanCpu: m.coldCpu, warmScanCpu: m.warmCpu, bareRead: m.bareRead, coldScan: m.cold, warmScan: m.warm, bundleBareParse: m.bBare, bundleScanCli: m.bCli, bundleLibraryScan: m.bLib, bundleAnalyseSource: m.bAnalyse },
    peakRssBytes: { coldScan: m.coldRss, warmScan: m.warmRss, bundleScan: m.bCliRss },
    warmFindingsDifferedRuns: warmMismatch,
    ratios: r,
    targets: TARGETS,
    pass,
  }
  const resultsFile = join(corpusDir, quick ? 'bench-results-quick.json' : 'bench-results.json')
  writeFileSync(resultsFile, JSON.stringify(results, null, 2) + '\n')
  log(`results JSON: ${resultsFile}`)
}

const argv = process.argv.slice(2)
if (argv[0] === '--internal-bare') await runBareChild(argv[1])
else if (argv[0] === '--internal-in-process') await runInProcessChild(argv[1], argv[2], argv[3])
else {
  try {
    await main()
  } catch (err) {
    process.stderr.write(`bench: ${err.message}\n`)
    process.exitCode = 2
  }
}
