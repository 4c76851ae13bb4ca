// Cross-module folding in unbundled trees: reads first-party modules a file imports and folds their
// exported constants (`import { ENDPOINT } from '../config.js'`, `require('./config').url`).
import { createHash } from 'node:crypto'
import { readFileSync, statSync } from 'node:fs'
import { dirname, extname, resolve, sep } from 'node:path'
import { Folder, isRelative, type Val } from '../parse/fold.ts'
import { parseSource, type ModuleKind } from '../parse/parse.ts'
import { collectFacts, lookup, type AnyNode } from '../parse/scope.ts'

const MAX_MODULE_BYTES = 2 * 1024 * 1024
const MAX_DEPTH = 3
const EXTENSIONS = ['', '.js', '.mjs', '.cjs', '/index.js', '/index.mjs', '/index.cjs']
// A worker keeps recently used modules (AST and all) for the files that import them: bounded, so a
// large tree does not keep every first-party module in memory.
const CACHE_MAX_MODULES = 48
const CACHE_MAX_BYTES = 3 * 1024 * 1024

interface LoadedModule {
  folder: Folder
  kind: ModuleKind
  bytes: number
  hash: string
  /** Modules this one's exports were folded through (path → content hash), transitively. */
  deps: Map<string, string>
}

const loaded = new Map<string, LoadedModule | null>()
let loadedBytes = 0

/** Files (path → sha256) the current file's result depends on; set by collectDependencies. */
let collector: Map<string, string> | undefined

/** Runs `fn` and returns which other files' contents its result depended on. */
export function collectDependencies<T>(fn: () => T): { value: T; deps: Map<string, string> } {
  const saved = collector
  const deps = new Map<string, string>()
  collector = deps
  try {
    return { value: fn(), deps }
  } finally {
    collector = saved
  }
}

function noteUse(file: string, mod: LoadedModule, owner: LoadedModule | undefined): void {
  for (const target of [collector, owner?.deps]) {
    if (!target) continue
    target.set(file, mod.hash)
    for (const [p, h] of mod.deps) target.set(p, h)
  }
}

/** Gives `folder` a resolver for relative imports of `fromFile`, reading only files under `root`. */
export function wireModuleResolver(folder: Folder, fromFile: string, root: string, depth = 0, owner?: LoadedModule): void {
  const rootAbs = resolve(root)
  folder.resolveModule = (specifier, path) => {
    if (!isRelative(specifier) || depth >= MAX_DEPTH) return undefined
    const file = resolveFile(resolve(dirname(fromFile), specifier), rootAbs)
    if (!file) return undefined
    const mod = load(file, rootAbs, depth + 1)
    if (!mod) return undefined
    const v = exportValue(mod, path)
    noteUse(file, mod, owner)
    return v
  }
}

function resolveFile(base: string, rootAbs: string): string | undefined {
  for (const ext of EXTENSIONS) {
    const p = base + ext
    if (p !== rootAbs && !p.startsWith(rootAbs + sep)) return undefined
    try {
      const st = statSync(p)
      if (st.isFile() && st.size <= MAX_MODULE_BYTES) return p
    } catch { /* next */ }
  }
  return undefined
}

function load(file: string, rootAbs: string, depth: number): LoadedModule | undefined {
  if (loaded.has(file)) {
    const hit = loaded.get(file)
    // Refresh its place in the eviction order.
    loaded.delete(file)
    loaded.set(file, hit ?? null)
    return hit ?? undefined
  }
  loaded.set(file, null)
  let source: string
  try { source = readFileSync(file, 'utf8') } catch { return undefined }
  const parsed = parseSource(source, extname(file) === '.mjs' ? 'module' : 'commonjs')
  if (!parsed.ok) return undefined
  const folder = new Folder(collectFacts(parsed.ast as AnyNode), parsed.kind)
  const mod: LoadedModule = { folder, kind: parsed.kind, bytes: source.length, hash: createHash('sha256').update(source).digest('hex'), deps: new Map() }
  wireModuleResolver(folder, file, rootAbs, depth, mod)
  loaded.set(file, mod)
  loadedBytes += mod.bytes
  evict()
  return mod
}

function evict(): void {
  for (const [file, mod] of loaded) {
    if (loaded.size <= CACHE_MAX_MODULES && loadedBytes <= CACHE_MAX_BYTES) return
    loaded.delete(file)
    if (mod) loadedBytes -= mod.bytes
  }
}

/** Value of an export path ([] = the module object, ['default'], ['NAME', 'prop'…]). */
function exportValue(mod: LoadedModule, path: string[]): Val | undefined {
  const { folder } = mod
  const facts = folder.facts
  const [head, ...rest] = path
  const finish = (v: Val | undefined) => (v ? simplify(rest.length ? folder.memberPath(v, rest, head ?? '') : v) : undefined)
  if (head !== undefined && head !== 'default') {
    const local = facts.exportNames.get(head)
    if (local) {
      const b = lookup(facts.program, local)
      if (b) return finish(folder.binding(b))
    }
    const named = facts.exportsAssign.filter((e) => e.name === head)
    if (named.length === 1) return finish(folder.evaluate(named[0].value, named[0].scope))
  }
  if (head === 'default') {
    const local = facts.exportNames.get('default')
    if (local) { const b = lookup(facts.program, local); if (b) return finish(folder.binding(b)) }
    const d = facts.exportsAssign.filter((e) => e.name === 'default')
    if (d.length === 1) return finish(folder.evaluate(d[0].value, d[0].scope))
  }
  // CommonJS `module.exports = value` serves both the whole module and `default`.
  const whole = facts.exportsAssign.filter((e) => e.name === null)
  if (whole.length === 1) {
    const v = folder.evaluate(whole[0].value, whole[0].scope)
    const p = head === 'default' || head === undefined ? rest : path
    return simplify(p.length ? folder.memberPath(v, p, 'module.exports') : v)
  }
  return undefined
}

/** Only values that mean the same in the importing file cross over. */
function simplify(v: Val): Val | undefined {
  switch (v.t) {
    case 'str': case 'num': case 'bool': case 'nullish': case 'dyn': case 'glob': case 'arr': case 'obj':
      return v
    case 'mod':
      return isRelative(v.mod) ? undefined : v
    default:
      return undefined
  }
}
