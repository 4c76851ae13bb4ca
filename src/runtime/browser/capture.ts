// Records, through the DevTools protocol, every request one page makes: what, from which code, and whether the network went quiet.
import type { CDPSession, Page } from 'playwright-core'

/** Where a request came from: the parser (HTML line), a script (top frame with a URL), a preload… */
export interface Initiator {
  type: string
  url?: string
  /** 1-based */
  line?: number
  /** 0-based */
  column?: number
  function?: string
}

/** One attempt the page made (or, in `own`, the browser made by itself). */
export interface BrowserRequest {
  url: string
  /** DevTools resource type, lower-case: document, stylesheet, script, image, font, ping, fetch, xhr, websocket, … ; `preconnect` / `dns-prefetch` for hints. */
  type: string
  method?: string
  /** The page being browsed when it happened. */
  page: string
  initiator?: Initiator
  /** What the request would have carried (beacon/POST body), trimmed. */
  sent?: string
  /** Why the browser did not send it at all, e.g. `csp` (the page's own Content-Security-Policy). */
  blocked?: string
  /** How it failed (in the sandbox every third-party request fails: net::ERR_NAME_NOT_RESOLVED). */
  error?: string
  /** Which source saw it: DevTools, playwright's request events, the DOM (hints), a Link header, the net log. */
  via: 'devtools' | 'playwright' | 'dom' | 'header' | 'net-log'
}

interface CdpCallFrame { functionName?: string; url?: string; lineNumber?: number; columnNumber?: number }
interface CdpStack { callFrames?: CdpCallFrame[]; parent?: CdpStack }
interface CdpInitiator { type: string; url?: string; lineNumber?: number; columnNumber?: number; stack?: CdpStack }
interface RequestWillBeSent {
  requestId: string
  frameId?: string
  documentURL?: string
  type?: string
  initiator: CdpInitiator
  request: { url: string; method: string; postData?: string; hasPostData?: boolean; postDataEntries?: Array<{ bytes?: string }> }
  redirectResponse?: unknown
}

const SENT_LIMIT = 512

/** A page's DevTools recorder: all requests (for idleness), and its document's source (for hint line numbers). */
export class PageRecorder {
  readonly requests: BrowserRequest[] = []
  /** Requests DevTools shows without a frame and with initiator `other`: the browser's, not the page's. */
  readonly own: BrowserRequest[] = []
  readonly seenUrls = new Set<string>()
  private inflight = new Map<string, BrowserRequest | undefined>()
  private lastActivity = Date.now()
  private documentRequestId: string | undefined
  private documentUrl: string | undefined
  private linkHeaders: string[] = []

  private constructor(private readonly session: CDPSession, private pageUrl: () => string) {}

  /** Attaches to a page before it navigates (so the first request is seen). */
  static async attach(page: Page, session: CDPSession): Promise<PageRecorder> {
    const rec = new PageRecorder(session, () => page.url())
    session.on('Network.requestWillBeSent', (e) => rec.onRequest(e as unknown as RequestWillBeSent))
    session.on('Network.loadingFinished', (e) => rec.settle((e as { requestId: string }).requestId))
    session.on('Network.loadingFailed', (e) => {
      const ev = e as { requestId: string; errorText?: string; blockedReason?: string; corsErrorStatus?: unknown }
      const req = rec.inflight.get(ev.requestId)
      if (req) {
        if (ev.blockedReason) req.blocked = ev.blockedReason
        if (ev.errorText) req.error = ev.errorText
      }
      rec.settle(ev.requestId)
    })
    session.on('Network.responseReceived', (e) => {
      const ev = e as { requestId: string; type?: string; response: { url: string; headers?: Record<string, string> } }
      if (ev.requestId === rec.documentRequestId) {
        for (const [k, v] of Object.entries(ev.response.headers ?? {})) if (k.toLowerCase() === 'link') rec.linkHeaders.push(v)
      }
    })
    session.on('Network.webSocketCreated', (e) => {
      const ev = e as { requestId: string; url: string; initiator?: CdpInitiator }
      rec.touch()
      rec.record({ url: ev.url, type: 'websocket', page: rec.pageUrl(), initiator: toInitiator(ev.initiator), via: 'devtools' })
    })
    await session.send('Network.enable')
    return rec
  }

  private onRequest(e: RequestWillBeSent): void {
    this.touch()
    const type = (e.type ?? 'other').toLowerCase()
    if (type === 'document' && !this.documentRequestId) { this.documentRequestId = e.requestId; this.documentUrl = e.request.url }
    else if (type === 'document' && e.requestId === this.documentRequestId) this.documentUrl = e.request.url
    const req: BrowserRequest = {
      url: e.request.url,
      type,
      method: e.request.method,
      page: this.pageUrl() === 'about:blank' ? (this.documentUrl ?? e.request.url) : this.pageUrl(),
      initiator: toInitiator(e.initiator),
      via: 'devtools',
    }
    const body = e.request.postData ?? decodePostEntries(e.request.postDataEntries)
    if (body) req.sent = body.slice(0, SENT_LIMIT)
    // The heuristic for the browser's own traffic: no frame to belong to, and nothing in the page caused it.
    const own = !e.frameId && e.initiator.type === 'other'
    const internal = /^(chrome|devtools|chrome-extension|chrome-untrusted):/.test(e.documentURL ?? '')
    this.inflight.set(e.requestId, req)
    this.seenUrls.add(stripHash(req.url))
    if (own || internal) this.own.push(req)
    else this.requests.push(req)
  }

  private record(req: BrowserRequest): void {
    this.seenUrls.add(stripHash(req.url))
    this.requests.push(req)
  }

  /** Adds a request seen elsewhere (playwright events for workers, DOM hints) unless DevTools already had it. */
  addIfUnseen(req: BrowserRequest): void {
    if (this.seenUrls.has(stripHash(req.url))) return
    this.record(req)
  }

  private settle(requestId: string): void {
    this.touch()
    this.inflight.delete(requestId)
  }

  private touch(): void { this.lastActivity = Date.now() }

  /**
   * Resolves once nothing has been in flight for `idleMs`, then waits `settleMs` more so timers the
   * page set on load fire; if they start requests, waits for those too. Never past `deadline`.
   */
  async waitForQuiet({ idleMs, settleMs, deadline }: { idleMs: number; settleMs: number; deadline: number }): Promise<boolean> {
    const tick = 25
    for (;;) {
      while (this.inflight.size > 0 || Date.now() - this.lastActivity < idleMs) {
        if (Date.now() >= deadline) return false
        await sleep(tick)
      }
      const mark = this.lastActivity
      const settleEnd = Math.min(deadline, Date.now() + settleMs)
      while (Date.now() < settleEnd && this.lastActivity === mark) await sleep(tick)
      if (this.lastActivity === mark) return true
      if (Date.now() >= deadline) return false
    }
  }

  /** The document's source, for finding the line of a hint the DOM reports. */
  async documentSource(): Promise<string | undefined> {
    if (!this.documentRequestId) return undefined
    try {
      const r = await this.session.send('Network.getResponseBody', { requestId: this.documentRequestId }) as { body: string; base64Encoded: boolean }
      return r.base64Encoded ? Buffer.from(r.body, 'base64').toString('utf8') : r.body
    } catch { return undefined }
  }

  /** `Link:` headers of the document (preconnect/dns-prefetch/preload hints can come from the server). */
  documentLinkHeaders(): string[] { return [...this.linkHeaders] }
}

/** DevTools initiator → the top frame that has a URL (async parents included); lines made 1-based. */
export function toInitiator(init: CdpInitiator | undefined): Initiator | undefined {
  if (!init) return undefined
  if (init.url && init.type !== 'script') {
    return { type: init.type, url: init.url, ...(init.lineNumber !== undefined ? { line: init.lineNumber + 1, column: init.columnNumber ?? 0 } : {}) }
  }
  for (let stack: CdpStack | undefined = init.stack; stack; stack = stack.parent) {
    const frame = stack.callFrames?.find((f) => f.url)
    if (frame) {
      return {
        type: init.type,
        url: frame.url,
        line: (frame.lineNumber ?? 0) + 1,
        column: frame.columnNumber ?? 0,
        ...(frame.functionName ? { function: frame.functionName } : {}),
      }
    }
  }
  return { type: init.type, ...(init.url ? { url: init.url } : {}) }
}

function decodePostEntries(entries: Array<{ bytes?: string }> | undefined): string | undefined {
  if (!entries?.length) return undefined
  return entries.map((e) => (e.bytes ? Buffer.from(e.bytes, 'base64').toString('utf8') : '')).join('')
}

export function stripHash(url: string): string {
  const i = url.indexOf('#')
  return i < 0 ? url : url.slice(0, i)
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms))
}
