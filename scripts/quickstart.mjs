// `npm start`: builds the two example apps into release tarballs and checks both, printing each verdict.
// The clean app must pass and the leaky one must fail; anything else is an error (exit 1).
import { spawnSync } from 'node:child_process'
import { readdirSync, existsSync } from 'node:fs'
import { join } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const cli = join(root, 'dist/cli.js')

const build = spawnSync(process.execPath, [join(root, 'examples/build.mjs')], { cwd: root, stdio: 'inherit' })
if (build.status !== 0) process.exit(build.status ?? 1)

const tarball = (app) => {
  const dir = join(root, 'examples', app, 'release')
  const f = existsSync(dir) && readdirSync(dir).find((n) => n.endsWith('.tgz'))
  if (!f) throw new Error(`no release tarball in ${dir}`)
  return join(dir, f)
}

const results = []
for (const [app, expect] of [['selfhosted-app', 0], ['leaky-app', 1]]) {
  const file = tarball(app)
  console.log(`\n=== nophonehome verify ${file.slice(root.length)} ===\n`)
  const hasVerify = spawnSync(process.execPath, [cli, 'verify', '--help'], { encoding: 'utf8' }).status === 0
  const args = hasVerify ? ['verify', file] : ['scan', file]
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, stdio: 'inherit' })
  results.push({ app, code: r.status, expect })
}
console.log('\n=== summary ===')
for (const r of results) console.log(`${r.app.padEnd(15)} ${r.code === 0 ? 'PASS' : r.code === 1 ? 'FAIL' : `ERROR (exit ${r.code})`}  (expected ${r.expect === 0 ? 'PASS' : 'FAIL'})`)
process.exitCode = results.every((r) => r.code === r.expect) ? 0 : 1
