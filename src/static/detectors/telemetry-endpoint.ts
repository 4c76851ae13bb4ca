// Flags hard-coded destinations that match the signature database (telemetry, analytics, update checks, CDNs …),
// whether or not they visibly reach a sink, and keeps an info-level inventory of every other external URL string.
import type { Destination } from '../../report/finding.ts'
import { signatureMatcher, parseUrl, type HostMatch, type KeyMatch } from '../../signatures/matcher.ts'
import type { CallTarget, DetectContext, Detector, DetectorMeta } from './detector.ts'
import { isLocalHost } from '../parse/destination.ts'
import { CLIENT_PACKAGES } from './net-sink.ts'
import type { Val } from '../parse/fold.ts'
import type { AnyNode, Scope } from '../parse/scope.ts'

/** Distinct external hosts listed per file in the inventory; the rest are counted in one summary finding. */
export const INVENTORY_CAP_PER_FILE = 20
/** URL strings considered per file for the inventory (generated files can hold tens of thousands). */
const MAX_CANDIDATES = 2000

export const urlInventoryMeta: DetectorMeta = {
  id: 'url-inventory',
  severity: 'info',
  description: 'External URL string that matches no signature',
  help:
    'Every external URL string in code that matches no known signature (docs links in error messages, licence URLs, ' +
    'XML namespaces, API base URLs). Informational: shown in JSON/HTML and with --show-info. One finding per host per ' +
    `file (at its first occurrence), at most ${INVENTORY_CAP_PER_FILE} hosts per file plus a summary line. A URL that ` +
    'reaches a sink is also reported by net-sink with its severity.',
}

const meta = {
  id: 'telemetry-endpoint',
  severity: 'violation',
  description: 'Known telemetry, analytics, update-check or third-party endpoint',
  help:
    'A hard-coded URL, host or key that matches the signature database (crash reporting, product analytics, session ' +
    'replay, APM, update and licence checks, public IP/DNS/NTP/STUN services, CDNs, avatar, captcha and chat services). ' +
    'Reported even when the string does not visibly reach a sink, because strings reach sinks in ways the analysis cannot ' +
    'always follow. `details.signature` and `details.category` name the entry. Remove it, or make it configurable and off ' +
    'by default; allow it in the policy only with a reason.',
} as const

/** Modules and globals whose call arguments may carry a bare host (`dns.setServers(['8.8.8.8'])`). */
const NETWORK_MODULES = new Set(['http', 'https', 'http2', 'net', 'tls', 'dgram', 'dns'])
const NETWORK_GLOBALS = new Set(['fetch', 'WebSocket', 'EventSource', 'WebTransport', 'RTCPeerConnection', 'navigator.sendBeacon', 'XMLHttpRequest', 'importScripts', 'Worker', 'Image'])
const EVAL_LIKE = new Set(['eval', 'Function', 'setTimeout', 'setInterval', 'execScript'])
/** Properties whose assignment makes a page load what they name (or parse HTML that may). */
const DOM_SINK_PROPS = new Set(['src', 'href', 'srcset', 'action', 'data', 'poster', 'innerHTML', 'outerHTML', 'background', 'codebase', 'formAction'])
/** Methods and globals that write HTML or URLs into a page. */
const DOM_SINK_CALLS = new Set(['document.write', 'document.writeln', 'insertAdjacentHTML', 'setAttribute', 'open', 'assign', 'replace', 'importScripts'])
const HOST_KEYS = /^(host|hostname|servername|server|servers|address|url|urls|uri|endpoint|origin|baseURL|baseUrl|iceServers|nameservers|resolvers)$/
const BARE_HOST = /^(?:[a-z0-9-]+\.)+[a-z]{2,}\.?$|^\d{1,3}(?:\.\d{1,3}){3}$|^[0-9a-f]*:[0-9a-f:]+$/i
const EMBEDDED_URL = /(?:\b[a-z][a-z0-9+.-]*:)?\/\/[^\s'"`<>()\\]+/gi

interface Hit { node: AnyNode; match: HostMatch | undefined; key?: KeyMatch; url?: string; count: number }

export default {
  meta,
  detect(ctx: DetectContext) {
    const matcher = signatureMatcher()
    // One finding per signature+host per file (minified SDKs repeat their endpoint); later ones are counted.
    const hits = new Map<string, Hit>()
    // Inventory candidates are judged at the end: a URL that reaches a visible sink is net-sink's, not inventory.
    const candidates: Array<{ node: AnyNode; url: string; host: string }> = []
    const sinkRanges: Array<[number, number]> = []
    const sinkUrls = new Set<string>()

    const noteHit = (node: AnyNode, match: HostMatch | undefined, key: KeyMatch | undefined, url: string | undefined) => {
      const sig = (match ?? key)!.signature
      const id = `${sig.id}\0${match?.host ?? key?.key}`
      const seen = hits.get(id)
      if (seen) { seen.count++; return }
      hits.set(id, { node, match, key, url, count: 1 })
    }

    const noteInventory = (node: AnyNode, url: string, host: string) => {
      if (candidates.length < MAX_CANDIDATES) candidates.push({ node, url, host })
    }

    /** Remembers where a network call is and the URLs it sends to, to keep those out of the inventory. */
    const noteSink = (node: AnyNode, args: AnyNode[], scope: Scope) => {
      sinkRanges.push([node.start, node.end])
      for (const a of args.slice(0, 2)) {
        const d = ctx.destination(a, scope)
        if (d.url) sinkUrls.add(d.url.replace(/…$/, ''))
      }
    }
    const reachesSink = (c: { node: AnyNode; url: string }) =>
      sinkRanges.some(([s, e]) => c.node.start >= s && c.node.end <= e) || [...sinkUrls].some((u) => u && (u.startsWith(c.url) || c.url.startsWith(u)))

    /** A string that is (or embeds) URLs: signature by host, else by key shape, else inventory. */
    const checkUrlText = (node: AnyNode, value: string) => {
      let matchedAny = false
      const key = matcher.matchKey(value)
      const urls = urlsIn(value)
      const unmatched: Array<[string, string]> = []
      for (const url of urls) {
        const u = parseUrl(url)
        if (!u || !u.host || u.host.includes('$')) continue
        const match = matcher.matchHost(u.host, u.path)
        if (match) {
          noteHit(node, match, key?.signature === match.signature ? key : undefined, url)
          matchedAny = true
        } else if (/^(https?|wss?|ftp)$/.test(u.scheme) && !isLocalHost(u.host)) unmatched.push([url, u.host])
      }
      // A key/DSN shape names the vendor even on a host we do not know (self-hosted or renamed ingest).
      if (!matchedAny && key) {
        noteHit(node, undefined, key, urls[0])
        return
      }
      for (const [url, host] of unmatched) noteInventory(node, url, host)
    }

    /** Bare hosts, IPs and stun: URLs among literal arguments of network calls. */
    const checkArgs = (args: AnyNode[], scope: Scope) => {
      const stack: Array<[AnyNode, number]> = []
      for (let i = Math.min(args.length, 4) - 1; i >= 0; i--) stack.push([args[i], 0])
      while (stack.length) {
        const [n, depth] = stack.pop()!
        if (!n || depth > 3) continue
        if (n.type === 'Literal' && typeof n.value === 'string') checkBare(n, n.value)
        else if (n.type === 'Identifier') {
          const v: Val = ctx.evaluate(n, scope)
          if (v.t === 'str' && !v.partial) checkBare(n, v.v)
        } else if (n.type === 'ArrayExpression') {
          for (const el of n.elements.slice(0, 16)) if (el) stack.push([el, depth + 1])
        } else if (n.type === 'ObjectExpression') {
          for (const p of n.properties.slice(0, 32)) {
            if (p.type !== 'Property' || p.computed) continue
            const k = p.key.type === 'Identifier' ? p.key.name : String(p.key.value)
            if (HOST_KEYS.test(k)) stack.push([p.value, depth + 1])
          }
        }
      }
    }

    const checkBare = (node: AnyNode, value: string) => {
      // URL-looking strings already went through UrlString; here only bare hosts and stun:/turn: URLs.
      if (value.length > 255 || value.includes('//')) return
      if (/^(stuns?|turns?):/i.test(value)) {
        const match = matcher.matchUrl(value)
        if (match) noteHit(node, match, undefined, value)
        return
      }
      if (!BARE_HOST.test(value)) return
      const match = matcher.matchHost(value)
      if (match) noteHit(node, match, undefined, undefined)
    }

    const isNetworkCallee = (callee: Val): boolean => {
      if (callee.t === 'inst') return true
      if (callee.t === 'mod') return NETWORK_MODULES.has(callee.mod) || CLIENT_PACKAGES.has(callee.mod) || !!matcher.packageSignature(callee.mod)
      if (callee.t === 'glob') return NETWORK_GLOBALS.has(callee.path.join('.'))
      return false
    }

    return {
      UrlString(node: AnyNode, _scope: Scope, value: string) {
        checkUrlText(node, value)
      },
      AssignmentExpression(node: AnyNode) {
        // `script.src = URL`, `el.innerHTML = '<img src=…>'`: the page loads it.
        const left = node.left
        if (left.type === 'MemberExpression' && !left.computed && DOM_SINK_PROPS.has(left.property.name)) sinkRanges.push([node.start, node.end])
      },
      CallExpression(node: AnyNode, scope: Scope, { callee, args }: CallTarget) {
        if (!args.length) return
        const c = node.callee
        if ((callee.t === 'glob' && DOM_SINK_CALLS.has(callee.path.join('.'))) || (c.type === 'MemberExpression' && !c.computed && (c.property.name === 'insertAdjacentHTML' || c.property.name === 'setAttribute'))) sinkRanges.push([node.start, node.end])
        // A URL on a child process's command line is child-process-network's: keep it out of the inventory.
        if (callee.t === 'mod' && callee.mod === 'child_process') { sinkRanges.push([node.start, node.end]); return }
        // Code strings given to eval and friends are analysed as code (their URLs are judged in there).
        if (callee.t === 'glob' && EVAL_LIKE.has(callee.path.join('.'))) { sinkRanges.push([node.start, node.end]); return }
        if (!isNetworkCallee(callee)) return
        checkArgs(args, scope)
        noteSink(node, args, scope)
      },
      NewExpression(node: AnyNode, scope: Scope, { callee, args }: CallTarget) {
        if (args.length && callee.t === 'glob' && EVAL_LIKE.has(callee.path.join('.'))) { sinkRanges.push([node.start, node.end]); return }
        if (!args.length || !isNetworkCallee(callee)) return
        checkArgs(args, scope)
        noteSink(node, args, scope)
      },
      end() {
        for (const h of hits.values()) {
          const sig = (h.match ?? h.key)!.signature
          const host = h.match?.host ?? (h.url ? parseUrl(h.url)?.host : undefined)
          const destination: Destination = { provenance: host && isLocalHost(host) ? 'hard-coded-local' : 'hard-coded-external' }
          if (h.url) destination.url = h.url.length > 300 ? h.url.slice(0, 300) + '…' : h.url
          if (host) destination.host = host
          const what = h.match ? `${h.url ? 'URL' : 'host'} ${h.url ?? h.match.host}` : `key ${h.key!.key}`
          const details: Record<string, string> = { signature: sig.id, category: sig.category, vendor: sig.vendor }
          if (h.key) details.key = h.key.key
          // A string no sink is seen using (an attribute table, a docs constant) is for review; the
          // whole-program phase lifts it back when a sink in another module turns out to use it.
          // A key or DSN binds the code to the vendor's account whatever reads it: it stays a violation.
          const used = !!h.key || reachesSink({ node: h.node, url: h.url ?? '' })
          if (!used) details.reach = 'string only'
          ctx.report(h.node, {
            message: `${sig.vendor} (${sig.category}): ${what}${h.count > 1 ? ` (${h.count} occurrences in this file)` : ''}${used ? '' : ' (string only: no sink seen using it)'}`,
            api: 'hard-coded endpoint',
            destination,
            severity: used ? 'violation' : 'review',
            details,
          })
        }
        const inventory = new Map<string, { node: AnyNode; url: string; count: number }>()
        let uninventoried = 0
        for (const c of candidates) {
          if (reachesSink(c)) continue
          const seen = inventory.get(c.host)
          if (seen) seen.count++
          else if (inventory.size >= INVENTORY_CAP_PER_FILE) uninventoried++
          else inventory.set(c.host, { node: c.node, url: c.url, count: 1 })
        }
        for (const [host, inv] of inventory) {
          ctx.report(inv.node, {
            rule: 'url-inventory',
            message: `URL ${inv.url.length > 200 ? inv.url.slice(0, 200) + '…' : inv.url} matches no signature${inv.count > 1 ? ` (${inv.count} strings with this host in this file)` : ''}`,
            destination: { url: inv.url.slice(0, 300), host, provenance: 'hard-coded-external' },
            severity: 'info',
          })
        }
        if (uninventoried > 0) {
          const first = inventory.values().next().value!
          ctx.report(first.node, {
            rule: 'url-inventory',
            message: `${uninventoried} more URL string(s) on other hosts in this file, not listed (inventory keeps ${INVENTORY_CAP_PER_FILE} hosts per file)`,
            severity: 'info',
          })
        }
      },
    }
  },
} satisfies Detector

/** The URLs in a string: the whole string when it is one, else every `scheme://…` or `//…` inside it (at most 8). */
export function urlsIn(value: string): string[] {
  if (parseUrl(value) && !/\s/.test(value)) return [value]
  const out: string[] = []
  EMBEDDED_URL.lastIndex = 0
  for (let m = EMBEDDED_URL.exec(value); m && out.length < 8; m = EMBEDDED_URL.exec(value)) {
    // `//` in the middle of a word or after `:` of a non-scheme (e.g. `a//b`) is not a URL.
    if (m[0].startsWith('//') && m.index > 0 && /[\w:/]/.test(value[m.index - 1])) continue
    out.push(m[0].replace(/[.,;:!?]+$/, ''))
  }
  return out
}
