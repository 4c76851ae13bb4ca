// Renderer registry: one file per format, all with the Renderer signature.
import type { Renderer } from './renderer.ts'
import { toJson } from './json.ts'
import { toText } from './text.ts'
import { createSarifRenderer } from './sarif.ts'
import { KNOWN_RULES } from './rule-meta.ts'
import { allRules } from '../static/detectors/rules.ts'
import { toJunit } from './junit.ts'
import { toMarkdown } from './markdown.ts'
import { toHtml } from './html.ts'

export const renderers: Record<string, Renderer> = {
  text: toText,
  json: toJson,
  // Rule metadata from the detectors and registered rules; the table covers rules no lens registered in this process.
  sarif: (report, options) => {
    const metas = allRules()
    const ids = new Set(metas.map((m) => m.id))
    return createSarifRenderer([...metas, ...KNOWN_RULES.filter((m) => !ids.has(m.id))])(report, options)
  },
  junit: toJunit,
  markdown: toMarkdown,
  html: toHtml,
}

export const FORMATS = (): string[] => Object.keys(renderers)
