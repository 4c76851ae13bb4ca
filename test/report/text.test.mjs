// Text output of scan and run: after the findings, one line per external destination, grouped as verify groups them.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ROOT, importDist, runCli } from '../helpers/index.mjs'
import { destinationReport } from './sample.mjs'

const nph = await importDist('internal.js')

function destinationSection(text) {
  const lines = text.split('\n')
  const start = lines.findIndex((l) => l.startsWith('Destinations ('))
  assert.ok(start > 0, text)
  const end = lines.indexOf('', start)
  return { before: lines.slice(0, start), head: lines[start], lines: lines.slice(start + 1, end), after: lines.slice(end) }
}

test('after the findings, one line per external destination: severity, host, lenses, findings, vendor, how it is set', () => {
  const text = nph.renderers.text(destinationReport(), { color: false })
  const { before, head, lines, after: rest } = destinationSection(text)
  assert.ok(before.some((l) => /^ {2}violation net-sink/.test(l)), 'the findings come first')
  assert.ok(rest.some((l) => l.startsWith('verdict: FAIL')), 'the verdict comes after')
  assert.equal(head, 'Destinations (6 external; worst severity, lenses that saw it)')
  const row = (host) => lines.find((l) => l.includes(` ${host} `))
  assert.match(row('usage.vendor.test'), /^ {2}violation usage\.vendor\.test +static\+runtime\+browser +4 findings +hard-coded$/)
  assert.match(row('203.0.113.5'), /^ {2}violation 203\.0\.113\.5 +runtime +1 finding$/)
  assert.match(row('metrics.acme.test'), /default — override with env ACME_METRICS_URL$/)
  assert.match(row('www.google-analytics.com'), /browser +1 finding +Google Analytics \(product-analytics\)$/)
  assert.match(row('o1.ingest.sentry.test'), /^ {2}waived +o1\.ingest\.sentry\.test/)
  // Local destinations are not external ones; the info-only host waits for --show-info.
  assert.ok(!lines.some((l) => /127\.0\.0\.1|same origin|docs\.vendor\.test/.test(l)))
  assert.equal(lines.at(-1), '  … and 1 seen only at info level (--show-info)')
  const all = destinationSection(nph.renderers.text(destinationReport(), { color: false, showInfo: true }))
  assert.match(all.lines.find((l) => l.includes('docs.vendor.test')), /^ {2}info +docs\.vendor\.test +static +1 finding +hard-coded$/)
  assert.ok(!all.lines.some((l) => l.includes('seen only at info level')))
})

test('a finding with a vendor default says which knob overrides it', () => {
  const text = nph.renderers.text(destinationReport({ findings: destinationReport().findings.map((f) => ({ ...f, message: f.message.replace(/ →.*/, '') })) }), { color: false })
  assert.match(text, /→ https:\/\/metrics\.acme\.test\/v2 \(default — override with env ACME_METRICS_URL\)/)
})

test('with no external destination there is no destinations section', () => {
  const r = nph.finalise({ target: ['dist'], findings: [], notAnalysed: [], filesScanned: 1, bytesScanned: 1, failOn: 'violation' })
  assert.ok(!nph.renderers.text(r, { color: false }).includes('Destinations ('))
})

const work = mkdtempSync(join(tmpdir(), 'nph-text-'))
after(() => rmSync(work, { recursive: true, force: true }))

test('scan and verify name the same destinations for the leaky example (one grouping)', async () => {
  const { buildExample } = await import(join(ROOT, 'examples/build.mjs'))
  await buildExample('leaky-app', { outRoot: work })
  const tgz = join(work, 'leaky-app/release/leaky-app-1.4.2.tgz')
  const scan = await runCli(['scan', tgz, '--no-cache'])
  const verify = await runCli(['verify', tgz, '--no-cache'])
  assert.equal(scan.code, 1, scan.stderr)
  assert.equal(verify.code, 1, verify.stderr)
  const scanned = destinationSection(scan.stdout).lines.filter((l) => /^ {2}violation /.test(l)).map((l) => l.trim().split(/\s+/)[1])
  const why = verify.stdout.slice(verify.stdout.indexOf('\nWhy'))
  const verified = [...why.matchAll(/^ {2}(\S+)$/gm)].map((m) => m[1])
  assert.ok(scanned.length >= 10, scan.stdout)
  assert.deepEqual(verified, scanned)
})
