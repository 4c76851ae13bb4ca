// GitHub Actions annotations: counting findings only, paths relative to the checkout, escaped so text cannot inject commands.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { importDist, runCli } from '../helpers/index.mjs'
import { sampleReport } from './sample.mjs'

const nph = await importDist('internal.js')

test('violations become errors and review findings warnings; waived and info ones are left out', () => {
  const lines = nph.formatAnnotations(sampleReport())
  assert.equal(lines.filter((l) => l.startsWith('::error ')).length, 2)
  assert.equal(lines.filter((l) => l.startsWith('::warning ')).length, 3, lines.join('\n')) // 2 review + 1 expired waiver
  assert.ok(!lines.some((l) => l.includes('Sentry')))
  assert.ok(lines.includes('::error file=dist/index.js,line=6,col=15,title=net-sink in (first-party)::https.request → https://usage.vendor.test/v1/ping (hard-coded-external) [original ../src/usage.ts:12]'))
})

test('untrusted text cannot start a new workflow command or break a property', () => {
  const lines = nph.formatAnnotations(sampleReport())
  for (const l of lines) assert.ok(!/[\r\n]/.test(l))
  const evil = lines.find((l) => l.includes('opaque-code'))
  assert.match(evil, /%250A::error::x%0D%0Aline2/)
  assert.match(evil, /title=opaque-code in evil@1\.0\.0::/)
})

test('the CLI prints annotations on stderr only when GITHUB_ACTIONS=true', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nph-annot-'))
  after(() => rmSync(dir, { recursive: true, force: true }))
  mkdirSync(join(dir, 'dist'))
  // Static fixture: parsed, never run.
  writeFileSync(join(dir, 'dist', 'app.js'), "fetch('https://collect.vendor.test/usage')\n")
  const on = await runCli(['scan', 'dist', '--no-cache', '--format', 'json'], { cwd: dir, env: { GITHUB_ACTIONS: 'true' } })
  assert.equal(on.code, 1, on.stderr)
  assert.match(on.stderr, /^::error file=dist\/app\.js,line=1,col=1,title=net-sink in \(first-party\)::fetch → https:\/\/collect\.vendor\.test\/usage \(hard-coded-external\)$/m)
  JSON.parse(on.stdout)
  const off = await runCli(['scan', 'dist', '--no-cache', '--format', 'json'], { cwd: dir })
  assert.doesNotMatch(off.stderr, /::error/)
})
