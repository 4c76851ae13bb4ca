// Running container images (issue 17): rootless, no daemon, the image as the app's root with a throw-away layer,
// inside the network namespace sandbox. The images are built here from this machine's static busybox and Node.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, realpathSync, rmSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runCli } from '../helpers/index.mjs'
import { runJson } from './helpers.mjs'
import { STATIC_BUSYBOX, buildImage, busyboxEntries, busyboxIsStatic, nodeEntries, writeDockerArchive, writeOciLayout } from '../helpers/image-writer.mjs'

const namespaces = spawnSync('unshare', ['-rn', 'true']).status === 0
const skip = !namespaces ? 'user and network namespaces are not available here (unshare -rn fails)' : !busyboxIsStatic() ? 'no static busybox (apt-get install busybox-static)' : false

const tmp = mkdtempSync(join(tmpdir(), 'nph-image-run-'))
after(() => rmSync(tmp, { recursive: true, force: true }))
const images = {}

const CLEAN_SERVER = `const http = require('node:http')
http.createServer((req, res) => res.end('hello from the image')).listen(8080, () => console.log('listening on 8080'))
`
const LEAKY_SERVER = `const http = require('node:http')
const tracker = require('tracker')
http.createServer((req, res) => res.end('ok')).listen(8080, () => console.log('listening on 8080'))
// The daily usage ping: fires within the run only with --time-warp.
setInterval(() => { fetch('https://usage.vendor.invalid/daily', { method: 'POST', body: JSON.stringify({ seats: 42 }) }).catch(() => {}) }, 24 * 3600 * 1000)
tracker.start()
`
// A dependency in the image's node_modules: its runtime finding is attributed to it, read from the image.
const TRACKER = "exports.start = () => { require('node:dns').lookup('collect.tracker.invalid', () => {}) }\n"
const REPORT_SH = '#!/bin/sh\n# Not Node: busybox wget, run by a shell script at start.\nwget -q -O- "http://metrics.vendor.invalid/boot" >/dev/null 2>&1 || true\n'

before(() => {
  if (skip) return
  const userland = { entries: busyboxEntries(['sh', 'ls', 'cat', 'wget', 'echo', 'touch', 'hostname', 'test', 'id', 'mkdir', 'chmod', 'mount', 'readlink']), compression: 'gzip' }
  const node = { entries: nodeEntries(), compression: 'none' }
  const clean = buildImage({
    layers: [userland, node, { entries: [{ name: 'app/', type: 'dir' }, { name: 'app/server.js', content: CLEAN_SERVER }] }],
    config: { Cmd: ['node', 'server.js'], WorkingDir: '/app', Env: ['PATH=/usr/local/bin:/bin'], ExposedPorts: { '8080/tcp': {} } },
  })
  images.clean = writeOciLayout(join(tmp, 'clean-oci'), [{ image: clean, ref: 'vendor/clean:1.0' }])
  const leaky = buildImage({
    layers: [userland, node, { entries: [
      { name: 'app/', type: 'dir' }, { name: 'app/server.js', content: LEAKY_SERVER },
      { name: 'app/bin/', type: 'dir' }, { name: 'app/bin/report.sh', content: REPORT_SH, mode: 0o755 },
      { name: 'app/node_modules/', type: 'dir' }, { name: 'app/node_modules/tracker/', type: 'dir' },
      { name: 'app/node_modules/tracker/package.json', content: JSON.stringify({ name: 'tracker', version: '2.0.0', main: 'index.js' }) },
      { name: 'app/node_modules/tracker/index.js', content: TRACKER },
    ] }],
    config: { Cmd: ['sh', '-c', '/app/bin/report.sh; exec node server.js'], WorkingDir: '/app', Env: ['PATH=/usr/local/bin:/bin'] },
  })
  images.leaky = writeDockerArchive(join(tmp, 'leaky.tar'), [{ image: leaky, ref: 'vendor/leaky:1.0' }])
})

test('runs a clean image\'s own start command in the sandbox and passes it (exit 0), tied to its manifest digest', { skip }, async () => {
  const { code, report, stderr } = await runJson(['--image', images.clean, '--ready', '8080', '--duration', '0.5'], { cwd: tmp })
  assert.equal(report.findings.length, 0, JSON.stringify(report.findings, null, 2))
  assert.deepEqual(report.degraded ?? [], [], stderr)
  assert.equal(report.verdict, 'pass')
  assert.equal(code, 0)
  assert.match(report.image.manifestDigest, /^sha256:[0-9a-f]{64}$/)
  assert.deepEqual(report.image.start.argv, ['node', 'server.js'])
  assert.ok(report.run.layers.guard && report.run.layers.syscall && report.run.layers.namespace)
  assert.ok(report.run.notes.some((n) => /throw-away (overlayfs layer|copy)/.test(n)), JSON.stringify(report.run.notes))
})

test('finds a leaky image\'s daily ping (through the guard in the image\'s own node) and a busybox wget to a vendor host', { skip }, async () => {
  const { code, report, stderr } = await runJson(['--image', images.leaky, '--ready', '/listening on/', '--duration', '2', '--time-warp', '100000'], { cwd: tmp })
  assert.equal(code, 1, stderr)
  assert.equal(report.verdict, 'fail')
  const ping = report.findings.find((f) => f.destination?.host === 'usage.vendor.invalid')
  assert.ok(ping, JSON.stringify(report.findings, null, 2))
  assert.ok(ping.evidence.layers.includes('guard'), 'the Node guard ran inside the image')
  assert.equal(ping.location.file, 'app/server.js', 'runtime paths read like the static lens\'s, relative to the image root')
  assert.match(ping.evidence.sent ?? '', /usage\.vendor\.invalid/)
  const wget = report.findings.find((f) => f.destination?.host === 'metrics.vendor.invalid')
  assert.ok(wget, 'the non-Node program was recorded')
  assert.ok(wget.evidence.layers.includes('syscall') && wget.evidence.layers.includes('dns'), JSON.stringify(wget.evidence))
  assert.match(wget.evidence.command, /wget/)
  const lookup = report.findings.find((f) => f.destination?.host === 'collect.tracker.invalid')
  assert.equal(lookup.package, 'tracker@2.0.0', 'the package is read from the image, not from this host')
  assert.equal(lookup.location.file, 'app/node_modules/tracker/index.js')
})

test('the app sees only the image: its own /proc, no host files, its own host name; its writes are thrown away', { skip }, async () => {
  const marker = join(tmp, `host-marker-${process.pid}`)
  writeFileSync(marker, 'secret')
  const script = [
    `test -e ${marker} && echo MARKER-VISIBLE || echo marker-hidden`,
    `for p in /proc/[0-9]*; do test -e "$p/root${marker}" && echo MARKER-VIA-PROC; done`,
    'echo "pids: $(ls -d /proc/[0-9]* | wc -l 2>/dev/null || ls -d /proc/[0-9]*)"',
    // The patterns are bracketed so this script's own command line (in /proc too) does not match them.
    'cat /proc/[0-9]*/cmdline | tr "\\0" " " | grep -q "[s]upervisor[.]cjs" && echo SUPERVISOR-VISIBLE',
    'cat /proc/[0-9]*/cmdline | tr "\\0" " " | grep -q "[s]trace " && echo STRACE-VISIBLE',
    'echo "host: $(hostname)"', 'echo "root: $(ls / | tr "\\n" " ")"',
    'test -e /bin/written && echo STALE-WRITE || echo fresh', 'touch /bin/written && echo wrote',
    'cat /etc/resolv.conf',
    // Host files still in the app's mount namespace (the host's /dev nodes): usable, not changeable. The chmod is a
    // no-op where it succeeds, so this probe cannot break the host even when the protection is gone.
    'chmod 666 /dev/null 2>/dev/null && echo DEV-CHMOD-ALLOWED',
    'mount -o remount,bind,rw /dev/null 2>/dev/null && echo DEV-REMOUNTED',
    'echo x >/dev/null && echo dev-null-writable',
    `test "$(readlink /proc/1/exe 2>/dev/null)" = "${realpathSync(STATIC_BUSYBOX)}" && echo HOST-BUSYBOX-AS-PID1`,
    'true',
  ].join('\n')
  for (let round = 0; round < 2; round++) {
    const { report, stderr } = await runJson(['--image', images.clean, '--', '/bin/sh', '-c', script], { cwd: tmp })
    assert.equal(report.run.exitCode, 0, stderr)
    assert.match(stderr, /marker-hidden/)
    // Whole lines: the CLI's own first line repeats the command, words and all.
    const lines = stderr.split('\n').map((l) => l.trim())
    for (const leak of ['MARKER-VISIBLE', 'MARKER-VIA-PROC', 'SUPERVISOR-VISIBLE', 'STRACE-VISIBLE', 'DEV-CHMOD-ALLOWED', 'DEV-REMOUNTED', 'HOST-BUSYBOX-AS-PID1']) assert.ok(!lines.includes(leak), `${leak}\n${stderr}`)
    assert.ok(lines.includes('marker-hidden'))
    assert.ok(lines.includes('dev-null-writable'))
    assert.match(stderr, /host: nophonehome-sandbox/)
    assert.match(stderr, /root: app bin dev etc lib lib64 proc tmp usr/)
    assert.match(stderr, /fresh/, 'a file written in an earlier run is gone: writes go to a throw-away layer')
    assert.match(stderr, /wrote/)
    assert.match(stderr, /nameserver 127\.0\.0\.1/, 'the DNS stub is the resolver')
  }
  assert.ok(existsSync(marker))
})

test('verify IMAGE --start runs the image\'s own start command: clean PASS, leaky FAIL with static and runtime side by side', { skip }, async () => {
  const clean = await runCli(['verify', images.clean, '--no-cache', '--start', '--ready', '8080', '--duration', '0.5'], { cwd: tmp })
  assert.equal(clean.code, 0, clean.stdout + clean.stderr)
  assert.match(clean.stdout, /PASS/)
  assert.match(clean.stdout, /runtime: `node server\.js` ran in the image/)
  const leaky = await runCli(['verify', images.leaky, '--no-cache', '--start', '--ready', '/listening on/', '--duration', '2', '--time-warp', '100000'], { cwd: tmp })
  assert.equal(leaky.code, 1)
  assert.match(leaky.stdout, /FAIL/)
  assert.match(leaky.stdout, /usage\.vendor\.invalid\n\s+static\s+net-sink fetch\s+app\/server\.js:5[^\n]*\n\s+runtime\s+runtime-egress fetch[^\n]*app\/server\.js:5/)
  assert.match(leaky.stdout, /metrics\.vendor\.invalid\n\s+runtime\s+runtime-egress/)
})

test('says why an image cannot run and how to fix it (exit 2): no static busybox, no namespaces', { skip }, async () => {
  const noBusybox = await runCli(['run', '--image', images.clean, '--', '/bin/true'], { cwd: tmp, env: { NOPHONEHOME_BUSYBOX: join(tmp, 'no-such-busybox') } })
  assert.equal(noBusybox.code, 2)
  assert.match(noBusybox.stderr, /static(ally linked)? busybox/)
  assert.match(noBusybox.stderr, /busybox-static/)
  const fake = join(tmp, 'fake-unshare')
  writeFileSync(fake, '#!/bin/sh\necho "unshare: unshare failed: Operation not permitted" >&2\nexit 1\n', { mode: 0o755 })
  const noNs = await runCli(['run', '--image', images.clean, '--allow-degraded', '--', '/bin/true'], { cwd: tmp, env: { NOPHONEHOME_UNSHARE: fake } })
  assert.equal(noNs.code, 2, 'an image never runs degraded, outside the namespaces')
  assert.match(noNs.stderr, /Operation not permitted/)
})
