// From an image's config to the product: the command it starts (Entrypoint + Cmd, WorkingDir, Env) and the
// JavaScript files that command runs — through `node`, `npm start`, `sh -c "…"`, init wrappers and entrypoint scripts.
import { closeSync, lstatSync, openSync, readFileSync, readSync } from 'node:fs'
import { join, posix } from 'node:path'
import type { NotAnalysed } from '../../report/finding.ts'
import type { ImageRunConfig } from './image.ts'
import { resolveInRoot } from './image-layers.ts'

export interface StartPlan {
  /** What the image runs: Entrypoint + Cmd, as `docker run` would. */
  argv: string[]
  /** Where it runs, inside the image (WorkingDir, default `/`). */
  workingDir: string
  /** JavaScript files the product starts from, relative to the image root, sorted. */
  entryPoints: string[]
  /** How each was found, and what could not be followed, in order. */
  notes: string[]
  /** Code the start command carries inline (`node -e`), which no file holds: not analysed. */
  notAnalysed: NotAnalysed[]
}

/** Docker's PATH when an image sets none. */
export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'

const SHELLS = /^(sh|bash|ash|dash|zsh|ksh|busybox)$/
const INIT_WRAPPERS = /^(tini|tini-static|dumb-init|catatonit|docker-init)$/
const USER_WRAPPERS = /^(gosu|su-exec)$/
const PACKAGE_MANAGERS = /^(npm|yarn|pnpm)$/
const NODE = /^(node|nodejs)(\d+)?$/
/** node options whose value is the next argument. */
const NODE_VALUE_OPTIONS = new Set(['-r', '--require', '--import', '--loader', '--experimental-loader', '-C', '--conditions', '--title', '--input-type', '--env-file', '--redirect-warnings', '--openssl-config', '--icu-data-dir', '--inspect-port', '--stack-trace-limit'])
const MAX_DEPTH = 8

/** The image's start command and its JavaScript entry points. `override` replaces Entrypoint and Cmd. */
export function planStart(root: string, config: ImageRunConfig, override?: string[]): StartPlan {
  const argv = override ?? [...(config.entrypoint ?? []), ...(config.cmd ?? [])]
  const workingDir = config.workingDir && config.workingDir.startsWith('/') ? posix.normalize(config.workingDir) : `/${config.workingDir ?? ''}`.replace(/\/+$/, '') || '/'
  const env = envMap(config.env)
  const plan: StartPlan = { argv, workingDir, entryPoints: [], notes: [], notAnalysed: [] }
  if (!argv.length) {
    plan.notes.push('the image sets no Entrypoint or Cmd: no start command, so no entry points')
    return plan
  }
  const found = new Set<string>()
  const ctx: Ctx = { root, env, found, plan, pathVar: env.get('PATH') ?? DEFAULT_PATH }
  followCommand(ctx, argv, workingDir, 0, override ? 'command' : config.entrypoint?.length ? 'Entrypoint' : 'Cmd')
  plan.entryPoints = [...found].sort()
  return plan
}

interface Ctx {
  root: string
  env: Map<string, string>
  found: Set<string>
  plan: StartPlan
  pathVar: string
  /** While following an npm script: node_modules/.bin of the package is searched first. */
  binDir?: string
}

function envMap(env: string[]): Map<string, string> {
  const m = new Map<string, string>()
  for (const e of env) {
    const eq = e.indexOf('=')
    if (eq > 0) m.set(e.slice(0, eq), e.slice(eq + 1))
  }
  return m
}

function followCommand(ctx: Ctx, argv: string[], cwd: string, depth: number, via: string): void {
  if (depth > MAX_DEPTH) { ctx.plan.notes.push(`${via}: wrappers nested too deeply; not followed further`); return }
  let args = [...argv]
  // `env [-i] [NAME=value…] cmd`
  while (args.length && posix.basename(args[0]) === 'env') {
    args = args.slice(1)
    while (args.length && (args[0].startsWith('-') || /^[A-Za-z_][A-Za-z0-9_]*=/.test(args[0]))) args.shift()
  }
  if (!args.length) return
  const prog = args[0]
  const base = posix.basename(prog)
  if (INIT_WRAPPERS.test(base)) {
    let rest = args.slice(1)
    while (rest.length && rest[0].startsWith('-') && rest[0] !== '--') rest = rest.slice(1)
    if (rest[0] === '--') rest = rest.slice(1)
    ctx.plan.notes.push(`${via}: ${base} (an init process) starts ${rest[0] ?? 'nothing'}`)
    followCommand(ctx, rest, cwd, depth + 1, via)
    return
  }
  if (USER_WRAPPERS.test(base)) { followCommand(ctx, args.slice(2), cwd, depth + 1, via); return }
  if (SHELLS.test(base)) {
    const shellArgs = base === 'busybox' && SHELLS.test(args[1] ?? '') ? args.slice(2) : args.slice(1)
    const c = shellArgs.indexOf('-c')
    if (c >= 0 && shellArgs[c + 1] !== undefined) {
      followShell(ctx, shellArgs[c + 1], cwd, depth + 1, `${via}: ${base} -c`)
      return
    }
    const script = shellArgs.find((a) => !a.startsWith('-'))
    if (script) followScriptFile(ctx, script, shellArgs.slice(shellArgs.indexOf(script) + 1), cwd, depth, via)
    return
  }
  if (NODE.test(base)) { followNode(ctx, args.slice(1), cwd, via); return }
  if (PACKAGE_MANAGERS.test(base)) { followPackageScript(ctx, base, args.slice(1), cwd, depth, via); return }
  const file = findProgram(ctx, prog, cwd)
  if (!file) { ctx.plan.notes.push(`${via}: ${prog} is not in the image (PATH ${ctx.pathVar}); not followed`); return }
  const kind = fileKind(ctx.root, file)
  if (kind === 'js') { addEntry(ctx, file, `${via}: ${prog}`); return }
  if (kind === 'shell') { followScriptFile(ctx, prog, args.slice(1), cwd, depth, via); return }
  if (kind === 'elf') { ctx.plan.notes.push(`${via}: ${prog} is a native program (/${file}): not JavaScript, reported as opaque code`); return }
  ctx.plan.notes.push(`${via}: ${prog} (/${file}) is ${kind === 'other-script' ? 'a script in another language' : 'not a program we can follow'}; not followed`)
}

/** An entrypoint script: not followed line by line; by convention it ends in `exec "$@"`, so its arguments run next. */
function followScriptFile(ctx: Ctx, script: string, rest: string[], cwd: string, depth: number, via: string): void {
  const file = findProgram(ctx, script, cwd) ?? inRoot(ctx.root, script.startsWith('/') ? script : posix.join(cwd, script))
  const where = file ? `/${file}` : script
  const line = file ? execLine(ctx.root, file) : undefined
  if (line) {
    ctx.plan.notes.push(`${via}: shell script ${where} ends in \`${line}\`; followed`)
    followShell(ctx, line.replace(/"\$@"|\$@|"\$\*"|\$\*/g, rest.map(shellQuote).join(' ')), cwd, depth + 1, `${via}: ${where}`)
    return
  }
  if (rest.length) {
    ctx.plan.notes.push(`${via}: shell script ${where}, assumed to run its arguments (\`exec "$@"\`)`)
    followCommand(ctx, rest, cwd, depth + 1, via)
  } else {
    ctx.plan.notes.push(`${via}: shell script ${where}; what it runs was not followed`)
  }
}

/** The last `exec …` line of a small shell script, when it has one and it is not only `exec "$@"`. */
function execLine(root: string, file: string): string | undefined {
  let text: string
  try {
    const st = lstatSync(join(root, file))
    if (!st.isFile() || st.size > 64 * 1024) return undefined
    text = readFileSync(join(root, file), 'utf8')
  } catch { return undefined }
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => /^exec\s/.test(l))
  const last = lines.at(-1)
  if (!last || /^exec\s+("\$@"|\$@)\s*$/.test(last)) return undefined
  return last
}

function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`
}

function followNode(ctx: Ctx, args: string[], cwd: string, via: string): void {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]
    if (a === '--') { if (args[i + 1]) addScript(ctx, args[i + 1], cwd, `${via}: node`); return }
    const eq = a.indexOf('=')
    const name = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a
    const value = a.startsWith('--') && eq > 0 ? a.slice(eq + 1) : undefined
    if (name === '-e' || name === '--eval' || name === '-p' || name === '--print') {
      ctx.plan.notAnalysed.push({ file: '<image config>', reason: `${via}: node ${name} runs inline code that is in no file; not analysed` })
      return
    }
    if (name === '-r' || name === '--require' || name === '--import' || name === '--loader' || name === '--experimental-loader') {
      const v = value ?? args[++i]
      if (v && (v.startsWith('.') || v.startsWith('/'))) addScript(ctx, v, cwd, `${via}: node ${name}`)
      else if (v) ctx.plan.notes.push(`${via}: node ${name} ${v} (a package, found by the scan itself)`)
      continue
    }
    if (a.startsWith('-')) {
      if (value === undefined && NODE_VALUE_OPTIONS.has(name)) i++
      continue
    }
    addScript(ctx, a, cwd, `${via}: node`)
    return
  }
  ctx.plan.notes.push(`${via}: node without a script (a REPL); no entry point`)
}

/** `node X`: X as Node resolves a main script — the file, with .js/.mjs/.cjs added, or a directory's index. */
function addScript(ctx: Ctx, script: string, cwd: string, via: string): void {
  const base = script.startsWith('/') ? script : posix.join(cwd, script)
  for (const candidate of [base, `${base}.js`, `${base}.mjs`, `${base}.cjs`, ...packageMain(ctx.root, base), `${base}/index.js`]) {
    const file = inRoot(ctx.root, candidate)
    if (file && isFile(ctx.root, file)) { addEntry(ctx, file, `${via} ${script}`); return }
  }
  ctx.plan.notes.push(`${via} ${script}: no such file in the image; not followed`)
}

function packageMain(root: string, dir: string): string[] {
  const file = inRoot(root, `${dir}/package.json`)
  if (!file || !isFile(root, file)) return []
  try {
    const pkg = JSON.parse(readFileSync(join(root, file), 'utf8')) as { main?: unknown }
    return typeof pkg.main === 'string' ? [posix.join(dir, pkg.main)] : []
  } catch { return [] }
}

function followPackageScript(ctx: Ctx, pm: string, args: string[], cwd: string, depth: number, via: string): void {
  const positional = args.filter((a) => !a.startsWith('-'))
  let name: string | undefined
  if (positional[0] === 'start' || positional[0] === 'test') name = positional[0]
  else if (positional[0] === 'run' || positional[0] === 'run-script') name = positional[1]
  else if (pm !== 'npm') name = positional[0]
  if (!name) { ctx.plan.notes.push(`${via}: ${pm} ${args.join(' ')}: not a script we can follow`); return }
  const pkgFile = inRoot(ctx.root, posix.join(cwd, 'package.json'))
  let scripts: Record<string, unknown> = {}
  if (pkgFile && isFile(ctx.root, pkgFile)) {
    try { scripts = (JSON.parse(readFileSync(join(ctx.root, pkgFile), 'utf8')) as { scripts?: Record<string, unknown> }).scripts ?? {} } catch { /* unreadable: no scripts */ }
  }
  let script = typeof scripts[name] === 'string' ? (scripts[name] as string) : undefined
  // npm's own default: `npm start` without a start script runs `node server.js`.
  if (!script && name === 'start') script = 'node server.js'
  if (!script) { ctx.plan.notes.push(`${via}: ${pm} ${name}: no such script in ${posix.join(cwd, 'package.json')}`); return }
  const inner: Ctx = { ...ctx, binDir: posix.join(cwd, 'node_modules/.bin') }
  for (const hook of [`pre${name}`, name, `post${name}`]) {
    const text = hook === name ? script : typeof scripts[hook] === 'string' ? (scripts[hook] as string) : undefined
    if (text === undefined) continue
    ctx.plan.notes.push(`${via}: ${pm} ${hook} → \`${text}\``)
    followShell(inner, text, cwd, depth + 1, `${via}: ${pm} ${hook}`)
  }
}

/** Follows each simple command of a shell command line (`cd /app && exec node server.js`). */
function followShell(ctx: Ctx, untrustedScript: string, cwd: string, depth: number, via: string): void {
  const commands = splitShell(untrustedScript, ctx.env)
  if (!commands) { ctx.plan.notes.push(`${via}: \`${untrustedScript.slice(0, 200)}\` uses shell syntax we do not follow (substitutions, control flow)`); return }
  let dir = cwd
  for (const words of commands) {
    let w = words
    while (w.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(w[0])) w = w.slice(1)
    if (w[0] === 'exec') w = w.slice(1)
    if (!w.length) continue
    if (w[0] === 'cd') { dir = w[1] ? (w[1].startsWith('/') ? posix.normalize(w[1]) : posix.join(dir, w[1])) : '/'; continue }
    if (/^(set|export|echo|printf|true|:|test|\[|trap|umask|ulimit|mkdir|chown|chmod|sleep|wait)$/.test(w[0])) continue
    followCommand(ctx, w, dir, depth, via)
  }
}

/**
 * Splits a command line into simple commands and their words: quotes, backslashes, `$VAR`/`${VAR}` from the
 * image's Env, and the separators `;` `&&` `||` `|` `&` and newlines. Undefined for what needs a real shell
 * (command substitution, control flow, redirections to commands).
 */
export function splitShell(untrustedScript: string, env: Map<string, string>): string[][] | undefined {
  const commands: string[][] = []
  let words: string[] = []
  let word = ''
  let inWord = false
  const endWord = () => { if (inWord) { words.push(word); word = ''; inWord = false } }
  const endCommand = () => { endWord(); if (words.length) commands.push(words); words = [] }
  const s = untrustedScript
  const expand = (i: number): [string, number] | undefined => {
    const m = /^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/.exec(s.slice(i))
    if (!m) return undefined
    return [env.get(m[1] ?? m[2]) ?? '', i + m[0].length]
  }
  for (let i = 0; i < s.length;) {
    const c = s[i]
    if (c === '\\') { word += s[i + 1] ?? ''; inWord = true; i += 2; continue }
    if (c === "'") {
      const end = s.indexOf("'", i + 1)
      if (end < 0) return undefined
      word += s.slice(i + 1, end); inWord = true; i = end + 1; continue
    }
    if (c === '"') {
      let j = i + 1
      inWord = true
      while (j < s.length && s[j] !== '"') {
        if (s[j] === '\\' && j + 1 < s.length) { word += s[j + 1]; j += 2; continue }
        if (s[j] === '`' || (s[j] === '$' && s[j + 1] === '(')) return undefined
        if (s[j] === '$') { const e = expand(j); if (e) { word += e[0]; j = e[1]; continue } }
        word += s[j]; j++
      }
      if (j >= s.length) return undefined
      i = j + 1
      continue
    }
    if (c === '`' || (c === '$' && s[i + 1] === '(')) return undefined
    if (c === '$') { const e = expand(i); if (e) { word += e[0]; inWord = true; i = e[1]; continue } }
    if (c === '#' && !inWord) { while (i < s.length && s[i] !== '\n') i++; continue }
    if (c === ';' || c === '\n' || c === '&' || c === '|') { endCommand(); i += s[i + 1] === c ? 2 : 1; continue }
    if (c === '<' || c === '>') {
      // A redirection: skip it and its target word.
      endWord()
      i++
      while (s[i] === '>' || s[i] === '&') i++
      while (s[i] === ' ' || s[i] === '\t') i++
      while (i < s.length && !/[\s;&|]/.test(s[i])) i++
      continue
    }
    if (c === ' ' || c === '\t') { endWord(); i++; continue }
    word += c; inWord = true; i++
  }
  endCommand()
  if (commands.some((w) => /^(if|then|else|elif|fi|for|while|until|do|done|case|esac|function|\{|\}|\(|\))$/.test(w[0]))) return undefined
  return commands
}

function findProgram(ctx: Ctx, prog: string, cwd: string): string | undefined {
  if (prog.includes('/')) {
    const f = inRoot(ctx.root, prog.startsWith('/') ? prog : posix.join(cwd, prog))
    return f && isFile(ctx.root, f) ? f : undefined
  }
  const dirs = [...(ctx.binDir ? [ctx.binDir] : []), ...ctx.pathVar.split(':').filter(Boolean)]
  for (const d of dirs) {
    const f = inRoot(ctx.root, posix.join(d.startsWith('/') ? d : posix.join(cwd, d), prog))
    if (f && isFile(ctx.root, f)) return f
  }
  return undefined
}

/** A path inside the image, resolved as the image sees it (links followed within the root); relative to the root. */
function inRoot(root: string, imagePath: string): string | undefined {
  const r = resolveInRoot(root, imagePath.replace(/^\/+/, ''))
  return r.ok && r.rel ? r.rel : undefined
}

function isFile(root: string, rel: string): boolean {
  try { return lstatSync(join(root, rel)).isFile() } catch { return false }
}

type Kind = 'js' | 'shell' | 'elf' | 'other-script' | 'other'

function fileKind(root: string, rel: string): Kind {
  if (/\.(c|m)?js$/.test(rel)) return 'js'
  let fd: number | undefined
  try {
    fd = openSync(join(root, rel), 'r')
    const buf = Buffer.alloc(128)
    const n = readSync(fd, buf, 0, 128, 0)
    const head = buf.subarray(0, n)
    if (head[0] === 0x7f && head.subarray(1, 4).toString('latin1') === 'ELF') return 'elf'
    const first = head.toString('latin1').split('\n')[0]
    if (/^#!.*\bnode(js)?\b/.test(first)) return 'js'
    if (/^#!\s*\S*\/(env\s+)?(sh|bash|ash|dash|zsh|ksh)\b/.test(first) || /^#!\s*\/bin\/busybox\s+(ash|sh)\b/.test(first)) return 'shell'
    if (first.startsWith('#!')) return 'other-script'
    return 'other'
  } catch {
    return 'other'
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}

function addEntry(ctx: Ctx, rel: string, via: string): void {
  if (!ctx.found.has(rel)) ctx.plan.notes.push(`${via} → ${rel}`)
  ctx.found.add(rel)
}
