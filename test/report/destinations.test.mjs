// Findings grouped by destination: the one grouping verify, text, Markdown and HTML share.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { importDist } from '../helpers/index.mjs'
import { destinationFindings } from './sample.mjs'

const nph = await importDist('internal.js')
const groups = nph.groupByDestination(destinationFindings())
const byKey = new Map(groups.map((g) => [g.key, g]))

test('one group per external host gathers what every lens saw of it', () => {
  const usage = byKey.get('external:usage.vendor.test')
  assert.deepEqual(usage.lenses, ['static', 'runtime', 'browser'])
  assert.deepEqual(usage.findings.map((f) => f.rule).sort(), ['browser-egress', 'net-sink', 'runtime-egress', 'url-inventory'])
  assert.equal(usage.severity, 'violation')
  assert.equal(usage.counting, 4)
  // Worst first, and the info URL string last.
  assert.equal(usage.findings.at(-1).rule, 'url-inventory')
})

test('local, configured, unknown and destination-less findings are never external destinations', () => {
  assert.equal(byKey.get('local:127.0.0.1').kind, 'local')
  assert.equal(byKey.get('local:(same origin)').kind, 'local')
  assert.equal(byKey.get('configured').findings[0].destination.source, 'env API_URL')
  assert.equal(byKey.get('none').findings[0].rule, 'opaque-code')
  assert.deepEqual(nph.externalDestinations(destinationFindings()).map((g) => g.host),
    ['203.0.113.5', 'metrics.acme.test', 'usage.vendor.test', 'www.google-analytics.com', 'docs.vendor.test', 'o1.ingest.sentry.test'])
})

test('a private address stays local whatever provenance the finding claims', () => {
  const f = { rule: 'runtime-egress', severity: 'violation', lens: 'runtime', message: 'x', package: '(first-party)', fingerprint: '1',
    destination: { host: '192.168.1.20', port: 8080, provenance: 'unknown' } }
  assert.deepEqual(nph.destinationKindOf(f), { kind: 'local', host: '192.168.1.20' })
  const ext = { ...f, destination: { host: 'Collect.Vendor.TEST.', provenance: 'unknown' } }
  assert.deepEqual(nph.destinationKindOf(ext), { kind: 'external', host: 'collect.vendor.test' })
  // A static finding whose host comes from configuration is the customer's choice, not an external destination.
  const configured = { ...f, lens: 'static', destination: { host: 'smtp.customer.test', provenance: 'dynamic', source: 'env SMTP_HOST' } }
  assert.equal(nph.destinationKindOf(configured).kind, 'configured')
})

test('groups are ordered worst first, external before the rest, and groups where nothing counts come last', () => {
  const order = groups.map((g) => g.key)
  assert.deepEqual(order, [
    'external:203.0.113.5', 'external:metrics.acme.test', 'external:usage.vendor.test', 'external:www.google-analytics.com',
    'configured', 'none',
    'external:docs.vendor.test', 'local:(same origin)', 'local:127.0.0.1',
    'external:o1.ingest.sentry.test',
  ])
  const waived = byKey.get('external:o1.ingest.sentry.test')
  assert.equal(waived.counts, false)
  assert.equal(nph.severityText(waived), 'waived')
})

test('vendor and category come from the finding, else from the signature database by host', () => {
  const ga = byKey.get('external:www.google-analytics.com')
  assert.equal(ga.vendor, 'Google Analytics')
  assert.equal(ga.category, 'product-analytics')
  assert.equal(byKey.get('external:usage.vendor.test').vendor, undefined)
  const named = { rule: 'telemetry-endpoint', severity: 'violation', lens: 'static', message: 'x', package: '(first-party)', fingerprint: '2',
    destination: { host: 'ingest.own.test', provenance: 'hard-coded-external' }, details: { signature: 'own', vendor: 'Own Vendor', category: 'usage-telemetry' } }
  const [g] = nph.groupByDestination([named])
  assert.deepEqual([g.signature, g.vendor, g.category], ['own', 'Own Vendor', 'usage-telemetry'])
})

test('provenance reads as people say it, a vendor default naming its knob', () => {
  assert.deepEqual(byKey.get('external:metrics.acme.test').provenance, ['default — override with env ACME_METRICS_URL'])
  assert.equal(nph.describeProvenance({ provenance: 'default' }), 'default — replaceable by configuration')
  assert.equal(nph.describeProvenance({ provenance: 'hard-coded-external' }), 'hard-coded')
  assert.equal(nph.describeProvenance({ provenance: 'dynamic', source: 'env SMTP_HOST' }), 'configured: env SMTP_HOST')
  assert.equal(nph.describeProvenance({ provenance: 'unknown', source: 'url is reassigned' }), 'unknown: url is reassigned')
  // The runtime lens saw the host; its provenance is not a static judgement and is not repeated.
  assert.deepEqual(byKey.get('external:203.0.113.5').provenance, [])
})
