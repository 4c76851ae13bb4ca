// Finding paths as report formats need them: relative to the scanned target, with '/' separators, as URI references.
import type { Report } from './finding.ts'

/** `file` relative to the target it came from when it is absolute and inside one; '/' separators; no leading './'. */
export function relativeToTarget(file: string, targets: string[]): string {
  let f = file.replace(/\\/g, '/')
  if (isAbsolutePath(f)) {
    for (const t of targets) {
      const dir = t.replace(/\\/g, '/').replace(/\/+$/, '')
      if (dir && f.startsWith(dir + '/')) { f = f.slice(dir.length + 1); break }
    }
  }
  while (f.startsWith('./')) f = f.slice(2)
  return f
}

/** A path (or URL-looking original source name such as `webpack://app/src/x.ts`) as a URI reference. */
export function toUriReference(path: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) {
    try { return new URL(path).href } catch { /* fall through and encode it as a path */ }
  }
  const p = path.replace(/\\/g, '/')
  const abs = /^[A-Za-z]:\//.test(p) ? '/' + p : p
  const encoded = abs.split('/').map((seg) => encodeURIComponent(seg).replace(/%40/g, '@').replace(/%2B/g, '+')).join('/')
  return abs.startsWith('/') ? 'file://' + encoded : encoded
}

export function isAbsolutePath(p: string): boolean {
  return p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p)
}

/** The one directory the locations are relative to, when the report has exactly one path target. */
export function singleTarget(report: Report): string | undefined {
  return report.target.length === 1 ? report.target[0] : undefined
}
