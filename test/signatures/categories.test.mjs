// One fixture per signature category: each is found as telemetry-endpoint at its line, with the category in details.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fixture, scanJson } from '../helpers/index.mjs'

const dir = fixture('signatures', 'categories')
const { report, code } = await scanJson(['scan', dir, '--no-cache'])

test('scanning the category fixtures fails (violations) and names the database in the report', () => {
  assert.equal(code, 1)
  assert.match(report.signatures.version, /^\d{4}\.\d{2}\.\d{2}/)
  assert.match(report.signatures.digest, /^sha256:[0-9a-f]{64}$/)
})

for (const file of readdirSync(dir).filter((f) => f.endsWith('.mjs')).sort()) {
  const category = file.replace(/\.mjs$/, '')
  test(`reports the ${category} fixture as telemetry-endpoint at the line of its destination`, () => {
    const lines = readFileSync(join(dir, file), 'utf8').split('\n')
    const line = lines.findIndex((l) => /'(https?:|stun:|pool\.)/.test(l)) + 1
    const hits = report.findings.filter((f) => f.rule === 'telemetry-endpoint' && f.location.file === file)
    assert.equal(hits.length, 1, JSON.stringify(report.findings.filter((f) => f.location.file === file), null, 1))
    // Most fixtures are a constant no sink uses: found, for review ("string only"); the others reach a sink.
    const constantOnly = lines.filter((l) => l.trim() && !l.startsWith('//')).every((l) => /^export const ENDPOINT = '/.test(l))
    assert.equal(hits[0].severity, constantOnly ? 'review' : 'violation')
    assert.equal(hits[0].details.reach, constantOnly ? 'string only' : undefined)
    assert.equal(hits[0].location.line, line)
    assert.equal(hits[0].details.category, category)
    assert.equal(hits[0].destination.provenance, 'hard-coded-external')
  })
}
