// Installs the labelled corpus (scripts/corpus) outside the repo, once per lockfile, with install scripts off.
//
// usage: node scripts/corpus-setup.mjs            prints the folder (installs it first when needed)
//   NOPHONEHOME_CORPUS_DIR=DIR   where to install (default $XDG_CACHE_HOME/nophonehome-corpus/<lock hash>)
//
// The packages in it are only read and scanned, never run: `npm ci --ignore-scripts` (and the same setting in
// the environment, in case a future npm reads one and not the other), nothing required, no lifecycle script.
// A marker file written after a complete install lets later runs reuse the tree while the lockfile is unchanged.
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

const REPO = fileURLToPath(new URL('..', import.meta.url))
export const CORPUS_SPEC = join(REPO, 'scripts', 'corpus')
const MARKER = '.nophonehome-corpus-complete'

function cacheHome() {
  return process.env.XDG_CACHE_HOME || join(homedir(), '.cache')
}

/** First 16 hex digits of the lockfile's SHA-256: the lockfile pins the root's dependencies too. */
export function lockHash() {
  return createHash('sha256').update(readFileSync(join(CORPUS_SPEC, 'package-lock.json'))).digest('hex').slice(0, 16)
}

/**
 * Returns the installed corpus folder ({ dir, hash, installed }), installing it first when the marker is
 * missing or names another lockfile. `log` receives progress lines.
 */
export function ensureCorpus(log = (line) => process.stderr.write(`${line}\n`)) {
  const hash = lockHash()
  const dir = resolve(process.env.NOPHONEHOME_CORPUS_DIR || join(cacheHome(), 'nophonehome-corpus', hash))
  const rel = relative(REPO, dir)
  if (!rel || (!rel.startsWith('..') && !rel.startsWith(sep) && !/^[a-zA-Z]:/.test(rel))) {
    throw new Error(`corpus folder ${dir} is inside the repository; point NOPHONEHOME_CORPUS_DIR elsewhere`)
  }
  const marker = join(dir, MARKER)
  if (existsSync(marker) && readFileSync(marker, 'utf8').trim() === hash && existsSync(join(dir, 'node_modules'))) {
    return { dir, hash, installed: false }
  }
  log(`installing the labelled corpus into ${dir} (npm ci --ignore-scripts; about a minute the first time)…`)
  mkdirSync(dir, { recursive: true })
  rmSync(marker, { force: true })
  copyFileSync(join(CORPUS_SPEC, 'package.json'), join(dir, 'package.json'))
  copyFileSync(join(CORPUS_SPEC, 'package-lock.json'), join(dir, 'package-lock.json'))
  const r = spawnSync('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], {
    cwd: dir,
    // npm's own output goes to stderr so that stdout stays the scorer's (or this script's) result.
    stdio: ['ignore', process.stderr, 'inherit'],
    env: { ...process.env, npm_config_ignore_scripts: 'true' },
  })
  if (r.status !== 0) throw new Error(`npm ci failed in ${dir} (exit ${r.status ?? r.signal})`)
  writeFileSync(marker, `${hash}\n`)
  return { dir, hash, installed: true }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const { dir } = ensureCorpus()
    process.stdout.write(`${dir}\n`)
  } catch (err) {
    process.stderr.write(`corpus-setup: ${err.message}\n`)
    process.exitCode = 2
  }
}
