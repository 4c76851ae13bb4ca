// telemetry-sdk: a known SDK imported and started; violation with hard-coded keys/URLs, review when only configured.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { importDist } from '../../helpers/index.mjs'

const { analyseSource } = await importDist('internal.js')

function run(code, kind = 'module') {
  const r = analyseSource(code, kind)
  assert.equal(r.parseError, undefined)
  const lineOf = (o) => code.slice(0, o).split('\n').length
  return r.findings.filter((f) => f.rule === 'telemetry-sdk').map((f) => [f.severity, lineOf(f.start), f.details.signature])
}

const CASES = [
  ['Sentry.init with a hard-coded DSN', "import * as Sentry from '@sentry/node'\nSentry.init({ dsn: 'https://0123456789abcdef0123456789abcdef@o1.ingest.sentry.io/1' })", [['violation', 2, 'sentry']]],
  ['Sentry.init with the DSN from env', "import * as Sentry from '@sentry/node'\nSentry.init({ dsn: process.env.SENTRY_DSN, tracesSampleRate: 1 })", [['review', 2, 'sentry']]],
  ['Sentry.init with no DSN (the SDK reads env)', "const Sentry = require('@sentry/node')\nSentry.init({ tracesSampleRate: 0.1 })", [['review', 2, 'sentry']], 'commonjs'],
  ['named init import', "import { init } from '@sentry/browser'\ninit({ dsn: config.dsn })", [['review', 2, 'sentry']]],
  ['posthog.init with a project key', "import posthog from 'posthog-js'\nposthog.init('phc_abcdefghijklmnopqrstuvwxyz0123456789AB', { api_host: 'https://us.i.posthog.com' })", [['violation', 2, 'posthog']]],
  ['new PostHog with a configured key and host', "import { PostHog } from 'posthog-node'\nexport const client = new PostHog(opts.key, { host: opts.host })", [['review', 2, 'posthog']]],
  ['a hard-coded key even when the host is configured', "import { PostHog } from 'posthog-node'\nnew PostHog('phc_abcdefghijklmnopqrstuvwxyz0123456789AB', { host: process.env.PH_HOST })", [['violation', 2, 'posthog']]],
  ['Segment Analytics with a write key', "import { Analytics } from '@segment/analytics-node'\nnew Analytics({ writeKey: 'aBcDeFgHiJkLmNoPqRsTuVwXyZ012345' })", [['violation', 2, 'segment']]],
  ['AnalyticsBrowser.load', "import { AnalyticsBrowser } from '@segment/analytics-next'\nAnalyticsBrowser.load({ writeKey: WRITE_KEY })", [['review', 2, 'segment']]],
  ['mixpanel.init', "const mixpanel = require('mixpanel')\nmixpanel.init('0123456789abcdef0123456789abcdef')", [['violation', 2, 'mixpanel']], 'commonjs'],
  ['amplitude init', "import * as amplitude from '@amplitude/analytics-browser'\namplitude.init('0123456789abcdef0123456789abcdef')", [['violation', 2, 'amplitude']]],
  ['an OTLP exporter to a vendor', "import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http'\nnew OTLPTraceExporter({ url: 'https://api.honeycomb.io/v1/traces' })", [['violation', 2, 'opentelemetry-otlp-exporter']]],
  ['an OTLP exporter to a local collector', "import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http'\nnew OTLPTraceExporter({ url: 'http://localhost:4318/v1/traces' })", [['info', 2, 'opentelemetry-otlp-exporter']]],
  ['dd-trace init', "const tracer = require('dd-trace').init({ service: 'api' })", [['review', 1, 'datadog']], 'commonjs'],
  ['dd-trace/init by import alone', "import 'dd-trace/init'", [['review', 1, 'datadog']]],
  ['newrelic by require alone', "require('newrelic')", [['review', 1, 'new-relic']], 'commonjs'],
  ['Bugsnag.start with an API key', "import Bugsnag from '@bugsnag/js'\nBugsnag.start({ apiKey: '0123456789abcdef0123456789abcdef' })", [['violation', 2, 'bugsnag']]],
  ['new Rollbar', "const Rollbar = require('rollbar')\nnew Rollbar({ accessToken: process.env.ROLLBAR_TOKEN })", [['review', 2, 'rollbar']], 'commonjs'],
  ['Honeybadger.configure', "import Honeybadger from '@honeybadger-io/js'\nHoneybadger.configure({ apiKey: 'hbp_abcdefghijklmnopqrstuvwxyz0123456' })", [['violation', 2, 'honeybadger']]],
  ['LogRocket.init', "import LogRocket from 'logrocket'\nLogRocket.init('abcdef/acme-console')", [['violation', 2, 'logrocket']]],
  ['a page snippet global (analytics.load)', "analytics.load('aBcDeFgHiJkLmNoPqRsTuVwXyZ012345')", [['violation', 1, 'segment']], 'script'],
  ['the gtag snippet with a measurement id', "function gtag(){dataLayer.push(arguments)}\ngtag('js', new Date())\ngtag('config', 'G-AB12CD34EF')", [['violation', 3, 'google-analytics']], 'script'],
]

for (const [name, code, expected, kind] of CASES) {
  test(`reports ${name}`, () => {
    assert.deepEqual(run(code, kind), expected)
  })
}

test('an SDK imported but not started in the file is informational', () => {
  const r = analyseSource("import * as Sentry from '@sentry/node'\nexport function report(e) { Sentry.captureException(e) }", 'module')
  const f = r.findings.filter((x) => x.rule === 'telemetry-sdk')
  assert.equal(f.length, 1)
  assert.equal(f[0].severity, 'info')
  assert.equal(f[0].details.signature, 'sentry')
})

test('other calls on an SDK, and unrelated packages, are not starts', () => {
  assert.deepEqual(run("import * as Sentry from '@sentry/node'\nSentry.captureException(new Error('x'))").filter(([s]) => s !== 'info'), [])
  assert.deepEqual(run("import x from 'left-pad'\nx.init('abc')"), [])
})

test('a local function named like a short snippet global is not taken for it', () => {
  assert.deepEqual(run("function ga(a, b) { return a + b }\nga('create', 'UA-1234-1')", 'script'), [])
})
