// The evasion suite: each way phone-home code hides its API or destination either resolves to the
// real API and destination, or is reported as opaque-code naming what could not be resolved.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { fixture, importDist } from '../helpers/index.mjs'

const { scan } = await importDist('index.js')
const cases = JSON.parse(readFileSync(fixture('static/evasion.expected.json'), 'utf8'))
const report = await scan({ targets: [fixture('static/evasion')], cache: false })

test('the suite covers at least 30 pattern families', () => {
  assert.ok(new Set(cases.map((c) => c.family)).size >= 30)
})

for (const c of cases) {
  test(`${c.family}: ${c.rule === 'opaque-code' ? 'reported as opaque-code' : `resolves to ${c.api} → ${c.host}`}`, () => {
    const inFile = report.findings.filter((f) => f.location.file === c.file)
    const hit = inFile.find((f) => f.rule === c.rule && f.location.line === c.line && (!c.api || f.api === c.api))
    assert.ok(hit, `expected ${c.rule} ${c.api ?? ''} at ${c.file}:${c.line}; got ${JSON.stringify(inFile.map((f) => [f.rule, f.location.line, f.api, f.message]))}`)
    assert.equal(hit.severity, c.severity)
    if (c.host) {
      assert.equal(hit.destination?.host, c.host)
      assert.equal(hit.destination?.provenance, 'hard-coded-external')
    }
    if (c.url) assert.equal(hit.destination?.url, c.url)
    // Decided in another module: the finding names the way the value went.
    if (c.path) assert.ok(hit.details?.path?.includes(c.path), `path ${hit.details?.path} lacks ${c.path}`)
    for (const line of c.absent ?? []) {
      // The helper's own sink is not reported a second time as "dynamic parameter".
      assert.equal(inFile.filter((f) => f.location.line === line && f.rule === c.rule).length, 0, `helper sink at line ${line} reported twice`)
    }
  })
}

test('no file in the suite is silent', () => {
  const files = new Set(cases.map((c) => c.file))
  for (const file of files) assert.ok(report.findings.some((f) => f.location.file === file), `${file} has no finding at all`)
})
