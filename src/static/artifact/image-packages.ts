// Which distribution package installed a file of an image: dpkg (status, info/*.list, distroless status.d) and apk.
// Used to group what the JavaScript lens cannot read by package, so a Debian base image is dozens of lines, not thousands.
import { lstatSync, readFileSync, readdirSync } from 'node:fs'
import { join, posix } from 'node:path'
import { resolveInRoot } from './image-layers.ts'

export interface DistroPackage {
  /** `deb:coreutils@9.1-1`, `apk:busybox@1.36.1-r5`: how findings name it (Finding.package). */
  id: string
  manager: 'deb' | 'apk'
  name: string
  version: string
}

/** Most bytes of one package database file we read: a full Debian status file is a few MB. */
const MAX_DB_BYTES = 64 * 1024 * 1024

/** Maps files (physical paths relative to the root) to the package that installed them. */
export class DistroPackages {
  private owners = new Map<string, DistroPackage>()
  /** What was read, for the report: `dpkg: 92 packages`. */
  readonly sources: string[] = []

  constructor(private readonly root: string) {
    this.readDpkg()
    this.readApk()
  }

  ownerOf(rel: string): DistroPackage | undefined {
    return this.owners.get(rel)
  }

  get size(): number {
    return this.owners.size
  }

  private read(rel: string): string | undefined {
    const r = resolveInRoot(this.root, rel)
    if (!r.ok) return undefined
    try {
      const abs = join(this.root, r.rel)
      const st = lstatSync(abs)
      if (!st.isFile() || st.size > MAX_DB_BYTES) return undefined
      return readFileSync(abs, 'utf8')
    } catch { return undefined }
  }

  private list(rel: string): string[] {
    const r = resolveInRoot(this.root, rel)
    if (!r.ok) return []
    try { return readdirSync(join(this.root, r.rel)).sort() } catch { return [] }
  }

  /** Package lists name paths as installed (`/bin/ls`); with merged /usr the file is really `usr/bin/ls`. */
  private own(listedPath: string, pkg: DistroPackage, dirs: Map<string, string | undefined>): void {
    const p = listedPath.replace(/^\/+/, '').replace(/\/+$/, '')
    if (!p) return
    const dir = posix.dirname(p)
    let real = dirs.get(dir)
    if (!dirs.has(dir)) {
      const r = resolveInRoot(this.root, dir)
      real = r.ok ? r.rel : undefined
      dirs.set(dir, real)
    }
    if (real === undefined) return
    const rel = real ? `${real}/${posix.basename(p)}` : posix.basename(p)
    if (!this.owners.has(rel)) this.owners.set(rel, pkg)
  }

  private readDpkg(): void {
    const versions = new Map<string, DistroPackage>()
    const stanzas = (text: string) => text.split(/\n\s*\n/).map((s) => {
      const f: Record<string, string> = {}
      for (const line of s.split('\n')) {
        const m = /^([A-Za-z-]+):\s*(.*)$/.exec(line)
        if (m) f[m[1]] = m[2]
      }
      return f
    })
    const add = (f: Record<string, string>) => {
      if (!f.Package || !f.Version) return undefined
      const pkg: DistroPackage = { id: `deb:${f.Package}@${f.Version}`, manager: 'deb', name: f.Package, version: f.Version }
      versions.set(f.Package, pkg)
      return pkg
    }
    const status = this.read('var/lib/dpkg/status')
    if (status) for (const f of stanzas(status)) if (!f.Status || /\binstalled$/.test(f.Status)) add(f)
    const dirs = new Map<string, string | undefined>()
    let lists = 0
    for (const name of this.list('var/lib/dpkg/info')) {
      if (!name.endsWith('.list')) continue
      const pkgName = name.slice(0, -5).split(':')[0]
      const pkg = versions.get(pkgName) ?? { id: `deb:${pkgName}`, manager: 'deb' as const, name: pkgName, version: '' }
      const text = this.read(`var/lib/dpkg/info/${name}`)
      if (!text) continue
      lists++
      for (const line of text.split('\n')) if (line) this.own(line, pkg, dirs)
    }
    // Distroless images: one stanza per file in status.d/, file lists as <pkg>.md5sums ("md5  path").
    for (const name of this.list('var/lib/dpkg/status.d')) {
      const text = this.read(`var/lib/dpkg/status.d/${name}`)
      if (!text) continue
      if (name.endsWith('.md5sums')) {
        const pkgName = name.slice(0, -8)
        const pkg = versions.get(pkgName) ?? { id: `deb:${pkgName}`, manager: 'deb' as const, name: pkgName, version: '' }
        lists++
        for (const line of text.split('\n')) {
          const m = /^[0-9a-f]{32}\s+(.+)$/.exec(line)
          if (m) this.own(m[1], pkg, dirs)
        }
      } else {
        for (const f of stanzas(text)) add(f)
      }
    }
    if (versions.size) this.sources.push(`dpkg: ${versions.size} packages${lists ? '' : ' (no file lists)'}`)
  }

  private readApk(): void {
    const text = this.read('lib/apk/db/installed')
    if (!text) return
    const dirs = new Map<string, string | undefined>()
    let count = 0
    for (const stanza of text.split(/\n\s*\n/)) {
      let pkg: DistroPackage | undefined
      let dir = ''
      let name = ''
      let version = ''
      for (const line of stanza.split('\n')) {
        const key = line.slice(0, 2)
        const value = line.slice(2)
        if (key === 'P:') name = value
        else if (key === 'V:') version = value
        else if (key === 'F:') dir = value
        else if (key === 'R:') {
          pkg ??= { id: `apk:${name}@${version}`, manager: 'apk', name, version }
          this.own(dir ? `${dir}/${value}` : value, pkg, dirs)
        }
      }
      if (name) count++
    }
    if (count) this.sources.push(`apk: ${count} packages`)
  }
}
