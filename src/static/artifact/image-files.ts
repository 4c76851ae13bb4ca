// What the JavaScript lens cannot read in an image: native executables and libraries (ELF) become opaque-code
// findings with the hosts in their strings, matched against the signature database; code in other languages is
// listed as not analysed. Both are grouped by the distribution package that installed them.
import { closeSync, lstatSync, openSync, readSync, readdirSync } from 'node:fs'
import { join, posix } from 'node:path'
import { fingerprintOf, type Finding, type NotAnalysed, type Severity } from '../../report/finding.ts'
import { signatureMatcher, parseUrl } from '../../signatures/matcher.ts'
import type { SignatureCategory } from '../../signatures/types.ts'
import { isLocalHost } from '../parse/destination.ts'
import { PackageIndex } from '../attribution/packages.ts'
import { DistroPackages, type DistroPackage } from './image-packages.ts'

export interface ImageFilesResult {
  findings: Finding[]
  notAnalysed: NotAnalysed[]
  /** Files and bytes looked at here (ELF strings and script texts), for the summary. */
  filesScanned: number
  bytesScanned: number
  /** Package databases that were read (`dpkg: 92 packages`). */
  packageSources: string[]
}

/** Hosts listed per finding or not-analysed line; the rest are counted. */
export const HOSTS_LISTED = 20
/** Example paths listed per group. */
const EXAMPLES = 3
const CHUNK = 4 * 1024 * 1024
/** Bytes kept from one chunk to the next, so a string cut at a chunk boundary is still seen whole. */
const OVERLAP = 512

/**
 * Categories whose hosts in a binary's strings are violations: they exist to report to a vendor. The others
 * (update and release hosts, public DNS/NTP/STUN, CDNs…) are review: runtimes carry them as metadata — the
 * Node.js binary holds `nodejs.org/download/…` for `process.release` and never fetches it itself.
 */
const REPORTING: ReadonlySet<SignatureCategory> = new Set(['error-reporting', 'product-analytics', 'marketing-pixel', 'session-replay', 'apm', 'usage-telemetry', 'licence-check'])

const LANGUAGES: Record<string, string> = {
  '.py': 'Python', '.pyc': 'Python', '.pyo': 'Python', '.pyw': 'Python',
  '.rb': 'Ruby', '.php': 'PHP', '.phar': 'PHP', '.phtml': 'PHP',
  '.pl': 'Perl', '.pm': 'Perl',
  '.sh': 'shell', '.bash': 'shell', '.zsh': 'shell', '.ksh': 'shell',
  '.lua': 'Lua', '.tcl': 'Tcl', '.groovy': 'Groovy', '.ps1': 'PowerShell', '.psm1': 'PowerShell',
  '.jar': 'Java', '.war': 'Java', '.ear': 'Java', '.class': 'Java',
}
const SHEBANGS: Array<[RegExp, string]> = [
  [/\bpython[\d.]*\b/, 'Python'], [/\bperl\b/, 'Perl'], [/\bruby\b/, 'Ruby'], [/\bphp\b/, 'PHP'],
  [/\b(sh|bash|dash|ash|zsh|ksh|busybox)\b/, 'shell'], [/\blua[\d.]*\b/, 'Lua'], [/\b(tclsh|wish)\b/, 'Tcl'], [/\bawk\b|\bgawk\b|\bmawk\b/, 'awk'],
]
/** File system mounts a run replaces: their contents in a layer are never what runs. */
const SKIP_TOP = new Set(['proc', 'sys', 'dev'])

type Item = { rel: string; size: number; owner?: DistroPackage; npm?: string; language?: string }

/** Looks at every regular file of an unpacked image that is not JavaScript, HTML/CSS, .node or .wasm. */
export function inventoryImageFiles(root: string, prefix: string): ImageFilesResult {
  const display = (rel: string) => (prefix ? `${prefix}/${rel}` : rel)
  const distro = new DistroPackages(root)
  const npm = new PackageIndex(root)
  const matcher = signatureMatcher()
  const findings: Finding[] = []
  const notAnalysed: NotAnalysed[] = []
  const elf: Item[] = []
  const scripts = new Map<string, Item[]>()
  let filesScanned = 0
  let bytesScanned = 0

  const stack = ['']
  while (stack.length) {
    const dir = stack.pop()!
    let entries
    try { entries = readdirSync(join(root, dir), { withFileTypes: true }) } catch { continue }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    for (const e of entries) {
      const rel = dir ? `${dir}/${e.name}` : e.name
      if (e.isDirectory()) { if (!(dir === '' && SKIP_TOP.has(e.name))) stack.push(rel); continue }
      if (!e.isFile()) continue
      const ext = posix.extname(e.name).toLowerCase()
      // JavaScript, pages, styles, add-ons and WebAssembly are the JavaScript lens's own.
      if (/^\.(c|m)?js$|^\.(html?|css|map|node|wasm|json)$/.test(ext)) continue
      let size = 0
      try { size = lstatSync(join(root, rel)).size } catch { continue }
      const kind = classify(join(root, rel), ext, size)
      if (!kind) continue
      const item: Item = { rel, size, owner: distro.ownerOf(rel) }
      if (!item.owner) {
        const pkg = npm.infoFor(join(root, dir)).pkg.id
        item.npm = pkg === '(first-party)' ? undefined : pkg
      }
      if (kind === 'elf') elf.push(item)
      else {
        item.language = kind
        const key = item.owner ? item.owner.id : groupDir(rel)
        const list = scripts.get(key) ?? []
        list.push(item)
        scripts.set(key, list)
      }
    }
  }

  const packageOf = (item: Item) => item.owner?.id ?? item.npm ?? '(image)'

  // Native code: one opaque-code finding per distribution package, one per file otherwise.
  const elfGroups = new Map<string, Item[]>()
  for (const item of elf) {
    const key = item.owner ? item.owner.id : `file\0${item.rel}`
    const list = elfGroups.get(key) ?? []
    list.push(item)
    elfGroups.set(key, list)
  }
  for (const items of elfGroups.values()) {
    const hosts = new Set<string>()
    for (const item of items) {
      const s = scanStrings(join(root, item.rel), matcher)
      filesScanned++
      bytesScanned += item.size
      for (const h of s.hosts) hosts.add(h)
      for (const hit of s.hits) findings.push(signatureFinding(hit, display(item.rel), packageOf(item), 'native code'))
    }
    const first = items[0]
    const owner = first.owner
    const what = items.length === 1 ? nativeKind(first.rel) : `${items.length} native executables and shared libraries`
    const from = owner ? ` from ${owner.manager === 'deb' ? 'Debian' : 'Alpine'} package ${owner.name}${owner.version ? ` ${owner.version}` : ''}` : ''
    const listed = [...hosts].sort()
    const hostText = listed.length ? `; hosts in ${items.length === 1 ? 'its' : 'their'} strings: ${listed.slice(0, HOSTS_LISTED).join(', ')}${listed.length > HOSTS_LISTED ? ` and ${listed.length - HOSTS_LISTED} more` : ''}` : `; no URLs in ${items.length === 1 ? 'its' : 'their'} strings`
    const examples = items.length > 1 ? ` (e.g. ${items.slice(0, EXAMPLES).map((i) => i.rel).join(', ')})` : ''
    findings.push(makeFinding({
      rule: 'opaque-code',
      severity: 'review',
      message: `${what}${from}${examples}: compiled code the analysis cannot read${hostText}`,
      file: display(first.rel),
      pkg: packageOf(first),
      api: 'native code',
      key: owner ? `${owner.manager}:${owner.name}` : stableKey(first.rel),
      details: {
        format: 'ELF',
        files: String(items.length),
        ...(listed.length ? { hosts: listed.slice(0, HOSTS_LISTED).join(', '), hostCount: String(listed.length) } : {}),
      },
    }))
  }

  // Other languages: one not-analysed line per package (or directory), with the languages and the hosts in their text.
  for (const [, items] of [...scripts].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const owner = items[0].owner
    const hosts = new Set<string>()
    const languages = new Map<string, number>()
    for (const item of items) {
      languages.set(item.language!, (languages.get(item.language!) ?? 0) + 1)
      const s = scanStrings(join(root, item.rel), matcher)
      filesScanned++
      bytesScanned += item.size
      for (const h of s.hosts) hosts.add(h)
      for (const hit of s.hits) findings.push(signatureFinding(hit, display(item.rel), packageOf(item), `${item.language} code`))
    }
    const listed = [...hosts].sort()
    const counts = [...languages].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    const noun = counts.length === 1
      ? `${items.length} ${counts[0][0]} file${items.length === 1 ? '' : 's'}`
      : `${items.length} files in other languages (${counts.map(([l, c]) => `${c} ${l}`).join(', ')})`
    const examples = `(e.g. ${items.slice(0, EXAMPLES).map((i) => i.rel).join(', ')})`
    const where = owner
      ? `from ${owner.manager === 'deb' ? 'Debian' : 'Alpine'} package ${owner.name}${owner.version ? ` ${owner.version}` : ''} ${examples}`
      : items.length === 1 ? '' : examples
    const hostText = listed.length ? `; hosts in ${items.length === 1 ? 'its' : 'their'} text: ${listed.slice(0, HOSTS_LISTED).join(', ')}${listed.length > HOSTS_LISTED ? ` and ${listed.length - HOSTS_LISTED} more` : ''}` : ''
    notAnalysed.push({
      file: owner ? owner.id : items.length === 1 ? display(items[0].rel) : display(`${groupDir(items[0].rel)}/**`),
      reason: `${noun}${where ? ` ${where}` : ''}: not analysed (the static lens reads JavaScript only)${hostText}`,
    })
  }
  return { findings, notAnalysed, filesScanned, bytesScanned, packageSources: distro.sources }
}

/** Scripts outside any package are grouped by their directory, at most four levels deep. */
function groupDir(rel: string): string {
  const parts = rel.split('/').slice(0, -1)
  return parts.slice(0, 4).join('/') || '.'
}

function nativeKind(rel: string): string {
  return /\.so(\.|$)/.test(posix.basename(rel)) ? 'shared library (ELF)' : 'native executable (ELF)'
}

/** 'elf', a language name, or undefined for data. Reads at most 128 bytes. */
function classify(abs: string, ext: string, size: number): string | undefined {
  const byExt = LANGUAGES[ext]
  if (size < 4) return byExt
  let head: Buffer
  let fd: number | undefined
  try {
    fd = openSync(abs, 'r')
    const buf = Buffer.alloc(128)
    head = buf.subarray(0, readSync(fd, buf, 0, 128, 0))
  } catch {
    return byExt
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
  if (head[0] === 0x7f && head[1] === 0x45 && head[2] === 0x4c && head[3] === 0x46) return 'elf'
  if (byExt) return byExt
  if (head[0] === 0x23 && head[1] === 0x21) {
    const line = head.toString('latin1').split('\n')[0]
    // Node shebangs are JavaScript: the collector takes those.
    if (/\bnode(js)?\b/.test(line)) return undefined
    for (const [re, language] of SHEBANGS) if (re.test(line)) return language
    return 'script'
  }
  return undefined
}

interface Hit { host: string; url?: string; signature: { id: string; category: SignatureCategory; vendor: string }; snippet: string }

/** One read buffer for every file (a fresh zero-filled 4 MB per file cost more than the reading). */
let chunkBuffer: Buffer | undefined

const URL_IN_BYTES = /(?:https?|wss?|ftps?):\/\/[A-Za-z0-9.-]+(?::\d{1,5})?(?:\/[\x21-\x7e]{0,200})?/g
const HOST_IN_BYTES = /(?<![A-Za-z0-9_.-])(?:[a-z0-9-]{1,63}\.){1,6}[a-z]{2,24}(?![A-Za-z0-9_-])/gi

/**
 * The external hosts of the URLs in a file's bytes, and its signature hits: URLs, and bare host names that match
 * the database (only matches count for bare names: `libc.so.6` and `v8.flags` look like hosts too).
 * Streams the file in chunks; memory stays at one chunk whatever the file's size.
 */
export function scanStrings(abs: string, matcher = signatureMatcher()): { hosts: string[]; hits: Hit[] } {
  const hosts = new Set<string>()
  const hits = new Map<string, Hit>()
  let fd: number | undefined
  try {
    fd = openSync(abs, 'r')
    const buf = (chunkBuffer ??= Buffer.allocUnsafe(CHUNK))
    for (let offset = 0; ; offset += CHUNK - OVERLAP) {
      const n = readSync(fd, buf, 0, CHUNK, offset)
      if (n <= 0) break
      const text = buf.toString('latin1', 0, n)
      for (const m of text.matchAll(URL_IN_BYTES)) {
        const u = parseUrl(m[0])
        if (!u || !isHostName(u.host) || isLocalHost(u.host)) continue
        hosts.add(u.host)
        const sig = matcher.matchUrl(m[0])
        if (sig && !hits.has(sig.host)) hits.set(sig.host, { host: sig.host, url: m[0], signature: sig.signature, snippet: m[0].slice(0, 160) })
      }
      for (const m of text.matchAll(HOST_IN_BYTES)) {
        const sig = matcher.matchHost(m[0])
        if (sig && !hits.has(sig.host)) {
          hits.set(sig.host, { host: sig.host, signature: sig.signature, snippet: m[0] })
          hosts.add(sig.host)
        }
      }
      if (n < CHUNK) break
    }
  } catch {
    // Unreadable: the file is still listed (opaque code or not analysed); only its strings are missing.
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
  return { hosts: [...hosts], hits: [...hits.values()] }
}

function isHostName(h: string): boolean {
  return /^(\d{1,3}\.){3}\d{1,3}$/.test(h) || /^[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,24}$/i.test(h) || h.includes(':')
}

function signatureFinding(hit: Hit, file: string, pkg: string, api: string): Finding {
  const severity: Severity = REPORTING.has(hit.signature.category) ? 'violation' : 'review'
  return makeFinding({
    rule: 'telemetry-endpoint',
    severity,
    message: `${hit.signature.vendor} (${hit.signature.category}) host ${hit.host} in the strings of ${api === 'native code' ? 'compiled code' : api}` +
      (severity === 'review' ? ': hosts of this kind are often metadata in binaries; check whether it is used' : ''),
    file,
    pkg,
    api: `${api} strings`,
    snippet: hit.snippet,
    destination: { ...(hit.url ? { url: hit.url.slice(0, 200) } : {}), host: hit.host, provenance: 'hard-coded-external' },
    details: { signature: hit.signature.id, category: hit.signature.category, vendor: hit.signature.vendor },
    key: stableKey(file),
  })
}

function stableKey(file: string): string {
  return file.replace(/\d+(\.\d+)+[^/]*/g, '')
}

export function makeFinding(f: {
  rule: string; severity: Severity; message: string; file: string; pkg: string; api?: string; snippet?: string
  destination?: Finding['destination']; details?: Record<string, string>; key: string; line?: number
}): Finding {
  const out: Finding = {
    rule: f.rule,
    severity: f.severity,
    message: f.message,
    lens: 'static',
    location: { file: f.file, line: f.line ?? 1, column: 0, ...(f.snippet ? { snippet: f.snippet } : {}) },
    package: f.pkg,
    fingerprint: fingerprintOf({ rule: f.rule, package: f.pkg, api: f.api, destination: f.destination, key: f.key }),
  }
  if (f.destination) out.destination = f.destination
  if (f.api) out.api = f.api
  if (f.details) out.details = f.details
  return out
}
