// Container images, side by side in one run (medians of alternating runs, ratios per pair):
//   1. unpacking an image (digests checked, whiteouts, limits) vs GNU tar -xzf of its layer plus sha256sum;
//   2. `run --image … -- /bin/true` vs `run -- /bin/true` (what the image's root costs a run), when namespaces work.
// The image is built here from this host's Debian packages (dpkg lists) and static busybox. Usage:
//   npm run build && node scripts/bench-image.mjs [runs]
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { buildImage, busyboxEntries, busyboxIsStatic, hostEntries, layerTar, writeOciArchive } from '../test/helpers/image-writer.mjs'
import { gzipSync } from 'node:zlib'

const root = new URL('..', import.meta.url).pathname
const cli = join(root, 'dist/cli.js')
const runs = Number(process.argv[2] ?? 5)
const tmp = mkdtempSync(join(tmpdir(), 'nph-bench-image-'))
const PACKAGES = ['libc6', 'coreutils', 'bash', 'gzip', 'grep', 'sed', 'tar', 'perl-base', 'libssl3', 'openssl']

const list = (p) => [`/var/lib/dpkg/info/${p}.list`, `/var/lib/dpkg/info/${p}:amd64.list`].find((f) => existsSync(f))
if (!PACKAGES.every(list)) { console.log('needs a Debian host with', PACKAGES.join(' ')); process.exit(0) }

const { entries, add } = hostEntries()
// Listed paths through their real directories (`/bin/cat` is `/usr/bin/cat` with merged /usr), as image layers hold them.
const real = (p) => { try { return join(realpathSync(dirname(p)), basename(p)) } catch { return p } }
for (const p of PACKAGES) for (const line of readFileSync(list(p), 'utf8').split('\n')) if (line && line !== '/.') add(real(line))
const layer = gzipSync(layerTar(entries), { level: 6 })
const layerFile = join(tmp, 'layer.tgz')
writeFileSync(layerFile, layer)
const image = join(tmp, 'debian.tar')
writeOciArchive(image, [{ image: buildImage({ layers: [{ entries, compress: () => layer }], config: { Cmd: ['/bin/true'] } }) }])
console.log(`image: ${entries.length} entries, ${(layer.length / 1048576).toFixed(1)} MiB gzip'd layer, ${runs} runs each`)

const unpackScript = join(tmp, 'unpack.mjs')
writeFileSync(unpackScript, `const { openImage } = await import(${JSON.stringify(join(root, 'dist/internal.js'))})\nconst i = await openImage(process.argv[2], {}, { maxEntries: 1e6, maxTotalSize: 1e10 })\ni.cleanup()\n`)

function time(cmd, args) {
  const t = process.hrtime.bigint()
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] })
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: exit ${r.status}\n${r.stderr}`)
  return Number(process.hrtime.bigint() - t) / 1e6
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

function pair(name, a, b) {
  time(...a); time(...b)
  const as = [], bs = [], ratios = []
  for (let i = 0; i < runs; i++) {
    const x = time(...a)
    const y = time(...b)
    as.push(x); bs.push(y); ratios.push(x / y)
  }
  console.log(`${name}: ${median(as).toFixed(0)} ms vs ${median(bs).toFixed(0)} ms, ratio median ${median(ratios).toFixed(2)} (min ${Math.min(...ratios).toFixed(2)}, max ${Math.max(...ratios).toFixed(2)})`)
}

try {
  const tarDir = join(tmp, 'by-tar')
  pair('unpack: openImage vs tar -xzf + sha256sum', [process.execPath, [unpackScript, image]],
    ['sh', ['-c', `rm -rf ${tarDir} && mkdir ${tarDir} && tar --keep-directory-symlink -xzf ${layerFile} -C ${tarDir} && sha256sum ${layerFile} >/dev/null && rm -rf ${tarDir}`]])
  const namespaces = spawnSync('unshare', ['-rn', 'true']).status === 0
  if (namespaces && busyboxIsStatic()) {
    const small = join(tmp, 'busybox.tar')
    writeOciArchive(small, [{ image: buildImage({ layers: [{ entries: busyboxEntries(['sh', 'true']) }], config: { Cmd: ['/bin/true'] } }) }])
    pair('run: --image (busybox image) vs plain, /bin/true', [process.execPath, [cli, 'run', '--image', small, '--', '/bin/true']], [process.execPath, [cli, 'run', '--', '/bin/true']])
  } else {
    console.log('run: skipped (no user namespaces or no static busybox here)')
  }
} finally {
  rmSync(tmp, { recursive: true, force: true })
}
