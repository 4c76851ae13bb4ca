// Runs every detector over one parsed file: one walk for facts, then a pass over the candidates.
import type { Destination } from '../report/finding.ts'
import type { CallTarget, DetectContext, Detector, RawFinding, ReportInput, Visitors } from './detector.ts'
import { severityFor } from './detector.ts'
import { destinationOfArg } from './destination.ts'
import { detectors as defaultDetectors } from './detectors/index.ts'
import { Folder } from './fold.ts'
import { parseSource, type ModuleKind } from './parse.ts'
import { collectFacts, type AnyNode, type FileFacts } from './scope.ts'

export interface AnalyseResult {
  findings: RawFinding[]
  /** Set when the file did not parse (no findings then). */
  parseError?: { message: string; line: number; column: number }
  kind?: ModuleKind
}

export interface AnalyseOptions {
  detectors?: Detector[]
  /** How many levels of eval'd constant strings we follow. */
  maxEmbedDepth?: number
}

/** Parses and analyses one JavaScript source. Never throws for bad input. */
export function analyseSource(source: string, kind: ModuleKind, options: AnalyseOptions = {}): AnalyseResult {
  const parsed = parseSource(source, kind)
  if (!parsed.ok) return { findings: [], parseError: { message: parsed.message, line: parsed.line, column: parsed.column } }
  let facts: FileFacts
  try {
    facts = collectFacts(parsed.ast as AnyNode)
  } catch (err) {
    if (err instanceof RangeError) return { findings: [], parseError: { message: 'nesting too deep to analyse', line: 1, column: 0 } }
    throw err
  }
  const findings = runDetectors(source, parsed.kind, facts, options.detectors ?? defaultDetectors, options.maxEmbedDepth ?? 3)
  return { findings, kind: parsed.kind }
}

function runDetectors(source: string, kind: ModuleKind, facts: FileFacts, detectors: Detector[], embedDepth: number): RawFinding[] {
  const folder = new Folder(facts, kind)
  const findings: RawFinding[] = []
  let currentRule = ''
  const ruleSeverity = new Map(detectors.map((d) => [d.meta.id, d.meta.severity]))

  const ctx: DetectContext = {
    file: '',
    source,
    moduleKind: kind,
    facts,
    folder,
    evaluate: (node, scope) => folder.evaluate(node, scope),
    destination: (node, scope, role = 'url'): Destination => destinationOfArg(folder, node, scope, role),
    report(node: AnyNode, input: ReportInput) {
      const rule = input.rule ?? currentRule
      findings.push({
        rule,
        severity: input.severity ?? severityFor(input.destination, ruleSeverity.get(rule) ?? 'review'),
        message: input.message,
        start: node.start,
        end: node.end,
        api: input.api,
        destination: input.destination,
        details: input.details,
      })
    },
    analyseEmbedded(code: string, node: AnyNode, via: string, asFunctionBody = false) {
      if (embedDepth <= 0) {
        findings.push({ rule: 'opaque-code', severity: 'review', message: `${via}: code nested too deep in eval to follow`, start: node.start, end: node.end, api: via })
        return
      }
      const wrapped = asFunctionBody ? `(function(){${code}\n})` : code
      const inner = parseSource(wrapped, 'script')
      if (!inner.ok) {
        findings.push({ rule: 'opaque-code', severity: 'review', message: `${via}: evaluated string does not parse (${inner.message})`, start: node.start, end: node.end, api: via })
        return
      }
      const innerFacts = collectFacts(inner.ast as AnyNode)
      for (const f of runDetectors(wrapped, 'script', innerFacts, detectors, embedDepth - 1)) {
        findings.push({ ...f, message: `${f.message} (in code run by ${via})`, start: node.start, end: node.end })
      }
    },
  }

  const visitors: Array<[string, Visitors]> = detectors.map((d) => [d.meta.id, d.detect(ctx)])
  const want = (name: keyof Visitors) => visitors.filter(([, v]) => v[name])

  const calls = want('CallExpression')
  const news = want('NewExpression')
  const members = want('MemberExpression')
  const importExprs = want('ImportExpression')
  const importDecls = want('ImportDeclaration')
  const assigns = want('AssignmentExpression')
  const urls = want('UrlString')

  for (const { node, scope } of facts.candidates) {
    switch (node.type) {
      case 'CallExpression': {
        if (!calls.length) break
        const target: CallTarget = folder.callTarget(node, scope)
        if (target.callee.t === 'unknown' || target.callee.t === 'nullish' || target.callee.t === 'str') break
        for (const [id, v] of calls) { currentRule = id; v.CallExpression!(node, scope, target) }
        break
      }
      case 'NewExpression': {
        if (!news.length) break
        const callee = folder.evaluate(node.callee, scope)
        if (callee.t === 'unknown') break
        for (const [id, v] of news) { currentRule = id; v.NewExpression!(node, scope, { callee, args: node.arguments }) }
        break
      }
      case 'MemberExpression':
        for (const [id, v] of members) { currentRule = id; v.MemberExpression!(node, scope) }
        break
      case 'ImportExpression':
        for (const [id, v] of importExprs) { currentRule = id; v.ImportExpression!(node, scope) }
        break
      case 'ImportDeclaration':
        for (const [id, v] of importDecls) { currentRule = id; v.ImportDeclaration!(node, scope) }
        break
      case 'AssignmentExpression':
        for (const [id, v] of assigns) { currentRule = id; v.AssignmentExpression!(node, scope) }
        break
      case 'Literal':
      case 'TemplateLiteral': {
        if (!urls.length) break
        const value = node.type === 'Literal' ? String(node.value) : node.quasis.map((q: AnyNode) => q.value.cooked ?? q.value.raw).join('${…}')
        for (const [id, v] of urls) { currentRule = id; v.UrlString!(node, scope, value) }
        break
      }
    }
  }
  for (const [id, v] of visitors) { currentRule = id; v.end?.() }
  return findings
}
