// JS stack → the first frame that is the app's (not Node's, not the guard's) → file:line → package@version.
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, relative, isAbsolute, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

export interface Attribution {
  /** Absolute path of the frame's file. */
  file: string
  line: number
  /** 1-based, as V8 prints it. */
  column: number
  /** `name@version`, or `(first-party)` outside node_modules. */
  package: string
}

const FRAME = /^(?:.*?\()?((?:file:\/\/)?[^()\s][^()]*?):(\d+):(\d+)\)?$/

/** Picks the first frame outside Node internals and the guard; undefined when there is none. */
export function attributeStack(stack: readonly string[] | undefined, guardFile?: string, fsRoot = ''): Attribution | undefined {
  for (const raw of stack ?? []) {
    const frame = raw.trim().replace(/^at\s+/, '')
    const m = FRAME.exec(frame)
    if (!m) continue
    let file = m[1]
    if (file.startsWith('node:') || file.startsWith('internal/') || !file.includes('/')) continue
    if (file.startsWith('file://')) {
      try { file = fileURLToPath(file) } catch { continue }
    }
    if (isGuardFile(file) || file === guardFile) continue
    return { file, line: Number(m[2]), column: Number(m[3]), package: packageOf(file, fsRoot) }
  }
  return undefined
}

function isGuardFile(file: string): boolean {
  return /[\\/]runtime[\\/]guard(?:[\\/][^\\/]+)?\.[cm]?js$/.test(file)
}

const packageCache = new Map<string, string>()

/**
 * `name@version` of the nearest package.json under node_modules; `(first-party)` otherwise. `fsRoot`: where the
 * app's `/` is on this host (a container image's unpacked root), so its paths are read there, not here.
 */
export function packageOf(file: string, fsRoot = ''): string {
  if (!file.includes(`${sep}node_modules${sep}`)) return '(first-party)'
  let dir = dirname(file)
  const seen: string[] = []
  let found = '(unknown package)'
  for (let i = 0; i < 64; i++) {
    const cached = packageCache.get(fsRoot + dir)
    if (cached) { found = cached; break }
    seen.push(dir)
    const pj = join(fsRoot, dir, 'package.json')
    if (existsSync(pj)) {
      try {
        const pkg = JSON.parse(readFileSync(pj, 'utf8')) as { name?: string; version?: string }
        // Nested package.json files without a name (e.g. {"type":"module"}) do not name a package.
        if (pkg.name) { found = `${pkg.name}@${pkg.version ?? '0.0.0'}`; break }
      } catch { /* unreadable: keep walking */ }
    }
    const parent = dirname(dir)
    if (parent === dir || dir.endsWith(`${sep}node_modules`)) break
    dir = parent
  }
  for (const d of seen) packageCache.set(fsRoot + d, found)
  return found
}

/** Path shown in reports: relative to the run's directory when inside it. */
export function displayPath(file: string, cwd: string): string {
  if (!isAbsolute(file)) return file
  const rel = relative(cwd, file)
  return rel.startsWith('..') ? file : rel.split(sep).join('/')
}
