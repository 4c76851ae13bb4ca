// Bundles without source maps: module boundary markers of esbuild and webpack attribute findings.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { fixture, importDist } from '../helpers/index.mjs'

const { scan } = await importDist('index.js')
const { findModuleMarkers, moduleAt } = await importDist('internal.js')
const root = fixture('bundle-built')
const report = await scan({ targets: [root], cache: false })
const sink = (file, host) => report.findings.find((f) => f.rule === 'net-sink' && f.location.file === file && f.destination?.host === host)

for (const file of ['out/markers/esbuild.js', 'out/markers/webpack.js', 'out/markers/webpack-numeric.js']) {
  test(`attributes an unminified bundle without a map by its module markers (${file.split('/').pop()})`, () => {
    const sdk = sink(file, 'collector.tiny-telemetry.invalid')
    assert.equal(sdk.package, 'tiny-telemetry@1.0.0')
    assert.equal(sdk.chain, 'built-app>tiny-telemetry')
    assert.equal(sdk.details.module, 'node_modules/tiny-telemetry/index.js')
    assert.equal(sdk.location.original, undefined, 'markers give the module, not a line')
    const app = sink(file, 'home.built-app.invalid')
    assert.equal(app.package, '(first-party)')
    assert.equal(app.details.module, 'src/app.js')
  })
}

test('without the package in the scanned tree a marker still names it, version unknown', async () => {
  const r = await scan({ targets: [join(root, 'out', 'markers')], cache: false })
  const f = r.findings.find((x) => x.rule === 'net-sink' && x.location.file === 'webpack.js' && x.destination?.host === 'collector.tiny-telemetry.invalid')
  assert.equal(f.package, 'tiny-telemetry@?')
})

test('a plain node_modules file keeps the package of its directory', () => {
  const f = sink('node_modules/tiny-telemetry/index.js', 'collector.tiny-telemetry.invalid')
  assert.equal(f.package, 'tiny-telemetry@1.0.0')
  assert.equal(f.details?.module, undefined)
})

test('finds esbuild, webpack and rolldown markers and maps offsets to the section that holds them', () => {
  const esbuild = '// node_modules/a/index.js\nvar a = 1;\n\n// src/b.js\nvar b = 2;\n'
  const m = findModuleMarkers(esbuild)
  assert.deepEqual(m.map((x) => x.path), ['node_modules/a/index.js', 'src/b.js'])
  assert.equal(moduleAt(m, esbuild.indexOf('a = 1')).path, 'node_modules/a/index.js')
  assert.equal(moduleAt(m, esbuild.indexOf('b = 2')).path, 'src/b.js')
  const webpack = '/***/ "./node_modules/@scope/pkg/lib/x.js":\n/***/ (() => { y() })\n'
  assert.deepEqual(findModuleMarkers(webpack).map((x) => x.path), ['node_modules/@scope/pkg/lib/x.js'])
  const concat = ';// CONCATENATED MODULE: ./node_modules/c/index.js\nc()\n;// ./src/d.js\nd()\n'
  assert.deepEqual(findModuleMarkers(concat).map((x) => x.path), ['node_modules/c/index.js', 'src/d.js'])
  const rolldown = '//#region node_modules/e/index.js\ne()\n//#endregion\n//#region src/f.ts\nf()\n//#endregion\n'
  assert.deepEqual(findModuleMarkers(rolldown).map((x) => x.path), ['node_modules/e/index.js', 'src/f.ts'])
})

test('does not take ordinary comments for module markers', () => {
  assert.deepEqual(findModuleMarkers('// utils.js\nfetch(x)\n'), [])
  assert.deepEqual(findModuleMarkers('// see https://example.invalid/a.js\n// TODO: fix a.js\nx()\n'), [])
  assert.equal(moduleAt(findModuleMarkers('var runtime;\n// node_modules/a/i.js\na()\n'), 2), undefined)
})
