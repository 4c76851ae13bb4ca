// Finds the files to analyse under each target: directories (node_modules included), files, tarballs.
// Symlinks are never followed out of the root: links whose real target is inside are skipped (the target
// is scanned in place), links out of the root, link loops, FIFOs and devices are reported.
import { lstatSync, readdirSync, openSync, readSync, closeSync, realpathSync, statSync, type Dirent, type Stats } from 'node:fs'
import { basename, dirname, join, relative, resolve, sep, extname } from 'node:path'
import type { NotAnalysed } from '../../report/finding.ts'

export type FileKind = 'js' | 'native' | 'wasm' | 'html' | 'css' | 'manifest' | 'sourcemap'

export interface CollectedFile {
  abs: string
  /** Path shown in reports (relative to the target root). */
  display: string
  kind: FileKind
  size: number
  stat: Pick<Stats, 'size' | 'mtimeMs' | 'ctimeMs' | 'ino' | 'dev'>
}

export interface CollectLimits {
  maxFileSize: number
  maxFiles: number
}

export interface CollectResult {
  files: CollectedFile[]
  notAnalysed: NotAnalysed[]
}

const JS_EXT = new Set(['.js', '.cjs', '.mjs'])

export function kindOf(name: string): FileKind | 'maybe-script' | undefined {
  const ext = extname(name).toLowerCase()
  if (JS_EXT.has(ext)) return 'js'
  if (ext === '.node') return 'native'
  if (ext === '.wasm') return 'wasm'
  if (ext === '.html' || ext === '.htm') return 'html'
  if (ext === '.css') return 'css'
  if (ext === '.map') return 'sourcemap'
  if (name === 'package.json') return 'manifest'
  if (!ext) return 'maybe-script'
  return undefined
}

/** Extension-less files count as JavaScript when their shebang runs node. */
function hasNodeShebang(abs: string): boolean {
  let fd: number | undefined
  try {
    fd = openSync(abs, 'r')
    const buf = Buffer.alloc(128)
    const n = readSync(fd, buf, 0, 128, 0)
    const first = buf.subarray(0, n).toString('latin1').split('\n')[0]
    return /^#!.*\bnode\b/.test(first)
  } catch {
    return false
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}

/**
 * Collects files under `root` (a directory or a single file). `prefix` is prepended to display paths
 * when several targets are scanned together.
 */
export function collect(root: string, prefix: string, limits: CollectLimits, out: CollectResult): void {
  const rootAbs = resolve(root)
  let rootStat: Stats
  try {
    rootStat = statSync(rootAbs)
  } catch (err) {
    out.notAnalysed.push({ file: prefix || root, reason: `cannot be read (${(err as NodeJS.ErrnoException).code})` })
    return
  }
  const display = (abs: string) => {
    const rel = relative(rootStat.isDirectory() ? rootAbs : dirname(rootAbs), abs).split(sep).join('/')
    return prefix ? `${prefix}/${rel}` : rel
  }
  const consider = (abs: string, name: string, st: Stats) => {
    let kind = kindOf(name)
    if (kind === 'maybe-script') kind = st.size > 0 && hasNodeShebang(abs) ? 'js' : undefined
    if (!kind) return
    if (out.files.length >= limits.maxFiles) {
      if (out.files.length === limits.maxFiles) out.notAnalysed.push({ file: display(abs), reason: `more than ${limits.maxFiles} files; the rest was not analysed (--max-files)` })
      return
    }
    if (st.size > limits.maxFileSize && kind !== 'native' && kind !== 'wasm') {
      out.notAnalysed.push({ file: display(abs), reason: `larger than the file size limit (${st.size} bytes; --max-file-size)` })
      return
    }
    out.files.push({ abs, display: display(abs), kind, size: st.size, stat: { size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, ino: st.ino, dev: st.dev } })
  }

  if (!rootStat.isDirectory() && !rootStat.isFile()) {
    // A FIFO would block the read forever and a device never ends (/dev/zero): never read them.
    out.notAnalysed.push({ file: prefix || root, reason: `not a regular file (${specialKind(rootStat)}); not read` })
    return
  }
  if (!rootStat.isDirectory()) {
    consider(rootAbs, basename(rootAbs), rootStat)
    if (!out.files.length && !out.notAnalysed.length) {
      // A single file given explicitly is always analysed as JavaScript unless it is a known other kind.
      out.files.push({ abs: rootAbs, display: display(rootAbs), kind: 'js', size: rootStat.size, stat: rootStat })
    }
    return
  }

  let rootReal = rootAbs
  try { rootReal = realpathSync(rootAbs) } catch { /* stat worked; keep the resolved path */ }
  const stack = [rootAbs]
  while (stack.length) {
    const dir = stack.pop()!
    let entries
    try {
      entries = readdirSync(dir, { withFileTypes: true })
    } catch (err) {
      out.notAnalysed.push({ file: display(dir) || '.', reason: `directory cannot be read (${(err as NodeJS.ErrnoException).code})` })
      continue
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    for (const e of entries) {
      const abs = join(dir, e.name)
      if (e.isDirectory()) {
        if (e.name === '.git') continue
        stack.push(abs)
      } else if (e.isSymbolicLink()) {
        // The real target, through every hop: a link to a link that leaves the root leaves the root.
        let target: string
        try {
          target = realpathSync(abs)
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code
          if (code === 'ELOOP') out.notAnalysed.push({ file: display(abs), reason: 'symlink loop; not followed' })
          // A dangling link (ENOENT) points at nothing that could run.
          continue
        }
        if (target !== rootReal && !target.startsWith(rootReal + sep)) {
          if (kindOf(e.name) || lstatIsDir(abs)) out.notAnalysed.push({ file: display(abs), reason: `symlink to ${target} points outside the scanned root; not followed` })
          continue
        }
        // Links inside the root: the target is scanned where it really is, unless it would not be
        // collected there (`run.js -> payload.bin`): then it is analysed under the link's name.
        const kind = kindOf(e.name)
        if (!kind) continue
        let st: Stats
        try { st = statSync(target) } catch { continue }
        if (st.isDirectory()) continue
        if (!st.isFile()) { out.notAnalysed.push({ file: display(abs), reason: `symlink to a ${specialKind(st)}; not read` }); continue }
        const targetKind = kindOf(basename(target))
        if (targetKind === kind || (targetKind === 'maybe-script' && st.size > 0 && hasNodeShebang(target))) continue
        consider(abs, e.name, st)
      } else if (!e.isFile()) {
        // FIFOs, sockets and devices are never read (a read could block or never end).
        if (kindOf(e.name)) out.notAnalysed.push({ file: display(abs), reason: `not a regular file (${specialKind(e)}); not read` })
      } else if (e.isFile()) {
        let st: Stats
        try { st = lstatSync(abs) } catch (err) {
          out.notAnalysed.push({ file: display(abs), reason: `cannot be read (${(err as NodeJS.ErrnoException).code})` })
          continue
        }
        consider(abs, e.name, st)
      }
    }
  }
}

function lstatIsDir(p: string): boolean {
  try { return statSync(p).isDirectory() } catch { return false }
}

function specialKind(st: Stats | Dirent): string {
  if (st.isFIFO()) return 'FIFO'
  if (st.isSocket()) return 'socket'
  if (st.isCharacterDevice()) return 'character device'
  if (st.isBlockDevice()) return 'block device'
  return 'special file'
}
