// A located finding becomes a Finding: file, package, chain, original position and fingerprint.
import type { Finding } from '../../report/finding.ts'
import { fingerprintOf } from '../../report/finding.ts'
import type { LocatedFinding } from '../analysis/file-result.ts'
import type { PackageInfo } from './packages.ts'
import type { Attribution } from './sourcemap.ts'

/** Attaches file, package and fingerprint to a located finding. */
export function finding(f: LocatedFinding, file: { display: string }, pkg: PackageInfo, attribution?: Pick<Attribution, 'original' | 'module'>): Finding {
  const out: Finding = {
    rule: f.rule,
    severity: f.severity,
    message: f.message,
    lens: 'static',
    location: { file: file.display, line: f.line, column: f.column, snippet: f.snippet },
    package: pkg.id,
    fingerprint: fingerprintOf({
      rule: f.rule, package: pkg.id, api: f.api, destination: f.destination, code: f.code,
      key: f.rule === 'parse-error' || !f.code ? stableFileKey(file.display) : undefined,
    }),
  }
  if (pkg.chain) out.chain = pkg.chain
  if (f.destination) out.destination = f.destination
  if (f.api) out.api = f.api
  if (f.details) out.details = f.details
  if (f.reachability) out.reachability = f.reachability
  if (attribution?.original) out.location!.original = attribution.original
  if (attribution?.module) out.details = { ...out.details, module: attribution.module }
  return out
}

/** A file path without version-looking segments, so fingerprints survive version bumps. */
function stableFileKey(display: string): string {
  return display.replace(/@\d+\.\d+\.\d+[^/]*/g, '').replace(/-\d+\.\d+\.\d+[^/]*(\.tgz)?/g, '')
}
