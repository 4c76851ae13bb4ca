// Reads a container image as vendors ship it — a `docker save` archive, an OCI archive or an OCI layout directory —
// picks one image and platform, checks every blob's digest, and unpacks its layers into a private root directory.
import { createHash, type Hash } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { arch, tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { Transform, pipeline, type Readable } from 'node:stream'
import * as zlib from 'node:zlib'
import type { ImageReport, NotAnalysed } from '../../report/finding.ts'
import { ImageDigestMismatchError, ImageInvalidError } from '../../errors.ts'
import { MAX_JSON_BYTES, isImageArchive, isImageDirectory, openBlobSource, type BlobSource } from './image-source.ts'
import { applyLayer, finishLayers, newLayerState } from './image-layers.ts'

/** What the image's config says about how it starts (the OCI config's `config` object). */
export interface ImageRunConfig {
  entrypoint?: string[]
  cmd?: string[]
  workingDir?: string
  user?: string
  env: string[]
  exposedPorts: string[]
}

/**
 * The image as identified and chosen: goes into the report's `image` (ImageReport, which documents the fields) and
 * the verification record.
 */
export interface ImageInfo extends Pick<ImageReport, 'format' | 'ref' | 'refs' | 'platform' | 'manifestDigest' | 'configDigest' | 'choice'> {
  layers: Array<{ blob: string; digest?: string; diffId?: string; size: number; compression: 'gzip' | 'zstd' | 'none' }>
  config: ImageRunConfig
}

export interface OpenedImage {
  /** The unpacked root file system (a private temp directory). */
  root: string
  info: ImageInfo
  /** Entries that were refused or could not be unpacked, and limits that stopped the unpacking. */
  notAnalysed: NotAnalysed[]
  /** Set when a limit stopped the unpacking: the root is incomplete and must not be run. */
  incomplete?: string
  cleanup(): void
}

export interface ImageSelection {
  /** `--image REF`: a name (`vendor/app:1.2`, a tag, `docker.io/…`) or a digest prefix (`sha256:ab…`). */
  ref?: string
  /** `--platform os/arch[/variant]`. */
  platform?: string
}

export interface ImageLimits {
  maxEntries: number
  maxTotalSize: number
}

const INDEX_TYPES = new Set(['application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json'])
const DIGEST_RE = /^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/

/** Whether a path is a container image: an OCI layout directory, or a docker/OCI image archive. */
export async function isImage(path: string): Promise<boolean> {
  return isImageDirectory(path) || (await isImageArchive(path))
}

/** `linux/amd64` for this host (how Go names architectures, as image platforms do). */
export function hostPlatform(): string {
  const a = arch()
  return `linux/${a === 'x64' ? 'amd64' : a === 'ia32' ? '386' : a}`
}

interface Candidate {
  names: string[]
  platform?: string
  /** OCI: the manifest's descriptor. */
  manifest?: Descriptor
  /** docker-archive (legacy): paths of the config and layers inside the archive. */
  legacy?: { config: string; layers: string[] }
}

interface Descriptor { mediaType?: string; digest: string; size: number; annotations?: Record<string, string>; platform?: { os?: string; architecture?: string; variant?: string } }

/**
 * Opens an image, picks one image and platform, verifies the manifest, config and layer digests (and the
 * uncompressed layers against the config's `rootfs.diff_ids`), and unpacks the layers into a temp root.
 * Throws ImageInvalidError (malformed, nothing to pick, ambiguous) or ImageDigestMismatchError (names the blob).
 */
export async function openImage(path: string, selection: ImageSelection, limits: ImageLimits): Promise<OpenedImage> {
  const display = basename(path.replace(/[\\/]+$/, '')) || path
  const source = await openBlobSource(path, { maxEntries: limits.maxEntries, maxTotalBytes: limits.maxTotalSize })
  const root = mkdtempSync(join(tmpdir(), 'nophonehome-rootfs-'))
  const cleanup = () => rmSync(root, { recursive: true, force: true })
  try {
    const isOci = source.has('index.json')
    const format: ImageInfo['format'] = source.kind === 'directory' ? 'oci-layout' : source.has('manifest.json') ? 'docker-archive' : 'oci-archive'
    const dockerTags = readDockerManifest(source)
    const candidates = isOci ? ociCandidates(source, dockerTags) : legacyCandidates(dockerTags)
    const { chosen, choice } = choose(candidates, selection, source, display)

    let configBlob: string
    let layerDescs: Array<{ blob: string; digest?: string; size?: number }>
    if (chosen.manifest) {
      const manifest = readJsonBlob(source, chosen.manifest, 'manifest') as { config?: Descriptor; layers?: Descriptor[]; mediaType?: string }
      const config = checkDescriptor(manifest.config, `manifest ${chosen.manifest.digest} config`)
      if (!Array.isArray(manifest.layers)) throw new ImageInvalidError(`manifest ${chosen.manifest.digest}: no layers list`)
      configBlob = blobPath(config.digest)
      readJsonBlob(source, config, 'config')
      layerDescs = manifest.layers.map((l, i) => {
        const d = checkDescriptor(l, `manifest ${chosen.manifest!.digest} layers[${i}]`)
        return { blob: blobPath(d.digest), digest: d.digest, size: d.size }
      })
    } else {
      configBlob = chosen.legacy!.config
      layerDescs = chosen.legacy!.layers.map((blob) => ({ blob, digest: digestFromBlobPath(blob) }))
    }
    const configBytes = source.readSmall(configBlob, MAX_JSON_BYTES)
    const configDigest = `sha256:${createHash('sha256').update(configBytes).digest('hex')}`
    const namedDigest = digestFromBlobPath(configBlob)
    if (namedDigest && namedDigest.startsWith('sha256:') && namedDigest !== configDigest) {
      throw new ImageDigestMismatchError(configBlob, `${display}: config blob ${configBlob} has digest ${configDigest}, not the ${namedDigest} its name says`, 'The archive was altered or damaged after it was written: get it again from the vendor.')
    }
    const config = parseJson(configBytes, `config ${configBlob}`) as OciConfig
    const diffIds = Array.isArray(config.rootfs?.diff_ids) ? config.rootfs!.diff_ids! : undefined
    if (!diffIds || diffIds.length !== layerDescs.length) {
      throw new ImageInvalidError(`${display}: the config lists ${diffIds?.length ?? 'no'} layer diff_ids for ${layerDescs.length} layers`)
    }
    const info: ImageInfo = {
      format,
      ...(selection.ref ? { ref: selection.ref } : chosen.names[0] ? { ref: chosen.names[0] } : {}),
      refs: chosen.names,
      ...(platformOf(chosen, config) ? { platform: platformOf(chosen, config) } : {}),
      ...(chosen.manifest ? { manifestDigest: chosen.manifest.digest } : {}),
      configDigest,
      layers: [],
      choice,
      config: runConfigOf(config),
    }

    const state = newLayerState(root, display, { maxEntries: limits.maxEntries, maxTotalBytes: limits.maxTotalSize })
    for (const [i, layer] of layerDescs.entries()) {
      if (state.stopped) break
      if (!source.has(layer.blob)) throw new ImageInvalidError(`${display}: layer ${layer.blob} is missing from the archive`)
      const compression = sniffCompression(source.readHead(layer.blob, 4))
      const r = await unpackLayer(source, layer.blob, compression, `layer ${i + 1}/${layerDescs.length}`, state)
      if (r.stoppedEarly) break
      if (layer.size !== undefined && r.rawSize !== layer.size) {
        throw new ImageDigestMismatchError(layer.blob, `${display}: layer ${layer.blob} is ${r.rawSize} bytes, the manifest says ${layer.size}`, 'The archive was altered or damaged after it was written: get it again from the vendor.')
      }
      const rawDigest = `${(layer.digest ?? 'sha256:').split(':')[0]}:${r.rawHex}`
      if (layer.digest && rawDigest !== layer.digest) {
        throw new ImageDigestMismatchError(layer.blob, `${display}: layer ${layer.blob} has digest ${rawDigest}, the manifest says ${layer.digest}`, 'The archive was altered or damaged after it was written: get it again from the vendor.')
      }
      const diffId = `sha256:${r.diffHex}`
      if (diffId !== diffIds[i]) {
        throw new ImageDigestMismatchError(layer.blob, `${display}: layer ${layer.blob} unpacks to content with digest ${diffId}, the config's rootfs.diff_ids[${i}] says ${diffIds[i]}`, 'The archive was altered or damaged after it was written: get it again from the vendor.')
      }
      info.layers.push({ blob: layer.blob, ...(layer.digest ? { digest: layer.digest } : {}), diffId, size: r.rawSize, compression })
    }
    finishLayers(state)
    return { root, info, notAnalysed: state.notAnalysed, ...(state.stopped ? { incomplete: state.stopped } : {}), cleanup }
  } catch (err) {
    cleanup()
    throw err
  } finally {
    source.close()
  }
}

interface OciConfig {
  os?: string
  architecture?: string
  variant?: string
  config?: { Entrypoint?: unknown; Cmd?: unknown; WorkingDir?: unknown; User?: unknown; Env?: unknown; ExposedPorts?: unknown }
  rootfs?: { diff_ids?: string[] }
}

function runConfigOf(c: OciConfig): ImageRunConfig {
  const cfg = c.config ?? {}
  const strings = (v: unknown) => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined)
  const out: ImageRunConfig = {
    env: strings(cfg.Env) ?? [],
    exposedPorts: cfg.ExposedPorts && typeof cfg.ExposedPorts === 'object' ? Object.keys(cfg.ExposedPorts).sort() : [],
  }
  const entrypoint = strings(cfg.Entrypoint)
  const cmd = strings(cfg.Cmd)
  if (entrypoint?.length) out.entrypoint = entrypoint
  if (cmd?.length) out.cmd = cmd
  if (typeof cfg.WorkingDir === 'string' && cfg.WorkingDir) out.workingDir = cfg.WorkingDir
  if (typeof cfg.User === 'string' && cfg.User) out.user = cfg.User
  return out
}

function platformOf(c: Candidate, config: OciConfig): string | undefined {
  if (c.platform) return c.platform
  if (typeof config.os === 'string' && typeof config.architecture === 'string') return [config.os, config.architecture, config.variant].filter((x) => typeof x === 'string' && x).join('/')
  return undefined
}

function parseJson(bytes: Buffer, what: string): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'))
  } catch (err) {
    throw new ImageInvalidError(`${what}: not JSON (${(err as Error).message})`)
  }
}

function blobPath(digest: string): string {
  const [alg, hex] = digest.split(':')
  return `blobs/${alg}/${hex}`
}

function digestFromBlobPath(path: string): string | undefined {
  const m = /^blobs\/(sha256|sha512)\/([a-f0-9]+)$/.exec(path) ?? /^([a-f0-9]{64})\.json$/.exec(path)
  if (!m) return undefined
  return m.length === 3 ? `${m[1]}:${m[2]}` : `sha256:${m[1]}`
}

function checkDescriptor(d: unknown, where: string): Descriptor {
  const x = d as Partial<Descriptor> | undefined
  if (!x || typeof x !== 'object' || typeof x.digest !== 'string' || !DIGEST_RE.test(x.digest)) throw new ImageInvalidError(`${where}: missing or malformed digest`)
  if (typeof x.size !== 'number' || !Number.isSafeInteger(x.size) || x.size < 0) throw new ImageInvalidError(`${where}: missing or malformed size`)
  return x as Descriptor
}

/** Reads a JSON blob by descriptor and checks its size and digest first. */
function readJsonBlob(source: BlobSource, d: Descriptor, what: string): unknown {
  const path = blobPath(d.digest)
  if (!source.has(path)) throw new ImageInvalidError(`${what} ${d.digest}: blob ${path} is missing from the image`)
  const bytes = source.readSmall(path, MAX_JSON_BYTES)
  const [alg] = d.digest.split(':')
  const got = `${alg}:${createHash(alg).update(bytes).digest('hex')}`
  if (got !== d.digest || bytes.length !== d.size) {
    throw new ImageDigestMismatchError(path, `${what} blob ${path} has digest ${got} (${bytes.length} bytes), the image says ${d.digest} (${d.size} bytes)`, 'The archive was altered or damaged after it was written: get it again from the vendor.')
  }
  return parseJson(bytes, `${what} ${path}`)
}

/** docker save's manifest.json: [{ Config, RepoTags, Layers }]; absent in plain OCI layouts. */
function readDockerManifest(source: BlobSource): Array<{ config: string; tags: string[]; layers: string[] }> | undefined {
  if (!source.has('manifest.json')) return undefined
  const v = parseJson(source.readSmall('manifest.json', MAX_JSON_BYTES), 'manifest.json')
  if (!Array.isArray(v)) throw new ImageInvalidError('manifest.json: expected a list of images')
  return v.map((e, i) => {
    const x = e as { Config?: unknown; RepoTags?: unknown; Layers?: unknown }
    if (typeof x?.Config !== 'string' || !Array.isArray(x.Layers) || !x.Layers.every((l) => typeof l === 'string')) throw new ImageInvalidError(`manifest.json[${i}]: needs Config and Layers`)
    const tags = Array.isArray(x.RepoTags) ? x.RepoTags.filter((t): t is string => typeof t === 'string') : []
    return { config: x.Config, tags, layers: x.Layers as string[] }
  })
}

function legacyCandidates(docker: ReturnType<typeof readDockerManifest>): Candidate[] {
  if (!docker) throw new ImageInvalidError('not a container image: neither index.json (OCI) nor manifest.json (docker save) is in it', 'Pass the file `docker save`, `podman save` or `skopeo copy … oci-archive:` wrote, or an OCI layout directory.')
  return docker.map((d) => ({ names: d.tags, legacy: { config: d.config, layers: d.layers } }))
}

/** Every image manifest an OCI index leads to (nested indexes for multi-platform images), with names and platform. */
function ociCandidates(source: BlobSource, docker: ReturnType<typeof readDockerManifest>): Candidate[] {
  const index = parseJson(source.readSmall('index.json', MAX_JSON_BYTES), 'index.json') as { manifests?: unknown }
  if (!Array.isArray(index?.manifests)) throw new ImageInvalidError('index.json: no manifests list')
  // docker save (25+) writes both: its manifest.json gives RepoTags per config blob.
  const tagsByConfig = new Map((docker ?? []).map((d) => [d.config, d.tags]))
  const out: Candidate[] = []
  const walk = (list: unknown[], names: string[], depth: number, where: string) => {
    for (const [i, raw] of list.entries()) {
      const d = checkDescriptor(raw, `${where}[${i}]`)
      const ann = d.annotations ?? {}
      if (ann['vnd.docker.reference.type'] === 'attestation-manifest') continue
      const own = [ann['io.containerd.image.name'], ann['org.opencontainers.image.ref.name']].filter((n): n is string => typeof n === 'string' && !!n)
      const allNames = [...new Set([...names, ...own])]
      if (d.mediaType && INDEX_TYPES.has(d.mediaType)) {
        if (depth >= 3) throw new ImageInvalidError(`${where}[${i}]: image indexes nested too deeply`)
        const nested = readJsonBlob(source, d, 'index') as { manifests?: unknown }
        if (!Array.isArray(nested?.manifests)) throw new ImageInvalidError(`index ${d.digest}: no manifests list`)
        walk(nested.manifests, allNames, depth + 1, `index ${d.digest} manifests`)
        continue
      }
      const p = d.platform
      const platform = p?.os && p.architecture ? [p.os, p.architecture, p.variant].filter(Boolean).join('/') : undefined
      if (platform === 'unknown/unknown') continue
      const c: Candidate = { names: allNames, manifest: d, ...(platform ? { platform } : {}) }
      out.push(c)
    }
  }
  walk(index.manifests, [], 0, 'index.json manifests')
  if (tagsByConfig.size) {
    // Names from manifest.json are found through each manifest's config blob (manifests are small).
    for (const c of out) {
      try {
        const m = readJsonBlob(source, c.manifest!, 'manifest') as { config?: Descriptor }
        const tags = m.config?.digest ? tagsByConfig.get(blobPath(m.config.digest)) : undefined
        if (tags) c.names = [...new Set([...tags, ...c.names])]
      } catch (err) {
        if (err instanceof ImageDigestMismatchError) throw err
      }
    }
  }
  return out
}

/** `docker.io/library/x:latest`, `library/x`, `x` and `x:latest` name the same image. */
function normaliseRef(ref: string): string {
  let r = ref.trim()
  r = r.replace(/^docker\.io\//, '').replace(/^index\.docker\.io\//, '').replace(/^library\//, '')
  const lastSlash = r.lastIndexOf('/')
  if (!r.slice(lastSlash + 1).includes(':') && !r.includes('@')) r += ':latest'
  return r
}

function matchesRef(c: Candidate, ref: string): boolean {
  if (/^sha(256|512):[a-f0-9]+$/.test(ref)) return !!c.manifest?.digest.startsWith(ref)
  const want = normaliseRef(ref)
  return c.names.some((n) => n === ref || normaliseRef(n) === want)
}

function describe(c: Candidate): string {
  return `${c.names[0] ?? c.manifest?.digest ?? c.legacy?.config ?? '?'}${c.platform ? ` (${c.platform})` : ''}`
}

function choose(all: Candidate[], sel: ImageSelection, source: BlobSource, display: string): { chosen: Candidate; choice: string } {
  if (!all.length) throw new ImageInvalidError(`${display}: the archive holds no image manifest`)
  let list = all
  const why: string[] = []
  if (sel.ref) {
    list = list.filter((c) => matchesRef(c, sel.ref!))
    if (!list.length) throw new ImageInvalidError(`${display}: no image named ${sel.ref}; it holds: ${all.map(describe).join(', ')}`, 'Pick one of those with --image REF.')
    why.push(`--image ${sel.ref}`)
  }
  const platformOfCandidate = (c: Candidate): string | undefined => {
    if (c.platform) return c.platform
    try {
      const cfgPath = c.manifest ? blobPath((readJsonBlob(source, c.manifest, 'manifest') as { config: Descriptor }).config.digest) : c.legacy!.config
      const cfg = parseJson(source.readSmall(cfgPath, MAX_JSON_BYTES), 'config') as OciConfig
      return cfg.os && cfg.architecture ? [cfg.os, cfg.architecture, cfg.variant].filter(Boolean).join('/') : undefined
    } catch (err) {
      if (err instanceof ImageDigestMismatchError) throw err
      return undefined
    }
  }
  if (sel.platform) {
    const want = sel.platform.toLowerCase()
    list = list.filter((c) => {
      const p = platformOfCandidate(c)
      return !!p && (p === want || (!want.split('/')[2] && p.split('/').slice(0, 2).join('/') === want))
    })
    if (!list.length) throw new ImageInvalidError(`${display}: no image for platform ${sel.platform}; it holds: ${all.map((c) => `${describe(c)} ${c.platform ? '' : platformOfCandidate(c) ?? 'unknown platform'}`.trim()).join(', ')}`, 'Pick one of those with --platform os/arch.')
    why.push(`--platform ${sel.platform}`)
  }
  // Several images (not several platforms of one image): the user must say which.
  const identities = new Set(list.map((c) => c.names.join('\0')))
  if (identities.size > 1) throw new ImageInvalidError(`${display}: holds ${identities.size} images: ${list.map(describe).join(', ')}`, 'Pick one with --image REF (a name or a manifest digest).')
  if (list.length > 1) {
    const host = hostPlatform()
    const onHost = list.filter((c) => platformOfCandidate(c)?.startsWith(host))
    if (onHost.length !== 1) throw new ImageInvalidError(`${display}: holds ${list.length} platforms: ${list.map((c) => platformOfCandidate(c) ?? '?').join(', ')}`, 'Pick one with --platform os/arch.')
    list = onHost
    why.push(`this host's platform (${host}) among ${all.length}`)
  }
  if (!why.length) why.push('the only image in the archive')
  return { chosen: list[0], choice: why.join(', ') }
}

function sniffCompression(head: Buffer): 'gzip' | 'zstd' | 'none' {
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip'
  if (head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return 'zstd'
  return 'none'
}

function hashing(hash: Hash, count: { bytes: number }, limit?: { max: number; onOver: () => void }): Transform {
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk)
      count.bytes += chunk.length
      if (limit && count.bytes > limit.max) { limit.onOver(); cb(); return }
      cb(null, chunk)
    },
  })
}

/**
 * Streams one layer blob: hashes the bytes as stored (the manifest's digest), decompresses, hashes the tar (the
 * config's diff_id), and unpacks it. Every layer's uncompressed bytes count towards the total size limit, so a
 * layer that inflates without end (a gzip bomb, even one of padding, not entries) stops there.
 */
async function unpackLayer(
  source: BlobSource, blob: string, compression: 'gzip' | 'zstd' | 'none', label: string, state: ReturnType<typeof newLayerState>,
): Promise<{ rawHex: string; diffHex: string; rawSize: number; stoppedEarly: boolean }> {
  let decompress: Transform | undefined
  if (compression === 'gzip') decompress = zlib.createGunzip()
  else if (compression === 'zstd') {
    const make = (zlib as unknown as { createZstdDecompress?: () => Transform }).createZstdDecompress
    if (!make) throw new ImageInvalidError(`layer ${blob} is zstd-compressed, and this Node.js (${process.version}) cannot decompress zstd`, 'Run nophonehome on Node.js 22.15 or later, or convert the image to gzip layers (skopeo copy --dest-compress-format gzip).')
    decompress = make()
  }
  const rawHash = createHash(blob.startsWith('blobs/sha512/') ? 'sha512' : 'sha256')
  const diffHash = createHash('sha256')
  const raw = { bytes: 0 }
  const unpacked = { bytes: 0 }
  const maxUnpacked = Math.max(0, state.limits.maxTotalBytes - state.bytes) + 1024 * 1024
  let over = false
  const input = source.open(blob)
  const stages: Array<Readable | Transform> = [input, hashing(rawHash, raw)]
  if (decompress) stages.push(decompress)
  const tail = hashing(diffHash, unpacked, {
    max: maxUnpacked,
    onOver: () => {
      if (over) return
      over = true
      state.stopped = `the image's layers unpack to more than ${state.limits.maxTotalBytes} bytes; the rest was not unpacked (--max-total-size)`
      state.notAnalysed.push({ file: state.display, reason: state.stopped })
      input.destroy()
      tail.end()
    },
  })
  stages.push(tail)
  let streamError: Error | undefined
  const done = new Promise<void>((resolve) => {
    pipeline(stages as unknown as [Readable, Transform], (err) => { if (err && !over && !state.stopped) streamError = err; resolve() })
  })
  try {
    await applyLayer(tail, label, state)
  } catch (err) {
    if (!state.stopped) streamError ??= err as Error
    input.destroy()
  }
  // The tar ends before its blob does (end-of-archive blocks, padding): drain the rest so the digests cover it all.
  tail.resume()
  await done
  if (streamError && !state.stopped) {
    throw new ImageInvalidError(`${label} (${blob}) cannot be read: ${streamError.message}`, 'The archive is damaged or truncated: get it again from the vendor.')
  }
  return { rawHex: rawHash.digest('hex'), diffHex: diffHash.digest('hex'), rawSize: raw.bytes, stoppedEarly: !!state.stopped }
}
