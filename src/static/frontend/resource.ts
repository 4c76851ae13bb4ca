// Judges one URL referenced by a page or stylesheet: external origins are violations, links are inventory, the rest is fine.
import type { LocatedFinding } from '../analysis/file-result.ts'
import { destinationOfUrlString } from '../parse/destination.ts'
import type { DetectorMeta } from '../detectors/detector.ts'
import { signatureMatcher } from '../../signatures/matcher.ts'
import type { Locator } from './located.ts'

export const frontendExternalResourceMeta: DetectorMeta = {
  id: 'frontend-external-resource',
  severity: 'violation',
  description: 'Page or stylesheet loads from an external origin',
  help:
    'An HTML or CSS file makes the browser contact another origin as soon as the page loads or a form is sent: ' +
    '<script src>, <link href> (stylesheet, preconnect, dns-prefetch, prefetch, preload, icon, manifest), ' +
    '<img|iframe|video|audio|source|embed|object|track src/srcset/poster/data>, <a ping>, <form action>, ' +
    '<meta http-equiv=refresh>, <base href>, CSS url(), @import and @font-face src. Every such request tells the ' +
    "third party the user's address, browser and the page, so it breaks \"your data never leaves your servers\". " +
    'Serve the asset yourself (same origin or a relative URL). `details.signature` names a known service.',
}

export interface Reference {
  /** The URL as written (attribute value or CSS url()). */
  untrustedUrl: string
  /** Offset in the file text where it is written. */
  offset: number
  /** `<script src>`, `css url()`, `@import` … */
  what: string
  /** Resources load by themselves; navigation links only when a user follows them. */
  kind: 'resource' | 'navigation'
}

/** Resolves against an external `<base href>` when one applies; relative URLs then leave the origin too. */
export function resolveAgainst(untrustedUrl: string, base: string | undefined): string {
  if (!base || /^[a-z][a-z0-9+.-]*:|^\/\//i.test(untrustedUrl)) return untrustedUrl
  try { return new URL(untrustedUrl, base).href } catch { return untrustedUrl }
}

/** Adds a finding for a reference that leaves the origin; nothing for same-origin, relative, data: and loopback. */
export function judgeReference(ref: Reference, locator: Locator, findings: LocatedFinding[], base?: string): void {
  const raw = ref.untrustedUrl.trim()
  if (!raw || raw.startsWith('#')) return
  const url = resolveAgainst(raw, base)
  // In a page or stylesheet a URL without a scheme (`local.css`, `img/a.png`) is relative: never a host name.
  if (!/^[a-z][a-z0-9+.-]*:|^\/\//i.test(url)) return
  const dest = destinationOfUrlString(url)
  if (dest.provenance !== 'hard-coded-external') return
  const match = signatureMatcher().matchUrl(url)
  const details: Record<string, string> = { element: ref.what }
  if (match) Object.assign(details, { signature: match.signature.id, category: match.signature.category, vendor: match.signature.vendor })
  if (url !== raw) details.resolvedFrom = raw
  const known = match ? ` — ${match.signature.vendor} (${match.signature.category})` : ''
  if (ref.kind === 'navigation') {
    findings.push(locator.finding({
      rule: 'url-inventory', severity: 'info', offset: ref.offset, code: `${ref.what} ${url}`, api: ref.what,
      message: `${ref.what} links to ${dest.url}${known} (followed only when a user clicks it)`,
      destination: dest, details,
    }))
    return
  }
  findings.push(locator.finding({
    rule: 'frontend-external-resource', severity: 'violation', offset: ref.offset, code: `${ref.what} ${url}`, api: ref.what,
    message: `${ref.what} loads ${dest.url} from an external origin${known}`,
    destination: dest, details,
  }))
}

export const frontendCspMeta: DetectorMeta = {
  id: 'frontend-csp',
  severity: 'info',
  description: 'Content-Security-Policy meta tag, as written',
  help:
    'A <meta http-equiv="Content-Security-Policy"> tag: the finding lists its directives and every external source it ' +
    'allows. A CSP only permits; what the page actually loads is reported by frontend-external-resource. An external ' +
    'source in connect-src, script-src or img-src is a hint that something on the page sends there.',
}
