// `npm pack` makes a package that works: installed offline into an empty project (from the tarball and the
// local npm cache only, every registry request caught on loopback), its CLI, its scan and `nophonehome/test`
// run; it ships only what it needs, and everything it imports at run time is a dependency.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { createServer } from 'node:http'
import { mkdtempSync, readFileSync, writeFileSync, rmSync, readdirSync, statSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { tmpdir } from 'node:os'
import { join, relative, dirname, posix } from 'node:path'
import { promisify } from 'node:util'
import { ROOT, fixture } from '../helpers/index.mjs'

const exec = promisify(execFile)
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))
const tmp = mkdtempSync(join(tmpdir(), 'nph-pack-'))
const project = join(tmp, 'consumer')
const tarballName = `${pkg.name}-${pkg.version}.tgz`

// Every request npm makes goes here (the only registry it is given): the install must make none.
const requests = []
const registry = createServer((req, res) => { requests.push(`${req.method} ${req.url}`); res.statusCode = 503; res.end() })
await new Promise((r) => registry.listen(0, '127.0.0.1', r))
const npmEnv = {
  ...process.env,
  npm_config_registry: `http://127.0.0.1:${registry.address().port}/`,
  npm_config_offline: 'true',
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false',
  npm_config_proxy: '',
  npm_config_https_proxy: '',
}
const npm = (args, cwd) => exec('npm', args, { cwd, env: npmEnv, maxBuffer: 32 * 1024 * 1024 })

const packed = JSON.parse((await npm(['pack', '--json', '--pack-destination', tmp], ROOT)).stdout)[0]
const shipped = packed.files.map((f) => f.path).sort()

/**
 * The consumer's lockfile: the tarball, plus the production part of this repository's own lockfile (the
 * versions CI tested), so `npm ci --offline` needs no registry metadata, only tarballs in the local cache.
 */
function consumerLock() {
  const ours = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8'))
  const packages = {
    '': { name: 'consumer', version: '1.0.0', dependencies: { [pkg.name]: `file:${tarballName}` } },
    [`node_modules/${pkg.name}`]: {
      version: pkg.version, resolved: `file:${tarballName}`, integrity: packed.integrity, license: pkg.license,
      dependencies: pkg.dependencies, bin: pkg.bin, engines: pkg.engines,
    },
  }
  for (const [path, entry] of Object.entries(ours.packages)) {
    if (!path.startsWith('node_modules/') || entry.dev) continue
    // Our lockfile keeps no `resolved` URLs; without one npm asks the registry for metadata. Point it at the
    // recording registry: npm finds the tarball in its cache by `integrity` and never requests it.
    const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length)
    packages[path] = { resolved: `${npmEnv.npm_config_registry}${name}/-/${name.split('/').pop()}-${entry.version}.tgz`, ...entry }
  }
  return { name: 'consumer', version: '1.0.0', lockfileVersion: 3, requires: true, packages }
}

test('installs from the packed tarball into an empty project offline, with no registry request', async () => {
  rmSync(project, { recursive: true, force: true })
  await exec('mkdir', ['-p', project])
  await exec('cp', [join(tmp, tarballName), join(project, tarballName)])
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, dependencies: { [pkg.name]: `file:${tarballName}` } }, null, 2))
  writeFileSync(join(project, 'package-lock.json'), JSON.stringify(consumerLock(), null, 2))
  const r = await npm(['ci', '--offline', '--no-audit', '--no-fund'], project)
  assert.deepEqual(requests, [], `npm contacted the registry: ${requests.join(', ')}`)
  assert.match(r.stdout + r.stderr, /added \d+ packages/)
  assert.equal(JSON.parse(readFileSync(join(project, 'node_modules', pkg.name, 'package.json'), 'utf8')).version, pkg.version)
})

test('the installed bin answers --version and scans a fixture (esbuild and the scan worker included)', async () => {
  const bin = join(project, 'node_modules', '.bin', 'nophonehome')
  const v = await exec(bin, ['--version'], { cwd: project })
  assert.equal(v.stdout.trim(), pkg.version)
  const editions = fixture('bundle-editions')
  const cloud = await exec(bin, ['scan', editions, '--esbuild-options', 'build.cloud.json', '--no-cache', '--format', 'json'], { cwd: editions }).catch((e) => e)
  assert.equal(cloud.code, 1, cloud.stderr)
  const report = JSON.parse(cloud.stdout)
  assert.equal(report.verdict, 'fail')
  assert.ok(report.findings.some((f) => f.destination?.host === 'usage.acme.invalid'))
  const selfHosted = await exec(bin, ['scan', editions, '--esbuild-options', 'build.self-hosted.json', '--no-cache'], { cwd: editions })
  assert.match(selfHosted.stdout, /verdict: PASS/)
})

test('imports nophonehome and nophonehome/test from the installed package', async () => {
  const script = `const t = await import('nophonehome/test'); const m = await import('nophonehome');
console.log(JSON.stringify({ test: Object.keys(t).sort(), main: Object.keys(m).sort() }))`
  const r = await exec(process.execPath, ['--input-type=module', '-e', script], { cwd: project })
  const names = JSON.parse(r.stdout)
  for (const n of ['assertNoPhoneHome', 'startSandbox']) assert.ok(names.test.includes(n), `nophonehome/test exports ${n}: ${names.test}`)
  for (const n of ['scan', 'run', 'verify']) assert.ok(names.main.includes(n), `nophonehome exports ${n}: ${names.main}`)
  // Internals are not reachable from the package.
  const internal = await exec(process.execPath, ['--input-type=module', '-e', "await import('nophonehome/dist/internal.js')"], { cwd: project }).catch((e) => e)
  assert.ok(internal.code !== 0)
})

test('ships only what runs: no tests, fixtures, sources, maps or test-only internals', () => {
  for (const f of shipped) {
    assert.match(f, /^(?:dist\/(?:cli|index|test)\.js|dist\/chunks\/[\w-]+\.js|dist\/runtime\/(?:guard|supervisor)\.cjs|dist\/static\/worker\.cjs|schema\/policy\.schema\.json|package\.json|README\.md|CHANGELOG\.md|SECURITY\.md)$/, `${f} should not ship`)
  }
  // Every shipped script is reached from the package's entry points (bin, exports) or loaded by path.
  const read = (f) => readFileSync(join(ROOT, f), 'utf8')
  const entries = ['dist/cli.js', 'dist/index.js', 'dist/test.js']
  const reached = new Set(entries)
  const queue = [...entries]
  while (queue.length) {
    const f = queue.pop()
    for (const m of read(f).matchAll(/(?:from\s*|import\(\s*)"(\.{1,2}\/[^"]+)"/g)) {
      const target = posix.normalize(posix.join(posix.dirname(f), m[1]))
      if (!reached.has(target)) { reached.add(target); queue.push(target) }
    }
  }
  const loadedByPath = ['dist/static/worker.cjs', 'dist/runtime/supervisor.cjs', 'dist/runtime/guard.cjs']
  for (const f of loadedByPath) {
    const name = posix.basename(f)
    assert.ok([...reached].some((r) => read(r).includes(name)), `${f} is loaded by name from shipped code`)
  }
  for (const f of shipped.filter((x) => /\.c?js$/.test(x))) assert.ok(reached.has(f) || loadedByPath.includes(f), `${f} ships but nothing loads it`)
  for (const f of reached) assert.ok(shipped.includes(f), `${f} is imported but does not ship`)
})

test('everything the shipped code imports at run time is a dependency, never a devDependency', () => {
  const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]))
  const imported = new Set()
  for (const f of shipped.filter((x) => /\.c?js$/.test(x))) {
    const text = readFileSync(join(ROOT, f), 'utf8')
    for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\(\s*|\brequire\(\s*)"([^".][^"]*)"/g)) {
      const spec = m[1]
      if (builtins.has(spec) || builtins.has(spec.split('/')[0])) continue
      imported.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0])
    }
  }
  // The signature database names SDK packages as data (`packages: ["newrelic", …]`), not imports.
  for (const name of imported) {
    if (pkg.dependencies[name]) continue
    assert.ok(!pkg.devDependencies?.[name], `${name} is imported at run time but only a devDependency`)
  }
  for (const dep of ['esbuild', 'acorn', 'tar', 'picocolors']) assert.ok(imported.has(dep), `the scan shows ${dep} is imported`)
  // TypeBox is a devDependency because the build inlines it: no shipped file imports it.
  assert.ok(!imported.has('@sinclair/typebox'))
  for (const dep of Object.keys(pkg.dependencies)) assert.ok(imported.has(dep), `${dep} is a dependency but nothing shipped imports it`)
})

test.after(() => {
  registry.close()
  rmSync(tmp, { recursive: true, force: true })
})
