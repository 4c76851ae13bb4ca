// HTML analyser (parse5, with source locations): every URL a page makes the browser fetch, inline scripts and
// event handlers analysed as JavaScript, inline styles as CSS, and the CSP meta tag reported as written.
import { parse } from 'parse5'
import type { DefaultTreeAdapterTypes } from 'parse5'
import type { LocatedFinding } from '../analysis/file-result.ts'
import type { FileAnalysis, FileAnalyserContext } from '../analysis/file-analysers.ts'
import type { ModuleKind } from '../parse/parse.ts'
import { destinationOfUrlString } from '../parse/destination.ts'
import { signatureMatcher } from '../../signatures/matcher.ts'
import { Locator } from './located.ts'
import { judgeReference, resolveAgainst, type Reference } from './resource.ts'
import { analyseCssText } from './css.ts'

type Element = DefaultTreeAdapterTypes.Element
type Node = DefaultTreeAdapterTypes.Node
type Location = { startLine: number; startCol: number; startOffset: number; endOffset: number }


/** Attributes that make the browser fetch, per element (lower-case names; SVG ones included). */
const RESOURCE_ATTRS: Record<string, readonly string[]> = {
  script: ['src'], img: ['src', 'srcset'], iframe: ['src'], frame: ['src'], video: ['src', 'poster'], audio: ['src'],
  source: ['src', 'srcset'], embed: ['src'], object: ['data'], track: ['src'], input: ['src', 'formaction'],
  button: ['formaction'], form: ['action'], image: ['href', 'xlink:href'], use: ['href', 'xlink:href'],
  feimage: ['href', 'xlink:href'], body: ['background'], table: ['background'], td: ['background'], th: ['background'],
}
/** `<link rel>` values that fetch or open a connection. Others (canonical, alternate, author…) are only metadata. */
const FETCHING_RELS = new Set(['stylesheet', 'preconnect', 'dns-prefetch', 'prefetch', 'preload', 'modulepreload', 'prerender', 'icon', 'shortcut', 'apple-touch-icon', 'apple-touch-icon-precomposed', 'mask-icon', 'manifest', 'fluid-icon', 'import', 'subresource'])
const JS_TYPES = new Set(['', 'text/javascript', 'application/javascript', 'text/ecmascript', 'application/ecmascript', 'application/x-javascript', 'text/jscript', 'module'])
const JSON_URL_TYPES = new Set(['importmap', 'speculationrules'])
// `(function(event){` — event handler bodies run as function bodies; the prefix length shifts columns back.
const HANDLER_PREFIX = '(function(event){'

export interface HtmlOptions {
  /** Prefix for messages of findings inside nested documents (iframe srcdoc). */
  nested?: boolean
}

/** The registered analyser for .html/.htm files. */
export function analyseHtmlFile(untrustedText: string, ctx: FileAnalyserContext): FileAnalysis {
  const locator = new Locator(untrustedText)
  const findings: LocatedFinding[] = []
  const problems: string[] = []
  walkDocument(untrustedText, locator, findings, problems, ctx)
  return problems.length ? { findings, notAnalysed: problems.join('; ') } : { findings }
}

function walkDocument(untrustedText: string, locator: Locator, findings: LocatedFinding[], problems: string[], ctx: FileAnalyserContext): void {
  const doc = parse(untrustedText, { sourceCodeLocationInfo: true, scriptingEnabled: true })
  let base: string | undefined
  // An iterative walk: hostile pages can nest deeper than our stack.
  const stack: Node[] = [doc]
  while (stack.length) {
    const node = stack.pop()!
    if ('tagName' in node) {
      const b = visitElement(node, untrustedText, locator, findings, problems, ctx, base)
      if (b) base = b
      if (node.tagName === 'template') stack.push(...[...(node as DefaultTreeAdapterTypes.Template).content.childNodes].reverse())
    }
    if ('childNodes' in node) for (let i = node.childNodes.length - 1; i >= 0; i--) stack.push(node.childNodes[i])
  }
}

/** Offset of an attribute's value in the file (after `name=` and the quote), or of the attribute when unknown. */
function valueOffset(untrustedText: string, loc: Location | undefined, fallback: number): number {
  if (!loc) return fallback
  const raw = untrustedText.slice(loc.startOffset, loc.endOffset)
  const m = /^[^=]*=\s*["']?/.exec(raw)
  return loc.startOffset + (m ? m[0].length : 0)
}

/** Offset of `part` inside an attribute value (entities can make it unfindable: then the value's start). */
function partOffset(untrustedText: string, loc: Location | undefined, valueStart: number, part: string): number {
  if (!loc) return valueStart
  const i = untrustedText.slice(valueStart, loc.endOffset).indexOf(part)
  return i === -1 ? valueStart : valueStart + i
}

function visitElement(
  el: Element, untrustedText: string, locator: Locator, findings: LocatedFinding[], problems: string[],
  ctx: FileAnalyserContext, base: string | undefined,
): string | undefined {
  const tag = el.tagName.toLowerCase()
  const elLoc = el.sourceCodeLocation as (Location & { attrs?: Record<string, Location> }) | undefined | null
  const elOffset = elLoc?.startOffset ?? 0
  const attrs = new Map<string, { value: string; loc?: Location }>()
  for (const a of el.attrs) {
    const name = (a.prefix ? `${a.prefix}:${a.name}` : a.name).toLowerCase()
    attrs.set(name, { value: a.value, loc: elLoc?.attrs?.[name] ?? elLoc?.attrs?.[a.name] })
  }
  const refAt = (attr: string, value: string, what: string, kind: Reference['kind'] = 'resource', part = value) => {
    const a = attrs.get(attr)
    const start = valueOffset(untrustedText, a?.loc, elOffset)
    judgeReference({ untrustedUrl: part, offset: partOffset(untrustedText, a?.loc, start, part), what, kind }, locator, findings, base)
  }
  let newBase: string | undefined

  for (const [name, { value, loc }] of attrs) {
    // Inline event handlers are JavaScript, run as function bodies.
    if (name.startsWith('on') && name.length > 2 && value.trim()) {
      const at = locator.position(valueOffset(untrustedText, loc, elOffset))
      absorbScript(ctx.analyseScript(`${HANDLER_PREFIX}${value}\n})`, { line: at.line, column: at.column - HANDLER_PREFIX.length }, 'script'), findings, problems, locator, `${name} handler`, at)
    } else if (name === 'style' && value.trim()) {
      const off = valueOffset(untrustedText, loc, elOffset)
      const at = locator.position(off)
      analyseCssText(value, { offset: off, line: at.line, column: at.column + 1, context: 'declarationList', label: `<${tag} style>`, base }, locator, findings)
    } else if (/^javascript:/i.test(value.trim()) && (name === 'href' || name === 'src' || name === 'action' || name === 'formaction')) {
      const off = valueOffset(untrustedText, loc, elOffset) + value.indexOf(':') + 1
      const at = locator.position(off)
      let code = value.trim().slice('javascript:'.length)
      try { code = decodeURIComponent(code) } catch { /* keep as written */ }
      absorbScript(ctx.analyseScript(code, at, 'script'), findings, problems, locator, `javascript: URL in ${name}`, at)
    }
  }

  for (const attr of RESOURCE_ATTRS[tag] ?? []) {
    const a = attrs.get(attr)
    if (!a || /^javascript:/i.test(a.value.trim())) continue
    if (attr === 'srcset') {
      for (const candidate of srcsetUrls(a.value)) refAt(attr, a.value, `<${tag} srcset>`, 'resource', candidate)
    } else refAt(attr, a.value, `<${tag} ${attr}>`)
  }

  switch (tag) {
    case 'link': {
      const href = attrs.get('href')?.value
      const rels = (attrs.get('rel')?.value ?? '').toLowerCase().split(/\s+/).filter(Boolean)
      const fetching = rels.filter((r) => FETCHING_RELS.has(r))
      if (href) {
        if (fetching.length) refAt('href', href, `<link rel=${fetching.join(' ')}>`)
        else refAt('href', href, `<link rel=${rels.join(' ') || '(none)'}>`, 'navigation')
      }
      const imagesrcset = attrs.get('imagesrcset')?.value
      if (imagesrcset && fetching.length) for (const c of srcsetUrls(imagesrcset)) refAt('imagesrcset', imagesrcset, '<link imagesrcset>', 'resource', c)
      break
    }
    case 'a':
    case 'area': {
      const href = attrs.get('href')?.value
      if (href && !/^javascript:/i.test(href.trim())) refAt('href', href, `<${tag} href>`, 'navigation')
      // `ping` sends a POST to each URL when the link is followed: a beacon.
      const ping = attrs.get('ping')?.value
      if (ping) for (const p of ping.trim().split(/\s+/)) refAt('ping', ping, `<${tag} ping>`, 'resource', p)
      break
    }
    case 'base': {
      const href = attrs.get('href')?.value
      if (href) {
        refAt('href', href, '<base href>')
        const resolved = resolveAgainst(href.trim(), base)
        if (destinationOfUrlString(resolved).provenance === 'hard-coded-external') newBase = resolved
      }
      break
    }
    case 'meta':
      visitMeta(attrs, untrustedText, locator, findings, refAt, elOffset)
      break
    case 'script':
      if (!attrs.has('src')) visitInlineScript(el, attrs.get('type')?.value ?? '', untrustedText, locator, findings, problems, ctx, base)
      break
    case 'style': {
      const text = el.childNodes[0] as DefaultTreeAdapterTypes.TextNode | undefined
      const tl = text?.sourceCodeLocation
      if (text && 'value' in text && tl) analyseCssText(text.value, { offset: tl.startOffset, line: tl.startLine, column: tl.startCol, context: 'stylesheet', label: '<style>', base }, locator, findings)
      break
    }
    case 'iframe': {
      const srcdoc = attrs.get('srcdoc')
      if (srcdoc?.value.trim()) visitSrcdoc(srcdoc.value, valueOffset(untrustedText, srcdoc.loc, elOffset), locator, findings, problems, ctx)
      break
    }
    default:
      break
  }
  return newBase
}

function visitMeta(
  attrs: Map<string, { value: string; loc?: Location }>, untrustedText: string, locator: Locator, findings: LocatedFinding[],
  refAt: (attr: string, value: string, what: string, kind?: Reference['kind'], part?: string) => void, elOffset: number,
): void {
  const equiv = attrs.get('http-equiv')?.value.trim().toLowerCase()
  const content = attrs.get('content')
  if (!equiv || !content) return
  if (equiv === 'refresh') {
    const m = /url\s*=\s*['"]?([^'"\s]+)/i.exec(content.value)
    if (m) refAt('content', content.value, '<meta http-equiv=refresh>', 'resource', m[1])
    return
  }
  if (equiv === 'content-security-policy' || equiv === 'content-security-policy-report-only') {
    const directives = content.value.split(';').map((d) => d.trim()).filter(Boolean)
    const external: string[] = []
    const known = new Set<string>()
    for (const d of directives) {
      const [name, ...sources] = d.split(/\s+/)
      for (const s of sources) {
        if (/^'|^(data|blob|mediastream|filesystem|self):?$/i.test(s)) continue
        if (/^(https?|wss?):?$/i.test(s) || s === '*') { external.push(`${name} ${s} (any host)`); continue }
        const url = /^[a-z][a-z0-9+.-]*:\/\//i.test(s) ? s : `https://${s}`
        const dest = destinationOfUrlString(url)
        if (dest.provenance !== 'hard-coded-external') continue
        external.push(`${name} ${s}`)
        const sig = signatureMatcher().matchUrl(url.replace('://*.', '://wildcard.'))
        if (sig) known.add(sig.signature.vendor)
      }
    }
    const off = valueOffset(untrustedText, content.loc, elOffset)
    const details: Record<string, string> = { policy: content.value.slice(0, 1000) }
    if (external.length) details.externalSources = external.join(', ').slice(0, 1000)
    if (known.size) details.knownServices = [...known].sort().join(', ')
    findings.push(locator.finding({
      rule: 'frontend-csp', severity: 'info', offset: off, code: `csp ${content.value}`, api: `<meta http-equiv=${equiv}>`,
      message: external.length
        ? `CSP (meta) allows external sources: ${external.slice(0, 6).join(', ')}${external.length > 6 ? ` and ${external.length - 6} more` : ''}${known.size ? ` — known services: ${[...known].sort().join(', ')}` : ''}`
        : `CSP (meta) allows no external source (${directives.length} directive(s))`,
      details,
    }))
  }
}

function visitInlineScript(
  el: Element, rawType: string, untrustedText: string, locator: Locator, findings: LocatedFinding[], problems: string[],
  ctx: FileAnalyserContext, base: string | undefined,
): void {
  const text = el.childNodes[0] as DefaultTreeAdapterTypes.TextNode | undefined
  const tl = text?.sourceCodeLocation
  if (!text || !('value' in text) || !tl || !text.value.trim()) return
  const type = rawType.trim().toLowerCase().split(';')[0]
  const at = { line: tl.startLine, column: tl.startCol - 1 }
  if (JS_TYPES.has(type)) {
    const kind: ModuleKind = type === 'module' ? 'module' : 'script'
    absorbScript(ctx.analyseScript(text.value, at, kind), findings, problems, locator, 'inline <script>', at)
    return
  }
  if (JSON_URL_TYPES.has(type)) {
    // Import maps and speculation rules name URLs the browser will fetch.
    let json: unknown
    try { json = JSON.parse(text.value) } catch { return }
    for (const url of stringsIn(json)) {
      if (!/^([a-z][a-z0-9+.-]*:)?\/\//i.test(url)) continue
      const i = untrustedText.indexOf(JSON.stringify(url).slice(1, -1), tl.startOffset)
      judgeReference({ untrustedUrl: url, offset: i === -1 ? tl.startOffset : i, what: `<script type=${type}>`, kind: 'resource' }, locator, findings, base)
    }
  }
  // Other types (templates, JSON-LD data) are not run by the browser.
}

function visitSrcdoc(untrustedHtml: string, offset: number, locator: Locator, findings: LocatedFinding[], problems: string[], ctx: FileAnalyserContext): void {
  // Findings inside srcdoc point at the attribute: its own positions are in another (decoded) text.
  const innerLocator = new Locator(untrustedHtml)
  const inner: LocatedFinding[] = []
  const at = locator.position(offset)
  const innerCtx: FileAnalyserContext = {
    ...ctx,
    analyseScript: (code, _pos, kind) => ctx.analyseScript(code, { line: 1, column: 0 }, kind),
  }
  walkDocument(untrustedHtml, innerLocator, inner, problems, innerCtx)
  const snippet = locator.snippetAt(at.line, at.column)
  for (const f of inner) findings.push({ ...f, line: at.line, column: at.column, offset, snippet, message: `${f.message} (in <iframe srcdoc>)` })
}

function absorbScript(
  result: LocatedFinding[] | { parseError: string }, findings: LocatedFinding[], problems: string[], locator: Locator,
  what: string, at: { line: number; column: number },
): void {
  if (Array.isArray(result)) {
    findings.push(...result)
    return
  }
  problems.push(`${what} at ${at.line}:${at.column} does not parse (${result.parseError})`)
  findings.push({
    rule: 'parse-error', severity: 'review', message: `${what} does not parse: ${result.parseError} — nothing in it was analysed`,
    line: at.line, column: at.column, snippet: locator.snippetAt(at.line, at.column), code: `${what} parse error`, offset: 0,
  })
}

/** URLs of a srcset: comma-separated candidates, each a URL then an optional descriptor. */
export function srcsetUrls(untrustedSrcset: string): string[] {
  const out: string[] = []
  for (const m of untrustedSrcset.matchAll(/\s*([^\s,][^\s]*?)(?:,?(?=\s|$)|,)(?:\s+[^,]*)?(?:,|$)/g)) {
    if (m[1]) out.push(m[1].replace(/,$/, ''))
  }
  return out
}

function stringsIn(v: unknown, out: string[] = [], depth = 0): string[] {
  if (depth > 8 || out.length > 500) return out
  if (typeof v === 'string') out.push(v)
  else if (Array.isArray(v)) for (const x of v) stringsIn(x, out, depth + 1)
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) { out.push(k); stringsIn(x, out, depth + 1) }
  return out
}
