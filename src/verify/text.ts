// The plain verdict a non-specialist can read: PASS / FAIL / INCOMPLETE, what was checked, and why.
import pc from 'picocolors'
import { isAtLeast, type Finding } from '../report/finding.ts'
import { groupByDestination } from '../report/destinations.ts'
import { formatBytes, imageLines } from '../report/text.ts'
import type { VerifyResult } from './verify.ts'
import { renderVariantTable } from '../runtime/variants.ts'

export function renderVerifyText(result: VerifyResult, color: boolean): string {
  const c = pc.createColors(color)
  const { report, artifact, lenses, comparison } = result
  const out: string[] = []
  out.push(`${c.bold('nophonehome verify')}  ${artifact.name}`)
  out.push(`sha256 ${artifact.sha256}`)
  if (report.image) out.push(...imageLines(report.image, c))
  out.push('')
  const counted = report.findings.filter((f) => !f.status || f.status === 'new')
  const deciding = counted.filter((f) => isAtLeast(f.severity, report.failOn))
  if (report.verdict === 'fail') {
    out.push(`${c.red(c.bold('FAIL'))} — this build can send data to destinations you did not configure (${deciding.length} finding${deciding.length === 1 ? '' : 's'} at or above ${report.failOn}).`)
  } else if (report.verdict === 'incomplete') {
    out.push(`${c.yellow(c.bold('INCOMPLETE'))} — parts of this build could not be checked, so the claim is not proven. See "What was not checked".`)
  } else {
    out.push(`${c.green(c.bold('PASS'))} — nothing found that sends data to a destination you did not configure.`)
  }
  out.push('')
  out.push(c.bold('What was checked'))
  const s = report.summary
  out.push(`  ✔ static: ${s.filesScanned} files (${formatBytes(s.bytesScanned)}) parsed and analysed${s.filesNotAnalysed ? `, ${s.filesNotAnalysed} not analysed` : ''}`)
  const rt = report.run?.runtime as { command?: string[]; durationMs?: number; layers?: Record<string, unknown> } | undefined
  if (lenses.runtime.ran) {
    const layers = rt?.layers ? Object.entries(rt.layers).filter(([, v]) => v === true || (v as { on?: boolean })?.on).map(([k]) => k) : []
    const ran = report.image ? rt?.command?.join(' ') : rt?.command?.slice(2).join(' ')
    out.push(`  ✔ runtime: \`${ran ?? 'the start command'}\` ran${report.image ? ' in the image' : ''} in a sandbox with no way out${rt?.durationMs ? ` for ${(rt.durationMs / 1000).toFixed(1)} s` : ''}${layers.length ? ` (watched by: ${layers.join(', ')})` : ''}`)
  }
  const br = (rt as { browser?: { pages?: Array<{ url: string }>; own?: unknown[] } } | undefined)?.browser
  if (br?.pages) out.push(`  ✔ browser: ${br.pages.length} page${br.pages.length === 1 ? '' : 's'} opened in headless Chromium inside the sandbox${br.own?.length ? ` (${br.own.length} request${br.own.length === 1 ? '' : 's'} of the browser itself set aside)` : ''}`)
  const notChecked: string[] = []
  if (!lenses.runtime.ran) notChecked.push(`runtime: ${lenses.runtime.note ?? 'not run'} — ${report.image ? 'pass --start to run the image' : 'pass --start "<command>" to run the app'} where nothing can leave`)
  for (const n of report.notAnalysed.slice(0, 10)) notChecked.push(`${n.file}: ${n.reason}`)
  if (report.notAnalysed.length > 10) notChecked.push(`… and ${report.notAnalysed.length - 10} more files not analysed`)
  for (const d of report.degraded ?? []) notChecked.push(d)
  if (notChecked.length) {
    out.push('')
    out.push(c.bold('What was not checked'))
    for (const n of notChecked) out.push(`  – ${n}`)
  }
  if (deciding.length) {
    out.push('')
    out.push(c.bold('Why') + c.dim(' (static and runtime evidence side by side, by destination)'))
    for (const g of groupByDestination(deciding)) {
      out.push(`  ${c.bold(g.label)}`)
      for (const f of g.findings) {
        const where = f.location ? `${f.location.file}:${f.location.line}` : ''
        const orig = f.location?.original ? ` (${f.location.original.file}:${f.location.original.line})` : ''
        const seen = f.evidence?.layers?.length ? ` seen by ${f.evidence.layers.join('+')}` : ''
        const variant = f.details?.variant ? `[${f.details.variant}] ` : ''
        out.push(`    ${f.lens.padEnd(8)} ${variant}${f.rule} ${f.api ?? ''}${seen}  ${where}${orig}  ${c.dim(f.package)}`)
      }
    }
  }
  if (report.variants?.length) out.push('', ...renderVariantTable(report, c))
  const toReview = counted.length - deciding.length
  if (toReview > 0) {
    out.push('')
    out.push(`${toReview} more finding${toReview === 1 ? '' : 's'} below ${report.failOn} (configured destinations, code to review): see --format json or html.`)
  }
  if (comparison) {
    out.push('')
    out.push(c.bold('Compared with the published record'))
    if (comparison.reproduced) out.push(`  ${c.green('reproduced')}: same artifact digest, same verdict, no finding the record lacks`)
    else for (const d of comparison.differences) out.push(`  ${c.red('✗')} ${d}`)
    for (const n of comparison.notes) out.push(`  ${c.dim('note:')} ${n}`)
  }
  if (report.signatures) out.push('', c.dim(`signatures ${report.signatures.version} (${report.signatures.digest.slice(0, 19)}) · ${report.tool.name} ${report.tool.version}`))
  return out.join('\n') + '\n'
}
