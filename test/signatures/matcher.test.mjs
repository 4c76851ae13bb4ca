// The precompiled matcher: suffix map for hosts, path prefixes, IP literals, STUN URLs and key shapes.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { importDist } from '../helpers/index.mjs'

const { signatureMatcher, SignatureMatcher } = await importDist('internal.js')
const m = signatureMatcher()
const idOf = (url) => m.matchUrl(url)?.signature.id

test('matches ingest hosts exactly and through *.suffix wildcards at any depth', () => {
  assert.equal(idOf('https://o4505.ingest.sentry.io/api/1/envelope/'), 'sentry')
  assert.equal(idOf('https://o4505.ingest.us.sentry.io/api/1/envelope/'), 'sentry')
  assert.equal(idOf('https://api.segment.io/v1/batch'), 'segment')
  assert.equal(idOf('https://eu.i.posthog.com/e/'), 'posthog')
  assert.equal(idOf('https://x.y.eu.i.posthog.com/e/'), 'posthog')
  assert.equal(idOf('HTTPS://FONTS.GOOGLEAPIS.COM./css2'), 'google-fonts')
})

test('does not match docs, marketing or look-alike hosts', () => {
  for (const url of ['https://docs.sentry.io/platforms/node/', 'https://sentry.io/welcome/', 'https://posthog.com/docs', 'https://segment.com/docs/',
    'https://ingest.sentry.io.attacker.test/', 'https://notsentry.io/', 'https://api.github.com/users/octocat', 'https://www.google.com/search?q=x']) {
    assert.equal(idOf(url), undefined, url)
  }
})

test('a wildcard does not match its own apex', () => {
  assert.equal(idOf('https://ingest.sentry.io/'), undefined)
})

test('path-prefixed patterns need their path, and win over the bare host', () => {
  assert.equal(idOf('https://api.github.com/repos/acme/tool/releases/latest'), 'github-releases-api')
  assert.equal(idOf('https://www.google.com/recaptcha/api.js'), 'recaptcha')
  assert.equal(idOf('https://1.1.1.1/cdn-cgi/trace'), 'cloudflare-trace')
  assert.equal(idOf('https://1.1.1.1/dns-query'), 'cloudflare-dns')
})

test('matches resolver IPs in any IPv6 spelling, bare hosts and stun: URLs', () => {
  assert.equal(m.matchHost('8.8.8.8')?.signature.id, 'google-public-dns')
  assert.equal(idOf('http://[2001:4860:4860:0:0:0:0:8888]/'), 'google-public-dns')
  assert.equal(m.matchHost('2606:4700:4700::1111')?.signature.id, 'cloudflare-dns')
  assert.equal(m.matchHost('3.pool.ntp.org')?.signature.id, 'ntp-pool')
  assert.equal(idOf('stun:stun.l.google.com:19302'), 'google-stun')
  assert.equal(idOf('turn:turn.cloudflare.com:3478?transport=udp'), 'public-stun')
})

test('recognises key and DSN shapes, and shortens what it reports', () => {
  const dsn = m.matchKey('https://0123456789abcdef0123456789abcdef@o1.ingest.sentry.io/42')
  assert.equal(dsn.signature.id, 'sentry')
  assert.ok(!dsn.key.includes('0123456789abcdef0123456789abcdef'))
  assert.equal(m.matchKey('https://abc123@sentry.internal.test/7')?.signature.id, 'sentry')
  assert.equal(m.matchKey('phc_' + 'a'.repeat(40))?.signature.id, 'posthog')
  assert.equal(m.matchKey('https://www.googletagmanager.com/gtag/js?id=G-AB12CD34EF')?.signature.id, 'google-tag-manager')
  assert.equal(m.matchKey('UA-1234567-1')?.signature.id, 'google-analytics')
  assert.equal(m.matchKey('InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=x')?.signature.id, 'azure-application-insights')
  assert.equal(m.matchKey('https://user@example.test/path/42'), undefined)
  assert.equal(m.matchKey('G-force'), undefined)
})

test('finds SDK packages through subpath specifiers and knows how they start', () => {
  assert.equal(m.packageSignature('@sentry/node/preload')?.pkg, '@sentry/node')
  assert.equal(m.initFor('@sentry/node', 'call', ['init'])?.signature.id, 'sentry')
  assert.equal(m.initFor('posthog-node', 'new', ['PostHog'])?.signature.id, 'posthog')
  assert.equal(m.initFor('@sentry/node', 'call', ['captureException']), undefined)
  assert.equal(m.initByImport('newrelic')?.signature.id, 'new-relic')
  assert.equal(m.initByImport('dd-trace/init')?.signature.id, 'datadog')
  assert.equal(m.initByImport('dd-trace'), undefined)
  assert.equal(m.globalInit(['gtag'])?.id, 'google-analytics')
  assert.equal(m.globalInit(['gtag2']), undefined)
})

test('matching 20 000 URL strings and keys stays far below a millisecond each', () => {
  const urls = []
  for (let i = 0; i < 20_000; i++) urls.push(`https://host${i}.example${i % 50}.test/path/${i}?q=${i}`)
  urls.push('https://api.segment.io/v1/t')
  const t = performance.now()
  let hits = 0
  for (const u of urls) { if (m.matchUrl(u)) hits++; if (m.matchKey(u)) hits++ }
  const ms = performance.now() - t
  assert.equal(hits, 1)
  // ~50 ms on an idle laptop; the bound leaves room for a loaded 2-core CI runner.
  assert.ok(ms < 2000, `${ms.toFixed(0)} ms`)
})

test('a custom database compiles into its own matcher', () => {
  const custom = new SignatureMatcher([{ id: 'made-up', category: 'product-analytics', vendor: 'Made Up', hosts: ['*.collect.vendor.test', 'api.vendor.test/v2/'], docs: 'https://vendor.test/' }])
  assert.equal(custom.matchUrl('https://eu.collect.vendor.test/e')?.signature.id, 'made-up')
  assert.equal(custom.matchUrl('https://api.vendor.test/v2/x')?.signature.id, 'made-up')
  assert.equal(custom.matchUrl('https://api.vendor.test/v1/x'), undefined)
})
