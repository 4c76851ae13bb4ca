// Builds the example apps: esbuild bundle, public assets, and a deterministic release tarball per app.
import { build } from 'esbuild'
import { create as createTar, list as listTar } from 'tar'
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const HERE = dirname(fileURLToPath(import.meta.url))
export const APPS = ['selfhosted-app', 'leaky-app']
// Every entry in the tarball gets this mtime, so two builds are byte-identical.
const FIXED_MTIME = new Date('2024-01-01T00:00:00Z')

/**
 * Builds one app into `<outRoot>/<app>/dist` and `<outRoot>/<app>/release/<app>-<version>.tgz`.
 * outRoot defaults to examples/ itself; tests pass a temporary directory.
 */
export async function buildExample(app, { outRoot = HERE } = {}) {
  const appDir = join(HERE, app)
  const pkg = JSON.parse(readFileSync(join(appDir, 'package.json'), 'utf8'))
  const outDir = join(outRoot, app)
  const distDir = join(outDir, 'dist')
  const releaseDir = join(outDir, 'release')
  rmSync(distDir, { recursive: true, force: true })
  rmSync(releaseDir, { recursive: true, force: true })

  // Bundle as if into examples/<app>/dist wherever the output really goes: the paths in the source
  // map (and so the tarball) then do not depend on the output directory.
  const canonicalDist = join(appDir, 'dist')
  const result = await build({
    entryPoints: [join(appDir, 'src/server.ts')],
    outfile: join(canonicalDist, 'server.js'),
    write: false,
    bundle: true,
    platform: 'node',
    target: 'node20.18',
    format: 'esm',
    minify: false,
    sourcemap: 'linked',
    absWorkingDir: HERE,
    logLevel: 'warning',
    define: { __APP_NAME__: JSON.stringify(pkg.name), __APP_VERSION__: JSON.stringify(pkg.version) },
    legalComments: 'none',
  })
  for (const file of result.outputFiles) {
    const target = join(distDir, relative(canonicalDist, file.path))
    mkdirSync(dirname(target), { recursive: true })
    writeFileSync(target, file.contents)
  }

  // Public assets: the base app's, then the app's own files on top (the leaky app overrides a few).
  const publicOut = join(distDir, 'public')
  // package.json "rackhouse.base" names the app this one is built on top of.
  const baseDir = pkg.rackhouse?.base ? resolve(appDir, pkg.rackhouse.base) : undefined
  for (const dir of [baseDir, appDir]) {
    if (dir && existsSync(join(dir, 'public'))) cpSync(join(dir, 'public'), publicOut, { recursive: true })
  }

  // Stage exactly what ships: package/{dist,package.json,README.md,config.example.json}.
  const stage = join(releaseDir, '.stage')
  const packageDir = join(stage, 'package')
  mkdirSync(packageDir, { recursive: true })
  cpSync(distDir, join(packageDir, 'dist'), { recursive: true })
  const shipped = {
    name: pkg.name,
    version: pkg.version,
    description: pkg.description,
    license: pkg.license,
    private: true,
    type: 'module',
    engines: pkg.engines,
    scripts: { start: 'node dist/server.js' },
  }
  writeFileSync(join(packageDir, 'package.json'), JSON.stringify(shipped, null, 2) + '\n')
  for (const extra of ['README.md', 'config.example.json']) {
    const from = [appDir, baseDir].filter(Boolean).map((dir) => join(dir, extra)).find((path) => existsSync(path))
    if (from) cpSync(from, join(packageDir, extra))
  }

  const entries = listSorted(stage, packageDir)
  // Mode bits depend on the umask of whoever builds: pin them.
  for (const entry of entries) {
    const path = join(stage, entry)
    chmodSync(path, entry.endsWith('/') ? 0o755 : 0o644)
    utimesSync(path, FIXED_MTIME, FIXED_MTIME)
  }
  const tarball = join(releaseDir, `${pkg.name}-${pkg.version}.tgz`)
  await createTar(
    {
      file: tarball,
      cwd: stage,
      gzip: { level: 9 },
      portable: true,
      mtime: FIXED_MTIME,
      noDirRecurse: true,
    },
    entries,
  )
  rmSync(stage, { recursive: true, force: true })
  return { app, version: pkg.version, distDir, tarball, entries }
}

/** Lists a directory tree as tar entry names ("package/", "package/dist/x.js"), directories first, sorted. */
function listSorted(root, dir) {
  const out = [relative(root, dir) + '/']
  const names = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  for (const entry of names) {
    const full = join(dir, entry.name)
    if (entry.isDirectory()) out.push(...listSorted(root, full))
    else out.push(relative(root, full))
  }
  return out
}

/**
 * The app as a vendor ships it for containers: an OCI image archive (`<app>-<version>-image.tar`, what
 * `podman save --format oci-archive` or `skopeo copy … oci-archive:` give) of this machine's Node.js binary and
 * the libraries it needs, with the release tarball's `package/` as `/app`; `node dist/server.js` in `/app`,
 * listening on 0.0.0.0:8080. Written by the writer the tests use (test/helpers/image-writer.mjs): fixed mtimes
 * and owners, sorted entries, so two builds on one machine are byte-identical.
 */
export async function buildExampleImage(app, { outRoot = HERE } = {}) {
  const { buildImage, nodeEntries, writeOciArchive } = await import('../test/helpers/image-writer.mjs')
  const pkg = JSON.parse(readFileSync(join(HERE, app, 'package.json'), 'utf8'))
  const tarball = join(outRoot, app, 'release', `${pkg.name}-${pkg.version}.tgz`)
  const appEntries = []
  await listTar({
    file: tarball,
    onReadEntry(entry) {
      const chunks = []
      entry.on('data', (c) => chunks.push(c))
      entry.on('end', () => {
        const name = entry.path.replace(/^package\//, 'app/')
        appEntries.push(entry.type === 'Directory' ? { name, type: 'dir' } : { name, content: Buffer.concat(chunks), mode: 0o644 })
      })
    },
  })
  const image = buildImage({
    layers: [{ entries: nodeEntries(), compression: 'none' }, { entries: appEntries }],
    config: {
      Cmd: ['node', 'dist/server.js'],
      WorkingDir: '/app',
      Env: ['PATH=/usr/local/bin:/usr/bin:/bin', 'HOST=0.0.0.0', 'PORT=8080', 'NODE_ENV=production'],
      ExposedPorts: { '8080/tcp': {} },
    },
  })
  const file = join(outRoot, app, 'release', `${pkg.name}-${pkg.version}-image.tar`)
  writeOciArchive(file, [{ image, ref: `rackhouse/${pkg.name}:${pkg.version}` }])
  return { app, image: file, manifestDigest: image.manifestDigest }
}

export async function buildExamples(options) {
  const results = []
  for (const app of APPS) results.push(await buildExample(app, options))
  return results
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outIndex = process.argv.indexOf('--out')
  const outRoot = outIndex === -1 ? undefined : resolve(process.argv[outIndex + 1])
  for (const result of await buildExamples({ outRoot })) {
    console.log(`${result.app} ${result.version}: ${relative(process.cwd(), result.tarball)} (${result.entries.length} entries)`)
  }
  // The container image of the self-hosted app (about 100 MB: this machine's Node.js binary is in it).
  const image = await buildExampleImage('selfhosted-app', { outRoot })
  console.log(`selfhosted-app image: ${relative(process.cwd(), image.image)} (${image.manifestDigest})`)
}
