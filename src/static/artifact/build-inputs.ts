// The inputs of the vendor's build that decide which edition ships (`define`, `dropLabels`, resolve
// `conditions`, …), from flags and from the vendor's own esbuild options file, for bundling mode.
//
// The options file is read as JSON and never run: it belongs to the artifact under test, and the static
// lens executes nothing from the artifact (SECURITY.md). A JavaScript config is refused with a way out.
import { readFileSync } from 'node:fs'
import { extname, resolve } from 'node:path'
import { BuildOptionsInvalidError, UsageError } from '../../errors.ts'
import { JsonSyntaxError, escapePointer, parseJsonStrict } from '../../policy/parse-json.ts'
import type { BundlePlatform } from '../options.ts'

/** What the vendor's build does to the code before it ships, as esbuild options. */
export interface BuildInputs {
  /** esbuild `define`: an identifier or member expression → a JSON literal or a name, replaced before tree-shaking. */
  define?: Record<string, string>
  /** esbuild `dropLabels`: labelled statements removed (`DEV: …`). */
  dropLabels?: string[]
  /** esbuild `conditions`: extra package.json `exports` conditions used to resolve imports. */
  conditions?: string[]
  /** More options from the vendor's file that change what ships (mainFields, alias, inject, …), passed to esbuild as they are. */
  passThrough?: Record<string, unknown>
}

/** The vendor's esbuild options file, read and checked. */
export interface LoadedBuildOptions {
  file: string
  entries?: string[]
  platform?: BundlePlatform
  external?: string[]
  inputs: BuildInputs
  /** Keys of the file applied to the bundle, sorted. */
  applied: string[]
  /** Keys of the file that only shape the output (outdir, minify, sourcemap…) and were left out, sorted. */
  ignored: string[]
}

/** What a report records of the build inputs of a bundling-mode scan (`report.build`). */
export interface BuildRecord {
  entries: string[]
  platform: BundlePlatform
  define: Record<string, string>
  dropLabels: string[]
  conditions: string[]
  external: string[]
  /** The vendor's options file, as given, with the keys applied from it and the keys left out. */
  optionsFile?: { file: string; applied: string[]; ignored: string[] }
}

// esbuild options that change which code ends up in the bundle: taken from the vendor's file.
const APPLIED = new Set([
  'entryPoints', 'define', 'dropLabels', 'conditions', 'platform', 'external', 'mainFields', 'alias', 'pure', 'drop',
  'packages', 'inject', 'banner', 'footer', 'resolveExtensions', 'nodePaths', 'preserveSymlinks', 'tsconfig', 'tsconfigRaw',
  'jsx', 'jsxFactory', 'jsxFragment', 'jsxImportSource', 'jsxDev', 'jsxSideEffects', 'loader', 'ignoreAnnotations', 'treeShaking',
  'supported',
])
// Options that only shape the output file (where, how it is printed, which syntax level): the code is the same.
const IGNORED = new Set([
  'bundle', 'outdir', 'outfile', 'outbase', 'outExtension', 'write', 'sourcemap', 'sourceRoot', 'sourcesContent', 'minify',
  'minifyWhitespace', 'minifyIdentifiers', 'minifySyntax', 'format', 'target', 'logLevel', 'logLimit', 'logOverride', 'color',
  'metafile', 'splitting', 'chunkNames', 'entryNames', 'assetNames', 'publicPath', 'legalComments', 'charset', 'lineLimit',
  'keepNames', 'mangleProps', 'reserveProps', 'mangleQuoted', 'mangleCache', 'globalName', 'absWorkingDir', 'allowOverwrite',
  'platformTarget', '$schema',
])

const NAME = /^[A-Za-z_$][\w$]*$/
// esbuild's define keys: `X`, `a.b.c`, `process.env["X"]`, `import.meta.env.X`.
const DEFINE_KEY = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*|\[(?:"[^"\\]*"|'[^'\\]*')\])*$/
const ENTITY = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*$/

/**
 * Checks one esbuild `define` value: a JSON literal (`"self-hosted"`, `true`, `42`, `{"a":1}`) or a name
 * (`globalThis.x`). Returns a problem, or undefined.
 */
function defineValueProblem(value: string): string | undefined {
  if (!value.trim()) return 'the value is empty'
  try { JSON.parse(value); return undefined } catch { /* not JSON: a name? */ }
  if (ENTITY.test(value)) return undefined
  return `'${value}' is neither a JSON literal ('"self-hosted"', true, 42) nor a name (globalThis.x), as esbuild's define requires`
}

/** A define whose value is a bare name where a string was surely meant (`process.env.EDITION=selfhosted`). */
function looksLikeUnquotedString(key: string, value: string): boolean {
  return /^(?:process\.env|import\.meta\.env)\b/.test(key) && ENTITY.test(value) && !['undefined', 'null', 'true', 'false'].includes(value)
}

/** Parses `--define K=V` flags (esbuild semantics: V is a JSON literal or a name). Notices go to `notices`. */
export function parseDefineFlags(values: string[] | undefined, notices: string[] = []): Record<string, string> | undefined {
  if (!values?.length) return undefined
  const out: Record<string, string> = {}
  for (const v of values) {
    const eq = v.indexOf('=')
    if (eq <= 0) throw new UsageError(`--define ${v}: expected KEY=VALUE, e.g. --define 'process.env.EDITION="self-hosted"'`)
    const key = v.slice(0, eq)
    const value = v.slice(eq + 1)
    if (!DEFINE_KEY.test(key)) throw new UsageError(`--define ${v}: '${key}' is not an identifier or member expression (process.env.EDITION, __SELF_HOSTED__, import.meta.env.VITE_EDITION)`)
    const problem = defineValueProblem(value)
    if (problem) throw new UsageError(`--define ${v}: ${problem}`, `Quote strings as JSON inside shell quotes: --define '${key}="${value.replace(/^["']|["']$/g, '')}"'`)
    if (looksLikeUnquotedString(key, value)) notices.push(`--define ${key}=${value}: ${value} is read as a name, not a string (esbuild's define); for the string write --define '${key}="${value}"'`)
    out[key] = value
  }
  return out
}

/** Parses a comma-separated, repeatable list flag (`--drop-labels DEV,TEST`, `--conditions worker`). */
export function parseListFlag(values: string[] | undefined, flag: string, kind: 'label' | 'condition'): string[] | undefined {
  if (!values?.length) return undefined
  const out: string[] = []
  for (const v of values) {
    for (const item of v.split(',')) {
      const name = item.trim()
      if (kind === 'label' ? !NAME.test(name) : !/^[^\s,]+$/.test(name)) {
        throw new UsageError(`${flag} ${v}: '${item}' is not a ${kind === 'label' ? 'label name (an identifier such as DEV)' : 'condition name'}`)
      }
      if (!out.includes(name)) out.push(name)
    }
  }
  return out
}

/** Reads the vendor's esbuild options (JSON) from `file` (relative to `cwd`), checks what it says. */
export function loadBuildOptionsFile(file: string, cwd: string): LoadedBuildOptions {
  const abs = resolve(cwd, file)
  if (/^\.(?:[cm]?[jt]s|jsx|tsx)$/i.test(extname(abs))) {
    throw new BuildOptionsInvalidError(
      `${file}: is JavaScript. nophonehome does not run the vendor's build code — it is part of the artifact under test, and a scan executes nothing from the artifact`,
      [],
      'Write the options object as JSON (e.g. build.json) and pass that; to print it from the config, run the config inside the sandbox: nophonehome run -- node -e "import(\'./build.config.mjs\').then((m) => console.log(JSON.stringify(m.default)))"',
    )
  }
  let text: string
  try {
    text = readFileSync(abs, 'utf8')
  } catch (err) {
    throw new BuildOptionsInvalidError(`${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, [], 'Pass the JSON file holding the esbuild options of the vendor\'s build.')
  }
  let parsed
  try {
    parsed = parseJsonStrict(text)
  } catch (err) {
    if (err instanceof JsonSyntaxError) throw new BuildOptionsInvalidError(`${file}:${err.position.line}:${err.position.column}: not JSON: ${err.message}`)
    throw err
  }
  const where = (pointer: string) => {
    const p = parsed.positions.get(pointer)
    return `${file} ${pointer || '/'}${p ? ` (${p.line}:${p.column})` : ''}`
  }
  const problems: string[] = []
  for (const d of parsed.duplicateKeys) problems.push(`${where(d)}: key given twice`)
  const v = parsed.value
  if (!v || typeof v !== 'object' || Array.isArray(v)) {
    throw new BuildOptionsInvalidError(`${file}: expected an object of esbuild build options`)
  }
  const o = v as Record<string, unknown>
  const applied: string[] = []
  const ignored: string[] = []
  const passThrough: Record<string, unknown> = {}
  const inputs: BuildInputs = {}
  const out: LoadedBuildOptions = { file, inputs, applied, ignored }
  const stringArray = (key: string): string[] | undefined => {
    const a = o[key]
    if (!Array.isArray(a) || a.some((x) => typeof x !== 'string')) { problems.push(`${where(`/${escapePointer(key)}`)}: expected an array of strings`); return undefined }
    return a as string[]
  }
  const stringRecord = (key: string): Record<string, string> | undefined => {
    const r = o[key]
    if (!r || typeof r !== 'object' || Array.isArray(r) || Object.values(r).some((x) => typeof x !== 'string')) {
      problems.push(`${where(`/${escapePointer(key)}`)}: expected an object of strings`)
      return undefined
    }
    return r as Record<string, string>
  }
  for (const key of Object.keys(o).sort()) {
    const at = `/${escapePointer(key)}`
    if (IGNORED.has(key)) { ignored.push(key); continue }
    if (!APPLIED.has(key)) {
      problems.push(`${where(at)}: '${key}' is not an esbuild option nophonehome knows how to apply; it may change what ships, so the scan will not guess (remove it from a copy of the file if it does not)`)
      continue
    }
    applied.push(key)
    switch (key) {
      case 'entryPoints': {
        const e = o[key]
        let list: string[] | undefined
        if (Array.isArray(e)) list = e.map((x) => (typeof x === 'string' ? x : x && typeof x === 'object' && typeof (x as { in?: unknown }).in === 'string' ? (x as { in: string }).in : '')) 
        else if (e && typeof e === 'object') list = Object.values(e).map((x) => (typeof x === 'string' ? x : ''))
        if (!list || list.some((x) => !x)) problems.push(`${where(at)}: expected an array of paths, of {"in", "out"}, or an object of out → in paths`)
        else if (list.some((x) => x.includes('*'))) problems.push(`${where(at)}: glob entry points are not supported; list the files`)
        else out.entries = list
        break
      }
      case 'define': {
        const r = stringRecord(key)
        if (!r) break
        for (const [k, value] of Object.entries(r)) {
          if (!DEFINE_KEY.test(k)) problems.push(`${where(`${at}/${escapePointer(k)}`)}: '${k}' is not an identifier or member expression`)
          const problem = defineValueProblem(value)
          if (problem) problems.push(`${where(`${at}/${escapePointer(k)}`)}: ${problem}`)
        }
        inputs.define = r
        break
      }
      case 'dropLabels': {
        const a = stringArray(key)
        if (a?.some((x) => !NAME.test(x))) problems.push(`${where(at)}: label names are identifiers`)
        else if (a) inputs.dropLabels = a
        break
      }
      case 'conditions': {
        const a = stringArray(key)
        if (a) inputs.conditions = a
        break
      }
      case 'external': {
        const a = stringArray(key)
        if (a) out.external = a
        break
      }
      case 'platform': {
        if (o[key] !== 'node' && o[key] !== 'browser') problems.push(`${where(at)}: nophonehome bundles for "node" or "browser" (got ${JSON.stringify(o[key])})`)
        else out.platform = o[key] as BundlePlatform
        break
      }
      case 'mainFields': case 'pure': case 'drop': case 'inject': case 'resolveExtensions': case 'nodePaths':
        if (stringArray(key)) passThrough[key] = o[key]
        break
      case 'alias': case 'banner': case 'footer': case 'loader':
        if (stringRecord(key)) passThrough[key] = o[key]
        break
      default:
        passThrough[key] = o[key]
    }
  }
  if (problems.length) {
    throw new BuildOptionsInvalidError(`${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'} in the esbuild options`, problems, 'The file must hold one esbuild BuildOptions object as JSON.')
  }
  if (Object.keys(passThrough).length) inputs.passThrough = passThrough
  return out
}

/** The options file's inputs with the flags on top: flags win per define key; lists are joined. */
export function mergeBuildInputs(file: BuildInputs | undefined, flags: { define?: Record<string, string>; dropLabels?: string[]; conditions?: string[] }): BuildInputs | undefined {
  const union = (a?: string[], b?: string[]) => (a || b ? [...new Set([...(a ?? []), ...(b ?? [])])] : undefined)
  const merged: BuildInputs = {
    ...(file?.define || flags.define ? { define: { ...file?.define, ...flags.define } } : {}),
    ...(union(file?.dropLabels, flags.dropLabels) ? { dropLabels: union(file?.dropLabels, flags.dropLabels) } : {}),
    ...(union(file?.conditions, flags.conditions) ? { conditions: union(file?.conditions, flags.conditions) } : {}),
    ...(file?.passThrough ? { passThrough: file.passThrough } : {}),
  }
  return Object.keys(merged).length ? merged : undefined
}

/** One line saying which edition inputs a bundling scan applied (the CLI prints it; reports keep `build`). */
export function describeBuild(b: BuildRecord): string {
  const parts: string[] = []
  for (const [k, v] of Object.entries(b.define)) parts.push(`define ${k}=${v}`)
  if (b.dropLabels.length) parts.push(`drop-labels ${b.dropLabels.join(',')}`)
  if (b.conditions.length) parts.push(`conditions ${b.conditions.join(',')}`)
  if (b.external.length) parts.push(`external ${b.external.join(',')}`)
  const from = b.optionsFile ? ` (options from ${b.optionsFile.file}: ${b.optionsFile.applied.join(', ') || 'nothing'} applied${b.optionsFile.ignored.length ? `; ${b.optionsFile.ignored.join(', ')} left out: output shape only` : ''})` : ''
  return `bundled ${b.entries.join(', ')} for ${b.platform} with ${parts.length ? parts.join(' · ') : 'no edition inputs (no define, drop-labels or conditions)'}${from}`
}
