// Content-hash cache of per-file analysis results, plus a stat index so unchanged files skip hashing.
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { homedir, platform } from 'node:os'
import { join } from 'node:path'
import type { FileResult } from './file-result.ts'

/** Default cache location: XDG cache dir on Linux, Library/Caches on macOS, LOCALAPPDATA on Windows. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.NOPHONEHOME_CACHE_DIR) return env.NOPHONEHOME_CACHE_DIR
  if (platform() === 'darwin') return join(homedir(), 'Library', 'Caches', 'nophonehome')
  if (platform() === 'win32') return join(env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), 'nophonehome', 'Cache')
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'nophonehome')
}

type Cached = Omit<FileResult, 'id'>

type StatLike = { size: number; mtimeMs: number; ctimeMs: number; ino: number; dev: number }

/** A file as it is now, for the stat index: the same path, size, times and inode mean the same content. */
function statKey(path: string, st: StatLike): string {
  return `${path}\0${st.size}\0${st.mtimeMs}\0${st.ctimeMs}\0${st.ino}\0${st.dev}`
}

/** A source map's answers to position lookups: `line:column` → [source as the map names it, line, column], or 0 (none). */
export type MapPositions = Record<string, [string, number, number] | 0>

interface CacheFile {
  version: string
  results: Record<string, Cached>
  stats: Record<string, string>
  maps?: Record<string, MapPositions>
}

export class AnalysisCache {
  private results = new Map<string, Cached>()
  private stats = new Map<string, string>()
  private maps = new Map<string, MapPositions>()
  private dirty = false
  private readonly file: string

  /** `version` covers the tool version and detector set: a new one starts an empty cache. */
  constructor(readonly dir: string, readonly version: string) {
    this.file = join(dir, `analysis-${version}.json`)
    try {
      const data = JSON.parse(readFileSync(this.file, 'utf8')) as CacheFile
      if (data.version === version) {
        for (const [k, v] of Object.entries(data.results)) this.results.set(k, v)
        for (const [k, v] of Object.entries(data.stats ?? {})) this.stats.set(k, v)
        for (const [k, v] of Object.entries(data.maps ?? {})) this.maps.set(k, v)
      }
    } catch {
      // No cache yet, or an unreadable one: start empty.
    }
  }

  static hash(content: Buffer): string {
    return createHash('sha256').update(content).digest('hex')
  }

  /** Content hash remembered for a path with exactly this size/mtime/ctime/inode. */
  hashFromStat(path: string, st: StatLike): string | undefined {
    return this.stats.get(statKey(path, st))
  }

  rememberStat(path: string, st: StatLike, hash: string): void {
    const k = statKey(path, st)
    if (this.stats.get(k) !== hash) { this.stats.set(k, hash); this.dirty = true }
  }

  /** The file's content hash: from the stat index when the file is unchanged, else read and hashed (and remembered). */
  hashOf(path: string, st: StatLike): string | undefined {
    const known = this.hashFromStat(path, st)
    if (known) return known
    let hash: string
    try { hash = AnalysisCache.hash(readFileSync(path)) } catch { return undefined }
    this.rememberStat(path, st, hash)
    return hash
  }

  get(key: string): Cached | undefined {
    return this.results.get(key)
  }

  set(key: string, r: FileResult): void {
    // Files that failed for reasons outside their content (timeouts, crashes) are not cached.
    if (r.notAnalysed) return
    const { id: _id, ...rest } = r
    this.results.set(key, rest)
    this.dirty = true
  }

  /**
   * Lookups already answered by the source map at `path` as it is now (same size/mtime/ctime/inode, the
   * stat index's test for an unchanged file), created empty. A warm scan of built code then maps its
   * findings without reading or decoding the maps (most of a warm scan's time otherwise); a map written
   * since has another stat, so it is read fresh.
   */
  mapPositions(path: string, st: StatLike): MapPositions {
    const key = statKey(path, st)
    let table = this.maps.get(key)
    if (!table) { table = {}; this.maps.set(key, table) }
    return table
  }

  /** Call after adding to a table from mapPositions, so save() writes it. */
  touchMaps(): void {
    this.dirty = true
  }

  save(): void {
    if (!this.dirty) return
    mkdirSync(this.dir, { recursive: true })
    const maps = Object.fromEntries([...this.maps].filter(([, t]) => Object.keys(t).length > 0))
    const data: CacheFile = { version: this.version, results: Object.fromEntries(this.results), stats: Object.fromEntries(this.stats), maps }
    const tmp = `${this.file}.${process.pid}.tmp`
    writeFileSync(tmp, JSON.stringify(data))
    renameSync(tmp, this.file)
    this.dirty = false
  }
}
