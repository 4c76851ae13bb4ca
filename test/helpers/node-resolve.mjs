// Node's own answers for specifiers, to cross-check the static resolver: createRequire(importer).resolve
// and import.meta.resolve(specifier, importer), in a child process of a chosen Node binary. Both only
// resolve; nothing is loaded.
import { execFileSync } from 'node:child_process'
import { existsSync, realpathSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT } from './index.mjs'

const CHILD = `
const { pathToFileURL, fileURLToPath } = await import('node:url')
const { createRequire } = await import('node:module')
const { readFileSync } = await import('node:fs')
const rows = JSON.parse(readFileSync(0, 'utf8'))
const out = rows.map(([spec, parent, kind]) => {
  try {
    const u = kind === 'require' ? createRequire(parent).resolve(spec) : import.meta.resolve(spec, pathToFileURL(parent).href)
    if (u.startsWith('/')) return { path: u }
    if (u.startsWith('file:')) return { path: fileURLToPath(u) }
    if (kind === 'require' || u.startsWith('node:')) return { builtin: u.replace(/^node:/, '') }
    return { url: u }
  } catch (err) { return { error: err.code ?? 'ERROR' } }
})
process.stdout.write(JSON.stringify(out))
`

/** The Node binaries to ask: this one, and the extra majors test/nodes installs (when installed). */
export function nodeBinaries() {
  const extra = ['node22', 'node24', 'node26'].map((n) => join(ROOT, 'test/nodes/node_modules', n, 'bin/node')).filter((p) => existsSync(p))
  return [process.execPath, ...extra]
}

/**
 * Resolves [specifier, importer, 'require' | 'import'] rows with one Node binary: { path } | { builtin }
 * | { url } | { error: code }. The importer is taken at its real path, as Node's loader does; a path
 * that does not exist counts as not found (Node 20's import.meta.resolve returns one for a relative
 * specifier without checking).
 */
export function nodeResolveAll(nodeBinary, rows) {
  const real = rows.map(([s, p, kind]) => [s, realpathSync(p), kind])
  const stdout = execFileSync(nodeBinary, ['--experimental-import-meta-resolve', '--no-warnings', '--input-type=module', '-e', CHILD], { input: JSON.stringify(real), encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 })
  return JSON.parse(stdout).map((r) => (r.path && !isFile(r.path) ? { error: 'ERR_MODULE_NOT_FOUND' } : r.path ? { path: realpathSync(r.path) } : r))
}

function isFile(p) {
  try { return existsSync(p) && statSync(p).isFile() } catch { return false }
}
