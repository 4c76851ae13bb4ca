// Which files the product's entry points can load: entries are found from the artifact (package.json main,
// exports, bin, scripts.start; HTML pages' scripts; shebang files at the top level) or given with --entry.
// Findings in files nothing can load (tests, docs, maintainer scripts shipped in node_modules) are lowered one
// step and say why; findings in reachable files carry the shortest import chain. Computed requires keep
// what they could load reachable (fail closed).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { basename, dirname, join, relative, resolve, sep } from 'node:path'
import type { Severity } from '../../report/finding.ts'
import { UsageError } from '../../errors.ts'
import type { ModuleResolver } from './resolve.ts'
import type { ProgramFile } from './program.ts'

export interface Entries {
  /** Absolute paths of entry files, with why each is one. Empty: none found, every file counts as an entry. */
  files: Array<{ abs: string; why: string }>
  /** Roots searched (for the notice). */
  roots: string[]
}

const LOWER: Record<Severity, Severity> = { violation: 'review', review: 'info', info: 'info' }
const MAX_CHAIN_SHOWN = 8

/**
 * Entry points of one scan root. `explicit` (from --entry / ScanOptions.entryPoints) are paths relative to the
 * root or absolute inside it; a directory stands for its package's entries.
 */
export function findEntries(rootDir: string, resolver: Pick<ModuleResolver, 'packageEntries'>, jsFiles: string[], explicit?: string[]): Entries['files'] {
  const out: Entries['files'] = []
  const add = (abs: string, why: string) => { if (!out.some((e) => e.abs === abs)) out.push({ abs, why }) }
  const rel = (abs: string) => relative(rootDir, abs).split(sep).join('/') || '.'
  if (explicit?.length) {
    for (const e of explicit) {
      const abs = resolve(rootDir, e)
      if (abs !== rootDir && !abs.startsWith(rootDir + sep)) throw new UsageError(`--entry ${e}: outside the scanned root ${rootDir}`, 'Give entry points inside the scanned directory.')
      let st
      try { st = statSync(abs) } catch { throw new UsageError(`--entry ${e}: no such file or directory in ${rootDir}`, 'Give a file or a package directory inside the scanned root.') }
      if (st.isDirectory()) {
        const entries = resolver.packageEntries(abs)
        if (!entries.length) throw new UsageError(`--entry ${e}: the directory has no package.json main, exports or bin, and no index.js`, 'Name the entry file itself.')
        for (const f of entries) add(f, `--entry ${e} (${rel(f)})`)
      } else add(abs, `--entry ${e}`)
    }
    return out
  }
  // The artifact's own package: the root, or npm's `package/` folder of a packed tarball.
  const pkgDirs = [rootDir, join(rootDir, 'package')].filter((d) => existsSync(join(d, 'package.json')))
  let fromPackage = false
  for (const dir of pkgDirs) {
    let pj: Record<string, unknown> | undefined
    try { pj = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) } catch { pj = undefined }
    if (!pj || typeof pj !== 'object') continue
    if (pj.main !== undefined || pj.exports !== undefined || pj.bin !== undefined) {
      for (const f of resolver.packageEntries(dir)) { add(f, `package.json main/exports/bin (${rel(f)})`); fromPackage = true }
    }
    const start = (pj.scripts as Record<string, unknown> | undefined)?.start
    if (typeof start === 'string') {
      for (const tok of start.split(/\s+|&&|;/)) {
        if (!/\.(c|m)?js$/.test(tok) && !/^[\w./-]+$/.test(tok)) continue
        const abs = resolve(dir, tok)
        if (jsFiles.includes(abs)) { add(abs, `package.json scripts.start (${rel(abs)})`); fromPackage = true }
      }
    }
  }
  // Without entry points in a package.json, how the product starts is unknown: all of its own code counts as
  // an entry, and only what sits in node_modules can be found unreachable.
  if (!fromPackage) {
    const own = jsFiles.filter((f) => !f.slice(rootDir.length).split(sep).includes('node_modules'))
    if (own.length === jsFiles.length) return []
    for (const f of own) add(f, 'own code (no package.json entry points)')
  }
  // Executables at the top level (`server`, `bin/cli` with a node shebang), and what HTML pages load.
  for (const f of jsFiles) {
    const d = dirname(f)
    if ((d === rootDir || d === join(rootDir, 'bin') || d === join(rootDir, 'package') || d === join(rootDir, 'package', 'bin')) && hasShebang(f)) add(f, `shebang file (${rel(f)})`)
  }
  for (const html of findHtml(rootDir)) {
    for (const src of scriptSrcs(html)) {
      const abs = resolve(dirname(html), src.replace(/^\//, ''))
      const abs2 = src.startsWith('/') ? resolve(rootDir, src.slice(1)) : abs
      for (const p of [abs, abs2]) if (jsFiles.includes(p)) add(p, `script of ${rel(html)}`)
    }
  }
  return out
}

function hasShebang(f: string): boolean {
  try {
    const buf = readFileSync(f, { encoding: 'latin1', flag: 'r' }).slice(0, 2)
    return buf === '#!'
  } catch {
    return false
  }
}

function findHtml(rootDir: string): string[] {
  const out: string[] = []
  const stack = [rootDir]
  let seen = 0
  while (stack.length && seen++ < 2000) {
    const dir = stack.pop()!
    let names: string[]
    try { names = readdirSync(dir) } catch { continue }
    for (const n of names) {
      if (n === 'node_modules' || n.startsWith('.')) continue
      const p = join(dir, n)
      if (/\.html?$/i.test(n)) out.push(p)
      else { try { if (statSync(p).isDirectory()) stack.push(p) } catch { /* skip */ } }
    }
  }
  return out
}

function scriptSrcs(html: string): string[] {
  let text: string
  try { text = readFileSync(html, 'utf8') } catch { return [] }
  if (text.length > 5_000_000) return []
  const out: string[] = []
  for (const m of text.matchAll(/<script\b[^>]*\bsrc\s*=\s*["']([^"'#?]+)/gi)) if (!/^[a-z]+:|^\/\//i.test(m[1])) out.push(m[1])
  return out
}

/** Marks every finding of the program's files as reachable (with its import chain) or not (lowered). */
export function judgeReachability(files: ProgramFile[], edges: number[][], entries: Entries, resolver?: Pick<ModuleResolver, 'packageEntries'>): { notices: string[]; lowered: number } {
  const notices: string[] = []
  if (!entries.files.length) {
    notices.push('no entry points found (package.json main/exports/bin/scripts.start, HTML pages, top-level shebang files): every file counts as an entry; pass --entry to name them')
    return { notices, lowered: 0 }
  }
  const byAbs = new Map<string, number>()
  files.forEach((f, i) => byAbs.set(f.abs, i))
  const parent = new Int32Array(files.length).fill(-2) // -2 unreached, -1 entry
  const why: Array<string | undefined> = new Array(files.length)
  const queue: number[] = []
  for (const e of entries.files) {
    const i = byAbs.get(e.abs)
    if (i === undefined || parent[i] !== -2) continue
    parent[i] = -1
    why[i] = e.why
    queue.push(i)
  }
  notices.push(`entry points: ${entries.files.map((e) => e.why).join('; ')}`)
  let openedAll = false
  const reachAll = (from: number, reason: string, filter: (f: ProgramFile) => boolean) => {
    files.forEach((f, j) => {
      if (parent[j] !== -2 || !filter(f)) return
      parent[j] = from
      why[j] = reason
      queue.push(j)
    })
  }
  for (let q = 0; q < queue.length; q++) {
    const i = queue[q]
    for (const j of edges[i]) {
      if (parent[j] !== -2) continue
      parent[j] = i
      queue.push(j)
    }
    // A require/import of a computed name could load more: what it could load stays reachable.
    for (const c of files[i].result.summary?.computed ?? []) {
      const reason = `reachable through a computed require/import in ${files[i].display}`
      if (c.prefix && /^\.\.?\//.test(c.prefix)) {
        const base = resolve(dirname(files[i].abs), c.prefix)
        const dir = c.prefix.endsWith('/') ? base + sep : base
        reachAll(i, reason, (f) => f.abs.startsWith(dir))
      } else {
        const pkgDir = files[i].pkg.dir
        reachAll(i, reason, (f) => f.pkg.dir === pkgDir)
        if (!openedAll) {
          openedAll = true
          // Any installed package could be the name: every package's entry points.
          const dirs = new Set(files.map((f) => f.pkg.dir).filter((d): d is string => !!d))
          for (const d of dirs) {
            for (const abs of resolver?.packageEntries(d) ?? []) {
              const j = byAbs.get(abs)
              if (j !== undefined && parent[j] === -2) { parent[j] = i; why[j] = reason; queue.push(j) }
            }
          }
        }
      }
    }
  }
  let lowered = 0
  let unreachableFiles = 0
  files.forEach((f, i) => {
    const findings = f.result.findings
    if (parent[i] === -2) unreachableFiles++
    if (!findings?.length) return
    if (parent[i] === -2) {
      for (const x of findings) {
        if (x.rule === 'parse-error') continue
        x.reachability = 'unreachable'
        const before = x.severity
        x.severity = LOWER[x.severity]
        if (before !== x.severity) lowered++
        x.details = { ...x.details, reachability: `no entry point loads ${basename(f.display)} through static imports${looksAside(f.display) ? ' (test, docs, example or build script)' : ''}${before !== x.severity ? `; lowered from ${before}` : ''}` }
      }
      return
    }
    const chain: string[] = []
    let cur = i
    for (let n = 0; cur >= 0 && n < 64; n++) {
      chain.push(files[cur].display)
      if (parent[cur] === -1) { chain.push(why[cur] ?? 'entry'); break }
      if (why[cur] && parent[cur] >= 0 && !edges[parent[cur]].includes(cur)) { chain.push(`(${why[cur]})`) }
      cur = parent[cur]
    }
    chain.reverse()
    const shown = chain.length > MAX_CHAIN_SHOWN ? [...chain.slice(0, 2), '…', ...chain.slice(-(MAX_CHAIN_SHOWN - 3))] : chain
    for (const x of findings) {
      x.reachability = 'reachable'
      x.details = { ...x.details, importChain: shown.join(' → ') }
    }
  })
  if (unreachableFiles) notices.push(`${unreachableFiles} JavaScript file(s) no entry point loads: their findings are lowered one step`)
  return { notices, lowered }
}

/** Paths that look like tests, docs, examples or build scripts (said in the reason, not used to decide). */
function looksAside(display: string): boolean {
  return /(^|\/)(tests?|__tests__|spec|specs|docs?|examples?|demo|benchmarks?|bench|scripts|tools|fixtures?|coverage|\.github)\//i.test(display) || /\.(test|spec)\.[cm]?js$/.test(display)
}
