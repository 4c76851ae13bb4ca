// telemetry-endpoint and its url-inventory: which strings are known phone-home destinations, and which are only listed.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { importDist } from '../../helpers/index.mjs'

const { analyseSource, urlsIn, INVENTORY_CAP_PER_FILE } = await importDist('internal.js')

/** Findings of the given rules as [rule, severity, line, column, signature]. */
function run(code, rules = ['telemetry-endpoint', 'url-inventory'], kind = 'module') {
  const r = analyseSource(code, kind)
  assert.equal(r.parseError, undefined)
  const lines = code.split('\n')
  const pos = (o) => { let l = 0, s = 0; while (l < lines.length && s + lines[l].length + 1 <= o) s += lines[l++].length + 1; return [l + 1, o - s] }
  return r.findings.filter((f) => rules.includes(f.rule)).map((f) => [f.rule, f.severity, ...pos(f.start), f.details?.signature])
    .sort((a, b) => a[2] - b[2] || a[3] - b[3])
}

const MUST_REPORT = [
  // A string no sink is seen using is for review ("string only"): a table of attribute names, a docs constant.
  ['a Sentry ingest URL constant that reaches no sink, for review', "export const U = 'https://o1.ingest.sentry.io/api/5/store/'", [['telemetry-endpoint', 'review', 1, 17, 'sentry']]],
  ['a DSN on a host we do not know, by its shape (a key binds the code to an account: a violation even unused)', "const DSN = 'https://abc123@o1.ingest.sentry.invalid/42'", [['telemetry-endpoint', 'violation', 1, 12, 'sentry']]],
  ['a DSN on a host we do not know, by its shape, given to fetch', "fetch('https://abc123@o1.ingest.sentry.invalid/42')", [['telemetry-endpoint', 'violation', 1, 6, 'sentry']]],
  ['an endpoint inside a template literal that fetch sends to', 'fetch(`https://api.segment.io/v1/${kind}`)', [['telemetry-endpoint', 'violation', 1, 6, 'segment']]],
  ['an endpoint inside a template literal in a constant only, for review', 'const u = `https://api.segment.io/v1/${kind}`', [['telemetry-endpoint', 'review', 1, 10, 'segment']]],
  ['a script URL embedded in an HTML string written to the page', "el.innerHTML = '<script src=\"https://www.googletagmanager.com/gtag/js?id=G-X1\"></script>'", [['telemetry-endpoint', 'violation', 1, 15, 'google-tag-manager']]],
  ['a protocol-relative CDN URL set as a script source', "s.src = '//cdn.jsdelivr.net/npm/x@1/x.js'", [['telemetry-endpoint', 'violation', 1, 8, 'jsdelivr']]],
  ['a protocol-relative CDN URL given to a function nobody can see into, for review', "load('//cdn.jsdelivr.net/npm/x@1/x.js')", [['telemetry-endpoint', 'review', 1, 5, 'jsdelivr']]],
  ['a public resolver IP handed to dns.setServers', "import dns from 'node:dns'\ndns.setServers(['8.8.8.8', '1.1.1.1'])", [['telemetry-endpoint', 'violation', 2, 16, 'google-public-dns'], ['telemetry-endpoint', 'violation', 2, 27, 'cloudflare-dns']]],
  ['an NTP pool host in an options object', "import net from 'node:net'\nnet.connect({ host: 'time.google.com', port: 123 })", [['telemetry-endpoint', 'violation', 2, 20, 'vendor-ntp']]],
  ['a STUN server in RTCPeerConnection', "new RTCPeerConnection({ iceServers: [{ urls: 'stun:stun.l.google.com:19302' }] })", [['telemetry-endpoint', 'violation', 1, 45, 'google-stun']]],
  ['a bare host constant given to a client package', "import got from 'got'\nconst H = 'api.ipify.org'\ngot(H)", [['telemetry-endpoint', 'violation', 3, 4, 'ipify']]],
]

const MUST_NOT_REPORT = [
  ['a docs link in an error message', "throw new Error('see https://docs.sentry.io/platforms/node/ for setup')"],
  ['an XML namespace', "const NS = 'http://www.w3.org/2000/svg'"],
  ['a licence URL', "const L = 'https://www.apache.org/licenses/LICENSE-2.0'"],
  ['a look-alike host', "const U = 'https://ingest.sentry.io.attacker.test/x'"],
  ['a host-like string outside a network call', "const k = 'pool.ntp.org'\nconsole.log(k)"],
  ['a loopback URL', "fetch('http://localhost:8126/v0.4/traces')"],
]

for (const [name, code, expected] of MUST_REPORT) {
  test(`reports ${name}`, () => {
    assert.deepEqual(run(code, ['telemetry-endpoint']), expected)
  })
}

for (const [name, code] of MUST_NOT_REPORT) {
  test(`does not report ${name} as a violation`, () => {
    assert.deepEqual(run(code, ['telemetry-endpoint']), [])
  })
}

test('lists docs links, licence URLs and XML namespaces as info-level url-inventory, one per host per file', () => {
  const code = [
    "throw new Error('see https://docs.example.test/a')",
    "const NS = 'http://www.w3.org/2000/svg'",
    "const again = 'https://docs.example.test/b'",
  ].join('\n')
  assert.deepEqual(run(code, ['url-inventory']), [
    ['url-inventory', 'info', 1, 16, undefined],
    ['url-inventory', 'info', 2, 11, undefined],
  ])
})

test('marks a signature hit that no sink is seen using as "string only"', () => {
  const [hit] = analyseSource("export const TABLE = { example: 'https://vitals.vercel-insights.com/v1' }", 'module').findings.filter((f) => f.rule === 'telemetry-endpoint')
  assert.equal(hit.severity, 'review')
  assert.equal(hit.details.reach, 'string only')
  assert.match(hit.message, /string only/)
})

test('reports one violation per signature and host per file, counting repeats', () => {
  const r = analyseSource("fetch('https://api.segment.io/v1/t')\nfetch('https://api.segment.io/v1/p')\nfetch('https://api.segment.io/v1/i')", 'module')
  const hits = r.findings.filter((f) => f.rule === 'telemetry-endpoint')
  assert.equal(hits.length, 1)
  assert.match(hits[0].message, /3 occurrences/)
  assert.deepEqual(hits[0].details, { signature: 'segment', category: 'product-analytics', vendor: 'Segment (Twilio)' })
})

test(`caps the inventory at ${INVENTORY_CAP_PER_FILE} hosts per file and says how many more there were`, () => {
  const lines = []
  for (let i = 0; i < INVENTORY_CAP_PER_FILE + 7; i++) lines.push(`const u${i} = 'https://h${i}.example.test/'`)
  const inv = analyseSource(lines.join('\n'), 'module').findings.filter((f) => f.rule === 'url-inventory')
  assert.equal(inv.length, INVENTORY_CAP_PER_FILE + 1)
  assert.match(inv.at(-1).message, /^7 more URL string/)
})

test('finds every URL embedded in a string, and only real ones', () => {
  assert.deepEqual(urlsIn('https://a.test/x'), ['https://a.test/x'])
  assert.deepEqual(urlsIn('load https://a.test/x, then //b.test/y.'), ['https://a.test/x', '//b.test/y'])
  assert.deepEqual(urlsIn('a//b and c://'), [])
})
