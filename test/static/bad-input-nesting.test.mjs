// Deeply nested input (issue 9): acorn's overflow becomes a parse-error finding; our own walker and folder never overflow.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { importDist, scanJson } from '../helpers/index.mjs'

const tmp = mkdtempSync(join(tmpdir(), 'nph-nesting-'))
test.after(() => rmSync(tmp, { recursive: true, force: true }))

const SINK = 'fetch("https://deep.invalid/x")'

/** One program per shape, `n` levels deep, with a sink that must be found whenever the file parses. */
const SHAPES = {
  paren: (n) => `x = ${'('.repeat(n)}1${')'.repeat(n)}; ${SINK}`,
  array: (n) => `x = ${'['.repeat(n)}${']'.repeat(n)}; ${SINK}`,
  object: (n) => `x = ${'{a:'.repeat(n)}1${'}'.repeat(n)}; ${SINK}`,
  plus: (n) => `x = ${Array(n).fill('a').join('+')}; ${SINK}`,
  ternary: (n) => `x = ${'a ? b : '.repeat(n)}c; ${SINK}`,
  call: (n) => `x = ${'f('.repeat(n)}${')'.repeat(n)}; ${SINK}`,
  member: (n) => `x = a${'.b'.repeat(n)}; ${SINK}`,
  arrow: (n) => `x = ${'() => '.repeat(n)}0; ${SINK}`,
  // Nested template literals crashed the whole process on Node 20/22 before parse.ts warmed acorn up.
  template: (n) => `x = ${'`${'.repeat(n)}1${'}`'.repeat(n)}; ${SINK}`,
  functions: (n) => `${'function f() {'.repeat(n)}${'}'.repeat(n)} ${SINK}`,
  blocks: (n) => `${'{'.repeat(n)}${'}'.repeat(n)} ${SINK}`,
  ifs: (n) => `${'if (a) '.repeat(n)}b(); ${SINK}`,
  // The sink's own argument nested deep: the folder must give up (unknown), not overflow.
  'sink-argument': (n) => `const h = "deep.invalid"; fetch("https://" + ${Array(n).fill('h').join(' + ')})`,
}

function writeShapes(depth) {
  const dir = join(tmp, `depth-${depth}`)
  mkdirSync(dir, { recursive: true })
  for (const [name, make] of Object.entries(SHAPES)) writeFileSync(join(dir, `${name}.js`), make(depth))
  return dir
}

const ANALYSIS_FAILURE = /ran out of stack|analysis failed|worker/

test('100 000 levels of nesting: every shape is a parse-error finding for its own file, and the scan completes', async () => {
  const { code, report, stderr } = await scanJson(['scan', writeShapes(100_000), '--no-cache'], { cwd: tmp })
  assert.equal(code, 1, stderr)
  for (const name of Object.keys(SHAPES)) {
    const file = `${name}.js`
    const reason = report.notAnalysed.find((x) => x.file === file)?.reason
    const parsed = report.findings.some((f) => f.location.file === file && f.rule === 'net-sink')
    // Member chains are parsed in a loop by acorn and may be analysed at any depth.
    if (parsed) { assert.equal(reason, undefined, file); continue }
    assert.match(reason ?? '', /nesting too deep to analyse/, file)
    assert.ok(report.findings.some((f) => f.location.file === file && f.rule === 'parse-error'), file)
  }
  assert.ok(report.summary.filesNotAnalysed >= Object.keys(SHAPES).length - 2)
  assert.notEqual(report.verdict, 'pass')
})

test('1 500 levels (parsed by acorn): our walker and folder analyse every shape and find the sink', async () => {
  const { report, stderr } = await scanJson(['scan', writeShapes(1500), '--no-cache'], { cwd: tmp })
  assert.deepEqual(report.notAnalysed, [], stderr)
  for (const name of Object.keys(SHAPES)) {
    const sinks = report.findings.filter((f) => f.location.file === `${name}.js` && f.rule === 'net-sink')
    assert.equal(sinks.length, 1, name)
  }
})

test('5 000 levels (near acorn\'s limit): each file is analysed or a parse error, never an analysis crash', async () => {
  const { code, report, stderr } = await scanJson(['scan', writeShapes(5000), '--no-cache'], { cwd: tmp })
  assert.equal(code, 1, stderr)
  for (const name of Object.keys(SHAPES)) {
    const file = `${name}.js`
    const reason = report.notAnalysed.find((x) => x.file === file)?.reason
    if (reason) {
      assert.doesNotMatch(reason, ANALYSIS_FAILURE, file)
      assert.match(reason, /nesting too deep/, file)
    } else {
      assert.ok(report.findings.some((f) => f.location.file === file && f.rule === 'net-sink'), `${file}: analysed but the sink was missed`)
    }
  }
  // At least the shapes acorn parses iteratively or shallowly get through to our walker at this depth.
  const analysed = Object.keys(SHAPES).filter((name) => !report.notAnalysed.some((x) => x.file === `${name}.js`))
  assert.ok(analysed.length >= 4, `analysed: ${analysed}`)
})

test('analyseSource on the main thread (smaller stack) never throws on deep input', async () => {
  const { analyseSource } = await importDist('internal.js')
  for (const depth of [1000, 3000, 100_000]) {
    for (const [name, make] of Object.entries(SHAPES)) {
      const r = analyseSource(make(depth), 'commonjs')
      if (r.parseError) assert.match(r.parseError.message, /nesting too deep|Unexpected/, `${name} ${depth}`)
      else assert.ok(r.findings.some((f) => f.rule === 'net-sink'), `${name} ${depth}: parsed but the sink was missed`)
    }
  }
})
