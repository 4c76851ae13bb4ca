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

test('the destinations table comes first, right after the verdict, one row per external destination', async () => {
  const { destinationReport } = await import('./sample.mjs')
  const text = nph.renderers.markdown(destinationReport(), { color: false })
  const headings = [...text.matchAll(/^### (.+)$/gm)].map((m) => m[1])
  assert.equal(headings[0], 'Destinations (6 external)')
  const table = text.slice(text.indexOf('### Destinations'), text.indexOf('### Violations'))
  const rows = table.split('\n').filter((l) => l.startsWith('| `'))
  assert.deepEqual(rows.map((r) => /^\| `([^`]+)`/.exec(r)[1]),
    ['203.0.113.5', 'metrics.acme.test', 'usage.vendor.test', 'www.google-analytics.com', 'o1.ingest.sentry.test'])
  assert.equal(rows[2], '| `usage.vendor.test` |  | violation | static, runtime, browser | 4 | hard-coded |')
  assert.equal(rows[1], '| `metrics.acme.test` |  | violation | static | 1 | default — override with env ACME\\_METRICS\\_URL |')
  assert.equal(rows[3], '| `www.google-analytics.com` | Google Analytics \\(product-analytics\\) | violation | browser | 1 | seen at run time |')
  assert.match(rows[4], /\| waived \|/)
  assert.match(table, /1 more seen only at info level/)
  const all = nph.renderers.markdown(destinationReport(), { color: false, showInfo: true })
  assert.match(all, /\| `docs\.vendor\.test` \|  \| info \| static \| 1 \| hard-coded \|/)
})

test('a report with no external destination has no destinations table', () => {
  const r = nph.finalise({ target: ['dist'], findings: [], notAnalysed: [], filesScanned: 1, bytesScanned: 1, failOn: 'violation' })
  assert.ok(!nph.renderers.markdown(r, { color: false }).includes('### Destinations'))
})
