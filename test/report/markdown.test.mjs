// Markdown summary: fits a PR comment, leads with the verdict, and lets no markup through from the artifact.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { importDist } from '../helpers/index.mjs'
import { sampleReport, sampleFindings } from './sample.mjs'

const nph = await importDist('internal.js')
const md = nph.renderers.markdown(sampleReport(), { color: false })

test('leads with the verdict and the counts', () => {
  const [head, , counts] = md.split('\n')
  assert.equal(head, '## nophonehome: FAIL')
  assert.match(counts, /^\*\*2\*\* violation\(s\) · \*\*2\*\* to review · 1 info · 12 files \(40\.0 KiB\) scanned · 1 not analysed · fails on \*\*violation\*\*$/)
})

test('lists violations in a table and the rest in collapsible sections', () => {
  assert.match(md, /### Violations \(2\)\n\n\| Severity \| Rule \| Package \| Destination \| Location \|/)
  assert.match(md, /<summary>To review \(2\)<\/summary>/)
  assert.match(md, /<summary>Not counted \(allowed 0, waived 1, baselined 0\)<\/summary>/)
  assert.match(md, /### Not analysed \(1\)/)
  assert.match(md, /### Expired waivers\n\n- `\/waivers\/0` expired on 2020-01-01/)
  assert.match(md, /### Notices/)
  assert.ok(!md.includes('<summary>Info'), 'info hidden unless asked')
  assert.match(nph.renderers.markdown(sampleReport(), { color: false, showInfo: true }), /<summary>Info \(1\)<\/summary>/)
})

test('no HTML, link or extra table cell can come from a finding', () => {
  assert.ok(!md.includes('<script>'))
  assert.ok(!md.includes('<img'))
  assert.ok(!/\]\(https?:/.test(md), 'no Markdown link')
  for (const line of md.split('\n').filter((l) => l.startsWith('| '))) {
    const cells = line.replace(/\\\|/g, '').split('|').length - 2
    assert.ok(cells === 5 || cells === 6, `row has ${cells} cells: ${line}`)
  }
})

test('stays under the comment budget with thousands of findings and says how many were left out', () => {
  const many = []
  for (let i = 0; i < 5000; i++) {
    const f = { ...sampleFindings()[0], fingerprint: i.toString(16).padStart(16, '0'), location: { file: `dist/chunk-${i}.js`, line: i + 1, column: 0 } }
    many.push(f)
  }
  const report = nph.finalise({ target: ['dist'], findings: many, notAnalysed: [], filesScanned: 5000, bytesScanned: 1, failOn: 'violation' })
  const text = nph.renderers.markdown(report, { color: false })
  assert.ok(text.length < 65_536, `${text.length} chars`)
  assert.match(text, /… and 4950 more; see the full report/)
})

test('code spans survive backticks in untrusted text', () => {
  const f = { ...sampleFindings()[0], package: 'a`b``c@1.0.0' }
  const report = nph.finalise({ target: ['dist'], findings: [f], notAnalysed: [], filesScanned: 1, bytesScanned: 1, failOn: 'violation' })
  assert.ok(nph.renderers.markdown(report, { color: false }).includes('```a`b``c@1.0.0```'))
})
