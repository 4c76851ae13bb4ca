// The HTML report: one self-contained file that renders, sorts and filters in headless Chromium and requests nothing.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, rmSync, writeFileSync, chmodSync } from 'node:fs'
import { spawnSync } from 'node:child_process'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { importDist, runCli } from '../helpers/index.mjs'
import { sampleReport } from './sample.mjs'

const nph = await importDist('internal.js')
const report = sampleReport()
const html = nph.renderers.html(report, { color: false })
const work = mkdtempSync(join(tmpdir(), 'nph-html-'))
after(() => rmSync(work, { recursive: true, force: true }))
const file = join(work, 'report.html')
writeFileSync(file, html)

test('the file references nothing outside itself and pins its inline code with a CSP', () => {
  // Artifact text is escaped, so every '<' left opens one of our own tags: check those.
  const tags = html.match(/<[a-zA-Z!/][^>]*>/g)
  const names = new Set(tags.map((t) => /^<\/?([a-zA-Z!]+)/.exec(t)[1].toLowerCase()))
  for (const bad of ['link', 'img', 'iframe', 'object', 'embed', 'base', 'audio', 'video', 'source', 'form']) assert.ok(!names.has(bad), bad)
  for (const t of tags) assert.doesNotMatch(t.replace(/"[^"]*"/g, '""'), /\s(?:src|href|action|srcset|poster|style|on\w+)=/i, t)
  assert.doesNotMatch(html.slice(html.indexOf('<style>'), html.indexOf('</style>')), /url\(|@import/i)
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)[1].replace(/&#39;/g, "'")
  assert.match(csp, /default-src 'none'/)
  assert.match(csp, /script-src 'sha256-[A-Za-z0-9+/=]+'/)
  assert.doesNotMatch(csp, /unsafe-inline/)
  assert.equal((html.match(/<script>/g) ?? []).length, 1)
})

test('hostile text from the artifact is escaped everywhere', () => {
  assert.ok(!html.includes('<script>alert(1)'))
  assert.ok(!html.includes('<img src=x'))
  assert.ok(html.includes('&#60;script&#62;alert(1)&#60;/script&#62;'))
})

test('rendering is deterministic', () => {
  assert.equal(nph.renderers.html(sampleReport(), { color: false }), html)
})

test('our own scan of the HTML report, and of its inline script as JavaScript, finds no network capability', async () => {
  const script = /<script>([\s\S]*?)<\/script>/.exec(html)[1]
  const scriptFile = join(work, 'report-script.js')
  writeFileSync(scriptFile, script)
  for (const target of [file, scriptFile]) {
    const r = await runCli(['scan', target, '--no-cache', '--format', 'json'])
    const scanned = JSON.parse(r.stdout)
    const counting = scanned.findings.filter((f) => f.severity !== 'info')
    assert.deepEqual(counting, [], JSON.stringify(counting, null, 2))
    assert.deepEqual(scanned.notAnalysed, [])
  }
})

const CHROMIUM = '/usr/bin/chromium'
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run']

test('in headless Chromium the findings table renders, sorts and filters, and no request leaves the page', {
  skip: existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing: install Debian's chromium package to run this test`,
}, async () => {
  const { chromium } = await import('playwright-core')
  // Belt and braces: the browser itself also runs in a network namespace with no route out when possible.
  let executablePath = CHROMIUM
  if (spawnSync('unshare', ['-rn', 'true']).status === 0) {
    executablePath = join(work, 'chromium-offline.sh')
    writeFileSync(executablePath, `#!/bin/sh\nexec unshare -rn ${CHROMIUM} "$@"\n`)
    chmodSync(executablePath, 0o755)
  }
  const browser = await chromium.launch({ executablePath, args: ARGS })
  try {
    const page = await browser.newPage()
    const requests = []
    const dialogs = []
    const cspErrors = []
    page.on('request', (r) => requests.push(r.url()))
    page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss() })
    page.on('console', (m) => { if (/Content Security Policy|Refused/i.test(m.text())) cspErrors.push(m.text()) })
    const url = pathToFileURL(file).href
    await page.goto(url)

    const rows = page.locator('#findings tbody tr')
    assert.equal(await rows.count(), report.findings.length)
    assert.equal(await page.locator('#shown').textContent(), `${report.findings.length} of ${report.findings.length} shown`)
    assert.equal(await page.locator('#inventory tbody tr').count(), new Set(report.findings.map((f) => f.package)).size)

    // Sort by severity: first click ascending (info first), second descending (violations first).
    const sevOrder = () => page.$$eval('#findings tbody tr', (trs) => trs.map((t) => t.getAttribute('data-sev')))
    await page.click('th button[data-col="0"]')
    assert.equal((await sevOrder())[0], 'info')
    await page.click('th button[data-col="0"]')
    const desc = await sevOrder()
    assert.deepEqual(desc, [...desc].sort((a, b) => ['violation', 'review', 'info'].indexOf(a) - ['violation', 'review', 'info'].indexOf(b)))
    assert.equal(await page.getAttribute('th:has(button[data-col="0"])', 'aria-sort'), 'descending')

    // Sort by package (column 2), ascending.
    await page.click('th button[data-col="2"]')
    const pkgs = await page.$$eval('#findings tbody tr', (trs) => trs.map((t) => t.cells[2].getAttribute('data-v')))
    assert.deepEqual(pkgs, [...pkgs].sort())

    // Filter by text, then by severity, then by status.
    const visible = () => page.$$eval('#findings tbody tr', (trs) => trs.filter((t) => !t.hidden).length)
    await page.fill('#q', 'sentry')
    assert.equal(await visible(), 1)
    assert.equal(await page.locator('#shown').textContent(), `1 of ${report.findings.length} shown`)
    await page.fill('#q', '')
    await page.selectOption('#sev', 'review')
    assert.equal(await visible(), report.findings.filter((f) => f.severity === 'review').length)
    await page.selectOption('#sev', '')
    await page.selectOption('#st', 'waived')
    assert.equal(await visible(), 1)
    await page.selectOption('#st', 'counting')
    assert.equal(await visible(), report.findings.filter((f) => !f.status || f.status === 'new').length)

    // The inline stylesheet applied (its CSP hash matched), and nothing in the data ran.
    const bg = await page.$eval('#verdict', (el) => getComputedStyle(el).backgroundColor)
    assert.equal(bg, 'rgb(198, 40, 40)')
    assert.deepEqual(dialogs, [])
    assert.deepEqual(cspErrors, [])
    assert.equal(await page.locator('img').count(), 0)
    assert.deepEqual(requests, [url])
  } finally {
    await browser.close()
  }
})
