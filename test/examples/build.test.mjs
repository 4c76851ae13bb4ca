// The examples' build: esbuild bundle + assets + release tarball, byte-identical across builds and output dirs.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { readFileSync, rmSync } from 'node:fs'
import { list } from 'tar'
import { ROOT } from '../helpers/index.mjs'
import { buildInTemp } from './rackhouse-helpers.mjs'

const sha256 = (file) => createHash('sha256').update(readFileSync(file)).digest('hex')

/** Reads every entry of a .tgz: name, mode, mtime and (for files) the text. */
async function readTarball(file) {
  const entries = []
  await list({
    file,
    onReadEntry(entry) {
      const chunks = []
      entry.on('data', (chunk) => chunks.push(chunk))
      entry.on('end', () => entries.push({ path: entry.path, type: entry.type, mode: entry.mode, mtime: entry.mtime, text: Buffer.concat(chunks).toString('utf8') }))
    },
  })
  return entries
}

for (const app of ['selfhosted-app', 'leaky-app']) {
  test(`${app}: two builds into different directories give byte-identical tarballs`, async () => {
    const first = await buildInTemp(app)
    const second = await buildInTemp(app)
    try {
      assert.match(first.tarball, new RegExp(`/${app}/release/${app}-1\\.4\\.2\\.tgz$`))
      assert.equal(sha256(first.tarball), sha256(second.tarball))
    } finally {
      rmSync(first.outRoot, { recursive: true, force: true })
      rmSync(second.outRoot, { recursive: true, force: true })
    }
  })

  test(`${app}: the tarball holds package/ with the bundle, source map, assets, package.json and README, sorted`, async () => {
    const built = await buildInTemp(app)
    try {
      const entries = await readTarball(built.tarball)
      const names = entries.map((e) => e.path)
      assert.deepEqual(names, [
        'package/',
        'package/README.md',
        'package/config.example.json',
        'package/dist/',
        'package/dist/public/',
        'package/dist/public/admin.css',
        'package/dist/public/admin.js',
        'package/dist/public/favicon.svg',
        'package/dist/public/index.html',
        'package/dist/server.js',
        'package/dist/server.js.map',
        'package/package.json',
      ])
      for (const entry of entries) {
        assert.equal(entry.mode, entry.type === 'Directory' ? 0o755 : 0o644, entry.path)
        if (entry.type === 'File') assert.equal(entry.mtime.toISOString(), '2024-01-01T00:00:00.000Z', entry.path)
      }
      const pkg = JSON.parse(entries.find((e) => e.path === 'package/package.json').text)
      assert.equal(pkg.name, app)
      assert.equal(pkg.type, 'module')
      assert.deepEqual(pkg.scripts, { start: 'node dist/server.js' })

      const bundle = entries.find((e) => e.path === 'package/dist/server.js').text
      assert.match(bundle, /\/\/# sourceMappingURL=server\.js\.map\s*$/)
      assert.match(bundle, /^\/\/ selfhosted-app\/src\/inventory\.ts$/m, 'not minified: esbuild keeps its per-file markers')
      const map = JSON.parse(entries.find((e) => e.path === 'package/dist/server.js.map').text)
      assert.ok(map.sources.includes('../../selfhosted-app/src/inventory.ts') || map.sources.includes('../src/inventory.ts'), map.sources.join())
      // Nothing of the machine that built it: no absolute paths of the checkout or the output dir.
      for (const entry of entries) {
        assert.ok(!entry.text.includes(ROOT), `${entry.path} mentions ${ROOT}`)
        assert.ok(!entry.text.includes(built.outRoot), `${entry.path} mentions ${built.outRoot}`)
      }
    } finally {
      rmSync(built.outRoot, { recursive: true, force: true })
    }
  })
}
