// One self-contained HTML report: inline CSS/JS pinned by a CSP that forbids every request; all report text escaped.
import { createHash } from 'node:crypto'
import type { Finding, Report, Severity } from './finding.ts'
import type { Renderer } from './renderer.ts'
import { formatBytes } from './text.ts'

const SEVERITY_RANK: Record<Severity, number> = { violation: 3, review: 2, info: 1 }

const STYLE = `
:root{color-scheme:light dark;--bad:#c62828;--warn:#b26a00;--ok:#2e7d32;--dim:#777;--line:#8884}
body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;padding:1rem 1.5rem;max-width:110rem}
h1{font-size:1.4rem;margin:.2rem 0}h2{font-size:1.1rem;margin-top:2rem}
.verdict{display:inline-block;padding:.1rem .6rem;border-radius:.3rem;color:#fff;font-weight:700}
.v-pass{background:var(--ok)}.v-fail{background:var(--bad)}.v-incomplete{background:var(--warn)}
.meta{color:var(--dim)}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid var(--line);padding:.3rem .4rem;text-align:left;vertical-align:top}
th button{font:inherit;font-weight:700;background:none;border:0;padding:0;cursor:pointer;color:inherit}
th[aria-sort=ascending] button::after{content:" ▲"}th[aria-sort=descending] button::after{content:" ▼"}
.s-violation{color:var(--bad);font-weight:700}.s-review{color:var(--warn);font-weight:700}.s-info{color:var(--dim)}
.st{color:var(--dim);font-size:.9em}
code,pre{font:12px/1.4 ui-monospace,monospace;overflow-wrap:anywhere}pre{white-space:pre-wrap;margin:.3rem 0;padding:.4rem;background:#8881}
.controls{display:flex;gap:.6rem;flex-wrap:wrap;align-items:center;margin:.6rem 0}
.controls input{min-width:18rem}
tr[hidden]{display:none}
`

// Sorting and filtering only; it reads the table already in the page and never loads anything.
const SCRIPT = `
(function () {
  var table = document.getElementById('findings');
  if (!table) return;
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var q = document.getElementById('q'), sev = document.getElementById('sev'), st = document.getElementById('st'), shown = document.getElementById('shown');
  function apply() {
    var text = q.value.trim().toLowerCase(), s = sev.value, t = st.value, n = 0;
    rows.forEach(function (r) {
      var ok = (!s || r.getAttribute('data-sev') === s) &&
        (!t || (t === 'counting' ? r.getAttribute('data-counts') === '1' : r.getAttribute('data-status') === t)) &&
        (!text || r.getAttribute('data-text').indexOf(text) !== -1);
      r.hidden = !ok;
      if (ok) n++;
    });
    shown.textContent = n + ' of ' + rows.length + ' shown';
  }
  [q, sev, st].forEach(function (el) { el.addEventListener('input', apply); el.addEventListener('change', apply); });
  var dir = {};
  Array.prototype.forEach.call(table.querySelectorAll('th button'), function (b) {
    b.addEventListener('click', function () {
      var col = Number(b.getAttribute('data-col'));
      var d = dir[col] = dir[col] === 1 ? -1 : 1;
      Array.prototype.forEach.call(table.querySelectorAll('th'), function (th) { th.removeAttribute('aria-sort'); });
      b.parentNode.setAttribute('aria-sort', d === 1 ? 'ascending' : 'descending');
      rows.sort(function (a, c) {
        var x = a.cells[col].getAttribute('data-v'), y = c.cells[col].getAttribute('data-v');
        var r = x < y ? -1 : x > y ? 1 : 0;
        return r * d || Number(a.getAttribute('data-i')) - Number(c.getAttribute('data-i'));
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
  apply();
})();
`

export const toHtml: Renderer = (report) => {
  const styleHash = sha256Base64(STYLE)
  const scriptHash = sha256Base64(SCRIPT)
  // The report must not reach anywhere, even if escaping were ever wrong: the CSP forbids every fetch.
  const csp = [
    "default-src 'none'", `style-src 'sha256-${styleHash}'`, `script-src 'sha256-${scriptHash}'`,
    "img-src 'none'", "font-src 'none'", "connect-src 'none'", "media-src 'none'", "object-src 'none'",
    "frame-src 'none'", "worker-src 'none'", "manifest-src 'none'", "form-action 'none'", "base-uri 'none'",
  ].join('; ')
  const s = report.summary
  const title = `${report.tool.name} report: ${report.target.join(', ')}`
  const parts: string[] = []
  parts.push('<!doctype html>')
  parts.push('<html lang="en"><head><meta charset="utf-8">')
  parts.push(`<meta http-equiv="Content-Security-Policy" content="${esc(csp)}">`)
  parts.push('<meta name="referrer" content="no-referrer">')
  parts.push('<meta name="viewport" content="width=device-width,initial-scale=1">')
  parts.push(`<title>${esc(title)}</title>`)
  parts.push(`<style>${STYLE}</style></head><body>`)
  parts.push(`<header><h1>${esc(report.tool.name)} <span class="verdict v-${esc(report.verdict)}" id="verdict">${esc(report.verdict.toUpperCase())}</span></h1>`)
  parts.push(`<p class="meta">Target: ${report.target.map((t) => `<code>${esc(t)}</code>`).join(', ')} · fails on <b>${esc(report.failOn)}</b> · ${esc(report.tool.name)} ${esc(report.tool.version)}` +
    (report.signatures ? ` · signatures ${esc(report.signatures.version)}` : '') + '</p>')
  parts.push(`<p id="summary"><b>${s.violation}</b> violation(s) · <b>${s.review}</b> to review · ${s.info} info · ${s.filesScanned} files (${esc(formatBytes(s.bytesScanned))}) scanned · ${s.filesNotAnalysed} not analysed</p></header>`)

  parts.push('<main>')
  parts.push(`<h2>Findings (${report.findings.length})</h2>`)
  parts.push('<div class="controls">' +
    '<label>Search <input id="q" type="search" placeholder="rule, package, host, file…" autocomplete="off"></label>' +
    '<label>Severity <select id="sev"><option value="">all</option><option>violation</option><option>review</option><option>info</option></select></label>' +
    '<label>Status <select id="st"><option value="">all</option><option value="counting">counting</option><option>allowed</option><option>waived</option><option>baselined</option></select></label>' +
    `<span id="shown" class="meta">${report.findings.length} of ${report.findings.length} shown</span></div>`)
  const cols = ['Severity', 'Rule', 'Package', 'Destination', 'Location', 'Message', 'Status']
  parts.push('<table id="findings"><thead><tr>' + cols.map((c, i) => `<th scope="col"><button type="button" data-col="${i}">${c}</button></th>`).join('') + '</tr></thead><tbody>')
  report.findings.forEach((f, i) => parts.push(findingRow(f, i)))
  parts.push('</tbody></table>')

  parts.push(...inventory(report.findings))
  if (report.notAnalysed.length) {
    parts.push(`<h2>Not analysed (${report.notAnalysed.length})</h2><p class="meta">Nothing is skipped silently: these keep the verdict from passing unless the policy accepts them.</p><ul id="not-analysed">`)
    for (const n of report.notAnalysed) parts.push(`<li><code>${esc(n.file)}</code>: ${esc(n.reason)}</li>`)
    parts.push('</ul>')
  }
  if (report.degraded?.length) parts.push('<h2>Degraded</h2><ul>' + report.degraded.map((d) => `<li>${esc(d)}</li>`).join('') + '</ul>')
  const p = report.policy
  if (p) {
    parts.push('<h2>Policy</h2><ul id="policy">')
    if (p.file) parts.push(`<li>Policy <code>${esc(p.file)}</code></li>`)
    if (p.baseline) parts.push(`<li>Baseline <code>${esc(p.baseline)}</code></li>`)
    for (const w of p.expiredWaivers ?? []) parts.push(`<li>Waiver <code>${esc(w.pointer)}</code> expired on ${esc(w.expires)} (${w.findings} finding(s) count again): ${esc(w.reason)}</li>`)
    if (p.unused?.length) parts.push(`<li>Entries that matched nothing: ${p.unused.map((u) => `<code>${esc(u)}</code>`).join(', ')}</li>`)
    for (const a of p.acceptedNotAnalysed ?? []) parts.push(`<li>Accepted not analysed <code>${esc(a.file)}</code>: ${esc(a.reason)}</li>`)
    for (const n of p.notices ?? []) parts.push(`<li>${esc(n)}</li>`)
    parts.push('</ul>')
  }
  parts.push('</main>')
  parts.push(`<script>${SCRIPT}</script>`)
  parts.push('</body></html>')
  return parts.join('\n') + '\n'
}

function findingRow(f: Finding, index: number): string {
  const counts = f.status !== 'allowed' && f.status !== 'waived' && f.status !== 'baselined'
  const dest = f.destination ? f.destination.url ?? (f.destination.host ? f.destination.host + (f.destination.port ? `:${f.destination.port}` : '') : '') : ''
  const loc = f.location ? `${f.location.file}:${f.location.line}:${f.location.column}` : ''
  const searchable = [f.rule, f.package, f.chain, f.message, dest, f.destination?.source, loc, f.location?.original?.file, f.api, f.status, f.fingerprint]
    .filter(Boolean).join(' ').toLowerCase()
  const cell = (sortValue: string, html: string) => `<td data-v="${esc(sortValue)}">${html}</td>`
  const locationHtml = f.location
    ? `<code>${esc(loc)}</code>` +
      (f.location.original ? `<br><span class="st">original <code>${esc(`${f.location.original.file}:${f.location.original.line}:${f.location.original.column}`)}</code></span>` : '') +
      (f.location.snippet ? `<details><summary>code</summary><pre><code>${esc(f.location.snippet)}</code></pre></details>` : '')
    : '<span class="st">(no location)</span>'
  const evidence = f.evidence
    ? `<details><summary>evidence</summary><pre>${esc(JSON.stringify(f.evidence, null, 2))}</pre></details>`
    : ''
  return (
    `<tr data-i="${index}" data-sev="${esc(f.severity)}" data-status="${esc(f.status ?? '')}" data-counts="${counts ? 1 : 0}" data-text="${esc(searchable)}">` +
    cell(String(SEVERITY_RANK[f.severity]), `<span class="s-${esc(f.severity)}">${esc(f.severity)}</span>`) +
    cell(f.rule, `<code>${esc(f.rule)}</code>`) +
    cell(f.package, `${esc(f.package)}${f.chain ? `<br><span class="st">${esc(f.chain)}</span>` : ''}`) +
    cell(dest, dest || f.destination ? `${dest ? `<code>${esc(dest)}</code><br>` : ''}<span class="st">${esc(f.destination?.provenance ?? '')}${f.destination?.source ? `: ${esc(f.destination.source)}` : ''}</span>` : '') +
    cell(f.location ? `${f.location.file}\u0000${String(f.location.line).padStart(9, '0')}` : '', locationHtml) +
    cell(f.message, `${esc(f.message)}${f.api ? ` <span class="st">(${esc(f.api)})</span>` : ''}${evidence}`) +
    cell(f.status ?? '', f.status ? `${esc(f.status)}${f.statusReason ? `<br><span class="st">${esc(f.statusReason)}</span>` : ''}` : (f.statusReason ? `<span class="st">${esc(f.statusReason)}</span>` : '')) +
    '</tr>'
  )
}

function inventory(findings: Finding[]): string[] {
  const byPkg = new Map<string, Finding[]>()
  for (const f of findings) {
    const list = byPkg.get(f.package) ?? []
    list.push(f)
    byPkg.set(f.package, list)
  }
  const pkgs = [...byPkg.keys()].sort((a, b) => (a === '(first-party)' ? -1 : b === '(first-party)' ? 1 : a < b ? -1 : a > b ? 1 : 0))
  const out = [`<h2>Packages (${pkgs.length})</h2>`, '<table id="inventory"><thead><tr><th>Package</th><th>Violations</th><th>Review</th><th>Info</th><th>Not counted</th><th>APIs</th><th>Destinations</th></tr></thead><tbody>']
  for (const pkg of pkgs) {
    const list = byPkg.get(pkg)!
    const counting = list.filter((f) => f.status !== 'allowed' && f.status !== 'waived' && f.status !== 'baselined')
    const n = (sev: Severity) => counting.filter((f) => f.severity === sev).length
    const apis = [...new Set(list.map((f) => f.api).filter((a): a is string => !!a))].sort()
    const dests = [...new Set(list.map((f) => f.destination?.url ?? f.destination?.host).filter((d): d is string => !!d))].sort()
    const shownDests = dests.slice(0, 20).map((d) => `<code>${esc(d)}</code>`).join('<br>') + (dests.length > 20 ? `<br>… ${dests.length - 20} more` : '')
    out.push(`<tr><td>${esc(pkg)}</td><td>${n('violation')}</td><td>${n('review')}</td><td>${n('info')}</td><td>${list.length - counting.length}</td>` +
      `<td>${apis.map((a) => `<code>${esc(a)}</code>`).join(' ')}</td><td>${shownDests}</td></tr>`)
  }
  out.push('</tbody></table>')
  return out
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
