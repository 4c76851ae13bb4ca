// Attribution: which package owns a file (nearest package.json with a name), its chain, and module type.
import { readFileSync } from 'node:fs'
import { basename, dirname, join, relative, sep } from 'node:path'

export interface PackageInfo {
  /** `name@version` or `(first-party)`. */
  id: string
  /** `app>b>c` from node_modules nesting, when the file is inside node_modules. */
  chain?: string
  /** Directory of the package.json. */
  dir?: string
}

interface DirInfo {
  /** Nearest package.json `type` decides .js module kind. */
  type: 'module' | 'commonjs'
  pkg: PackageInfo
}

/** Caches package.json lookups per directory for one scan root. */
export class PackageIndex {
  private dirs = new Map<string, DirInfo>()
  private rootName: string | undefined

  constructor(private readonly root: string) {
    const rootPkg = this.readPackageJson(root)
    this.rootName = typeof rootPkg?.name === 'string' ? rootPkg.name : undefined
  }

  private readPackageJson(dir: string): Record<string, unknown> | undefined {
    try {
      const text = readFileSync(join(dir, 'package.json'), 'utf8')
      if (text.length > 5_000_000) return undefined
      const v = JSON.parse(text)
      return v && typeof v === 'object' ? v : undefined
    } catch {
      return undefined
    }
  }

  infoFor(dir: string): DirInfo {
    const hit = this.dirs.get(dir)
    if (hit) return hit
    let info: DirInfo
    const rel = relative(this.root, dir)
    const outside = rel.startsWith('..')
    const pj = outside ? undefined : this.readPackageJson(dir)
    const parent = dir === this.root || outside || dirname(dir) === dir ? undefined : this.infoFor(dirname(dir))
    if (pj) {
      const type = pj.type === 'module' ? 'module' : pj.type === 'commonjs' ? 'commonjs' : undefined
      const named = typeof pj.name === 'string' && pj.name.length > 0
      const pkg: PackageInfo = named
        ? { id: this.isFirstParty(dir, pj.name as string) ? '(first-party)' : `${pj.name}@${typeof pj.version === 'string' ? pj.version : '0.0.0'}`, chain: this.chainFor(dir), dir }
        : parent?.pkg ?? { id: '(first-party)' }
      // Node: the nearest package.json decides the type, named or not; none → commonjs.
      info = { type: type ?? (pj ? 'commonjs' : parent?.type ?? 'commonjs'), pkg }
    } else {
      info = parent ?? { type: 'commonjs', pkg: { id: '(first-party)' } }
    }
    this.dirs.set(dir, info)
    return info
  }

  /** First-party: the scanned root's own package and anything not under node_modules. */
  private isFirstParty(dir: string, _name: string): boolean {
    return !this.pathParts(dir).includes('node_modules')
  }

  /** Path parts from the root; scanning `node_modules` itself keeps that segment. */
  private pathParts(dir: string): string[] {
    const parts = relative(this.root, dir).split(sep)
    return basename(this.root) === 'node_modules' ? ['node_modules', ...parts] : parts
  }

  private chainFor(dir: string): string | undefined {
    const parts = this.pathParts(dir)
    const names: string[] = []
    for (let i = 0; i < parts.length; i++) {
      if (parts[i] !== 'node_modules') continue
      const n = parts[i + 1]?.startsWith('@') ? `${parts[i + 1]}/${parts[i + 2]}` : parts[i + 1]
      if (n && !n.startsWith('.')) names.push(n)
    }
    if (!names.length) return undefined
    return [this.rootName ?? '(root)', ...names].join('>')
  }
}
