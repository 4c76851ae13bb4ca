// Writes container images for tests — docker save archives (current and legacy layout), OCI archives and OCI
// layout directories — with deterministic layers (fixed mtimes and owners, entries in the order given), from files
// already on this machine. Nothing is pulled, no daemon is involved.
import { createHash } from 'node:crypto'
import { execFileSync } from 'node:child_process'
import { existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, realpathSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { gzipSync } from 'node:zlib'
import * as tar from 'tar'

const MTIME = new Date('2024-01-01T00:00:00Z')
const TYPES = { file: 'File', dir: 'Directory', symlink: 'SymbolicLink', hardlink: 'Link', char: 'CharacterDevice', block: 'BlockDevice', fifo: 'FIFO' }

function paxRecord(key, value) {
  const body = ` ${key}=${value}\n`
  let len = body.length + 1
  while (String(len).length + body.length !== len) len = String(len).length + body.length
  return `${len}${body}`
}

function headerBlock({ path, type, size = 0, mode, linkpath = '' }) {
  const block = Buffer.alloc(512)
  const h = new tar.Header({ path, type, size, mode, uid: 0, gid: 0, uname: '', gname: '', mtime: MTIME, linkpath })
  const needPax = h.encode(block)
  return { block, needPax }
}

/** One tar entry: header (with a PAX header first for long names), body, padding. */
function entryBytes(e) {
  const type = TYPES[e.type ?? 'file']
  const body = e.type && e.type !== 'file' ? Buffer.alloc(0) : Buffer.isBuffer(e.content) ? e.content : Buffer.from(e.content ?? '')
  const mode = e.mode ?? (e.type === 'dir' ? 0o755 : e.type === 'symlink' ? 0o777 : 0o644)
  const size = e.declaredSize ?? body.length
  const { block, needPax } = headerBlock({ path: e.name, type, size, mode, linkpath: e.linkname })
  const parts = []
  if (needPax) {
    const pax = Buffer.from(paxRecord('path', e.name) + (e.linkname ? paxRecord('linkpath', e.linkname) : ''))
    parts.push(headerBlock({ path: 'PaxHeader', type: 'ExtendedHeader', size: pax.length, mode: 0o644 }).block, pax, Buffer.alloc((512 - (pax.length % 512)) % 512))
  }
  parts.push(block, body, Buffer.alloc((512 - (body.length % 512)) % 512))
  return Buffer.concat(parts)
}

/**
 * A layer tar from entries: { name, type?: file|dir|symlink|hardlink|char|block|fifo, content?, mode?, linkname? }.
 * `name` is used exactly as given (tests write hostile names on purpose).
 */
export function layerTar(entries) {
  return Buffer.concat([...entries.map(entryBytes), Buffer.alloc(1024)])
}

/** A plain tar of whole files (the outer docker/OCI archive), in the order given. */
function outerTar(files) {
  const entries = []
  const dirs = new Set()
  for (const { name } of files) {
    const parts = name.split('/')
    for (let i = 1; i < parts.length; i++) {
      const d = parts.slice(0, i).join('/') + '/'
      if (!dirs.has(d)) { dirs.add(d); entries.push({ name: d, type: 'dir' }) }
    }
  }
  for (const f of files) entries.push({ name: f.name, content: f.content, type: f.type, linkname: f.linkname })
  return layerTar(entries)
}

const sha256 = (b) => createHash('sha256').update(b).digest('hex')
const json = (v) => Buffer.from(JSON.stringify(v))

/**
 * Builds the blobs of one image. layers: [{ entries, compression?: 'gzip' | 'none' }]; config: the OCI config's
 * `config` object (Entrypoint, Cmd, Env, WorkingDir, User, ExposedPorts).
 */
export function buildImage({ layers, config = {}, platform = { os: 'linux', architecture: 'amd64' } }) {
  const blobs = new Map()
  const layerDescs = []
  const diffIds = []
  for (const l of layers) {
    const raw = l.tar ?? layerTar(l.entries)
    // `compress` (raw → stored bytes) lets a test bring its own compression, e.g. zstd made by another Node.
    const stored = l.compress ? l.compress(raw) : l.compression === 'none' ? raw : gzipSync(raw, { level: 1 })
    const digest = `sha256:${sha256(stored)}`
    blobs.set(digest, stored)
    diffIds.push(`sha256:${sha256(raw)}`)
    layerDescs.push({
      mediaType: `application/vnd.oci.image.layer.v1.tar${l.compression === 'none' ? '' : l.compression === 'zstd' ? '+zstd' : '+gzip'}`,
      digest, size: stored.length, raw,
    })
  }
  const cfg = json({ architecture: platform.architecture, os: platform.os, ...(platform.variant ? { variant: platform.variant } : {}), config, rootfs: { type: 'layers', diff_ids: diffIds } })
  const configDigest = `sha256:${sha256(cfg)}`
  blobs.set(configDigest, cfg)
  const manifest = json({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: cfg.length },
    layers: layerDescs.map(({ mediaType, digest, size }) => ({ mediaType, digest, size })),
  })
  const manifestDigest = `sha256:${sha256(manifest)}`
  blobs.set(manifestDigest, manifest)
  return { blobs, manifestDigest, manifestSize: manifest.length, configDigest, layers: layerDescs, diffIds, platform }
}

const blobName = (digest) => `blobs/${digest.replace(':', '/')}`

/** index.json for images: [{ image, ref, platform? }] */
function indexFor(images) {
  return json({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: images.map(({ image, ref, withPlatform }) => ({
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: image.manifestDigest,
      size: image.manifestSize,
      ...(ref ? { annotations: { 'io.containerd.image.name': ref.includes('/') ? `docker.io/${ref}` : `docker.io/library/${ref}`, 'org.opencontainers.image.ref.name': ref.split(':').pop() } } : {}),
      ...(withPlatform ? { platform: image.platform } : {}),
    })),
  })
}

function layoutFiles(images, { docker = false, mutate } = {}) {
  const blobs = new Map()
  for (const { image } of images) for (const [d, b] of image.blobs) blobs.set(d, b)
  const files = [...blobs.keys()].sort().map((d) => ({ name: blobName(d), content: blobs.get(d) }))
  files.push({ name: 'index.json', content: indexFor(images) })
  if (docker) {
    files.push({
      name: 'manifest.json',
      content: json(images.map(({ image, ref }) => ({ Config: blobName(image.configDigest), RepoTags: ref ? [ref] : [], Layers: image.layers.map((l) => blobName(l.digest)) }))),
    })
  }
  files.push({ name: 'oci-layout', content: json({ imageLayoutVersion: '1.0.0' }) })
  mutate?.(files)
  return files
}

/** An OCI archive (`skopeo copy … oci-archive:`, `podman save --format oci-archive`). images: [{ image, ref?, withPlatform? }]. */
export function writeOciArchive(file, images, options) {
  writeFileSync(file, outerTar(layoutFiles(images, options)))
  return file
}

/** A `docker save` archive as Docker 25+ writes it: an OCI layout plus manifest.json. */
export function writeDockerArchive(file, images, options) {
  writeFileSync(file, outerTar(layoutFiles(images, { ...options, docker: true })))
  return file
}

/** An OCI layout directory (`skopeo copy … oci:DIR`). */
export function writeOciLayout(dir, images, options) {
  for (const f of layoutFiles(images, options)) {
    mkdirSync(dirname(join(dir, f.name)), { recursive: true })
    writeFileSync(join(dir, f.name), f.content)
  }
  return dir
}

/** A `docker save` archive in the legacy layout (Docker before 25): `<id>/layer.tar`, `<config>.json`, no manifest digest. */
export function writeLegacyDockerArchive(file, image, ref, { mutate } = {}) {
  const files = []
  const layerPaths = []
  for (const l of image.layers) {
    const id = sha256(l.raw)
    files.push({ name: `${id}/VERSION`, content: '1.0' }, { name: `${id}/layer.tar`, content: l.raw })
    layerPaths.push(`${id}/layer.tar`)
  }
  const cfgName = `${image.configDigest.slice(7)}.json`
  files.push({ name: cfgName, content: image.blobs.get(image.configDigest) })
  files.push({ name: 'manifest.json', content: json([{ Config: cfgName, RepoTags: ref ? [ref] : [], Layers: layerPaths }]) })
  mutate?.(files)
  writeFileSync(file, outerTar(files))
  return file
}

export const STATIC_BUSYBOX = ['/bin/busybox', '/usr/bin/busybox'].find((p) => existsSync(p))

/** Whether the busybox here is statically linked (Debian's busybox-static): it then runs in any root. */
export function busyboxIsStatic() {
  if (!STATIC_BUSYBOX) return false
  try {
    return /statically linked|static-pie/.test(execFileSync('file', ['-L', STATIC_BUSYBOX], { encoding: 'utf8' }))
  } catch {
    // No `file` tool: an ELF without a PT_INTERP program header is static.
    const b = readFileSync(STATIC_BUSYBOX)
    return !b.includes(Buffer.from('/lib64/ld-linux'))
  }
}

/** Layer entries for a busybox userland: the binary and one symlink per applet asked for. */
export function busyboxEntries(applets = ['sh', 'ls', 'cat', 'wget', 'nc', 'sleep', 'echo', 'env', 'id', 'mkdir', 'rm', 'touch']) {
  const entries = [
    { name: 'bin/', type: 'dir' },
    { name: 'bin/busybox', content: readFileSync(STATIC_BUSYBOX), mode: 0o755 },
  ]
  for (const a of applets) entries.push({ name: `bin/${a}`, type: 'symlink', linkname: 'busybox' })
  return entries
}

/**
 * Layer entries for a Node binary and the shared libraries `ldd` lists for it, at the same paths they have here
 * (so the image's own dynamic loader finds them), plus `usr/local/bin/node`.
 */
export function nodeEntries(nodeBinary = process.execPath) {
  const real = realpathSync(nodeBinary)
  const libs = execFileSync('ldd', [real], { encoding: 'utf8' })
    .split('\n')
    .map((l) => /(\/\S+)\s*\(0x/.exec(l)?.[1] ?? /=>\s*(\/\S+)/.exec(l)?.[1])
    .filter(Boolean)
  const entries = []
  const dirs = new Set()
  const addDirs = (p) => {
    const parts = p.split('/').slice(0, -1)
    for (let i = 1; i <= parts.length; i++) {
      const d = parts.slice(0, i).join('/') + '/'
      if (!dirs.has(d)) { dirs.add(d); entries.push({ name: d, type: 'dir' }) }
    }
  }
  for (const lib of [...new Set(libs)].sort()) {
    const name = lib.replace(/^\//, '')
    addDirs(name)
    entries.push({ name, content: readFileSync(realpathSync(lib)), mode: 0o755 })
  }
  addDirs('usr/local/bin/node')
  entries.push({ name: 'usr/local/bin/node', content: readFileSync(real), mode: 0o755 })
  return entries
}

/**
 * Layer entries for files of this host at their own paths: `add(path)` copies a file, directory or symbolic link
 * (kept as a link) once, with every parent directory before it; a path that does not exist is skipped.
 */
export function hostEntries() {
  const entries = []
  const seen = new Set()
  const add = (p) => {
    if (seen.has(p)) return
    let st
    try { st = lstatSync(p) } catch { return }
    const parts = p.split('/').filter(Boolean)
    for (let i = 1; i < parts.length; i++) {
      const d = `/${parts.slice(0, i).join('/')}`
      if (seen.has(d)) continue
      seen.add(d)
      entries.push(lstatSync(d).isSymbolicLink() ? { name: d.slice(1), type: 'symlink', linkname: readlinkSync(d) } : { name: `${d.slice(1)}/`, type: 'dir' })
    }
    seen.add(p)
    if (st.isSymbolicLink()) entries.push({ name: p.slice(1), type: 'symlink', linkname: readlinkSync(p) })
    else if (st.isDirectory()) entries.push({ name: `${p.slice(1)}/`, type: 'dir' })
    else if (st.isFile()) entries.push({ name: p.slice(1), content: readFileSync(p), mode: st.mode & 0o777 })
  }
  return { entries, add }
}
