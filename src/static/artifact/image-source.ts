// Where an image's blobs come from: an OCI layout directory, or a docker/OCI archive read in place by offset.
// Blob names are untrusted: they are sanitised like tarball entries and never followed out of the archive.
import { closeSync, createReadStream, createWriteStream, fstatSync, lstatSync, mkdtempSync, openSync, readSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, posix } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { Transform, type Readable } from 'node:stream'
import { createGunzip } from 'node:zlib'
import type * as Tar from 'tar'
import { ImageInvalidError } from '../../errors.ts'
import { sanitiseEntryPath } from './tarball.ts'

/** Where an image's files (index.json, manifest.json, blobs/…) are read from. */
export interface BlobSource {
  /** How the image reached us: an OCI layout directory, or an archive (docker save, OCI archive). */
  readonly kind: 'directory' | 'archive'
  /** Sanitised member names, for messages and detection. */
  names(): string[]
  has(name: string): boolean
  /** Size in bytes, or undefined when there is no such regular file. */
  size(name: string): number | undefined
  /** The bytes of a small member (manifests, configs); refuses anything larger than `max`. */
  readSmall(name: string, max: number): Buffer
  /** The first `n` bytes (fewer when the member is shorter): enough to tell gzip, zstd and tar apart. */
  readHead(name: string, n: number): Buffer
  open(name: string): Readable
  close(): void
}

/** Most bytes a JSON document of an image (index, manifest, config) may have: real ones are a few KB. */
export const MAX_JSON_BYTES = 8 * 1024 * 1024

interface Member { name: string; offset: number; size: number; type: string; linkpath?: string }

const IMAGE_MARKERS = new Set(['oci-layout', 'index.json', 'manifest.json', 'repositories'])

/** True when a first member name looks like a docker save or OCI archive rather than a release tarball. */
export function looksLikeImageMember(name: string): boolean {
  const n = name.replace(/^\.\//, '')
  return IMAGE_MARKERS.has(n) || n === 'blobs' || n === 'blobs/' || n.startsWith('blobs/sha256/') || n.startsWith('blobs/sha512/') || /^[0-9a-f]{64}(\/|\.json$)/.test(n)
}

/** True for an OCI layout directory (or an unpacked docker save). */
export function isImageDirectory(dir: string): boolean {
  try {
    const names = new Set(readdirSync(dir))
    return names.has('oci-layout') || (names.has('manifest.json') && (names.has('blobs') || [...names].some((n) => /^[0-9a-f]{64}(\.json)?$/.test(n))))
  } catch {
    return false
  }
}

/**
 * Whether a file is an image archive: a tar (or gzip'd tar) whose first member is an image file
 * (`blobs/…`, `oci-layout`, `index.json`, `manifest.json`, a layer id directory). Reads a few hundred bytes.
 */
export async function isImageArchive(file: string): Promise<boolean> {
  let fd: number | undefined
  try {
    // Never open a FIFO or a device: the open (or the read) could block forever.
    if (!statSync(file).isFile()) return false
    fd = openSync(file, 'r')
    if (!fstatSync(fd).isFile()) return false
    const head = Buffer.alloc(512)
    const n = readSync(fd, head, 0, 512, 0)
    if (n >= 2 && head[0] === 0x1f && head[1] === 0x8b) {
      const first = await firstGzipBlock(file)
      return !!first && looksLikeImageMember(await headerName(first))
    }
    if (n < 512) return false
    const tar: typeof Tar = await import('tar')
    const h = new tar.Header(head)
    if (!h.cksumValid || !h.path) return false
    if (h.type === 'ExtendedHeader' || h.type === 'NextFileHasLongPath') {
      // The first member has a long name: walk the archive's headers to find it.
      const index = indexTar(fd, tar, { maxEntries: 4 })
      return index.members.length > 0 && looksLikeImageMember(index.members[0].name)
    }
    return looksLikeImageMember(h.path)
  } catch {
    return false
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}

async function headerName(block: Buffer): Promise<string> {
  const tar: typeof Tar = await import('tar')
  const h = new tar.Header(block)
  return h.cksumValid ? h.path ?? '' : ''
}

/** The first 512 decompressed bytes of a gzip file, without decompressing the rest. */
function firstGzipBlock(file: string): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const input = createReadStream(file, { highWaterMark: 16 * 1024 })
    const gunzip = createGunzip()
    const chunks: Buffer[] = []
    let got = 0
    let done = false
    const finish = (b: Buffer | undefined) => {
      if (done) return
      done = true
      input.destroy()
      gunzip.destroy()
      resolve(b)
    }
    gunzip.on('data', (c: Buffer) => {
      chunks.push(c)
      got += c.length
      if (got >= 512) finish(Buffer.concat(chunks).subarray(0, 512))
    })
    gunzip.on('end', () => finish(got >= 512 ? Buffer.concat(chunks).subarray(0, 512) : undefined))
    gunzip.on('error', () => finish(undefined))
    input.on('error', () => finish(undefined))
    input.pipe(gunzip)
  })
}

/** Opens an OCI layout directory or an image archive (tar, or gzip'd tar decompressed to a temp file first). */
export async function openBlobSource(path: string, limits: { maxEntries: number; maxTotalBytes: number }): Promise<BlobSource> {
  let st
  // The path as given (flags are trusted): a link to the archive is fine; what is inside it is not trusted.
  try { st = statSync(path) } catch (err) {
    throw new ImageInvalidError(`${path}: cannot be read (${(err as NodeJS.ErrnoException).code})`)
  }
  if (st.isDirectory()) return directorySource(path)
  if (!st.isFile()) throw new ImageInvalidError(`${path}: not a regular file or directory`)
  const tar: typeof Tar = await import('tar')
  let file = path
  let tmp: string | undefined
  const fd0 = openSync(path, 'r')
  const magic = Buffer.alloc(2)
  readSync(fd0, magic, 0, 2, 0)
  closeSync(fd0)
  if (magic[0] === 0x1f && magic[1] === 0x8b) {
    // `docker save | gzip`: decompressed once to a private file so blobs can be read by offset, bounded by the
    // same total size limit as the layers (a gzip bomb stops there).
    tmp = mkdtempSync(join(tmpdir(), 'nophonehome-image-'))
    file = join(tmp, 'image.tar')
    try {
      await pipeline(createReadStream(path), createGunzip(), limitBytes(limits.maxTotalBytes, path), createWriteStream(file, { mode: 0o600 }))
    } catch (err) {
      rmSync(tmp, { recursive: true, force: true })
      if (err instanceof ImageInvalidError) throw err
      throw new ImageInvalidError(`${path}: the gzip'd image archive cannot be decompressed (${(err as Error).message})`)
    }
  }
  const fd = openSync(file, 'r')
  try {
    const index = indexTar(fd, tar, limits)
    return archiveSource(fd, index, () => { closeSync(fd); if (tmp) rmSync(tmp, { recursive: true, force: true }) })
  } catch (err) {
    closeSync(fd)
    if (tmp) rmSync(tmp, { recursive: true, force: true })
    throw err
  }
}

function limitBytes(max: number, display: string): Transform {
  let total = 0
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      total += chunk.length
      if (total > max) cb(new ImageInvalidError(`${display}: decompresses to more than ${max} bytes (--max-total-size)`))
      else cb(null, chunk)
    },
  })
}

/**
 * The members of an uncompressed tar by offset: node-tar decodes each header (ustar, base-256 sizes, PAX and GNU
 * long names); bodies are skipped, not read. node-tar itself only streams, and an image archive can be gigabytes
 * of which only a few blobs are needed, each once.
 */
function indexTar(fd: number, tar: typeof Tar, limits: { maxEntries: number }): { members: Member[]; byName: Map<string, Member> } {
  const size = fstatSync(fd).size
  const members: Member[] = []
  const byName = new Map<string, Member>()
  const block = Buffer.alloc(512)
  let offset = 0
  let ex: Record<string, unknown> | undefined
  let gex: Record<string, unknown> | undefined
  let longPath: string | undefined
  let longLink: string | undefined
  while (offset + 512 <= size) {
    if (readSync(fd, block, 0, 512, offset) < 512) break
    const h = new tar.Header(block, 0, ex as never, gex as never)
    if (h.nullBlock) break
    if (!h.cksumValid) {
      if (offset === 0) throw new ImageInvalidError('not a tar archive (bad header checksum at offset 0)', 'Pass the file `docker save` or `skopeo copy … oci-archive:` wrote, or an OCI layout directory.')
      throw new ImageInvalidError(`corrupt image archive: bad tar header checksum at offset ${offset}`)
    }
    const bodySize = h.size ?? 0
    const body = offset + 512
    const next = body + Math.ceil(bodySize / 512) * 512
    if (body + bodySize > size) throw new ImageInvalidError(`truncated image archive: ${h.path} needs ${bodySize} bytes at offset ${body}, the file has ${size}`)
    const type = h.type
    if (type === 'ExtendedHeader' || type === 'GlobalExtendedHeader' || type === 'NextFileHasLongPath' || type === 'NextFileHasLongLinkpath' || type === 'OldGnuLongPath') {
      if (bodySize > 1024 * 1024) throw new ImageInvalidError(`corrupt image archive: a ${type} header of ${bodySize} bytes`)
      const text = Buffer.alloc(bodySize)
      readSync(fd, text, 0, bodySize, body)
      if (type === 'ExtendedHeader') ex = { ...tar.Pax.parse(text.toString('utf8'), ex as never, false) }
      else if (type === 'GlobalExtendedHeader') gex = { ...tar.Pax.parse(text.toString('utf8'), gex as never, true) }
      else if (type === 'NextFileHasLongLinkpath') longLink = text.toString('utf8').replace(/\0.*$/s, '')
      else longPath = text.toString('utf8').replace(/\0.*$/s, '')
      offset = next
      continue
    }
    const rawName = longPath ?? h.path ?? ''
    const linkpath = longLink ?? h.linkpath
    ex = undefined
    longPath = undefined
    longLink = undefined
    offset = next
    if (members.length >= limits.maxEntries) throw new ImageInvalidError(`image archive has more than ${limits.maxEntries} members (--max-entries)`)
    const safe = sanitiseEntryPath(rawName)
    // Refused names (absolute, `..`) are never blobs we would read: leave them out.
    if ('refused' in safe) continue
    const m: Member = { name: safe.path, offset: body, size: bodySize, type, linkpath }
    members.push(m)
    byName.set(m.name, m)
  }
  return { members, byName }
}

function archiveSource(fd: number, index: { members: Member[]; byName: Map<string, Member> }, close: () => void): BlobSource {
  // docker save (legacy format) links identical layers to one another (`b/layer.tar -> ../a/layer.tar`):
  // followed within the archive only, a few hops at most.
  const resolveMember = (name: string): Member | undefined => {
    let m = index.byName.get(name)
    for (let hops = 0; m && hops < 8; hops++) {
      if (m.type === 'File' || m.type === 'OldFile' || m.type === 'ContiguousFile') return m
      if (m.type === 'Link' && m.linkpath) { m = index.byName.get(sanitised(m.linkpath)); continue }
      if (m.type === 'SymbolicLink' && m.linkpath && !m.linkpath.startsWith('/')) {
        m = index.byName.get(sanitised(posix.join(posix.dirname(m.name), m.linkpath)))
        continue
      }
      return undefined
    }
    return undefined
  }
  return {
    kind: 'archive',
    names: () => index.members.map((m) => m.name),
    has: (name) => !!resolveMember(name),
    size: (name) => resolveMember(name)?.size,
    readSmall(name, max) {
      const m = resolveMember(name)
      if (!m) throw new ImageInvalidError(`${name}: not in the image archive`)
      if (m.size > max) throw new ImageInvalidError(`${name}: ${m.size} bytes, more than the ${max} a manifest or config may have`)
      const buf = Buffer.alloc(m.size)
      readSync(fd, buf, 0, m.size, m.offset)
      return buf
    },
    readHead(name, n) {
      const m = resolveMember(name)
      if (!m) throw new ImageInvalidError(`${name}: not in the image archive`)
      const buf = Buffer.alloc(Math.min(n, m.size))
      readSync(fd, buf, 0, buf.length, m.offset)
      return buf
    },
    open(name) {
      const m = resolveMember(name)
      if (!m) throw new ImageInvalidError(`${name}: not in the image archive`)
      if (m.size === 0) return createReadStream('/dev/null')
      return createReadStream('', { fd, start: m.offset, end: m.offset + m.size - 1, autoClose: false })
    },
    close,
  }
}

function sanitised(name: string): string {
  const s = sanitiseEntryPath(name)
  return 'refused' in s ? '\0refused' : s.path
}

function directorySource(dir: string): BlobSource {
  // Only regular files directly named: a layout whose blob is a symlink (out of the layout or not) is refused.
  const fileOf = (name: string): string | undefined => {
    const safe = sanitiseEntryPath(name)
    if ('refused' in safe) return undefined
    const path = join(dir, safe.path)
    try {
      const st = lstatSync(path)
      return st.isFile() ? path : undefined
    } catch { return undefined }
  }
  const names = (): string[] => {
    const out: string[] = []
    const walk = (rel: string, depth: number) => {
      if (depth > 4) return
      let entries
      try { entries = readdirSync(join(dir, rel), { withFileTypes: true }) } catch { return }
      for (const e of entries) {
        const r = rel ? `${rel}/${e.name}` : e.name
        if (e.isDirectory()) walk(r, depth + 1)
        else if (e.isFile()) out.push(r)
      }
    }
    walk('', 0)
    return out.sort()
  }
  return {
    kind: 'directory',
    names,
    has: (name) => !!fileOf(name),
    size(name) {
      const f = fileOf(name)
      return f ? lstatSync(f).size : undefined
    },
    readSmall(name, max) {
      const f = fileOf(name)
      if (!f) throw new ImageInvalidError(`${name}: not a regular file in the image layout ${dir}`)
      const fd = openSync(f, 'r')
      try {
        const size = fstatSync(fd).size
        if (size > max) throw new ImageInvalidError(`${name}: ${size} bytes, more than the ${max} a manifest or config may have`)
        const buf = Buffer.alloc(size)
        let read = 0
        while (read < size) {
          const n = readSync(fd, buf, read, size - read, read)
          if (n <= 0) break
          read += n
        }
        return buf.subarray(0, read)
      } finally {
        closeSync(fd)
      }
    },
    readHead(name, n) {
      const f = fileOf(name)
      if (!f) throw new ImageInvalidError(`${name}: not a regular file in the image layout ${dir}`)
      const fd = openSync(f, 'r')
      try {
        const buf = Buffer.alloc(n)
        return buf.subarray(0, readSync(fd, buf, 0, n, 0))
      } finally {
        closeSync(fd)
      }
    },
    open(name) {
      const f = fileOf(name)
      if (!f) throw new ImageInvalidError(`${name}: not a regular file in the image layout ${dir}`)
      return createReadStream(f)
    },
    close() {},
  }
}
