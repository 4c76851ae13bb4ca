// Runs the test suite: every test/**/*.test.mjs outside fixtures, through node --test.
// (Node 20 does not expand globs, and its default patterns would pick up fixture files.)
import { spawn } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { join, relative } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const only = process.argv.slice(2)
const files = []
const walk = (dir) => {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name)
    if (e.isDirectory()) {
      if (e.name === 'fixtures' || e.name === 'node_modules') continue
      walk(p)
    } else if (e.name.endsWith('.test.mjs')) files.push(relative(root, p))
  }
}
walk(join(root, 'test'))
const selected = only.length ? files.filter((f) => only.some((o) => f.includes(o))) : files
selected.sort()
const child = spawn(process.execPath, ['--test', '--test-concurrency=2', ...selected], { cwd: root, stdio: 'inherit' })
child.on('exit', (code, signal) => { process.exitCode = code ?? (signal ? 1 : 0) })
