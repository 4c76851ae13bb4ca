// Runs every detector over one parsed file: one walk for facts, then a pass over the candidates.
import type { Destination } from '../../report/finding.ts'
import type { CallTarget, DetectContext, Detector, RawFinding, ReportInput, Visitors } from '../detectors/detector.ts'
import { severityFor } from '../detectors/detector.ts'
import { destinationOfArg, paramsOf } from '../parse/destination.ts'
import { detectors as defaultDetectors } from '../detectors/index.ts'
import { Folder, isBuiltin, THIS_HOLE, type Val } from '../parse/fold.ts'
import { networkFunctionName } from '../detectors/net-sink.ts'
import { parseSource, type ModuleKind } from '../parse/parse.ts'
import { collectFacts, forgetLastLookup, lookup, thisFunctionOf, type AnyNode, type FileFacts, type Scope } from '../parse/scope.ts'
import { isOutsideCallee, LINK, SummaryBuilder, type FileSummary, type Linked } from '../graph/summary.ts'

export interface AnalyseResult {
  findings: RawFinding[]
  /** Set when the file did not parse (no findings then). */
  parseError?: { message: string; line: number; column: number }
  kind?: ModuleKind
  /** What the file means to other files (built when `summarise` is set). */
  summary?: FileSummary
}

export interface AnalyseOptions {
  detectors?: Detector[]
  /** How many levels of eval'd constant strings we follow. */
  maxEmbedDepth?: number
  /** Build the file's summary for the whole-program phase (the worker does; embedded code does not). */
  summarise?: boolean
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
  let out: { findings: RawFinding[]; summary?: FileSummary }
  try {
    out = runDetectors(source, parsed.kind, facts, options.detectors ?? defaultDetectors, options.maxEmbedDepth ?? 3, options.summarise ?? false)
  } finally {
    forgetLastLookup()
  }
  for (const f of out.findings) { delete f.params; delete (f as Linked)[LINK] }
  return { findings: out.findings, kind: parsed.kind, summary: out.summary }
}

/** Findings whose destination linking may still decide (a parameter, an import, another module's value). */
function isUndecided(rule: string, d: Destination | undefined): boolean {
  if (rule !== 'net-sink' && rule !== 'telemetry-sdk') return false
  return !!d && (d.provenance === 'dynamic' || d.provenance === 'unknown' || d.provenance === 'default')
}

interface CallSite { node: AnyNode; args: AnyNode[]; scope: Scope }

function isOpaqueRoot(callee: AnyNode, scope: Scope, facts: FileFacts): boolean {
  let n = callee
  for (let i = 0; i < 16; i++) {
    if (n.type === 'MemberExpression') n = n.object
    else if (n.type === 'ChainExpression' || n.type === 'ParenthesizedExpression') n = n.expression
    else break
  }
  if (n.type === 'ThisExpression') {
    // Inside class methods `this.x` folds through the constructor; elsewhere it is opaque.
    const fn = thisFunctionOf(scope)
    return !(fn && (facts.classOf.has(fn) || facts.thisWrites.has(fn)))
  }
  if (n.type !== 'Identifier') return false
  const b = lookup(scope, n.name)
  return !!b && (b.kind === 'catch' || (b.kind === 'param' && !(b.fn && facts.thenImports.has(b.fn))))
}

/** Names a network function handed around usually has (a cheap filter before folding an argument). */
const MAYBE_NETWORK_NAME = /fetch|request|get$|connect|socket|lookup|resolve|beacon|websocket|eventsource|xmlhttp|importscripts|^(axios|got|ky|needle|superagent|undici|ofetch)$/i

// Folding a helper's destination at its call sites re-evaluates the sink once per site: bounded per file.
const MAX_SITES_PER_FN = 16
const MAX_RERUNS_PER_FILE = 400

function runDetectors(source: string, kind: ModuleKind, facts: FileFacts, detectors: Detector[], embedDepth: number, summarise: boolean): { findings: RawFinding[]; summary?: FileSummary } {
  const folder = new Folder(facts, kind)
  const builder = summarise ? new SummaryBuilder(folder, facts) : undefined
  // The call or `new` being visited: a finding reported at it records what it was computed from.
  let current: { node: AnyNode; callee: Val; args: AnyNode[]; scope: Scope; isNew: boolean } | undefined
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
      const link = builder && current && current.node === node && isUndecided(rule, input.destination)
        ? { [LINK]: builder.linkOf(current.callee, current.args, current.scope, current.isNew) }
        : undefined
      findings.push({
        ...link,
        rule,
        severity: input.severity ?? severityFor(input.destination, ruleSeverity.get(rule) ?? 'review'),
        message: input.message,
        start: node.start,
        end: node.end,
        api: input.api,
        destination: input.destination,
        details: input.details,
        params: paramsOf(input.destination),
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
      for (const f of runDetectors(wrapped, 'script', innerFacts, detectors, embedDepth - 1, false).findings) {
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

  // Call sites of each function, found while visiting: `send(url)` for `function send(u)`, `new C(x)` for a class.
  const callSites = new Map<AnyNode, CallSite[]>()
  const noteCallSite = (fnNode: AnyNode | undefined, site: CallSite) => {
    if (!fnNode || folder.inContext) return
    const list = callSites.get(fnNode)
    // One past the limit is enough to know a helper has too many callers to fold each.
    if (!list) callSites.set(fnNode, [site])
    else if (list.length <= MAX_SITES_PER_FN) list.push(site)
  }

  // One function per candidate type, called through a table (see FactsWalker in scope.ts for why): the
  // call site sees all of them, so V8 inlines none into the loop, and when one meets a value shape it had
  // not seen (folded values come in many), only that small function is recompiled.
  const visitCall = (node: AnyNode, scope: Scope) => {
    // `this.x()`, `options.cb()`: a callee rooted in `this` or a plain parameter folds to nothing we
    // report, so skip evaluating it (most calls in library code look like this).
    if (!folder.inContext && isOpaqueRoot(node.callee, scope, facts)) {
      // `options.transport(url)`, `fetchImpl(url)`: a function given by the caller. Linking fills it in.
      if (builder && node.arguments.length && isParamRoot(node.callee, scope)) {
        const callee = folder.evaluate(node.callee, scope)
        if (callee.t === 'dyn' && callee.hole) builder.noteCall(node, callee, node.arguments, scope, false)
      }
      return
    }
    const target: CallTarget = folder.callTarget(node, scope)
    const callee = target.callee
    if (callee.t === 'fn') noteCallSite(callee.node, { node, args: target.args, scope })
    else if (callee.t === 'dyn' && callee.hole && callee.hole.index !== THIS_HOLE && node.callee.type === 'MemberExpression' && !node.callee.computed) {
      // `this.httpClient.makeRequest(opts)` on an object the caller gives: a call of this file's method of
      // that name, when only a few methods have it (name-based dispatch).
      // (Not the method it is written in: `fetch(url) { return this.options.fetch(url) }` is not recursion.)
      const inside = thisFunctionOf(scope)
      for (const m of methodsNamed(node.callee.property.name)) if (m !== inside) noteCallSite(m, { node, args: target.args, scope })
    }
    if (!folder.inContext && node.arguments.length) noteEscapes(node, callee, target.args, scope)
    if (builder && !folder.inContext) {
      noteLinks(node, callee, target.args, scope, false)
      // `this.fetch(url)` in a base class whose subclass (in another file or package) implements fetch:
      // kept as a call of that method on this class's instances, for linking to dispatch to subclasses.
      const c = node.callee
      // (A method the base class of another module may have is a field of `this` not yet known: the same.)
      const inherited = callee.t === 'unknown' || (callee.t === 'dyn' && callee.hole?.index === THIS_HOLE)
      if (inherited && c.type === 'MemberExpression' && !c.computed && c.object.type === 'ThisExpression' && c.property.type === 'Identifier') {
        const fn = thisFunctionOf(scope)
        const owner = fn ? facts.classOf.get(fn) : undefined
        if (owner) builder.noteThisCall(node, owner, c.property.name, target.args, scope)
      }
    }
    if (!calls.length) return
    if (callee.t === 'unknown' || callee.t === 'nullish' || callee.t === 'str') return
    const saved = current
    current = { node, callee, args: target.args, scope, isNew: false }
    try {
      for (const [id, v] of calls) { currentRule = id; v.CallExpression!(node, scope, target) }
    } finally {
      current = saved
    }
  }
  const visitNew = (node: AnyNode, scope: Scope) => {
    const callee = folder.evaluate(node.callee, scope)
    if (callee.t === 'cls') noteCallSite(facts.ctorOf.get(callee.node), { node, args: node.arguments, scope })
    if (builder && !folder.inContext) noteLinks(node, callee, node.arguments, scope, true)
    if (!news.length) return
    if (callee.t === 'unknown') return
    const saved = current
    current = { node, callee, args: node.arguments, scope, isNew: true }
    try {
      for (const [id, v] of news) { currentRule = id; v.NewExpression!(node, scope, { callee, args: node.arguments }) }
    } finally {
      current = saved
    }
  }
  /**
   * A network function handed to code the analysis cannot follow (`queue.push(fetch)`, `setTimeout(https.get,
   * …)`, `emitter.on('x', net.connect)`): reported for review rather than lost. Handed to a function whose
   * summary is linked (this file's, another module's, a parameter), linking follows it instead.
   */
  const noteEscapes = (node: AnyNode, callee: Val, args: AnyNode[], scope: Scope) => {
    if (callee.t === 'fn' || callee.t === 'cls' || callee.t === 'ret' || (callee.t === 'inst' && callee.ref) || (callee.t === 'dyn' && callee.hole) || (callee.t === 'mod' && !isBuiltin(callee.mod))) return
    if (callee.t === 'mod' && callee.mod === 'util' && (callee.path[0] === 'promisify' || callee.path[0] === 'callbackify')) return
    for (const a of args) {
      if (!a || !(a.type === 'Identifier' || (a.type === 'MemberExpression' && !a.computed)) || !MAYBE_NETWORK_NAME.test(a.type === 'Identifier' ? a.name : a.property.name)) continue
      const api = networkFunctionName(folder.evaluate(a, scope))
      if (!api) continue
      findings.push({
        rule: 'net-sink', severity: 'review', start: a.start, end: a.end, api,
        message: `${api} passed as a value to code the analysis cannot follow: sink escapes the analysis`,
        destination: { provenance: 'unknown', source: 'sink escapes the analysis' },
      })
    }
  }
  /** Import edges, computed requires and calls into other modules, for the summary. */
  const noteLinks = (node: AnyNode, callee: Val, args: AnyNode[], scope: Scope, isNew: boolean) => {
    if (callee.t === 'req') {
      const spec = folder.evaluate(args[0], scope)
      if (spec.t === 'str' && !spec.partial) builder!.noteImport(spec.v, 'r')
      else builder!.noteComputed(spec, node.start)
      return
    }
    const c = node.callee
    // `require.resolve('x')`: names a module to load or run later.
    if (!isNew && c.type === 'MemberExpression' && !c.computed && c.property.name === 'resolve' && folder.evaluate(c.object, scope).t === 'req') {
      const spec = folder.evaluate(args[0], scope)
      if (spec.t === 'str' && !spec.partial) builder!.noteImport(spec.v, 'q')
      return
    }
    if (c.type === 'Super') {
      // `super(opts)`: the base class's constructor, which may be another module's.
      const cls = facts.classOf.get(thisFunctionOf(scope) ?? node)
      const sup = cls ? facts.superOf.get(cls) : undefined
      if (sup) {
        const base = folder.evaluate(sup.node, sup.scope)
        if (isOutsideCallee(base) || base.t === 'cls') builder!.noteCall(node, base, args, scope, true)
      }
      return
    }
    if (isOutsideCallee(callee)) builder!.noteCall(node, callee, args, scope, isNew)
    // Scripts started as processes or threads: `fork('./child.js')`, `new Worker(path.join(__dirname, 'w.js'))`,
    // `spawn(process.execPath, ['./task.js'])` load that file as surely as an import does.
    if (callee.t === 'mod' && callee.path.length === 1) {
      const m = `${callee.mod}.${callee.path[0]}`
      let script: Val | undefined
      if (m === 'child_process.fork' || (isNew && m === 'worker_threads.Worker')) script = folder.evaluate(args[0], scope)
      else if (/^child_process\.(spawn|spawnSync|execFile|execFileSync)$/.test(m)) {
        const prog = folder.evaluate(args[0], scope)
        const isNode = (prog.t === 'glob' && prog.path.join('.') === 'process.execPath') || (prog.t === 'str' && /(^|\/)node(\.exe)?$/.test(prog.v))
        const argv = isNode ? folder.evaluate(args[1], scope) : undefined
        if (argv?.t === 'arr') script = argv.items.find((x) => x.t === 'str' && !x.v.startsWith('-')) ?? argv.items[0]
      }
      if (script) {
        if (script.t === 'str' && !script.partial && /\.[cm]?js$|^\.\.?\//.test(script.v)) builder!.noteImport(/^\.\.?\/|^\//.test(script.v) ? script.v : './' + script.v, 'r')
        else builder!.noteComputed(script, node.start)
      }
    }
  }
  const isParamRoot = (callee: AnyNode, scope: Scope): boolean => {
    let n = callee
    while (n.type === 'MemberExpression' && !n.computed) n = n.object
    if (n.type !== 'Identifier') return false
    return lookup(scope, n.name)?.kind === 'param'
  }
  const visitMember = (node: AnyNode, scope: Scope) => {
    for (const [id, v] of members) { currentRule = id; v.MemberExpression!(node, scope) }
  }
  const visitImportExpr = (node: AnyNode, scope: Scope) => {
    if (builder && !folder.inContext) {
      const spec = folder.evaluate(node.source, scope)
      if (spec.t === 'str' && !spec.partial) builder.noteImport(spec.v, 'd')
      else builder.noteComputed(spec, node.start)
    }
    for (const [id, v] of importExprs) { currentRule = id; v.ImportExpression!(node, scope) }
  }
  const visitImportDecl = (node: AnyNode, scope: Scope) => {
    if (builder && !folder.inContext) builder.noteImport(String(node.source.value), 'i')
    for (const [id, v] of importDecls) { currentRule = id; v.ImportDeclaration!(node, scope) }
  }
  const visitAssign = (node: AnyNode, scope: Scope) => {
    for (const [id, v] of assigns) { currentRule = id; v.AssignmentExpression!(node, scope) }
  }
  const visitString = (node: AnyNode, scope: Scope) => {
    if (!urls.length) return
    const value = node.type === 'Literal' ? String(node.value) : node.quasis.map((q: AnyNode) => q.value.cooked ?? q.value.raw).join('${…}')
    for (const [id, v] of urls) { currentRule = id; v.UrlString!(node, scope, value) }
  }
  const byType: Record<string, (node: AnyNode, scope: Scope) => void> = {
    CallExpression: visitCall,
    NewExpression: visitNew,
    MemberExpression: visitMember,
    ImportExpression: visitImportExpr,
    ImportDeclaration: visitImportDecl,
    AssignmentExpression: visitAssign,
    Literal: visitString,
    TemplateLiteral: visitString,
  }
  /** Runs every interested visitor on one candidate node. */
  const visit = (node: AnyNode, scope: Scope) => {
    const fn = byType[node.type]
    if (fn) fn(node, scope)
  }

  const callSitesOf = (fn: AnyNode): CallSite[] => callSites.get(fn) ?? []
  let byName: Map<string, AnyNode[]> | undefined
  function methodsNamed(name: string): AnyNode[] {
    if (!byName) {
      byName = new Map()
      for (const [owner, methods] of facts.methodsOf) {
        for (const m of methods) {
          if (facts.ctorOf.get(owner) === m) continue
          const n = facts.fnNames.get(m)
          if (!n) continue
          const list = byName.get(n)
          if (list) list.push(m)
          else byName.set(n, [m])
        }
      }
    }
    const list = byName.get(name) ?? []
    return list.length <= 4 ? list : []
  }

  /** Re-runs a candidate with parameters bound along a chain of call sites (outermost first). */
  const rerun = (node: AnyNode, scope: Scope, chain: Array<{ fn: AnyNode; site: CallSite }>): RawFinding[] => {
    const start = findings.length
    // Outermost call first, so an inner helper's argument can read the outer helper's parameter.
    const go = (i: number): void => {
      if (i >= chain.length) { visit(node, scope); return }
      folder.withCall(chain[i].fn, chain[i].site.args, chain[i].site.scope, () => go(i + 1))
    }
    go(0)
    return findings.splice(start)
  }

  /**
   * A sink whose destination is a helper's parameter becomes a finding at each call site of the
   * helper, with the destination folded there; the helper's own sink is then not reported.
   */
  let rerunsLeft = MAX_RERUNS_PER_FILE
  const ownTemplates: RawFinding[] = []
  const emit = (f: RawFinding, node: AnyNode, scope: Scope, chain: Array<{ fn: AnyNode; site: CallSite }>) => {
    const fn = f.params?.[0] as AnyNode | undefined
    const sites = fn && chain.length < 3 && !chain.some((c) => c.fn === fn) ? callSitesOf(fn) : []
    // Past the budget (huge bundles with many helpers), the helper's own finding stands: `dynamic`, for review.
    if (!sites.length || sites.length > MAX_SITES_PER_FN || sites.length > rerunsLeft) { findings.push(f); return }
    rerunsLeft -= sites.length
    // The helper's own sink stays a record (not a finding): callers in other files fill its parameters when
    // linked, while the callers here are reported below.
    if ((f as Linked)[LINK]) ownTemplates.push(f)
    const name = fn!.id?.name ?? facts.fnNames.get(fn!) ?? (facts.classOf.get(fn!) ? `new ${facts.classOf.get(fn!)!.id?.name ?? 'class'}` : 'helper')
    for (const site of sites) {
      const next = [{ fn: fn!, site }, ...chain]
      const again = rerun(node, scope, next).filter((r) => r.rule === f.rule && r.api === f.api)
      for (const r of again.slice(0, 1)) {
        emit({ ...r, start: site.node.start, end: site.node.end, message: `${r.message} (through ${name}())`, details: { ...r.details, through: name } }, node, scope, next)
      }
    }
  }

  // Every candidate is visited before any finding is folded at call sites: that needs all the sites.
  const found: Array<{ fresh: RawFinding[]; node: AnyNode; scope: Scope }> = []
  const { candidateNodes, candidateScopes } = facts
  for (let i = 0; i < candidateNodes.length; i++) {
    const node = candidateNodes[i]
    const scope = candidateScopes[i]
    const start = findings.length
    visit(node, scope)
    if (findings.length !== start) found.push({ fresh: findings.splice(start), node, scope })
  }
  for (const { fresh, node, scope } of found) {
    for (const f of fresh) emit(f, node, scope, [])
  }
  for (const [id, v] of visitors) { currentRule = id; v.end?.() }
  const summary = builder?.finish(findings as Array<RawFinding & Linked>, callSitesOf, ownTemplates as Array<RawFinding & Linked>)
  return { findings, summary }
}
