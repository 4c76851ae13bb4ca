// JUnit XML for CI dashboards: one test case per rule × package, failing when it holds findings that fail the verdict.
import { isAtLeast, type Finding, type Report } from './finding.ts'
import type { Renderer } from './renderer.ts'

export const toJunit: Renderer = (report) => {
  const groups = new Map<string, Finding[]>()
  for (const f of report.findings) {
    const key = `${f.package}\u0000${f.rule}`
    const list = groups.get(key) ?? []
    list.push(f)
    groups.set(key, list)
  }
  const keys = [...groups.keys()].sort()
  const cases: string[] = []
  let failures = 0
  let skipped = 0
  for (const key of keys) {
    const [pkg, rule] = key.split('\u0000')
    const list = groups.get(key)!
    const counting = list.filter((f) => countsFor(f) && isAtLeast(f.severity, report.failOn))
    const body = list.map(describeFinding).join('\n')
    let inner: string
    if (counting.length) {
      failures++
      const worst = counting.some((f) => f.severity === 'violation') ? 'violation' : counting.some((f) => f.severity === 'review') ? 'review' : 'info'
      inner = `      <failure message="${attr(`${counting.length} finding(s) at or above ${report.failOn}`)}" type="${attr(worst)}">${text(body)}</failure>\n`
    } else if (list.every((f) => !countsFor(f))) {
      skipped++
      inner = `      <skipped message="${attr(`all ${list.length} finding(s) ${summariseStatuses(list)}`)}"/>\n      <system-out>${text(body)}</system-out>\n`
    } else {
      inner = `      <system-out>${text(body)}</system-out>\n`
    }
    cases.push(`    <testcase classname="${attr(pkg)}" name="${attr(rule)}">\n${inner}    </testcase>`)
  }
  if (report.notAnalysed.length) {
    const body = report.notAnalysed.map((n) => `${n.file}: ${n.reason}`).join('\n')
    const accepted = new Set(report.policy?.acceptedNotAnalysed?.map((a) => a.file))
    const allAccepted = report.notAnalysed.every((n) => accepted.has(n.file))
    if (!allAccepted) failures++
    cases.push(
      `    <testcase classname="(analysis)" name="not-analysed">\n` +
        (allAccepted
          ? `      <system-out>${text(body)}</system-out>\n`
          : `      <failure message="${attr(`${report.notAnalysed.length} file(s) could not be analysed`)}" type="incomplete">${text(body)}</failure>\n`) +
        `    </testcase>`,
    )
  }
  if (report.degraded?.length) {
    failures += report.verdict === 'incomplete' ? 1 : 0
    const body = report.degraded.join('\n')
    cases.push(
      `    <testcase classname="(analysis)" name="degraded">\n` +
        (report.verdict === 'incomplete'
          ? `      <failure message="parts of the check did not run" type="incomplete">${text(body)}</failure>\n`
          : `      <system-out>${text(body)}</system-out>\n`) +
        `    </testcase>`,
    )
  }
  const suiteName = `${report.tool.name} ${report.target.join(' ')}`
  const tests = cases.length
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuites name="${attr(report.tool.name)}" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}">\n` +
    `  <testsuite name="${attr(suiteName)}" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}">\n` +
    `    <properties>\n` +
    `      <property name="verdict" value="${attr(report.verdict)}"/>\n` +
    `      <property name="failOn" value="${attr(report.failOn)}"/>\n` +
    `    </properties>\n` +
    (cases.length ? cases.join('\n') + '\n' : '') +
    `  </testsuite>\n` +
    `</testsuites>\n`
  )
}

function countsFor(f: Finding): boolean {
  return f.status !== 'allowed' && f.status !== 'waived' && f.status !== 'baselined'
}

function summariseStatuses(list: Finding[]): string {
  return [...new Set(list.map((f) => f.status))].sort().join('/')
}

function describeFinding(f: Finding): string {
  const loc = f.location ? `${f.location.file}:${f.location.line}:${f.location.column}` : '(no location)'
  const dest = f.destination ? ` → ${f.destination.url ?? f.destination.host ?? ''} (${f.destination.provenance})` : ''
  const status = f.status && f.status !== 'new' ? ` [${f.status}${f.statusReason ? `: ${f.statusReason}` : ''}]` : ''
  return `${f.severity} ${loc} ${f.message}${dest}${status} fingerprint=${f.fingerprint}`
}

// XML 1.0 cannot carry most control characters at all, even escaped: replace them.
const INVALID_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g

function text(untrusted: string): string {
  return untrusted.replace(INVALID_XML, '\ufffd').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

function attr(untrusted: string): string {
  return text(untrusted).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;')
}
