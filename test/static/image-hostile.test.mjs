// Hostile container images (issue 17): whiteout tricks, layers escaping the root, digest mismatches, bombs — each
// refused and reported or stopped with exit 2 naming the blob; nothing written outside the private root.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { createHash } from 'node:crypto'
import { importDist, runCli, scanJson } from '../helpers/index.mjs'
import { buildImage, layerTar, writeDockerArchive, writeLegacyDockerArchive, writeOciArchive } from '../helpers/image-writer.mjs'

const tmp = mkdtempSync(join(tmpdir(), 'nph-image-hostile-'))
test.after(() => rmSync(tmp, { recursive: true, force: true }))
let n = 0
const path = (name) => join(tmp, `${n++}-${name}`)
const SINK = (host) => `fetch("https://${host}/x")\n`

async function scan(target, extra = []) {
  const r = await scanJson(['scan', target, '--no-cache', ...extra], { cwd: tmp })
  assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.stderr}`)
  return r
}
const sinkHosts = (report) => report.findings.filter((f) => f.rule === 'net-sink').map((f) => f.destination.host).sort()

test('layer entries that escape the root are refused and reported; nothing lands outside the private root', async () => {
  const outside = join(tmp, 'outside')
  mkdirSync(outside)
  writeFileSync(join(outside, 'victim.txt'), 'untouched')
  const image = buildImage({ layers: [
    { entries: [
      { name: 'app/', type: 'dir' },
      { name: 'app/index.js', content: SINK('inside.invalid') },
      { name: '../escaped.js', content: SINK('dotdot.invalid') },
      { name: `/${join(tmp, 'absolute.js').slice(1)}`, content: SINK('absolute.invalid') },
      // A link out of the root, then files written through it: they must land inside the root.
      { name: 'app/out', type: 'symlink', linkname: outside },
      { name: 'app/rel-out', type: 'symlink', linkname: '../../../../../../../../' + outside.slice(1) },
      { name: 'app/hard', type: 'hardlink', linkname: join(outside, 'victim.txt') },
      { name: 'dev/', type: 'dir' },
      { name: 'dev/sda', type: 'block' },
      { name: 'dev/tty0', type: 'char' },
      { name: 'app/pipe', type: 'fifo' },
    ] },
    { entries: [
      { name: 'app/out/through-abs-link.js', content: SINK('through-abs.invalid') },
      { name: 'app/rel-out/through-rel-link.js', content: SINK('through-rel.invalid') },
      { name: 'app/out/victim.txt', content: 'overwritten' },
      // A whiteout through the link must not delete the file outside either.
      { name: 'app/rel-out/.wh.victim.txt', content: '' },
    ] },
  ], config: { Cmd: ['node', '/app/index.js'] } })
  const archive = writeOciArchive(path('escape.tar'), [{ image }])
  const { report } = await scan(archive)
  assert.equal(readFileSync(join(outside, 'victim.txt'), 'utf8'), 'untouched')
  assert.ok(!existsSync(join(outside, 'through-abs-link.js')))
  assert.ok(!existsSync(join(outside, 'through-rel-link.js')))
  assert.ok(!existsSync(join(tmp, 'escaped.js')) && !existsSync(join(tmp, 'absolute.js')))
  const na = report.notAnalysed.map((x) => `${x.file} :: ${x.reason}`).join('\n')
  const name = archive.split('/').pop()
  assert.match(na, new RegExp(`${name}!/\\.\\./escaped\\.js :: layer 1/2: entry refused: path escapes the archive root`))
  assert.match(na, /absolute\.js :: layer 1\/2: entry refused: absolute path/)
  assert.match(na, /app\/hard :: layer 1\/2: hard link to .*victim\.txt not created/)
  assert.match(na, /dev\/sda :: layer 1\/2: BlockDevice entry not created/)
  assert.match(na, /dev\/tty0 :: layer 1\/2: CharacterDevice entry not created/)
  assert.match(na, /app\/pipe :: layer 1\/2: FIFO entry not created/)
  // Written through the links as the image would see them: inside the root, and scanned there.
  assert.deepEqual(sinkHosts(report), ['inside.invalid', 'through-abs.invalid', 'through-rel.invalid'])
  assert.equal(report.verdict, 'fail')
})

test('whiteout tricks stay inside the root and inside their own directory', async () => {
  const image = buildImage({ layers: [
    { entries: [
      { name: 'app/', type: 'dir' }, { name: 'app/a.js', content: SINK('a.invalid') },
      { name: 'lib/', type: 'dir' }, { name: 'lib/b.js', content: SINK('b.invalid') },
      { name: 'lib/link', type: 'symlink', linkname: '/app' },
    ] },
    { entries: [
      { name: 'app/.wh...', content: '' },
      { name: 'app/.wh.', content: '' },
      { name: '.wh...', content: '' },
      { name: 'app/.wh..wh.plnk', type: 'dir' },
      // Opaque through a link: resolves inside the root (lib/link -> /app), so it hides app's lower files.
      { name: 'lib/link/.wh..wh..opq', content: '' },
    ] },
  ], config: {} })
  const { report } = await scan(writeOciArchive(path('wh-tricks.tar'), [{ image }]))
  const na = report.notAnalysed.map((x) => x.reason).join('\n')
  assert.match(na, /whiteout for an invalid name refused/)
  assert.deepEqual(sinkHosts(report), ['b.invalid'], 'lib stays; app was made opaque through the in-root link')
})

test('a layer whose digest differs from the manifest stops the check with exit 2 naming the blob', async () => {
  const image = buildImage({ layers: [{ entries: [{ name: 'a.js', content: SINK('a.invalid') }] }], config: {} })
  const blob = `blobs/sha256/${image.layers[0].digest.slice(7)}`
  const archive = writeOciArchive(path('tampered.tar'), [{ image }], {
    mutate: (files) => {
      const f = files.find((x) => x.name === blob)
      f.content = gzipSync(layerTar([{ name: 'a.js', content: SINK('tampered.invalid') }]))
    },
  })
  const r = await runCli(['scan', archive, '--no-cache'], { cwd: tmp })
  assert.equal(r.code, 2, r.stdout)
  assert.match(r.stderr, new RegExp(`layer ${blob} .*(digest|bytes)`))
  const { ImageDigestMismatchError } = await importDist('index.js')
  const { openImage } = await importDist('internal.js')
  await assert.rejects(openImage(archive, {}, { maxEntries: 1000, maxTotalSize: 1e9 }), (err) => err instanceof ImageDigestMismatchError && err.code === 'IMAGE_DIGEST_MISMATCH' && err.blob === blob)
})

test('a config or manifest that does not match its digest stops the check with exit 2 naming the blob', async () => {
  const image = buildImage({ layers: [{ entries: [{ name: 'a.js', content: 'x' }] }], config: { Cmd: ['node', 'a.js'] } })
  for (const [what, digest] of [['config', image.configDigest], ['manifest', image.manifestDigest]]) {
    const blob = `blobs/sha256/${digest.slice(7)}`
    const archive = writeDockerArchive(path(`bad-${what}.tar`), [{ image }], {
      mutate: (files) => {
        const f = files.find((x) => x.name === blob)
        // Still valid JSON, same meaning for a lax reader: only the digest tells.
        f.content = Buffer.concat([f.content, Buffer.from('\n')])
      },
    })
    const r = await runCli(['scan', archive, '--no-cache'], { cwd: tmp })
    assert.equal(r.code, 2, `${what}: ${r.stdout}`)
    assert.match(r.stderr, new RegExp(`${what} blob ${blob} has digest`))
  }
})

test('a layer that unpacks to other content than the config\'s diff_ids says is refused (exit 2)', async () => {
  const image = buildImage({ layers: [{ entries: [{ name: 'a.js', content: 'x' }] }], config: {} })
  // Legacy docker save: the layer file has no digest of its own, only the config's diff_id vouches for it.
  const archive = writeLegacyDockerArchive(path('legacy-tampered.tar'), image, 'x:1', {
    mutate: (files) => { files.find((f) => f.name.endsWith('/layer.tar')).content = layerTar([{ name: 'a.js', content: SINK('swapped.invalid') }]) },
  })
  const r = await runCli(['scan', archive, '--no-cache'], { cwd: tmp })
  assert.equal(r.code, 2)
  assert.match(r.stderr, /unpacks to content with digest sha256:[0-9a-f]{64}, the config's rootfs\.diff_ids\[0\] says/)
})

test('a zip-bomb layer stops at --max-total-size, quickly, and the image is reported incomplete', async () => {
  // One entry declaring 4 GB, its zeros in 16 MB gzip members of ~16 KB each: a well-formed, hostile layer.
  const header = layerTar([{ name: 'big.bin', content: Buffer.alloc(0), declaredSize: 4 * 1024 ** 3 }]).subarray(0, 512)
  const zeros = gzipSync(Buffer.alloc(16 * 1024 * 1024), { level: 6 })
  const stored = Buffer.concat([gzipSync(header), ...Array.from({ length: 256 }, () => zeros)])
  const image = buildImage({ layers: [{ entries: [{ name: 'ok.js', content: 'x' }] }], config: {} })
  const digest = `sha256:${createHash('sha256').update(stored).digest('hex')}`
  const manifest = JSON.parse(image.blobs.get(image.manifestDigest).toString())
  image.blobs.delete(image.layers[0].digest)
  manifest.layers[0] = { ...manifest.layers[0], digest, size: stored.length }
  image.blobs.set(digest, stored)
  const m = Buffer.from(JSON.stringify(manifest))
  image.blobs.delete(image.manifestDigest)
  image.manifestDigest = `sha256:${createHash('sha256').update(m).digest('hex')}`
  image.manifestSize = m.length
  image.blobs.set(image.manifestDigest, m)
  const archive = writeOciArchive(path('bomb.tar'), [{ image }])
  const started = Date.now()
  const { report } = await scan(archive, ['--max-total-size', '50mb'])
  const ms = Date.now() - started
  assert.ok(ms < 20_000, `stopped after ${ms} ms`)
  assert.equal(report.verdict, 'incomplete')
  assert.match(report.image.incomplete, /unpack to more than 52428800 bytes/)
  assert.ok(report.notAnalysed.some((x) => /--max-total-size/.test(x.reason)))
  // An image that was not unpacked completely is never run.
  const { imageRunOf, ImageInvalidError } = await importDist('internal.js')
  assert.throws(() => imageRunOf({ root: tmp, incomplete: report.image.incomplete, info: { config: { env: [], exposedPorts: [] } } }), (e) => e instanceof ImageInvalidError)
})

test('more layer entries than --max-entries stop the unpacking, reported', async () => {
  const entries = Array.from({ length: 300 }, (_, i) => ({ name: `f${i}.txt`, content: '' }))
  const image = buildImage({ layers: [{ entries }], config: {} })
  const { report } = await scan(writeOciArchive(path('many.tar'), [{ image }]), ['--max-entries', '100'])
  assert.equal(report.verdict, 'incomplete')
  assert.match(report.image.incomplete, /more than 100 entries/)
})

test('malformed images are a clear error (exit 2), never a crash or a silent pass', async () => {
  const cases = {
    'no-manifest.tar': layerTar([{ name: 'oci-layout', content: '{"imageLayoutVersion":"1.0.0"}' }]),
    'index-not-json.tar': layerTar([{ name: 'index.json', content: '{nope' }, { name: 'oci-layout', content: '{}' }]),
    'bad-descriptor.tar': layerTar([{ name: 'index.json', content: JSON.stringify({ schemaVersion: 2, manifests: [{ digest: 'md5:abc', size: 1 }] }) }, { name: 'oci-layout', content: '{}' }]),
    'missing-blob.tar': layerTar([{ name: 'index.json', content: JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: `sha256:${'a'.repeat(64)}`, size: 10 }] }) }, { name: 'oci-layout', content: '{}' }]),
  }
  for (const [name, bytes] of Object.entries(cases)) {
    const file = path(name)
    writeFileSync(file, bytes)
    const r = await runCli(['scan', file, '--no-cache', '--image', 'x'], { cwd: tmp })
    assert.equal(r.code, 2, `${name}: ${r.stdout}${r.stderr}`)
    assert.doesNotMatch(r.stderr, /at .*\.js:\d+/, `${name}: no stack trace`)
    assert.match(r.stderr, /IMAGE_INVALID|index\.json|manifest|image/i, name)
  }
})
