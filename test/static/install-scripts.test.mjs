// install-script and telemetry-sdk-shipped: lifecycle scripts judged without running them, shipped SDK packages.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { fixture, scanJson } from '../helpers/index.mjs'

const { report } = await scanJson(['scan', fixture('install-scripts', 'app'), '--no-cache'])
const at = (file, rule = 'install-script') => report.findings.filter((f) => f.rule === rule && f.location.file === file)

// The app ships its node_modules: these scripts already ran where the tree was installed (the vendor's
// machine), so what would be a violation is for review, and says so.
const CASES = [
  ['an installed package whose postinstall runs curl is for review (it ran on the vendor\'s machine)', 'node_modules/curl-post/package.json', 'review', 5, 'collect.vendor.invalid'],
  ['an installed package whose postinstall node script has a hard-coded network sink is for review', 'node_modules/node-script/package.json', 'review', 5, 'telemetry.vendor.invalid'],
  ['an installed package whose preinstall node -e code reaches the network is for review', 'node_modules/inline-eval/package.json', 'review', 5, 'ping.vendor.invalid'],
  ['an installed package that runs prebuild-install is for review', 'node_modules/prebuilt/package.json', 'review', 5, 'github.com'],
  ['an install script with no network access is for review', 'node_modules/quiet-script/package.json', 'review', 5, undefined],
  ['binding.gyp alone (implicit node-gyp rebuild) is for review', 'node_modules/gyp-only/package.json', 'review', 2, 'nodejs.org'],
  ['a script outside its package is not read, and stays for review', 'node_modules/escape-attempt/package.json', 'review', 5, undefined],
  ["prepare of an installed registry package is info (npm does not run it)", 'node_modules/prepare-only/package.json', 'info', 5, undefined],
  ["the root project's own prepare is for review", 'package.json', 'review', 6, undefined],
]

for (const [name, file, severity, line, host] of CASES) {
  test(name, () => {
    const f = at(file)
    assert.equal(f.length, 1, JSON.stringify(f))
    assert.equal(f[0].severity, severity)
    assert.equal(f[0].location.line, line)
    if (host) assert.equal(f[0].destination?.host, host)
  })
}

test('an install script that already ran says where it ran', () => {
  assert.match(at('node_modules/curl-post/package.json')[0].message, /already installed in this tree, so it ran on the machine that installed it/)
})

test('a package the customer installs (no node_modules shipped) keeps a network install script as a violation', async () => {
  const { report: r } = await scanJson(['scan', fixture('install-scripts', 'customer-installs'), '--no-cache'])
  const [f] = r.findings.filter((x) => x.rule === 'install-script')
  assert.equal(f.severity, 'violation')
  assert.equal(f.destination.host, 'register.vendor.invalid')
  assert.doesNotMatch(f.message, /already installed/)
})

test('packages without lifecycle scripts are not reported', () => {
  assert.deepEqual(at('node_modules/no-scripts/package.json'), [])
})

test('a shipped telemetry SDK package is for review, with its signature', () => {
  const f = at('node_modules/@sentry/node/package.json', 'telemetry-sdk-shipped')
  assert.equal(f.length, 1)
  assert.equal(f[0].severity, 'review')
  assert.equal(f[0].details.signature, 'sentry')
  assert.equal(f[0].package, '@sentry/node@8.0.0-fixture')
})
