// SARIF 2.1.0: valid against the official OASIS schema, rules from metadata, fingerprints, original locations, deterministic.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { importDist, fixture } from '../helpers/index.mjs'
import { sampleReport, sampleFindings } from './sample.mjs'

const require = createRequire(import.meta.url)
const Ajv = require('ajv')
const addFormats = require('ajv-formats')
const nph = await importDist('internal.js')

// The official schema is draft-04 (`id`); Ajv 8 reads draft-07, which keeps every keyword it uses.
const official = JSON.parse(readFileSync(fixture('schemas/sarif-schema-2.1.0.json'), 'utf8'))
const { id, $schema, ...rest } = official
const ajv = new Ajv({ allErrors: true, strict: false })
addFormats(ajv)
const validateSarif = ajv.compile({ $id: id, ...rest })

function render(report) {
  return nph.renderers.sarif(report, { color: false })
}

test('the SARIF output validates against the official SARIF 2.1.0 schema', () => {
  const log = JSON.parse(render(sampleReport()))
  assert.equal(validateSarif(log), true, JSON.stringify(validateSarif.errors, null, 2))
  assert.equal(log.version, '2.1.0')
})

test('the schema check is real: a broken log is rejected', () => {
  const log = JSON.parse(render(sampleReport()))
  log.runs[0].results[0].level = 'fatal'
  assert.equal(validateSarif(log), false)
})

test('an empty report is valid SARIF too', () => {
  const r = nph.finalise({ target: ['dist'], findings: [], notAnalysed: [], filesScanned: 0, bytesScanned: 0, failOn: 'violation' })
  assert.equal(validateSarif(JSON.parse(render(r))), true, JSON.stringify(validateSarif.errors))
})

test('rules come from metadata, one per rule used, with help text and a default level', () => {
  const log = JSON.parse(render(sampleReport()))
  const rules = log.runs[0].tool.driver.rules
  assert.deepEqual(rules.map((r) => r.id), ['net-sink', 'opaque-code', 'runtime-egress', 'telemetry-endpoint'])
  const netSink = rules[0]
  assert.ok(netSink.help.text.length > 20)
  // net-sink's own meta: review by default (each result carries the level its destination implies).
  assert.equal(netSink.defaultConfiguration.level, 'warning')
  for (const r of log.runs[0].results) assert.equal(rules[r.ruleIndex].id, r.ruleId)
})

test('a renderer built from detector metas uses them, and derives unknown rules from findings', () => {
  const metas = [{ id: 'net-sink', severity: 'violation', description: 'Custom description', help: 'Custom help' }]
  const log = JSON.parse(nph.createSarifRenderer(metas)(sampleReport(), { color: false }))
  const rules = log.runs[0].tool.driver.rules
  assert.equal(rules.find((r) => r.id === 'net-sink').shortDescription.text, 'Custom description')
  assert.equal(rules.find((r) => r.id === 'opaque-code').shortDescription.text, 'nophonehome rule opaque-code')
  assert.equal(validateSarif(log), true)
})

test('results carry relative locations, partial fingerprints, original locations and suppressions', () => {
  const report = sampleReport()
  const log = JSON.parse(render(report))
  const results = log.runs[0].results
  assert.equal(results.length, report.findings.length)
  const usage = results.find((r) => r.message.text.startsWith('https.request'))
  assert.deepEqual(usage.locations[0].physicalLocation.artifactLocation, { uri: 'dist/index.js', uriBaseId: 'TARGET' })
  assert.deepEqual(usage.locations[0].physicalLocation.region, { startLine: 6, startColumn: 15, snippet: { text: "https.request('https://usage.vendor.test/v1/ping')" } })
  assert.equal(usage.relatedLocations[0].physicalLocation.artifactLocation.uri, '../src/usage.ts')
  assert.equal(usage.relatedLocations[0].physicalLocation.region.startLine, 12)
  const f = report.findings.find((x) => x.message.startsWith('https.request'))
  assert.deepEqual(usage.partialFingerprints, { 'nophonehome/v1': f.fingerprint })
  const sentry = results.find((r) => r.ruleId === 'telemetry-endpoint')
  assert.deepEqual(sentry.suppressions, [{ kind: 'external', status: 'accepted', justification: 'waived (/waivers/0): empty DSN by default' }])
  const odd = results.find((r) => r.ruleId === 'opaque-code')
  assert.equal(odd.locations[0].physicalLocation.artifactLocation.uri, 'node_modules/evil/a%20b%23c%25.js')
  const runtime = results.find((r) => r.ruleId === 'runtime-egress')
  assert.equal(runtime.locations, undefined)
})

test('absolute paths inside the target become relative to it', () => {
  const f = { ...sampleFindings()[0], location: { file: '/srv/build/dist/app.js', line: 1, column: 0 } }
  const r = nph.finalise({ target: ['/srv/build/dist'], findings: [f], notAnalysed: [], filesScanned: 1, bytesScanned: 1, failOn: 'violation' })
  const log = JSON.parse(render(r))
  assert.equal(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri, 'app.js')
})

test('with a baseline, results say whether they are new or unchanged', () => {
  const findings = sampleFindings()
  const report = sampleReport({ baseline: { file: 'base.json', fingerprints: new Set([findings[0].fingerprint]) } })
  const results = JSON.parse(render(report)).runs[0].results
  const states = results.map((r) => r.baselineState)
  assert.equal(states.filter((s) => s === 'unchanged').length, 1)
  assert.ok(states.every((s) => s === 'unchanged' || s === 'new'))
})

test('not-analysed files appear as tool notifications; run facts stay in the invocation', () => {
  const log = JSON.parse(render(sampleReport()))
  const inv = log.runs[0].invocations[0]
  assert.equal(inv.toolExecutionNotifications[0].message.text, 'Not analysed: WebAssembly is not analysed')
  assert.deepEqual(inv.properties.run, { startedAt: '2026-01-01T00:00:00.000Z', durationMs: 12 })
})

test('the same input gives byte-identical SARIF and JSON, whatever the order findings arrive in', () => {
  const a = sampleReport()
  const b = sampleReport({ findings: sampleFindings().reverse() })
  assert.equal(render(a), render(b))
  assert.equal(nph.renderers.json(a, { color: false }), nph.renderers.json(b, { color: false }))
})

test('with a docs base every rule gets an absolute helpUri, and the log stays valid', () => {
  const log = JSON.parse(nph.createSarifRenderer(nph.everyRule(), { docsBase: 'https://docs.nophonehome.test/rules/' })(sampleReport(), { color: false }))
  assert.equal(validateSarif(log), true, JSON.stringify(validateSarif.errors, null, 2))
  for (const r of log.runs[0].tool.driver.rules) assert.equal(r.helpUri, `https://docs.nophonehome.test/rules/${r.id}.md`)
  // A relative helpUri would not be: the schema wants an absolute URI there, which is why none is written without a base.
  log.runs[0].tool.driver.rules[0].helpUri = 'docs/rules/net-sink.md'
  assert.equal(validateSarif(log), false)
})
