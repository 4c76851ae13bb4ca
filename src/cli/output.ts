// Writes a report in one or more formats: `--format a --output f1 --format b` (stdout when no file).
import { writeFileSync, mkdirSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { UsageError } from '../errors.ts'
import type { Report } from '../report/finding.ts'
import { renderers } from '../report/index.ts'
import { writeAnnotations } from '../report/annotations.ts'
import type { CliIo } from './command.ts'

export interface OutputFlags {
  format?: string[]
  output?: string[]
  'show-info'?: boolean
}

/** Validates formats early (before a long scan) and pairs them with outputs in order. */
export function planOutputs(flags: OutputFlags): Array<{ format: string; file?: string }> {
  const formats = flags.format?.length ? flags.format : ['text']
  const outputs = flags.output ?? []
  for (const f of formats) {
    if (!renderers[f]) throw new UsageError(`unknown --format '${f}' (expected one of ${Object.keys(renderers).join(', ')})`)
  }
  if (outputs.length > formats.length) throw new UsageError('more --output files than --format values; give one --format per --output')
  const plan = formats.map((format, i) => ({ format, file: outputs[i] }))
  if (plan.filter((p) => !p.file).length > 1) {
    throw new UsageError('only one --format can go to standard output; give the others an --output FILE')
  }
  return plan
}

export function colorEnabled(io: CliIo, stream: { isTTY?: boolean }): boolean {
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false
  if (io.env.FORCE_COLOR && io.env.FORCE_COLOR !== '0') return true
  return !!stream.isTTY
}

export function writeReports(report: Report, plan: Array<{ format: string; file?: string }>, io: CliIo, flags: OutputFlags): void {
  for (const p of plan) {
    const toStdout = !p.file
    const text = renderers[p.format](report, {
      color: toStdout && p.format === 'text' && colorEnabled(io, io.stdout),
      showInfo: flags['show-info'],
    })
    if (toStdout) io.stdout.write(text)
    else {
      const file = resolve(io.cwd, p.file!)
      mkdirSync(dirname(file), { recursive: true })
      writeFileSync(file, text)
    }
  }
  // In GitHub Actions, findings also become annotations on the changed files (stderr, so stdout stays the report).
  writeAnnotations(report, io)
}
