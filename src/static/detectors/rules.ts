// Every rule id the tool can report, with its metadata (SARIF rules, HTML help, docs).
import type { DetectorMeta } from './detector.ts'
import { detectors } from './index.ts'

const extraRules: DetectorMeta[] = [
  {
    id: 'parse-error',
    severity: 'review',
    description: 'File could not be parsed',
    help: 'The file is not valid JavaScript to our parser (or is binary data), so nothing in it was analysed. Fix or remove the file, or check it by hand; it keeps the verdict from passing.',
  },
  {
    id: 'not-analysed',
    severity: 'review',
    description: 'File or entry not analysed',
    help: 'Over a size or count limit, unreadable, a link out of the root, a refused tarball entry, or a worker failure. Listed in notAnalysed; makes the verdict incomplete unless the policy accepts it.',
  },
]

export function allRules(): DetectorMeta[] {
  const seen = new Set<string>()
  const out: DetectorMeta[] = []
  for (const m of [...detectors.map((d) => d.meta), ...extraRules, ...registeredRules]) {
    if (seen.has(m.id)) continue
    seen.add(m.id)
    out.push(m)
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : 1))
}

const registeredRules: DetectorMeta[] = []

/** Lenses and analysers that report outside the JS detectors (runtime, browser, HTML, install scripts) register here. */
export function registerRule(meta: DetectorMeta): void {
  if (!registeredRules.some((r) => r.id === meta.id)) registeredRules.push(meta)
}

export function ruleMeta(id: string): DetectorMeta | undefined {
  return allRules().find((r) => r.id === id)
}
