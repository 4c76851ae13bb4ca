// Reads a release tarball entry by entry into a private temp dir: only regular files are written,
// at sanitised paths; links, devices, absolute and `..` paths, duplicates and limits are reported.
import { createReadStream, mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, normalize, resolve, sep, dirname } from 'node:path'
import type * as Tar from 'tar'
import type { NotAnalysed } from '../../report/finding.ts'

export interface TarLimits {
  maxEntries: number
  maxTotalBytes: number
  maxFileSize: number
}

export interface ExtractedTarball {
  dir: string
  notAnalysed: NotAnalysed[]
  entries: number
  cleanup(): void
}

/** Skipped entries listed one by one before the rest are only counted. */
export const MAX_ENTRY_NOTES = 1000

export function isTarball(path: string): boolean {
  return /\.(tgz|tar\.gz|tar)$/i.test(path)
}

/** A path inside the archive made safe, or why it is refused. */
export function sanitiseEntryPath(untrustedPath: string): { path: string } | { refused: string } {
  if (untrustedPath.includes('\0')) return { refused: 'contains a NUL byte' }
  if (/^([a-zA-Z]:|[\\/])/.test(untrustedPath)) return { refused: 'absolute path' }
  // Any `..` segment is refused, even one that normalises back inside (`a/../../b`): npm and tar
  // refuse such entries on install, so what we analysed would not be what gets installed.
  if (untrustedPath.replace(/\\/g, '/').split('/').includes('..')) return { refused: 'path escapes the archive root (..)' }
  const norm = normalize(untrustedPath.replace(/\\/g, '/'))
  const clean = norm.replace(/^(\.\/)+/, '').replace(/\/+$/, '')
  if (!clean || clean === '.') return { refused: 'empty path' }
  return { path: clean }
}

/**
 * Unpacks the regular files of an untrusted tarball into a private temp dir. Every limit stops the
 * read at once (the rest is not decompressed), and every skipped entry is reported. The bytes of
 * every entry, skipped ones included, count towards `maxTotalBytes`: a bomb of oversized entries
 * costs no more than that to walk past. tar itself aborts beyond a 1000:1 decompression ratio.
 */
export async function extractTarball(file: string, display: string, limits: TarLimits): Promise<ExtractedTarball> {
  const dir = mkdtempSync(join(tmpdir(), 'nophonehome-tar-'))
  const root = resolve(dir)
  const notAnalysed: NotAnalysed[] = []
  const seen = new Set<string>()
  const warnings = new Map<string, number>()
  let entries = 0
  let total = 0
  let stopped = false
  // Each skipped entry is listed, up to a point: past it a hostile archive would only bloat the report
  // (and the callers' arrays), so the rest are counted per kind in one line each.
  const overflow = new Map<string, number>()
  let noted = 0
  const note = (path: string, reason: string, kind = reason) => {
    if (noted++ < MAX_ENTRY_NOTES) notAnalysed.push({ file: `${display}!/${path}`, reason })
    else overflow.set(kind, (overflow.get(kind) ?? 0) + 1)
  }

  // node-tar is loaded when a tarball is met: most scans read a folder.
  const tar: typeof Tar = await import('tar')
  const parser = new tar.Parser({
    strict: false,
    // The same warning repeats for every bad block of a corrupt archive: report each once, counted.
    onwarn: (_code: string, message: string | Error) => {
      if (stopped) return
      const text = typeof message === 'string' ? message : message.message
      warnings.set(text, (warnings.get(text) ?? 0) + 1)
    },
    onReadEntry: (entry: Tar.ReadEntry) => {
      if (stopped) { entry.resume(); return }
      entries++
      if (entries > limits.maxEntries) {
        stop(`more than ${limits.maxEntries} entries; the rest was not analysed (--max-entries)`)
        entry.resume()
        return
      }
      // Every entry's bytes are read, kept or not: they all count towards the total.
      total += entry.size
      if (total > limits.maxTotalBytes) {
        stop(`unpacks to more than ${limits.maxTotalBytes} bytes; the rest was not analysed (--max-total-size)`)
        entry.resume()
        return
      }
      const safe = sanitiseEntryPath(entry.path)
      if ('refused' in safe) { note(entry.path, `entry refused: ${safe.refused}`, 'refused paths'); entry.resume(); return }
      const type = entry.type
      if (type === 'Directory') { entry.resume(); return }
      if (type === 'SymbolicLink' || type === 'Link') {
        note(safe.path, `${type === 'Link' ? 'hard link' : 'symlink'} to ${entry.linkpath ?? '?'} not followed`, 'links')
        entry.resume()
        return
      }
      if (type !== 'File' && type !== 'OldFile' && type !== 'ContiguousFile') {
        // Devices, FIFOs and exotic entries are never created; PAX/GNU headers are consumed by tar itself.
        if (!/^(GlobalExtendedHeader|ExtendedHeader|NextFileHasLongPath|NextFileHasLongLinkpath|OldGnuLongPath)$/.test(type)) note(safe.path, `${type} entry not extracted`, `${type} entries`)
        entry.resume()
        return
      }
      if (entry.size > limits.maxFileSize) { note(safe.path, `larger than the file size limit (${entry.size} bytes; --max-file-size)`, 'files over --max-file-size'); entry.resume(); return }
      const target = resolve(root, safe.path)
      if (!target.startsWith(root + sep)) { note(safe.path, 'entry refused: outside the archive root'); entry.resume(); return }
      if (seen.has(safe.path)) note(safe.path, 'duplicate entry in the tarball; only the last copy was analysed', 'duplicates')
      seen.add(safe.path)
      const chunks: Buffer[] = []
      let received = 0
      entry.on('data', (c: Buffer) => { chunks.push(c); received += c.length })
      entry.on('end', () => {
        // A truncated archive ends its last entry early: never analyse half a file as if whole.
        if (received < entry.size) { note(safe.path, `truncated in the tarball (${received} of ${entry.size} bytes); not analysed`, 'truncated files'); return }
        try {
          mkdirSync(dirname(target), { recursive: true })
          writeFileSync(target, Buffer.concat(chunks), { mode: 0o600 })
        } catch (err) {
          note(safe.path, `could not be unpacked (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`)
        }
      })
      entry.resume()
    },
  })

  let input: ReturnType<typeof createReadStream> | undefined
  let finish: () => void = () => {}
  const stop = (reason: string) => {
    stopped = true
    notAnalysed.push({ file: display, reason })
    // Stop reading and decompressing now; an aborted parser never ends on its own.
    input?.unpipe(parser)
    input?.destroy()
    parser.abort(new Error(reason))
    finish()
  }
  try {
    await new Promise<void>((resolvePromise, reject) => {
      finish = resolvePromise
      parser.on('end', resolvePromise)
      parser.on('error', reject)
      input = createReadStream(file)
      input.on('error', reject)
      input.pipe(parser)
    })
  } catch (err) {
    if (!stopped) notAnalysed.push({ file: display, reason: `tarball could not be read completely: ${(err as Error).message}` })
  }
  input?.destroy()
  for (const [kind, count] of overflow) notAnalysed.push({ file: display, reason: `${count} more entries not analysed (${kind}); only the first ${MAX_ENTRY_NOTES} are listed` })
  for (const [text, count] of warnings) notAnalysed.push({ file: display, reason: `tarball: ${text}${count > 1 ? ` (${count} times)` : ''}` })
  return { dir, notAnalysed, entries, cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}
