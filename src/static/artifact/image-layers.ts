// Applies an image's layers, in order, into a private root directory: whiteouts and opaque directories, links
// kept inside the root, the tarball reader's protections (sanitised paths, no devices, entry and size limits).
import { closeSync, linkSync, lstatSync, mkdirSync, openSync, readdirSync, readlinkSync, rmSync, symlinkSync, unlinkSync, writeSync, constants, chmodSync } from 'node:fs'
import { join, posix } from 'node:path'
import type { Readable } from 'node:stream'
import type * as Tar from 'tar'
import type { NotAnalysed } from '../../report/finding.ts'
import { MAX_ENTRY_NOTES, sanitiseEntryPath } from './tarball.ts'

export interface LayerLimits {
  maxEntries: number
  maxTotalBytes: number
}

/** What applying the layers so far did; shared by every layer of one image. */
export interface LayerState {
  readonly root: string
  readonly display: string
  limits: LayerLimits
  entries: number
  bytes: number
  /** Why the rest was not unpacked (a limit); the root is then incomplete and must not be run. */
  stopped?: string
  notAnalysed: NotAnalysed[]
  noted: number
  overflow: Map<string, number>
  /**
   * Entry directories (as named in the layers) already resolved to real directories under the root: most entries
   * share a parent, and a file-system call costs more than the rest of an entry. Cleared whenever anything is
   * removed or replaced, since a path may then resolve elsewhere.
   */
  dirs: Map<string, string>
}

export function newLayerState(root: string, display: string, limits: LayerLimits): LayerState {
  return { root, display, limits, entries: 0, bytes: 0, notAnalysed: [], noted: 0, overflow: new Map(), dirs: new Map() }
}

/** Symlinks resolved while finding where an entry goes: as many as Linux follows in one path. */
const MAX_LINK_HOPS = 40

const WHITEOUT = '.wh.'
const OPAQUE = '.wh..wh..opq'

/**
 * Unpacks one layer (an uncompressed tar stream) on top of the root. Resolves when the layer has been read to its
 * end, or as soon as a limit stops it (the state says so). Rejects only when the stream itself fails.
 */
export async function applyLayer(input: Readable, layer: string, state: LayerState): Promise<void> {
  const tar: typeof Tar = await import('tar')
  // Paths (physical, relative to the root) this layer wrote, and their ancestors: whiteouts and opaque markers
  // hide lower layers only (OCI image spec, "Whiteouts"), whatever order the layer lists its entries in.
  const written = new Set<string>()
  const writtenAncestors = new Set<string>()
  const markWritten = (rel: string) => {
    written.add(rel)
    for (let d = posix.dirname(rel); d !== '.' && !writtenAncestors.has(d); d = posix.dirname(d)) writtenAncestors.add(d)
  }
  const note = (path: string, reason: string, kind = reason) => {
    if (state.noted++ < MAX_ENTRY_NOTES) state.notAnalysed.push({ file: `${state.display}!/${path}`, reason: `${layer}: ${reason}` })
    else state.overflow.set(kind, (state.overflow.get(kind) ?? 0) + 1)
  }
  const root = state.root

  /** Removes what lower layers put at `rel` (physical path), keeping what this layer wrote. */
  const removeLower = (rel: string) => {
    const abs = join(root, rel)
    let st
    try { st = lstatSync(abs) } catch { return }
    state.dirs.clear()
    if (!written.has(rel) && !writtenAncestors.has(rel)) { rmSync(abs, { recursive: true, force: true }); return }
    if (!st.isDirectory()) return
    for (const name of readdirSync(abs)) removeLower(rel ? `${rel}/${name}` : name)
  }

  let parser: Tar.Parser | undefined
  // The file being written: closed (and dropped as truncated) if the layer stops in the middle of it.
  let open: { fd: number; abs: string; path: string } | undefined
  const stop = (reason: string) => {
    state.stopped = reason
    state.notAnalysed.push({ file: state.display, reason })
    input.unpipe(parser!)
    input.destroy()
    parser!.abort(new Error(reason))
  }

  await new Promise<void>((resolvePromise, reject) => {
    parser = new tar.Parser({
      strict: false,
      onwarn: (_code: string, message: string | Error) => {
        if (state.stopped) return
        note('', `tar: ${typeof message === 'string' ? message : message.message}`, 'tar warnings')
      },
      onReadEntry: (entry: Tar.ReadEntry) => {
        if (state.stopped) { entry.resume(); return }
        if (++state.entries > state.limits.maxEntries) {
          stop(`more than ${state.limits.maxEntries} entries in the image's layers; the rest was not unpacked (--max-entries)`)
          entry.resume()
          return
        }
        state.bytes += entry.size
        if (state.bytes > state.limits.maxTotalBytes) {
          stop(`the image's layers unpack to more than ${state.limits.maxTotalBytes} bytes; the rest was not unpacked (--max-total-size)`)
          entry.resume()
          return
        }
        const safe = sanitiseEntryPath(entry.path)
        if ('refused' in safe) {
          // `./` is the root directory itself: nothing to do.
          if (!/^(\.\/?)+$/.test(entry.path)) note(entry.path, `entry refused: ${safe.refused}`, 'refused paths')
          entry.resume()
          return
        }
        const path = safe.path
        const base = posix.basename(path)
        const dir = posix.dirname(path) === '.' ? '' : posix.dirname(path)
        const type = entry.type
        try {
          if (base.startsWith(WHITEOUT)) {
            entry.resume()
            const parent = resolveInRoot(root, dir)
            if (!parent.ok) { note(path, `whiteout not applied: ${parent.reason}`, 'whiteouts not applied'); return }
            if (base === OPAQUE) {
              const abs = join(root, parent.rel)
              let names: string[] = []
              try { names = readdirSync(abs) } catch { /* nothing below: nothing to hide */ }
              for (const n of names) removeLower(parent.rel ? `${parent.rel}/${n}` : n)
              return
            }
            const name = base.slice(WHITEOUT.length)
            // aufs bookkeeping (`.wh..wh.plnk`, `.wh..wh.aufs`) hides nothing.
            if (name.startsWith(WHITEOUT)) return
            if (!name || name === '.' || name === '..' || name.includes('/')) { note(path, 'whiteout for an invalid name refused', 'refused whiteouts'); return }
            removeLower(parent.rel ? `${parent.rel}/${name}` : name)
            return
          }
          if (type === 'GlobalExtendedHeader' || type === 'ExtendedHeader' || type === 'NextFileHasLongPath' || type === 'NextFileHasLongLinkpath' || type === 'OldGnuLongPath') { entry.resume(); return }
          if (type !== 'Directory' && type !== 'File' && type !== 'OldFile' && type !== 'ContiguousFile' && type !== 'SymbolicLink' && type !== 'Link') {
            // Devices, FIFOs and exotic entries are never created (a run gets its own minimal /dev).
            note(path, `${type} entry not created`, `${type} entries`)
            entry.resume()
            return
          }
          let parentRel = state.dirs.get(dir)
          if (parentRel === undefined) {
            const parent = resolveInRoot(root, dir)
            if (!parent.ok) { note(path, `not unpacked: ${parent.reason}`, 'entries not unpacked'); entry.resume(); return }
            const made = makeParents(root, parent.rel)
            if (made) { note(path, `not unpacked: ${made}`, 'entries not unpacked'); entry.resume(); return }
            parentRel = parent.rel
            state.dirs.set(dir, parentRel)
          }
          const rel = parentRel ? `${parentRel}/${base}` : base
          const abs = join(root, rel)
          const mode = (entry.mode ?? 0o644) & 0o1777
          if (type === 'Directory') {
            entry.resume()
            // We must be able to write into every directory while unpacking; setuid/setgid bits are dropped.
            const want = mode | 0o700
            try {
              mkdirSync(abs, { mode: want })
            } catch (err) {
              if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
              if (!lstatSync(abs).isDirectory()) { replaceExisting(abs, state.dirs); mkdirSync(abs, { mode: want }) }
            }
            if (want !== 0o755) chmodSync(abs, want)
            markWritten(rel)
            return
          }
          if (type === 'SymbolicLink') {
            entry.resume()
            const target = confineLinkTarget(entry.linkpath ?? '', parentRel)
            try { symlinkSync(target, abs) } catch (err) {
              if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
              replaceExisting(abs, state.dirs)
              symlinkSync(target, abs)
            }
            markWritten(rel)
            return
          }
          if (type === 'Link') {
            entry.resume()
            const target = sanitiseEntryPath(entry.linkpath ?? '')
            const resolved = 'path' in target ? resolveInRoot(root, target.path, false) : undefined
            if (!resolved?.ok) { note(path, `hard link to ${entry.linkpath ?? '?'} not created: ${resolved ? resolved.reason : 'refused target'}`, 'hard links not created'); return }
            let st
            try { st = lstatSync(join(root, resolved.rel)) } catch { /* absent */ }
            if (!st || st.isDirectory()) { note(path, `hard link to ${entry.linkpath} not created: no such file in the layers so far`, 'hard links not created'); return }
            replaceExisting(abs, state.dirs)
            linkSync(join(root, resolved.rel), abs)
            markWritten(rel)
            return
          }
          // Created fresh (what an earlier layer had there is removed first) and never through a link: O_EXCL | O_NOFOLLOW.
          const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW
          const fileMode = (mode & 0o777 & ~0o6000) | 0o600
          let fd: number
          try { fd = openSync(abs, flags, fileMode) } catch (err) {
            if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
            replaceExisting(abs, state.dirs)
            fd = openSync(abs, flags, fileMode)
          }
          open = { fd, abs, path }
          markWritten(rel)
          let received = 0
          let failed: string | undefined
          entry.on('data', (c: Buffer) => {
            if (failed) return
            try { writeSync(fd, c); received += c.length } catch (err) { failed = (err as NodeJS.ErrnoException).code ?? (err as Error).message }
          })
          entry.on('end', () => {
            open = undefined
            closeSync(fd)
            if (failed) note(path, `could not be unpacked (${failed})`)
            // A truncated layer ends its last entry early: never keep half a file as if whole.
            else if (received < entry.size) { note(path, `truncated in the layer (${received} of ${entry.size} bytes); not unpacked`, 'truncated files'); try { unlinkSync(abs) } catch { /* gone */ } }
          })
          entry.resume()
        } catch (err) {
          note(path, `could not be unpacked (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`)
          entry.resume()
        }
      },
    })
    parser.on('end', resolvePromise)
    // An abort we did not ask for (node-tar's own decompression-ratio guard) fails the layer: never a silent stop.
    parser.on('abort', (err: Error) => { if (state.stopped) resolvePromise(); else reject(err) })
    parser.on('error', (err: Error) => { if (state.stopped) resolvePromise(); else reject(err) })
    input.on('error', (err) => { if (state.stopped) resolvePromise(); else reject(err) })
    input.pipe(parser)
  }).finally(() => {
    if (!open) return
    closeSync(open.fd)
    try { unlinkSync(open.abs) } catch { /* gone */ }
    note(open.path, 'the layer ended in the middle of this file; not unpacked', 'truncated files')
    open = undefined
  })
}

/** Adds the per-kind counts of entries past the listing limit. Call once, after the last layer. */
export function finishLayers(state: LayerState): void {
  for (const [kind, count] of state.overflow) state.notAnalysed.push({ file: state.display, reason: `${count} more layer entries not unpacked (${kind}); only the first ${MAX_ENTRY_NOTES} are listed` })
  state.overflow.clear()
}

type Resolved = { ok: true; rel: string } | { ok: false; reason: string }

/**
 * Where `rel` really is under the root, as the image sees it: symlinks on the way are followed with the root as
 * `/` (absolute targets start again at the root, `..` stops there), as a chroot would. The last component is
 * followed only with `followLast`. Components that do not exist yet are kept as named. The result never leaves
 * the root, whatever the links say.
 */
export function resolveInRoot(root: string, rel: string, followLast = true): Resolved {
  const rest = rel.split('/')
  const cur: string[] = []
  let hops = 0
  while (rest.length) {
    const part = rest.shift()!
    if (part === '' || part === '.') continue
    if (part === '..') { cur.pop(); continue }
    const abs = join(root, ...cur, part)
    let st
    try { st = lstatSync(abs) } catch { cur.push(part); continue }
    if (st.isSymbolicLink() && (rest.length > 0 || followLast)) {
      if (++hops > MAX_LINK_HOPS) return { ok: false, reason: 'too many levels of symbolic links' }
      const target = readlinkSync(abs)
      if (target.startsWith('/')) cur.length = 0
      rest.unshift(...target.split('/'))
      continue
    }
    cur.push(part)
  }
  return { ok: true, rel: cur.join('/') }
}

/** Creates the missing directories of a resolved path; says why not when a component is not a directory. */
function makeParents(root: string, rel: string): string | undefined {
  if (!rel) return undefined
  const parts = rel.split('/')
  for (let i = 1; i <= parts.length; i++) {
    const abs = join(root, ...parts.slice(0, i))
    let st
    try { st = lstatSync(abs) } catch {
      mkdirSync(abs, { mode: 0o755 })
      continue
    }
    if (!st.isDirectory()) return `${parts.slice(0, i).join('/')} is not a directory`
  }
  return undefined
}

/** A later layer's file, link or directory replaces whatever an earlier one had at that path. */
function replaceExisting(abs: string, dirs: Map<string, string>): void {
  let st
  try { st = lstatSync(abs) } catch { return }
  dirs.clear()
  if (st.isDirectory()) rmSync(abs, { recursive: true, force: true })
  else unlinkSync(abs)
}

/**
 * The link target as it will resolve inside the image: an absolute target becomes relative to the link's real
 * directory (`/usr/bin/x` from `etc/alternatives` → `../../usr/bin/x`), and leading `..` beyond the root are
 * dropped (a chroot stops there too). Inside the image (a run) it resolves exactly as before; on this host it
 * can no longer point at this host's own files.
 */
export function confineLinkTarget(untrustedTarget: string, linkDirRel: string): string {
  const depth = linkDirRel ? linkDirRel.split('/').length : 0
  const parts = untrustedTarget.split('/')
  if (untrustedTarget.startsWith('/')) {
    const rest = parts.filter((p, i) => !(i === 0 && p === ''))
    while (rest.length && (rest[0] === '..' || rest[0] === '.' || rest[0] === '')) rest.shift()
    const out = [...Array(depth).fill('..'), ...rest].join('/')
    return out || '.'
  }
  let up = 0
  while (up < parts.length && parts[up] === '..') up++
  if (up <= depth) return untrustedTarget
  const rest = parts.slice(up)
  return [...Array(depth).fill('..'), ...rest].join('/') || '.'
}
