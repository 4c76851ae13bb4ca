// The module resolver the whole-program phase uses: Node's rules over the scanned tree.
// (A first, minimal implementation: relative paths with CommonJS probing, node_modules, main, a string or
// "." exports entry, builtins. The full resolver replaces it.)
import { builtinModules } from 'node:module'
import { readFileSync, realpathSync, statSync } from 'node:fs'
import { dirname, join, resolve as resolvePath, sep } from 'node:path'

export type ImportKind = 'require' | 'import' | 'dynamic-import' | 'require-resolve'
export type Resolution =
  | { t: 'file'; path: string; via?: string }
  | { t: 'builtin'; name: string }
  | { t: 'empty' }
  | { t: 'missing'; reason: string; fallback?: string }

export interface ModuleResolver {
  resolve(specifier: string, fromFile: string, kind: ImportKind): Resolution
  packageEntries(pkgDir: string): string[]
}

const BUILTINS = new Set(builtinModules)
const EXT = ['', '.js', '.json', '.cjs', '.mjs', '.node']

export class MinimalResolver implements ModuleResolver {
  private pj = new Map<string, Record<string, unknown> | null>()
  constructor(private readonly root: string) {}

  private isFile(p: string): boolean {
    try { return statSync(p).isFile() } catch { return false }
  }
  private isDir(p: string): boolean {
    try { return statSync(p).isDirectory() } catch { return false }
  }
  private inside(p: string): boolean {
    let real = p
    try { real = realpathSync(p) } catch { return false }
    return real === this.root || real.startsWith(this.root + sep)
  }
  readPackageJson(dir: string): Record<string, unknown> | undefined {
    if (!this.pj.has(dir)) {
      let v: Record<string, unknown> | null = null
      try { const x = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')); if (x && typeof x === 'object') v = x } catch { /* none */ }
      this.pj.set(dir, v)
    }
    return this.pj.get(dir) ?? undefined
  }

  private asFile(base: string): string | undefined {
    for (const e of EXT) if (this.isFile(base + e) && this.inside(base + e)) return realpathSync(base + e)
    if (this.isDir(base)) {
      const pj = this.readPackageJson(base)
      if (pj && typeof pj.main === 'string') {
        const m = this.asFile(resolvePath(base, pj.main))
        if (m) return m
      }
      for (const e of ['/index.js', '/index.json', '/index.cjs', '/index.mjs']) if (this.isFile(base + e) && this.inside(base + e)) return realpathSync(base + e)
    }
    return undefined
  }

  resolve(spec: string, fromFile: string, _kind: ImportKind): Resolution {
    if (spec.startsWith('node:')) return { t: 'builtin', name: spec.slice(5) }
    if (BUILTINS.has(spec)) return { t: 'builtin', name: spec }
    if (spec.startsWith('./') || spec.startsWith('../') || spec === '.' || spec === '..' || spec.startsWith('/')) {
      const f = this.asFile(resolvePath(dirname(fromFile), spec))
      return f ? { t: 'file', path: f } : { t: 'missing', reason: `${spec} not found` }
    }
    const parts = spec.split('/')
    const name = spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]
    const sub = parts.slice(spec.startsWith('@') ? 2 : 1).join('/')
    for (let dir = dirname(fromFile); ; dir = dirname(dir)) {
      const pkgDir = join(dir, 'node_modules', name)
      if (this.isDir(pkgDir)) {
        if (sub) {
          const f = this.asFile(join(pkgDir, sub))
          if (f) return { t: 'file', path: f }
        } else {
          const pj = this.readPackageJson(pkgDir)
          const ex = pj?.exports
          const dot = typeof ex === 'string' ? ex : ex && typeof ex === 'object' ? pickCondition((ex as Record<string, unknown>)['.'] ?? ex) : undefined
          if (typeof dot === 'string') { const f = this.asFile(resolvePath(pkgDir, dot)); if (f) return { t: 'file', path: f } }
          const f = this.asFile(pkgDir)
          if (f) return { t: 'file', path: f }
        }
      }
      if (dir === this.root || !dir.startsWith(this.root) || dirname(dir) === dir) break
    }
    return { t: 'missing', reason: `package ${name} is not installed in the scanned tree` }
  }

  packageEntries(pkgDir: string): string[] {
    const out: string[] = []
    const pj = this.readPackageJson(pkgDir)
    const add = (p: unknown) => { if (typeof p === 'string') { const f = this.asFile(resolvePath(pkgDir, p)); if (f) out.push(f) } }
    if (pj) {
      add(pj.main)
      const ex = pj.exports
      const walk = (x: unknown, d: number) => {
        if (d > 6) return
        if (typeof x === 'string') add(x)
        else if (Array.isArray(x)) x.forEach((y) => walk(y, d + 1))
        else if (x && typeof x === 'object') Object.values(x).forEach((y) => walk(y, d + 1))
      }
      walk(ex, 0)
      if (typeof pj.bin === 'string') add(pj.bin)
      else if (pj.bin && typeof pj.bin === 'object') Object.values(pj.bin).forEach(add)
    }
    if (!out.length) { const f = this.asFile(pkgDir); if (f) out.push(f) }
    return [...new Set(out)]
  }
}

function pickCondition(x: unknown): unknown {
  if (typeof x === 'string' || !x || typeof x !== 'object') return x
  if (Array.isArray(x)) return pickCondition(x[0])
  const o = x as Record<string, unknown>
  for (const k of ['node', 'require', 'import', 'default']) if (k in o) return pickCondition(o[k])
  return undefined
}
