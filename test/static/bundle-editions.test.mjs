// Bundling mode with the vendor's build inputs: the edition that ships, not the managed one.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { fixture, importDist, runCli, scanJson } from '../helpers/index.mjs'

const { scan } = await importDist('index.js')
const { blankDeadBranches, parseDefineFlags, parseListFlag } = await importDist('internal.js')
const project = fixture('bundle-editions')
const external = (report) => [...new Set(report.findings.filter((f) => f.severity === 'violation').map((f) => f.destination?.host))].sort()

test('one code base, two editions: the self-hosted options file passes, the cloud one fails', async () => {
  const selfHosted = await scanJson(['scan', project, '--esbuild-options', 'build.self-hosted.json', '--no-cache'], { cwd: project })
  const cloud = await scanJson(['scan', project, '--esbuild-options', 'build.cloud.json', '--no-cache'], { cwd: project })
  assert.equal(selfHosted.code, 0, selfHosted.stderr)
  assert.equal(selfHosted.report.verdict, 'pass')
  assert.deepEqual(external(selfHosted.report), [])
  assert.equal(cloud.code, 1, cloud.stderr)
  assert.equal(cloud.report.verdict, 'fail')
  // usage.js is only imported under the cloud define, billing is an inline branch, metrics a CLOUD: label,
  // crash the default export condition of acme-crash.
  assert.deepEqual(external(cloud.report), ['billing.acme.invalid', 'crash.acme.invalid', 'metrics.acme.invalid', 'usage.acme.invalid'])
  // The first-party code both editions keep is there in both.
  for (const r of [selfHosted.report, cloud.report]) assert.ok(r.findings.some((f) => f.destination?.source === 'parameter port'))
})

test('records and prints the edition inputs applied, and which keys of the options file were left out', async () => {
  const r = await scanJson(['scan', project, '--esbuild-options', 'build.self-hosted.json', '--define', 'globalThis.ACME_REGION="eu"', '--no-cache'], { cwd: project })
  assert.deepEqual(r.report.build, {
    entries: ['src/server.js'],
    platform: 'node',
    define: { 'process.env.EDITION': '"self-hosted"', __SELF_HOSTED__: 'true', 'globalThis.ACME_REGION': '"eu"' },
    dropLabels: ['CLOUD'],
    conditions: ['self-hosted'],
    external: [],
    optionsFile: {
      file: 'build.self-hosted.json',
      applied: ['conditions', 'define', 'dropLabels', 'entryPoints', 'platform'],
      ignored: ['bundle', 'minify', 'outdir', 'sourcemap'],
    },
  })
  assert.match(r.stderr, /bundled src\/server\.js for node with define process\.env\.EDITION="self-hosted" · define __SELF_HOSTED__=true · define globalThis\.ACME_REGION="eu" · drop-labels CLOUD · conditions self-hosted \(options from build\.self-hosted\.json/)
})

test('flags alone pick the edition: --define, --drop-labels and --conditions', async () => {
  const base = { targets: [project], entries: ['src/server.js'], cache: false }
  const cloud = await scan(base)
  const selfHosted = await scan({ ...base, build: { define: { 'process.env.EDITION': '"self-hosted"', __SELF_HOSTED__: 'true' }, dropLabels: ['CLOUD'], conditions: ['self-hosted'] } })
  // Without the define, `__SELF_HOSTED__` is a free global: the billing branch stays.
  assert.ok(external(cloud).includes('billing.acme.invalid'))
  assert.deepEqual(external(selfHosted), [])
  const halfway = await runCli(['scan', project, '--entry', 'src/server.js', '--define', 'process.env.EDITION="self-hosted"', '--define', '__SELF_HOSTED__=true', '--no-cache', '--format', 'json'])
  const report = JSON.parse(halfway.stdout)
  // No --drop-labels and no --conditions: the CLOUD: label and the crash reporter still ship.
  assert.deepEqual(external(report), ['crash.acme.invalid', 'metrics.acme.invalid'])
})

test('import.meta.env defines fold a browser entry', async () => {
  const off = await scan({ targets: [project], entries: ['src/web.js'], platform: 'browser', cache: false, build: { define: { 'import.meta.env.VITE_EDITION': '"self-hosted"' } } })
  const on = await scan({ targets: [project], entries: ['src/web.js'], platform: 'browser', cache: false, build: { define: { 'import.meta.env.VITE_EDITION': '"cloud"' } } })
  assert.deepEqual(external(off), [])
  assert.deepEqual(external(on), ['rum.acme.invalid'])
})

test('refuses a JavaScript build config instead of running vendor code (exit 2, BUILD_OPTIONS_INVALID)', async () => {
  const r = await runCli(['scan', project, '--esbuild-options', 'build.config.mjs'], { cwd: project })
  assert.equal(r.code, 2)
  assert.match(r.stderr, /build\.config\.mjs: is JavaScript\. nophonehome does not run the vendor's build code/)
  assert.equal(r.stdout, '')
})

test('names each problem of an options file by JSON pointer and line:column', async () => {
  const r = await runCli(['scan', project, '--esbuild-options', 'build.unknown.json'], { cwd: project })
  assert.equal(r.code, 2)
  assert.match(r.stderr, /build\.unknown\.json \/define\/__SELF_HOSTED__ \(3:34\): 'self hosted' is neither a JSON literal/)
  assert.match(r.stderr, /build\.unknown\.json \/stdin \(4:12\): 'stdin' is not an esbuild option nophonehome knows how to apply/)
  const missing = await runCli(['scan', project, '--esbuild-options', 'no-such.json'], { cwd: project })
  assert.equal(missing.code, 2)
  assert.match(missing.stderr, /no-such\.json: cannot be read \(ENOENT\)/)
})

test('rejects malformed --define, --drop-labels and --conditions, and edition flags without bundling mode', async () => {
  for (const [args, message] of [
    [['--define', 'process.env.EDITION'], /--define process\.env\.EDITION: expected KEY=VALUE/],
    [['--define', 'a-b=1'], /'a-b' is not an identifier or member expression/],
    [['--define', 'X=self hosted'], /'self hosted' is neither a JSON literal/],
    [['--drop-labels', 'DEV,1x'], /--drop-labels DEV,1x: '1x' is not a label name/],
    [['--conditions', 'a,,b'], /--conditions a,,b: '' is not a condition name/],
  ]) {
    const r = await runCli(['scan', project, '--entry', 'src/server.js', ...args])
    assert.equal(r.code, 2, args.join(' '))
    assert.match(r.stderr, message)
  }
  const r = await runCli(['scan', project, '--define', 'X=1'])
  assert.equal(r.code, 2)
  assert.match(r.stderr, /only apply in bundling mode/)
})

test('warns when a process.env define is given a bare name where a string was meant', () => {
  const notices = []
  assert.deepEqual(parseDefineFlags(['process.env.EDITION=selfhosted', 'DEBUG=false'], notices), { 'process.env.EDITION': 'selfhosted', DEBUG: 'false' })
  assert.equal(notices.length, 1)
  assert.match(notices[0], /selfhosted is read as a name, not a string/)
  assert.deepEqual(parseListFlag(['DEV,TEST', 'DEV'], '--drop-labels', 'label'), ['DEV', 'TEST'])
})

test('blanks only branches behind a literal test, keeping every other position', () => {
  const code = [
    'if (false) fetch("https://a.invalid");',
    'if (true) keep(); else fetch("https://b.invalid");',
    'const x = false ? fetch("https://c.invalid") : 1, y = true ? 2 : fetch("https://d.invalid");',
    'false && fetch("https://e.invalid"); true || fetch("https://f.invalid"); flag && fetch("https://live.invalid");',
    'if (false) {\n  fetch("https://g.invalid")\n}\nfetch("https://h.invalid")',
  ].join('\n')
  const { code: out, removed } = blankDeadBranches(code)
  assert.equal(removed, 7)
  assert.equal(out.length, code.length)
  assert.deepEqual(out.split('\n').map((l) => l.length), code.split('\n').map((l) => l.length))
  for (const dead of 'abcdefg') assert.ok(!out.includes(`https://${dead}.invalid`), dead)
  assert.ok(out.includes('live.invalid') && out.includes('h.invalid') && out.includes('keep()'))
  // Still JavaScript, with the kept code where it was.
  assert.doesNotThrow(() => new Function(out))
  assert.equal(out.indexOf('fetch("https://h.invalid")'), code.indexOf('fetch("https://h.invalid")'))
  assert.equal(blankDeadBranches('fetch(u)').code, 'fetch(u)')
})
