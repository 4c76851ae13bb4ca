// Property-based fuzzing of the static lens (issue 9): generated and mutated JavaScript never throws, stays fast and is deterministic.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { fixture, importDist, scanJson } from '../helpers/index.mjs'

// Fixed seeds keep CI reproducible; NPH_FUZZ_SEED explores new ground (the seed is printed either way).
const SEED = Number(process.env.NPH_FUZZ_SEED ?? 20261127)
const RUNS = Number(process.env.NPH_FUZZ_RUNS ?? 1000)
const PER_INPUT_MS = 5000
console.log(`fuzz seed ${SEED}, ${RUNS} runs per property (NPH_FUZZ_SEED / NPH_FUZZ_RUNS to change)`)

const { analyseSource } = await importDist('internal.js')

/** Real programs from the detector fixtures: mutations of them reach deep into the detectors. */
const SEEDS = readdirSync(fixture('static/evasion'))
  .filter((f) => /\.[cm]?js$/.test(f))
  .map((f) => readFileSync(fixture('static/evasion', f), 'utf8'))

const TOKENS = [
  'fetch', 'require', '(', ')', '[', ']', '{', '}', ',', ';', '.', '+', '=', '=>', '...', '?', ':', '`', '${', '"', "'",
  'const', 'let', 'var', 'function', 'class', 'new', 'return', 'import', 'export', 'default', 'async', 'await', 'yield',
  'http', 'https', 'net', 'dgram', 'dns', "'node:https'", "'https://x.invalid/a'", '"http://192.0.2.1:80/"', 'globalThis',
  'eval', 'Function', 'atob', "'aHR0cHM6Ly94LmludmFsaWQ='", 'String.fromCharCode', 'Buffer.from', '.join', '.split',
  'x', 'y', 'url', 'host', 'this', 'arguments', 'process.env.URL', '0', '1', '0x41', '1e3', 'null', 'undefined',
  '/re/g', '\n', '//c\n', '/*c*/', 'if', 'else', 'for', 'while', 'try', 'catch', 'with', 'delete', 'typeof', 'in', 'of',
]

const tokenSoup = fc.array(fc.constantFrom(...TOKENS), { maxLength: 80 }).map((t) => t.join(' '))

/** A seed program with a few edits: token inserts, deletions, duplicated ranges and flipped characters. */
const mutatedSeed = fc.record({
  seed: fc.constantFrom(...SEEDS),
  edits: fc.array(fc.record({
    kind: fc.constantFrom('insert', 'delete', 'duplicate', 'flip'),
    at: fc.nat(), len: fc.integer({ min: 1, max: 40 }), token: fc.constantFrom(...TOKENS), char: fc.integer({ min: 0, max: 0xffff }),
  }), { maxLength: 6 }),
}).map(({ seed, edits }) => {
  let s = seed
  for (const e of edits) {
    const at = s.length ? e.at % s.length : 0
    if (e.kind === 'insert') s = s.slice(0, at) + e.token + s.slice(at)
    else if (e.kind === 'delete') s = s.slice(0, at) + s.slice(at + e.len)
    else if (e.kind === 'duplicate') s = s.slice(0, at + e.len) + s.slice(at, at + e.len) + s.slice(at + e.len)
    else s = s.slice(0, at) + String.fromCharCode(e.char) + s.slice(at + 1)
  }
  return s
})

/** Well-formed programs: sinks with destinations built from the folding tricks the detectors know. */
const part = fc.oneof(
  fc.constantFrom("'https://'", "'x.invalid'", "'/p'", 'h', 'process.env.H', "atob('eC5pbnZhbGlk')", "['a','b'].join('.')", "String.fromCharCode(104,116)"),
  fc.webUrl().map((u) => JSON.stringify(u)),
)
const expr = fc.letrec((tie) => ({
  e: fc.oneof({ depthSize: 'small' }, part, fc.tuple(tie('e'), tie('e')).map(([a, b]) => `${a} + ${b}`), tie('e').map((a) => `\`\${${a}}/t\``), tie('e').map((a) => `(() => ${a})()`)),
})).e
const sinkProgram = fc.tuple(fc.constantFrom('fetch(U)', "require('https').get(U)", "require('node:http').request(U)", 'new WebSocket(U)', "require('net').connect(443, U)", "require('dns').lookup(U, () => {})", 'navigator.sendBeacon(U)', "import('https').then((m) => m.get(U))"), expr)
  .map(([sink, e]) => `const h = 'x.invalid'\nfunction send(u) { return ${sink.replace('U', 'u')} }\nsend(${e})\n${sink.replace('U', e)}\n`)

const anyProgram = fc.oneof(tokenSoup, mutatedSeed, sinkProgram, fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 200 }))
const anyKind = fc.constantFrom('commonjs', 'module', 'script')

test('analyseSource never throws, stays fast and gives the same answer twice for generated and mutated JavaScript', () => {
  fc.assert(
    fc.property(anyProgram, anyKind, (source, kind) => {
      const started = performance.now()
      const first = analyseSource(source, kind)
      const ms = performance.now() - started
      assert.ok(ms < PER_INPUT_MS, `${ms.toFixed(0)} ms for ${JSON.stringify(source.slice(0, 200))}`)
      assert.ok(Array.isArray(first.findings))
      if (first.parseError) assert.equal(first.findings.length, 0)
      assert.equal(JSON.stringify(analyseSource(source, kind)), JSON.stringify(first))
    }),
    { seed: SEED, numRuns: RUNS },
  )
})

test('every generated sink program reports a network capability (nothing is silently lost)', () => {
  fc.assert(
    fc.property(sinkProgram, (source) => {
      const r = analyseSource(source, 'commonjs')
      assert.equal(r.parseError, undefined, source)
      assert.ok(r.findings.some((f) => f.rule === 'net-sink' || f.rule === 'opaque-code' || f.rule === 'dns-lookup' || f.rule === 'telemetry-endpoint'), source)
    }),
    { seed: SEED + 1, numRuns: Math.ceil(RUNS / 3) },
  )
})

test('the CLI reports generated files the same way twice, and every file is either analysed or listed', async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'nph-fuzz-cli-'))
  try {
    const programs = fc.sample(anyProgram, { seed: SEED + 2, numRuns: 60 })
    const dir = join(tmp, 'app')
    mkdirSync(dir)
    programs.forEach((p, i) => writeFileSync(join(dir, `g${String(i).padStart(2, '0')}.js`), p))
    const first = await scanJson(['scan', dir, '--no-cache'], { cwd: tmp })
    const second = await scanJson(['scan', dir, '--no-cache', '--jobs', '1'], { cwd: tmp })
    assert.ok(first.code === 0 || first.code === 1, first.stderr)
    assert.equal(first.stdout, second.stdout)
    assert.equal(first.report.summary.filesScanned, programs.length)
    for (const na of first.report.notAnalysed) assert.match(na.reason, /^parse error at \d+:\d+/, na.file)
    const parseErrors = first.report.findings.filter((f) => f.rule === 'parse-error').length
    assert.equal(parseErrors, first.report.summary.filesNotAnalysed)
    if (first.report.summary.filesNotAnalysed) assert.notEqual(first.report.verdict, 'pass')
  } finally {
    rmSync(tmp, { recursive: true, force: true })
  }
})
