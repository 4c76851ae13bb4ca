// Named variants of one runtime check (`--variant "opted-out: TELEMETRY=false"`): the same app, ready check,
// exercise, duration and time warp, run once per variant with its own environment, files and arguments, so a
// documented opt-out is put to the test. Orchestration only: each variant is one call of the runtime run API.
//
// Spec: `NAME: [KEY=VALUE…] [file:DEST=SOURCE…] [-- ARG…]`, split like a shell splits words ('…' and "…"
// quote). KEY=VALUE sets an environment variable; file:DEST=SOURCE copies SOURCE (a host file, relative to
// the working directory) to DEST inside the variant's data directory, a fresh empty directory per variant
// whose path `{data}` stands for in values and arguments; words after `--` are appended to the command.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { tmpdir } from 'node:os'
import { dirname, isAbsolute, join, normalize, resolve } from 'node:path'
import { VariantInvalidError } from '../errors.ts'
import { compareSeverity, type Finding, type Report, type Severity, type Summary, type Verdict } from '../report/finding.ts'
import { finalise } from '../pipeline.ts'
import { run, type RunOptions } from './run.ts'

/** One named variant, parsed and checked. */
export interface Variant {
  name: string
  /** Environment variables set for the app (values may hold `{data}`). */
  env: Record<string, string>
  /** Files laid into the data directory: `dest` inside it, `source` on the host (absolute), and its content's SHA-256. */
  files: Array<{ dest: string; source: string; sha256: string }>
  /** Arguments appended to the command (may hold `{data}`). */
  args: string[]
}

/** A variant as a report and a verification record keep it: no host paths, file contents by digest. */
export interface VariantSpecRecord {
  name: string
  env: Record<string, string>
  files: Array<{ dest: string; sha256: string }>
  args: string[]
}

/** How one variant's run went. */
export interface VariantOutcome extends VariantSpecRecord {
  verdict: Verdict
  summary: Pick<Summary, 'violation' | 'review' | 'info'>
  degraded?: string[]
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/
const ENV_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/
const DATA = '{data}'

/** Splits a spec's words like a POSIX shell (quotes, backslash escapes outside single quotes); no expansion. */
function splitWords(text: string, where: string): string[] {
  const words: string[] = []
  let word: string | undefined
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (/\s/.test(c)) { if (word !== undefined) { words.push(word); word = undefined } continue }
    word ??= ''
    if (c === "'") {
      const end = text.indexOf("'", i + 1)
      if (end < 0) throw new VariantInvalidError(`${where}: unclosed ' quote`)
      word += text.slice(i + 1, end)
      i = end
    } else if (c === '"') {
      let j = i + 1
      for (; j < text.length && text[j] !== '"'; j++) {
        if (text[j] === '\\' && /["\\$`]/.test(text[j + 1] ?? '')) j++
        word += text[j]
      }
      if (j >= text.length) throw new VariantInvalidError(`${where}: unclosed " quote`)
      i = j
    } else if (c === '\\' && i + 1 < text.length) {
      word += text[++i]
    } else {
      word += c
    }
  }
  if (word !== undefined) words.push(word)
  return words
}

/** Parses one `--variant` spec; files are checked (readable regular files) here, before anything runs. */
export function parseVariant(untrustedSpec: string, cwd: string): Variant {
  const where = `--variant "${untrustedSpec}"`
  const colon = untrustedSpec.indexOf(':')
  if (colon < 0) throw new VariantInvalidError(`${where}: expected NAME: [KEY=VALUE…] [file:DEST=SOURCE…] [-- ARG…], e.g. --variant "opted-out: TELEMETRY=false"`)
  const name = untrustedSpec.slice(0, colon).trim()
  if (!NAME.test(name)) throw new VariantInvalidError(`${where}: the name '${name}' must be 1-40 letters, digits, '.', '_' or '-', starting with a letter or digit`)
  const words = splitWords(untrustedSpec.slice(colon + 1), where)
  const variant: Variant = { name, env: {}, files: [], args: [] }
  const dash = words.indexOf('--')
  const settings = dash < 0 ? words : words.slice(0, dash)
  if (dash >= 0) variant.args = words.slice(dash + 1)
  for (const w of settings) {
    if (w.startsWith('file:')) {
      const eq = w.indexOf('=')
      const dest = eq < 0 ? '' : w.slice(5, eq)
      const source = eq < 0 ? '' : w.slice(eq + 1)
      if (!dest || !source) throw new VariantInvalidError(`${where}: '${w}' should be file:DEST=SOURCE (DEST inside the data directory, SOURCE a file on this host)`)
      const norm = normalize(dest)
      if (isAbsolute(dest) || norm === '..' || norm.startsWith('../') || norm === '.') {
        throw new VariantInvalidError(`${where}: '${dest}' must be a relative path inside the variant's data directory ({data})`)
      }
      const abs = resolve(cwd, source)
      let content: Buffer
      try {
        if (!statSync(abs).isFile()) throw Object.assign(new Error('not a regular file'), { code: 'not a regular file' })
        content = readFileSync(abs)
      } catch (err) {
        throw new VariantInvalidError(`${where}: ${source} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, 'SOURCE is a path on this host, relative to the working directory.')
      }
      if (variant.files.some((f) => normalize(f.dest) === norm)) throw new VariantInvalidError(`${where}: file ${dest} is laid twice`)
      variant.files.push({ dest: norm, source: abs, sha256: createHash('sha256').update(content).digest('hex') })
      continue
    }
    const eq = w.indexOf('=')
    const key = eq < 0 ? w : w.slice(0, eq)
    if (eq < 0 || !ENV_KEY.test(key)) {
      throw new VariantInvalidError(
        `${where}: '${w}' is neither KEY=VALUE (an environment variable) nor file:DEST=SOURCE`,
        w.startsWith('-') ? `Arguments for the app go after a lone --: "${name}: -- ${w}"` : undefined,
      )
    }
    if (key in variant.env) throw new VariantInvalidError(`${where}: ${key} is set twice`)
    variant.env[key] = w.slice(eq + 1)
  }
  if (variant.files.length && !Object.values(variant.env).some((v) => v.includes(DATA)) && !variant.args.some((a) => a.includes(DATA))) {
    throw new VariantInvalidError(
      `${where}: files are laid into the variant's data directory, but nothing tells the app where it is`,
      `Pass its path with {data}, e.g. "${name}: APP_DATA_DIR={data} file:${variant.files[0].dest}=…" or "-- --config {data}/${variant.files[0].dest}"`,
    )
  }
  return variant
}

/** Parses every `--variant` (names unique); undefined when none was given. */
export function parseVariants(specs: string[] | undefined, cwd: string): Variant[] | undefined {
  if (!specs?.length) return undefined
  const variants = specs.map((s) => parseVariant(s, cwd))
  const seen = new Set<string>()
  for (const v of variants) {
    if (seen.has(v.name)) throw new VariantInvalidError(`--variant ${v.name}: the name is used twice; each variant needs its own`)
    seen.add(v.name)
  }
  return variants
}

export function variantRecord(v: Variant): VariantSpecRecord {
  return { name: v.name, env: v.env, files: v.files.map((f) => ({ dest: f.dest, sha256: f.sha256 })), args: v.args }
}

/** What a variant gives the run: its environment and arguments with `{data}` filled in. */
export interface AppliedVariant {
  env: Record<string, string>
  args: string[]
  dataDir: string
}

/** Lays a variant's files into a fresh data directory, runs `fn`, and removes the directory whatever happens. */
export async function withVariant<T>(v: Variant, fn: (applied: AppliedVariant) => Promise<T>): Promise<T> {
  const dataDir = mkdtempSync(join(tmpdir(), `nophonehome-variant-${v.name}-`))
  try {
    for (const f of v.files) {
      const to = join(dataDir, f.dest)
      mkdirSync(dirname(to), { recursive: true })
      copyFileSync(f.source, to)
    }
    const fill = (s: string) => s.split(DATA).join(dataDir)
    const env = Object.fromEntries(Object.entries(v.env).map(([k, val]) => [k, fill(val)]))
    return await fn({ env, args: v.args.map(fill), dataDir })
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
  }
}

/** Marks a variant's runtime findings: `details.variant`, and the variant named at the head of the message. */
export function tagFindings(findings: Finding[], name: string): Finding[] {
  return findings.map((f) => ({ ...f, message: `[${name}] ${f.message}`, details: { ...f.details, variant: name } }))
}

/** A variant's degraded notes, named. */
export function tagDegraded(degraded: string[] | undefined, name: string): string[] {
  return (degraded ?? []).map((d) => `[${name}] ${d}`)
}

const VERDICT_RANK: Record<Verdict, number> = { pass: 0, incomplete: 1, fail: 2 }

/** The worst of the variants' verdicts: the combined check passes only when every variant does. */
export function worstVerdict(verdicts: Verdict[]): Verdict {
  return verdicts.reduce<Verdict>((w, v) => (VERDICT_RANK[v] > VERDICT_RANK[w] ? v : w), 'pass')
}

export function outcomeOf(v: Variant, report: Report, degraded: string[] | undefined): VariantOutcome {
  const { violation, review, info } = report.summary
  return { ...variantRecord(v), verdict: report.verdict, summary: { violation, review, info }, ...(degraded?.length ? { degraded } : {}) }
}

/** One row of the variants table: a destination, and per column the lenses that saw it with the worst severity. */
export interface VariantRow {
  destination: string
  cells: Record<string, { lenses: string[]; severity: Severity } | undefined>
}

/**
 * Destinations down the side, columns across: `static` (when the static lens ran; its findings are the same
 * in every variant) and one per variant with what the runtime and browser lenses saw in that run. Only
 * findings that count (not allowed, waived or baselined) at review or above; info stays out.
 */
export function variantMatrix(report: Report): { columns: string[]; rows: VariantRow[] } {
  const names = (report.variants ?? []).map((v) => v.name)
  const hasStatic = report.findings.some((f) => f.lens === 'static')
  const columns = [...(hasStatic ? ['static'] : []), ...names]
  const rows = new Map<string, VariantRow>()
  for (const f of report.findings) {
    if (f.severity === 'info' || (f.status && f.status !== 'new')) continue
    const column = f.lens === 'static' ? 'static' : f.details?.variant
    if (!column || !columns.includes(column)) continue
    const d = f.destination
    const key = d?.host ?? d?.url ?? (d?.port ? `port ${d.port}` : '(no single destination)')
    const row = rows.get(key) ?? { destination: key, cells: {} }
    const cell = row.cells[column] ?? { lenses: [], severity: f.severity }
    if (!cell.lenses.includes(f.lens)) cell.lenses.push(f.lens)
    if (compareSeverity(f.severity, cell.severity) < 0) cell.severity = f.severity
    row.cells[column] = cell
    rows.set(key, row)
  }
  const sorted = [...rows.values()].sort((a, b) => (a.destination === '(no single destination)' ? 1 : b.destination === '(no single destination)' ? -1 : a.destination < b.destination ? -1 : a.destination > b.destination ? 1 : 0))
  for (const r of sorted) for (const c of Object.values(r.cells)) c?.lenses.sort()
  return { columns, rows: sorted }
}

/** The variants table as text (the `run` and `verify` text outputs print it). */
export function renderVariantTable(report: Report, paint: { bold(s: string): string; red(s: string): string; yellow(s: string): string; green(s: string): string; dim(s: string): string }): string[] {
  const outcomes = report.variants ?? []
  if (!outcomes.length) return []
  const { columns, rows } = variantMatrix(report)
  const mark = (s: Severity) => (s === 'violation' ? '✗' : s === 'review' ? '?' : '·')
  const cellText = (c: VariantRow['cells'][string]) => (c ? `${mark(c.severity)} ${c.lenses.join('+')}` : '—')
  const verdictOf = (col: string) => outcomes.find((o) => o.name === col)?.verdict
  const table: string[][] = [['destination', ...columns]]
  for (const r of rows) table.push([r.destination, ...columns.map((c) => cellText(r.cells[c]))])
  table.push(['verdict', ...columns.map((c) => (verdictOf(c) ?? '').toUpperCase())])
  const widths = table[0].map((_, i) => Math.max(...table.map((row) => [...row[i]].length)))
  const pad = (s: string, w: number) => s + ' '.repeat(Math.max(0, w - [...s].length))
  const colour = (s: string) => (s === 'FAIL' ? paint.red(s) : s === 'INCOMPLETE' ? paint.yellow(s) : s === 'PASS' ? paint.green(s) : s)
  const out = [paint.bold('Variants') + paint.dim(' (same app, ready check, exercise, duration and time warp; ✗ violation, ? review)')]
  table.forEach((row, i) => {
    const line = row.map((cell, j) => (j === row.length - 1 ? (i === table.length - 1 ? colour(cell) : cell) : i === table.length - 1 ? colour(cell) + ' '.repeat(Math.max(0, widths[j] - [...cell].length)) : pad(cell, widths[j]))).join('  ')
    out.push(`  ${i === 0 ? paint.dim(line) : line}`)
  })
  for (const o of outcomes) {
    const parts = [...Object.entries(o.env).map(([k, v]) => `${k}=${v}`), ...o.files.map((f) => `file:${f.dest}`), ...(o.args.length ? ['--', ...o.args] : [])]
    out.push(paint.dim(`  ${o.name}: ${parts.length ? parts.join(' ') : '(as shipped)'}`))
  }
  return out
}

/**
 * `run` with variants: the same options, once per variant (its environment over the base one, its
 * arguments after the command), one after another. The report holds every variant's findings (tagged),
 * `variants` with each verdict, and the worst verdict. An interrupt stops the variants still to come.
 */
export async function runVariants(base: RunOptions, variants: Variant[], onStart?: (v: Variant, index: number) => void): Promise<Report> {
  const findings: Finding[] = []
  const degraded: string[] = []
  const outcomes: VariantOutcome[] = []
  const runs: Array<Record<string, unknown>> = []
  for (const [i, v] of variants.entries()) {
    if (base.signal?.aborted) {
      degraded.push(`[${v.name}] not run: interrupted before this variant started`)
      continue
    }
    onStart?.(v, i)
    const report = await withVariant(v, (applied) => run({
      ...base,
      command: [...base.command, ...applied.args],
      env: { ...(base.env ?? process.env), ...applied.env },
    }))
    findings.push(...tagFindings(report.findings, v.name))
    degraded.push(...tagDegraded(report.degraded, v.name))
    outcomes.push(outcomeOf(v, report, report.degraded))
    runs.push({ variant: v.name, ...report.run })
  }
  const combined = finalise({
    target: base.command,
    findings,
    notAnalysed: [],
    filesScanned: 0,
    bytesScanned: 0,
    failOn: base.failOn ?? 'violation',
    policy: base.policy,
    baseline: base.baseline,
    notices: base.notices,
    degraded,
    run: { variants: runs },
  })
  combined.variants = outcomes
  combined.verdict = worstVerdict([combined.verdict, ...outcomes.map((o) => o.verdict)])
  return combined
}
