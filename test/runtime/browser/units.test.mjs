// The browser check's pure parts: net-log reading, initiators, findings per destination, same-origin rules, CLI flags.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { importDist, runCli } from '../../helpers/index.mjs'

const { parseNetLog, toInitiator, toBrowserFindings, resolveSameOrigin, isThirdParty, parseBrowse, chromiumArgs, locateChromium } = await importDist('internal.js')

const ORIGIN = 'http://127.0.0.1:4000'
const netLogHead = '{"constants":{"logEventTypes":{"URL_REQUEST_START_JOB":7,"TCP_CONNECT":9}},\n"events": [\n'
const netLogEvents = [
  '{"type":7,"phase":1,"source":{"id":1,"type":1},"params":{"url":"https://update.example.invalid/service","method":"POST","initiator":"not an origin","request_type":"other"}},',
  '{"type":9,"phase":1,"source":{"id":2,"type":2},"params":{"address_list":["127.0.0.1:4000"]}},',
  '{"type":7,"phase":1,"source":{"id":3,"type":1},"params":{"url":"https://w.vendor.invalid/x","method":"GET","initiator":"http://127.0.0.1:4000","request_type":"other"}},',
]

test('reads URL requests from a complete net log', () => {
  const text = netLogHead + netLogEvents.join('\n').replace(/,$/, '') + '\n]}\n'
  const reqs = parseNetLog(text)
  assert.deepEqual(reqs.map((r) => [r.url, r.method, r.initiator]), [
    ['https://update.example.invalid/service', 'POST', 'not an origin'],
    ['https://w.vendor.invalid/x', 'GET', 'http://127.0.0.1:4000'],
  ])
})

test('reads URL requests from a net log the browser did not finish (torn last line)', () => {
  const text = netLogHead + netLogEvents.join('\n') + '\n{"type":7,"phase":1,"par'
  assert.equal(parseNetLog(text).length, 2)
  assert.deepEqual(parseNetLog('not json at all'), [])
})

test('turns DevTools initiators into 1-based lines, taking the first frame with a URL, async parents too', () => {
  assert.deepEqual(toInitiator({ type: 'parser', url: `${ORIGIN}/`, lineNumber: 9, columnNumber: 4 }), { type: 'parser', url: `${ORIGIN}/`, line: 10, column: 4 })
  assert.deepEqual(
    toInitiator({ type: 'script', stack: { callFrames: [], parent: { callFrames: [{ functionName: 'later', url: `${ORIGIN}/app.js`, lineNumber: 41, columnNumber: 2 }] } } }),
    { type: 'script', url: `${ORIGIN}/app.js`, line: 42, column: 2, function: 'later' },
  )
  assert.deepEqual(toInitiator({ type: 'other' }), { type: 'other' })
})

const req = (url, type, extra = {}) => ({ url, type, page: `${ORIGIN}/`, initiator: { type: 'parser', url: `${ORIGIN}/`, line: 3, column: 0 }, via: 'devtools', ...extra })

test('makes one finding per destination, naming the best resource type and the signature category', () => {
  const findings = toBrowserFindings([
    req('https://fonts.googleapis.com/css2?family=Inter', 'stylesheet'),
    req('https://fonts.googleapis.com/', 'preconnect'),
    req('https://a.vendor.invalid/collect', 'ping', { sent: '{"page":"/"}' }),
    req('https://a.vendor.invalid/tag.js', 'script', { initiator: { type: 'parser', url: `${ORIGIN}/`, line: 7, column: 1 } }),
  ], { origin: ORIGIN })
  assert.equal(findings.length, 2)
  const fonts = findings.find((f) => f.destination.host === 'fonts.googleapis.com')
  assert.equal(fonts.api, 'stylesheet')
  assert.equal(fonts.details.category, 'font-cdn')
  assert.equal(fonts.evidence.count, 2)
  const a = findings.find((f) => f.destination.host === 'a.vendor.invalid')
  assert.equal(a.api, 'script')
  assert.deepEqual([a.location.file, a.location.line], ['<app:/>', 7])
  assert.equal(a.evidence.sent, '{"page":"/"}')
  assert.equal(a.details.category, undefined)
  assert.equal(a.rule, 'browser-egress')
  assert.equal(a.lens, 'browser')
})

test('keeps the fingerprint of a destination when another page or resource type reaches it', () => {
  const [one] = toBrowserFindings([req('https://a.vendor.invalid/x.js', 'script')], { origin: ORIGIN })
  const [two] = toBrowserFindings([req('https://a.vendor.invalid/y.png', 'image', { page: `${ORIGIN}/other` })], { origin: ORIGIN })
  assert.equal(one.fingerprint, two.fingerprint)
})

test('reports a request only the CSP blocked as info, and skips destinations the policy allows', () => {
  const findings = toBrowserFindings([
    req('https://b.vendor.invalid/b.png', 'image', { blocked: 'csp' }),
    req('https://cdn.customer.test/app.css', 'stylesheet'),
  ], { origin: ORIGIN, allow: [{ host: 'cdn.customer.test' }] })
  assert.deepEqual(findings.map((f) => [f.destination.host, f.severity, f.details.blocked]), [['b.vendor.invalid', 'info', 'csp']])
})

test('treats the app origin and loopback as not third party; other schemes are not network requests', () => {
  assert.equal(isThirdParty(`${ORIGIN}/api`, ORIGIN), false)
  assert.equal(isThirdParty('http://localhost:9/x', ORIGIN), false)
  assert.equal(isThirdParty('http://[::1]:9/x', ORIGIN), false)
  assert.equal(isThirdParty('data:image/png;base64,AA==', ORIGIN), false)
  assert.equal(isThirdParty('http://127.0.0.1.nip.invalid/x', ORIGIN), true)
  assert.equal(isThirdParty('wss://s.vendor.invalid/', ORIGIN), true)
  assert.equal(resolveSameOrigin('/admin#top', ORIGIN), `${ORIGIN}/admin`)
  assert.equal(resolveSameOrigin('https://elsewhere.invalid/', ORIGIN), undefined)
})

test('switches off the browser phone-home and resolves nothing but the app inside Chromium', () => {
  const args = chromiumArgs('127.0.0.1')
  for (const flag of ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-default-apps', '--disable-domain-reliability', '--no-pings']) {
    assert.ok(args.includes(flag), flag)
  }
  assert.ok(args.includes('--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'))
  assert.match(args.find((a) => a.startsWith('--disable-features=')), /OptimizationHints.*MediaRouter.*Translate/)
})

test('parses --browse and --crawl, refusing what makes no sense', () => {
  assert.deepEqual(parseBrowse(['/', '/admin'], '3'), { paths: ['/', '/admin'], crawl: 3 })
  assert.equal(parseBrowse(undefined, undefined), undefined)
  assert.throws(() => parseBrowse(undefined, '3'), { code: 'USAGE' })
  assert.throws(() => parseBrowse(['admin'], undefined), { code: 'USAGE' })
  assert.throws(() => parseBrowse(['/'], '-1'), { code: 'USAGE' })
})

test('throws TOOL_MISSING with the install hint when the chosen Chromium does not exist', () => {
  assert.throws(() => locateChromium(undefined, { PATH: '/nonexistent', NOPHONEHOME_CHROMIUM: '/nonexistent/chromium' }), (err) => {
    assert.equal(err.code, 'TOOL_MISSING')
    assert.match(err.hint, /apt-get install chromium/)
    return true
  })
})

test('exits 2 with the install hint when Chromium is missing, before starting anything', async () => {
  const { code, stderr } = await runCli(['run', '--ready', '/x/', '--browse', '/', '--', 'sh', '-c', 'echo should-not-run; exit 0'], { env: { NOPHONEHOME_CHROMIUM: '/nonexistent/chromium' } })
  assert.equal(code, 2)
  assert.match(stderr, /Chromium/)
  assert.match(stderr, /apt-get install chromium/)
  assert.doesNotMatch(stderr, /should-not-run/)
})

test('exits 2 when --browse is given without --ready', async () => {
  const { code, stderr } = await runCli(['run', '--browse', '/', '--', 'true'])
  assert.equal(code, 2)
  assert.match(stderr, /--browse needs --ready/)
})

test('verify refuses --browse without --start (exit 2)', async () => {
  const { code, stderr } = await runCli(['verify', 'examples/selfhosted-app/dist', '--browse', '/'])
  assert.equal(code, 2)
  assert.match(stderr, /--browse needs --start/)
})
