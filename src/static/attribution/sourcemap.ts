// Original locations of built code: source maps (via @jridgewell/trace-mapping), else bundle markers.
//
// Mapping happens in the main thread after the analysis cache, so a `.map` that changes next to an
// unchanged bundle never leaves stale attribution behind: the cache holds raw per-file results, and
// remembered map lookups are keyed by the map file's path and stat, like the cache's stat index.
import { readFileSync, statSync, type Stats } from 'node:fs'
import type { MapPositions } from '../analysis/cache.ts'
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { AnyMap, GREATEST_LOWER_BOUND, LEAST_UPPER_BOUND, originalPositionFor, type TraceMap } from '@jridgewell/trace-mapping'
import type { SourcePosition } from '../../report/finding.ts'
import type { PackageInfo } from './packages.ts'
import type { PackageOrigins } from './lockfile.ts'

const MAX_MAP_BYTES = 64 * 1024 * 1024

export interface LoadedSourceMap {
  map: TraceMap
  /** Directory that relative `sources` resolve against (the map's own directory). */
  base: string
}

/** Parses a source map (plain or index map); undefined when it is not one. */
export function loadSourceMap(untrustedJson: string | object, base: string): LoadedSourceMap | undefined {
  try {
    const raw = typeof untrustedJson === 'string' ? JSON.parse(untrustedJson) : untrustedJson
    if (!raw || typeof raw !== 'object' || (!('mappings' in raw) && !('sections' in raw))) return undefined
    return { map: new AnyMap(raw as never), base }
  } catch {
    return undefined
  }
}

/**
 * The source map of a built file: the `sourceMappingURL` comment (a `data:` URL, or a file inside the
 * scanned root — an artifact must not make us read outside it), else `<file>.map` next to it.
 */
export function readSourceMapFor(jsAbs: string, untrustedSource: string, rootAbs: string): LoadedSourceMap | undefined {
  return readSourceMapOf(jsAbs, sourceMapRefOf(untrustedSource), rootAbs)
}

/** What a built file says about its source map, taken from its text (cacheable with the file's result). */
export interface SourceMapRef {
  /** The `sourceMappingURL` when it is not a `data:` URL. */
  url?: string
  /** The decoded text of an inline `data:` map. */
  inline?: string
  /** An inline map was there but could not be decoded. */
  broken?: true
}

export function sourceMapRefOf(untrustedSource: string): SourceMapRef {
  const url = sourceMappingUrlOf(untrustedSource)
  if (!url) return {}
  if (!url.startsWith('data:')) return { url }
  const comma = url.indexOf(',')
  if (comma < 0) return { broken: true }
  const meta = url.slice(5, comma)
  const body = url.slice(comma + 1)
  try {
    return { inline: meta.endsWith(';base64') ? Buffer.from(body, 'base64').toString('utf8') : decodeURIComponent(body) }
  } catch {
    return { broken: true }
  }
}

/** The source map a ref points to: inline, the named file inside the root, else `<file>.map`. */
export function readSourceMapOf(jsAbs: string, ref: SourceMapRef, rootAbs: string): LoadedSourceMap | undefined {
  if (ref.broken) return undefined
  if (ref.inline !== undefined) return loadSourceMap(ref.inline, dirname(jsAbs))
  for (const mapAbs of mapFileCandidates(jsAbs, ref, rootAbs)) {
    const loaded = readMapFile(mapAbs)
    if (loaded) return loaded
  }
  return undefined
}

/** Where a file's map may be, in the order tried: the `sourceMappingURL` file, then `<file>.map`; inside the root only. */
function mapFileCandidates(jsAbs: string, ref: SourceMapRef, rootAbs: string): string[] {
  const url = ref.url
  const candidates: string[] = []
  if (url && !/^[a-z][\w+.-]*:/i.test(url)) {
    let path = url
    try { path = decodeURIComponent(url) } catch { /* keep as written */ }
    candidates.push(resolve(dirname(jsAbs), path.split('?')[0].split('#')[0]))
  }
  candidates.push(`${jsAbs}.map`)
  return candidates.filter((c) => isInside(rootAbs, c))
}

function readMapFile(mapAbs: string): LoadedSourceMap | undefined {
  try {
    if (statSync(mapAbs).size > MAX_MAP_BYTES) return undefined
    return loadSourceMap(readFileSync(mapAbs, 'utf8'), dirname(mapAbs))
  } catch {
    return undefined
  }
}

/** Remembered map lookups (the analysis cache): a table per map file as it is now (path and stat). */
export interface MapMemo {
  table(mapAbs: string, st: Stats): MapPositions
  /** A table was added to. */
  changed(): void
}

/** The last `//# sourceMappingURL=` (or `/*# … *\/`, or the old `//@`) in a file. */
export function sourceMappingUrlOf(untrustedSource: string): string | undefined {
  const at = untrustedSource.lastIndexOf('sourceMappingURL=')
  if (at < 3) return undefined
  const lead = untrustedSource.slice(Math.max(0, at - 4), at)
  if (!/(?:\/\/|\/\*)[#@]\s?$/.test(lead)) return undefined
  const rest = untrustedSource.slice(at + 'sourceMappingURL='.length)
  const m = /^[^\s*'"]+/.exec(rest)
  return m?.[0]
}

export interface OriginalPosition {
  /** Absolute path the map names (may not exist on disk). */
  abs: string
  /** 1-based */
  line: number
  /** 0-based */
  column: number
}

/** Maps a generated line (1-based) and column (0-based) to its original source, when the map knows it. */
export function originalPositionOf(m: LoadedSourceMap, line: number, column: number, rootAbs: string): OriginalPosition | undefined {
  const p = rawPositionOf(m, line, column)
  return p && { abs: resolveMapSource(p.source, m.base, rootAbs), line: p.line, column: p.column }
}

/** The map's answer for a generated position: the source as the map names it (sourceRoot joined). */
function rawPositionOf(m: LoadedSourceMap, line: number, column: number): { source: string; line: number; column: number } | undefined {
  let p = originalPositionFor(m.map, { line, column, bias: GREATEST_LOWER_BOUND })
  if (p.source === null) p = originalPositionFor(m.map, { line, column, bias: LEAST_UPPER_BOUND })
  if (p.source === null || p.line === null || p.column === null) return undefined
  return { source: p.source, line: p.line, column: p.column }
}

/**
 * Where a map's `source` is on disk. trace-mapping has already joined `sourceRoot`. `webpack://app/./x`
 * is relative to webpack's context, which is usually the project root: we take the scanned root.
 */
export function resolveMapSource(source: string, base: string, rootAbs: string): string {
  const webpack = /^webpack:\/\/[^/]*\/(.*)$/.exec(source)
  if (webpack) return resolve(rootAbs, webpack[1].replace(/^\.\//, '').replace(/\?.*$/, ''))
  if (source.startsWith('file://')) {
    try { return fileURLToPath(source) } catch { /* fall through */ }
  }
  const clean = source.replace(/^[a-z][\w+.-]*:\/\/[^/]*\//i, '')
  return isAbsolute(clean) ? clean : resolve(base, clean)
}

export function isInside(rootAbs: string, abs: string): boolean {
  const rel = relative(rootAbs, abs)
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))
}

/** A path for reports: relative to the scanned root with `/`, `../…` when the map points outside it. */
export function displayPathOf(rootAbs: string, abs: string, prefix = ''): string {
  const rel = relative(rootAbs, abs).split(sep).join('/')
  return prefix ? `${prefix}/${rel}` : rel
}

/** What attribution adds to one finding of a built file. */
export interface Attribution {
  original?: SourcePosition
  /** Package of the original code; undefined keeps the built file's own package. */
  pkg?: PackageInfo
  /** Module named by a bundle marker, when there was no source map to give a line. */
  module?: string
}

/**
 * Attribution for a file analysed by a worker, from what the worker took from its text (the map ref, and
 * the bundle module of each finding): the file is not read again. Its map is read fresh, unless `memo`
 * (the analysis cache) already holds the answers of that map file as it is now (same path and stat).
 */
export function attributorForResult(
  jsAbs: string,
  ref: SourceMapRef,
  root: { abs: string; prefix: string; origins: PackageOrigins },
  memo?: MapMemo,
): (line: number, column: number, module: string | undefined) => Attribution | undefined {
  const lookup = mapLookup(jsAbs, ref, root.abs, memo)
  return (line, column, module) => {
    const o = lookup?.(line, column)
    if (o) {
      const pkg = root.origins.packageOf(o.abs)
      return { original: { file: displayPathOf(root.abs, o.abs, root.prefix), line: o.line, column: o.column }, ...(pkg ? { pkg } : {}) }
    }
    if (!module) return undefined
    // Marker paths are relative to the bundler's working directory: usually the project, i.e. the root.
    const pkg = root.origins.packageOf(resolve(root.abs, module))
    return { module, ...(pkg ? { pkg } : {}) }
  }
}

type Lookup = (line: number, column: number) => OriginalPosition | undefined

/** Position lookups in a file's map, through the memo when there is one (the map is then read only on a miss). */
function mapLookup(jsAbs: string, ref: SourceMapRef, rootAbs: string, memo: MapMemo | undefined): Lookup | undefined {
  const direct = (map: LoadedSourceMap | undefined): Lookup | undefined => map && ((line, column) => originalPositionOf(map, line, column, rootAbs))
  if (!memo || ref.broken || ref.inline !== undefined) return direct(readSourceMapOf(jsAbs, ref, rootAbs))
  for (const mapAbs of mapFileCandidates(jsAbs, ref, rootAbs)) {
    let st: Stats
    try { st = statSync(mapAbs) } catch { continue }
    if (!st.isFile() || st.size > MAX_MAP_BYTES) continue
    const table = memo.table(mapAbs, st)
    // A table with answers was filled from this file as it is now, which therefore loaded as a map.
    let loaded: LoadedSourceMap | undefined
    if (!Object.keys(table).length) {
      loaded = readMapFile(mapAbs)
      if (!loaded) continue
    }
    const base = dirname(mapAbs)
    return (line, column) => {
      const key = `${line}:${column}`
      let hit = table[key]
      if (hit === undefined) {
        loaded ??= readMapFile(mapAbs)
        if (!loaded) return undefined
        const p = rawPositionOf(loaded, line, column)
        hit = table[key] = p ? [p.source, p.line, p.column] : 0
        memo.changed()
      }
      return hit ? { abs: resolveMapSource(hit[0], base, rootAbs), line: hit[1], column: hit[2] } : undefined
    }
  }
  return undefined
}
