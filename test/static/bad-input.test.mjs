// Bad input on disk (issue 9): unparsable, binary, odd encodings, empty, special files and links — each a finding or a reported file, never a crash or a silent pass.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fixture, importDist, scanJson } from '../helpers/index.mjs'

const tmp = mkdtempSync(join(tmpdir(), 'nph-bad-input-'))
test.after(() => rmSync(tmp, { recursive: true, force: true }))

let n = 0
/** A fresh directory under the test's temp dir. */
function freshDir(name) {
  const dir = join(tmp, `${n++}-${name}`)
  mkdirSync(dir, { recursive: true })
  return dir
}

/** Scans with the CLI from a neutral cwd (no policy discovered) and no cache. */
async function scanDir(target, extra = []) {
  const r = await scanJson(['scan', target, '--no-cache', ...extra], { cwd: tmp })
  assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.stderr}`)
  return r
}

const reasonFor = (report, file) => report.notAnalysed.find((x) => x.file === file)?.reason

test('a file that does not parse is a parse-error finding and keeps the verdict from passing', async () => {
  const dir = freshDir('syntax')
  copyFileSync(fixture('bad-input/does-not-parse.js'), join(dir, 'does-not-parse.js'))
  const { code, report } = await scanDir(dir)
  assert.equal(code, 1)
  assert.equal(report.verdict, 'incomplete')
  assert.equal(report.summary.filesNotAnalysed, 1)
  const f = report.findings.find((x) => x.rule === 'parse-error')
  assert.equal(f.location.file, 'does-not-parse.js')
  assert.equal(f.severity, 'review')
  assert.match(reasonFor(report, 'does-not-parse.js'), /^parse error at \d+:\d+/)
})

test('binary data named .js is a parse error, not a crash', async () => {
  const dir = freshDir('binary')
  copyFileSync(fixture('bad-input/binary.js'), join(dir, 'binary.js'))
  const { report } = await scanDir(dir)
  assert.equal(report.verdict, 'incomplete')
  assert.equal(report.summary.filesNotAnalysed, 1)
  assert.equal(report.findings[0].rule, 'parse-error')
  assert.equal(report.findings[0].location.file, 'binary.js')
})

test('invalid UTF-8 is decoded the way Node decodes it (U+FFFD) and the code after it is still analysed', async () => {
  const dir = freshDir('utf8')
  copyFileSync(fixture('bad-input/invalid-utf8.js'), join(dir, 'invalid-utf8.js'))
  const { code, report } = await scanDir(dir)
  assert.equal(code, 1)
  assert.equal(report.verdict, 'fail')
  const sink = report.findings.find((x) => x.rule === 'net-sink')
  assert.equal(sink.destination.host, 'utf8.invalid')
  assert.equal(sink.location.line, 2)
})

test('zero-byte files and empty directories are scanned without findings and pass', async () => {
  const dir = freshDir('empty')
  copyFileSync(fixture('bad-input/zero-byte.js'), join(dir, 'zero-byte.js'))
  mkdirSync(join(dir, 'empty/deeper/still'), { recursive: true })
  const { code, report } = await scanDir(dir)
  assert.equal(code, 0)
  assert.equal(report.verdict, 'pass')
  assert.equal(report.summary.filesScanned, 1)
  assert.equal(report.summary.filesNotAnalysed, 0)
})

test('an empty directory as the whole target passes with nothing scanned', async () => {
  const { code, report } = await scanDir(freshDir('nothing'))
  assert.equal(code, 0)
  assert.equal(report.summary.filesScanned, 0)
})

test('a zero-byte .tgz is reported as not analysed, not a crash', async () => {
  const file = join(freshDir('empty-tgz'), 'release.tgz')
  writeFileSync(file, '')
  const { code, report } = await scanDir(file)
  assert.equal(code, 1)
  assert.equal(report.verdict, 'incomplete')
  assert.match(reasonFor(report, 'release.tgz'), /Unrecognized archive format/)
})

test('a symlink loop inside the root is neither followed forever nor silently dropped', async () => {
  const dir = freshDir('loops')
  writeFileSync(join(dir, 'index.js'), 'module.exports = 1\n')
  symlinkSync('.', join(dir, 'self'))
  symlinkSync('../..', join(dir, 'up-and-back'))
  symlinkSync('b.js', join(dir, 'a.js'))
  symlinkSync('a.js', join(dir, 'b.js'))
  const { report } = await scanDir(dir)
  assert.equal(reasonFor(report, 'a.js'), 'symlink loop; not followed')
  assert.equal(reasonFor(report, 'b.js'), 'symlink loop; not followed')
  assert.equal(report.summary.filesScanned, 1)
  assert.equal(report.verdict, 'incomplete')
})

test('links out of the root are reported and not followed, including a chain through a link inside', async () => {
  const outside = freshDir('outside')
  writeFileSync(join(outside, 'payload.txt'), 'fetch("https://outside.invalid/x")\n')
  const dir = freshDir('links')
  symlinkSync(join(outside, 'payload.txt'), join(dir, 'direct.js'))
  symlinkSync(outside, join(dir, 'vendor'))
  // hop.txt is not a kind we collect, so only the real target of run.js tells where it goes.
  symlinkSync(join(outside, 'payload.txt'), join(dir, 'hop.txt'))
  symlinkSync('hop.txt', join(dir, 'run.js'))
  const { report } = await scanDir(dir)
  assert.match(reasonFor(report, 'direct.js'), /points outside the scanned root; not followed/)
  assert.match(reasonFor(report, 'vendor'), /points outside the scanned root/)
  assert.match(reasonFor(report, 'run.js'), /points outside the scanned root/)
  assert.equal(report.findings.filter((f) => f.rule === 'net-sink').length, 0, 'nothing outside the root was read')
  assert.equal(report.verdict, 'incomplete')
})

test('a .js link to a file inside the root that would not be collected is analysed under the link name', async () => {
  const dir = freshDir('inner-link')
  writeFileSync(join(dir, 'payload.bin'), 'fetch("https://inner.invalid/x")\n')
  symlinkSync('payload.bin', join(dir, 'run.js'))
  writeFileSync(join(dir, 'real.js'), 'fetch("https://real.invalid/x")\n')
  symlinkSync('real.js', join(dir, 'alias.js'))
  const { report } = await scanDir(dir)
  const sinks = report.findings.filter((f) => f.rule === 'net-sink').map((f) => `${f.location.file} ${f.destination.host}`).sort()
  // real.js is analysed once, where it is; payload.bin through run.js.
  assert.deepEqual(sinks, ['real.js real.invalid', 'run.js inner.invalid'])
})

test('a FIFO named .js is reported and never opened (a read would block forever)', async () => {
  const dir = freshDir('fifo')
  execFileSync('mkfifo', [join(dir, 'pipe.js')])
  writeFileSync(join(dir, 'ok.js'), 'module.exports = 1\n')
  const { code, report } = await scanDir(dir)
  assert.equal(code, 1)
  assert.equal(reasonFor(report, 'pipe.js'), 'not a regular file (FIFO); not read')
  assert.equal(report.summary.filesNotAnalysed, 1)
  assert.equal(report.verdict, 'incomplete')
})

test('a FIFO or a device given as the target is reported, not read', async () => {
  const fifo = join(freshDir('fifo-target'), 'pipe.js')
  execFileSync('mkfifo', [fifo])
  const a = await scanDir(fifo)
  assert.equal(a.report.verdict, 'incomplete')
  assert.match(a.report.notAnalysed[0].reason, /not a regular file \(FIFO\)/)
  const b = await scanDir('/dev/zero')
  assert.equal(b.report.verdict, 'incomplete')
  assert.match(b.report.notAnalysed[0].reason, /not a regular file \(character device\)/)
})

test('a file removed between collection and reading is reported as not analysed', async () => {
  const dir = freshDir('vanishing')
  writeFileSync(join(dir, 'stays.js'), 'module.exports = 1\n')
  writeFileSync(join(dir, 'goes.js'), 'fetch("https://gone.invalid")\n')
  const { scan } = await importDist('index.js')
  let removed = false
  const report = await scan({
    targets: [dir],
    cache: false,
    jobs: 1,
    // Called once collection is done and before the workers read anything.
    onProgress: () => { if (!removed) { removed = true; rmSync(join(dir, 'goes.js')) } },
  })
  assert.ok(removed)
  assert.equal(report.verdict, 'incomplete')
  assert.match(report.notAnalysed.find((x) => x.file === 'goes.js').reason, /could not be read \(ENOENT\)/)
})

test('a policy that accepts the not-analysed files explicitly makes the verdict pass again', async () => {
  const dir = freshDir('accepted')
  copyFileSync(fixture('bad-input/does-not-parse.js'), join(dir, 'does-not-parse.js'))
  symlinkSync('/etc/hostname', join(dir, 'host.js'))
  const policyDir = freshDir('policy')
  const policy = join(policyDir, 'policy.json')
  const write = (acceptNotAnalysed) => writeFileSync(policy, JSON.stringify({ version: 1, acceptNotAnalysed }))

  write([{ file: 'does-not-parse.js', reason: 'generated test input' }])
  const partial = await scanDir(dir, ['--policy', policy])
  assert.equal(partial.code, 1, 'one accepted, one not: still incomplete')
  assert.equal(partial.report.verdict, 'incomplete')

  write([{ file: 'does-not-parse.js', reason: 'generated test input' }, { file: '*.js', reason: 'links to the host are fine here' }])
  const all = await scanDir(dir, ['--policy', policy])
  assert.equal(all.code, 0, all.stderr)
  assert.equal(all.report.verdict, 'pass')
  assert.equal(all.report.summary.filesNotAnalysed, 2, 'accepted files are still counted and listed')
  assert.equal(all.report.policy.acceptedNotAnalysed.length, 2)
  // The parse-error finding is review: --fail-on review still fails on it, acceptance or not.
  const strict = await scanDir(dir, ['--policy', policy, '--fail-on', 'review'])
  assert.equal(strict.report.verdict, 'fail')
})
