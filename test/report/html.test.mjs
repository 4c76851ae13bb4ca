// The HTML report: verdict and destinations first, findings by destination, keyboard filters, clean print, and no request ever.
import { test, after, before } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, rmSync, writeFileSync, chmodSync } from 'node:fs'
import { spawnSync } from 'node:child_process'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { importDist, runCli } from '../helpers/index.mjs'
import { sampleReport, sampleFindings, destinationReport } from './sample.mjs'

const nph = await importDist('internal.js')
const report = destinationReport()
const html = nph.renderers.html(report, { color: false })
const work = mkdtempSync(join(tmpdir(), 'nph-html-'))
after(() => rmSync(work, { recursive: true, force: true }))
const file = join(work, 'report.html')
writeFileSync(file, html)

// What the page must show, worked out here from the findings themselves (not from the renderer's grouping).
const hostOf = (f) => f.destination?.host?.toLowerCase()
const external = ['203.0.113.5', 'metrics.acme.test', 'usage.vendor.test', 'www.google-analytics.com', 'docs.vendor.test', 'o1.ingest.sentry.test']
const fingerprintsOf = (host) => report.findings.filter((f) => hostOf(f) === host).map((f) => f.fingerprint).sort()

test('the file references nothing outside itself and pins its inline code with a CSP', () => {
  // Artifact text is escaped, so every '<' left opens one of our own tags: check those.
  const tags = html.match(/<[a-zA-Z!/][^>]*>/g)
  const names = new Set(tags.map((t) => /^<\/?([a-zA-Z!]+)/.exec(t)[1].toLowerCase()))
  for (const bad of ['link', 'img', 'iframe', 'object', 'embed', 'base', 'audio', 'video', 'source', 'form']) assert.ok(!names.has(bad), bad)
  for (const t of tags) assert.doesNotMatch(t.replace(/"[^"]*"/g, '""'), /\s(?:src|action|srcset|poster|style|on\w+)=/i, t)
  // Links only move within the page.
  const hrefs = [...html.matchAll(/<a [^>]*href="([^"]*)"/g)].map((m) => m[1])
  assert.ok(hrefs.length > 10)
  for (const h of hrefs) assert.match(h, /^#[A-Za-z][\w-]*$/, h)
  assert.doesNotMatch(html.slice(html.indexOf('<style>'), html.indexOf('</style>')), /url\(|@import/i)
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)[1].replace(/&#39;/g, "'")
  assert.match(csp, /default-src 'none'/)
  assert.match(csp, /script-src 'sha256-[A-Za-z0-9+/=]+'/)
  assert.match(csp, /style-src 'sha256-[A-Za-z0-9+/=]+'/)
  assert.doesNotMatch(csp, /unsafe-inline|https?:|\*/)
  assert.equal((html.match(/<script>/g) ?? []).length, 1)
})

test('hostile text from the artifact is escaped everywhere', () => {
  assert.ok(!html.includes('<script>alert(1)'))
  assert.ok(!html.includes('<img src=x'))
  assert.ok(html.includes('&#60;script&#62;alert(1)&#60;/script&#62;'))
})

test('rendering is deterministic', () => {
  assert.equal(nph.renderers.html(destinationReport(), { color: false }), html)
})

test('the opening says the verdict in words and counts the external destinations that decide it', () => {
  const lead = /<p class="lead" id="verdict-text">([^<]*)<\/p>/.exec(html)[1]
  // 203.0.113.5, metrics.acme.test, usage.vendor.test, www.google-analytics.com; the waived Sentry host does not count.
  assert.match(lead, /^This build can send data to 4 external destinations the customer did not configure \(\d+ findings at or above violation\)\.$/)
  const pass = nph.renderers.html(nph.finalise({ target: ['dist'], findings: [], notAnalysed: [], filesScanned: 1, bytesScanned: 1, failOn: 'violation' }), { color: false })
  assert.match(pass, /id="verdict">PASS<\/span>[\s\S]*Nothing found that sends data/)
  assert.match(pass, /No external destination found\./)
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
const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing: install Debian's chromium package to run this test`

let browser
before(async () => {
  if (skip) return
  const { chromium } = await import('playwright-core')
  // Belt and braces: the browser itself also runs in a network namespace with no route out when possible.
  let executablePath = CHROMIUM
  if (spawnSync('unshare', ['-rn', 'true']).status === 0) {
    executablePath = join(work, 'chromium-offline.sh')
    writeFileSync(executablePath, `#!/bin/sh\nexec unshare -rn ${CHROMIUM} "$@"\n`)
    chmodSync(executablePath, 0o755)
  }
  browser = await chromium.launch({ executablePath, args: ARGS })
})
after(async () => { await browser?.close() })

/** Opens a file with every request recorded by interception; only the file itself may load. */
async function open(path) {
  const page = await browser.newPage()
  const requests = []
  const problems = []
  await page.route('**/*', (route) => {
    const url = route.request().url()
    requests.push(url)
    return url === pathToFileURL(path).href ? route.continue() : route.abort()
  })
  page.on('console', (m) => { if (/Content Security Policy|Refused/i.test(m.text())) problems.push(m.text()) })
  page.on('pageerror', (e) => problems.push(e.message))
  page.on('dialog', (d) => { problems.push(`dialog ${d.message()}`); d.dismiss() })
  await page.goto(pathToFileURL(path).href)
  return { page, requests, problems }
}

const visibleRows = (page) => page.$$eval('tr.finding', (trs) => trs.filter((t) => t.offsetParent !== null).map((t) => ({
  sev: t.getAttribute('data-sev'), lens: t.getAttribute('data-lens'), fp: t.getAttribute('data-fp'), group: t.parentElement.getAttribute('data-key'),
})))

test('in Chromium: verdict, then destinations, then findings grouped by destination with violations first; nothing requested', { skip }, async () => {
  const { page, requests, problems } = await open(file)
  try {
    // Order on the page: verdict, destinations overview, findings.
    const tops = await page.$$eval('#verdict, #destinations, #findings-table', (els) => els.map((e) => [e.id, e.getBoundingClientRect().top]))
    assert.deepEqual(tops.map(([id]) => id), ['verdict', 'destinations', 'findings-table'])
    assert.ok(tops[0][1] < tops[1][1] && tops[1][1] < tops[2][1])

    // The overview: every external destination once, worst (counting) first; info-only ones hidden until asked for.
    const overview = await page.$$eval('#destinations tbody tr', (trs) => trs.map((t) => ({
      host: t.cells[0].textContent, vendor: t.cells[1].textContent, sev: t.cells[2].textContent, lenses: t.cells[3].textContent,
      findings: t.cells[4].textContent, how: t.cells[5].textContent, href: t.querySelector('a').getAttribute('href'), shown: t.offsetParent !== null,
    })))
    assert.deepEqual(overview.map((r) => r.host).sort(), [...external].sort())
    assert.deepEqual(overview.filter((r) => r.shown).map((r) => r.host),
      ['203.0.113.5', 'metrics.acme.test', 'usage.vendor.test', 'www.google-analytics.com', 'o1.ingest.sentry.test'])
    const usage = overview.find((r) => r.host === 'usage.vendor.test')
    assert.equal(usage.sev, 'violation')
    assert.equal(usage.lenses, 'staticruntimebrowser')
    assert.match(usage.findings, new RegExp(`^${fingerprintsOf('usage.vendor.test').length} findings`))
    assert.equal(overview.find((r) => r.host === 'metrics.acme.test').how, 'default — override with env ACME_METRICS_URL')
    assert.equal(overview.find((r) => r.host === 'www.google-analytics.com').vendor, 'Google Analyticsproduct-analytics')
    assert.equal(overview.find((r) => r.host === 'o1.ingest.sentry.test').sev, 'waived')

    // Each overview link leads to the group holding exactly that destination's findings, from every lens.
    for (const r of overview) {
      const fps = await page.$$eval(`tbody${r.href} tr.finding`, (trs) => trs.map((t) => t.getAttribute('data-fp')))
      assert.deepEqual(fps.sort(), fingerprintsOf(r.host), r.host)
    }

    // Findings: groups in the overview's order, violations first, worst first inside each group; info hidden.
    const rank = { violation: 3, review: 2, info: 1 }
    const rows = await visibleRows(page)
    assert.ok(rows.length > 0)
    assert.ok(rows.every((r) => r.sev !== 'info'), 'info findings start hidden')
    const counted = report.findings.filter((f) => f.status !== 'waived')
    const firstReview = rows.findIndex((r) => r.sev === 'review')
    assert.ok(rows.slice(0, firstReview).every((r) => r.sev === 'violation'))
    assert.equal(rows.slice(0, firstReview).length, counted.filter((f) => f.severity === 'violation').length)
    const groupOrder = [...new Set(rows.map((r) => r.group))]
    assert.deepEqual(groupOrder.slice(0, 4), ['external:203.0.113.5', 'external:metrics.acme.test', 'external:usage.vendor.test', 'external:www.google-analytics.com'])
    for (const g of groupOrder) {
      const sevs = rows.filter((r) => r.group === g).map((r) => rank[r.sev])
      assert.deepEqual(sevs, [...sevs].sort((a, b) => b - a), g)
    }
    assert.equal(await page.locator('#shown').textContent(), `${rows.length} of ${report.findings.length} findings shown`)

    // A rule links to its explanation in the page.
    const ruleHref = await page.getAttribute('tr.finding a[href^="#rule-"]', 'href')
    assert.equal(await page.locator(ruleHref).count(), 1)

    // The inline stylesheet applied (its CSP hash matched), nothing in the data ran, and nothing was requested.
    assert.equal(await page.$eval('#verdict', (el) => getComputedStyle(el).backgroundColor), 'rgb(198, 40, 40)')
    assert.deepEqual(problems, [])
    assert.deepEqual(requests, [pathToFileURL(file).href])
  } finally {
    await page.close()
  }
})

test('in Chromium: the filters work from the keyboard alone', { skip }, async () => {
  const { page, requests, problems } = await open(file)
  try {
    const total = report.findings.length
    const infos = report.findings.filter((f) => f.severity === 'info').length
    // '/' jumps to the search box; typing filters; Escape clears.
    await page.keyboard.press('/')
    assert.equal(await page.evaluate(() => document.activeElement.id), 'q')
    await page.keyboard.type('sentry')
    let rows = await visibleRows(page)
    assert.deepEqual(rows.map((r) => r.group), ['external:o1.ingest.sentry.test'])
    assert.equal(await page.locator('#shown').textContent(), `1 of ${total} findings shown`)
    assert.equal(await page.locator('tbody.group:not([hidden])').count(), 1)
    await page.keyboard.press('Escape')
    assert.equal(await page.inputValue('#q'), '')
    assert.equal((await visibleRows(page)).length, total - infos)

    // Tab to the info box and tick it with the space bar: info findings, local groups and info-only destinations appear.
    // Tab forwards (Shift+Tab backwards) through the controls, as a keyboard user does.
    const focusOn = async (selector) => {
      for (let i = 0; i < 30; i++) {
        const where = await page.evaluate((s) => {
          const el = document.querySelector(s)
          if (document.activeElement === el) return 'here'
          return document.activeElement.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_PRECEDING ? 'back' : 'ahead'
        }, selector)
        if (where === 'here') return
        await page.keyboard.press(where === 'back' ? 'Shift+Tab' : 'Tab')
      }
      assert.fail(`Tab never reached ${selector}`)
    }
    await focusOn('input[data-kind="sev"][value="info"]')
    await page.keyboard.press('Space')
    rows = await visibleRows(page)
    assert.equal(rows.length, total)
    assert.ok(rows.some((r) => r.group === 'local:127.0.0.1'))
    assert.ok(await page.isVisible('#destinations tr[data-key="external:docs.vendor.test"]'))

    // Untick 'violation' and 'runtime' the same way.
    await focusOn('input[data-kind="sev"][value="violation"]')
    await page.keyboard.press('Space')
    rows = await visibleRows(page)
    assert.equal(rows.length, report.findings.filter((f) => f.severity !== 'violation').length)
    await focusOn('input[data-kind="sev"][value="violation"]')
    await page.keyboard.press('Space')
    await focusOn('input[data-kind="lens"][value="runtime"]')
    await page.keyboard.press('Space')
    rows = await visibleRows(page)
    assert.equal(rows.length, report.findings.filter((f) => f.lens !== 'runtime').length)
    assert.ok(rows.every((r) => r.lens !== 'runtime'))
    await page.keyboard.press('Space')

    // The status list, by arrow keys: only the waived finding, then only what counts.
    await focusOn('#st')
    await page.keyboard.press('ArrowDown') // counting
    rows = await visibleRows(page)
    assert.equal(rows.length, report.findings.filter((f) => f.status !== 'waived').length)
    await page.keyboard.press('ArrowDown') // allowed
    await page.keyboard.press('ArrowDown') // waived
    rows = await visibleRows(page)
    assert.deepEqual(rows.map((r) => r.group), ['external:o1.ingest.sentry.test'])

    // With nothing to show, the page says so.
    await page.keyboard.press('/')
    await page.keyboard.type('no such thing anywhere')
    assert.equal((await visibleRows(page)).length, 0)
    assert.ok(await page.isVisible('#none-shown'))
    assert.deepEqual(problems, [])
    assert.deepEqual(requests, [pathToFileURL(file).href])
  } finally {
    await page.close()
  }
})

test('in Chromium: a link to a group the filters hide shows it', { skip }, async () => {
  const { page } = await open(file)
  try {
    const href = await page.getAttribute('#other-groups a:has-text("127.0.0.1 (local)")', 'href')
    assert.equal(await page.isVisible(`tbody${href}`), false)
    await page.click(`#other-groups a[href="${href}"]`)
    assert.equal(await page.isVisible(`tbody${href}`), true)
  } finally {
    await page.close()
  }
})

test('in Chromium: the printed page drops the controls, states its filters and opens the evidence', { skip }, async () => {
  const { page, requests } = await open(file)
  try {
    assert.equal(await page.isVisible('.controls'), true)
    assert.equal(await page.isVisible('#print-filters'), false)
    assert.equal(await page.$$eval('details[open]', (d) => d.length), 0)
    await page.emulateMedia({ media: 'print' })
    assert.equal(await page.isVisible('.controls'), false)
    assert.match(await page.textContent('#print-filters'), /^Printed with \d+ of \d+ findings shown; not shown: info\.$/)
    await page.waitForFunction(() => document.querySelectorAll('details:not([open])').length === 0)
    assert.equal(await page.$eval('body', (b) => getComputedStyle(b).backgroundColor), 'rgb(255, 255, 255)')
    assert.equal(await page.$eval('thead', (t) => getComputedStyle(t).display), 'table-header-group')
    assert.equal(await page.$eval('tr.finding', (t) => getComputedStyle(t).breakInside), 'avoid')
    await page.emulateMedia({ media: 'screen' })
    await page.waitForFunction(() => document.querySelectorAll('details[open]').length === 0)
    // Printing to PDF goes through the same path and loads nothing either.
    const pdf = await page.pdf({ format: 'A4' })
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-')
    assert.deepEqual(requests, [pathToFileURL(file).href])
  } finally {
    await page.close()
  }
})

test('in Chromium: the CSP is what stops a request that escaping let through', { skip }, async () => {
  // A negative control: the same report with a tag slipped in. Interception would record its request if the page
  // made one; the CSP refuses it before it is made.
  const leaky = join(work, 'leaky.html')
  writeFileSync(leaky, html.replace('<main>', '<main><img src="https://leak.invalid/pixel.png"><link rel="stylesheet" href="https://leak.invalid/x.css">'))
  const { page, requests, problems } = await open(leaky)
  try {
    await page.waitForTimeout(200)
    assert.deepEqual(requests, [pathToFileURL(leaky).href])
    assert.ok(problems.some((p) => /leak\.invalid/.test(p) && /Content Security Policy/i.test(p)), problems.join('\n'))
  } finally {
    await page.close()
  }
})

test('the sample report with no browser or runtime lens still renders one group per destination', () => {
  const plain = nph.renderers.html(sampleReport(), { color: false })
  const groups = [...plain.matchAll(/<tbody class="group" id="(dest-\d+)" data-key="([^"]+)"/g)].map((m) => m[2])
  assert.deepEqual(groups, ['external:203.0.113.5', 'external:usage.vendor.test', 'configured', 'none', 'local:127.0.0.1', 'external:o1.ingest.sentry.test'])
  assert.ok(plain.includes('data-kind="lens" value="runtime"'), 'static and runtime findings: a lens filter')
  // With one lens there is nothing to filter by lens.
  const staticOnly = sampleReport({ findings: sampleFindings().filter((f) => f.lens === 'static') })
  assert.ok(!nph.renderers.html(staticOnly, { color: false }).includes('data-kind="lens"'))
})
