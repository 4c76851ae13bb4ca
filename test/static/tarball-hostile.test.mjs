// Hostile release tarballs (issue 9): refused entries, limits on entries and bytes, bombs, corrupt archives — all reported, none followed.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { importDist, scanJson } from '../helpers/index.mjs'
import { makeTar, tarHeader, TAR_END, writeGzipMembers } from '../helpers/tar-writer.mjs'

const tmp = mkdtempSync(join(tmpdir(), 'nph-tar-hostile-'))
test.after(() => rmSync(tmp, { recursive: true, force: true }))

const SINK = 'fetch("https://tar.invalid/x")\n'
let n = 0
function writeArchive(name, bytes) {
  const file = join(tmp, `${n++}-${name}`)
  writeFileSync(file, bytes)
  return file
}

async function scanTar(file, extra = []) {
  const started = Date.now()
  const r = await scanJson(['scan', file, '--no-cache', ...extra], { cwd: tmp })
  assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.stderr}`)
  return { ...r, ms: Date.now() - started }
}

const reasons = (report) => Object.fromEntries(report.notAnalysed.map((x) => [x.file, x.reason]))
const has = (report, file, reason) => report.notAnalysed.some((x) => x.file === file && x.reason === reason)

test('../ paths, absolute paths, links, devices and FIFOs are refused and reported; nothing lands outside the temp dir', async () => {
  const escape = join(tmp, 'escaped.js')
  const file = writeArchive('hostile.tgz', makeTar([
    { name: 'package/index.js', content: SINK },
    { name: '../escaped.js', content: SINK },
    { name: `/${escape.slice(1)}`, content: SINK },
    { name: 'package/a/../../inside-after-normalising.js', content: SINK },
    { name: 'package/sym.js', type: '2', linkname: '/etc/passwd' },
    { name: 'package/hard.js', type: '1', linkname: '../../etc/passwd' },
    { name: 'package/tty.js', type: '3' },
    { name: 'package/disk', type: '4' },
    { name: 'package/pipe.js', type: '6' },
  ]))
  const { code, report } = await scanTar(file)
  assert.equal(code, 1)
  const r = reasons(report)
  const name = file.split('/').pop()
  assert.equal(r[`${name}!/../escaped.js`], 'entry refused: path escapes the archive root (..)')
  assert.equal(r[`${name}!//${escape.slice(1)}`], 'entry refused: absolute path')
  assert.equal(r[`${name}!/package/a/../../inside-after-normalising.js`], 'entry refused: path escapes the archive root (..)')
  assert.equal(r[`${name}!/package/sym.js`], 'symlink to /etc/passwd not followed')
  assert.equal(r[`${name}!/package/hard.js`], 'hard link to ../../etc/passwd not followed')
  assert.equal(r[`${name}!/package/tty.js`], 'CharacterDevice entry not extracted')
  assert.equal(r[`${name}!/package/disk`], 'BlockDevice entry not extracted')
  assert.equal(r[`${name}!/package/pipe.js`], 'FIFO entry not extracted')
  assert.equal(report.summary.filesNotAnalysed, 8)
  assert.equal(report.summary.filesScanned, 1)
  assert.ok(!existsSync(escape), 'the ../ entry was not written next to the archive')
  assert.deepEqual(report.findings.filter((f) => f.rule === 'net-sink').map((f) => f.location.file), ['package/index.js'])
})

test('a tarball of only refused entries is incomplete, never a pass', async () => {
  const file = writeArchive('only-links.tgz', makeTar([{ name: 'package/index.js', type: '2', linkname: '/usr/lib/node_modules/evil/index.js' }]))
  const { code, report } = await scanTar(file)
  assert.equal(code, 1)
  assert.equal(report.verdict, 'incomplete')
  assert.equal(report.summary.filesScanned, 0)
})

test('duplicate entries are reported and the last copy (the one tar installs) is analysed', async () => {
  const file = writeArchive('dup.tgz', makeTar([
    { name: 'package/index.js', content: 'fetch("https://first.invalid")\n' },
    { name: 'package/index.js', content: 'fetch("https://last.invalid")\n' },
  ]))
  const { report } = await scanTar(file)
  assert.match(reasons(report)[`${file.split('/').pop()}!/package/index.js`], /duplicate entry/)
  assert.deepEqual(report.findings.filter((f) => f.rule === 'net-sink').map((f) => f.destination.host), ['last.invalid'])
  assert.equal(report.verdict, 'fail')
})

/** `count` empty file entries, built from one repeated gzip member of 1 000 distinct names. */
function writeManyEntries(name, thousands) {
  const block = []
  for (let i = 0; i < 1000; i++) block.push(tarHeader({ name: `package/f${i}.js`, size: 0 }))
  const file = join(tmp, `${n++}-${name}`)
  writeGzipMembers(file, [{ data: Buffer.concat(block), times: thousands }, { data: TAR_END }])
  return file
}

test('a million tiny entries stop at --max-entries, reported, without reading the rest', async () => {
  const file = writeManyEntries('million.tgz', 1000)
  const { code, report, ms } = await scanTar(file, ['--max-entries', '2500'])
  assert.equal(code, 1)
  assert.equal(report.verdict, 'incomplete')
  const name = file.split('/').pop()
  assert.ok(has(report, name, 'more than 2500 entries; the rest was not analysed (--max-entries)'))
  assert.equal(report.summary.filesScanned, 1000)
  // 1 500 duplicates: the first 1 000 listed, the rest counted in one line.
  const { MAX_ENTRY_NOTES } = await importDist('internal.js')
  assert.equal(report.notAnalysed.filter((x) => /duplicate entry/.test(x.reason)).length, MAX_ENTRY_NOTES)
  assert.ok(report.notAnalysed.some((x) => x.file === name && x.reason === `500 more entries not analysed (duplicates); only the first ${MAX_ENTRY_NOTES} are listed`))
  assert.ok(ms < 60_000, `took ${ms} ms`)
})

test('the default entry limit (200 000) holds on a million entries and the report stays small', async () => {
  const file = writeManyEntries('million-default.tgz', 1000)
  const { report, stdout } = await scanTar(file)
  assert.ok(has(report, file.split('/').pop(), 'more than 200000 entries; the rest was not analysed (--max-entries)'))
  assert.ok(report.notAnalysed.length < 1100, `${report.notAnalysed.length} notAnalysed records`)
  assert.ok(stdout.length < 1_000_000)
})

test('a gzip bomb (4 GB of zeros declared in one entry) stops at --max-total-size before decompressing it', async () => {
  const file = join(tmp, `${n++}-bomb.tgz`)
  writeGzipMembers(file, [
    { data: tarHeader({ name: 'package/bomb.js', size: 4 * 1024 ** 3 - 1 }) },
    { data: Buffer.alloc(16 * 1024 * 1024), times: 256 },
    { data: TAR_END },
  ])
  const { code, report, ms } = await scanTar(file, ['--max-total-size', '64mb'])
  assert.equal(code, 1)
  const name = file.split('/').pop()
  assert.equal(reasons(report)[name], 'unpacks to more than 67108864 bytes; the rest was not analysed (--max-total-size)')
  assert.equal(report.verdict, 'incomplete')
  assert.ok(ms < 30_000, `took ${ms} ms`)
})

test('many entries each over --max-file-size are reported one by one and their bytes count towards the total', async () => {
  const file = join(tmp, `${n++}-oversized.tgz`)
  const parts = []
  for (let i = 0; i < 6; i++) parts.push({ data: tarHeader({ name: `package/big${i}.js`, size: 8 * 1024 * 1024 }) }, { data: Buffer.alloc(8 * 1024 * 1024) })
  writeGzipMembers(file, [...parts, { data: TAR_END }])
  const { report } = await scanTar(file, ['--max-file-size', '1mb', '--max-total-size', '40mb'])
  const r = reasons(report)
  const name = file.split('/').pop()
  for (let i = 0; i < 5; i++) assert.match(r[`${name}!/package/big${i}.js`], /larger than the file size limit \(8388608 bytes/)
  assert.equal(r[`${name}!/package/big5.js`], undefined, 'stopped before the sixth entry')
  assert.equal(r[name], 'unpacks to more than 41943040 bytes; the rest was not analysed (--max-total-size)')
})

test('tar\'s 1000:1 decompression ratio guard ends a bomb under the byte limits as a reported, unreadable tarball', async () => {
  const file = join(tmp, `${n++}-ratio.tgz`)
  writeGzipMembers(file, [
    { data: tarHeader({ name: 'package/zeros.js', size: 1024 ** 3 }) },
    { data: Buffer.alloc(64 * 1024 * 1024), times: 16 },
    { data: TAR_END },
  ])
  const { report } = await scanTar(file, ['--max-file-size', '2gb'])
  const reason = reasons(report)[file.split('/').pop()] ?? ''
  assert.match(reason, /max decompression ratio exceeded|could not be read completely/)
  assert.equal(report.verdict, 'incomplete')
})

test('a truncated tarball is reported; the cut file is not analysed as if whole', async () => {
  const whole = makeTar([{ name: 'package/index.js', content: SINK }, { name: 'package/cut.js', content: `fetch("https://cut.invalid");${'x'.repeat(5000)}` }], { gzip: false })
  const name = `${n}-truncated.tar`
  const file = writeArchive('truncated.tar', whole.subarray(0, 2000))
  const { report } = await scanTar(file)
  const r = reasons(report)
  assert.match(r[name], /Truncated input/)
  assert.match(r[`${name}!/package/cut.js`], /truncated in the tarball \(\d+ of 5029 bytes\); not analysed/)
  assert.equal(report.verdict, 'fail', 'the intact first file still counts')
  const gz = makeTar([{ name: 'package/index.js', content: SINK }])
  const cutGz = await scanTar(writeArchive('truncated.tgz', gz.subarray(0, gz.length - 30)))
  assert.notEqual(cutGz.report.verdict, 'pass')
  assert.ok(cutGz.report.summary.filesNotAnalysed >= 1)
})

test('a non-tar file named .tgz, and gzip of garbage, are reported as unreadable archives', async () => {
  for (const [name, bytes] of [['text.tgz', 'this is not an archive\n'.repeat(40)], ['garbage.tgz', gzipSync(Buffer.from('not a tar header '.repeat(200)))], ['random.tar', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) & 255))]]) {
    const file = writeArchive(name, bytes)
    const { code, report } = await scanTar(file)
    assert.equal(code, 1, name)
    assert.equal(report.verdict, 'incomplete', name)
    assert.equal(report.summary.filesScanned, 0, name)
    // Repeated warnings (a checksum failure per block) are reported once, counted.
    const lines = report.notAnalysed.map((x) => x.reason)
    assert.equal(new Set(lines).size, lines.length, `${name}: ${lines}`)
  }
})

test('extractTarball never writes outside its temp dir and always cleans up', async () => {
  const { extractTarball } = await importDist('internal.js')
  const file = writeArchive('cleanup.tgz', makeTar([{ name: 'package/a.js', content: SINK }, { name: '../../x.js', content: SINK }]))
  const ex = await extractTarball(file, 'cleanup.tgz', { maxEntries: 10, maxTotalBytes: 1e6, maxFileSize: 1e6 })
  assert.deepEqual(readdirSync(ex.dir, { recursive: true }).sort(), ['package', 'package/a.js'])
  ex.cleanup()
  assert.ok(!existsSync(ex.dir))
})
