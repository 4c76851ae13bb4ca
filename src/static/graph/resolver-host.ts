// What the module resolver may ask of a scanned tree, over the disk or over the list of collected files.
import { closeSync, fstatSync, lstatSync, openSync, readdirSync, readSync, realpathSync, statSync } from 'node:fs'
import { basename, dirname, join, resolve, sep } from 'node:path'

/** What the resolver may ask of the scanned tree. Paths are absolute; nothing outside `root` is answered. */
export interface ResolverHost {
  /** Files may only resolve inside this directory (links out of it are not followed). */
  readonly root: string
  /** A regular file (through links that stay inside the root). */
  isFile(abs: string): boolean
  /** A directory (through links that stay inside the root). */
  isDirectory(abs: string): boolean
  /** Parsed package.json of a directory, or undefined (missing, unreadable, invalid JSON, not an object, too big). */
  readPackageJson(dir: string): Record<string, unknown> | undefined
  /** The path with every symlink resolved, or undefined when it does not exist or leaves the root. Identity when absent. */
  realpath?(abs: string): string | undefined
  /** Whether the path exists but is a link whose target leaves the root (or loops): for explanations only. */
  leavesRoot?(abs: string): boolean
  /** Every file below a directory, recursively, not entering node_modules: expands `exports` patterns into entries. */
  filesUnder?(dir: string): Iterable<string>
}

/** Larger package.json files are not read (the largest real ones are a few hundred KiB). */
export const MAX_PACKAGE_JSON_BYTES = 4 * 1024 * 1024
/** filesUnder stops after this many files (a pattern over a huge package is cut, not walked forever). */
export const MAX_FILES_UNDER = 50_000

/** `resolve()` only when needed: callers pass normalised paths, and a lexical root check needs one. */
function normalised(p: string): string {
  return p.includes(`${sep}.`) || p.includes(`${sep}${sep}`) || (p.length > 1 && p.endsWith(sep)) || !p.startsWith(sep) ? resolve(p) : p
}

export function isInside(path: string, root: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep)
}

/** Reads and parses `dir/package.json`; undefined when missing, too big, not JSON or not an object. */
export function readPackageJsonFile(dir: string, maxBytes = MAX_PACKAGE_JSON_BYTES): Record<string, unknown> | undefined {
  let fd: number | undefined
  try {
    fd = openSync(join(dir, 'package.json'), 'r')
    const st = fstatSync(fd)
    if (!st.isFile() || st.size > maxBytes) return undefined
    const buf = Buffer.alloc(st.size)
    let off = 0
    while (off < st.size) {
      const n = readSync(fd, buf, off, st.size - off, off)
      if (n === 0) break
      off += n
    }
    return parsePackageJson(buf.subarray(0, off).toString('utf8'))
  } catch {
    return undefined
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}

/** JSON.parse that never throws and only accepts an object (a BOM, as npm tolerates, is skipped). */
export function parsePackageJson(untrustedText: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(untrustedText.charCodeAt(0) === 0xfeff ? untrustedText.slice(1) : untrustedText)
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined
  } catch {
    // Invalid JSON, or nesting deep enough to exhaust the parser's stack.
    return undefined
  }
}

/**
 * A host over the real file system under `root`. Every answer goes through the real path, so a link
 * that leaves the root (or loops) is treated as absent; results are cached for the host's lifetime.
 */
export function fsResolverHost(root: string, options: { maxPackageJsonBytes?: number } = {}): ResolverHost {
  let rootReal = resolve(root)
  try { rootReal = realpathSync.native(rootReal) } catch { /* a missing root answers nothing anyway */ }
  const maxBytes = options.maxPackageJsonBytes ?? MAX_PACKAGE_JSON_BYTES
  // Real paths are built from the parent's real path and one lstat per name, so probing a missing
  // file costs one lstat and no exception; only links pay a realpath.
  const reals = new Map<string, string | null>([[rootReal, rootReal]])
  const kinds = new Map<string, 'file' | 'dir' | 'other'>()
  try { kinds.set(rootReal, statSync(rootReal).isDirectory() ? 'dir' : 'other') } catch { reals.set(rootReal, null) }

  const realpath = (path: string): string | undefined => {
    const abs = normalised(path)
    let r = reals.get(abs)
    if (r === undefined) {
      r = null
      const parent = isInside(abs, rootReal) && abs !== rootReal ? realpath(dirname(abs)) : undefined
      if (parent && kinds.get(parent) === 'dir') {
        const here = join(parent, basename(abs))
        try {
          const st = lstatSync(here, { throwIfNoEntry: false })
          if (st && !st.isSymbolicLink()) {
            r = here
            kinds.set(here, st.isFile() ? 'file' : st.isDirectory() ? 'dir' : 'other')
          } else if (st) {
            const real = realpathSync.native(here)
            if (isInside(real, rootReal)) {
              const target = statSync(real)
              r = real
              kinds.set(real, target.isFile() ? 'file' : target.isDirectory() ? 'dir' : 'other')
            }
          }
        } catch { /* a loop, a dangling link or an unreadable folder */ }
      }
      reals.set(abs, r)
    }
    return r ?? undefined
  }
  const kindOf = (abs: string) => {
    const real = realpath(abs)
    return real ? kinds.get(real) : undefined
  }
  return {
    root: rootReal,
    isFile: (abs) => kindOf(abs) === 'file',
    isDirectory: (abs) => kindOf(abs) === 'dir',
    readPackageJson: (dir) => {
      const real = realpath(join(dir, 'package.json'))
      return real && kinds.get(real) === 'file' ? readPackageJsonFile(dirname(real), maxBytes) : undefined
    },
    realpath,
    leavesRoot: (abs) => {
      if (!isInside(abs, rootReal) || realpath(abs)) return false
      try { lstatSync(abs); return true } catch { return false }
    },
    filesUnder: (dir) => {
      const out: string[] = []
      const start = realpath(dir)
      if (!start) return out
      const stack = [start]
      while (stack.length && out.length < MAX_FILES_UNDER) {
        const d = stack.pop()!
        let names
        try { names = readdirSync(d, { withFileTypes: true }) } catch { continue }
        for (const e of names) {
          const p = join(d, e.name)
          // Links are not entered: the tree is walked where its files really are.
          if (e.isDirectory()) { if (e.name !== 'node_modules') stack.push(p) } else if (e.isFile()) out.push(p)
        }
      }
      return out.sort()
    },
  }
}

/**
 * A host over files already collected by the scan (real paths), so resolution touches no disk.
 * `links` maps each symlink inside the root (a pnpm `node_modules/x` directory link, say) to its real
 * target; a link whose target is outside the root is simply not listed.
 */
export function indexResolverHost(
  root: string,
  files: ReadonlySet<string>,
  readPackageJson: (dir: string) => Record<string, unknown> | undefined,
  options: { links?: ReadonlyMap<string, string> } = {},
): ResolverHost {
  const rootAbs = resolve(root)
  const links = options.links ?? new Map<string, string>()
  let dirs: Set<string> | undefined
  let sorted: string[] | undefined
  const reals = new Map<string, string | null>()

  const directories = () => {
    if (!dirs) {
      dirs = new Set()
      const add = (p: string) => {
        for (let d = dirname(p); isInside(d, rootAbs) && !dirs!.has(d); d = dirname(d)) {
          dirs!.add(d)
          if (d === rootAbs) break
        }
      }
      for (const f of files) add(f)
      // Folders that hold only links (`node_modules/@scope/`) are folders too.
      for (const [link, target] of links) {
        add(link)
        if (!files.has(target)) add(join(target, 'x'))
      }
    }
    return dirs
  }
  // Replaces each link on the way down the path by its target, a bounded number of times (loops end).
  const realpath = (given: string): string | undefined => {
    const abs = normalised(given)
    let r = reals.get(abs)
    if (r === undefined) {
      r = null
      let path = abs
      for (let hops = 0; hops <= 40 && isInside(path, rootAbs); hops++) {
        const link = firstLink(path)
        if (link === undefined) { r = files.has(path) || directories().has(path) ? path : null; break }
        const target = links.get(link)!
        path = target + path.slice(link.length)
      }
      reals.set(abs, r)
    }
    return r ?? undefined
  }
  const firstLink = (path: string): string | undefined => {
    if (!links.size) return undefined
    let i = rootAbs.length
    while (i < path.length) {
      const next = path.indexOf(sep, i + 1)
      const prefix = next < 0 ? path : path.slice(0, next)
      if (links.has(prefix)) return prefix
      if (next < 0) break
      i = next
    }
    return undefined
  }
  return {
    root: rootAbs,
    isFile: (abs) => { const r = realpath(abs); return r !== undefined && files.has(r) },
    isDirectory: (abs) => { const r = realpath(abs); return r !== undefined && directories().has(r) },
    readPackageJson: (dir) => {
      const r = realpath(join(dir, 'package.json'))
      return r && files.has(r) ? readPackageJson(dirname(r)) : undefined
    },
    realpath,
    leavesRoot: () => false,
    filesUnder: (dir) => {
      sorted ??= [...files].sort()
      const start = realpath(dir)
      if (!start) return []
      const prefix = start + sep
      let lo = 0
      let hi = sorted.length
      while (lo < hi) { const mid = (lo + hi) >> 1; if (sorted[mid] < prefix) lo = mid + 1; else hi = mid }
      const out: string[] = []
      for (let i = lo; i < sorted.length && sorted[i].startsWith(prefix) && out.length < MAX_FILES_UNDER; i++) {
        if (!sorted[i].slice(prefix.length).split(sep).includes('node_modules')) out.push(sorted[i])
      }
      return out
    },
  }
}
