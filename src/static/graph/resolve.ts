// Resolves module specifiers the way Node does (and bundlers do for browser code), statically, inside a
// scanned tree: nothing is executed and no path outside the host's root is ever returned.
import { builtinModules } from 'node:module'
import { basename, dirname, join, relative, resolve as resolvePath, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  bestPatternKey, hasInvalidSegment, listExportTargets, resolveExportsMap, resolveImportsMap,
  type MapErrorCode, type MapTarget,
} from './package-map.ts'
import { isInside, type ResolverHost } from './resolver-host.ts'

export type ImportKind = 'require' | 'import' | 'dynamic-import' | 'require-resolve'

/** The last step that chose the file, for explanations. */
export type Via = 'path' | 'extension' | 'index' | 'main' | 'module' | 'browser' | 'exports' | 'imports'

export type MissingCode =
  | MapErrorCode
  | 'MODULE_NOT_FOUND'
  | 'ERR_UNKNOWN_BUILTIN_MODULE'
  /** The answer is, or goes through a link to, a path outside the scanned root. */
  | 'OUTSIDE_ROOT'

export type Resolution =
  /** `lenient` says why Node itself would not take this file (a bundler or an older loader would). */
  | { t: 'file'; path: string; via: Via; lenient?: string }
  /** A Node builtin: `fs`, `fs/promises`; prefix-only ones keep it (`node:test`). `lenient` as for files. */
  | { t: 'builtin'; name: string; lenient?: string }
  /** The `browser` field replaces the module with nothing (`false`). */
  | { t: 'empty'; reason: string }
  /** An ESM specifier that is a URL but no file: `data:` (inline code), `http(s):` (a network import), a host's module (`cloudflare:sockets`). */
  | { t: 'url'; url: string }
  /**
   * Unresolvable, with Node's error code where Node has one. `fallback` is the file a resolver that
   * ignores `exports` (a pre-exports bundler, an older Node) would take: callers decide whether to follow it.
   */
  | { t: 'missing'; code: MissingCode; reason: string; fallback?: string }

export interface ResolverOptions {
  /** 'browser' adds the `browser` condition (instead of `node`), the `browser` and `module` fields. */
  platform?: 'node' | 'browser'
  /** More conditions to accept in `exports`/`imports` (`development`, `react-server`…). */
  extraConditions?: readonly string[]
}

export interface PackageEntry {
  path: string
  /** Where the package names it: `main`, `module`, `browser`, `index` (no main), `exports`, `bin`. */
  via: 'main' | 'module' | 'browser' | 'index' | 'exports' | 'bin'
  /** The exports subpath ('.', './feature', a pattern expanded: './features/a') or the bin name. */
  key?: string
}

export interface ResolverStats {
  /** resolve() calls. */
  resolutions: number
  /** Of those, answered from the memo. */
  memoHits: number
  /** package.json files asked of the host (each directory once). */
  packageJsonReads: number
}

// Builtins that exist only with the `node:` prefix (a bare `test` is a package). Listed by hand as well
// as taken from the running Node, because the artifact may target a newer Node than the scanner runs on.
const PREFIX_ONLY = new Set(['sea', 'sqlite', 'test', 'test/reporters', 'quic', ...builtinModules.filter((m) => m.startsWith('node:')).map((m) => m.slice(5))])
const BARE_BUILTINS = new Set(builtinModules.filter((m) => !m.startsWith('node:') && !PREFIX_ONLY.has(m)))

/** A specifier longer than this is refused (real ones are short; a megabyte string would only cost time). */
export const MAX_SPECIFIER_LENGTH = 4096
/** imports → package → browser replacement → … chains longer than this are refused (they can loop). */
const MAX_INDIRECTIONS = 8
/** The memo is dropped and rebuilt past this many entries. */
const MAX_MEMO_ENTRIES = 500_000

// Node's CommonJS loader probes .js, .json and .node. We also probe .cjs and .mjs (after them) and say
// so in `lenient`: a static scanner must not miss a file that a bundler configured for it, or a
// hand-written loader, would find; the extension is still recorded, so nothing is hidden.
const NODE_EXTENSIONS = ['.js', '.json', '.node']
const LENIENT_EXTENSIONS = ['.cjs', '.mjs']
const LENIENT_EXTENSION = "Node's require() does not try .cjs/.mjs extensions; bundlers configured for them do"
const LENIENT_ESM = "Node's ESM loader neither adds extensions nor reads directories; bundlers and the CommonJS loader do"
const LENIENT_ARRAY = 'Node takes the first valid entry of a target array, which is not in the tree'
const LENIENT_BUILTIN_IMPORT = 'Node\'s require() fails on an "imports" target that is a builtin; import() and bundlers load it'
const LENIENT_BAD_PACKAGE_JSON = 'package.json is not valid JSON (or too big): Node refuses the package'

type Mode = 'cjs' | 'esm'
interface Found { path: string; via: Via; lenient?: string }
type Missing = Extract<Resolution, { t: 'missing' }>
interface PackageRecord { json?: Record<string, unknown>; exists: boolean }
interface BrowserMap { modules: Map<string, string | false>; files: Map<string, string | false> }

const missing = (code: MissingCode, reason: string, fallback?: string): Missing => (fallback ? { t: 'missing', code, reason, fallback } : { t: 'missing', code, reason })

/** Resolves specifiers from files of one scanned tree; caches package.json reads and answers per directory. */
export class ModuleResolver {
  readonly stats: ResolverStats = { resolutions: 0, memoHits: 0, packageJsonReads: 0 }
  private readonly host: ResolverHost
  private readonly root: string
  private readonly browser: boolean
  private readonly conditions: Record<Mode, ReadonlySet<string>>
  // Per mode, per importing directory, per specifier: nested maps, so no key string is built per call.
  private readonly memo: Record<Mode, Map<string, Map<string, Resolution>>> = { cjs: new Map(), esm: new Map() }
  private memoSize = 0
  private readonly importerDirs = new Map<string, string>()
  private readonly packages = new Map<string, PackageRecord>()
  private readonly scopes = new Map<string, string | null>()
  private readonly browserMaps = new Map<string, BrowserMap | null>()

  constructor(host: ResolverHost, options: ResolverOptions = {}) {
    this.host = host
    this.root = host.root
    this.browser = options.platform === 'browser'
    const extra = options.extraConditions ?? []
    // module-sync: Node 22.12+ and 20.19+ match it for both require and import (require(esm) unflagged);
    // node-addons: matched unless Node runs with --no-addons. `module` is the bundlers' ESM condition.
    const base = this.browser ? ['browser', 'module'] : ['node', 'node-addons', 'module-sync']
    this.conditions = {
      cjs: new Set([...base, 'require', ...extra]),
      esm: new Set([...base, 'import', ...extra]),
    }
  }

  /** Resolves `specifier` as written in `fromFile` (an absolute path inside the root). Never throws. */
  resolve(specifier: string, fromFile: string, kind: ImportKind): Resolution {
    this.stats.resolutions++
    const mode: Mode = kind === 'require' || kind === 'require-resolve' ? 'cjs' : 'esm'
    let dir = this.importerDirs.get(fromFile)
    if (dir === undefined) {
      dir = this.realpath(dirname(fromFile)) ?? dirname(fromFile)
      if (this.importerDirs.size >= MAX_MEMO_ENTRIES) this.importerDirs.clear()
      this.importerDirs.set(fromFile, dir)
    }
    let answers = this.memo[mode].get(dir)
    if (!answers) this.memo[mode].set(dir, (answers = new Map()))
    const hit = answers.get(specifier)
    if (hit) {
      this.stats.memoHits++
      return hit
    }
    let result: Resolution
    try {
      result = isInside(dir, this.root)
        ? this.resolveFrom(specifier, dir, mode, 0)
        : missing('OUTSIDE_ROOT', `the importing file ${fromFile} is outside the scanned root`)
    } catch (err) {
      // Not expected (every bound is checked above); a resolver that throws would stop the scan.
      result = missing('LIMIT', `resolution failed: ${(err as Error)?.message ?? String(err)}`)
    }
    if (++this.memoSize > MAX_MEMO_ENTRIES) {
      this.memo.cjs.clear()
      this.memo.esm.clear()
      this.memoSize = 1
      this.memo[mode].set(dir, (answers = new Map()))
    }
    answers.set(specifier, result)
    return result
  }

  /** The files a package directory starts from (paths only); see packageEntryPoints. */
  packageEntries(pkgDir: string): string[] {
    return this.packageEntryPoints(pkgDir).map((e) => e.path)
  }

  /**
   * The files a package starts from, for reachability: `main` (or index.js), `module`, `browser` (string),
   * every `exports` target under every condition (type declarations excepted) that is a file, patterns
   * expanded against the files present (and shadowed subpaths left out), and `bin` entries.
   * A superset of what one runtime loads, on purpose: reachability must not call a loadable file unreachable.
   */
  packageEntryPoints(pkgDir: string): PackageEntry[] {
    const dir = this.realpath(pkgDir)
    if (!dir || !isInside(dir, this.root)) return []
    const out: PackageEntry[] = []
    const seen = new Set<string>()
    const add = (path: string | undefined, via: PackageEntry['via'], key?: string) => {
      const real = path && this.realpath(path)
      if (!real || seen.has(real) || !this.host.isFile(real)) return
      seen.add(real)
      out.push(key === undefined ? { path: real, via } : { path: real, via, key })
    }
    const pkg = this.readPackage(dir).json
    for (const field of ['main', 'module', 'browser'] as const) {
      const r = this.mainField(dir, pkg, field)
      if (r && 'path' in r) add(r.path, field)
      // Node loads index.js when there is no `main`, or when it names nothing.
      else if (field === 'main') add(this.loadIndex(dir)?.path, 'index')
    }
    if (pkg?.exports !== undefined && pkg.exports !== null) this.addExportEntries(dir, pkg.exports, add)
    const bin = pkg?.bin
    const binTargets: Array<[string | undefined, unknown]> = typeof bin === 'string' ? [[typeof pkg?.name === 'string' ? pkg.name : undefined, bin]] : bin && typeof bin === 'object' ? Object.entries(bin) : []
    for (const [name, target] of binTargets) {
      if (typeof target !== 'string' || !target) continue
      // npm keeps bin paths inside the package ('../../x' links 'x'), so do we.
      add(join(dir, resolvePath('/', target).slice(1)), 'bin', name)
    }
    return out
  }

  private addExportEntries(dir: string, exportsValue: unknown, add: (p: string | undefined, via: 'exports', key: string) => void): void {
    const { entries } = listExportTargets(exportsValue)
    let files: string[] | undefined
    const map = typeof exportsValue === 'object' && exportsValue !== null && !Array.isArray(exportsValue) ? (exportsValue as Record<string, unknown>) : {}
    for (const { key, target } of entries) {
      if (!key.includes('*')) {
        const p = join(dir, target)
        if (isInside(p, dir)) add(p, 'exports', key)
        continue
      }
      files ??= this.host.filesUnder ? [...this.host.filesUnder(dir)] : []
      const pattern = target.slice(2)
      const star = key.indexOf('*')
      for (const file of files) {
        const rel = relative(dir, file).split(sep).join('/')
        const match = starMatch(pattern, rel)
        if (match === undefined || hasInvalidSegment(match)) continue
        const subpath = key.slice(0, star) + match + key.slice(star + 1)
        // The subpath must come to this key: an exact key or a more specific pattern (a `null` one,
        // say) takes it otherwise.
        if (Object.hasOwn(map, subpath) || bestPatternKey(map, subpath) !== key) continue
        add(file, 'exports', subpath)
      }
    }
  }

  private resolveFrom(specifier: string, dir: string, mode: Mode, depth: number): Resolution {
    if (depth > MAX_INDIRECTIONS) return missing('LIMIT', `more than ${MAX_INDIRECTIONS} indirections (imports, browser replacements) in a row`)
    if (typeof specifier !== 'string' || specifier === '' || specifier.length > MAX_SPECIFIER_LENGTH || specifier.includes('\0')) {
      return missing('ERR_INVALID_MODULE_SPECIFIER', typeof specifier === 'string' && specifier.length > MAX_SPECIFIER_LENGTH ? `specifier longer than ${MAX_SPECIFIER_LENGTH} characters` : 'empty or malformed specifier')
    }
    if (specifier.startsWith('node:')) return this.builtin(specifier.slice(5))
    let spec = specifier
    if (mode === 'esm') {
      const scheme = /^([a-zA-Z][a-zA-Z\d+.-]*):/.exec(spec)?.[1]?.toLowerCase()
      if (scheme === 'file') {
        let path: string
        try { path = fileURLToPath(spec) } catch { return missing('ERR_INVALID_MODULE_SPECIFIER', `'${spec}' is not a valid file: URL`) }
        return this.resolvePath(path, false, mode, depth)
      }
      // Node's resolver accepts any URL (its loader then takes data: and refuses the rest); a host may
      // provide others (`cloudflare:sockets`, `bun:sqlite`). The caller decides what each means.
      if (scheme && scheme.length > 1 && URL.canParse(spec)) return { t: 'url', url: spec }
    }
    if (isRelative(spec)) {
      const dirOnly = spec === '.' || spec === '..' || spec.endsWith('/')
      if (mode === 'esm') {
        // An ESM specifier is a URL: '?query' and '#hash' are not part of the file, '%xx' is decoded.
        spec = spec.replace(/[?#].*$/s, '')
        if (spec.includes('%')) {
          if (/%2f|%5c/i.test(spec)) return missing('ERR_INVALID_MODULE_SPECIFIER', `'${specifier}' encodes a path separator`)
          try { spec = decodeURIComponent(spec) } catch { return missing('ERR_INVALID_MODULE_SPECIFIER', `'${specifier}' has an invalid percent-encoding`) }
        }
      }
      return this.resolvePath(resolvePath(dir, spec), dirOnly, mode, depth)
    }
    if (spec.startsWith('#')) return this.resolveImports(spec, dir, mode, depth)
    return this.resolveBare(spec, dir, mode, depth)
  }

  private builtin(name: string): Resolution {
    if (BARE_BUILTINS.has(name)) return { t: 'builtin', name }
    if (PREFIX_ONLY.has(name)) return { t: 'builtin', name: `node:${name}` }
    return missing('ERR_UNKNOWN_BUILTIN_MODULE', `node:${name} is not a Node builtin`)
  }

  /** A relative or absolute path: the file, or (CommonJS) with an extension, or a directory's main/index. */
  private resolvePath(abs: string, dirOnly: boolean, mode: Mode, depth: number): Resolution {
    if (!isInside(abs, this.root)) return missing('OUTSIDE_ROOT', `${abs} is outside the scanned root`)
    if (mode === 'esm' && !dirOnly && this.host.isFile(abs)) return this.finish({ path: abs, via: 'path' }, mode, depth)
    const found = (dirOnly ? undefined : this.loadAsFile(abs)) ?? this.loadAsDirectory(abs, mode)
    if (!found) {
      const out = [abs, ...NODE_EXTENSIONS.map((e) => abs + e), ...LENIENT_EXTENSIONS.map((e) => abs + e)].find((p) => this.host.leavesRoot?.(p))
      if (out) return missing('OUTSIDE_ROOT', `${this.show(out)} is a link that leaves the scanned root (or loops)`)
      return missing('MODULE_NOT_FOUND', `no file ${this.show(abs)}${dirOnly ? '' : ' (nor with .js, .json, .node, .cjs, .mjs)'} and no directory with a main or index file there`)
    }
    if ('t' in found) return found
    if (mode === 'esm' && !found.lenient) found.lenient = LENIENT_ESM
    return this.finish(found, mode, depth)
  }

  private resolveImports(spec: string, dir: string, mode: Mode, depth: number): Resolution {
    const scope = this.packageScope(dir)
    if (!scope) return missing('ERR_PACKAGE_IMPORT_NOT_DEFINED', `no package.json above ${this.show(dir)} to define '${spec}'`)
    const pkg = this.readPackage(scope).json
    if (!pkg) return missing('ERR_INVALID_PACKAGE_CONFIG', `${this.show(join(scope, 'package.json'))}: not valid JSON (or too big)`)
    const result = resolveImportsMap(pkg.imports, spec, this.conditions[mode])
    if (result.t === 'error') return missing(result.code, `${this.show(join(scope, 'package.json'))}: ${result.reason}`)
    return this.firstTarget(result.targets, scope, 'imports', `'${spec}'`, mode, depth)
  }

  /** The first target of a map that exists (paths) or resolves (packages, imports only). */
  private firstTarget(targets: MapTarget[], pkgDir: string, via: 'exports' | 'imports', what: string, mode: Mode, depth: number, fallback?: () => string | undefined): Resolution {
    let last: Resolution | undefined
    for (let i = 0; i < targets.length; i++) {
      const t = targets[i]
      if (t.t === 'package') {
        const r = this.resolveFrom(t.specifier, pkgDir, mode, depth + 1)
        // Node's require() turns the `node:` URL it gets here into a path and fails (ERR_INVALID_URL_SCHEME,
        // Node 20 to 26); import() and bundlers load the builtin.
        if (r.t === 'builtin' && mode === 'cjs') return { ...r, lenient: LENIENT_BUILTIN_IMPORT }
        if (r.t !== 'missing') return r
        last = r
        continue
      }
      const abs = join(pkgDir, t.target)
      if (!isInside(abs, pkgDir) || !this.host.isFile(abs)) continue
      return this.finish({ path: abs, via, lenient: i > 0 ? LENIENT_ARRAY : undefined }, mode, depth)
    }
    if (last && targets.length === 1) return last
    const shown = targets.map((t) => (t.t === 'path' ? t.target : t.specifier)).join("', '")
    return missing('MODULE_NOT_FOUND', `${this.show(join(pkgDir, 'package.json'))} "${via}" maps ${what} to '${shown}', which is not in the tree`, fallback?.())
  }

  private resolveBare(spec: string, dir: string, mode: Mode, depth: number): Resolution {
    // Node's rule: a bare builtin name is never shadowed by node_modules. Bundlers for the browser look
    // in node_modules first (polyfills such as `events`, `buffer`), and only then call it a builtin.
    if (!this.browser && BARE_BUILTINS.has(spec)) return { t: 'builtin', name: spec }
    if (this.browser) {
      const replaced = this.browserSpecifier(spec, dir, mode, depth)
      if (replaced) return replaced
    }
    const name = packageNameOf(spec)
    if (!name) return missing('ERR_INVALID_MODULE_SPECIFIER', `'${spec}' is not a valid package name`)
    const subpath = '.' + spec.slice(name.length)

    // A package may import itself by name, through its own exports.
    const scope = this.packageScope(dir)
    if (scope) {
      const own = this.readPackage(scope).json
      if (own && own.name === name && own.exports !== undefined && own.exports !== null) return this.viaExports(scope, own, subpath, mode, depth)
    }

    let linkOut: string | undefined
    for (let d = dir; ; d = dirname(d)) {
      if (basename(d) !== 'node_modules') {
        const modules = join(d, 'node_modules')
        const pkgDir = join(modules, name)
        if (this.host.isDirectory(pkgDir)) {
          const rec = this.readPackage(pkgDir)
          if (rec.json && rec.json.exports !== undefined && rec.json.exports !== null) return this.viaExports(pkgDir, rec.json, subpath, mode, depth)
          const found = mode === 'cjs' || subpath !== '.'
            ? this.loadAsFile(join(modules, spec)) ?? this.loadAsDirectory(join(modules, spec), mode)
            : this.loadAsDirectory(pkgDir, mode)
          if (found && 't' in found) return found
          if (found) {
            if (rec.exists && !rec.json) return missing('ERR_INVALID_PACKAGE_CONFIG', `${this.show(join(pkgDir, 'package.json'))}: ${LENIENT_BAD_PACKAGE_JSON}`, this.finishPath(found))
            if (mode === 'esm' && subpath !== '.' && found.via !== 'path') found.lenient ??= LENIENT_ESM
            return this.finish(found, mode, depth)
          }
          // ESM stops at the first folder of that name; CommonJS goes on looking further up.
          if (mode === 'esm') return missing('MODULE_NOT_FOUND', `${this.show(pkgDir)} has no ${subpath === '.' ? 'main or index file' : `'${subpath}'`}`)
        } else {
          if (mode === 'cjs') {
            // require('x') also loads node_modules/x.js.
            const file = this.loadAsFile(join(modules, spec))
            if (file) return this.finish(file, mode, depth)
          }
          if (!linkOut && this.host.leavesRoot?.(pkgDir)) linkOut = pkgDir
        }
      }
      if (d === this.root || dirname(d) === d) break
    }
    if (BARE_BUILTINS.has(spec)) return { t: 'builtin', name: spec }
    if (linkOut) return missing('OUTSIDE_ROOT', `${this.show(linkOut)} is a link that leaves the scanned root (or loops)`)
    return missing('MODULE_NOT_FOUND', `package '${name}' is not installed (no node_modules/${name} from ${this.show(dir)} up to the root)`)
  }

  private viaExports(pkgDir: string, pkg: Record<string, unknown>, subpath: string, mode: Mode, depth: number): Resolution {
    const label = typeof pkg.name === 'string' ? pkg.name : this.show(pkgDir)
    const fallback = () => this.withoutExports(pkgDir, pkg, subpath, mode)
    const result = resolveExportsMap(pkg.exports, subpath, this.conditions[mode])
    if (result.t === 'error') return missing(result.code, `${label}: ${result.reason}`, fallback())
    return this.firstTarget(result.targets, pkgDir, 'exports', `'${subpath}'`, mode, depth, fallback)
  }

  /** The file a resolver that ignores `exports` takes: main/index for '.', the path with extensions otherwise. */
  private withoutExports(pkgDir: string, pkg: Record<string, unknown>, subpath: string, mode: Mode): string | undefined {
    const abs = join(pkgDir, subpath)
    // Only files of the package: 'pkg/x/../../../y' names something else, not a file exports hides.
    if (!isInside(abs, pkgDir)) return undefined
    const found = subpath === '.' ? this.legacyMain(pkgDir, pkg, mode) : this.loadAsFile(abs) ?? this.loadAsDirectory(abs, mode)
    return found && !('t' in found) ? this.finishPath(found) : undefined
  }

  private loadAsFile(p: string): Found | undefined {
    if (this.host.isFile(p)) return { path: p, via: 'path' }
    for (const ext of NODE_EXTENSIONS) if (this.host.isFile(p + ext)) return { path: p + ext, via: 'extension' }
    for (const ext of LENIENT_EXTENSIONS) if (this.host.isFile(p + ext)) return { path: p + ext, via: 'extension', lenient: LENIENT_EXTENSION }
    return undefined
  }

  private loadIndex(dir: string): Found | undefined {
    for (const ext of NODE_EXTENSIONS) if (this.host.isFile(join(dir, 'index' + ext))) return { path: join(dir, 'index' + ext), via: 'index' }
    for (const ext of LENIENT_EXTENSIONS) if (this.host.isFile(join(dir, 'index' + ext))) return { path: join(dir, 'index' + ext), via: 'index', lenient: LENIENT_EXTENSION }
    return undefined
  }

  private loadAsDirectory(dir: string, mode: Mode): Found | Missing | undefined {
    if (!this.host.isDirectory(dir)) return undefined
    return this.legacyMain(dir, this.readPackage(dir).json, mode)
  }

  /**
   * LOAD_AS_DIRECTORY: `main` (with extensions or as a folder), then index. For the browser, the `browser`
   * string first, and `module` (ESM) before `main` for imports; require() takes `main` first, as esbuild does.
   */
  private legacyMain(dir: string, pkg: Record<string, unknown> | undefined, mode: Mode): Found | Missing | undefined {
    const fields = !this.browser ? (['main'] as const) : mode === 'esm' ? (['browser', 'module', 'main'] as const) : (['browser', 'main', 'module'] as const)
    for (const field of fields) {
      const r = this.mainField(dir, pkg, field)
      if (r) return r
    }
    // Node still loads index.js when `main` names nothing (deprecated, DEP0128).
    return this.loadIndex(dir)
  }

  private mainField(dir: string, pkg: Record<string, unknown> | undefined, field: 'main' | 'module' | 'browser'): Found | Missing | undefined {
    const value = pkg?.[field]
    if (typeof value !== 'string' || value === '') return undefined
    const m = resolvePath(dir, value)
    if (!isInside(m, this.root)) return missing('OUTSIDE_ROOT', `${this.show(join(dir, 'package.json'))} "${field}" ('${value}') leaves the scanned root`)
    const found = this.loadAsFile(m) ?? this.loadIndex(m)
    return found && { ...found, via: field }
  }

  /** The real path of a found file, browser replacements applied; or why it cannot be given. */
  private finish(found: Found, mode: Mode, depth: number): Resolution {
    const real = this.realpath(found.path)
    if (!real) return missing('OUTSIDE_ROOT', `${this.show(found.path)} is a link that leaves the scanned root`)
    if (this.browser) {
      const replaced = this.browserFile(real, mode, depth)
      if (replaced) return replaced
    }
    return found.lenient ? { t: 'file', path: real, via: found.via, lenient: found.lenient } : { t: 'file', path: real, via: found.via }
  }

  private finishPath(found: Found): string | undefined {
    return this.realpath(found.path)
  }

  private realpath(p: string): string | undefined {
    if (!this.host.realpath) return p
    return this.host.realpath(p)
  }

  // --- browser field (https://github.com/defunctzombie/package-browser-field-spec) ---

  private browserMap(scope: string): BrowserMap | null {
    let map = this.browserMaps.get(scope)
    if (map !== undefined) return map
    map = null
    const value = this.readPackage(scope).json?.browser
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      map = { modules: new Map(), files: new Map() }
      for (const [key, target] of Object.entries(value as Record<string, unknown>)) {
        if (target !== false && typeof target !== 'string') continue
        // "./lib/node.js" names a file of this package; "ws" a module; "lib/x.js" is taken as both.
        if (!key.startsWith('./') && !key.startsWith('../')) map.modules.set(key, target)
        if (!key.startsWith('.') && !key.includes('/')) continue
        const abs = resolvePath(scope, key)
        if (!isInside(abs, scope)) continue
        const found = this.loadAsFile(abs) ?? this.loadIndex(abs)
        const real = found && this.realpath(found.path)
        if (real && !map.files.has(real)) map.files.set(real, target)
      }
    }
    this.browserMaps.set(scope, map)
    return map
  }

  /** `browser: { "./lib/node.js": "./lib/web.js" }` in the package that holds `file`. */
  private browserFile(file: string, mode: Mode, depth: number): Resolution | undefined {
    const scope = this.packageScope(dirname(file))
    const target = scope ? this.browserMap(scope)?.files.get(file) : undefined
    if (target === undefined || !scope) return undefined
    return this.browserReplacement(target, scope, this.show(file), mode, depth)
  }

  /** `browser: { "ws": false, "node-fetch": "./shim.js" }` in the importer's package. */
  private browserSpecifier(spec: string, dir: string, mode: Mode, depth: number): Resolution | undefined {
    const scope = this.packageScope(dir)
    const target = scope ? this.browserMap(scope)?.modules.get(spec) : undefined
    if (target === undefined || target === spec || !scope) return undefined
    return this.browserReplacement(target, scope, `'${spec}'`, mode, depth)
  }

  private browserReplacement(target: string | false, scope: string, what: string, mode: Mode, depth: number): Resolution {
    if (target === false) return { t: 'empty', reason: `the "browser" field of ${this.show(join(scope, 'package.json'))} replaces ${what} with an empty module` }
    if (!isRelative(target)) return this.resolveFrom(target, scope, mode, depth + 1)
    const abs = resolvePath(scope, target)
    if (!isInside(abs, this.root)) return missing('OUTSIDE_ROOT', `the "browser" field replacement '${target}' leaves the scanned root`)
    const found = this.loadAsFile(abs) ?? this.loadIndex(abs)
    const real = found && this.realpath(found.path)
    if (!real) return missing('MODULE_NOT_FOUND', `the "browser" field of ${this.show(join(scope, 'package.json'))} replaces ${what} with '${target}', which is not in the tree`)
    return { t: 'file', path: real, via: 'browser' }
  }

  // --- package.json and package scopes ---

  private readPackage(dir: string): PackageRecord {
    let rec = this.packages.get(dir)
    if (!rec) {
      this.stats.packageJsonReads++
      const json = this.host.readPackageJson(dir)
      rec = json ? { json, exists: true } : { exists: this.host.isFile(join(dir, 'package.json')) }
      this.packages.set(dir, rec)
    }
    return rec
  }

  /** LOOKUP_PACKAGE_SCOPE: the nearest folder with a package.json, not crossing a node_modules folder nor the root. */
  private packageScope(dir: string): string | null {
    const walked: string[] = []
    let found: string | null = null
    for (let d = dir; ; d = dirname(d)) {
      const known = this.scopes.get(d)
      if (known !== undefined) { found = known; break }
      walked.push(d)
      if (basename(d) === 'node_modules' || !isInside(d, this.root)) break
      if (this.host.isFile(join(d, 'package.json'))) { found = d; break }
      if (d === this.root || dirname(d) === d) break
    }
    for (const d of walked) this.scopes.set(d, found)
    return found
  }

  private show(abs: string): string {
    return relative(this.root, abs).split(sep).join('/') || '.'
  }
}

function isRelative(spec: string): boolean {
  return spec === '.' || spec === '..' || spec.startsWith('./') || spec.startsWith('../') || spec.startsWith('/')
}

/** `a` of 'a/b/c', `@s/a` of '@s/a/b'; undefined when Node would refuse the name. */
export function packageNameOf(spec: string): string | undefined {
  let end = spec.indexOf('/')
  if (spec.startsWith('@')) {
    if (end < 0) return undefined
    end = spec.indexOf('/', end + 1)
  }
  const name = end < 0 ? spec : spec.slice(0, end)
  if (name.startsWith('.') || name.includes('\\') || name.includes('%') || name.endsWith('/') || name === '@') return undefined
  return name
}

/** The part of `path` that `*` stands for in `pattern` (every `*` the same), or undefined. */
function starMatch(pattern: string, path: string): string | undefined {
  const parts = pattern.split('*')
  const head = parts[0]
  const tail = parts[parts.length - 1]
  if (!path.startsWith(head) || !path.endsWith(tail) || path.length <= head.length + tail.length) return undefined
  if (parts.length === 2) return path.slice(head.length, path.length - tail.length)
  for (let end = head.length + 1; end <= path.length - tail.length; end++) {
    const m = path.slice(head.length, end)
    if (pattern.replaceAll('*', m) === path) return m
  }
  return undefined
}
