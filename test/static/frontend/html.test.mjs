// HTML and CSS front-end analysis: every construct at its line, a clean admin page, and its leaky variant.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT, fixture, scanJson } from '../../helpers/index.mjs'

/** `expect RULE [signature]` markers per line of a fixture file. */
function expectations(file) {
  const out = []
  readFileSync(file, 'utf8').split('\n').forEach((text, i) => {
    const m = /expect ([a-z][a-z-]*)(?: ([a-z0-9][a-z0-9-]*))?/.exec(text)
    if (m) out.push({ line: i + 1, rule: m[1], signature: m[2], text: text.trim() })
  })
  return out
}

function checkMarkers(report, dir, name) {
  const marks = expectations(join(dir, name))
  assert.ok(marks.length > 0)
  const here = report.findings.filter((f) => f.location.file === name)
  for (const m of marks) {
    const at = here.filter((f) => f.location.line === m.line)
    if (m.rule === 'none') {
      assert.deepEqual(at.filter((f) => f.severity !== 'info').map((f) => f.message), [], `line ${m.line}: ${m.text}`)
      continue
    }
    const hit = at.find((f) => f.rule === m.rule)
    assert.ok(hit, `line ${m.line} should have ${m.rule}: ${m.text}\n got ${JSON.stringify(at.map((f) => f.rule))}`)
    if (m.signature) assert.equal(hit.details?.signature, m.signature, `line ${m.line}`)
  }
  // Nothing fails the build on a line without a marker.
  const marked = new Set(marks.map((m) => m.line))
  assert.deepEqual(here.filter((f) => f.severity !== 'info' && !marked.has(f.location.line)).map((f) => `${f.location.line} ${f.rule}`), [])
}

const constructsDir = fixture('frontend', 'constructs')
const constructs = await scanJson(['scan', constructsDir, '--no-cache'])

test('finds every HTML construct at its line: links, scripts, media, forms, refresh, ping, SVG, srcdoc, template, inline code and styles', () => {
  assert.deepEqual(constructs.report.notAnalysed, [])
  checkMarkers(constructs.report, constructsDir, 'page.html')
})

test('finds every CSS construct at its line: @import (string and url), @font-face src, url(), image-set', () => {
  checkMarkers(constructs.report, constructsDir, 'styles.css')
})

test('maps inline script findings to the line and column in the page', () => {
  const page = readFileSync(join(constructsDir, 'page.html'), 'utf8').split('\n')
  const f = constructs.report.findings.find((x) => x.rule === 'net-sink' && x.destination?.host === 'api.vendor.test' && x.location.file === 'page.html' && /v1\/ping/.test(x.destination.url))
  assert.equal(page[f.location.line - 1].indexOf("fetch('https://api.vendor.test/v1/ping'"), f.location.column)
})

test('reports the CSP meta tag as info, with the external sources and known services it allows', () => {
  const csp = constructs.report.findings.find((f) => f.rule === 'frontend-csp')
  assert.equal(csp.severity, 'info')
  assert.match(csp.details.externalSources, /script-src https:\/\/cdn\.vendor\.test/)
  assert.equal(csp.details.knownServices, 'Sentry')
})

test('a realistic admin page with only local assets has no violation and nothing to review', async () => {
  const { report, code } = await scanJson(['scan', fixture('frontend', 'admin-clean'), '--no-cache'])
  assert.equal(code, 0)
  assert.deepEqual(report.findings.filter((f) => f.severity !== 'info').map((f) => f.message), [])
  assert.equal(report.summary.filesScanned, 3)
})

test('the leaky admin page: fonts CDN, analytics snippet, avatar service and chat widget, each at its line', async () => {
  const dir = fixture('frontend', 'admin-leaky')
  const { report, code } = await scanJson(['scan', dir, '--no-cache'])
  assert.equal(code, 1)
  checkMarkers(report, dir, 'index.html')
  checkMarkers(report, dir, 'admin.css')
  const cats = new Set(report.findings.filter((f) => f.severity === 'violation').map((f) => f.details?.category))
  for (const c of ['font-cdn', 'product-analytics', 'avatar', 'chat-widget']) assert.ok(cats.has(c), c)
})

test("the leaky example app's admin page: Google Fonts and the Google tag are flagged by their signatures", async () => {
  const { report } = await scanJson(['scan', join(ROOT, 'examples/leaky-app/public/index.html'), '--no-cache'])
  const sigs = (host) => report.findings.filter((f) => f.severity === 'violation' && f.destination?.host === host).map((f) => f.details?.signature)
  assert.ok(sigs('fonts.googleapis.com').includes('google-fonts'))
  assert.ok(sigs('www.googletagmanager.com').includes('google-tag-manager'))
  for (const host of ['fonts.vendor-cdn.invalid', 'analytics.vendor.invalid', 'avatars.vendor.invalid', 'chat.vendor.invalid']) {
    assert.ok(report.findings.some((f) => f.severity === 'violation' && f.destination?.host === host), host)
  }
})
