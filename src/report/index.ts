// Renderer registry: one file per format, all with the Renderer signature.
import type { Renderer } from './renderer.ts'
import { toJson } from './json.ts'
import { toText } from './text.ts'
import { toSarif } from './sarif.ts'
import { toJunit } from './junit.ts'
import { toMarkdown } from './markdown.ts'
import { toHtml } from './html.ts'

export const renderers: Record<string, Renderer> = {
  text: toText,
  json: toJson,
  // Rule metadata from the detectors and every registered rule (src/report/rule-meta.ts loads them all).
  sarif: toSarif,
  junit: toJunit,
  markdown: toMarkdown,
  html: toHtml,
}

export const FORMATS = (): string[] => Object.keys(renderers)
