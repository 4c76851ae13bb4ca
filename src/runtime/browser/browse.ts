// The browser check: headless Chromium inside the sandbox opens the app's pages and records every third-party request.
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { classifyHost } from '../../address.ts'
import type { BrowserContext, Page } from 'playwright-core'
import type { Sandbox } from '../sandbox.ts'
import { appOriginIn } from './app-origin.ts'
import { PageRecorder, stripHash, type BrowserRequest } from './capture.ts'
import { chromiumArgs, launchChromium, locateChromium, writeNamespaceLauncher } from './chromium.ts'
import { isPageInitiated, readNetLogRequests } from './net-log.ts'
import { makePrivateDir } from '../confine.ts'

export interface BrowseOptions {
  /** Paths (or same-origin URLs) to open, e.g. `/` or `/admin`. */
  paths: string[]
  /** How many more same-origin pages to open by following links (default 10; 0 = only `paths`). */
  crawl?: number
  /** The app's port inside the sandbox (default: the first port it listens on). */
  port?: number
  /** Chromium binary (default: NOPHONEHOME_CHROMIUM, /usr/bin/chromium, chromium on PATH). */
  chromium?: string
  /** Most time spent on one page, load to quiet (default 15 s). */
  pageTimeoutMs?: number
  /** The network counts as idle after this long with nothing in flight (default 500 ms). */
  idleMs?: number
  /** Extra wait after idle so timers set on load can fire (default 1000 ms). */
  settleMs?: number
  env?: NodeJS.ProcessEnv
}

export interface BrowsedPage {
  url: string
  status?: number
  error?: string
  /** False when the page never went quiet within the time budget. */
  quiet: boolean
  ms: number
  /** Third-party requests on this page. */
  thirdParty: number
}

export interface BrowseResult {
  /** The app's origin inside the sandbox. */
  origin: string
  pages: BrowsedPage[]
  /** Third-party requests the pages made (findings). */
  requests: BrowserRequest[]
  /** Requests the browser made by itself: listed, never blamed on the app. */
  own: Array<{ url: string; method?: string; via: string }>
  notes: string[]
  ms: number
}

const DEFAULT_CRAWL = 10
// Following a link must not change the app's state: skip the obvious state-changing ones.
const UNSAFE_LINK = /(?:^|[/_-])(?:log-?out|sign-?out|delete|remove|destroy|reset|uninstall|shutdown)(?:$|[/?._-])/i

/** Runs the browser check against a sandbox whose app is ready. Throws ToolMissingError without Chromium. */
export async function browseInSandbox(sandbox: Sandbox, options: BrowseOptions): Promise<BrowseResult> {
  const started = Date.now()
  const chromium = locateChromium(options.chromium, options.env)
  if (!sandbox.isolated) throw new Error('the sandbox has no network namespace, so the browser could reach the internet: not started')
  const nsPid = sandbox.namespacePid()
  if (!nsPid) throw new Error('the sandbox has ended')
  const origin = appOriginIn(nsPid, options.port)
  if (!origin) throw new Error('the app listens on no TCP port inside the sandbox')
  const originHost = new URL(origin).hostname.replace(/^\[|\]$/g, '')
  // Chromium's net log is evidence: kept where the app cannot reach it (confine.ts).
  const workdir = makePrivateDir('browser-')
  const netLog = join(workdir, 'net-log.json')
  const notes: string[] = []
  const pages: BrowsedPage[] = []
  const requests: BrowserRequest[] = []
  const own: BrowseResult['own'] = []
  const seenByPages = new Set<string>()
  let context: BrowserContext | undefined
  try {
    const launcher = writeNamespaceLauncher(workdir, nsPid, chromium)
    // The profile directory beside the net log: in $TMPDIR, where playwright would put it, the app could edit it.
    context = await launchChromium(launcher, chromiumArgs(originHost, netLog), join(workdir, 'profile'))
    const ctx = context
    const queue = options.paths.map((p) => resolveSameOrigin(p, origin)).filter((u): u is string => !!u)
    for (const p of options.paths) if (!resolveSameOrigin(p, origin)) notes.push(`--browse ${p}: not a path of the app (${origin}); skipped`)
    const visited = new Set<string>()
    let extra = options.crawl ?? DEFAULT_CRAWL
    const given = new Set(queue)
    while (queue.length) {
      const url = queue.shift()!
      if (visited.has(url)) continue
      if (!given.has(url)) { if (extra <= 0) break; extra-- }
      visited.add(url)
      const { page: result, links, recorder } = await visitPage(ctx, url, origin, options)
      pages.push(result)
      const third = recorder.requests.filter((r) => isThirdParty(r.url, origin))
      for (const r of recorder.requests) seenByPages.add(stripHash(r.url))
      result.thirdParty = third.length
      requests.push(...third)
      for (const r of recorder.own) if (isThirdParty(r.url, origin)) own.push({ url: withoutQuery(r.url), method: r.method, via: 'devtools' })
      for (const link of links) if (!visited.has(link) && !queue.includes(link)) queue.push(link)
    }
    if (queue.some((u) => !visited.has(u))) notes.push(`crawl limit reached: ${queue.filter((u) => !visited.has(u)).length} more same-origin link(s) not opened (raise --crawl)`)
  } finally {
    // Closing cleanly makes Chromium finish its net log.
    await context?.close().catch(() => {})
    // What the network service started that no page showed: the browser's own unless an origin caused it.
    for (const r of readNetLogRequests(netLog)) {
      if (!isThirdParty(r.url, origin) || seenByPages.has(stripHash(r.url))) continue
      if (isPageInitiated(r)) {
        // An origin caused it but no page session showed it (a worker, a frame's preconnect): still the page's.
        requests.push({ url: r.url, type: r.requestType === 'sub frame' ? 'document' : 'other', method: r.method, page: r.initiator!, via: 'net-log' })
      } else if (!own.some((o) => o.url === withoutQuery(r.url))) {
        own.push({ url: withoutQuery(r.url), method: r.method, via: 'net-log' })
      }
      seenByPages.add(stripHash(r.url))
    }
    rmSync(workdir, { recursive: true, force: true })
  }
  return { origin, pages, requests, own, notes, ms: Date.now() - started }
}

async function visitPage(context: BrowserContext, url: string, origin: string, options: BrowseOptions): Promise<{ page: BrowsedPage; links: string[]; recorder: PageRecorder }> {
  const started = Date.now()
  const deadline = started + (options.pageTimeoutMs ?? 15_000)
  const page = await context.newPage()
  const session = await context.newCDPSession(page)
  const recorder = await PageRecorder.attach(page, session)
  // Requests DevTools on the page target does not show (dedicated and service workers) still reach playwright.
  // Merged once the page is quiet: playwright's event may come before DevTools' own for the same request.
  const fromPlaywright: BrowserRequest[] = []
  page.on('request', (req) => {
    let frameUrl: string | undefined
    try { frameUrl = req.frame().url() } catch { /* a service worker's request has no frame */ }
    fromPlaywright.push({ url: req.url(), type: req.resourceType(), method: req.method(), page: page.url(), initiator: { type: frameUrl ? 'other' : 'worker', ...(frameUrl ? { url: frameUrl } : {}) }, via: 'playwright' })
  })
  const result: BrowsedPage = { url, quiet: false, ms: 0, thirdParty: 0 }
  let links: string[] = []
  try {
    const response = await page.goto(url, { waitUntil: 'load', timeout: Math.max(1000, deadline - Date.now()) })
    if (response) result.status = response.status()
    result.quiet = await recorder.waitForQuiet({ idleMs: options.idleMs ?? 500, settleMs: options.settleMs ?? 1000, deadline })
    const dom = await page.evaluate<DomFacts>(COLLECT_FROM_DOM).catch((): DomFacts => ({ links: [], hints: [] }))
    links = dom.links.map((l) => resolveSameOrigin(l, origin)).filter((l): l is string => !!l && !UNSAFE_LINK.test(new URL(l).pathname))
    for (const r of fromPlaywright) recorder.addIfUnseen(r)
    const source = await recorder.documentSource()
    const pageUrl = page.url()
    for (const hint of [...dom.hints, ...parseLinkHeaders(recorder.documentLinkHeaders())]) {
      const line = hint.fromHeader ? undefined : lineOf(source, hint.raw ?? hint.href)
      recorder.addIfUnseen({
        url: hint.href,
        type: hint.rel,
        page: pageUrl,
        initiator: hint.fromHeader ? { type: 'header', url: pageUrl } : { type: 'parser', url: pageUrl, ...(line ? { line, column: 0 } : {}) },
        via: hint.fromHeader ? 'header' : 'dom',
      })
    }
  } catch (err) {
    result.error = (err as Error).message.split('\n')[0]
  } finally {
    result.ms = Date.now() - started
    await page.close().catch(() => {})
  }
  return { page: result, links, recorder }
}

/**
 * Runs in the page (a string: this project type-checks without the DOM library): links to follow, and
 * resource hints, which open connections without a request DevTools shows.
 */
const COLLECT_FROM_DOM = `(() => {
  const links = [...document.querySelectorAll('a[href], area[href]')].filter((a) => !a.hasAttribute('download')).map((a) => a.href)
  const hints = []
  for (const l of document.querySelectorAll('link[rel][href]')) {
    const rels = (l.getAttribute('rel') || '').toLowerCase().split(/\\s+/)
    const rel = rels.find((r) => r === 'preconnect' || r === 'dns-prefetch' || r === 'prefetch' || r === 'prerender')
    if (rel) hints.push({ rel, href: l.href, raw: l.getAttribute('href') || '' })
  }
  return { links, hints }
})()`

interface DomFacts { links: string[]; hints: Array<{ rel: string; href: string; raw?: string; fromHeader?: boolean }> }

function parseLinkHeaders(values: string[]): Array<{ rel: string; href: string; raw?: string; fromHeader: true }> {
  const out: Array<{ rel: string; href: string; raw?: string; fromHeader: true }> = []
  for (const v of values) {
    for (const m of v.matchAll(/<([^>]+)>\s*((?:;[^,<]*)*)/g)) {
      const rel = /rel\s*=\s*"?([^";,]+)"?/i.exec(m[2])?.[1]?.toLowerCase().split(/\s+/).find((r) => ['preconnect', 'dns-prefetch', 'preload', 'prefetch'].includes(r))
      if (rel) out.push({ rel, href: m[1], fromHeader: true })
    }
  }
  return out
}

function lineOf(source: string | undefined, needle: string): number | undefined {
  if (!source || !needle) return undefined
  const at = source.indexOf(needle)
  if (at < 0) return undefined
  let line = 1
  for (let i = 0; i < at; i++) if (source.charCodeAt(i) === 10) line++
  return line
}

/** `p` as an absolute URL on the app's origin (no fragment), or undefined when it points elsewhere. */
export function resolveSameOrigin(p: string, origin: string): string | undefined {
  let u: URL
  try { u = new URL(p, origin + '/') } catch { return undefined }
  if (u.origin !== new URL(origin).origin) return undefined
  u.hash = ''
  return u.href
}

/** Third party: a network URL neither on the app's origin nor on this machine (loopback stays with the customer). */
export function isThirdParty(url: string, origin: string): boolean {
  let u: URL
  try { u = new URL(url) } catch { return false }
  if (!/^(https?|wss?|ftp):$/.test(u.protocol)) return false
  if (u.origin === new URL(origin).origin) return false
  return !isLoopbackHost(u.hostname)
}

// The browser's own requests carry nonces and keys in the query; the endpoint is what matters.
function withoutQuery(url: string): string {
  try { const u = new URL(url); return u.origin + u.pathname } catch { return url }
}

function isLoopbackHost(host: string): boolean {
  // Only IP literals and `localhost` names: `127.0.0.1.example.invalid` is a name like any other.
  const { category } = classifyHost(host)
  return category === 'loopback' || category === 'unspecified'
}
