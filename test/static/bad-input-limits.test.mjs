// Size limits and dying workers (issue 9): what is too big, too slow or crashes is reported per file, and the scan goes on.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, symlinkSync, writeFileSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CLI, scanJson } from '../helpers/index.mjs'

const tmp = mkdtempSync(join(tmpdir(), 'nph-limits-'))
test.after(() => rmSync(tmp, { recursive: true, force: true }))

const MB = 1024 * 1024

/** A single-line "minified" file of `megabytes` MB ending in a sink, written 1 MB at a time. */
function writeMinified(path, megabytes) {
  let chunk = ''
  for (let i = 0; chunk.length < MB - 200; i++) chunk += `var a${i}=function(b,c){return b+c*${i}},s${i}="k${i}"+a${i}(1,2),o${i}={x:[1,2,3],y:s${i}};`
  // Whole statements padded to exactly 1 MB, so any number of chunks still parses.
  chunk = chunk.padEnd(MB, ' ')
  const fd = openSync(path, 'w')
  try {
    writeSync(fd, '(function(){')
    for (let i = 0; i < megabytes; i++) writeSync(fd, chunk)
    writeSync(fd, 'fetch("https://minified.invalid/t")})();')
  } finally {
    closeSync(fd)
  }
}

function dirWith(name, files) {
  const dir = join(tmp, name)
  mkdirSync(dir, { recursive: true })
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text)
  return dir
}

const reasonFor = (report, file) => report.notAnalysed.find((x) => x.file === file)?.reason

test('a 100 MB single-line file is over the default 32 MB limit: reported as not analysed, quickly', async () => {
  const dir = join(tmp, 'big')
  mkdirSync(dir)
  writeMinified(join(dir, 'bundle.min.js'), 100)
  const started = Date.now()
  const { code, report } = await scanJson(['scan', dir, '--no-cache'], { cwd: tmp })
  assert.equal(code, 1)
  assert.equal(report.verdict, 'incomplete')
  assert.equal(report.summary.filesNotAnalysed, 1)
  assert.equal(report.summary.filesScanned, 0)
  assert.match(reasonFor(report, 'bundle.min.js'), /^larger than the file size limit \(104857\d+ bytes; --max-file-size\)$/)
  assert.ok(Date.now() - started < 30_000, 'the file is never read')
  rmSync(dir, { recursive: true })
})

test('--max-file-size reports a file just over it and analyses one just under it', async () => {
  const dir = dirWith('limit', { 'over.js': `fetch("https://over.invalid");//${'x'.repeat(2048)}`, 'under.js': 'fetch("https://under.invalid")' })
  const { report } = await scanJson(['scan', dir, '--no-cache', '--max-file-size', '1kb'], { cwd: tmp })
  assert.match(reasonFor(report, 'over.js'), /larger than the file size limit \(2080 bytes/)
  assert.equal(reasonFor(report, 'under.js'), undefined)
  assert.ok(report.findings.some((f) => f.destination?.host === 'under.invalid'))
  assert.ok(!report.findings.some((f) => f.destination?.host === 'over.invalid'))
})

test('a 1 MB single-line file is analysed end to end when the limit allows it', async () => {
  const dir = join(tmp, 'one-mb')
  mkdirSync(dir)
  writeMinified(join(dir, 'bundle.min.js'), 1)
  const { report } = await scanJson(['scan', dir, '--no-cache', '--max-file-size', '200mb'], { cwd: tmp })
  assert.deepEqual(report.notAnalysed, [])
  assert.ok(report.findings.some((f) => f.destination?.host === 'minified.invalid'))
})

const FILES = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`f${i}.js`, `fetch("https://w${i}.invalid/x")\n`]))

for (const mode of ['exit', 'throw']) {
  test(`a worker that dies mid-file (${mode}) costs that file only: it is reported and the scan goes on`, async () => {
    const dir = dirWith(`fault-${mode}`, FILES)
    for (const jobs of ['1', '2']) {
      const { code, report, stderr } = await scanJson(['scan', dir, '--no-cache', '--jobs', jobs], { cwd: tmp, env: { NOPHONEHOME_TEST_WORKER_FAULT: `${mode}:f3.js` } })
      assert.equal(code, 1, stderr)
      assert.equal(report.summary.filesNotAnalysed, 1)
      assert.match(reasonFor(report, 'f3.js'), mode === 'exit' ? /^analysis worker exited unexpectedly$/ : /^analysis worker crashed \(injected worker fault on f3\.js\)$/)
      const hosts = report.findings.filter((f) => f.rule === 'net-sink').map((f) => f.destination.host).sort()
      assert.deepEqual(hosts, ['w0.invalid', 'w1.invalid', 'w2.invalid', 'w4.invalid', 'w5.invalid'], `--jobs ${jobs}`)
      // A failing file on its own still makes the verdict incomplete, not pass.
      const only = await scanJson(['scan', join(dir, 'f3.js'), '--no-cache'], { cwd: tmp, env: { NOPHONEHOME_TEST_WORKER_FAULT: `${mode}:f3.js` } })
      assert.equal(only.report.verdict, 'incomplete')
    }
  })
}

test('a worker stuck on one file is terminated after --file-timeout; the file is reported and the rest analysed', async () => {
  const dir = dirWith('fault-hang', FILES)
  const started = Date.now()
  const { code, report, stderr } = await scanJson(['scan', dir, '--no-cache', '--file-timeout', '1'], { cwd: tmp, env: { NOPHONEHOME_TEST_WORKER_FAULT: 'hang:f2.js' } })
  assert.equal(code, 1, stderr)
  assert.match(reasonFor(report, 'f2.js'), /^analysis worker took longer than \d+ s$/)
  assert.equal(report.summary.filesNotAnalysed, 1)
  assert.equal(report.findings.filter((f) => f.rule === 'net-sink').length, 5)
  // The batch times out once (2 s allowed for a batch), then f2.js alone (1 s): far below a minute.
  assert.ok(Date.now() - started < 45_000, `took ${Date.now() - started} ms`)
})

test('--file-timeout rejects a value that is not a positive whole number', async () => {
  const r = await scanJson(['scan', tmp, '--file-timeout', '0'], { cwd: tmp }).catch((err) => ({ err }))
  assert.ok(r.err, 'no JSON report on a usage error')
  assert.match(r.err.message, /exit 2/)
})

/** Runs the CLI and reports its peak RSS (main thread and workers share the process). */
function runMeasured(args) {
  const wrapper = join(tmp, 'measure.mjs')
  writeFileSync(wrapper, [
    "process.on('exit', () => process.stderr.write(`NPH_MAXRSS_KB ${process.resourceUsage().maxRSS}\\n`))",
    `process.argv.splice(1, 1, ${JSON.stringify(CLI)})`,
    `await import(${JSON.stringify(new URL(`file://${CLI}`).href)})`,
  ].join('\n'))
  return new Promise((resolve) => {
    const started = Date.now()
    const child = spawn(process.execPath, [wrapper, ...args], { cwd: tmp, env: { ...process.env, NO_COLOR: '1' } })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - started, maxRssKb: Number(/NPH_MAXRSS_KB (\d+)/.exec(stderr)?.[1]) }))
  })
}

// Heavy (about 2 GB of memory, up to a few minutes on a loaded 2-core runner): run with NPH_HEAVY=1.
test('a 100 MB single-line file with --max-file-size 200mb is analysed or reported within bounded time and memory', { skip: process.env.NPH_HEAVY ? false : 'heavy: set NPH_HEAVY=1 to run' }, async () => {
  const dir = join(tmp, 'big-raised')
  mkdirSync(dir)
  writeMinified(join(dir, 'bundle.min.js'), 100)
  const timeout = 60
  const r = await runMeasured(['scan', dir, '--no-cache', '--format', 'json', '--max-file-size', '200mb', '--file-timeout', String(timeout)])
  const report = JSON.parse(r.stdout)
  console.log(`100 MB file, --max-file-size 200mb: ${(r.ms / 1000).toFixed(1)} s, peak RSS ${Math.round(r.maxRssKb / 1024)} MB, verdict ${report.verdict}, notAnalysed ${JSON.stringify(report.notAnalysed)}`)
  assert.ok(r.code === 1, r.stderr)
  const reason = reasonFor(report, 'bundle.min.js')
  if (reason) assert.match(reason, /^analysis worker (took longer than \d+ s|ran out of memory)$/)
  else assert.ok(report.findings.some((f) => f.destination?.host === 'minified.invalid'))
  // The pool allows the timeout plus 1 s per MB; the worker heap is capped at 2 GB.
  assert.ok(r.ms < (timeout + 105 + 60) * 1000, `took ${r.ms} ms`)
  assert.ok(r.maxRssKb < 3.5 * 1024 * 1024, `peak RSS ${r.maxRssKb} kB`)
  rmSync(dir, { recursive: true })
})

// src/static/scan.ts appends collect's list with `notAnalysed.push(...out.notAnalysed)`: past ~120 000
// entries the spread overflows the stack and the scan dies with an internal error (exit 2).
test('150 000 links out of the root are all reported, not an internal error', { timeout: 300_000 }, async () => {
  const dir = join(tmp, 'many-links')
  mkdirSync(dir)
  for (let i = 0; i < 150_000; i++) symlinkSync('/etc/hostname', join(dir, `l${i}.js`))
  try {
    const { code, report } = await scanJson(['scan', dir, '--no-cache'], { cwd: tmp })
    assert.equal(code, 1)
    assert.equal(report.summary.filesNotAnalysed, 150_000)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
