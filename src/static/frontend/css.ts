// CSS analyser (css-tree, with positions): url(), @import and @font-face src in stylesheets, <style> and style="".
import { parse, walk, type CssNode } from 'css-tree'
import type { LocatedFinding } from '../analysis/file-result.ts'
import type { FileAnalysis, FileAnalyserContext } from '../analysis/file-analysers.ts'
import { Locator } from './located.ts'
import { judgeReference } from './resource.ts'

export interface CssSpan {
  /** Offset, 1-based line and 1-based column where the CSS text starts in the file. */
  offset: number
  line: number
  column: number
  /** `stylesheet` for files and <style>, `declarationList` for style="" attributes. */
  context: 'stylesheet' | 'declarationList'
  /** Shown in findings: `css`, `<style>`, `style attribute`. */
  label: string
  /** External <base href> of the page, if any. */
  base?: string
}

/** Finds every URL a piece of CSS makes the browser fetch. */
export function analyseCssText(untrustedCss: string, span: CssSpan, locator: Locator, findings: LocatedFinding[]): void {
  const ast = parse(untrustedCss, {
    context: span.context,
    positions: true,
    offset: span.offset,
    line: span.line,
    column: span.column,
    // css-tree recovers from bad input (it keeps Raw nodes); a stylesheet never stops the analysis.
    onParseError: () => {},
  })
  walk(ast, function (this: { atrule: { name: string } | null; function: { name: string } | null; declaration: { property: string } | null }, node: CssNode) {
    let url: string | undefined
    if (node.type === 'Url') url = node.value
    else if (node.type === 'String') {
      // Bare strings are URLs only in @import "x.css" and image-set("x.png" 1x).
      const fn = this.function?.name.toLowerCase()
      if (this.atrule?.name.toLowerCase() === 'import' && !this.function) url = node.value
      else if (fn === 'image-set' || fn === '-webkit-image-set') url = node.value
    }
    if (url === undefined || !node.loc) return
    const at = this.atrule?.name.toLowerCase()
    if (at === 'namespace') return // a namespace name, never fetched
    const what = at === 'import' ? `${span.label} @import` : at === 'font-face' ? `${span.label} @font-face src` : `${span.label} url()`
    judgeReference({ untrustedUrl: url, offset: node.loc.start.offset, what, kind: 'resource' }, locator, findings, span.base)
  })
}

/** The registered analyser for .css files. */
export function analyseCssFile(untrustedText: string, _ctx: FileAnalyserContext): FileAnalysis {
  const locator = new Locator(untrustedText)
  const findings: LocatedFinding[] = []
  analyseCssText(untrustedText, { offset: 0, line: 1, column: 1, context: 'stylesheet', label: 'css' }, locator, findings)
  return { findings }
}
