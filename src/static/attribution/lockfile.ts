// Package attribution for original source paths (from source maps and bundle markers), with dependency
// chains from package-lock.json when the node_modules tree is flat and does not show who pulled a package in.
import { readFileSync } from 'node:fs'
import { join, relative, resolve, sep } from 'node:path'
import type { PackageIndex, PackageInfo } from './packages.ts'

interface LockEntry {
  version?: string
  name?: string
  dependencies?: Record<string, string>
  optionalDependencies?: Record<string, string>
  peerDependencies?: Record<string, string>
  devDependencies?: Record<string, string>
  link?: boolean
}

/**
 * A lockfile (v2/v3 `packages` map) read once per scan root. `chainOf('node_modules/follow-redirects')`
 * gives the shortest path from the root through declared dependencies: `app>axios>follow-redirects`.
 */
export class Lockfile {
  private parents: Map<string, string> | undefined

  private constructor(private readonly packages: Record<string, LockEntry>, readonly rootName: string) {}

  /** Reads package-lock.json, npm-shrinkwrap.json or node_modules/.package-lock.json under `dir`. */
  static read(dir: string): Lockfile | undefined {
    for (const name of ['npm-shrinkwrap.json', 'package-lock.json', join('node_modules', '.package-lock.json')]) {
      let text: string
      try { text = readFileSync(join(dir, name), 'utf8') } catch { continue }
      if (text.length > 64_000_000) continue
      try {
        const v = JSON.parse(text) as { name?: string; packages?: Record<string, LockEntry> }
        if (!v || typeof v !== 'object' || !v.packages || typeof v.packages !== 'object') continue
        const root = v.packages[''] ?? {}
        return new Lockfile(v.packages, (typeof root.name === 'string' && root.name) || (typeof v.name === 'string' && v.name) || '(root)')
      } catch {
        continue
      }
    }
    return undefined
  }

  versionOf(key: string): string | undefined {
    const v = this.packages[key]?.version
    return typeof v === 'string' ? v : undefined
  }

  /** `root>a>b` for a lockfile key such as `node_modules/a/node_modules/b`; undefined when unreachable. */
  chainOf(key: string): string | undefined {
    if (!(key in this.packages)) return undefined
    const parents = this.walk()
    if (!parents.has(key)) return undefined
    const names: string[] = []
    for (let k: string | undefined = key; k && k !== ''; k = parents.get(k)) {
      names.unshift(nameOfKey(k))
      if (names.length > 64) break
    }
    return [this.rootName, ...names].join('>')
  }

  /** Breadth-first from the root over declared dependencies, resolved the way Node resolves them. */
  private walk(): Map<string, string> {
    if (this.parents) return this.parents
    const parents = new Map<string, string>()
    const queue = ['']
    const seen = new Set([''])
    while (queue.length) {
      const key = queue.shift()!
      const e = this.packages[key]
      if (!e) continue
      const deps = { ...e.peerDependencies, ...e.optionalDependencies, ...e.dependencies, ...(key === '' ? e.devDependencies : undefined) }
      for (const dep of Object.keys(deps).sort()) {
        const child = this.resolveFrom(key, dep)
        if (!child || seen.has(child)) continue
        seen.add(child)
        parents.set(child, key)
        queue.push(child)
      }
    }
    this.parents = parents
    return parents
  }

  private resolveFrom(from: string, dep: string): string | undefined {
    let base = from
    for (;;) {
      const candidate = base ? `${base}/node_modules/${dep}` : `node_modules/${dep}`
      if (candidate in this.packages) return candidate
      if (!base) return undefined
      const cut = base.lastIndexOf('/node_modules/')
      base = cut < 0 ? '' : base.slice(0, cut)
    }
  }
}

function nameOfKey(key: string): string {
  const i = key.lastIndexOf('node_modules/')
  return key.slice(i + 'node_modules/'.length)
}

/** `node_modules/<name>` (scoped names included) nearest the end of a path, and the path up to it. */
export function packageDirOf(path: string): { name: string; prefix: string; key: string } | undefined {
  const parts = path.replace(/\\/g, '/').split('/')
  for (let i = parts.length - 2; i >= 0; i--) {
    if (parts[i] !== 'node_modules') continue
    const scoped = parts[i + 1]?.startsWith('@')
    const name = scoped ? `${parts[i + 1]}/${parts[i + 2] ?? ''}` : parts[i + 1]
    if (!name || name.startsWith('.') || (scoped && !parts[i + 2])) continue
    const end = i + (scoped ? 3 : 2)
    // The lockfile key runs from the first node_modules (where the root's tree starts) to the package.
    const first = parts.indexOf('node_modules')
    return { name, prefix: parts.slice(0, end).join('/'), key: parts.slice(first, end).join('/') }
  }
  return undefined
}

/**
 * Names the package of original files for one scan root: the tree (PackageIndex) when the file is
 * there, else the root's hoisted node_modules, else the lockfile, else `name@?` from the path alone.
 */
export class PackageOrigins {
  private lock: Lockfile | undefined | null = null
  private byPath = new Map<string, PackageInfo | undefined>()

  constructor(private readonly rootAbs: string, private readonly index?: PackageIndex) {}

  private rootName(): string | undefined {
    try {
      const pj = JSON.parse(readFileSync(join(this.rootAbs, 'package.json'), 'utf8')) as { name?: unknown }
      return typeof pj.name === 'string' ? pj.name : undefined
    } catch {
      return undefined
    }
  }

  lockfile(): Lockfile | undefined {
    if (this.lock === null) this.lock = Lockfile.read(this.rootAbs)
    return this.lock
  }

  /**
   * A package from the tree with its chain from the lockfile when it has one: a hoisted dependency's
   * tree chain is `app>follow-redirects`, the lockfile knows `app>axios>follow-redirects`.
   */
  withLockfileChain(pkg: PackageInfo): PackageInfo {
    if (!pkg.dir || pkg.id === '(first-party)') return pkg
    const lock = this.lockfile()
    if (!lock) return pkg
    const rel = relative(this.rootAbs, pkg.dir).split(sep).join('/')
    if (!rel.startsWith('node_modules/')) return pkg
    const chain = lock.chainOf(rel)
    return chain && chain !== pkg.chain ? { ...pkg, chain } : pkg
  }

  /**
   * Package of an original file. `absPath` is where the file would be (it may not exist: source maps
   * name files that were never shipped). Undefined when the path has no node_modules segment: the code
   * is the bundle owner's own.
   */
  packageOf(absPath: string): PackageInfo | undefined {
    const dir = packageDirOf(absPath)
    if (!dir) return undefined
    const cacheKey = dir.prefix
    if (this.byPath.has(cacheKey)) return this.byPath.get(cacheKey)
    const pkgDir = resolve(dir.prefix)
    const rel = relative(this.rootAbs, pkgDir)
    const inside = !rel.startsWith('..') && !rel.startsWith(sep) && rel !== ''
    const lock = this.lockfile()
    const relKey = inside ? rel.split(sep).join('/') : dir.key
    const lockKey = relKey.startsWith('node_modules/') ? relKey : dir.key
    let version: string | undefined
    let treeChain: string | undefined
    if (inside && this.index) {
      const info = this.index.infoFor(pkgDir).pkg
      if (info.dir === pkgDir && info.id.startsWith(`${dir.name}@`)) {
        version = info.id.slice(dir.name.length + 1)
        treeChain = info.chain
      }
    }
    if (inside) version ??= readVersion(pkgDir, dir.name)
    version ??= readVersion(join(this.rootAbs, 'node_modules', dir.name), dir.name)
    version ??= lock?.versionOf(lockKey)
    // A chain only from what the lockfile or the tree shows; a path in a map alone shows no parent.
    const chain = lock?.chainOf(lockKey) ?? treeChain ?? (inside && relKey.startsWith('node_modules/') ? nestingChain(relKey, lock?.rootName ?? this.rootName()) : undefined)
    const info: PackageInfo = { id: `${dir.name}@${version ?? '?'}`, ...(chain ? { chain } : {}), ...(inside ? { dir: pkgDir } : {}) }
    this.byPath.set(cacheKey, info)
    return info
  }
}

function readVersion(pkgDir: string, name: string): string | undefined {
  try {
    const pj = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown }
    return pj.name === name && typeof pj.version === 'string' ? pj.version : undefined
  } catch {
    return undefined
  }
}

/** `root>a>b` from `node_modules/a/node_modules/b` alone (what the path shows). */
function nestingChain(key: string, rootName: string | undefined): string | undefined {
  const names = key.split(/(?:^|\/)node_modules\//).filter(Boolean)
  if (!names.length) return undefined
  return [rootName ?? '(root)', ...names].join('>')
}
