// Turns the third-party requests the pages made into browser-egress findings, one per destination, with a signature category.
import type { Finding } from '../../report/finding.ts'
import { fingerprintOf } from '../../report/finding.ts'
import { registerRule } from '../../static/detectors/rules.ts'
import { signatureMatcher } from '../../signatures/index.ts'
import { isAllowed, type AllowRule } from '../allow.ts'
import { classifyHost } from '../../address.ts'
import type { BrowserRequest } from './capture.ts'

export const BROWSER_RULE = 'browser-egress'

registerRule({
  id: BROWSER_RULE,
  severity: 'violation',
  description: "A page of the app made the customer's browser contact a third party",
  help: "Seen while headless Chromium browsed the app's pages inside the sandbox (nothing could leave). A font CDN, analytics tag, " +
    "avatar service or chat widget loaded by the admin UI sends the customer's users' IP addresses, pages and more to that third party. " +
    'Serve the asset from the app itself, or allow the destination in the policy if the customer configured it. Requests the page\'s own ' +
    'Content-Security-Policy blocked are reported as info: a browser honouring that header does not send them.',
})

// Higher in the list names the attempt better when one destination was reached several ways.
const TYPE_RANK = ['script', 'stylesheet', 'font', 'image', 'ping', 'fetch', 'xhr', 'websocket', 'eventsource', 'document', 'media', 'preconnect', 'dns-prefetch']

/** One finding per destination (scheme, host, port); every URL, page and initiator kept in details. */
export function toBrowserFindings(requests: readonly BrowserRequest[], options: { origin: string; allow?: readonly AllowRule[] }): Finding[] {
  const groups = new Map<string, BrowserRequest[]>()
  for (const r of requests) {
    let u: URL
    try { u = new URL(r.url) } catch { continue }
    const key = `${u.hostname}|${u.port || defaultPort(u.protocol)}`
    const list = groups.get(key) ?? []
    list.push(r)
    groups.set(key, list)
  }
  const matcher = signatureMatcher()
  const findings: Finding[] = []
  for (const list of groups.values()) {
    const rank = (t: string) => { const i = TYPE_RANK.indexOf(t); return i < 0 ? TYPE_RANK.length : i }
    const sorted = [...list].sort((a, b) => rank(a.type) - rank(b.type))
    const sent = sorted.filter((r) => !r.blocked)
    const primary = (sent.length ? sent : sorted)[0]
    const u = new URL(primary.url)
    const host = u.hostname.replace(/^\[|\]$/g, '')
    const port = Number(u.port || defaultPort(u.protocol))
    if (isAllowed(options.allow ?? [], { host, port })) continue
    const allBlocked = !sent.length
    const types = [...new Set(sorted.map((r) => r.type))]
    const urls = [...new Set(sorted.map((r) => r.url))]
    const pages = [...new Set(sorted.map((r) => pathOf(r.page, options.origin)))]
    const sig = urls.map((x) => matcher.matchUrl(x)).find(Boolean) ?? matcher.matchHost(host)
    const init = primary.initiator
    const initiatorText = init?.url ? `${pathOf(init.url, options.origin)}${init.line ? `:${init.line}:${init.column ?? 0}` : ''} (${init.type}${init.function ? `, ${init.function}` : ''})` : init?.type ?? 'unknown'
    const details: Record<string, string> = {
      page: pages.slice(0, 10).join(', '),
      url: primary.url.slice(0, 500),
      initiator: initiatorText,
      resourceTypes: types.join(', '),
    }
    if (urls.length > 1) details.urls = urls.slice(0, 10).map((x) => x.slice(0, 200)).join(' | ')
    const others = [...new Set(sorted.filter((r) => r !== primary && r.initiator?.url).map((r) => `${r.type} ← ${pathOf(r.initiator!.url!, options.origin)}${r.initiator!.line ? `:${r.initiator!.line}` : ''}`))]
    if (others.length) details.otherInitiators = others.slice(0, 10).join(', ')
    if (sig) {
      details.signature = sig.signature.id
      details.category = sig.signature.category
      details.vendor = sig.signature.vendor
    }
    if (allBlocked) details.blocked = [...new Set(sorted.map((r) => r.blocked!))].join(', ')
    const what = describeType(primary.type)
    const message = allBlocked
      ? `page ${pages[0]} tried to load ${what} from ${u.host}, blocked by the page's own ${details.blocked === 'csp' ? 'Content-Security-Policy' : `browser rule (${details.blocked})`}`
      : `page ${pages[0]} made the browser contact ${u.host} (${what}${sig ? `, ${sig.signature.category} ${sig.signature.vendor}` : ''})`
    // The customer's own network (a NAS, a printer, a link-local device) is not a third party to them: info, as in every lens.
    const kind = classifyHost(host)
    if (kind.local) details.destinationKind = kind.description
    const finding: Finding = {
      rule: BROWSER_RULE,
      severity: allBlocked || kind.local ? 'info' : 'violation',
      message: kind.local ? `${message}; ${kind.description}: stays on the customer's network` : message,
      lens: 'browser',
      package: '(first-party)',
      destination: { url: primary.url.slice(0, 500), host, port, provenance: kind.local ? 'hard-coded-local' : 'hard-coded-external' },
      api: primary.type,
      evidence: {
        layers: ['browser'],
        count: sorted.length,
        attribution: initiatorText,
      },
      details,
      fingerprint: '',
    }
    if (init?.url && init.line) finding.location = { file: servedName(init.url, options.origin), line: init.line, column: init.column ?? 0 }
    const body = sorted.find((r) => r.sent)?.sent
    if (body) finding.evidence!.sent = body
    // Per destination only: a new page or resource type reaching the same third party is the same finding.
    finding.fingerprint = fingerprintOf({ rule: BROWSER_RULE, package: '(first-party)', destination: { host, port, provenance: 'hard-coded-external' } })
    findings.push(finding)
  }
  return findings
}

function describeType(type: string): string {
  switch (type) {
    case 'ping': return 'a beacon'
    case 'websocket': return 'a WebSocket'
    case 'preconnect': case 'dns-prefetch': return `a ${type} hint`
    case 'xhr': case 'fetch': return `a ${type} request`
    case 'other': return 'a request'
    case 'image': return 'an image'
    default: return `a ${type}`
  }
}

/** App URLs shown as paths (`/admin.js`); other URLs as they are. */
function pathOf(url: string, origin: string): string {
  try {
    const u = new URL(url)
    return u.origin === new URL(origin).origin ? u.pathname + u.search : url
  } catch { return url }
}

/**
 * A location's file for what the browser ran: `<app:/admin.js>` for what the app served at that path, else
 * `<URL>` — not files on disk (like `<bundle:…>`), so no report points at an unrelated local path.
 */
function servedName(url: string, origin: string): string {
  const p = pathOf(url, origin)
  return p.startsWith('/') ? `<app:${p}>` : `<${p}>`
}

function defaultPort(protocol: string): string {
  return protocol === 'https:' || protocol === 'wss:' ? '443' : protocol === 'ftp:' ? '21' : '80'
}
