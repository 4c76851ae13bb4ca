// Which recorded call a socket belongs to: a socket opened for a recorded fetch or http.request is not a second attempt.
import { AsyncLocalStorage } from 'node:async_hooks'
import { isIP } from 'node:net'

/** A high-level call that was (or will be) recorded; sockets opened on its behalf are folded into it. */
export interface Cover {
  api: string
  /** Host the call names; undefined when the first socket opened during the call is by definition its own. */
  host?: string
  /** Call site of the high-level call (fetch's is otherwise lost across its async hops). */
  stack: string[]
  /** Record the first socket under this api (tls.connect) instead of recording the call itself. */
  recordOnConnect: boolean
  /** Sockets opened while covered. */
  hits: number
  /** Destination of the first socket, when one was opened. */
  connected?: { host?: string; port?: number }
}

// fetch, WebSocket and EventSource connect after several async hops; AsyncLocalStorage carries their call site
// there. On Node 20/22 the first run() turns on promise hooks for the rest of the process (24+ uses
// AsyncContextFrame and costs nothing); that is why it is only entered for those few globals.
export const asyncCover = new AsyncLocalStorage<Cover>()

let syncCover: Cover | undefined
let pendingUndiciConnect: Cover | undefined

/** Runs `fn` under a synchronous cover; an outer cover wins (https.request → tls.connect is one call). */
export function runCovered<T>(cover: Cover, fn: () => T): T {
  if (syncCover) return fn()
  syncCover = cover
  try {
    return fn()
  } finally {
    syncCover = undefined
  }
}

/** undici publishes `undici:client:beforeConnect` right before its connector opens the socket in the same tick. */
export function expectUndiciConnect(cover: Cover): void {
  pendingUndiciConnect = cover
  queueMicrotask(clearUndiciConnect)
}

function clearUndiciConnect(): void {
  pendingUndiciConnect = undefined
}

/** The cover in force, without consuming undici's one-shot one. */
export function peekCover(): Cover | undefined {
  return syncCover ?? pendingUndiciConnect ?? asyncCover.getStore()
}

/** The cover for a socket being opened now; undici's one-shot cover is used up by it. */
export function currentCover(): Cover | undefined {
  if (syncCover) return syncCover
  if (pendingUndiciConnect) {
    const c = pendingUndiciConnect
    pendingUndiciConnect = undefined
    return c
  }
  return asyncCover.getStore()
}

/** Host names compare case-insensitively; IPv6 literals with or without brackets. */
export function isSameHost(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return false
  return normaliseHost(a) === normaliseHost(b)
}

function normaliseHost(host: string): string {
  const h = host.toLowerCase()
  return h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h
}

/** `address` is set when the host is already an IP literal. */
export function addressOf(host: string | undefined): string | undefined {
  if (!host) return undefined
  const h = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host
  return isIP(h) ? h : undefined
}
