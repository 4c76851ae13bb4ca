// Writes raw ustar archives for tests, including entries real tools refuse to make (../, absolute, links, devices).
import { gzipSync } from 'node:zlib'
import { closeSync, openSync, writeSync } from 'node:fs'

function header({ name, size = 0, type = '0', linkname = '', mode = 0o644 }) {
  const h = Buffer.alloc(512)
  h.write(name.slice(0, 100), 0, 'utf8')
  h.write(mode.toString(8).padStart(7, '0') + '\0', 100)
  h.write('0000000\0', 108)
  h.write('0000000\0', 116)
  h.write(size.toString(8).padStart(11, '0') + '\0', 124)
  h.write('14000000000\0', 136)
  h.fill(' ', 148, 156)
  h.write(type, 156)
  h.write(linkname.slice(0, 100), 157)
  h.write('ustar\0', 257)
  h.write('00', 263)
  let sum = 0
  for (const b of h) sum += b
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148)
  return h
}

/** entries: [{ name, content?, type?: '0' file | '2' symlink | '1' hard link | '3' char dev | '5' dir, linkname? }] */
export function makeTar(entries, { gzip = true } = {}) {
  const parts = []
  for (const e of entries) {
    const body = Buffer.from(e.content ?? '')
    parts.push(header({ name: e.name, size: e.type && e.type !== '0' ? 0 : body.length, type: e.type ?? '0', linkname: e.linkname }))
    if (!e.type || e.type === '0') {
      parts.push(body)
      const pad = (512 - (body.length % 512)) % 512
      parts.push(Buffer.alloc(pad))
    }
  }
  parts.push(Buffer.alloc(1024))
  const tar = Buffer.concat(parts)
  return gzip ? gzipSync(tar) : tar
}

/** One raw 512-byte ustar header; `size` may differ from any body that follows (declared size). */
export function tarHeader(entry) {
  return header(entry)
}

/**
 * Writes a gzip file made of several gzip members (gunzip reads them as one stream). Repeating a
 * small member builds huge archives (a million entries, gigabytes of zeros) in milliseconds.
 * parts: [{ data: Buffer, times?: number }] — each data is compressed once and written `times` times.
 */
export function writeGzipMembers(path, parts) {
  const fd = openSync(path, 'w')
  try {
    for (const { data, times = 1 } of parts) {
      const member = gzipSync(data, { level: 9 })
      for (let i = 0; i < times; i++) writeSync(fd, member)
    }
  } finally {
    closeSync(fd)
  }
}

/** The 1024 zero bytes that end a tar archive. */
export const TAR_END = Buffer.alloc(1024)
