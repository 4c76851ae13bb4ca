// Our acorn subclass (src/static/parse.ts) must build exactly the tree plain acorn builds, and fail where
// and how it fails: its name reader and keyword lookup are faster paths, not different ones.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { parse as acornParse } from 'acorn'
import { DIST, ROOT, importDist } from '../helpers/index.mjs'

const { parseSource, acornOptionsFor } = await importDist('internal.js')

/** Plain acorn's result for `code` as `kind`: the tree as JSON, or the error message and position. */
function plain(code, kind) {
  try {
    return { tree: JSON.stringify(acornParse(code, acornOptionsFor(kind))) }
  } catch (err) {
    return { error: err.message, pos: err.pos }
  }
}

function ours(code, kind) {
  const r = parseSource(code, kind)
  return r.ok ? { tree: JSON.stringify(r.ast), kind: r.kind } : { error: r.message, line: r.line, column: r.column }
}

/** Asserts our parse of `code` equals plain acorn's for the kind ours settled on (or, on failure, the kind asked). */
function assertSame(code, kind, label) {
  const o = ours(code, kind)
  const p = plain(code, o.kind ?? kind)
  if (o.tree) {
    assert.ok(p.tree, `${label}: ours parsed, plain acorn failed (${p.error})`)
    assert.ok(o.tree === p.tree, `${label}: trees differ`)
  } else {
    assert.ok(p.error, `${label}: plain acorn parsed, ours failed (${o.error})`)
    // parseSource drops acorn's "(line:col)" suffix from the message.
    assert.equal(o.error, p.error.replace(/\s*\(\d+:\d+\)$/, ''), label)
  }
  return o
}

const names = [
  'a', '$', '_', 'a1', '$x_9', 'A_Z', 'x'.repeat(300),
  // Non-ASCII and escaped names take acorn's own path from their first character.
  'café', 'ünïcödé', 'αβγ', 'x\u200d', '\u{1d465}', 'a\u{1d465}b', '\\u0061bc', 'a\\u{62}c', 'ab\\u0063', 'ñ1',
]

test('identifiers, keywords and contextual words parse exactly as plain acorn parses them', () => {
  for (const n of names) {
    for (const kind of ['commonjs', 'module']) {
      assertSame(`var ${n} = 1; ${n}++; obj.${n}; ({ ${n}: ${n} }); ${n}`, kind, `name ${JSON.stringify(n)} (${kind})`)
    }
  }
  const snippets = [
    'let let1 = 1; var let = 2', 'async function f() { await x } async () => 1; var async = 3; async(1)',
    'for (const of of ofs) {}', 'function* g() { yield 1 } var yield = 2', 'class A { static s = 1; get g() { return 1 } set s(v) {} #p = 1; m() { return this.#p } }',
    'if (a) b; else c', 'typeof x === "undefined" && void 0 instanceof Object', 'new.target', 'import.meta.url', 'x = null ?? true || false',
    'label: for (;;) { break label }', 'switch (x) { case 1: default: }', 'try {} catch { } finally {}', 'do ; while (0)', 'with (o) {}',
    'var re = /a[b]c/gimsuy; var re2 = /x/d; var re3 = /\\u{61}/u', 'a\n/b/g', 'enum', 'var static = 1', 'var implements = 1',
    '\\u0069f (x) {}', 'var \\u{69}f = 1', 'var x = /y/\\u0067', 'class B { #\\u0061 = 1 }', 'class C { #é = 1; m() { return this.#é } }',
    'x = a\u2028b', 'eval("x")', 'arguments', 'var 𝑥 = 1', 'a.if.else.class', '({ if: 1, class: 2, null: 3 })', 'x?.y?.[z]?.(w)',
    'export default 1', 'import x, { y as z } from "m"; export { z as default }', 'export * as ns from "m"', '`a${b}c${`d${e}`}`',
    // Names acorn refuses or allows by context (our checkUnreserved skips its checks for every other name).
    'function* g() { var yield = 1 }', 'function* g() { yield }', 'async function f() { var await = 1 }', 'var await = 1; await',
    'class A { x = arguments }', 'class A { static { arguments } }', 'class A { static { var await } }', 'function f() { arguments }',
    '"use strict"; var let = 1', '"use strict"; var implements = 1', '"use strict"; var yield', '"use strict"; eval = 1',
    'var class = 1', 'var enum = 1', 'var typeof', 'x.class = y.enum', 'var public = 1; var static', 'function f(interface) {}',
    'var Let = 1, LET, yieldX, awaitY, argumentsZ, i, if_, ifx, $if', 'function* g() { function yield() {} }', 'async () => await',
  ]
  for (const code of snippets) for (const kind of ['commonjs', 'module']) assertSame(code, kind, `${JSON.stringify(code)} (${kind})`)
})

test('a name at the very end of the input, and one cut by end of input inside an escape', () => {
  for (const code of ['a', 'abc', 'x.y', 'é', 'ab\\u', 'ab\\u00', 'ab\\', '#x', 'class A { #', '/x/g', '/x/', '/x/é']) {
    for (const kind of ['commonjs', 'module']) assertSame(code, kind, `${JSON.stringify(code)} (${kind})`)
  }
})

test('real code: our fixtures and our own build parse to the same trees as with plain acorn', () => {
  const files = []
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name)
      if (e.isDirectory()) walk(p)
      else if (/\.(c|m)?js$/.test(e.name) && statSync(p).size < 4_000_000) files.push(p)
    }
  }
  walk(join(ROOT, 'test', 'fixtures'))
  walk(DIST)
  let parsed = 0
  for (const f of files) {
    const code = readFileSync(f, 'utf8')
    const kind = f.endsWith('.mjs') ? 'module' : 'commonjs'
    if (assertSame(code, kind, f).tree) parsed++
  }
  // The walk found real code, and most of it parsed (bad-input fixtures fail on purpose, the same way in both).
  assert.ok(files.length > 100 && parsed > files.length / 2, `${parsed} of ${files.length} files parsed`)
})

test('a parsed file leaves nothing that keeps its text alive (the name table holds copies, not views into it)', async () => {
  const { setFlagsFromString } = await import('node:v8')
  const { runInNewContext } = await import('node:vm')
  setFlagsFromString('--expose-gc')
  const gc = runInNewContext('gc')
  // Long names (V8 slices of 13+ characters are views into the source) and a character outside Latin-1 (two bytes a character).
  const lines = []
  for (let i = 0; i < 60_000; i++) lines.push(`var someLongIdentifierName${i} = anotherLongIdentifier${i % 50} + "€"`)
  let source = lines.join('\n')
  const sourceBytes = source.length * 2
  gc()
  const before = process.memoryUsage().heapUsed
  assert.ok(parseSource(source, 'commonjs').ok)
  source = null
  assert.ok(parseSource('var shortName = 1', 'commonjs').ok)
  gc()
  gc()
  const freed = before - process.memoryUsage().heapUsed
  assert.ok(freed > sourceBytes / 2, `only ${Math.round(freed / 1e6)} MB of the ${Math.round(sourceBytes / 1e6)} MB source freed`)
})
