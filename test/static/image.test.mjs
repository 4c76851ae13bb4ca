// Container images in the static lens (issue 17): docker save, OCI archives and layouts read offline; the image
// and platform picked; layers applied with whiteouts; entry points, native code and other languages from the image.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { CLI, ROOT, importDist, runCli, scanJson } from '../helpers/index.mjs'
import {
  buildImage, writeDockerArchive, writeLegacyDockerArchive, writeOciArchive, writeOciLayout, busyboxEntries, hostEntries, STATIC_BUSYBOX,
} from '../helpers/image-writer.mjs'

const tmp = mkdtempSync(join(tmpdir(), 'nph-image-'))
test.after(() => rmSync(tmp, { recursive: true, force: true }))
let n = 0
const path = (name) => join(tmp, `${n++}-${name}`)

const SERVER = 'const http = require("node:http")\nhttp.createServer((q, s) => s.end("ok")).listen(8080)\nfetch("https://usage.vendor.invalid/ping")\n'
const appLayer = (extra = []) => ({
  entries: [
    { name: 'app/', type: 'dir' },
    { name: 'app/server.js', content: SERVER },
    { name: 'app/lib/', type: 'dir' },
    { name: 'app/lib/unused.js', content: 'module.exports = 1\n' },
    ...extra,
  ],
})
const base = () => ({ entries: [{ name: 'etc/', type: 'dir' }, { name: 'etc/os-release', content: 'ID=test\n' }] })
const CONFIG = { Cmd: ['node', 'server.js'], WorkingDir: '/app', Env: ['PATH=/usr/local/bin:/bin'], ExposedPorts: { '8080/tcp': {} } }

async function scan(target, extra = []) {
  const r = await scanJson(['scan', target, '--no-cache', '--show-info', ...extra], { cwd: tmp })
  assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.stderr}`)
  return r
}

test('reads a docker save archive, an OCI archive, an OCI layout and a legacy docker save alike, with their digests', async () => {
  const image = buildImage({ layers: [base(), appLayer()], config: CONFIG })
  const targets = {
    docker: writeDockerArchive(path('docker.tar'), [{ image, ref: 'vendor/app:1.4.2' }]),
    oci: writeOciArchive(path('oci.tar'), [{ image, ref: 'vendor/app:1.4.2' }]),
    layout: writeOciLayout(path('layout'), [{ image, ref: 'vendor/app:1.4.2' }]),
    legacy: writeLegacyDockerArchive(path('legacy.tar'), image, 'vendor/app:1.4.2'),
  }
  const fingerprints = []
  for (const [kind, target] of Object.entries(targets)) {
    const { report } = await scan(target)
    assert.equal(report.image.format, { docker: 'docker-archive', oci: 'oci-archive', layout: 'oci-layout', legacy: 'docker-archive' }[kind])
    assert.equal(report.image.configDigest, image.configDigest, kind)
    if (kind === 'legacy') assert.equal(report.image.manifestDigest, undefined, 'legacy docker save has no manifest')
    else assert.equal(report.image.manifestDigest, image.manifestDigest, kind)
    assert.deepEqual(report.image.entryPoints, ['app/server.js'])
    assert.equal(report.image.platform, 'linux/amd64')
    const sink = report.findings.find((f) => f.rule === 'net-sink')
    assert.equal(sink.location.file, 'app/server.js', kind)
    assert.equal(sink.destination.host, 'usage.vendor.invalid')
    fingerprints.push(report.findings.map((f) => f.fingerprint).sort().join())
  }
  assert.equal(new Set(fingerprints).size, 1, 'the same image gives the same findings whatever the archive format')
})

test('reads a gzip-compressed docker save archive (docker save | gzip)', async () => {
  const image = buildImage({ layers: [appLayer()], config: CONFIG })
  const tar = writeDockerArchive(path('plain.tar'), [{ image, ref: 'vendor/app:1' }])
  const gz = path('image.tar.gz')
  writeFileSync(gz, gzipSync(readFileSync(tar)))
  const { report } = await scan(gz)
  assert.equal(report.image.manifestDigest, image.manifestDigest)
  assert.ok(report.findings.some((f) => f.rule === 'net-sink' && f.location.file === 'app/server.js'))
})

test('reads uncompressed and gzip layers, and says which was which', async () => {
  const image = buildImage({ layers: [{ ...base(), compression: 'none' }, { ...appLayer(), compression: 'gzip' }], config: CONFIG })
  const { report } = await scan(writeOciArchive(path('mixed.tar'), [{ image }]))
  assert.deepEqual(report.image.layers.map((l) => l.compression), ['none', 'gzip'])
  assert.deepEqual(report.image.layers.map((l) => l.digest), image.layers.map((l) => l.digest))
  assert.deepEqual(report.image.layers.map((l) => l.diffId), image.diffIds)
})

test('picks the image named by --image, and refuses to guess between several (exit 2 listing them)', async () => {
  const a = buildImage({ layers: [appLayer()], config: CONFIG })
  const b = buildImage({ layers: [{ entries: [{ name: 'srv/', type: 'dir' }, { name: 'srv/main.js', content: 'fetch("https://b.invalid")\n' }] }], config: { Cmd: ['node', '/srv/main.js'] } })
  const archive = writeDockerArchive(path('two.tar'), [{ image: a, ref: 'vendor/app:1.0' }, { image: b, ref: 'vendor/worker:1.0' }])
  const ambiguous = await runCli(['scan', archive, '--no-cache'], { cwd: tmp })
  assert.equal(ambiguous.code, 2)
  assert.match(ambiguous.stderr, /holds 2 images: .*vendor\/app:1\.0.*vendor\/worker:1\.0/)
  assert.match(ambiguous.stderr, /--image REF/)
  const { report } = await scan(archive, ['--image', 'docker.io/vendor/worker:1.0'])
  assert.equal(report.image.manifestDigest, b.manifestDigest)
  assert.match(report.image.choice, /--image/)
  assert.deepEqual(report.image.entryPoints, ['srv/main.js'])
  const byDigest = await scan(archive, ['--image', a.manifestDigest.slice(0, 19)])
  assert.equal(byDigest.report.image.manifestDigest, a.manifestDigest)
  const missing = await runCli(['scan', archive, '--image', 'vendor/nope:2'], { cwd: tmp })
  assert.equal(missing.code, 2)
  assert.match(missing.stderr, /no image named vendor\/nope:2/)
})

test('with several platforms, takes this host\'s by default and another with --platform, saying which', async () => {
  const amd = buildImage({ layers: [appLayer()], config: CONFIG, platform: { os: 'linux', architecture: 'amd64' } })
  const arm = buildImage({ layers: [appLayer([{ name: 'app/arm.txt', content: 'arm' }])], config: CONFIG, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } })
  const archive = writeOciArchive(path('multi.tar'), [{ image: amd, ref: 'vendor/app:1', withPlatform: true }, { image: arm, ref: 'vendor/app:1', withPlatform: true }])
  const { hostPlatform } = await importDist('internal.js')
  const host = await scan(archive)
  if (hostPlatform() === 'linux/amd64') {
    assert.equal(host.report.image.manifestDigest, amd.manifestDigest)
    assert.match(host.report.image.choice, /this host's platform \(linux\/amd64\)/)
  }
  const other = await scan(archive, ['--platform', 'linux/arm64'])
  assert.equal(other.report.image.manifestDigest, arm.manifestDigest)
  assert.equal(other.report.image.platform, 'linux/arm64/v8')
  const none = await runCli(['scan', archive, '--platform', 'linux/s390x'], { cwd: tmp })
  assert.equal(none.code, 2)
  assert.match(none.stderr, /no image for platform linux\/s390x/)
})

test('applies layers in order: later files replace earlier ones, whiteouts and opaque directories hide lower layers only', async () => {
  const image = buildImage({
    layers: [
      { entries: [
        { name: 'app/', type: 'dir' },
        { name: 'app/old.js', content: 'fetch("https://removed.invalid")\n' },
        { name: 'app/keep.js', content: 'fetch("https://kept.invalid")\n' },
        { name: 'app/replaced.js', content: 'fetch("https://first.invalid")\n' },
        { name: 'cache/', type: 'dir' },
        { name: 'cache/a.js', content: 'fetch("https://opaque-hidden.invalid")\n' },
        { name: 'cache/sub/', type: 'dir' },
        { name: 'cache/sub/b.js', content: 'fetch("https://opaque-hidden-deep.invalid")\n' },
      ] },
      { entries: [
        { name: 'app/.wh.old.js', content: '' },
        { name: 'app/replaced.js', content: 'fetch("https://second.invalid")\n' },
        // The opaque marker comes after a file of the same layer: that file stays.
        { name: 'cache/new.js', content: 'fetch("https://opaque-new.invalid")\n' },
        { name: 'cache/.wh..wh..opq', content: '' },
        // A whiteout for a file this layer also adds hides only the lower copy.
        { name: 'app/both.js', content: 'fetch("https://same-layer.invalid")\n' },
        { name: 'app/.wh.both.js', content: '' },
      ] },
    ],
    config: { Cmd: ['node', '/app/keep.js'] },
  })
  const { report } = await scan(writeOciArchive(path('whiteouts.tar'), [{ image }]))
  const hosts = report.findings.filter((f) => f.rule === 'net-sink').map((f) => f.destination.host).sort()
  assert.deepEqual(hosts, ['kept.invalid', 'opaque-new.invalid', 'same-layer.invalid', 'second.invalid'])
  assert.equal(report.notAnalysed.length, 0, JSON.stringify(report.notAnalysed))
})

test('follows the start command to the product: node, npm start, sh -c, init wrappers, entrypoint scripts', async () => {
  const { planStart } = await importDist('internal.js')
  const root = mkdtempSync(join(tmp, 'plan-'))
  const files = {
    'app/server.js': '', 'app/worker.mjs': '', 'app/preload.js': '', 'app/package.json': JSON.stringify({ scripts: { prestart: 'node migrate.js', start: 'cd dist && node --enable-source-maps index' } }),
    'app/migrate.js': '', 'app/dist/index.js': '', 'usr/local/bin/docker-entrypoint.sh': '#!/bin/sh\nset -e\nexec "$@"\n',
    'usr/local/bin/start.sh': '#!/bin/sh\nexec node /app/worker.mjs --flag\n', 'sbin/tini': '\x7fELF',
  }
  const { mkdirSync } = await import('node:fs')
  for (const [p, c] of Object.entries(files)) { mkdirSync(join(root, p, '..'), { recursive: true }); writeFileSync(join(root, p), c) }
  const env = ['PATH=/usr/local/bin:/sbin:/bin', 'APP=/app']
  const cases = [
    [{ cmd: ['node', 'server.js'], workingDir: '/app' }, ['app/server.js']],
    [{ cmd: ['node', '-r', './preload.js', '--max-old-space-size=512', 'server'], workingDir: '/app' }, ['app/preload.js', 'app/server.js']],
    [{ cmd: ['npm', 'start'], workingDir: '/app' }, ['app/dist/index.js', 'app/migrate.js']],
    [{ cmd: ['/bin/sh', '-c', 'cd $APP && exec node server.js'] }, ['app/server.js']],
    [{ entrypoint: ['/sbin/tini', '--'], cmd: ['node', '/app/server.js'] }, ['app/server.js']],
    [{ entrypoint: ['docker-entrypoint.sh'], cmd: ['node', 'server.js'], workingDir: '/app' }, ['app/server.js']],
    [{ cmd: ['start.sh'] }, ['app/worker.mjs']],
    [{ cmd: ['node', '-e', 'fetch("https://x.invalid")'] }, []],
  ]
  for (const [config, want] of cases) {
    const plan = planStart(root, { env, exposedPorts: [], ...config })
    assert.deepEqual(plan.entryPoints, want, `${JSON.stringify(config)}\n${plan.notes.join('\n')}`)
  }
  const inline = planStart(root, { env, exposedPorts: [], cmd: ['node', '-e', 'fetch("https://x.invalid")'] })
  assert.match(inline.notAnalysed[0].reason, /inline code/)
})

test('reports telemetry-looking Env (with values) and ExposedPorts from the config; a known vendor host is telemetry-endpoint', async () => {
  const image = buildImage({
    layers: [appLayer()],
    config: { ...CONFIG, Env: ['PATH=/bin', 'ACME_TELEMETRY=1', 'UPDATE_URL=https://updates.vendor.invalid/check', 'SENTRY_DSN=https://abcdef123456@o1.ingest.sentry.io/42', 'DB_HOST=localhost'] },
  })
  const { report } = await scan(writeOciArchive(path('env.tar'), [{ image }]))
  const env = report.findings.filter((f) => f.rule === 'image-env')
  assert.deepEqual(env.map((f) => f.details.name).sort(), ['ACME_TELEMETRY', 'SENTRY_DSN', 'UPDATE_URL'])
  assert.ok(env.every((f) => f.severity === 'info' && f.location.file === '<image config>'))
  assert.equal(env.find((f) => f.details.name === 'UPDATE_URL').details.value, 'https://updates.vendor.invalid/check')
  assert.equal(env.find((f) => f.details.name === 'UPDATE_URL').destination.provenance, 'default')
  const sentry = report.findings.find((f) => f.rule === 'telemetry-endpoint' && f.api === 'image Env')
  assert.equal(sentry.severity, 'violation')
  assert.equal(sentry.details.signature.startsWith('sentry'), true)
  assert.doesNotMatch(JSON.stringify(sentry), /abcdef123456/, 'the DSN key is shortened')
  const port = report.findings.find((f) => f.rule === 'image-exposed-port')
  assert.equal(port.details.port, '8080/tcp')
  assert.equal(port.severity, 'info')
})

/** A tiny ELF-looking file: the magic, then the given strings among zeros. */
const fakeElf = (...strings) => Buffer.concat([Buffer.from('\x7fELF\x02\x01\x01', 'latin1'), Buffer.alloc(64), ...strings.flatMap((s) => [Buffer.from(s), Buffer.alloc(8)])])

test('native code is opaque-code with the hosts in its strings, grouped by Debian package; reporting hosts in binaries are violations', async () => {
  const dpkgStatus = [
    'Package: netutil', 'Status: install ok installed', 'Version: 2.1-3', 'Architecture: amd64', '',
    'Package: perl-base', 'Status: install ok installed', 'Version: 5.36.0-7', 'Architecture: amd64', '',
  ].join('\n')
  const image = buildImage({
    layers: [{ entries: [
      { name: 'usr/', type: 'dir' }, { name: 'usr/bin/', type: 'dir' }, { name: 'bin', type: 'symlink', linkname: 'usr/bin' },
      { name: 'usr/bin/netget', content: fakeElf('https://docs.netutil.invalid/manual', 'https://nodejs.org/download/release/v1/x.tar.gz'), mode: 0o755 },
      { name: 'usr/bin/netput', content: fakeElf('ftp://mirror.netutil.invalid/'), mode: 0o755 },
      { name: 'usr/share/', type: 'dir' }, { name: 'usr/share/perl/', type: 'dir' },
      { name: 'usr/share/perl/strict.pm', content: 'package strict; 1;\n' },
      { name: 'usr/share/perl/warnings.pm', content: 'package warnings; # see https://perldoc.perl.invalid/\n1;\n' },
      { name: 'var/', type: 'dir' }, { name: 'var/lib/', type: 'dir' }, { name: 'var/lib/dpkg/', type: 'dir' },
      { name: 'var/lib/dpkg/status', content: dpkgStatus },
      { name: 'var/lib/dpkg/info/', type: 'dir' },
      // Listed by the path it is installed at (/bin is a link to usr/bin here: merged /usr).
      { name: 'var/lib/dpkg/info/netutil.list', content: '/.\n/bin\n/bin/netget\n/usr/bin/netput\n' },
      { name: 'var/lib/dpkg/info/perl-base.list', content: '/usr/share/perl/strict.pm\n/usr/share/perl/warnings.pm\n' },
      { name: 'opt/', type: 'dir' }, { name: 'opt/agent/', type: 'dir' },
      { name: 'opt/agent/agentd', content: fakeElf('https://o4504.ingest.sentry.io/api/77/envelope/', 'https://api.vendor.invalid/v2'), mode: 0o755 },
      { name: 'opt/agent/hook.py', content: '#!/usr/bin/env python3\nimport urllib.request\nurllib.request.urlopen("https://hook.vendor.invalid/x")\n' },
      { name: 'opt/agent/tools/', type: 'dir' },
      { name: 'opt/agent/tools/a.sh', content: '#!/bin/sh\necho a\n' },
      { name: 'opt/agent/tools/b.sh', content: '#!/bin/sh\necho b\n' },
    ] }, appLayer()],
    config: CONFIG,
  })
  const { code, report } = await scan(writeOciArchive(path('native.tar'), [{ image }]))
  assert.equal(code, 1)
  const opaque = report.findings.filter((f) => f.rule === 'opaque-code')
  const deb = opaque.find((f) => f.package === 'deb:netutil@2.1-3')
  assert.ok(deb, JSON.stringify(opaque, null, 2))
  assert.equal(deb.details.files, '2', 'both binaries of the package are one finding')
  assert.match(deb.details.hosts, /docs\.netutil\.invalid/)
  assert.match(deb.details.hosts, /mirror\.netutil\.invalid/)
  assert.equal(deb.severity, 'review')
  const agent = opaque.find((f) => f.location.file === 'opt/agent/agentd')
  assert.equal(agent.package, '(image)')
  assert.match(agent.message, /api\.vendor\.invalid/)
  const tele = report.findings.filter((f) => f.rule === 'telemetry-endpoint' && f.api === 'native code strings')
  const sentry = tele.find((f) => f.location.file === 'opt/agent/agentd')
  assert.equal(sentry.severity, 'violation', 'error reporting in a binary is a violation')
  const release = tele.find((f) => f.location.file === 'usr/bin/netget')
  assert.equal(release.severity, 'review', 'release-download hosts in binaries are review (runtimes carry them as metadata)')
  // Other languages: not analysed, one line per package or directory, with the hosts in their text.
  const na = Object.fromEntries(report.notAnalysed.map((x) => [x.file, x.reason]))
  assert.match(na['deb:perl-base@5.36.0-7'], /^2 Perl files from Debian package perl-base 5\.36\.0-7 .*not analysed.*perldoc\.perl\.invalid/)
  assert.match(na['opt/agent/hook.py'], /^1 Python file: not analysed.*hook\.vendor\.invalid/)
  assert.match(na['opt/agent/tools/**'], /^2 shell files \(e\.g\. opt\/agent\/tools\/a\.sh, opt\/agent\/tools\/b\.sh\)/)
  assert.equal(report.notAnalysed.length, 3)
})

test('a policy can accept distribution packages and directories of other languages, so the verdict can pass', async () => {
  const image = buildImage({
    layers: [{ entries: [
      { name: 'usr/', type: 'dir' }, { name: 'usr/lib/', type: 'dir' }, { name: 'usr/lib/tool.py', content: 'print(1)\n' },
      { name: 'var/', type: 'dir' }, { name: 'var/lib/', type: 'dir' }, { name: 'var/lib/dpkg/', type: 'dir' },
      { name: 'var/lib/dpkg/status', content: 'Package: pytool\nStatus: install ok installed\nVersion: 1\n\n' },
      { name: 'var/lib/dpkg/info/', type: 'dir' }, { name: 'var/lib/dpkg/info/pytool.list', content: '/usr/lib/tool.py\n' },
      { name: 'app/', type: 'dir' }, { name: 'app/server.js', content: 'require("node:http").createServer().listen(8080)\n' },
      { name: 'app/run.sh', content: '#!/bin/sh\nexec node server.js\n' },
    ] }],
    config: { Cmd: ['/app/run.sh'], WorkingDir: '/app' },
  })
  const archive = writeOciArchive(path('accept.tar'), [{ image }])
  const before = await scan(archive)
  assert.equal(before.report.verdict, 'incomplete')
  assert.deepEqual(before.report.image.entryPoints, ['app/server.js'])
  const policy = join(tmp, 'accept.policy.json')
  writeFileSync(policy, JSON.stringify({ version: 1, acceptNotAnalysed: [{ file: 'deb:*', reason: 'distribution packages are checked by our distro scanner' }, { file: 'app/*.sh', reason: 'start script, reviewed' }] }))
  const after = await scan(archive, ['--policy', policy])
  assert.equal(after.code, 0, JSON.stringify(after.report.notAnalysed))
  assert.equal(after.report.verdict, 'pass')
  assert.equal(after.report.policy.acceptedNotAnalysed.length, 2)
})

test('verify --record names the image by its manifest digest first, then the file received', async () => {
  const image = buildImage({ layers: [appLayer()], config: CONFIG })
  const archive = writeDockerArchive(path('rec.tar'), [{ image, ref: 'vendor/app:2.0' }])
  const record = join(tmp, 'rec.json')
  const r = await runCli(['verify', archive, '--no-cache', '--record', record], { cwd: tmp })
  assert.equal(r.code, 1, r.stderr)
  assert.match(r.stdout, new RegExp(`manifest ${image.manifestDigest}`))
  const rec = JSON.parse(readFileSync(record, 'utf8'))
  assert.equal(rec.subject[0].digest.sha256, image.manifestDigest.slice(7))
  assert.equal(rec.subject[0].name, 'vendor/app:2.0')
  assert.equal(rec.subject[0].annotations.kind, 'image-manifest')
  const { createHash } = await import('node:crypto')
  assert.equal(rec.subject[1].digest.sha256, createHash('sha256').update(readFileSync(archive)).digest('hex'))
  // The same image as an OCI layout reproduces the record made from the docker archive.
  const layout = writeOciLayout(path('rec-layout'), [{ image, ref: 'vendor/app:2.0' }])
  const again = await runCli(['verify', layout, '--no-cache', '--expect', record], { cwd: tmp })
  assert.doesNotMatch(again.stdout, /artifact digest differs/)
  assert.match(again.stdout, /reproduced/)
})

test('is not fooled into treating a release tarball as an image, nor an image as a tarball', async () => {
  const { isImage } = await importDist('internal.js')
  const { makeTar } = await import('../helpers/tar-writer.mjs')
  const tgz = path('release.tgz')
  writeFileSync(tgz, makeTar([{ name: 'package/index.js', content: 'x' }, { name: 'package/manifest.json', content: '{}' }]))
  assert.equal(await isImage(tgz), false)
  const image = buildImage({ layers: [appLayer()], config: CONFIG })
  assert.equal(await isImage(writeDockerArchive(path('img.tar'), [{ image }])), true)
  assert.equal(await isImage(writeOciLayout(path('img-layout'), [{ image }])), true)
})

test('the busybox used to build test images is on this machine (CI installs busybox-static)', () => {
  assert.ok(STATIC_BUSYBOX && existsSync(STATIC_BUSYBOX), 'busybox-static is not installed (apt-get install busybox-static)')
  assert.ok(busyboxEntries().length > 2)
})

const DEBIAN_PACKAGES = ['libc6', 'coreutils', 'bash', 'gzip', 'perl-base']
const dpkgList = (p) => [`/var/lib/dpkg/info/${p}.list`, `/var/lib/dpkg/info/${p}:amd64.list`].find((f) => existsSync(f))
const noDebian = DEBIAN_PACKAGES.every(dpkgList) ? false : 'this host has no dpkg database with libc6, coreutils, bash, gzip and perl-base'

test('a Debian base image is a few dozen lines, grouped by package, not thousands', { skip: noDebian }, async () => {
  // The packages' files as this host has them, at their listed paths, with dpkg's status and file lists.
  const { entries, add } = hostEntries()
  const stanzas = readFileSync('/var/lib/dpkg/status', 'utf8').split('\n\n')
  let status = ''
  let listed = 0
  for (const p of DEBIAN_PACKAGES) {
    add(dpkgList(p))
    for (const line of readFileSync(dpkgList(p), 'utf8').split('\n')) if (line && line !== '/.') { add(line); listed++ }
    status += `${stanzas.find((s) => s.startsWith(`Package: ${p}\n`))}\n\n`
  }
  entries.push({ name: 'var/lib/dpkg/status', content: status })
  const image = buildImage({ layers: [{ entries }, appLayer()], config: CONFIG })
  const { report } = await scan(writeOciArchive(path('debian.tar'), [{ image }]))
  assert.ok(listed > 800, `only ${listed} files listed`)
  const opaque = report.findings.filter((f) => f.rule === 'opaque-code')
  assert.ok(opaque.length <= DEBIAN_PACKAGES.length, opaque.map((f) => f.package).join('\n'))
  assert.ok(opaque.every((f) => f.package.startsWith('deb:')), 'every native file is owned by its package')
  assert.ok(report.notAnalysed.length <= DEBIAN_PACKAGES.length, report.notAnalysed.map((x) => x.file).join('\n'))
  const perl = report.notAnalysed.find((x) => x.file.startsWith('deb:perl-base@'))
  assert.match(perl.reason, /^\d{3,} (Perl files|files in other languages \(\d+ Perl)/)
  assert.deepEqual(report.image.packageDatabases, [`dpkg: ${DEBIAN_PACKAGES.length} packages`])
  assert.ok(!report.findings.some((f) => f.rule === 'telemetry-endpoint' && f.severity === 'violation'), JSON.stringify(report.findings.filter((f) => f.rule === 'telemetry-endpoint')))
})

const NODE22 = join(ROOT, 'test/nodes/node_modules/node22/bin/node')
const zstdNode = existsSync(NODE22) ? NODE22 : undefined

test('reads zstd layers where Node.js can decompress them, and says which Node to use where it cannot', { skip: !zstdNode && 'test/nodes has no Node 22 (npm ci --prefix test/nodes)' }, async () => {
  const { execFileSync } = await import('node:child_process')
  const zstd = (raw) => execFileSync(zstdNode, ['-e', 'process.stdout.write(require("zlib").zstdCompressSync(require("fs").readFileSync(0)))'], { input: raw, maxBuffer: 64 << 20 })
  const image = buildImage({ layers: [{ ...appLayer(), compression: 'zstd', compress: zstd }], config: CONFIG })
  const archive = writeOciArchive(path('zstd.tar'), [{ image }])
  const { spawnSync } = await import('node:child_process')
  const withZstd = spawnSync(zstdNode, [CLI, 'scan', archive, '--no-cache', '--format', 'json'], { cwd: tmp, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 << 20 })
  assert.ok(withZstd.status === 1, withZstd.stderr)
  const report = JSON.parse(withZstd.stdout)
  assert.deepEqual(report.image.layers.map((l) => l.compression), ['zstd'])
  assert.ok(report.findings.some((f) => f.rule === 'net-sink' && f.location.file === 'app/server.js'))
  const zlib = await import('node:zlib')
  if (!zlib.createZstdDecompress) {
    const here = await runCli(['scan', archive, '--no-cache'], { cwd: tmp })
    assert.equal(here.code, 2)
    assert.match(here.stderr, /zstd-compressed, and this Node\.js \(v\d+[^)]*\) cannot decompress zstd/)
    assert.match(here.stderr, /Node\.js 22\.15 or later/)
  }
})
