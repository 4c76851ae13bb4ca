// Content-hash cache of per-file analysis results, plus a stat index so unchanged files skip hashing.
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { homedir, platform } from 'node:os'
import { join } from 'node:path'
import type { FileResult, LocatedFinding } from './file-result.ts'
import type { FileSummary } from '../graph/summary.ts'

/** Default cache location: XDG cache dir on Linux, Library/Caches on macOS, LOCALAPPDATA on Windows. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.NOPHONEHOME_CACHE_DIR) return env.NOPHONEHOME_CACHE_DIR
  if (platform() === 'darwin') return join(homedir(), 'Library', 'Caches', 'nophonehome')
  if (platform() === 'win32') return join(env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), 'nophonehome', 'Cache')
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'nophonehome')
}

/** A cached result; `sum` says a summary for it is in the summaries file. */
type Cached = Omit<FileResult, 'id' | 'summary'> & { sum?: 1 }

/**
 * What the whole-program phase concluded for one scan root, keyed by a digest of everything it read: the
 * content hash of every collected file, the entry points asked for, and (in `deps`) the other files it read
 * (JSON configuration, checked again before reuse).
 */
export interface ProgramEntry {
  deps: Array<[string, string]>
  /** Display path → the file's findings after linking and reachability. */
  files: Record<string, LocatedFinding[]>
  notices: string[]
}

/** Whole-program outcomes kept (the most recent ones): enough for a few branches of one project in CI. */
const MAX_PROGRAMS = 6

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
  // Summaries and program outcomes live in files of their own, read only when a scan needs them: a warm scan
  // of an unchanged tree reads neither the summaries nor runs the linker.
  private summaries: Map<string, FileSummary> | undefined
  private summariesDirty = false
  private programs: Map<string, ProgramEntry> | undefined
  private programsDirty = false

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
    const { id: _id, summary, ...rest } = r
    this.results.set(key, summary ? { ...rest, sum: 1 } : rest)
    this.dirty = true
    if (summary) {
      this.loadSummaries().set(key, summary)
      this.summariesDirty = true
    }
  }

  /** The summary stored with a cached result (read from disk on first use). */
  summary(key: string): FileSummary | undefined {
    return this.loadSummaries().get(key)
  }

  private loadSummaries(): Map<string, FileSummary> {
    this.summaries ??= readJsonMap<FileSummary>(this.sideFile('summaries'), this.version)
    return this.summaries
  }

  /** A whole-program outcome for this digest, if one was stored (its `deps` are for the caller to check). */
  program(digest: string): ProgramEntry | undefined {
    this.programs ??= readJsonMap<ProgramEntry>(this.sideFile('programs'), this.version)
    return this.programs.get(digest)
  }

  setProgram(digest: string, entry: ProgramEntry): void {
    this.programs ??= readJsonMap<ProgramEntry>(this.sideFile('programs'), this.version)
    this.programs.delete(digest)
    this.programs.set(digest, entry)
    while (this.programs.size > MAX_PROGRAMS) this.programs.delete(this.programs.keys().next().value!)
    this.programsDirty = true
  }

  private sideFile(what: string): string {
    return join(this.dir, `${what}-${this.version}.json`)
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
    if (this.summariesDirty && this.summaries) { writeJsonMap(this.dir, this.sideFile('summaries'), this.version, this.summaries); this.summariesDirty = false }
    if (this.programsDirty && this.programs) { writeJsonMap(this.dir, this.sideFile('programs'), this.version, this.programs); this.programsDirty = false }
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

function readJsonMap<T>(file: string, version: string): Map<string, T> {
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as { version: string; entries: Record<string, T> }
    if (data.version === version) return new Map(Object.entries(data.entries))
  } catch {
    // Missing or unreadable: start empty.
  }
  return new Map()
}

function writeJsonMap<T>(dir: string, file: string, version: string, map: Map<string, T>): void {
  mkdirSync(dir, { recursive: true })
  const tmp = `${file}.${process.pid}.tmp`
  writeFileSync(tmp, JSON.stringify({ version, entries: Object.fromEntries(map) }))
  renameSync(tmp, file)
}
