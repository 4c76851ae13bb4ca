// `nophonehome diff OLD.json NEW.json`: what network capabilities a release added, dropped or changed.
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import type { Command } from '../command.ts'
import { parse, parseSeverity } from '../args.ts'
import { UsageError } from '../../errors.ts'
import { readReportFile } from '../../report/read-report.ts'
import { diffReports, diffToJson, diffToMarkdown, diffToText, type ReportDiff } from '../../report/diff.ts'

const FORMATS: Record<string, (d: ReportDiff) => string> = { text: diffToText, json: diffToJson, markdown: diffToMarkdown }

const usage = `usage: nophonehome diff OLD.json NEW.json [options]

Compares two JSON reports (e.g. the last release and this one): network capabilities that are
new, gone or changed, grouped by package. Capabilities are matched by fingerprint, which stays
the same across line shifts, reformatting, minifier renames and version bumps.

options:
  --format FMT     text (default) | json | markdown; repeat with --output for several
  --output FILE    write to FILE (pairs with --format in order)
  --fail-on LEVEL  lowest severity of a new capability that fails (default: NEW's failOn)

exit codes: 0 nothing new at or above --fail-on · 1 a new violation appeared · 2 usage error or unreadable report
`

export const diffCommand: Command = {
  name: 'diff',
  summary: 'new, gone and changed network capabilities between two JSON reports',
  usage,
  async run(argv, io) {
    const { values, positionals } = parse(argv, {
      format: { type: 'string', multiple: true },
      output: { type: 'string', multiple: true },
      'fail-on': { type: 'string' },
    })
    if (positionals.length !== 2) throw new UsageError(`diff needs two JSON reports, OLD and NEW (got ${positionals.length})`)
    const formats = values.format?.length ? values.format : ['text']
    const outputs = values.output ?? []
    for (const f of formats) if (!FORMATS[f]) throw new UsageError(`unknown --format '${f}' for diff (expected one of ${Object.keys(FORMATS).join(', ')})`)
    if (outputs.length > formats.length) throw new UsageError('more --output files than --format values; give one --format per --output')
    if (formats.length - outputs.length > 1) throw new UsageError('only one --format can go to standard output; give the others an --output FILE')
    const failOn = parseSeverity(values['fail-on'], '--fail-on')
    const [oldFile, newFile] = positionals
    const oldReport = readReportFile(resolve(io.cwd, oldFile), oldFile)
    const newReport = readReportFile(resolve(io.cwd, newFile), newFile)
    const diff = diffReports(oldReport, newReport, failOn ?? newReport.failOn)
    formats.forEach((format, i) => {
      const text = FORMATS[format](diff)
      const file = outputs[i]
      if (!file) io.stdout.write(text)
      else {
        const path = resolve(io.cwd, file)
        mkdirSync(dirname(path), { recursive: true })
        writeFileSync(path, text)
      }
    })
    return diff.summary.newViolations > 0 ? 1 : 0
  },
}
