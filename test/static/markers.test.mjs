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

test('line-comment markers are the lines multiline `^…$` regexes find, found from each `//` instead', () => {
  // The definitions the scanner must keep: a line of its own, blanks (webpack: and a `;`) before `//`, any
  // line terminator; webpack's and rolldown's win over esbuild's; esbuild's need two, or one in node_modules.
  const PATH = String.raw`(?:\.{1,2}\/)*(?:[\w@.$+~-]+\/)*[\w@.$+~-]+\.(?:[cm]?[jt]sx?|json|vue|svelte|astro|css|node)`
  const all = (text, re, style) => [...text.matchAll(re)].map((m) => ({ offset: m.index, path: m[1].trim().replace(/^(?:\.\/)+/, '').replace(/ \+ \d+ modules$/, ''), style }))
  const reference = (text) => {
    // (findModuleMarkers first looks for one of these; a text with none gives no markers.)
    if (!['\n// ', '//#region ', ';// '].some((h) => text.includes(h)) && !text.startsWith('// ')) return []
    const webpack = all(text, new RegExp(String.raw`^[ \t]*;?\/\/ (?:CONCATENATED MODULE: )?(\.{0,2}\/${PATH})(?: \+ \d+ modules)?[ \t]*\r?$`, 'gm'), 'webpack')
    const out = [...webpack, ...all(text, /^[ \t]*\/\/#region (\S[^\n]*?)[ \t]*\r?$/gm, 'rolldown')]
    const esbuild = all(text, new RegExp(String.raw`^[ \t]*\/\/ (${PATH})[ \t]*\r?$`, 'gm'), 'esbuild')
    if (!webpack.length && (esbuild.length >= 2 || esbuild.some((e) => e.path.includes('node_modules/')))) out.push(...esbuild)
    out.sort((a, b) => a.offset - b.offset)
    return out.filter((m, i) => i === 0 || out[i - 1].offset !== m.offset)
  }
  const esbuildLines = [
    '// node_modules/a/index.js', '  // src/b.ts', '\t// lib/c.mjs  ', '// d.json\r', 'x; // src/not-a-marker.js', '// two words.js',
    '// src/e.js // f.js', '//src/no-space.js', '   ', '', '// node_modules/@s/p/i.js', '"// src/in-a-string.js"',
    '/* // src/in-block.js */', '// https://example.invalid/x.js', '// src/j.js extra', '/// src/k.js', '//// src/l.js',
  ]
  const otherLines = [
    '// ./src/g.jsx', '// ../up/h.cjs', ';// CONCATENATED MODULE: ./src/m.js', '  ;// ./src/n.js + 2 modules', '; // ./src/o.js',
    'x;// ./src/p.js', '//#region src/q.ts', '  //#region node_modules/r/s.js  ', '//#region', '//#endregion', '// /abs/t.js',
  ]
  const terminators = ['\n', '\r\n', '\r', '\u2028', '\u2029']
  let seed = 7
  const rand = (n) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n }
  let compared = 0
  for (let round = 0; round < 600; round++) {
    // Half the texts have esbuild-style lines only, so the esbuild rules are exercised without webpack's winning.
    const lines = round % 2 ? esbuildLines : [...esbuildLines, ...otherLines]
    let text = ''
    const count = 1 + rand(12)
    for (let i = 0; i < count; i++) text += lines[rand(lines.length)] + (i < count - 1 || rand(2) ? terminators[rand(terminators.length)] : '')
    const want = reference(text)
    if (want.length) compared++
    assert.deepEqual(findModuleMarkers(text), want, JSON.stringify(text))
  }
  assert.ok(compared > 300, `only ${compared} texts had markers`)
})
