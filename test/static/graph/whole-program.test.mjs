// The whole-program layer on hand-written fixtures: vendor defaults that travel through config objects, other
// modules and other packages are reported where the destination is decided, with the way it went; code no entry
// point loads is lowered. Each case asserts the exact finding: place, destination, provenance, knob and path.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { fixture, scanJson } from '../../helpers/index.mjs'

const app = await scanJson(['scan', fixture('static/whole-program/core-app'), '--no-cache'])
const shapes = await scanJson(['scan', fixture('static/whole-program/core-shapes'), '--no-cache'])

/** The one finding of `rule` at file:line in a report. */
function at(report, rule, where) {
  const [file, line] = where.split(':')
  const hits = report.findings.filter((f) => f.rule === rule && f.location.file === file && f.location.line === Number(line))
  assert.equal(hits.length, 1, `${rule} at ${where}: ${JSON.stringify(report.findings.filter((f) => f.location.file === file).map((f) => [f.rule, f.location.line, f.message]))}`)
  return hits[0]
}

const APP = [
  {
    name: 'a default host merged into options in one module and read by the transport of another is reported at the defaults object',
    at: 'lib/defaults.js:2', api: 'https.request', severity: 'violation', host: 'api.core-app.invalid', url: 'https://api.core-app.invalid/v1/batch',
    provenance: 'default', source: 'option host', path: 'lib/defaults.js:2 → lib/client.js:5 → lib/transport.js:6 → https.request', pkg: '(first-party)',
  },
  {
    name: 'a wrapper package around https.get (on no list of clients) is found by its summary and reported at the call that passes the host',
    at: 'index.js:10', api: 'https.get', severity: 'violation', host: 'update.core-app.invalid', provenance: 'hard-coded-external',
    path: 'index.js:10 → node_modules/tiny-get/index.js:3 → https.get', pkg: '(first-party)',
  },
  {
    name: 'a URL in a JSON configuration file the code requires is part of the program',
    at: 'index.js:11', api: 'fetch', severity: 'violation', host: 'metrics.core-app.invalid', url: 'https://metrics.core-app.invalid/ingest', provenance: 'hard-coded-external',
  },
  {
    name: 'a factory in another module that returns fetch makes its result a sink',
    at: 'index.js:14', api: 'fetch', severity: 'violation', host: 'factory.core-app.invalid', provenance: 'hard-coded-external',
  },
  {
    name: "TypeScript's __importStar from the tslib package is transparent (recognised by what it does)",
    at: 'lib/ts-compiled.js:6', api: 'https.get', severity: 'violation', host: 'ping.core-app.invalid', provenance: 'hard-coded-external',
  },
  {
    name: 'an SDK constructor-parameter default, queued and sent from another module of the package, is attributed to the package that decides it',
    at: 'node_modules/acme-sdk/lib/index.js:4', api: 'fetch', severity: 'violation', host: 'ingest.acme-sdk.invalid', url: 'https://ingest.acme-sdk.invalid/v2/events',
    provenance: 'default', source: 'option host', path: 'node_modules/acme-sdk/lib/index.js:4 → node_modules/acme-sdk/lib/index.js:8 → node_modules/acme-sdk/lib/queue.js:3 → fetch', pkg: 'acme-sdk@3.2.1',
  },
]

for (const c of APP) {
  test(c.name, () => {
    const f = at(app.report, 'net-sink', c.at)
    assert.equal(f.api, c.api)
    assert.equal(f.severity, c.severity)
    assert.equal(f.destination.host, c.host)
    if (c.url) assert.equal(f.destination.url, c.url)
    assert.equal(f.destination.provenance, c.provenance)
    assert.equal(f.destination.source, c.source)
    assert.equal(f.details?.path, c.path)
    if (c.pkg) assert.equal(f.package, c.pkg)
    assert.equal(f.reachability, 'reachable')
  })
}

test('the inner sink of a linked flow is not reported a second time', () => {
  assert.deepEqual(app.report.findings.filter((f) => f.location.file === 'lib/transport.js' || f.location.file === 'node_modules/tiny-get/index.js' || f.location.file === 'node_modules/acme-sdk/lib/queue.js').map((f) => f.rule), [])
})

test('findings in reachable files carry the shortest import chain from an entry point', () => {
  const f = at(app.report, 'net-sink', 'lib/defaults.js:2')
  assert.equal(f.details.importChain, 'package.json main/exports/bin (index.js) → index.js → lib/client.js → lib/defaults.js')
})

for (const [where, from] of [['test/integration.js:3', 'violation'], ['scripts/release.js:2', 'violation'], ['node_modules/acme-sdk/test/smoke.js:2', 'violation']]) {
  test(`${where.split(':')[0]}, which no entry point loads, is lowered from ${from} to review and says why`, () => {
    const f = at(app.report, 'net-sink', where)
    assert.equal(f.severity, 'review')
    assert.equal(f.reachability, 'unreachable')
    assert.match(f.details.reachability, /no entry point loads .* through static imports .*lowered from violation/)
  })
}

test('scan says which entry points it used', () => {
  assert.deepEqual(app.report.policy.notices, ['entry points: package.json main/exports/bin (index.js)', '3 JavaScript file(s) no entry point loads: their findings are lowered one step'])
})

const SHAPES = [
  ['an ES5 constructor default (opts.host || URL) read by a prototype method', 'es5-prototype.js:5', 'https.request', 'ingest.es5.invalid', 'option host', 'es5-prototype.js:5 → es5-prototype.js:8 → https.request'],
  ['lodash merge of a defaults object and the options', 'lodash-merge.js:4', 'fetch', 'ep.lodash.invalid', 'option endpoint', 'lodash-merge.js:4 → lodash-merge.js:5 → fetch'],
  ['a class field the constructor may replace', 'class-field.js:3', 'fetch', 'beacon.field.invalid', 'option url', 'class-field.js:3 → class-field.js:5 → fetch'],
  ['Object.assign(this, DEFAULTS, options) in an ES5 constructor', 'assign-this.js:2', 'fetch', 'collector.assign.invalid', 'option server', 'assign-this.js:2 → assign-this.js:4 → fetch'],
  ['process.env.X || a vendor URL', 'env-default.mjs:2', 'fetch', 'api.envdef.invalid', 'env ENVDEF_API_URL', 'env-default.mjs:2 → env-default.mjs:3 → fetch'],
  ['process.env.X ?? a vendor host in a template literal', 'env-default.mjs:5', 'fetch', 'metrics.envdef.invalid', 'env ENVDEF_HOST', undefined],
]

for (const [name, where, api, host, source, path] of SHAPES) {
  test(`${name} is a vendor default (violation) naming the knob`, () => {
    const f = at(shapes.report, 'net-sink', where)
    assert.equal(f.api, api)
    assert.equal(f.severity, 'violation')
    assert.equal(f.destination.host, host)
    assert.equal(f.destination.provenance, 'default')
    assert.equal(f.destination.source, source)
    assert.equal(f.details?.path, path)
    assert.match(f.message, new RegExp(`default; overridden by ${source}`))
  })
}

test('a known analytics URL in a table no sink uses is for review, "string only"', () => {
  const f = at(shapes.report, 'telemetry-endpoint', 'attribute-table.js:2')
  assert.equal(f.severity, 'review')
  assert.equal(f.details.reach, 'string only')
})

test('a network function handed to code the analysis cannot follow is reported: sink escapes the analysis (review)', () => {
  for (const [where, api] of [['escape.js:4', 'fetch'], ['escape.js:5', 'https.get']]) {
    const f = at(shapes.report, 'net-sink', where)
    assert.equal(f.api, api)
    assert.equal(f.severity, 'review')
    assert.equal(f.destination.source, 'sink escapes the analysis')
  }
})

test('a network function handed to a function the analysis sees is followed to where that function calls it', () => {
  const f = at(shapes.report, 'net-sink', 'escape.js:7')
  assert.equal(f.api, 'fetch')
  assert.equal(f.severity, 'violation')
  assert.equal(f.destination.host, 'passed.escape.invalid')
  assert.equal(f.destination.provenance, 'hard-coded-external')
})

// Compiled TypeScript SDKs whose transport is injected or inherited: the default and the sink are in different
// classes, modules and packages, joined by what the code does (a base class's fields, an injected client
// object, defaults filled into a stored options object).
const sdks = await scanJson(['scan', fixture('static/whole-program/sdk-transports'), '--no-cache'])

const SDKS = [
  {
    name: 'a field a base class of another package stores (Object.assign of defaults and options) is read by the subclass that sends',
    at: 'node_modules/log-core/base.js:5', api: 'https.request', host: 'in.log-core.invalid', url: 'https://in.log-core.invalid', source: 'option endpoint',
    path: 'node_modules/log-core/base.js:5 → node_modules/log-node/node.js:14 → node_modules/log-node/node.js:17 → https.request', pkg: 'log-core@1.0.0',
  },
  {
    name: 'a default filled into the kept options object (this._opt.host = this._opt.host || URL) and joined with "".concat reaches the requester a factory returns',
    at: 'node_modules/notifier-browser/base_notifier.js:10', api: 'fetch', host: 'api.notifier.invalid', url: 'https://api.notifier.invalid/api/v3/projects/…', source: 'option host',
    path: 'node_modules/notifier-browser/base_notifier.js:10 → node_modules/notifier-node/notifier.js:7 → node_modules/notifier-browser/base_notifier.js:16 → node_modules/notifier-browser/http_req/fetch.js:6 → fetch',
    pkg: 'notifier-browser@2.0.0',
  },
  {
    name: 'a method called on an injected client is resolved through the callers that pass it (new FetchHTTPClient() as the default), not by its name',
    at: 'node_modules/analytics-sdk/lib/publisher.js:8', api: 'fetch', host: 'api.analytics-sdk.invalid', url: 'https://api.analytics-sdk.invalid', source: 'option host',
    path: 'node_modules/analytics-sdk/lib/publisher.js:8 → node_modules/analytics-sdk/lib/analytics.js:8 → node_modules/analytics-sdk/lib/plugin.js:6 → node_modules/analytics-sdk/lib/publisher.js:13 → node_modules/analytics-sdk/lib/http-client.js:10 → node_modules/analytics-sdk/lib/fetch.js:5 → fetch',
    pkg: 'analytics-sdk@1.4.0',
  },
]

for (const c of SDKS) {
  test(c.name, () => {
    const f = at(sdks.report, 'net-sink', c.at)
    assert.equal(f.api, c.api)
    assert.equal(f.severity, 'violation')
    assert.equal(f.destination.host, c.host)
    assert.equal(f.destination.url, c.url)
    assert.equal(f.destination.provenance, 'default')
    assert.equal(f.destination.source, c.source)
    assert.equal(f.details?.path, c.path)
    assert.equal(f.package, c.pkg)
    assert.equal(f.reachability, 'reachable')
  })
}

// Configuration libraries, env helpers and child processes (config-libs fixture).
const configLibs = await scanJson(['scan', fixture('static/whole-program/config-libs'), '--no-cache'])

const CONFIG_LIBS = [
  {
    name: "rc's defaults argument, read through a registry helper package and new URL(name, base), is a vendor default reported at the defaults object",
    at: 'node_modules/registry-lookup/index.js:3', api: 'https.get', host: 'registry.rc.invalid',
    source: 'acme configuration (rc) (computed key), acme configuration (rc).registry', path: 'node_modules/registry-lookup/index.js:3 → lib/check.js:8 → https.get',
  },
  {
    name: "a convict schema entry's default: is a vendor default replaced by the entry's env variable",
    at: 'lib/conf.js:5', api: 'fetch', host: 'collect.convict.invalid', url: 'https://collect.convict.invalid/v1',
    source: 'env CONFIG_LIBS_TELEMETRY_URL', path: 'lib/conf.js:5 → lib/send.js:3 → fetch',
  },
  {
    name: "an env helper's fallback (env('X_URL', 'https://…') from another module) is a vendor default",
    at: 'lib/report.js:3', api: 'fetch', host: 'report.envhelper.invalid', url: 'https://report.envhelper.invalid/v2/usage',
    source: 'env (computed name)', path: 'lib/report.js:3 → lib/report.js:4 → fetch',
  },
]

for (const c of CONFIG_LIBS) {
  test(c.name, () => {
    const f = at(configLibs.report, 'net-sink', c.at)
    assert.equal(f.api, c.api)
    assert.equal(f.severity, 'violation')
    assert.equal(f.destination.host, c.host)
    if (c.url) assert.equal(f.destination.url, c.url)
    assert.equal(f.destination.provenance, 'default')
    assert.equal(f.destination.source, c.source)
    assert.equal(f.details?.path, c.path)
    assert.equal(f.reachability, 'reachable')
  })
}

test('the transports of the SDKs are not reported a second time where they send', () => {
  const inner = ['node_modules/log-node/node.js', 'node_modules/notifier-browser/http_req/fetch.js', 'node_modules/analytics-sdk/lib/http-client.js', 'node_modules/analytics-sdk/lib/fetch.js', 'node_modules/other-clients/index.js']
  assert.deepEqual(sdks.report.findings.filter((f) => inner.includes(f.location.file) && f.rule === 'net-sink').map((f) => `${f.location.file}:${f.location.line}`), [])
})

// TypeScript compiled to ES5 with importHelpers: an async method's body runs inside tslib's __awaiter/__generator
// with the method's `this`; the transport picks http or https by the URL's scheme (two interop results) and
// passes `new URL(serverUrl).hostname`.
const tsAsync = await scanJson(['scan', fixture('static/whole-program/ts-async-transport'), '--no-cache'])

test('a default read through `this` inside __awaiter/__generator reaches a transport that chooses http or https and sends to the URL\'s hostname', () => {
  const f = at(tsAsync.report, 'net-sink', 'node_modules/events-sdk/client.js:6')
  assert.equal(f.api, 'http.request')
  assert.equal(f.severity, 'violation')
  assert.equal(f.destination.host, 'api.events-sdk.invalid')
  assert.equal(f.destination.provenance, 'default')
  assert.equal(f.destination.source, 'option serverUrl')
  assert.equal(f.details?.path, 'node_modules/events-sdk/client.js:6 → node_modules/events-sdk/client.js:11 → node_modules/events-sdk/transport.js:12 → http.request')
  assert.equal(f.package, 'events-sdk@1.0.0')
  assert.equal(f.reachability, 'reachable')
  assert.deepEqual(tsAsync.report.findings.filter((x) => x.rule === 'net-sink').length, 1)
})

test("a convict entry whose default is local is configuration: review, naming the env variable", () => {
  const f = at(configLibs.report, 'net-sink', 'lib/send.js:4')
  assert.equal(f.severity, 'review')
  assert.equal(f.destination.provenance, 'dynamic')
  assert.equal(f.destination.source, 'env CONFIG_LIBS_RELAY')
})

test("a script started with fork(path.join(eval('__dirname'), 'child')) is loaded like an import", () => {
  const f = at(configLibs.report, 'net-sink', 'lib/child.js:2')
  assert.equal(f.severity, 'violation')
  assert.equal(f.destination.provenance, 'hard-coded-external')
  assert.equal(f.details.importChain, 'package.json main/exports/bin (index.js) → index.js → lib/spawn.js → lib/child.js')
})

// Library dists whose modules are functions in a bundler's module table (webpack, rspack), linked by the
// require-like function of its runtime: recognised by what the runtime does, not by its names.
const bundled = await scanJson(['scan', fixture('static/whole-program/bundled-runtime'), '--no-cache'])

test("a subclass defined in a bundler's module table, whose superclass comes through the table from another package, dispatches the default host's flush to its fetch", () => {
  const f = at(bundled.report, 'net-sink', 'node_modules/core-lib/index.js:4')
  assert.equal(f.api, 'fetch')
  assert.equal(f.severity, 'violation')
  assert.equal(f.destination.host, 'ingest.bundled-runtime.invalid')
  assert.equal(f.destination.url, 'https://ingest.bundled-runtime.invalid/batch/')
  assert.equal(f.destination.provenance, 'default')
  assert.equal(f.destination.source, 'option host')
  assert.equal(f.details?.path, 'node_modules/core-lib/index.js:4 → node_modules/core-lib/index.js:8 → dist/entrypoints/index.node.js:25 → fetch')
  assert.equal(f.reachability, 'reachable')
})

test("a network module a webpack 4 dist looks up by number in its module array is a sink (the configured options are for review)", () => {
  const f = at(bundled.report, 'net-sink', 'lib/legacy.js:17')
  assert.equal(f.api, 'https.request')
  assert.equal(f.severity, 'review')
  assert.equal(f.destination.provenance, 'dynamic')
  assert.equal(f.destination.source, 'parameter options.url')
})

test('the fetch of the bundled subclass is not reported a second time where it is written', () => {
  assert.deepEqual(bundled.report.findings.filter((f) => f.rule === 'net-sink' && f.location.file === 'dist/entrypoints/index.node.js').map((f) => f.location.line), [])
})

// Values through loops, higher-order wrappers and client configurations (each its own small package).
const loops = await scanJson(['scan', fixture('static/whole-program/loops'), '--no-cache'])
const wrappers = await scanJson(['scan', fixture('static/whole-program/wrappers'), '--no-cache'])
const concat = await scanJson(['scan', fixture('static/whole-program/constant-concat'), '--no-cache'])
const clientConfig = await scanJson(['scan', fixture('static/whole-program/client-config'), '--no-cache'])

const FLOWS = [
  {
    name: 'URLs of a table indexed at run time, spread into a list and fetched in a .map() callback in another module, are reported at the worst of them',
    report: loops, at: 'lib/constants.js:3', api: 'fetch', host: 'ip.loops.invalid', url: 'https://ip.loops.invalid/', provenance: 'hard-coded-external',
    path: 'lib/constants.js:3 → index.js:3 → lib/query.js:4 → fetch',
  },
  {
    name: 'a list of URLs another module loops over with for…of is reported at the list',
    report: loops, at: 'lib/constants.js:6', api: 'fetch', host: 'mirror-a.loops.invalid', url: 'https://mirror-a.loops.invalid/status', provenance: 'hard-coded-external',
    path: 'lib/constants.js:6 → index.js:4 → lib/query.js:8 → fetch',
  },
  {
    name: 'a table of vendor URLs read with a computed key folds to one of them',
    report: loops, at: 'index.js:6', api: 'fetch', host: 'us.loops.invalid', url: 'https://us.loops.invalid/v1', provenance: 'hard-coded-external',
  },
  {
    name: 'fetch wrapped by higher-order functions of another package (withHttpError(withTimeout(fetch))) is followed to the URL the caller passes',
    report: wrappers, at: 'index.js:7', api: 'fetch', host: 'captive.wrappers.invalid', url: 'https://captive.wrappers.invalid/hotspot.html', provenance: 'hard-coded-external',
    path: 'index.js:7 → index.js:8 → index.js:4 → node_modules/fetch-wrap/index.js:7 → index.js:3 → node_modules/fetch-wrap/index.js:3 → fetch',
  },
  {
    name: "a constant of another module copied to a field and joined with a query string is the URL of a buffered flush's axios.request",
    report: concat, at: 'lib/constants.js:2', api: 'axios.request', host: 'logs.concat.invalid', url: 'https://logs.concat.invalid/ingest?…', provenance: 'hard-coded-external',
    path: 'lib/constants.js:2 → lib/logger.js:18 → axios.request',
  },
  {
    name: "a client's default baseUrl, merged by another package's helper in a request builder, decides where a relative URL given through an injected client goes",
    report: clientConfig, at: 'lib/client.js:3', api: 'axios', host: 'api.mailer.invalid', url: 'https://api.mailer.invalid/', provenance: 'hard-coded-external',
    path: 'lib/client.js:3 → lib/service.js:13 → lib/client.js:17 → axios',
  },
]

for (const c of FLOWS) {
  test(c.name, () => {
    const f = at(c.report.report, 'net-sink', c.at)
    assert.equal(f.api, c.api)
    assert.equal(f.severity, 'violation')
    assert.equal(f.destination.host, c.host)
    assert.equal(f.destination.url, c.url)
    assert.equal(f.destination.provenance, c.provenance)
    assert.equal(f.destination.source, c.source)
    assert.equal(f.details?.path, c.path)
    assert.equal(f.reachability, 'reachable')
  })
}

test('the sinks inside the loop, the wrappers, the logger and the client are not reported a second time', () => {
  assert.deepEqual(loops.report.findings.filter((f) => f.rule === 'net-sink' && f.location.file === 'lib/query.js').map((f) => f.location.line), [])
  assert.deepEqual(wrappers.report.findings.filter((f) => f.rule === 'net-sink' && f.location.file !== 'index.js').map((f) => f.location.file), [])
  assert.deepEqual(concat.report.findings.filter((f) => f.rule === 'net-sink' && f.location.file === 'lib/logger.js').map((f) => f.location.line), [])
  assert.deepEqual(clientConfig.report.findings.filter((f) => f.rule === 'net-sink' && f.location.file !== 'lib/client.js').map((f) => f.location.file), [])
})
