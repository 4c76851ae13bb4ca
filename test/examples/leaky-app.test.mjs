// The leaky example: its phone-home habits are present (statically) and live (run ONLY inside a network namespace).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, spawnSync } from 'node:child_process'
import { readFileSync, readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { buildInTemp } from './rackhouse-helpers.mjs'

let leaky, clean

before(async () => {
  leaky = await buildInTemp('leaky-app')
  clean = await buildInTemp('selfhosted-app')
})

after(() => {
  for (const built of [leaky, clean]) if (built) rmSync(built.outRoot, { recursive: true, force: true })
})

const read = (built, rel) => readFileSync(join(built.distDir, rel), 'utf8')

// Each leak and the text that proves it is in the shipped build (esbuild prints strings with double quotes).
const SERVER_LEAKS = [
  ['error reporter DSN', '"https://abc123@o1.ingest.sentry.invalid/42"'],
  ['usage ping', '"https://usage.vendor.invalid/v1/ping"'],
  ['daily interval', '24 * 60 * 60 * 1e3'],
  ['update check', '"https://updates.vendor.invalid/latest.json"'],
  ['licence check', 'hostname: "license.vendor.invalid"'],
]
const PAGE_LEAKS = [
  ['CDN web font', 'href="https://fonts.vendor-cdn.invalid/css2?family=Inter'],
  ['analytics tag', 'src="https://analytics.vendor.invalid/tag.js"'],
  ['analytics beacon', "navigator.sendBeacon('https://analytics.vendor.invalid/collect'"],
  ['avatar image', 'src="https://avatars.vendor.invalid/u/admin.png'],
  ['chat widget', 'src="https://chat.vendor.invalid/widget.js"'],
  ['Google Fonts (signature test)', 'href="https://fonts.googleapis.com/css2?family=Inter'],
  ['Google tag (signature test)', 'src="https://www.googletagmanager.com/gtag/js?id=G-TEST000000"'],
]

test('the leaky bundle carries every server-side phone-home habit', () => {
  const bundle = read(leaky, 'server.js')
  for (const [name, text] of SERVER_LEAKS) assert.ok(bundle.includes(text), `${name}: ${text}`)
})

test('the leaky admin page carries every browser-side phone-home habit', () => {
  const page = read(leaky, 'public/index.html')
  for (const [name, text] of PAGE_LEAKS) assert.ok(page.includes(text), `${name}: ${text}`)
})

test('the leaky build is the clean build plus its leaks: same assets, same core code', () => {
  assert.deepEqual(readdirSync(join(leaky.distDir, 'public')).sort(), readdirSync(join(clean.distDir, 'public')).sort())
  for (const asset of ['admin.css', 'admin.js', 'favicon.svg']) assert.equal(read(leaky, `public/${asset}`), read(clean, `public/${asset}`), asset)
  const leakyBundle = read(leaky, 'server.js')
  for (const marker of ['// selfhosted-app/src/inventory.ts', '// selfhosted-app/src/smtp-client.ts', '// selfhosted-app/src/webhooks.ts']) {
    assert.ok(leakyBundle.includes(marker), marker)
  }
})

test('the clean build mentions none of the vendor hosts', () => {
  const everything = read(clean, 'server.js') + read(clean, 'public/index.html') + read(clean, 'public/admin.js') + read(clean, 'public/admin.css')
  for (const host of ['vendor.invalid', 'vendor-cdn.invalid', 'sentry', 'googleapis', 'googletagmanager', 'sendBeacon']) {
    assert.ok(!everything.includes(host), host)
  }
})

/** Can we make a network namespace (only a DOWN loopback, no route out)? Never fall back to running outside one. */
function namespaceProblem() {
  const probe = spawnSync('unshare', ['-rn', 'ip', '-o', 'link', 'show'], { encoding: 'utf8' })
  if (probe.error || probe.status !== 0) return `unshare -rn is not available: ${probe.error?.message ?? probe.stderr.trim()}`
  const links = probe.stdout.trim().split('\n')
  if (links.length !== 1 || !/: lo:/.test(links[0])) return `the namespace is not isolated: ${probe.stdout}`
  return undefined
}

test('inside a network namespace the leaky app still works, and its start-up update and licence checks try the vendor', async (t) => {
  const problem = namespaceProblem()
  if (problem) return t.skip(problem)
  // Loopback is brought up inside the namespace for the self-test's own API calls; there is no other interface.
  const child = spawn('unshare', ['-rn', 'sh', '-c', 'ip link set lo up && exec "$0" "$@"', process.execPath, join(leaky.distDir, 'server.js'), '--self-test'], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk) => (stdout += chunk))
  child.stderr.on('data', (chunk) => (stderr += chunk))
  const code = await new Promise((resolve) => child.on('close', resolve))
  assert.equal(code, 0, `${stdout}\n${stderr}`)
  const result = JSON.parse(/^self-test: ok (.*)$/m.exec(stdout)[1])
  assert.equal(result.ok, true)
  const hooks = JSON.parse(result.checks.find((c) => c.name === 'start-up hooks').detail)
  // The names were looked up (and failed: no DNS in the namespace) — the habits are live code, not dead strings.
  assert.match(hooks.updateCheck, /^failed: .*updates\.vendor\.invalid/)
  assert.match(hooks.licenceCheck, /^failed: .*license\.vendor\.invalid/)
  assert.match(stderr, /licence check failed .*; continuing in grace period/)
})
