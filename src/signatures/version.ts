// Identity of the signature database: a version we bump by hand and a SHA-256 digest of its canonical form.
import { createHash } from 'node:crypto'
import { SIGNATURES } from './data.ts'
import type { Signature } from './types.ts'

/** Bump on every change to data.ts (date-based: YYYY.MM.DD, with .N for several on one day). */
export const SIGNATURES_VERSION = '2026.11.27.1'

let identity: { version: string; digest: string } | undefined

/**
 * Canonical JSON of the database: entries sorted by id, keys sorted, no whitespace. Anyone can recompute
 * the digest from data.ts; reordering entries or fields does not change it, any content change does.
 */
export function canonicalSignatures(entries: readonly Signature[] = SIGNATURES): string {
  const sorted = [...entries].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  return JSON.stringify(sorted, (_key, value) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      return Object.fromEntries(Object.keys(value).sort().map((k) => [k, value[k]]))
    }
    return value
  })
}

/** `{ version, digest }` as every report carries it (`report.signatures`). */
export function signatureIdentity(): { version: string; digest: string } {
  identity ??= { version: SIGNATURES_VERSION, digest: 'sha256:' + createHash('sha256').update(canonicalSignatures()).digest('hex') }
  return identity
}
