// Built output with source maps: original file:line:column and the original file's package.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, cpSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fixture, importDist } from '../helpers/index.mjs'

const { scan } = await importDist('index.js')
const { sourceMappingUrlOf, readSourceMapFor, attributorForResult } = await importDist('internal.js')
const root = fixture('bundle-built')
const whole = await scan({ targets: [root], cache: false })
const outOnly = await scan({ targets: [join(root, 'out')], cache: false })
const sink = (report, file, host) => report.findings.find((f) => f.rule === 'net-sink' && f.location.file === file && f.destination?.host === host)

test('a .map next to a bundle gives the original location and the package from the scanned tree', () => {
  const f = sink(whole, 'out/server.js', 'collector.tiny-telemetry.invalid')
  assert.deepEqual(f.location.original, { file: 'node_modules/tiny-telemetry/index.js', line: 3, column: 9 })
  assert.equal(f.package, 'tiny-telemetry@1.0.0')
  assert.equal(f.chain, 'built-app>tiny-telemetry')
  assert.equal(f.location.line, 3)
  const app = sink(whole, 'out/server.js', 'home.built-app.invalid')
  assert.deepEqual(app.location.original, { file: 'src/app.js', line: 5, column: 2 })
  assert.equal(app.package, '(first-party)')
})

test('an inline data: map and a sourceMappingURL into another folder are used too', () => {
  for (const file of ['out/inline.js', 'out/pointed.js']) {
    const f = sink(whole, file, 'collector.tiny-telemetry.invalid')
    assert.deepEqual(f.location.original, { file: 'node_modules/tiny-telemetry/index.js', line: 3, column: 9 }, file)
    assert.equal(f.package, 'tiny-telemetry@1.0.0', file)
  }
})

test('a map pointing outside the scanned root still names the package, with version ? when the tree lacks it', () => {
  const f = sink(outOnly, 'server.js', 'collector.tiny-telemetry.invalid')
  assert.deepEqual(f.location.original, { file: '../node_modules/tiny-telemetry/index.js', line: 3, column: 9 })
  assert.equal(f.package, 'tiny-telemetry@?')
  assert.equal(f.chain, undefined)
  assert.equal(sink(outOnly, 'server.js', 'home.built-app.invalid').location.original.file, '../src/app.js')
})

test('fingerprints of mapped findings follow the original package, not the bundle file', () => {
  const a = sink(whole, 'out/server.js', 'collector.tiny-telemetry.invalid')
  const b = sink(whole, 'out/inline.js', 'collector.tiny-telemetry.invalid')
  assert.equal(a.fingerprint, b.fingerprint)
})

test('a changed .map next to an unchanged bundle is read fresh with the cache on', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nph-map-'))
  const cacheDir = join(dir, 'cache')
  try {
    mkdirSync(join(dir, 'app'))
    cpSync(join(root, 'out', 'server.js'), join(dir, 'app', 'server.js'))
    const map = JSON.parse(readFileSync(join(root, 'out', 'server.js.map'), 'utf8'))
    writeFileSync(join(dir, 'app', 'server.js.map'), JSON.stringify(map))
    const first = await scan({ targets: [join(dir, 'app')], cacheDir })
    assert.equal(sink(first, 'server.js', 'collector.tiny-telemetry.invalid').location.original.file, '../node_modules/tiny-telemetry/index.js')
    map.sources = map.sources.map((s) => s.replace('tiny-telemetry', 'other-telemetry'))
    writeFileSync(join(dir, 'app', 'server.js.map'), JSON.stringify(map))
    const second = await scan({ targets: [join(dir, 'app')], cacheDir })
    const f = sink(second, 'server.js', 'collector.tiny-telemetry.invalid')
    assert.equal(f.location.original.file, '../node_modules/other-telemetry/index.js')
    assert.equal(f.package, 'other-telemetry@?')
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('remembered map lookups are answered without reading the map; a map the memo does not know is read', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nph-memo-'))
  try {
    cpSync(join(root, 'out', 'server.js'), join(dir, 'server.js'))
    cpSync(join(root, 'out', 'server.js.map'), join(dir, 'server.js.map'))
    const where = { abs: dir, prefix: '', origins: { packageOf: () => undefined } }
    // This memo keeps one table per path and ignores the stat: as the cache does for a map that has not changed.
    const tables = new Map()
    let changes = 0
    const memo = { table: (p) => tables.get(p) ?? tables.set(p, {}).get(p), changed: () => { changes++ } }
    const f = sink(whole, 'out/server.js', 'collector.tiny-telemetry.invalid')
    const line = f.location.line
    const column = f.location.column
    const first = attributorForResult(join(dir, 'server.js'), {}, where, memo)(line, column, undefined)
    assert.deepEqual(first.original, { file: '../node_modules/tiny-telemetry/index.js', line: 3, column: 9 })
    assert.equal(changes, 1)
    assert.deepEqual(Object.keys(tables.get(join(dir, 'server.js.map'))), [`${line}:${column}`])
    // The map is now garbage; the remembered answer still comes back, so the map was not read.
    writeFileSync(join(dir, 'server.js.map'), 'not a map')
    const again = attributorForResult(join(dir, 'server.js'), {}, where, memo)(line, column, undefined)
    assert.deepEqual(again.original, first.original)
    assert.equal(changes, 1)
    // A memo without that table reads the map, which no longer is one.
    const fresh = { table: () => ({}), changed: () => {} }
    assert.equal(attributorForResult(join(dir, 'server.js'), {}, where, fresh)(line, column, undefined), undefined)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('never reads a map the artifact points at outside the scanned root', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nph-map-out-'))
  try {
    mkdirSync(join(dir, 'root'))
    writeFileSync(join(dir, 'outside.map'), JSON.stringify({ version: 3, sources: ['x.js'], names: [], mappings: 'AAAA' }))
    const js = 'fetch("https://a.invalid/")\n//# sourceMappingURL=../outside.map\n'
    assert.equal(readSourceMapFor(join(dir, 'root', 'a.js'), js, join(dir, 'root')), undefined)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('finds the sourceMappingURL comment in its line and block forms', () => {
  assert.equal(sourceMappingUrlOf('x()\n//# sourceMappingURL=app.js.map\n'), 'app.js.map')
  assert.equal(sourceMappingUrlOf('x()\n/*# sourceMappingURL=app.css.map */'), 'app.css.map')
  assert.equal(sourceMappingUrlOf('x()\n//@ sourceMappingURL=old.map'), 'old.map')
  assert.equal(sourceMappingUrlOf('const s = "sourceMappingURL=nope.map"'), undefined)
  assert.equal(sourceMappingUrlOf('x()'), undefined)
})
