// One self-contained HTML report: verdict, destinations overview, findings by destination; inline CSS/JS pinned by a CSP that forbids every request.
import { createHash } from 'node:crypto'
import { isAtLeast, type Finding, type Report, type Severity } from './finding.ts'
import type { Renderer } from './renderer.ts'
import { formatBytes } from './text.ts'
import {
  countsToward, describeProvenance, destinationText, groupByDestination, reaches, severityText, vendorText,
  type DestinationGroup,
} from './destinations.ts'
import { everyRule, resolveRules, ruleDocPath, ruleDocUrl, RULE_DOCS_BASE } from './rule-meta.ts'

const STYLE = `
:root{color-scheme:light dark;--bad:#c62828;--warn:#a35f00;--ok:#2e7d32;--dim:#6b6b6b;--line:#8885;--soft:#8881}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;padding:1rem 1.5rem 3rem;max-width:110rem}
h1{font-size:1.5rem;margin:.2rem 0 .4rem}h2{font-size:1.15rem;margin:2rem 0 .4rem}h3{font-size:1rem;margin:0}
a{color:inherit}a:focus-visible,input:focus-visible,select:focus-visible,summary:focus-visible{outline:2px solid Highlight;outline-offset:2px}
.verdict{display:inline-block;padding:.1rem .6rem;border-radius:.3rem;color:#fff;font-weight:700;vertical-align:.1rem}
.v-pass{background:var(--ok)}.v-fail{background:var(--bad)}.v-incomplete{background:var(--warn)}
.lead{font-size:1.1rem;margin:.3rem 0}
.meta,.hint,.st{color:var(--dim)}.st{font-size:.9em}.hint{margin:.2rem 0 .6rem;max-width:60rem}
.counts{display:flex;flex-wrap:wrap;gap:.3rem 1.2rem;padding:0;margin:.6rem 0;list-style:none}
table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid var(--line);padding:.35rem .45rem;text-align:left;vertical-align:top}
th{font-size:.85em;color:var(--dim);font-weight:600}
.sev{display:inline-block;min-width:5.2rem;padding:0 .35rem;border-radius:.25rem;font-weight:700;font-size:.85em;text-align:center;border:1px solid currentColor}
.s-violation{color:var(--bad)}.s-review{color:var(--warn)}.s-info{color:var(--dim)}.s-nc{color:var(--dim);font-weight:400;text-decoration:line-through}
.lens{display:inline-block;padding:0 .3rem;margin:0 .2rem .1rem 0;border-radius:.25rem;background:var(--soft);font-size:.85em}
#destinations td:first-child{font-weight:600}
.also{margin:.6rem 0}
code,pre{font:12px/1.4 ui-monospace,monospace;overflow-wrap:anywhere}
pre{white-space:pre-wrap;margin:.3rem 0;padding:.4rem;background:var(--soft);border-radius:.2rem}
.controls{display:flex;gap:.5rem 1.2rem;flex-wrap:wrap;align-items:center;margin:.6rem 0 1rem;padding:.5rem .7rem;border:1px solid var(--line);border-radius:.3rem;position:sticky;top:0;background:Canvas;z-index:1}
.controls fieldset{border:0;margin:0;padding:0;display:flex;gap:.6rem;align-items:center}
.controls legend{float:left;margin-right:.4rem;font-weight:600}
.controls input[type=search]{min-width:18rem}
kbd{font:11px ui-monospace,monospace;border:1px solid var(--line);border-radius:.2rem;padding:0 .25rem}
.group{scroll-margin-top:4.5rem}
.group-head th{padding:1.4rem .45rem .4rem;border-bottom:2px solid var(--line);color:inherit;font-size:1rem;font-weight:400}
.gtitle{font-weight:700;margin-right:.5rem}.gtitle code{font-size:1rem}
.findings>thead th:nth-child(1){width:7rem}.findings>thead th:nth-child(2){width:14rem}.findings>thead th:nth-child(4){width:28%}
.status{font-weight:600;margin-top:.2rem}
.msg{margin:0 0 .2rem}
dl.kv{display:grid;grid-template-columns:max-content 1fr;gap:.1rem .8rem;margin:.3rem 0}dl.kv dt{color:var(--dim)}dl.kv dd{margin:0;overflow-wrap:anywhere}
#rules dt{margin-top:.8rem;font-weight:600;scroll-margin-top:4.5rem}#rules dd{margin:.2rem 0 0 1rem;max-width:60rem}
[hidden]{display:none!important}
.print-only{display:none}
@media print{
  :root{color-scheme:light}
  body{max-width:none;padding:0;font-size:10pt;color:#000;background:#fff}
  .controls,.no-print{display:none!important}
  .print-only{display:block}
  .verdict,.sev,.lens{print-color-adjust:exact;-webkit-print-color-adjust:exact}
  a{text-decoration:none}
  h2,h3,.group-head{break-after:avoid}
  tr,dl.kv,pre{break-inside:avoid}
  thead{display:table-header-group}
  summary{list-style:none}summary::-webkit-details-marker{display:none}
}
`

// Filters and print support only: it reads what is already in the page and never loads anything.
const SCRIPT = `
(function () {
  var q = document.getElementById('q');
  if (!q) return;
  var st = document.getElementById('st');
  var boxes = Array.prototype.slice.call(document.querySelectorAll('.controls input[type=checkbox]'));
  var rows = Array.prototype.slice.call(document.querySelectorAll('tr.finding'));
  var groups = Array.prototype.slice.call(document.querySelectorAll('tbody.group'));
  var overview = Array.prototype.slice.call(document.querySelectorAll('#destinations tbody tr'));
  var shown = document.getElementById('shown'), none = document.getElementById('none-shown'), printed = document.getElementById('print-filters');
  function checked(kind) {
    var on = {};
    boxes.forEach(function (b) { if (b.getAttribute('data-kind') === kind) on[b.value] = b.checked; });
    return on;
  }
  function apply() {
    var text = q.value.trim().toLowerCase(), sev = checked('sev'), lens = checked('lens'), status = st.value, n = 0;
    rows.forEach(function (r) {
      var s = r.getAttribute('data-status');
      var ok = sev[r.getAttribute('data-sev')] !== false && lens[r.getAttribute('data-lens')] !== false &&
        (!status || (status === 'counting' ? r.getAttribute('data-counts') === '1' : s === status)) &&
        (!text || r.getAttribute('data-text').indexOf(text) !== -1);
      r.hidden = !ok;
      if (ok) n++;
    });
    groups.forEach(function (g) {
      var visible = g.querySelectorAll('tr.finding:not([hidden])').length, count = g.querySelector('.gcount');
      var total = Number(count.getAttribute('data-total'));
      g.hidden = visible === 0;
      count.textContent = visible === total ? total + (total === 1 ? ' finding' : ' findings') : visible + ' of ' + total + ' findings shown';
    });
    overview.forEach(function (r) { r.hidden = sev[r.getAttribute('data-sev')] === false && r.getAttribute('data-counts') === '1'; });
    shown.textContent = n + ' of ' + rows.length + ' findings shown';
    none.hidden = n > 0;
    var off = boxes.filter(function (b) { return !b.checked; }).map(function (b) { return b.value; });
    printed.textContent = 'Printed with ' + shown.textContent + (off.length ? '; not shown: ' + off.join(', ') : '') +
      (status ? '; status: ' + status : '') + (text ? '; search: ' + q.value.trim() : '') + '.';
  }
  [q, st].concat(boxes).forEach(function (el) { el.addEventListener('input', apply); el.addEventListener('change', apply); });
  // A link to a group the filters hide (say, a local one while info is off) clears the filters first.
  Array.prototype.forEach.call(document.querySelectorAll('a[href^="#dest-"]'), function (a) {
    a.addEventListener('click', function () {
      var target = document.getElementById(a.getAttribute('href').slice(1));
      if (!target || !target.hidden) return;
      q.value = ''; st.value = '';
      boxes.forEach(function (b) { b.checked = true; });
      apply();
    });
  });
  document.addEventListener('keydown', function (e) {
    // '/' is text only in a text field; from a checkbox, a list or a link it jumps to the search box.
    var t = e.target, typing = t && ((t.tagName === 'INPUT' && (t.type === 'search' || t.type === 'text')) || t.tagName === 'TEXTAREA');
    if (e.key === '/' && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) { e.preventDefault(); q.focus(); q.select(); }
    else if (e.key === 'Escape' && t === q) { q.value = ''; apply(); }
  });
  // Printed pages show the evidence that is folded away on screen; closed again afterwards.
  var opened = [];
  function beforePrint() {
    Array.prototype.forEach.call(document.querySelectorAll('details:not([open])'), function (d) { d.open = true; opened.push(d); });
  }
  function afterPrint() { opened.forEach(function (d) { d.open = false; }); opened = []; }
  window.addEventListener('beforeprint', beforePrint);
  window.addEventListener('afterprint', afterPrint);
  var media = window.matchMedia('print');
  media.addEventListener('change', function (m) { if (m.matches) beforePrint(); else afterPrint(); });
  apply();
})();
`

const SEVERITY_HELP: Record<Severity, string> = {
  violation: 'reaches a destination the customer did not configure (hard-coded, a vendor default, a known telemetry endpoint or SDK, or seen at run time)',
  review: 'a destination set by configuration, or code the analysis cannot see through',
  info: 'local destinations and URL strings that reach no sink',
}

export interface HtmlOptions {
  /** Absolute URL of the folder of rule pages (`<id>.md`); default: from package.json `repository` at build time. */
  docsBase?: string
}

/** An HTML renderer whose rule sections link to `docsBase` (tests; the default reads the build's value). */
export function createHtmlRenderer(htmlOptions: HtmlOptions = {}): Renderer {
  return (report) => renderHtml(report, htmlOptions.docsBase ?? RULE_DOCS_BASE)
}

export const toHtml: Renderer = createHtmlRenderer()

function renderHtml(report: Report, docsBase: string | undefined): string {
  // The report must not reach anywhere, even if escaping were ever wrong: the CSP forbids every fetch.
  const csp = [
    "default-src 'none'", `style-src 'sha256-${sha256Base64(STYLE)}'`, `script-src 'sha256-${sha256Base64(SCRIPT)}'`,
    "img-src 'none'", "font-src 'none'", "connect-src 'none'", "media-src 'none'", "object-src 'none'",
    "frame-src 'none'", "worker-src 'none'", "manifest-src 'none'", "form-action 'none'", "base-uri 'none'",
  ].join('; ')
  const groups = groupByDestination(report.findings)
  const anchor = new Map(groups.map((g, i) => [g.key, `dest-${i + 1}`]))
  const title = `${report.tool.name} report: ${report.target.join(', ')}`
  const parts: string[] = []
  parts.push('<!doctype html>')
  parts.push('<html lang="en"><head><meta charset="utf-8">')
  parts.push(`<meta http-equiv="Content-Security-Policy" content="${esc(csp)}">`)
  parts.push('<meta name="referrer" content="no-referrer">')
  parts.push('<meta name="viewport" content="width=device-width,initial-scale=1">')
  parts.push(`<title>${esc(title)}</title>`)
  parts.push(`<style>${STYLE}</style></head><body>`)
  parts.push(...header(report, groups))
  parts.push('<main>')
  parts.push(...overview(groups, anchor))
  parts.push(...findingsSection(report, groups, anchor))
  parts.push(...inventory(report.findings))
  parts.push(...trailer(report))
  parts.push(...rulesSection(report, docsBase))
  parts.push('</main>')
  parts.push(`<script>${SCRIPT}</script>`)
  parts.push('</body></html>')
  return parts.join('\n') + '\n'
}

function header(report: Report, groups: DestinationGroup[]): string[] {
  const s = report.summary
  const deciding = report.findings.filter((f) => countsToward(f) && isAtLeast(f.severity, report.failOn)).length
  const external = groups.filter((g) => g.kind === 'external' && reaches(g, report.failOn)).length
  const plural = (n: number, one: string, many = one + 's') => `${n} ${n === 1 ? one : many}`
  const lead = report.verdict === 'pass'
    ? 'Nothing found that sends data to a destination the customer did not configure.'
    : report.verdict === 'incomplete'
      ? 'Parts of this build could not be checked (see “Not analysed” and “Degraded”), so the claim is not proven.'
      : external
        ? `This build can send data to ${plural(external, 'external destination')} the customer did not configure (${plural(deciding, 'finding')} at or above ${report.failOn}).`
        : `${plural(deciding, 'finding')} at or above ${report.failOn}; see below.`
  return [
    `<header><h1>${esc(report.tool.name)} report <span class="verdict v-${esc(report.verdict)}" id="verdict">${esc(report.verdict.toUpperCase())}</span></h1>`,
    `<p class="lead" id="verdict-text">${esc(lead)}</p>`,
    `<p class="meta">Target: ${report.target.map((t) => `<code>${esc(t)}</code>`).join(', ') || '(none)'} · fails on <b>${esc(report.failOn)}</b> · ${esc(report.tool.name)} ${esc(report.tool.version)}` +
      (report.signatures ? ` · signatures ${esc(report.signatures.version)}` : '') + '</p>',
    `<ul class="counts" id="summary"><li class="s-violation"><b>${s.violation}</b> violation${s.violation === 1 ? '' : 's'}</li><li class="s-review"><b>${s.review}</b> to review</li>` +
      `<li><b>${s.info}</b> info</li><li>${s.filesScanned} files (${esc(formatBytes(s.bytesScanned))}) scanned</li>` +
      (s.filesNotAnalysed ? `<li class="s-review"><a href="#h-not-analysed">${s.filesNotAnalysed} not analysed</a></li>` : '<li>0 not analysed</li>') +
      (report.degraded?.length ? `<li class="s-review"><a href="#h-degraded">degraded: ${report.degraded.length}</a></li>` : '') + '</ul>',
    '</header>',
  ]
}

function overview(groups: DestinationGroup[], anchor: Map<string, string>): string[] {
  const external = groups.filter((g) => g.kind === 'external')
  const out = [
    '<section id="overview" aria-labelledby="h-destinations">',
    `<h2 id="h-destinations">Destinations (${external.length} external)</h2>`,
    '<p class="hint">Every host or address outside the customer’s network this build can contact, worst first. ' +
      '<b>Seen by</b>: <i>static</i> found it in the code, <i>runtime</i> saw the app try it in the sandbox, ' +
      '<i>browser</i> saw a page of the app make the browser contact it. Vendor and category come from the signature ' +
      'database (— : not in it, often the vendor’s own server). Follow a destination to its evidence.</p>',
  ]
  if (!external.length) out.push('<p id="no-destinations">No external destination found.</p>')
  else {
    out.push('<table id="destinations"><thead><tr><th scope="col">Destination</th><th scope="col">Vendor · category</th><th scope="col">Severity</th>' +
      '<th scope="col">Seen by</th><th scope="col">Findings</th><th scope="col">How it is set</th></tr></thead><tbody>')
    for (const g of external) {
      const id = anchor.get(g.key)!
      const how = g.provenance.length ? g.provenance.map(esc).join('<br>') : '<span class="st">seen at run time</span>'
      out.push(`<tr data-sev="${g.severity}" data-counts="${g.counts ? 1 : 0}" data-key="${esc(g.key)}">` +
        `<td><a href="#${id}"><code>${esc(g.label)}</code></a></td>` +
        `<td>${g.vendor ? `${esc(g.vendor)}${g.category ? `<br><span class="st">${esc(g.category)}</span>` : ''}` : '<span class="st" title="not in the signature database">—</span>'}</td>` +
        `<td>${severityBadge(g)}</td>` +
        `<td>${g.lenses.map((l) => `<span class="lens">${l}</span>`).join('')}</td>` +
        `<td><a href="#${id}">${g.findings.length} finding${g.findings.length === 1 ? '' : 's'}</a>${g.counting < g.findings.length ? `<br><span class="st">${g.findings.length - g.counting} not counted</span>` : ''}</td>` +
        `<td>${how}</td></tr>`)
    }
    out.push('</tbody></table>')
  }
  const others = groups.filter((g) => g.kind !== 'external')
  if (others.length) {
    const links = others.map((g) => `<a href="#${anchor.get(g.key)}">${esc(otherLabel(g))}</a> (${g.findings.length})`)
    out.push(`<p class="also" id="other-groups">Not external destinations: ${links.join(' · ')}</p>`)
  }
  out.push('</section>')
  return out
}

function otherLabel(g: DestinationGroup): string {
  if (g.kind === 'local') return g.host ? `${g.label} (local)` : g.label === '(no network)' ? 'URLs that use no network' : 'same-origin requests'
  return g.kind === 'configured' ? 'destinations the customer configures' : g.kind === 'unknown' ? 'destination not known' : 'no single destination'
}

function findingsSection(report: Report, groups: DestinationGroup[], anchor: Map<string, string>): string[] {
  const total = report.findings.length
  const bySev = (s: Severity) => report.findings.filter((f) => f.severity === s).length
  const lenses = (['static', 'runtime', 'browser'] as const).filter((l) => report.findings.some((f) => f.lens === l))
  const sevBox = (s: Severity) => `<label title="${esc(SEVERITY_HELP[s])}"><input type="checkbox" data-kind="sev" value="${s}"${s === 'info' ? '' : ' checked'}> ${s} (${bySev(s)})</label>`
  const out = [
    '<section id="findings" aria-labelledby="h-findings">',
    `<h2 id="h-findings">Findings (${total}) by destination</h2>`,
    '<p class="hint">Violations first. Info findings (local destinations, URL strings that reach no sink) are hidden until you tick <i>info</i>.</p>',
    '<div class="controls" role="search" aria-label="Filter findings">' +
      '<label>Search <input id="q" type="search" placeholder="rule, package, host, file…" autocomplete="off" aria-keyshortcuts="/"></label>' +
      `<fieldset><legend>Severity</legend>${(['violation', 'review', 'info'] as const).map(sevBox).join('')}</fieldset>` +
      (lenses.length > 1 ? `<fieldset><legend>Seen by</legend>${lenses.map((l) => `<label><input type="checkbox" data-kind="lens" value="${l}" checked> ${l}</label>`).join('')}</fieldset>` : '') +
      '<label>Status <select id="st"><option value="">all</option><option value="counting">counting</option><option>allowed</option><option>waived</option><option>baselined</option></select></label>' +
      `<span id="shown" class="meta" aria-live="polite">${total} of ${total} findings shown</span>` +
      '<span class="meta"><kbd>/</kbd> search · <kbd>Esc</kbd> clear</span></div>',
    '<p class="print-only" id="print-filters"></p>',
  ]
  // One table, one row group per destination: the columns line up across groups and the header repeats on printed pages.
  out.push('<table id="findings-table" class="findings"><thead><tr><th scope="col">Severity</th><th scope="col">Rule · seen by</th>' +
    '<th scope="col">What</th><th scope="col">Where</th></tr></thead>')
  for (const g of groups) {
    const id = anchor.get(g.key)!
    const title = g.kind === 'external' || g.kind === 'local' ? `<code>${esc(g.label)}</code>` : esc(g.label)
    const facts = [
      severityBadge(g),
      g.kind === 'local' ? '<span class="st">local: stays on the customer’s network</span>' : '',
      g.vendor ? esc(vendorText(g)) : '',
      g.lenses.map((l) => `<span class="lens">${l}</span>`).join(''),
      `<span class="st gcount" data-total="${g.findings.length}">${g.findings.length} finding${g.findings.length === 1 ? '' : 's'}</span>`,
    ].filter(Boolean)
    out.push(`<tbody class="group" id="${id}" data-key="${esc(g.key)}" data-sev="${g.severity}">` +
      `<tr class="group-head"><th colspan="4" scope="rowgroup"><span class="gtitle">${title}</span> ${facts.join(' ')}</th></tr>`)
    for (const f of g.findings) out.push(findingRow(f, g))
    out.push('</tbody>')
  }
  out.push('</table>')
  out.push('<p id="none-shown" hidden>No finding matches the filters.</p>')
  out.push('</section>')
  return out
}

function severityBadge(g: DestinationGroup): string {
  return g.counts
    ? `<span class="sev s-${g.severity}">${g.severity}</span>`
    : `<span class="sev s-nc" title="nothing here counts toward the verdict">${esc(severityText(g))}</span>`
}

function findingRow(f: Finding, g: DestinationGroup): string {
  const counts = countsToward(f)
  const dest = destinationText(f.destination)
  const loc = f.location ? `${f.location.file}:${f.location.line}:${f.location.column}` : ''
  const how = f.destination ? describeProvenance(f.destination) : ''
  const searchable = [f.rule, f.lens, f.package, f.chain, f.message, dest, how, loc, f.location?.original?.file, f.api,
    f.status, f.statusReason, f.fingerprint, g.label, g.vendor, g.category]
    .filter(Boolean).join(' ').toLowerCase()
  // Detector messages usually name the destination already; then only say how it is set (the static lens's judgement).
  const destLine = !f.destination ? ''
    : dest && !f.message.includes(dest) ? `<div>→ <code>${esc(dest)}</code>${f.lens === 'static' ? ` <span class="st">(${esc(how)})</span>` : ''}</div>`
      : f.lens === 'static' ? `<div class="st">destination ${esc(how)}</div>` : ''
  const what = [
    `<p class="msg">${esc(f.message)}</p>`,
    destLine,
    f.api ? `<div class="st">API <code>${esc(f.api)}</code></div>` : '',
    evidence(f),
  ].join('')
  const where = [
    f.location ? `<div><code>${esc(loc)}</code></div>` : '<div class="st">(no location)</div>',
    f.location?.original ? `<div class="st">original <code>${esc(`${f.location.original.file}:${f.location.original.line}:${f.location.original.column}`)}</code></div>` : '',
    `<div>${f.package === '(first-party)' ? '<span class="st">first-party code</span>' : `package <b>${esc(f.package)}</b>`}${f.chain ? ` <span class="st">via ${esc(f.chain)}</span>` : ''}</div>`,
    f.location?.snippet ? `<details><summary>code</summary><pre><code>${esc(f.location.snippet)}</code></pre></details>` : '',
  ].join('')
  const status = f.status && f.status !== 'new'
    ? `<div class="status">${esc(f.status)}</div>${f.statusReason ? `<div class="st">${esc(f.statusReason)}</div>` : ''}`
    : f.statusReason ? `<div class="st">${esc(f.statusReason)}</div>` : ''
  return (
    `<tr class="finding" data-sev="${esc(f.severity)}" data-lens="${esc(f.lens)}" data-status="${esc(f.status ?? '')}" data-counts="${counts ? 1 : 0}" data-fp="${esc(f.fingerprint)}" data-text="${esc(searchable)}">` +
    `<td><span class="sev s-${esc(f.severity)}${counts ? '' : ' s-nc'}">${esc(f.severity)}</span>${status}</td>` +
    `<td><a href="#${ruleAnchor(f.rule)}"><code>${esc(f.rule)}</code></a><br><span class="lens">${esc(f.lens)}</span></td>` +
    `<td>${what}</td><td>${where}</td></tr>`
  )
}

// Runtime and browser evidence as a list of facts; the stack and what was sent as preformatted text.
function evidence(f: Finding): string {
  const rows: Array<[string, string]> = []
  const ev = f.evidence
  if (ev) {
    if (ev.layers?.length) rows.push(['seen by', ev.layers.join(', ')])
    if (ev.count !== undefined) rows.push(['attempts', String(ev.count)])
    if (ev.pid !== undefined) rows.push(['process', `${ev.pid}${ev.command ? ` ${ev.command}` : ''}`])
    else if (ev.command) rows.push(['process', ev.command])
    if (ev.thread) rows.push(['thread', ev.thread])
    if (ev.attribution) rows.push(['attributed to', ev.attribution])
  }
  for (const [k, v] of Object.entries(f.details ?? {})) rows.push([k, v])
  const pre: string[] = []
  if (ev?.stack?.length) pre.push(`<div class="st">stack</div><pre>${esc(ev.stack.join('\n'))}</pre>`)
  if (ev?.sent) pre.push(`<div class="st">about to send</div><pre>${esc(ev.sent)}</pre>`)
  if (!rows.length && !pre.length) return ''
  const list = rows.length ? `<dl class="kv">${rows.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl>` : ''
  return `<details><summary>evidence</summary>${list}${pre.join('')}</details>`
}

function inventory(findings: Finding[]): string[] {
  const byPkg = new Map<string, Finding[]>()
  for (const f of findings) {
    const list = byPkg.get(f.package) ?? []
    list.push(f)
    byPkg.set(f.package, list)
  }
  if (!byPkg.size) return []
  const pkgs = [...byPkg.keys()].sort((a, b) => (a === '(first-party)' ? -1 : b === '(first-party)' ? 1 : a < b ? -1 : a > b ? 1 : 0))
  const out = [
    `<section aria-labelledby="h-packages"><h2 id="h-packages">Packages (${pkgs.length})</h2>`,
    '<table id="inventory"><thead><tr><th scope="col">Package</th><th scope="col">Violations</th><th scope="col">Review</th><th scope="col">Info</th><th scope="col">Not counted</th><th scope="col">APIs</th><th scope="col">Destinations</th></tr></thead><tbody>',
  ]
  for (const pkg of pkgs) {
    const list = byPkg.get(pkg)!
    const counting = list.filter(countsToward)
    const n = (sev: Severity) => counting.filter((f) => f.severity === sev).length
    const apis = [...new Set(list.map((f) => f.api).filter((a): a is string => !!a))].sort()
    const dests = [...new Set(list.map((f) => f.destination?.url ?? f.destination?.host).filter((d): d is string => !!d))].sort()
    const shownDests = dests.slice(0, 20).map((d) => `<code>${esc(d)}</code>`).join('<br>') + (dests.length > 20 ? `<br>… ${dests.length - 20} more` : '')
    out.push(`<tr><td>${esc(pkg)}</td><td>${n('violation')}</td><td>${n('review')}</td><td>${n('info')}</td><td>${list.length - counting.length}</td>` +
      `<td>${apis.map((a) => `<code>${esc(a)}</code>`).join(' ')}</td><td>${shownDests}</td></tr>`)
  }
  out.push('</tbody></table></section>')
  return out
}

function trailer(report: Report): string[] {
  const out: string[] = []
  if (report.notAnalysed.length) {
    out.push(`<section aria-labelledby="h-not-analysed"><h2 id="h-not-analysed">Not analysed (${report.notAnalysed.length})</h2><p class="hint">Nothing is skipped silently: these keep the verdict from passing unless the policy accepts them.</p><ul id="not-analysed">`)
    for (const n of report.notAnalysed) out.push(`<li><code>${esc(n.file)}</code>: ${esc(n.reason)}</li>`)
    out.push('</ul></section>')
  }
  if (report.degraded?.length) out.push('<section><h2 id="h-degraded">Degraded</h2><ul id="degraded">' + report.degraded.map((d) => `<li>${esc(d)}</li>`).join('') + '</ul></section>')
  const p = report.policy
  if (p) {
    out.push('<section><h2>Policy</h2><ul id="policy">')
    if (p.file) out.push(`<li>Policy <code>${esc(p.file)}</code></li>`)
    if (p.baseline) out.push(`<li>Baseline <code>${esc(p.baseline)}</code></li>`)
    for (const w of p.expiredWaivers ?? []) out.push(`<li>Waiver <code>${esc(w.pointer)}</code> expired on ${esc(w.expires)} (${w.findings} finding(s) count again): ${esc(w.reason)}</li>`)
    if (p.unused?.length) out.push(`<li>Entries that matched nothing: ${p.unused.map((u) => `<code>${esc(u)}</code>`).join(', ')}</li>`)
    for (const a of p.acceptedNotAnalysed ?? []) out.push(`<li>Accepted not analysed <code>${esc(a.file)}</code>: ${esc(a.reason)}</li>`)
    for (const n of p.notices ?? []) out.push(`<li>${esc(n)}</li>`)
    out.push('</ul></section>')
  }
  return out
}

// What each rule in the report means, from the rule's own metadata, and where its docs page is.
function rulesSection(report: Report, docsBase: string | undefined): string[] {
  const rules = resolveRules(report.findings, everyRule())
  if (!rules.length) return []
  const out = ['<section aria-labelledby="h-rules"><h2 id="h-rules">Rules in this report</h2><dl id="rules">']
  for (const r of rules) {
    const url = ruleDocUrl(r.id, docsBase)
    const docs = url
      ? `<a href="${esc(url)}" rel="noreferrer noopener">${esc(ruleDocPath(r.id))}</a>`
      : `<code>${esc(ruleDocPath(r.id))}</code> in the nophonehome repository`
    out.push(`<dt id="${ruleAnchor(r.id)}"><code>${esc(r.id)}</code> <span class="st">default severity ${esc(r.severity)}</span></dt>` +
      `<dd><p>${esc(r.description.replace(/[^.!?]$/, '$&.'))}</p><p>${esc(r.help)}</p><p class="st">Docs: ${docs}</p></dd>`)
  }
  out.push('</dl></section>')
  return out
}

function ruleAnchor(id: string): string {
  return 'rule-' + id.replace(/[^A-Za-z0-9_-]/g, '_')
}

/** Escapes untrusted text for HTML element content and quoted attribute values. */
export function esc(untrusted: string): string {
  return untrusted
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '\ufffd')
    .replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`)
}

function sha256Base64(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('base64')
}
