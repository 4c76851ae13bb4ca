// Property-based fuzzing of the other untrusted-or-config inputs (issue 9): mutated policies and mutated tarballs.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve, sep } from 'node:path'
import { gunzipSync, gzipSync } from 'node:zlib'
import fc from 'fast-check'
import { importDist } from '../helpers/index.mjs'
import { makeTar } from '../helpers/tar-writer.mjs'

const SEED = Number(process.env.NPH_FUZZ_SEED ?? 20261127)
const RUNS = Number(process.env.NPH_FUZZ_RUNS ?? 400)
console.log(`fuzz seed ${SEED} (NPH_FUZZ_SEED / NPH_FUZZ_RUNS to change)`)

const internal = await importDist('internal.js')
const { scan } = await importDist('index.js')
const { parsePolicyText, PolicyInvalidError, ArtifactUnreadableError, finalise, extractTarball, sanitiseEntryPath } = internal

const tmp = mkdtempSync(join(tmpdir(), 'nph-fuzz-inputs-'))
test.after(() => rmSync(tmp, { recursive: true, force: true }))

const VALID_POLICY = {
  $schema: './node_modules/nophonehome/schema/policy.schema.json',
  version: 1,
  failOn: 'violation',
  allow: [{ host: '*.example.com', ports: [443], reason: 'our own update server' }, { host: '10.0.0.0/8', reason: 'LAN' }],
  allowDns: [{ host: 'db.internal.test', reason: 'database' }],
  waivers: [
    { fingerprint: '0123456789abcdef', reason: 'known', expires: '2099-12-31' },
    { rule: 'net-sink', package: '@sentry/*', destination: 'o1.ingest.sentry.invalid', reason: 'disabled at runtime' },
  ],
  severity: [{ rule: 'opaque-code', package: 'left-pad', severity: 'info', reason: 'reviewed' }],
  acceptNotAnalysed: [{ file: 'vendor/**/*.min.js', reason: 'too big, reviewed by hand' }],
}

/** JSON-level mutations: replace, delete or add at a random path in the value tree. */
const mutation = fc.record({ path: fc.array(fc.nat(), { maxLength: 5 }), op: fc.constantFrom('replace', 'delete', 'add', 'wrap'), value: fc.jsonValue({ maxDepth: 2 }), key: fc.oneof(fc.constantFrom('host', 'reason', 'version', 'file', 'ports', 'expires', 'allow', '__proto__', 'constructor'), fc.string({ maxLength: 8 })) })

function mutate(root, { path, op, value, key }) {
  let node = root
  for (const step of path) {
    const children = node && typeof node === 'object' ? Object.keys(node) : []
    if (!children.length) break
    const next = node[children[step % children.length]]
    if (!next || typeof next !== 'object') {
      const k = children[step % children.length]
      if (op === 'delete') { if (Array.isArray(node)) node.splice(Number(k), 1); else delete node[k] } else node[k] = op === 'wrap' ? [node[k]] : value
      return root
    }
    node = next
  }
  if (node && typeof node === 'object') {
    if (Array.isArray(node)) node.push(value)
    else Object.defineProperty(node, key, { value, enumerable: true, writable: true, configurable: true })
  }
  return root
}

/** Text-level mutations: the file as a user might break it (cut short, a character changed, duplicate keys). */
const textEdit = fc.record({ at: fc.nat(), kind: fc.constantFrom('cut', 'flip', 'dupkey', 'none'), char: fc.constantFrom('{', '}', '"', ',', ':', '\\', '\u0000', '\ufeff', 'x', ' ', '\n') })

function applyText(text, { at, kind, char }) {
  const i = text.length ? at % text.length : 0
  if (kind === 'cut') return text.slice(0, i)
  if (kind === 'flip') return text.slice(0, i) + char + text.slice(i + 1)
  if (kind === 'dupkey') return text.replace('"version": 1', '"version": 1, "version": 1')
  return text
}

// The file name, then a JSON pointer (keys may hold any character, spaces included) or a line:column.
const PROBLEM_LINE = /^policy\.json(?: \/.*: .+|:\d+:\d+: .+)$/s

test('a mutated policy either loads (and then applies without error) or is refused with readable FILE /pointer lines', () => {
  fc.assert(
    fc.property(fc.array(mutation, { maxLength: 4 }), textEdit, (mutations, edit) => {
      const value = structuredClone(VALID_POLICY)
      for (const m of mutations) mutate(value, m)
      const text = applyText(JSON.stringify(value, null, 2), edit)
      let policy
      try {
        policy = parsePolicyText(text, 'policy.json')
      } catch (err) {
        assert.ok(err instanceof PolicyInvalidError, `${err?.name}: ${err?.message}\n${text}`)
        assert.equal(err.code, 'POLICY_INVALID')
        assert.match(err.message, /^policy\.json /)
        assert.ok(err.problems.length > 0, err.message)
        for (const line of err.problems) assert.match(line, PROBLEM_LINE)
        return
      }
      // What loads must also apply: no error can be left for scan time.
      const finding = { rule: 'net-sink', severity: 'violation', message: 'm', lens: 'static', location: { file: 'a.js', line: 1, column: 0, snippet: '' }, package: 'left-pad@1.0.0', fingerprint: '0123456789abcdef', destination: { host: 'x.example.com', port: 443, provenance: 'hard-coded-external' } }
      const report = finalise({ target: ['t'], findings: [finding], notAnalysed: [{ file: 'vendor/a/b.min.js', reason: 'big' }], filesScanned: 1, bytesScanned: 1, failOn: policy.failOn ?? 'violation', policy: { file: 'policy.json', policy } })
      assert.ok(['pass', 'fail', 'incomplete'].includes(report.verdict))
    }),
    { seed: SEED, numRuns: RUNS },
  )
})

test('sanitiseEntryPath accepts only relative paths that stay inside the extraction root', () => {
  const root = resolve(tmp, 'root')
  const segment = fc.oneof(fc.constantFrom('..', '.', '', 'a', 'b.js', '\\', 'C:', '..\\..', '\u0000', '%2e%2e'), fc.string({ maxLength: 4 }))
  fc.assert(
    fc.property(fc.array(segment, { maxLength: 6 }), fc.constantFrom('', '/', './', '//'), (parts, lead) => {
      const untrusted = lead + parts.join('/')
      const r = sanitiseEntryPath(untrusted)
      if ('refused' in r) return
      assert.ok(!r.path.split('/').includes('..'), untrusted)
      assert.ok(resolve(root, r.path).startsWith(root + sep), `${JSON.stringify(untrusted)} → ${r.path}`)
    }),
    { seed: SEED + 1, numRuns: RUNS * 5 },
  )
})

const BASE_TAR = makeTar([
  { name: 'package/package.json', content: '{"name":"fuzzed","version":"1.0.0"}' },
  { name: 'package/index.js', content: 'const https = require("https")\nhttps.get("https://tar-fuzz.invalid/ping")\n' },
  { name: 'package/lib/util.js', content: 'module.exports = (u) => fetch(u)\n' },
  { name: 'package/link.js', type: '2', linkname: 'index.js' },
], { gzip: false })

/** Byte flips and truncation, applied to the raw tar (then gzipped) or to the gzip stream itself. */
const tarMutation = fc.record({
  layer: fc.constantFrom('tar', 'gzip', 'plain'),
  flips: fc.array(fc.record({ at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }), { maxLength: 8 }),
  cut: fc.option(fc.nat(), { nil: undefined }),
})

function mutatedArchive({ layer, flips, cut }) {
  const bytes = Buffer.from(layer === 'gzip' ? gzipSync(BASE_TAR) : BASE_TAR)
  for (const f of flips) bytes[f.at % bytes.length] = f.byte
  const cutBytes = cut === undefined ? bytes : bytes.subarray(0, cut % (bytes.length + 1))
  return layer === 'tar' ? gzipSync(cutBytes) : cutBytes
}

test('extractTarball on mutated archives always returns, reports what it skipped and never writes outside its dir', async () => {
  await fc.assert(
    fc.asyncProperty(tarMutation, async (m) => {
      const bytes = mutatedArchive(m)
      const file = join(tmp, `m.${m.layer === 'plain' ? 'tar' : 'tgz'}`)
      writeFileSync(file, bytes)
      const ex = await extractTarball(file, 'm', { maxEntries: 50, maxTotalBytes: 1e6, maxFileSize: 1e5 })
      try {
        assert.ok(Array.isArray(ex.notAnalysed))
        for (const na of ex.notAnalysed) assert.equal(typeof na.reason, 'string')
        assert.ok(ex.dir.startsWith(tmpdir()))
      } finally {
        ex.cleanup()
      }
    }),
    { seed: SEED + 2, numRuns: RUNS },
  )
})

test('scan on mutated tarballs returns a report (never throws), deterministic across two runs', async () => {
  const samples = fc.sample(tarMutation, { seed: SEED + 3, numRuns: 12 })
  for (const [i, m] of samples.entries()) {
    const file = join(tmp, `scan-${i}.tgz`)
    writeFileSync(file, mutatedArchive({ ...m, layer: m.layer === 'plain' ? 'tar' : m.layer }))
    const run = async () => {
      try {
        return await scan({ targets: [file], cache: false, jobs: 1 })
      } catch (err) {
        assert.ok(err instanceof ArtifactUnreadableError, `${err?.name}: ${err?.message}`)
        return err.code
      }
    }
    const first = await run()
    const second = await run()
    assert.deepEqual(second, first, `sample ${i}`)
    if (typeof first === 'object') {
      assert.ok(['pass', 'fail', 'incomplete'].includes(first.verdict))
      // A damaged archive is never a silent pass: if nothing is flagged and something was skipped, it is incomplete.
      if (first.summary.filesNotAnalysed > 0) assert.notEqual(first.verdict, 'pass')
    }
  }
})
