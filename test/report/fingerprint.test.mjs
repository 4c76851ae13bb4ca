// Fingerprints ignore what formatters and minifiers change, and keep what tells capabilities apart.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { importDist } from '../helpers/index.mjs'

const nph = await importDist('internal.js')
const fp = (code, over = {}) => nph.fingerprintOf({ rule: 'net-sink', package: 'x@1.0.0', api: 'https.request', code, ...over })

test('reformatting does not change a fingerprint (quotes, line breaks, semicolons, trailing commas)', () => {
  const a = "https.request('https://usage.vendor.test/v1/ping', { method: 'POST' });"
  const b = 'https.request(\n  "https://usage.vendor.test/v1/ping",\n  { method: "POST", },\n)'
  assert.equal(nph.normaliseCode(a), nph.normaliseCode(b))
  assert.equal(fp(a), fp(b))
})

test('a // inside a string is not taken for a comment', () => {
  assert.notEqual(nph.normaliseCode("get('https://a.test/one')"), nph.normaliseCode("get('https://a.test/two')"))
  assert.equal(nph.normaliseCode('get(u) // trailing note'), nph.normaliseCode('get(u)'))
  assert.equal(nph.normaliseCode('get(/* inline */ u)'), nph.normaliseCode('get(u)'))
})

test('minifier renames of locals do not change a fingerprint; property names do', () => {
  assert.equal(fp('httpsModule.request(options)'), fp('t.request(e)'))
  assert.notEqual(fp('t.request(e)'), fp('t.get(e)'))
})

test('a version bump of the package does not change a fingerprint; another package does', () => {
  assert.equal(fp('t.request(e)'), fp('t.request(e)', { package: 'x@2.0.0' }))
  assert.notEqual(fp('t.request(e)'), fp('t.request(e)', { package: 'y@1.0.0' }))
})

test('another destination or rule changes the fingerprint', () => {
  const d = (url) => ({ url, provenance: 'hard-coded-external' })
  assert.notEqual(fp('f(u)', { destination: d('https://a.test/') }), fp('f(u)', { destination: d('https://b.test/') }))
  assert.notEqual(fp('f(u)'), fp('f(u)', { rule: 'opaque-code' }))
})

test('fingerprints are 16 lowercase hex digits, as the policy schema expects', () => {
  assert.match(fp('anything'), /^[0-9a-f]{16}$/)
})
