// JUnit XML: one test case per rule × package; failures only for what fails the verdict; hostile text escaped.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { importDist } from '../helpers/index.mjs'
import { sampleReport, HOSTILE } from './sample.mjs'

const nph = await importDist('internal.js')
const xml = nph.renderers.junit(sampleReport(), { color: false })

function testcases(text) {
  return [...text.matchAll(/<testcase classname="([^"]*)" name="([^"]*)">([\s\S]*?)<\/testcase>/g)].map((m) => ({ pkg: m[1], rule: m[2], body: m[3] }))
}

test('has one test case per rule × package plus one for not-analysed files', () => {
  const cases = testcases(xml)
  assert.deepEqual(cases.map((c) => `${c.pkg} ${c.rule}`), [
    '(first-party) net-sink', '(first-party) runtime-egress', '@sentry/node@8.1.0 telemetry-endpoint',
    'crashy@2.4.0 net-sink', 'evil@1.0.0 opaque-code', '(analysis) not-analysed',
  ])
  assert.match(xml, /<testsuites name="nophonehome" tests="6" failures="3" errors="0" skipped="1">/)
})

test('a case fails when it holds a counting finding at or above failOn; waived-only cases are skipped', () => {
  const byName = new Map(testcases(xml).map((c) => [`${c.pkg} ${c.rule}`, c.body]))
  assert.match(byName.get('(first-party) net-sink'), /<failure message="1 finding\(s\) at or above violation" type="violation">/)
  assert.match(byName.get('@sentry/node@8.1.0 telemetry-endpoint'), /<skipped message="all 1 finding\(s\) waived"\/>/)
  assert.doesNotMatch(byName.get('evil@1.0.0 opaque-code'), /<failure/)
  assert.doesNotMatch(byName.get('crashy@2.4.0 net-sink'), /<failure/)
  assert.match(byName.get('(analysis) not-analysed'), /<failure [^>]*type="incomplete">dist\/codec\.wasm: WebAssembly is not analysed/)
})

test('escapes markup and drops characters XML cannot carry', () => {
  assert.ok(!xml.includes('<script>'))
  assert.ok(!xml.includes('<img'))
  assert.ok(!xml.includes('\u0000'))
  assert.ok(xml.includes('&lt;script&gt;alert(1)&lt;/script&gt;'))
  // Every '<' left starts one of our own tags.
  const tags = [...xml.matchAll(/<\/?([a-zA-Z?-]+)/g)].map((m) => m[1])
  assert.deepEqual([...new Set(tags)].sort(), ['?xml', 'failure', 'properties', 'property', 'skipped', 'system-out', 'testcase', 'testsuite', 'testsuites'])
  assert.ok(HOSTILE.includes('\u0000'))
})
