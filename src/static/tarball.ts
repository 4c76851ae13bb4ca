// Reads a release tarball entry by entry into a private temp dir: only regular files are written,
// at sanitised paths; links, devices, absolute and `..` paths, duplicates and limits are reported.
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, normalize, resolve, sep, dirname } from 'node:path'
import * as tar from 'tar'
import type { NotAnalysed } from '../report/finding.ts'

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

export function isTarball(path: string): boolean {
  return /\.(tgz|tar\.gz|tar)$/i.test(path)
}

/** A path inside the archive made safe, or why it is refused. */
export function sanitiseEntryPath(untrustedPath: string): { path: string } | { refused: string } {
  if (untrustedPath.includes('\0')) return { refused: 'contains a NUL byte' }
  if (/^([a-zA-Z]:|[\\/])/.test(untrustedPath)) return { refused: 'absolute path' }
  const norm = normalize(untrustedPath.replace(/\\/g, '/'))
  if (norm === '..' || norm.startsWith('..' + sep) || norm.split(sep).includes('..')) return { refused: 'path escapes the archive root (..)' }
  const clean = norm.replace(/^(\.\/)+/, '').replace(/\/+$/, '')
  if (!clean || clean === '.') return { refused: 'empty path' }
  return { path: clean }
}

export async function extractTarball(file: string, display: string, limits: TarLimits): Promise<ExtractedTarball> {
  const dir = mkdtempSync(join(tmpdir(), 'nophonehome-tar-'))
  const root = resolve(dir)
  const notAnalysed: NotAnalysed[] = []
  const seen = new Set<string>()
  let entries = 0
  let total = 0
  let stopped = false
  const note = (path: string, reason: string) => notAnalysed.push({ file: `${display}!/${path}`, reason })

  try {
    await tar.t({
      file,
      strict: false,
      onwarn: (_code: string, message: string) => { if (!stopped) notAnalysed.push({ file: display, reason: `tarball: ${message}` }) },
      onReadEntry: (entry: tar.ReadEntry) => {
        if (stopped) { entry.resume(); return }
        entries++
        if (entries > limits.maxEntries) {
          stopped = true
          notAnalysed.push({ file: display, reason: `more than ${limits.maxEntries} entries; the rest was not analysed (--max-entries)` })
          entry.resume()
          return
        }
        const safe = sanitiseEntryPath(entry.path)
        if ('refused' in safe) { note(entry.path, `entry refused: ${safe.refused}`); entry.resume(); return }
        const type = entry.type
        if (type === 'Directory') { entry.resume(); return }
        if (type === 'SymbolicLink' || type === 'Link') {
          note(safe.path, `${type === 'Link' ? 'hard link' : 'symlink'} to ${entry.linkpath ?? '?'} not followed`)
          entry.resume()
          return
        }
        if (type !== 'File' && type !== 'OldFile' && type !== 'ContiguousFile') {
          // Devices, FIFOs and exotic entries are never created; PAX/GNU headers are consumed by tar itself.
          if (!/^(GlobalExtendedHeader|ExtendedHeader|NextFileHasLongPath|NextFileHasLongLinkpath|OldGnuLongPath)$/.test(type)) note(safe.path, `${type} entry not extracted`)
          entry.resume()
          return
        }
        if (entry.size > limits.maxFileSize) { note(safe.path, `larger than the file size limit (${entry.size} bytes; --max-file-size)`); entry.resume(); return }
        if (total + entry.size > limits.maxTotalBytes) {
          stopped = true
          notAnalysed.push({ file: display, reason: `unpacks to more than ${limits.maxTotalBytes} bytes; the rest was not analysed (--max-total-size)` })
          entry.resume()
          return
        }
        total += entry.size
        const target = resolve(root, safe.path)
        if (!target.startsWith(root + sep)) { note(safe.path, 'entry refused: outside the archive root'); entry.resume(); return }
        if (seen.has(safe.path)) note(safe.path, 'duplicate entry in the tarball; only the last copy was analysed')
        seen.add(safe.path)
        const chunks: Buffer[] = []
        entry.on('data', (c: Buffer) => chunks.push(c))
        entry.on('end', () => {
          try {
            mkdirSync(dirname(target), { recursive: true })
            writeFileSync(target, Buffer.concat(chunks), { mode: 0o600 })
          } catch (err) {
            note(safe.path, `could not be unpacked (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`)
          }
        })
      },
    })
  } catch (err) {
    notAnalysed.push({ file: display, reason: `tarball could not be read completely: ${(err as Error).message}` })
  }
  return { dir, notAnalysed, entries, cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}
