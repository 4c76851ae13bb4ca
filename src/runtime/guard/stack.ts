// Captures the JS call site of an attempt and cleans it: no Node internals, no guard frames, about 12 frames.

const GUARD_FILE = typeof __filename === 'string' ? __filename : ''
const KEEP = 12
// Capture cost grows with depth (roughly 25 µs for 12 frames, 50 µs for 48 on a busy 2-core box), so each
// call site asks for what it needs: wrappers the app calls directly have its frames first (SHALLOW); a socket
// opened deep inside http or a library needs more (DEEP), undici's channel events the most (DEEPEST).
export const SHALLOW = 16
export const DEEP = 32
export const DEEPEST = 64

type Site = NodeJS.CallSite

function returnSites(_error: Error, sites: Site[]): Site[] {
  return sites
}

/** Raw V8 call sites above `below` (a guard function, so its own frame and callers inside the guard are gone). */
export function captureSites(below: Function, depth: number = DEEP): Site[] {
  const ErrorCtor = Error as ErrorConstructor & { prepareStackTrace?: unknown; stackTraceLimit: number }
  const savedPrepare = ErrorCtor.prepareStackTrace
  const savedLimit = ErrorCtor.stackTraceLimit
  try {
    // Our own formatter for the duration of one capture: the app's prepareStackTrace (source-map-support, say)
    // must neither see our captures nor shape them.
    ErrorCtor.prepareStackTrace = returnSites
    ErrorCtor.stackTraceLimit = depth
    const holder: { stack?: unknown } = {}
    Error.captureStackTrace(holder, below)
    const sites = holder.stack
    return Array.isArray(sites) ? (sites as Site[]) : []
  } catch {
    return []
  } finally {
    try {
      ErrorCtor.prepareStackTrace = savedPrepare
      ErrorCtor.stackTraceLimit = savedLimit
    } catch { /* a frozen Error: nothing was changed either */ }
  }
}

/** File of the nearest frame outside the guard, e.g. `node:net` when Node itself made the call. */
export function callerFile(sites: Site[]): string {
  for (const site of sites) {
    const file = site.getFileName()
    if (file && file !== GUARD_FILE) return file
  }
  return ''
}

/**
 * Frames as `fn (file:line:col)`, innermost first, without node: internals and guard frames.
 * `dropFile` removes a library's own frames when an event comes from that library's diagnostics channel, so
 * the first frame left is its caller.
 */
export function formatSites(sites: Site[], dropFile?: RegExp): string[] {
  const out: string[] = []
  for (const site of sites) {
    if (out.length >= KEEP) break
    const file = site.getFileName()
    if (!file || file.startsWith('node:') || file === GUARD_FILE) continue
    if (dropFile && dropFile.test(file)) continue
    try { out.push(String(site.toString())) } catch { /* an odd frame: skip it */ }
  }
  return out
}

/** Captures and formats in one go. */
export function captureStack(below: Function, depth: number = DEEP, dropFile?: RegExp): string[] {
  return formatSites(captureSites(below, depth), dropFile)
}
