// Precompiled lookups over the signature database: hosts by suffix map, one combined key regex, packages and globals by name.
// Matching runs for every URL-like string in 100+ MB of node_modules, so nothing here loops over the entries per string.
import { SIGNATURES } from './data.ts'
import type { Signature } from './types.ts'

interface HostRule {
  signature: Signature
  /** Anchored at the start of the URL path; absent = any path. */
  path?: RegExp
}

export interface HostMatch {
  signature: Signature
  host: string
}

export interface KeyMatch {
  signature: Signature
  /** The matched key text, shortened so reports do not carry whole secrets. */
  key: string
}

/** How an SDK is started: see Signature.init. */
export interface InitSpec {
  signature: Signature
  kind: 'call' | 'new' | 'import'
  /** Member path on the module ('' = the export itself) or, for `import`, the exact specifier ('' = any). */
  path: string
}

export interface ParsedUrl {
  scheme: string
  host: string
  port?: number
  path: string
}

export class SignatureMatcher {
  private exact = new Map<string, HostRule[]>()
  private wildcard = new Map<string, HostRule[]>()
  private keyRe: RegExp | undefined
  private keyOwners: Signature[] = []
  private packages = new Map<string, Signature>()
  private inits = new Map<string, InitSpec[]>()
  private globals = new Map<string, Signature>()
  private globalRoots = new Set<string>()
  readonly entries: readonly Signature[]

  constructor(entries: readonly Signature[]) {
    this.entries = entries
    const keySources: string[] = []
    for (const sig of entries) {
      for (const pattern of sig.hosts) this.addHost(pattern, sig)
      for (const k of sig.keys ?? []) {
        keySources.push(`(?<k${this.keyOwners.length}>${k})`)
        this.keyOwners.push(sig)
      }
      for (const p of sig.packages ?? []) if (!this.packages.has(p)) this.packages.set(p, sig)
      for (const raw of sig.init ?? []) {
        for (const p of sig.packages ?? []) {
          const spec = parseInit(raw, sig)
          const key = spec.kind === 'import' && spec.path ? `import:${spec.path}` : `${p}\0${spec.kind}\0${spec.path}`
          const list = this.inits.get(key) ?? []
          if (!list.some((s) => s.signature === sig)) list.push(spec)
          this.inits.set(key, list)
        }
      }
      for (const g of sig.globals ?? []) {
        this.globals.set(g, sig)
        this.globalRoots.add(g.split('.')[0])
      }
    }
    this.keyRe = keySources.length ? new RegExp(keySources.join('|')) : undefined
    // Path rules first: `1.1.1.1/cdn-cgi/trace` must win over the bare `1.1.1.1`.
    for (const list of [...this.exact.values(), ...this.wildcard.values()]) list.sort((a, b) => Number(!a.path) - Number(!b.path))
  }

  private addHost(pattern: string, signature: Signature): void {
    const slash = pattern.indexOf('/')
    const hostPart = slash === -1 ? pattern : pattern.slice(0, slash)
    const pathPart = slash === -1 ? undefined : pattern.slice(slash)
    const rule: HostRule = { signature }
    if (pathPart) rule.path = new RegExp('^' + pathPart.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]+'), 'i')
    const wild = hostPart.startsWith('*.')
    const host = normaliseHost(wild ? hostPart.slice(2) : hostPart)
    const map = wild ? this.wildcard : this.exact
    const list = map.get(host) ?? []
    list.push(rule)
    map.set(host, list)
  }

  /** Signature for a host (and optional URL path): exact host first, then each parent domain's wildcard. */
  matchHost(untrustedHost: string, path?: string): HostMatch | undefined {
    const host = normaliseHost(untrustedHost)
    if (!host) return undefined
    const hit = pick(this.exact.get(host), path)
    if (hit) return { signature: hit, host }
    for (let i = host.indexOf('.'); i !== -1; i = host.indexOf('.', i + 1)) {
      const w = pick(this.wildcard.get(host.slice(i + 1)), path)
      if (w) return { signature: w, host }
    }
    return undefined
  }

  /** Signature for an absolute (or protocol-relative, or stun:/turn:) URL. */
  matchUrl(untrustedUrl: string): HostMatch | undefined {
    const u = parseUrl(untrustedUrl)
    return u ? this.matchHost(u.host, u.path) : undefined
  }

  /** First vendor key/DSN shape found in a string. */
  matchKey(untrustedText: string): KeyMatch | undefined {
    if (!this.keyRe || untrustedText.length > 8192) return undefined
    const m = this.keyRe.exec(untrustedText)
    if (!m?.groups) return undefined
    for (const name in m.groups) {
      const v = m.groups[name]
      if (v !== undefined) return { signature: this.keyOwners[Number(name.slice(1))], key: redactKey(v) }
    }
    return undefined
  }

  /** Signature owning an npm package (`@sentry/node/preload` → `@sentry/node`). */
  packageSignature(specifier: string): { signature: Signature; pkg: string } | undefined {
    const pkg = packageOf(specifier)
    const signature = this.packages.get(pkg)
    return signature ? { signature, pkg } : undefined
  }

  /** How a call/new/import on a package starts its SDK, if it does. */
  initFor(pkg: string, kind: 'call' | 'new', path: string[]): InitSpec | undefined {
    return this.inits.get(`${pkg}\0${kind}\0${path.join('.')}`)?.[0]
  }

  /** Whether importing `specifier` alone starts an SDK (`newrelic`, `dd-trace/init`). */
  initByImport(specifier: string): InitSpec | undefined {
    return this.inits.get(`import:${specifier}`)?.[0] ?? this.inits.get(`${packageOf(specifier)}\0import\0`)?.[0]
  }

  /** Page-snippet global that starts an SDK (`gtag`, `posthog.init`). Cheap reject on the first segment. */
  globalInit(path: string[]): Signature | undefined {
    if (!path.length || !this.globalRoots.has(path[0])) return undefined
    return this.globals.get(path.join('.'))
  }
}

function parseInit(raw: string, signature: Signature): InitSpec {
  if (raw === 'import') return { signature, kind: 'import', path: '' }
  if (raw.startsWith('import:')) return { signature, kind: 'import', path: raw.slice(7) }
  if (raw.startsWith('new:')) return { signature, kind: 'new', path: raw.slice(4) }
  return { signature, kind: 'call', path: raw === '()' ? '' : raw }
}

function pick(rules: HostRule[] | undefined, path: string | undefined): Signature | undefined {
  if (!rules) return undefined
  for (const r of rules) {
    if (!r.path) return r.signature
    if (path !== undefined && r.path.test(path)) return r.signature
  }
  return undefined
}

/** Lower case, no trailing dot, no IPv6 brackets, IPv6 in its compressed form. */
export function normaliseHost(untrustedHost: string): string {
  let h = untrustedHost.toLowerCase()
  if (h.endsWith('.')) h = h.slice(0, -1)
  if (h.startsWith('[')) h = h.slice(1, -1)
  if (h.includes(':')) {
    try { h = new URL(`http://[${h}]/`).hostname.slice(1, -1) } catch { /* not an address: keep as is */ }
  }
  return h
}

const URL_RE = /^([a-z][a-z0-9+.-]*:)?\/\/(?:[^@/?#\s]*@)?(\[[0-9a-f:.]+\]|[^/?#:\s[\]@]+)(?::(\d+))?([^?#\s]*)/i
const STUN_RE = /^(stuns?|turns?):(?!\/\/)(\[[0-9a-f:.]+\]|[^:?\s/]+)(?::(\d+))?/i

/** Scheme, host, port and path of a URL string; undefined when it is not an absolute network URL. */
export function parseUrl(untrustedUrl: string): ParsedUrl | undefined {
  const m = URL_RE.exec(untrustedUrl)
  if (m) return { scheme: (m[1] ?? '').toLowerCase().replace(/:$/, ''), host: normaliseHost(m[2]), port: m[3] ? Number(m[3]) : undefined, path: m[4] || '/' }
  const s = STUN_RE.exec(untrustedUrl)
  if (s) return { scheme: s[1].toLowerCase(), host: normaliseHost(s[2]), port: s[3] ? Number(s[3]) : undefined, path: '/' }
  return undefined
}

/** `axios/lib/x` → `axios`; `@sentry/node/preload` → `@sentry/node`; `node:http` → `http`. */
export function packageOf(specifier: string): string {
  const s = specifier.startsWith('node:') ? specifier.slice(5) : specifier
  const parts = s.split('/')
  return s.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]
}

/** Keeps enough of a key to recognise it, not enough to use it. */
function redactKey(key: string): string {
  if (/^https?:\/\//i.test(key)) return key.replace(/\/\/([^@/]+)@/, (_m, user: string) => `//${user.slice(0, 4)}…@`)
  return key.length > 12 ? key.slice(0, 8) + '…' : key
}

let shared: SignatureMatcher | undefined

/** The matcher over the built-in database, compiled once per thread. */
export function signatureMatcher(): SignatureMatcher {
  shared ??= new SignatureMatcher(SIGNATURES)
  return shared
}
