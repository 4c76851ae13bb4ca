// Human-readable report: findings by package, then one line per external destination; colours only when the CLI says so.
import pc from 'picocolors'
import type { Finding, ImageReport, Report } from './finding.ts'
import type { Renderer } from './renderer.ts'
import { renderVariantTable } from '../runtime/variants.ts'
import { describeProvenance, destinationText, externalDestinations, severityText, vendorText } from './destinations.ts'

export const toText: Renderer = (report, options) => {
  const c = pc.createColors(options.color)
  const out: string[] = []
  const sev = (f: Finding) =>
    f.severity === 'violation' ? c.red('violation') : f.severity === 'review' ? c.yellow('review   ') : c.dim('info     ')
  const shown = report.findings.filter((f) => options.showInfo || f.severity !== 'info')
  const byPackage = new Map<string, Finding[]>()
  for (const f of shown) {
    const list = byPackage.get(f.package) ?? []
    list.push(f)
    byPackage.set(f.package, list)
  }
  if (report.image) out.push(...imageLines(report.image, c), '')
  const packages = [...byPackage.keys()].sort((a, b) => (a === '(first-party)' ? -1 : b === '(first-party)' ? 1 : a < b ? -1 : a > b ? 1 : 0))
  for (const pkg of packages) {
    const list = byPackage.get(pkg)!
    out.push(c.bold(pkg) + (list[0].chain ? c.dim(`  (${list[0].chain})`) : ''))
    for (const f of list) {
      const loc = f.location ? `${f.location.file}:${f.location.line}:${f.location.column}` : '(no location)'
      const status = f.status && f.status !== 'new' ? c.dim(` [${f.status}${f.statusReason ? `: ${f.statusReason}` : ''}]`) : ''
      out.push(`  ${sev(f)} ${c.cyan(f.rule)} ${f.message}${status}`)
      out.push(`            ${c.dim(loc)}`)
      if (f.location?.original) {
        const o = f.location.original
        out.push(`            ${c.dim(`original ${o.file}:${o.line}:${o.column}`)}`)
      }
      if (f.destination && !f.message.includes('→')) {
        const where = destinationText(f.destination)
        out.push(`            ${c.dim('→')} ${where ? where + ' ' : ''}${c.dim(`(${describeProvenance(f.destination)})`)}`)
      }
      // Whole-program facts: the way the destination travelled, and why a finding was lowered.
      if (f.details?.path) out.push(`            ${c.dim(`path ${f.details.path}`)}`)
      if (f.reachability === 'unreachable' && f.details?.reachability) out.push(`            ${c.dim(`unreachable: ${f.details.reachability}`)}`)
      if (f.evidence?.layers?.length) {
        const ev = f.evidence
        out.push(`            ${c.dim(`seen by ${ev.layers.join(', ')}${ev.pid ? ` pid ${ev.pid}` : ''}${ev.command ? ` (${ev.command})` : ''}${ev.attribution ? `, attribution: ${ev.attribution}` : ''}`)}`)
      }
      if (f.location?.snippet) out.push(`            ${c.dim(f.location.snippet)}`)
    }
    out.push('')
  }
  out.push(...destinationLines(report, options.showInfo === true, c))
  if (report.notAnalysed.length) {
    out.push(c.bold('Not analysed') + c.dim(' (keeps the verdict from passing)'))
    for (const n of report.notAnalysed.slice(0, 50)) out.push(`  ${n.file}: ${n.reason}`)
    if (report.notAnalysed.length > 50) out.push(`  … and ${report.notAnalysed.length - 50} more (see --format json)`)
    out.push('')
  }
  if (report.degraded?.length) {
    out.push(c.bold('Degraded') + c.dim(' (parts of the check that did not run)'))
    for (const d of report.degraded) out.push(`  ${d}`)
    out.push('')
  }
  if (report.variants?.length) out.push(...renderVariantTable(report, c), '')
  // How the scan was done (entry points found, bounds reached): shown before the verdict it shapes.
  for (const n of report.policy?.notices ?? []) out.push(c.dim(`note: ${n}`))
  const s = report.summary
  const hidden = report.findings.length - shown.length
  out.push(
    `${s.violation} violation(s), ${s.review} to review, ${s.info} info${hidden ? ` (${hidden} info hidden; --show-info)` : ''} · ` +
      `${s.filesScanned} files, ${formatBytes(s.bytesScanned)} scanned, ${s.filesNotAnalysed} not analysed`,
  )
  if (report.signatures) out.push(c.dim(`signatures ${report.signatures.version} (${report.signatures.digest.slice(0, 12)})`))
  const verdict = report.verdict === 'pass' ? c.green('PASS') : report.verdict === 'fail' ? c.red('FAIL') : c.yellow('INCOMPLETE')
  out.push(`verdict: ${verdict} (fail on ${report.failOn})`)
  return out.join('\n') + '\n'
}

/**
 * One line per external destination (the grouping `verify` uses): worst severity, host, lenses, findings,
 * vendor and how the destination is set. Destinations seen only at info level wait for --show-info.
 */
function destinationLines(report: Report, showInfo: boolean, c: ReturnType<typeof pc.createColors>): string[] {
  const all = externalDestinations(report.findings)
  if (!all.length) return []
  const shown = all.filter((g) => showInfo || g.severity !== 'info' || !g.counts)
  const width = Math.min(40, Math.max(...shown.map((g) => g.label.length), 0))
  const out = [c.bold(`Destinations`) + c.dim(` (${all.length} external; worst severity, lenses that saw it)`)]
  for (const g of shown) {
    const sev = !g.counts ? c.dim(severityText(g).padEnd(9)) : g.severity === 'violation' ? c.red('violation') : g.severity === 'review' ? c.yellow('review   ') : c.dim('info     ')
    const n = `${g.findings.length} finding${g.findings.length === 1 ? '' : 's'}`
    const about = [vendorText(g), ...g.provenance].filter(Boolean).join('; ')
    out.push(`  ${sev} ${g.label.padEnd(width)}  ${g.lenses.join('+').padEnd(22)} ${about ? n.padEnd(11) + c.dim(`  ${about}`) : n}`)
  }
  const hidden = all.length - shown.length
  if (hidden) out.push(c.dim(`  … and ${hidden} seen only at info level (--show-info)`))
  out.push('')
  return out
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`
  return `${(n / 1024 ** 3).toFixed(2)} GiB`
}

/** Which image was checked, its digests and the entry points its config led to. */
export function imageLines(image: ImageReport, c: ReturnType<typeof pc.createColors>): string[] {
  const out = [`${c.bold('image')} ${image.ref ?? '(unnamed)'}${image.platform ? ` ${image.platform}` : ''} ${c.dim(`(${image.choice}; ${image.format}, ${image.layers.length} layer${image.layers.length === 1 ? '' : 's'})`)}`]
  out.push(`  manifest ${image.manifestDigest ?? c.dim('none in this archive (legacy docker save)')}`)
  out.push(`  config   ${image.configDigest}`)
  out.push(`  start    ${image.start.argv.length ? image.start.argv.join(' ') : c.dim('(none)')} ${c.dim(`in ${image.start.workingDir}${image.start.user ? ` as ${image.start.user}` : ''}`)}`)
  out.push(`  entry points: ${image.entryPoints.length ? image.entryPoints.join(', ') : c.dim('none found')}`)
  return out
}
