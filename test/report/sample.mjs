// A report with every feature renderers must handle, including hostile text from an untrusted artifact.
import { importDist } from '../helpers/index.mjs'

const nph = await importDist('internal.js')

export const HOSTILE = `<script>alert(1)</script><img src=x onerror=alert(2)> "quoted" 'single' & | pipe \`tick\` ** [link](https://evil.test) %0A::error::x\r\nline2 \u0000nul`

export function sampleFindings() {
  const mk = (over) => {
    const f = { lens: 'static', package: '(first-party)', ...over }
    f.fingerprint = nph.fingerprintOf({ rule: f.rule, package: f.package, api: f.api, destination: f.destination, code: f.message + (f.location?.file ?? '') })
    return f
  }
  return [
    mk({
      rule: 'net-sink', severity: 'violation', message: 'https.request → https://usage.vendor.test/v1/ping (hard-coded-external)', api: 'https.request',
      location: { file: 'dist/index.js', line: 6, column: 14, snippet: "https.request('https://usage.vendor.test/v1/ping')", original: { file: '../src/usage.ts', line: 12, column: 2 } },
      destination: { url: 'https://usage.vendor.test/v1/ping', host: 'usage.vendor.test', provenance: 'hard-coded-external' },
    }),
    mk({
      rule: 'net-sink', severity: 'review', message: 'fetch → (dynamic: env API_URL)', api: 'fetch',
      location: { file: 'dist/index.js', line: 20, column: 2, snippet: 'fetch(process.env.API_URL)' },
      destination: { provenance: 'dynamic', source: 'env API_URL' },
    }),
    mk({
      rule: 'opaque-code', severity: 'review', message: HOSTILE, api: 'eval', package: 'evil@1.0.0', chain: 'app>evil',
      location: { file: 'node_modules/evil/a b#c%.js', line: 3, column: 0, snippet: HOSTILE },
    }),
    mk({
      rule: 'telemetry-endpoint', severity: 'violation', message: 'Sentry SDK', package: '@sentry/node@8.1.0',
      location: { file: 'node_modules/@sentry/node/index.js', line: 1, column: 0 },
      destination: { url: 'https://o1.ingest.sentry.test/api', host: 'o1.ingest.sentry.test', provenance: 'hard-coded-external' },
      status: 'waived', statusReason: 'waived (/waivers/0): empty DSN by default',
    }),
    mk({
      rule: 'net-sink', severity: 'info', message: 'fetch → http://127.0.0.1:9000/health (hard-coded-local)', api: 'fetch', package: 'crashy@2.4.0',
      location: { file: 'node_modules/crashy/index.js', line: 1, column: 120 },
      destination: { url: 'http://127.0.0.1:9000/health', host: '127.0.0.1', port: 9000, provenance: 'hard-coded-local' },
    }),
    mk({
      rule: 'runtime-egress', severity: 'violation', lens: 'runtime', message: 'connect 203.0.113.5:443 (syscall)', package: '(first-party)',
      destination: { host: '203.0.113.5', port: 443, provenance: 'hard-coded-external' },
      evidence: { layers: ['syscall'], pid: 42, command: 'node server.js', attribution: 'none' },
    }),
  ]
}

/** A finalised report: sorted, verdict, policy block with an expired waiver and a notice. */
export function sampleReport(extra = {}) {
  return nph.finalise({
    target: ['dist'],
    findings: sampleFindings(),
    notAnalysed: [{ file: 'dist/codec.wasm', reason: 'WebAssembly is not analysed' }],
    filesScanned: 12,
    bytesScanned: 40960,
    failOn: 'violation',
    policy: { file: 'nophonehome.policy.json', policy: { version: 1, waivers: [{ rule: 'net-sink', package: 'crashy', reason: 'old', expires: '2020-01-01' }] } },
    now: new Date('2026-01-01T00:00:00Z'),
    notices: ['ignored dist/nophonehome.policy.json: it is inside the scanned artifact'],
    run: { startedAt: '2026-01-01T00:00:00.000Z', durationMs: 12 },
    ...extra,
  })
}

/**
 * sampleFindings plus what the destination views must handle: one host seen by all three lenses, a vendor default
 * with its knob, a host only the signature database can name, an info-only external URL, same-origin and local calls.
 */
export function destinationFindings() {
  const mk = (over) => {
    const f = { lens: 'static', package: '(first-party)', ...over }
    f.fingerprint = nph.fingerprintOf({ rule: f.rule, package: f.package, api: f.api, destination: f.destination, code: f.message + f.lens })
    return f
  }
  return [
    ...sampleFindings(),
    mk({
      rule: 'browser-egress', severity: 'violation', lens: 'browser', message: 'page / made the browser contact usage.vendor.test (a script)', api: 'script',
      destination: { url: 'https://usage.vendor.test/tag.js', host: 'usage.vendor.test', port: 443, provenance: 'hard-coded-external' },
      evidence: { layers: ['browser'], count: 2, attribution: '/:17:62 (parser)' },
    }),
    mk({
      rule: 'runtime-egress', severity: 'violation', lens: 'runtime', message: 'tried to reach usage.vendor.test:443 over TLS (https.request)', api: 'https.request',
      location: { file: 'dist/index.js', line: 6, column: 14 },
      destination: { host: 'usage.vendor.test', port: 443, provenance: 'unknown' },
      evidence: { layers: ['dns', 'guard', 'syscall'], pid: 7, command: 'node dist/index.js', count: 3, attribution: 'dist/index.js:6', stack: ['ping (dist/index.js:6:14)'] },
    }),
    mk({
      rule: 'net-sink', severity: 'violation', message: 'fetch → https://metrics.acme.test/v2 (default; overridden by env ACME_METRICS_URL)', api: 'fetch',
      location: { file: 'dist/metrics.js', line: 3, column: 2, snippet: "fetch(process.env.ACME_METRICS_URL ?? 'https://metrics.acme.test/v2')" },
      destination: { url: 'https://metrics.acme.test/v2', host: 'metrics.acme.test', provenance: 'default', source: 'env ACME_METRICS_URL' },
    }),
    mk({
      rule: 'browser-egress', severity: 'violation', lens: 'browser', message: 'page /admin made the browser contact www.google-analytics.com (a fetch request)', api: 'fetch',
      destination: { url: 'https://www.google-analytics.com/g/collect?v=2', host: 'www.google-analytics.com', port: 443, provenance: 'hard-coded-external' },
      evidence: { layers: ['browser'], count: 1 },
    }),
    mk({
      rule: 'url-inventory', severity: 'info', message: 'URL https://docs.vendor.test/errors matches no signature',
      location: { file: 'dist/index.js', line: 40, column: 8 },
      destination: { url: 'https://docs.vendor.test/errors', host: 'docs.vendor.test', provenance: 'hard-coded-external' },
    }),
    mk({
      rule: 'url-inventory', severity: 'info', message: 'URL https://usage.vendor.test matches no signature',
      location: { file: 'dist/index.js', line: 2, column: 8 },
      destination: { url: 'https://usage.vendor.test', host: 'usage.vendor.test', provenance: 'hard-coded-external' },
    }),
    mk({
      rule: 'net-sink', severity: 'info', message: 'fetch → /api/health (relative to the page)', api: 'fetch',
      location: { file: 'dist/public/app.js', line: 9, column: 4 },
      destination: { url: '/api/health', provenance: 'hard-coded-local', source: 'relative URL (same origin)' },
    }),
  ]
}

/** A finalised report over destinationFindings(). */
export function destinationReport(extra = {}) {
  return sampleReport({ findings: destinationFindings(), ...extra })
}
