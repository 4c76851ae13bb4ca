// The planted-case matrix: every sink API and import style, with rule, severity, provenance, destination and line.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { fixture, importDist } from '../helpers/index.mjs'

const { scan } = await importDist('index.js')
const expected = JSON.parse(readFileSync(fixture('static/matrix.expected.json'), 'utf8'))
const report = await scan({ targets: [fixture('static/matrix')], cache: false })

test('the matrix has at least 40 planted cases', () => {
  assert.ok(expected.filter((c) => !c.none).length >= 40)
})

for (const c of expected) {
  const name = c.none
    ? `reports nothing for ${c.file}`
    : `reports ${c.rule} ${c.severity} for ${c.file}${c.host ? ` → ${c.host}` : ''}`
  test(name, () => {
    const inFile = report.findings.filter((f) => f.location.file === c.file)
    if (c.none) {
      assert.deepEqual(inFile.map((f) => f.message), [])
      return
    }
    const hit = inFile.find((f) => f.rule === c.rule && f.location.line === c.line && (!c.api || f.api === c.api))
    assert.ok(hit, `no ${c.rule} at ${c.file}:${c.line}${c.api ? ` with api ${c.api}` : ''}; got ${JSON.stringify(inFile.map((f) => [f.rule, f.location.line, f.api, f.message]))}`)
    assert.equal(hit.severity, c.severity)
    if (c.provenance) assert.equal(hit.destination?.provenance, c.provenance)
    if (c.host) assert.equal(hit.destination?.host, c.host)
    if (c.url) assert.equal(hit.destination?.url, c.url)
    if (c.source) assert.equal(hit.destination?.source, c.source)
    assert.equal(hit.package, '(first-party)')
    assert.match(hit.fingerprint, /^[0-9a-f]{16}$/)
  })
}

test('every finding in the matrix is one the table expects', () => {
  // No stray findings: each one must be listed (keeps false positives visible).
  const listed = new Set(expected.filter((c) => !c.none).map((c) => `${c.file}:${c.line}:${c.rule}`))
  const stray = report.findings.filter((f) => !listed.has(`${f.location.file}:${f.location.line}:${f.rule}`))
  assert.deepEqual(stray.map((f) => `${f.location.file}:${f.location.line} ${f.rule} ${f.message}`), [])
})
