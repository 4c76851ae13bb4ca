// The GitHub Action keeps the analysis cache between runs: its steps, run here as a runner would run them
// (action.yml parsed, each `run:` step executed by bash with the env the action sets, `if:` evaluated), with
// actions/cache/restore and /save emulated by a store kept between the jobs. The second run of an unchanged
// build must be a warm scan; a changed build starts from the newest entry and analyses only what changed.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, appendFileSync, chmodSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'yaml'
import { CLI, ROOT, fixture } from '../helpers/index.mjs'

const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8'))
const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version
const tmp = mkdtempSync(join(tmpdir(), 'nph-action-'))

// `npx --yes nophonehome@VERSION …` would fetch the published package; here it is this build.
const bin = join(tmp, 'bin')
mkdirSync(bin)
writeFileSync(join(bin, 'npx'), `#!/bin/sh
[ "$1" = --yes ] && shift
[ "$1" = "nophonehome@${version}" ] || { echo "fake npx: unexpected package $1" >&2; exit 97; }
shift
exec "${process.execPath}" "${CLI}" "$@"
`)
chmodSync(join(bin, 'npx'), 0o755)

/** The cache service: key → saved directory, in save order (restore-keys pick the newest match). */
const store = []

/** `${{ … }}` and `if:` for the expressions action.yml uses; anything else fails the test instead of guessing. */
function evaluate(expr, ctx) {
  const term = (t) => {
    t = t.trim()
    if (t === 'always()') return true
    const m = /^([\w.-]+)\s*(==|!=)\s*'([^']*)'$/.exec(t)
    if (m) { const v = String(lookup(m[1], ctx) ?? ''); return m[2] === '==' ? v === m[3] : v !== m[3] }
    throw new Error(`expression not understood by the test's runner: ${t}`)
  }
  return expr.split('&&').every(term)
}

function lookup(path, ctx) {
  const [root, ...rest] = path.split('.')
  if (root === 'inputs') return ctx.inputs[rest.join('.')]
  if (root === 'github' && rest[0] === 'action_path') return ROOT
  if (root === 'runner' && rest[0] === 'temp') return ctx.runnerTemp
  if (root === 'steps') return ctx.steps[rest[0]]?.[rest[1]]?.[rest.slice(2).join('.')]
  throw new Error(`context not known to the test's runner: ${path}`)
}

function substitute(value, ctx) {
  return String(value).replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, e) => String(lookup(e, ctx) ?? ''))
}

function readOutputs(file) {
  const out = {}
  if (!existsSync(file)) return out
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const eq = line.indexOf('=')
    if (eq > 0) out[line.slice(0, eq)] = line.slice(eq + 1)
  }
  return out
}

/** Runs the action's steps once in a fresh job (own runner.temp, own workspace copy of `build`). */
async function runJob(name, build, withInputs) {
  const job = join(tmp, name)
  const workspace = join(job, 'workspace')
  const runnerTemp = join(job, 'runner-temp')
  mkdirSync(runnerTemp, { recursive: true })
  cpSync(build, join(workspace, 'dist'), { recursive: true })
  const inputs = Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, withInputs[k] ?? v.default ?? '']))
  const ctx = { inputs, runnerTemp, steps: {} }
  const log = []
  let failed = false
  for (const step of action.runs.steps) {
    // As on GitHub: a step runs only while the job has not failed, unless its condition says always().
    const runs = (!failed || step.if?.includes('always()')) && (!step.if || evaluate(step.if, ctx))
    if (!runs) { log.push(`skip ${step.name}`); continue }
    const outputs = {}
    if (step.uses?.startsWith('actions/cache/restore@')) {
      const w = Object.fromEntries(Object.entries(step.with).map(([k, v]) => [k, substitute(v, ctx)]))
      const exact = store.findLast((e) => e.key === w.key)
      const partial = exact ?? store.findLast((e) => w['restore-keys'].split('\n').some((p) => p && e.key.startsWith(p.trim())))
      if (partial) cpSync(partial.dir, w.path, { recursive: true })
      outputs['cache-hit'] = exact ? 'true' : 'false'
      outputs['cache-matched-key'] = partial?.key ?? ''
      log.push(`restore ${exact ? 'exact' : partial ? 'partial' : 'miss'}`)
    } else if (step.uses?.startsWith('actions/cache/save@')) {
      const w = Object.fromEntries(Object.entries(step.with).map(([k, v]) => [k, substitute(v, ctx)]))
      // Like the cache service: a key is written once.
      if (!store.some((e) => e.key === w.key) && existsSync(w.path)) {
        const dir = join(tmp, 'store', String(store.length))
        cpSync(w.path, dir, { recursive: true })
        store.push({ key: w.key, dir })
      }
      log.push('save')
    } else if (step.run) {
      assert.equal(step.shell, 'bash')
      const githubOutput = join(job, `output-${step.id ?? log.length}`)
      const env = {
        PATH: `${bin}:${process.env.PATH}`, HOME: process.env.HOME, RUNNER_OS: 'Linux', RUNNER_TEMP: runnerTemp, CI: 'true',
        GITHUB_ACTIONS: 'true', GITHUB_OUTPUT: githubOutput, GITHUB_STEP_SUMMARY: join(job, 'summary.md'), NO_COLOR: '1',
        ...Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, substitute(v, ctx)])),
      }
      const cwd = join(workspace, substitute(step['working-directory'] ?? '.', ctx))
      // GitHub runs `shell: bash` as bash --noprofile --norc -eo pipefail {0}.
      const script = join(job, `step-${log.length}.sh`)
      writeFileSync(script, step.run)
      const r = await new Promise((res) => execFile('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], { cwd, env, maxBuffer: 16 << 20 }, (err, stdout, stderr) => res({ code: err ? err.code : 0, stdout, stderr })))
      Object.assign(outputs, readOutputs(githubOutput))
      if (r.code !== 0) failed = true
      log.push(`run ${step.name}: exit ${r.code}`)
      appendFileSync(join(job, 'log.txt'), `## ${step.name}\n${r.stdout}${r.stderr}\n`)
    } else if (step.uses) {
      throw new Error(`the test's runner does not emulate ${step.uses}`)
    }
    if (step.id) ctx.steps[step.id] = { outputs }
  }
  return { ctx, log, failed, outputs: ctx.steps.scan?.outputs ?? {}, report: JSON.parse(readFileSync(join(workspace, inputs['output-dir'], 'nophonehome.json'), 'utf8')), logText: readFileSync(join(job, 'log.txt'), 'utf8') }
}

const build = join(tmp, 'build')
cpSync(fixture('static', 'matrix'), build, { recursive: true })
const files = readdirSync(build, { recursive: true }).filter((f) => /\.[cm]?js$/.test(f))

test('the second run of an unchanged build is a warm scan: every file answered from the restored cache', async () => {
  const first = await runJob('first', build, {})
  assert.equal(first.ctx.steps.cache.outputs['cache-hit'], 'false')
  assert.ok(Number(first.outputs['cache-misses']) >= files.length, `${first.outputs['cache-misses']} analysed of ${files.length} js files\n${first.logText}`)
  assert.equal(first.outputs['cache-hits'], '0')
  assert.ok(first.log.includes('save'), first.log.join('\n'))
  assert.equal(store.length, 1)
  assert.match(store[0].key, new RegExp(`^nophonehome-analysis-Linux-${version.replace(/\./g, '\\.')}-[0-9a-f]{32}$`))

  const second = await runJob('second', build, {})
  assert.equal(second.ctx.steps.cache.outputs['cache-hit'], 'true', second.log.join('\n'))
  assert.equal(second.outputs['cache-misses'], '0', second.logText)
  assert.equal(second.outputs['cache-hits'], first.outputs['cache-misses'])
  assert.match(second.logText, /analysis cache: \d+ answered from the cache, 0 analysed/)
  // An exact hit is not saved again; the answer is the same as the cold run's.
  assert.ok(second.log.includes('skip Save the analysis cache'), second.log.join('\n'))
  assert.equal(store.length, 1)
  assert.equal(second.outputs.verdict, first.outputs.verdict)
  assert.deepEqual(second.report.findings, first.report.findings)
  // The job's outcome is the action's own: the fixture has violations, so the Verdict step fails it.
  assert.equal(first.outputs.verdict, 'fail')
  assert.ok(second.failed && first.failed)
})

test('a changed build restores the newest entry of the same version and analyses only what changed', async () => {
  const changed = join(tmp, 'build-changed')
  cpSync(build, changed, { recursive: true })
  const target = join(changed, files[0])
  writeFileSync(target, `${readFileSync(target, 'utf8')}\nfetch('https://changed.acme.invalid/v1')\n`)
  const third = await runJob('third', changed, {})
  assert.equal(third.ctx.steps.cache.outputs['cache-hit'], 'false')
  assert.equal(third.ctx.steps.cache.outputs['cache-matched-key'], store[0].key)
  assert.equal(third.outputs['cache-misses'], '1', third.logText)
  assert.ok(third.report.findings.some((f) => f.destination?.host === 'changed.acme.invalid'))
  assert.equal(store.length, 2, 'saved under the new build\'s key')
})

test('cache: false leaves the cache alone', async () => {
  const before = store.length
  const r = await runJob('nocache', build, { cache: 'false' })
  assert.ok(r.log.includes('skip Restore the analysis cache') && r.log.includes('skip Save the analysis cache'), r.log.join('\n'))
  assert.equal(store.length, before)
})

test.after(() => rmSync(tmp, { recursive: true, force: true }))
