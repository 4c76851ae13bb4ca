// Destination patterns: exact host, *.suffix, IP, CIDR (v4 and v6); endpoints derived from URLs.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { importDist } from '../helpers/index.mjs'

const nph = await importDist('internal.js')

const cases = [
  ['updates.example.test', 'updates.example.test', true],
  ['updates.example.test', 'UPDATES.example.test.', true],
  ['updates.example.test', 'evil-updates.example.test', false],
  ['updates.example.test', 'updates.example.test.evil.test', false],
  ['*.corp.test', 'git.corp.test', true],
  ['*.corp.test', 'a.b.corp.test', true],
  ['*.corp.test', 'corp.test', false],
  ['*.corp.test', 'evilcorp.test', false],
  ['192.0.2.10', '192.0.2.10', true],
  ['192.0.2.10', '192.0.2.11', false],
  ['10.0.0.0/8', '10.200.3.4', true],
  ['10.0.0.0/8', '11.0.0.1', false],
  ['10.0.0.0/8', 'ten.example.test', false],
  ['2001:db8::/32', '2001:db8:1::5', true],
  ['2001:db8::/32', '[2001:db8::1]', true],
  ['2001:db8::/32', '2001:db9::1', false],
  ['2001:db8::1', '2001:0db8:0:0:0:0:0:1', true],
  ['::1', '127.0.0.1', false],
]
for (const [pattern, host, expected] of cases) {
  test(`pattern ${pattern} ${expected ? 'matches' : 'does not match'} ${host}`, () => {
    const m = nph.compileHostPattern(pattern)
    assert.equal(typeof m, 'object', String(m))
    assert.equal(m.matches(host), expected)
  })
}

test('an endpoint comes from the host/port fields or else from the URL with the default port of its scheme', () => {
  assert.deepEqual(nph.destinationEndpoint({ url: 'https://A.test/x', provenance: 'hard-coded-external' }), { host: 'a.test', port: 443 })
  assert.deepEqual(nph.destinationEndpoint({ url: 'http://a.test:8080/', provenance: 'hard-coded-external' }), { host: 'a.test', port: 8080 })
  assert.deepEqual(nph.destinationEndpoint({ url: 'ws://[2001:db8::1]/', provenance: 'hard-coded-external' }), { host: '2001:db8::1', port: 80 })
  assert.deepEqual(nph.destinationEndpoint({ host: 'b.test', port: 25, provenance: 'hard-coded-external' }), { host: 'b.test', port: 25 })
  assert.deepEqual(nph.destinationEndpoint({ url: '/relative/path', provenance: 'unknown' }), { host: undefined, port: undefined })
  assert.deepEqual(nph.destinationEndpoint({ provenance: 'dynamic', source: 'env X' }), { host: undefined, port: undefined })
})

test('package patterns match by name across versions, by exact version, or by wildcard', () => {
  const byName = nph.compilePackagePattern('left-pad')
  assert.equal(byName('left-pad@1.3.0'), true)
  assert.equal(byName('left-pad-extra@1.0.0'), false)
  const exact = nph.compilePackagePattern('left-pad@1.3.0')
  assert.equal(exact('left-pad@1.3.0'), true)
  assert.equal(exact('left-pad@1.3.1'), false)
  const scoped = nph.compilePackagePattern('@sentry/*')
  assert.equal(scoped('@sentry/node@8.0.0'), true)
  assert.equal(scoped('@sentry-internal/x@1.0.0'), false)
  assert.equal(nph.compilePackagePattern('(first-party)')('(first-party)'), true)
})

test('file globs keep * inside a segment and let ** cross segments', () => {
  assert.equal(nph.compileFileGlob('**/*.wasm')('dist/codecs/a.wasm'), true)
  assert.equal(nph.compileFileGlob('**/*.wasm')('a.wasm'), true)
  assert.equal(nph.compileFileGlob('dist/*.wasm')('dist/codecs/a.wasm'), false)
  assert.equal(nph.compileFileGlob('dist/*.node')('dist\\x.node'), true)
})
