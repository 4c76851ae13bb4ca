// The whole-program phase of a scan: resolves every file's imports, links the summaries (link.ts), places
// what linking decided where the destination is decided, lifts "string only" signature hits that do reach a
// sink, and judges which files an entry point of the product can reach (reach.ts).
import { readFileSync } from 'node:fs'
import { dirname } from 'node:path'
import type { Destination } from '../../report/finding.ts'
import type { FileResult, LocatedFinding } from '../analysis/file-result.ts'
import { locate } from '../analysis/file-result.ts'
import type { PackageInfo } from '../attribution/packages.ts'
import { Linker, type LinkedFinding, type Target } from './link.ts'
import type { ModuleResolver } from './resolve.ts'
import { judgeReachability, type Entries } from './reach.ts'

export interface ProgramFile {
  abs: string
  display: string
  /** The worker's (or the cache's) result; its findings are rewritten in place. */
  result: FileResult
  pkg: PackageInfo
}

export interface ProgramOutcome {
  notices: string[]
  /** Files read besides the program's own (JSON configuration): a cached outcome is reused only while they are unchanged. */
  reads: string[]
  /** Milliseconds spent in each step (the benchmark prints them). */
  timing: { resolveMs: number; linkMs: number; placeMs: number; reachMs: number }
  stats: { records: number; evaluations: number; sites: number; linked: number; replaced: number; unreachableFindings: number }
  /** Bounds that cut the analysis short: become review findings (reported by the caller as not dropped). */
  cutOff: number
}

const MAX_JSON_BYTES = 2 * 1024 * 1024

/** Runs the whole-program phase over a scan's files (JavaScript files with summaries). */
export function analyseProgram(files: ProgramFile[], resolver: Pick<ModuleResolver, 'resolve' | 'packageEntries'>, entries: Entries, budget?: { ms?: number; steps?: number }): ProgramOutcome {
  const t0 = performance.now()
  const byAbs = new Map<string, number>()
  files.forEach((f, i) => byAbs.set(f.abs, i))
  const jsonMemo = new Map<string, Target>()
  const targetMemo = new Map<string, Target>()
  const edges: number[][] = files.map(() => [])
  const kindOf = { r: 'require', i: 'import', d: 'dynamic-import', q: 'require-resolve' } as const

  const target = (file: number, spec: string, kind: 'r' | 'i' | 'd' | 'q' = 'r'): Target => {
    const from = files[file].abs
    const key = `${dirname(from)}\0${spec}\0${kind === 'i' || kind === 'd' ? 'i' : 'r'}`
    const hit = targetMemo.get(key)
    if (hit) return hit
    const r = resolver.resolve(spec, from, kindOf[kind])
    // A file a resolver that ignores `exports` would take is followed (fail closed: its code may run).
    const path = r.t === 'file' ? r.path : r.t === 'missing' && r.fallback ? r.fallback : undefined
    let t: Target
    if (r.t === 'builtin') t = { t: 'builtin', name: r.name.replace(/^node:/, '') }
    else if (r.t === 'empty') t = { t: 'empty' }
    else if (r.t === 'url') t = { t: 'missing', reason: `${r.url} is a URL, not a file of the artifact` }
    else if (path) {
      const abs = path
      const idx = byAbs.get(abs)
      if (idx !== undefined) t = { t: 'file', file: idx }
      else if (abs.endsWith('.json')) t = jsonTarget(abs, jsonMemo)
      else t = { t: 'missing', reason: `${abs} is not an analysed JavaScript file` }
    } else t = { t: 'missing', reason: r.t === 'missing' ? r.reason : 'not found' }
    targetMemo.set(key, t)
    return t
  }

  // Import edges of every file.
  files.forEach((f, i) => {
    for (const e of f.result.summary?.imports ?? []) {
      const t = target(i, e.spec, e.kind)
      if (t.t === 'file' && t.file !== i) edges[i].push(t.file)
    }
  })
  const t1 = performance.now()

  const linker = new Linker({ summaries: files.map((f) => f.result.summary), target: (file, spec) => target(file, spec), budget })
  if (process.env.NPH_LINK_DEBUG) linker.debugFiles = new Set(files.flatMap((f, i) => (f.display.includes(process.env.NPH_LINK_DEBUG!) ? [i] : [])))
  const linked = linker.run()
  const t2 = performance.now()

  // Sources of the files findings are placed in, read once each.
  const sources = new Map<number, string | null>()
  const sourceOf = (i: number): string | null => {
    if (!sources.has(i)) {
      let text: string | null = null
      try { text = readFileSync(files[i].abs, 'utf8') } catch { /* unreadable now: placed without a snippet */ }
      sources.set(i, text)
    }
    return sources.get(i)!
  }
  const placed = placeLinked(files, linked.findings, sourceOf)
  // Signature hits in strings that a sink was found to use are no longer "string only"; the inventory no
  // longer needs to list a URL a sink is now reported with.
  for (const [file, offsets] of linked.reachingStrings) {
    const r = files[file].result
    for (const f of r.findings ?? []) {
      if (f.rule === 'telemetry-endpoint' && f.details?.reach === 'string only' && offsets.has(f.offset)) liftStringOnly(f)
    }
    if (r.findings?.some((f) => f.rule === 'url-inventory' && offsets.has(f.offset))) r.findings = r.findings.filter((f) => !(f.rule === 'url-inventory' && offsets.has(f.offset)))
  }
  // One bound per place and reason: the same call cut off on several call paths is one thing to review.
  const cut = new Set<string>()
  for (const c of linked.cutOff) {
    const k = `${c.file}:${c.at}:${c.why}`
    if (cut.has(k)) continue
    cut.add(k)
    addCutOff(files[c.file], c.at, c.why, sourceOf(c.file))
  }
  // A summary cut short (a file with thousands of calls into other modules): what it left out was not linked.
  files.forEach((f, i) => { if (f.result.summary?.truncated) addCutOff(f, 0, `summary of this file cut short (${f.result.summary.truncated})`, sourceOf(i)) })
  const t3 = performance.now()

  const reach = judgeReachability(files, edges, entries, resolver)
  const t4 = performance.now()

  return {
    notices: reach.notices,
    reads: [...jsonMemo.keys()].sort(),
    timing: { resolveMs: t1 - t0, linkMs: t2 - t1, placeMs: t3 - t2, reachMs: t4 - t3 },
    stats: { ...linked.stats, linked: placed.added, replaced: placed.replaced, unreachableFindings: reach.lowered },
    cutOff: linked.cutOff.length,
  }
}

function jsonTarget(path: string, memo: Map<string, Target>): Target {
  const hit = memo.get(path)
  if (hit) return hit
  let t: Target
  try {
    const text = readFileSync(path, 'utf8')
    t = text.length > MAX_JSON_BYTES ? { t: 'missing', reason: `${path} is larger than ${MAX_JSON_BYTES} bytes` } : { t: 'json', value: JSON.parse(text) }
  } catch (err) {
    t = { t: 'missing', reason: `${path} could not be read as JSON (${(err as Error).message})` }
  }
  memo.set(path, t)
  return t
}

function liftStringOnly(f: LocatedFinding): void {
  f.severity = 'violation'
  const { reach: _reach, ...rest } = f.details ?? {}
  f.details = rest
  f.message = f.message.replace(/ \(string only: no sink seen using it\)$/, '')
}

function sameDestination(a: Destination | undefined, b: Destination | undefined): boolean {
  if (!a || !b) return a === b
  return a.provenance === b.provenance && a.url === b.url && a.host === b.host && a.port === b.port && a.source === b.source
}

/** Turns linked findings into located findings of the files where their destination is decided. */
function placeLinked(files: ProgramFile[], linked: LinkedFinding[], sourceOf: (i: number) => string | null): { added: number; replaced: number } {
  const lineOf = (file: number, at: number): number => {
    const s = sourceOf(file)
    return s ? locate(s, [at])[0].line : 0
  }
  const drop = new Map<number, Set<number>>()
  const seen = new Set<string>()
  let added = 0
  for (const lf of linked) {
    const own = files[lf.sink.file].result.findings ?? []
    // The file's own findings at this call (the same rule and API): the linked one stands for them.
    const replaces = (lf.replaces ?? own.map((f, i) => (f.offset === lf.sink.at && f.rule === lf.rule && f.api === lf.api ? i : -1)).filter((i) => i >= 0))
    const unchanged = lf.file === lf.sink.file && lf.start === lf.sink.at && !lf.path.length &&
      replaces.some((i) => own[i] && own[i].rule === lf.rule && own[i].api === lf.api && sameDestination(own[i].destination, lf.destination))
    if (unchanged) continue
    if (replaces.length) {
      const set = drop.get(lf.sink.file) ?? new Set<number>()
      for (const i of replaces) set.add(i)
      drop.set(lf.sink.file, set)
    }
    const key = `${lf.file}:${lf.start}:${lf.rule}:${lf.api}:${lf.destination?.provenance}:${lf.destination?.host}:${lf.destination?.url}`
    if (seen.has(key)) continue
    seen.add(key)
    const src = sourceOf(lf.file)
    const at = src ? locate(src, [lf.start])[0] : { line: 0, column: 0, snippet: '' }
    const end = lf.end > lf.start + 1 ? lf.end : src ? tokenEnd(src, lf.start) : lf.start + 1
    const steps = dedupe([...lf.path.map((p) => `${files[p.file].display}:${lineOf(p.file, p.at)}`), `${files[lf.sink.file].display}:${lineOf(lf.sink.file, lf.sink.at)}`])
    const details: Record<string, string> = { ...lf.details }
    // The path is worth showing when the value travelled: another file or another line than the finding's own.
    if (steps.length > 1 || steps[0] !== `${files[lf.file].display}:${at.line}`) details.path = [...steps, lf.api ?? lf.rule].join(' → ')
    const f: LocatedFinding = {
      rule: lf.rule, severity: lf.severity, message: lf.message, line: at.line, column: at.column, snippet: at.snippet,
      code: src ? src.slice(lf.start, Math.min(end, lf.start + 300)) : '', offset: lf.start, api: lf.api, destination: lf.destination,
      details: Object.keys(details).length ? details : undefined,
    }
    const target = files[lf.file].result
    ;(target.findings ??= []).push(f)
    added++
  }
  let replaced = 0
  for (const [file, set] of drop) {
    const r = files[file].result
    r.findings = (r.findings ?? []).filter((f, i) => !set.has(i) || f.rule === 'telemetry-endpoint')
    replaced += set.size
  }
  return { added, replaced }
}

/** End of the token (a string literal, or a word) starting at `at`, for a finding's code snippet. */
function tokenEnd(src: string, at: number): number {
  const q = src[at]
  if (q === '"' || q === "'" || q === '`') {
    for (let i = at + 1; i < src.length && i < at + 4096; i++) {
      if (src[i] === '\\') { i++; continue }
      if (src[i] === q) return i + 1
    }
  }
  const m = /^[\w$.]+/.exec(src.slice(at, at + 200))
  return at + (m ? m[0].length : 1)
}

function dedupe(xs: string[]): string[] {
  return xs.filter((x, i) => x !== xs[i - 1])
}

function addCutOff(file: ProgramFile, at: number, why: string, src: string | null): void {
  const f: LocatedFinding = {
    rule: 'opaque-code', severity: 'review', message: `${why}: what lies beyond was not analysed across modules`,
    line: 0, column: 0, snippet: '', code: '', offset: at, api: 'whole-program bound', details: { bound: why },
  }
  if (src) { const l = locate(src, [at])[0]; f.line = l.line; f.column = l.column; f.snippet = l.snippet; f.code = src.slice(at, at + 120) }
  ;(file.result.findings ??= []).push(f)
}
