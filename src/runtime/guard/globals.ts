// fetch, WebSocket and EventSource globals: recorded at the call, their call site carried to the socket they open.
import { record } from './log.ts'
import { SHALLOW, captureStack } from './stack.ts'
import { addressOf, asyncCover, type Cover } from './cover.ts'
import { describeRequest } from './http.ts'
import { disguise, patches } from './wrap.ts'

interface Destination { host: string; port: number; path: string; method: string; protocol: string }

function readUrl(untrustedInput: unknown, method: string): Destination | undefined {
  let href: string | undefined
  if (typeof untrustedInput === 'string') href = untrustedInput
  else if (untrustedInput instanceof URL) href = untrustedInput.href
  else if (untrustedInput && typeof untrustedInput === 'object' && typeof (untrustedInput as { url?: unknown }).url === 'string') {
    // A Request object: its own url and method.
    href = (untrustedInput as { url: string }).url
    const m = (untrustedInput as { method?: unknown }).method
    if (typeof m === 'string') method = m
  }
  if (href === undefined) return undefined
  let url: URL
  try { url = new URL(href) } catch { return undefined }
  const host = url.hostname.replace(/^\[|\]$/g, '')
  const secure = url.protocol === 'https:' || url.protocol === 'wss:'
  return { host, port: url.port ? Number(url.port) : secure ? 443 : 80, path: url.pathname + url.search, method, protocol: url.protocol }
}

function recordCall(api: string, dest: Destination, stack: string[], extra?: string): Cover {
  record({
    api,
    host: dest.host,
    address: addressOf(dest.host),
    port: dest.port,
    protocol: 'http',
    stack,
    sent: describeRequest(dest.method, dest.path, dest.host) + (extra ?? ''),
  })
  return { api, host: dest.host, stack, recordOnConnect: false, hits: 0 }
}

function wrapFetch(original: Function): Function {
  return function fetch(this: unknown, input: unknown, init?: unknown) {
    let cover: Cover | undefined
    try {
      const m = init && typeof init === 'object' ? (init as { method?: unknown }).method : undefined
      const dest = readUrl(input, typeof m === 'string' ? m.toUpperCase() : 'GET')
      if (dest) cover = recordCall('fetch', dest, captureStack(fetch, SHALLOW))
    } catch { /* never break the app */ }
    // Forward exactly the arguments given (fetch(url) and fetch(url, undefined) both stay as they were).
    const args = arguments
    if (!cover) return Reflect.apply(original, this, args)
    return asyncCover.run(cover, () => Reflect.apply(original, this, args))
  }
}

function wrapConstructor(api: string, original: Function, extra: string): Function {
  // A Proxy keeps statics (WebSocket.OPEN), the prototype and instanceof working as before.
  const proxy: Function = new Proxy(original, {
    construct(target, args, newTarget) {
      let cover: Cover | undefined
      try {
        const dest = readUrl(args[0], 'GET')
        if (dest) cover = recordCall(api, dest, captureStack(proxy, SHALLOW), extra)
      } catch { /* never break the app */ }
      const nt = newTarget === proxy ? target : newTarget
      if (!cover) return Reflect.construct(target, args, nt)
      return asyncCover.run(cover, () => Reflect.construct(target, args, nt))
    },
  })
  return proxy
}

function replaceGlobal(name: string, make: (original: Function) => Function, isProxy: boolean): void {
  const desc = Object.getOwnPropertyDescriptor(globalThis, name)
  // Absent on this Node (WebSocket before 22, EventSource without its flag), or an accessor we should not force.
  if (!desc || !('value' in desc) || typeof desc.value !== 'function') return
  const wrapper = make(desc.value as Function)
  // A Proxy already shows the original's name and length.
  if (!isProxy) disguise(wrapper, desc.value as Function)
  try {
    Object.defineProperty(globalThis, name, { ...desc, value: wrapper })
  } catch {
    return
  }
  patches.push({ owner: globalThis, key: name, label: `globalThis.${name}`, wrapper })
}

export function installGlobals(): void {
  replaceGlobal('fetch', wrapFetch, false)
  replaceGlobal('WebSocket', (original) => wrapConstructor('WebSocket', original, '\r\nUpgrade: websocket'), true)
  replaceGlobal('EventSource', (original) => wrapConstructor('EventSource', original, '\r\nAccept: text/event-stream'), true)
}
