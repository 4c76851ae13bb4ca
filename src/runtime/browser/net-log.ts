// Reads Chromium's net log (--log-net-log): every URL request the network service started, page or browser.
import { readFileSync } from 'node:fs'

export interface NetLogRequest {
  url: string
  method?: string
  /** The origin that caused it, as Chromium logs it; absent or `not an origin` for browser-initiated requests. */
  initiator?: string
  /** `main frame`, `sub frame` or `other`. */
  requestType?: string
}

interface NetLogEvent { type: number; params?: Record<string, unknown> }

/**
 * URL_REQUEST_START_JOB events of a net log. The file is a JSON object written as it goes (one event a
 * line); a browser that did not shut down cleanly leaves it unterminated, so parse line by line then.
 */
export function readNetLogRequests(file: string): NetLogRequest[] {
  let text: string
  try { text = readFileSync(file, 'utf8') } catch { return [] }
  return parseNetLog(text)
}

export function parseNetLog(text: string): NetLogRequest[] {
  let constants: { logEventTypes?: Record<string, number> } | undefined
  let events: NetLogEvent[] = []
  try {
    const whole = JSON.parse(text) as { constants?: typeof constants; events?: NetLogEvent[] }
    constants = whole.constants
    events = whole.events ?? []
  } catch {
    const at = text.indexOf('"events"')
    if (at < 0) return []
    try { constants = (JSON.parse(text.slice(0, text.lastIndexOf(',', at)) + '}') as { constants?: typeof constants }).constants } catch { return [] }
    for (const line of text.slice(text.indexOf('[', at) + 1).split('\n')) {
      const trimmed = line.trim().replace(/,$/, '')
      if (!trimmed.startsWith('{')) continue
      try { events.push(JSON.parse(trimmed) as NetLogEvent) } catch { /* torn last line */ }
    }
  }
  const startJob = constants?.logEventTypes?.URL_REQUEST_START_JOB
  if (startJob === undefined) return []
  const out: NetLogRequest[] = []
  for (const e of events) {
    if (e.type !== startJob || typeof e.params?.url !== 'string') continue
    const p = e.params
    out.push({
      url: p.url as string,
      ...(typeof p.method === 'string' ? { method: p.method } : {}),
      ...(typeof p.initiator === 'string' ? { initiator: p.initiator } : {}),
      ...(typeof p.request_type === 'string' ? { requestType: p.request_type } : {}),
    })
  }
  return out
}

/** Whether the net log says the page (some origin) caused the request, rather than the browser itself. */
export function isPageInitiated(req: NetLogRequest): boolean {
  return !!req.initiator && req.initiator !== 'not an origin' && req.initiator !== 'null'
}
