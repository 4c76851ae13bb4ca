// package.json "exports" and "imports" maps, resolved as Node's PACKAGE_EXPORTS_RESOLVE and
// PACKAGE_IMPORTS_RESOLVE define them (doc/api/esm.md), without touching the file system.
//
// Written here rather than taken from `resolve.exports`: on Node 20 that library stops at a matching
// condition whose nested object matches nothing (`{ node: { import }, default }` under `require` gives an
// error, Node gives `default`), ranks patterns by key length instead of Node's PATTERN_KEY_COMPARE, builds
// an unescaped RegExp from each key (`./*.js` matches `./fooXjs`; a key with `(` throws), still honours the
// folder mappings Node removed (`"./dir/": "./lib/"`), returns targets that escape the package
// (`../../y`) and recurses without bound. We also need what no such library offers: every target of a map
// under every condition, for a package's entry points.

/** Node's error codes, so callers can match on them; LIMIT is ours (a bound on hostile input). */
export type MapErrorCode =
  | 'ERR_PACKAGE_PATH_NOT_EXPORTED'
  | 'ERR_PACKAGE_IMPORT_NOT_DEFINED'
  | 'ERR_INVALID_PACKAGE_TARGET'
  | 'ERR_INVALID_PACKAGE_CONFIG'
  | 'ERR_INVALID_MODULE_SPECIFIER'
  | 'LIMIT'

/** One place a map sends a specifier: a path inside the package, or (imports only) another package. */
export type MapTarget =
  | { t: 'path'; target: string }
  | { t: 'package'; specifier: string }

export type MapResult =
  /** In preference order: Node takes the first; the others are later entries of a target array. */
  | { t: 'targets'; targets: MapTarget[] }
  | { t: 'error'; code: MapErrorCode; reason: string }

/** Conditions objects nested deeper than this are refused (JSON allows any depth; Node recurses). */
export const MAX_TARGET_DEPTH = 32
/** Target values visited for one lookup: arrays of a million entries are refused, not walked. */
export const MAX_TARGET_VISITS = 4096

type Resolved = undefined | null | MapTarget[] | { code: MapErrorCode; reason: string }

interface Walk {
  conditions: ReadonlySet<string>
  isImports: boolean
  visits: number
}

const isError = (r: Resolved): r is { code: MapErrorCode; reason: string } => !!r && !Array.isArray(r)
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** Resolves `subpath` ('.' or './x') through a package's `exports` value. */
export function resolveExportsMap(exportsValue: unknown, subpath: string, conditions: ReadonlySet<string>): MapResult {
  const shape = exportsShape(exportsValue)
  if (shape === 'mixed') return configError('"exports" mixes subpath keys (starting with ".") and condition keys')
  const walk: Walk = { conditions, isImports: false, visits: 0 }
  let resolved: Resolved
  if (subpath === '.') {
    // Only a string, an array or a conditions object is the main export itself (`false`, 42: nothing is).
    const main = shape === 'subpaths' ? (exportsValue as Record<string, unknown>)['.'] : shape === 'conditions' || typeof exportsValue === 'string' || Array.isArray(exportsValue) ? exportsValue : undefined
    resolved = main === undefined ? undefined : resolveTarget(main, null, walk, 0)
  } else if (shape === 'subpaths') {
    resolved = resolveInMap(subpath, exportsValue as Record<string, unknown>, walk)
  }
  return finish(resolved, 'ERR_PACKAGE_PATH_NOT_EXPORTED', subpath === '.' ? 'the package has "exports" but no main export (".")' : `"exports" does not export '${subpath}'`)
}

/** Resolves a `#name` specifier through a package's `imports` value. */
export function resolveImportsMap(importsValue: unknown, specifier: string, conditions: ReadonlySet<string>): MapResult {
  // Node 25 lifted the ban on `#/…` (nodejs/node#60864); a scanner accepts it for every Node.
  if (specifier === '#') return { t: 'error', code: 'ERR_INVALID_MODULE_SPECIFIER', reason: "'#' is not a valid imports specifier" }
  let resolved: Resolved
  if (isObject(importsValue)) resolved = resolveInMap(specifier, importsValue, { conditions, isImports: true, visits: 0 })
  return finish(resolved, 'ERR_PACKAGE_IMPORT_NOT_DEFINED', `"imports" does not define '${specifier}'`)
}

function finish(resolved: Resolved, notFound: MapErrorCode, reason: string): MapResult {
  if (isError(resolved)) return { t: 'error', code: resolved.code, reason: resolved.reason }
  if (!resolved || !resolved.length) return { t: 'error', code: notFound, reason }
  return { t: 'targets', targets: resolved }
}

function configError(reason: string): MapResult {
  return { t: 'error', code: 'ERR_INVALID_PACKAGE_CONFIG', reason }
}

/** 'subpaths' when every key starts with '.', 'conditions' when none does (sugar for "."). */
function exportsShape(value: unknown): 'subpaths' | 'conditions' | 'mixed' | 'other' {
  if (!isObject(value)) return 'other'
  let dotted = 0
  let total = 0
  for (const k of Object.keys(value)) {
    total++
    if (k.startsWith('.')) dotted++
  }
  if (dotted === 0) return 'conditions'
  return dotted === total ? 'subpaths' : 'mixed'
}

/** PACKAGE_IMPORTS_EXPORTS_RESOLVE: an exact key, else the best pattern key by PATTERN_KEY_COMPARE. */
function resolveInMap(matchKey: string, map: Record<string, unknown>, walk: Walk): Resolved {
  if (!matchKey.includes('*') && Object.hasOwn(map, matchKey)) return resolveTarget(map[matchKey], null, walk, 0)
  const key = bestPatternKey(map, matchKey)
  if (key === undefined) return null
  const star = key.indexOf('*')
  const trailer = key.slice(star + 1)
  return resolveTarget(map[key], matchKey.slice(star, matchKey.length - trailer.length), walk, 0)
}

const sortedPatternKeys = new WeakMap<object, string[]>()

/** The pattern key (one `*`) Node picks for `matchKey`, if any. */
export function bestPatternKey(map: Record<string, unknown>, matchKey: string): string | undefined {
  let keys = sortedPatternKeys.get(map)
  if (!keys) {
    keys = Object.keys(map).filter((k) => { const i = k.indexOf('*'); return i >= 0 && k.indexOf('*', i + 1) < 0 }).sort(comparePatternKeys)
    sortedPatternKeys.set(map, keys)
  }
  for (const key of keys) {
    const star = key.indexOf('*')
    const base = key.slice(0, star)
    if (!matchKey.startsWith(base) || matchKey === base) continue
    const trailer = key.slice(star + 1)
    if (trailer.length === 0 || (matchKey.endsWith(trailer) && matchKey.length >= key.length)) return key
  }
  return undefined
}

/** PATTERN_KEY_COMPARE: the longer part before `*` first, then the longer key. */
export function comparePatternKeys(a: string, b: string): number {
  const baseA = a.indexOf('*') + 1
  const baseB = b.indexOf('*') + 1
  if (baseA !== baseB) return baseB - baseA
  if (baseA === 0) return 0
  return b.length - a.length
}

/** PACKAGE_TARGET_RESOLVE. Arrays keep every valid entry (in order) so the caller can skip missing files. */
function resolveTarget(target: unknown, patternMatch: string | null, walk: Walk, depth: number): Resolved {
  if (++walk.visits > MAX_TARGET_VISITS) return { code: 'LIMIT', reason: `more than ${MAX_TARGET_VISITS} target values visited` }
  if (depth > MAX_TARGET_DEPTH) return { code: 'LIMIT', reason: `conditions nested deeper than ${MAX_TARGET_DEPTH} levels` }
  if (typeof target === 'string') return resolveStringTarget(target, patternMatch, walk)
  if (target === null) return null
  if (Array.isArray(target)) {
    if (!target.length) return null
    const found: MapTarget[] = []
    let last: Resolved = null
    for (const item of target) {
      const r = resolveTarget(item, patternMatch, walk, depth + 1)
      if (isError(r)) {
        if (r.code !== 'ERR_INVALID_PACKAGE_TARGET') return found.length ? found : r
        last = r
      } else if (r === undefined) {
        last = undefined
      } else if (r === null) {
        // Node's implementation skips a null entry (the spec's prose would return it): [null, "./x.js"] is x.js.
        last = null
      } else {
        found.push(...r)
      }
    }
    return found.length ? found : last
  }
  if (isObject(target)) {
    for (const key of Object.keys(target)) {
      if (isArrayIndex(key)) return { code: 'ERR_INVALID_PACKAGE_CONFIG', reason: `a conditions object has the numeric key "${key}"` }
    }
    for (const key of Object.keys(target)) {
      if (key !== 'default' && !walk.conditions.has(key)) continue
      const r = resolveTarget(target[key], patternMatch, walk, depth + 1)
      if (r !== undefined) return r
    }
    return undefined
  }
  return { code: 'ERR_INVALID_PACKAGE_TARGET', reason: `target ${JSON.stringify(target)} is not a string, object, array or null` }
}

function resolveStringTarget(target: string, patternMatch: string | null, walk: Walk): Resolved {
  const substitute = (s: string) => (patternMatch === null ? s : s.replaceAll('*', patternMatch))
  if (!target.startsWith('./')) {
    if (!walk.isImports || target.startsWith('../') || target.startsWith('/') || isUrl(target)) {
      return { code: 'ERR_INVALID_PACKAGE_TARGET', reason: `target "${target}" must start with "./"` }
    }
    return [{ t: 'package', specifier: substitute(target) }]
  }
  if (hasInvalidSegment(target.slice(2))) {
    return { code: 'ERR_INVALID_PACKAGE_TARGET', reason: `target "${target}" has a ".", ".." or "node_modules" segment` }
  }
  if (patternMatch !== null && hasInvalidSegment(patternMatch)) {
    return { code: 'ERR_INVALID_MODULE_SPECIFIER', reason: `"${patternMatch}" (matched by "*") has a ".", ".." or "node_modules" segment` }
  }
  return [{ t: 'path', target: substitute(target) }]
}

function isArrayIndex(key: string): boolean {
  return /^(?:0|[1-9]\d*)$/.test(key) && Number(key) < 2 ** 32 - 1
}

function isUrl(s: string): boolean {
  try {
    new URL(s)
    return true
  } catch {
    return false
  }
}

/**
 * Node refuses `.`, `..` and `node_modules` segments (also percent-encoded, any case). Empty segments
 * (`./a//b`) only draw a deprecation warning there (DEP0166), so they pass here too.
 */
export function hasInvalidSegment(path: string): boolean {
  for (const raw of path.split(/[/\\]/)) {
    let seg = raw
    if (seg.includes('%')) {
      try { seg = decodeURIComponent(seg) } catch { /* keep it raw */ }
    }
    seg = seg.toLowerCase()
    if (seg === '.' || seg === '..' || seg === 'node_modules') return true
  }
  return false
}

/** One target a map can send a subpath to, under some combination of conditions. */
export interface MapEntry {
  /** The subpath key ('.', './feature', './features/*'). */
  key: string
  /** A valid './…' target; contains `*` when the key is a pattern. */
  target: string
}

/** Conditions whose targets are never loaded by a runtime (type declarations). */
const TYPE_CONDITIONS = new Set(['types', 'typings'])

/**
 * Every path target of an `exports` value under every condition (type declarations excepted), null
 * and invalid targets left out. Bounded like resolution: `truncated` says when a bound cut it short.
 */
export function listExportTargets(exportsValue: unknown): { entries: MapEntry[]; truncated: boolean } {
  const entries: MapEntry[] = []
  const state = { visits: 0, truncated: false }
  const shape = exportsShape(exportsValue)
  if (shape === 'mixed') return { entries, truncated: false }
  const map: Record<string, unknown> = shape === 'subpaths' ? (exportsValue as Record<string, unknown>) : { '.': exportsValue }
  for (const key of Object.keys(map)) {
    const stars = key.split('*').length - 1
    if (stars > 1) continue
    collectTargets(map[key], 0, state, (target) => {
      if (stars === 0 && target.includes('*')) return
      entries.push({ key, target })
    })
  }
  return { entries, truncated: state.truncated }
}

function collectTargets(value: unknown, depth: number, state: { visits: number; truncated: boolean }, add: (t: string) => void): void {
  if (++state.visits > MAX_TARGET_VISITS || depth > MAX_TARGET_DEPTH) {
    state.truncated = true
    return
  }
  if (typeof value === 'string') {
    if (value.startsWith('./') && !hasInvalidSegment(value.slice(2))) add(value)
  } else if (Array.isArray(value)) {
    for (const v of value) collectTargets(v, depth + 1, state, add)
  } else if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) if (!TYPE_CONDITIONS.has(k) && !isArrayIndex(k)) collectTargets(v, depth + 1, state, add)
  }
}
