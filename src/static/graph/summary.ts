// What one file means to the rest of the program, in a form that survives the analysis cache: its imports,
// what it exports, the functions and classes those are, and the calls whose meaning depends on other files
// (a sink whose destination is a parameter or an import, a call into another module). Built in the worker
// from the folded values; linked across files and packages by link.ts.
import type { AnyNode, FileFacts, Scope } from '../parse/scope.ts'
import { lookup } from '../parse/scope.ts'
import { isBuiltin, isRelative, THIS_HOLE, type Folder, type Val } from '../parse/fold.ts'
import { isInteropWrapper } from '../parse/interop.ts'

/**
 * A folded value as it is stored: the JSON-safe part of Val. Functions and classes are ids into the file's
 * tables; object literals become `rec`; a parameter is a hole `[fn id, index, path]`.
 */
export type SV =
  | { t: 'str'; v: string; partial?: boolean; source?: string; at?: number; parts?: SV[] }
  | { t: 'num'; v: number }
  | { t: 'bool'; v: boolean }
  | { t: 'nullish' }
  | { t: 'mod'; mod: string; path: string[] }
  | { t: 'glob'; path: string[] }
  | { t: 'req' }
  | { t: 'inst'; cls: string; path: string[]; init?: SV; ref?: SV; args?: SV[] }
  | { t: 'rec'; props: Record<string, SV>; rest?: SV }
  | { t: 'mrg'; parts: SV[] }
  | { t: 'arr'; items: SV[]; loose?: true }
  | { t: 'fn'; id: number }
  | { t: 'cls'; id: number }
  /** `hole` [function id, parameter index, path]; index THIS_HOLE: [class id, THIS_HOLE, path] (a field of its instances). */
  | { t: 'dyn'; source: string; hole?: [number, number, string[]] }
  | { t: 'dflt'; v: SV; over: SV }
  | { t: 'ret'; callee: SV; args: SV[]; path: string[] }
  | { t: 'cat'; parts: SV[] }
  | { t: 'unknown'; why?: string }

export interface FnSummary {
  name: string
  /** Number of declared parameters. */
  n: number
  /** What it returns, with its own parameters as holes (factories, wrappers around fetch). */
  ret?: SV
  /** An interop helper or identity: returns (something carrying) its first argument. */
  passes?: true
  /** An ES5 constructor's prototype methods. */
  methods?: Record<string, number>
  /** Offset of the function in the file. */
  at: number
}

export interface ClassSummary {
  name: string
  ctor?: number
  methods: Record<string, number>
  /** The class it extends, when that is another module's or a known class. */
  sup?: SV
  /**
   * What its instances keep in `this.key` (constructor parameters as holes), for subclasses of other modules
   * that read them: kept only for values that may carry a destination.
   */
  fields?: Record<string, SV>
  at: number
}

/** A call whose meaning depends on other files. */
export interface CallRecord {
  callee: SV
  args: SV[]
  start: number
  end: number
  /** `new C(…)` (and `super(…)`, which calls the base class's constructor). */
  isNew?: true
  /** Findings of this file reported at this call, by index: replaced when linking decides their destination. */
  findings?: number[]
  /** The method name of `x.m(…)` when the object is known only as a parameter (name-based dispatch). */
  m?: string
  /** A helper's own sink whose callers in this file were reported at their calls: linked only through callers in other files. */
  own?: true
}

export interface ImportEdge {
  spec: string
  /** r: require, i: static import / export-from, d: dynamic import(), q: require.resolve */
  kind: 'r' | 'i' | 'd' | 'q'
}

export interface FileSummary {
  imports: ImportEdge[]
  /** require()/import() of names computed at run time; `prefix` is the constant start of the name, if any. */
  computed?: Array<{ prefix?: string; at: number }>
  /** '' is the whole module (`module.exports = …`); other keys are export names; '*' lists `export * from`. */
  exports?: Record<string, SV>
  reexportAll?: string[]
  fns?: FnSummary[]
  classes?: ClassSummary[]
  calls?: CallRecord[]
  /** Set when a bound cut the summary short (what was left out is named). */
  truncated?: string
}

// Bounds: a summary stays small whatever the file holds.
const MAX_DEPTH = 5
const MAX_PROPS = 48
const MAX_ITEMS = 24
const MAX_STR = 2048
const MAX_NODES_PER_VALUE = 400
const MAX_NODES_PER_ARG = 60
const MAX_ARG_DEPTH = 3
/** In-file call sites kept per function whose parameters a record depends on, and per file. */
const MAX_SITES_PER_FN = 8
const MAX_SITE_RECORDS = 120
/**
 * Method names too common to be worth keeping for name-based dispatch (`options.logger.debug(x)`): the program
 * has many methods of these names, so the linker would not use the call anyway.
 */
const COMMON_METHODS = new Set([
  'on', 'once', 'off', 'emit', 'write', 'end', 'push', 'pop', 'shift', 'unshift', 'then', 'catch', 'finally', 'call', 'apply', 'bind',
  'log', 'debug', 'info', 'warn', 'error', 'trace', 'fatal', 'get', 'set', 'has', 'add', 'delete', 'clear', 'forEach', 'map', 'filter',
  'reduce', 'find', 'some', 'every', 'join', 'split', 'replace', 'slice', 'splice', 'toString', 'valueOf', 'destroy', 'pipe', 'resume',
  'pause', 'removeListener', 'addListener', 'removeAllListeners', 'keys', 'values', 'entries', 'indexOf', 'includes', 'concat', 'next',
  'resolve', 'reject', 'assign', 'create', 'parse', 'stringify', 'test', 'exec', 'match', 'sort', 'update', 'digest', 'read', 'close',
])
const MAX_CALLS = 2000
const MAX_FNS = 400
const MAX_RET_STATEMENTS = 60

/** Turns folded values into stored ones, numbering the functions and classes they mention. */
export class SummaryWriter {
  readonly fns: FnSummary[] = []
  readonly classes: ClassSummary[] = []
  private fnIds = new Map<AnyNode, number>()
  private clsIds = new Map<AnyNode, number>()
  private pendingRets: Array<{ id: number; node: AnyNode }> = []
  private pendingFields: Array<{ id: number; node: AnyNode }> = []
  private fieldsDone = 0
  private nodes = 0
  truncated: string | undefined

  constructor(private readonly folder: Folder, private readonly facts: FileFacts) {}

  private maxNodes = MAX_NODES_PER_VALUE
  private maxDepth = MAX_DEPTH

  /** Stored form of a value (bounded in depth and size; call arguments more tightly than exports). */
  value(v: Val, bound: 'export' | 'arg' = 'export'): SV {
    this.nodes = 0
    this.maxNodes = bound === 'arg' ? MAX_NODES_PER_ARG : MAX_NODES_PER_VALUE
    this.maxDepth = bound === 'arg' ? MAX_ARG_DEPTH : MAX_DEPTH
    return this.sv(v, 0)
  }

  private sv(v: Val, depth: number): SV {
    if (++this.nodes > this.maxNodes || depth > this.maxDepth) return { t: 'unknown', why: 'summary bound' }
    switch (v.t) {
      case 'str': {
        const out: SV = { t: 'str', v: v.v.length > MAX_STR ? v.v.slice(0, MAX_STR) : v.v }
        if (v.partial || v.v.length > MAX_STR) out.partial = true
        if (v.source) out.source = v.source
        // Where a destination may be decided: kept for strings that can name one.
        if (v.at !== undefined && v.file === undefined && mayNameDestination(v.v)) out.at = v.at
        if (v.parts) out.parts = v.parts.map((p) => this.sv(p, depth + 1))
        return out
      }
      case 'num': case 'bool': return { t: v.t, v: v.v } as SV
      case 'nullish': case 'req': return { t: v.t }
      case 'mod': return { t: 'mod', mod: v.mod, path: v.path.slice(0, 8) }
      case 'glob': return { t: 'glob', path: v.path.slice(0, 8) }
      case 'inst': {
        const out: SV = { t: 'inst', cls: v.cls, path: v.path.slice(0, 8) }
        if (v.init && v.init.t !== 'unknown') out.init = this.sv(v.init, depth + 1)
        if (v.ref) { out.ref = this.sv(v.ref, depth + 1); out.args = (v.args ?? []).map((a) => this.sv(a, depth + 1)) }
        return out
      }
      case 'obj': return this.object(v.node, v.scope, v.folder ?? this.folder, depth)
      case 'rec': {
        const props: Record<string, SV> = {}
        for (const [k, x] of Object.entries(v.props).slice(0, MAX_PROPS)) props[k] = this.sv(x, depth + 1)
        return v.rest ? { t: 'rec', props, rest: this.sv(v.rest, depth + 1) } : { t: 'rec', props }
      }
      case 'mrg': return { t: 'mrg', parts: v.parts.slice(0, 8).map((p) => this.sv(p, depth + 1)) }
      case 'arr': {
        const out: SV = { t: 'arr', items: v.items.slice(0, MAX_ITEMS).map((x) => this.sv(x, depth + 1)) }
        if (v.loose) out.loose = true
        return out
      }
      case 'fn': return { t: 'fn', id: this.fnId(v.node) }
      case 'cls': return { t: 'cls', id: this.clsId(v.node) }
      case 'dyn': {
        const out: SV = { t: 'dyn', source: v.source }
        if (v.hole) out.hole = [v.hole.index === THIS_HOLE ? this.clsId(v.hole.fn) : this.fnId(v.hole.fn), v.hole.index, v.hole.path.slice(0, 8)]
        return out
      }
      case 'dflt': return { t: 'dflt', v: this.sv(v.v, depth + 1), over: this.sv(v.over, depth + 1) }
      case 'ret': return { t: 'ret', callee: this.sv(v.callee, depth + 1), args: v.args.map((a) => this.sv(a, depth + 1)), path: v.path.slice(0, 8) }
      case 'cat': return { t: 'cat', parts: v.parts.map((p) => this.sv(p, depth + 1)) }
      default: return v.t === 'unknown' && v.why ? { t: 'unknown', why: v.why } : { t: 'unknown' }
    }
  }

  /** An object literal by its properties; spreads make it a merge of the parts in order. */
  private object(node: AnyNode, scope: Scope, folder: Folder, depth: number): SV {
    const parts: SV[] = []
    let props: Record<string, SV> = {}
    let count = 0
    for (const p of node.properties) {
      if (p.type === 'SpreadElement') {
        if (Object.keys(props).length) parts.push({ t: 'rec', props })
        props = {}
        parts.push(this.sv(folder.evaluate(p.argument, scope), depth + 1))
        continue
      }
      if (++count > MAX_PROPS) break
      let k: string | undefined
      if (!p.computed) k = p.key.type === 'Identifier' ? p.key.name : p.key.type === 'Literal' ? String(p.key.value) : undefined
      else { const kv = folder.evaluate(p.key, scope); if (kv.t === 'str' && !kv.partial) k = kv.v }
      if (k === undefined) continue
      props[k] = p.kind === 'init' ? this.sv(folder.evaluate(p.value, scope), depth + 1) : { t: 'unknown', why: 'accessor' }
    }
    if (!parts.length) return { t: 'rec', props }
    if (Object.keys(props).length) parts.push({ t: 'rec', props })
    return { t: 'mrg', parts }
  }

  /** The function node behind an id (for its in-file call sites). */
  fnNode(id: number): AnyNode | undefined {
    for (const [node, i] of this.fnIds) if (i === id) return node
    return undefined
  }

  fnId(node: AnyNode): number {
    let id = this.fnIds.get(node)
    if (id !== undefined) return id
    id = this.fns.length
    if (id >= MAX_FNS) { this.truncated ??= `more than ${MAX_FNS} functions`; return -1 }
    this.fnIds.set(node, id)
    const name = node.id?.name ?? this.facts.fnNames.get(node) ?? ''
    const fn: FnSummary = { name, n: node.params?.length ?? 0, at: node.start }
    if (node.params?.length && isInteropWrapper(node)) fn.passes = true
    this.fns.push(fn)
    this.pendingRets.push({ id, node })
    const methods = this.facts.methodsOf.get(node)
    if (methods?.length) {
      fn.methods = {}
      for (const m of methods) {
        const name = this.facts.fnNames.get(m)
        if (name && !(name in fn.methods)) fn.methods[name] = this.fnId(m)
      }
    }
    return id
  }

  clsId(node: AnyNode): number {
    let id = this.clsIds.get(node)
    if (id !== undefined) return id
    id = this.classes.length
    this.clsIds.set(node, id)
    const c: ClassSummary = { name: node.id?.name ?? (node.type === 'ClassDeclaration' || node.type === 'ClassExpression' ? '' : node.id?.name ?? ''), methods: {}, at: node.start }
    this.classes.push(c)
    const ctor = this.facts.ctorOf.get(node)
    if (ctor) c.ctor = this.fnId(ctor)
    for (const m of this.facts.methodsOf.get(node) ?? []) {
      if (m === ctor) continue
      const name = this.facts.fnNames.get(m)
      if (name && !(name in c.methods)) c.methods[name] = this.fnId(m)
    }
    const sup = this.facts.superOf.get(node)
    if (sup) c.sup = this.value(this.folder.evaluate(sup.node, sup.scope))
    this.pendingFields.push({ id, node })
    return id
  }

  /**
   * Fields of the classes the summary mentions: what the constructor and the methods store in `this.key`
   * (a subclass in another module reads them through linking).
   */
  private finishFields(): void {
    for (; this.fieldsDone < this.pendingFields.length; this.fieldsDone++) {
      const { id, node } = this.pendingFields[this.fieldsDone]
      const keys = new Set<string>()
      const ctor = this.facts.ctorOf.get(node)
      for (const fn of [ctor, ...(this.facts.methodsOf.get(node) ?? [])]) for (const k of (fn && this.facts.thisWrites.get(fn)?.keys()) ?? []) keys.add(k)
      for (const k of this.facts.classFields.get(node)?.keys() ?? []) keys.add(k)
      let fields: Record<string, SV> | undefined
      for (const k of [...keys].slice(0, MAX_PROPS)) {
        const v = this.folder.fieldOf(node, k)
        if (!v || !carriesSomething(v)) continue
        ;(fields ??= {})[k] = this.value(v, 'arg')
      }
      if (fields) this.classes[id].fields = fields
    }
  }

  /** Return values of the functions the summary mentions (factories), computed once every id is known. */
  finishReturns(): void {
    this.finishFields()
    for (let i = 0; i < this.pendingRets.length; i++) {
      const { id, node } = this.pendingRets[i]
      const fn = this.fns[id]
      if (fn.passes) continue
      if (node.body?.type === 'BlockStatement' && node.body.body.length > MAX_RET_STATEMENTS) continue
      // The walk collected each function's returns; an arrow with an expression body returns it.
      const rets = node.body?.type === 'BlockStatement' ? this.facts.returnsOf.get(node) ?? [] : node.body ? [node.body] : []
      if (!rets.length) continue
      const scope = this.facts.fnScopes.get(node)
      if (!scope) continue
      let v: Val | undefined
      // The last return first: it is the path taken when no earlier condition holds (`if (opts.request) return
      // wrap(opts.request); return defaultRequest`), so the default is what a tie keeps.
      for (let i = rets.length - 1; i >= 0; i--) {
        const x = this.folder.evaluate(rets[i], scope)
        v = v ? mergeReturns(v, x) : x
      }
      if (!v || v.t === 'unknown' || v.t === 'nullish' || v.t === 'num' || v.t === 'bool' || (v.t !== 'fn' && !carriesSomething(v))) continue
      fn.ret = this.value(v, 'arg')
    }
    this.finishFields()
  }
}

/** Two return values: keep the one that carries more (an object or module over nothing). */
function mergeReturns(a: Val, b: Val): Val {
  if (a.t === 'unknown' || a.t === 'nullish') return b
  return a
}

/** A string that could be (the start of) a URL or host name: worth knowing where it was written. */
export function mayNameDestination(s: string): boolean {
  return s.length > 3 && s.length < 2048 && (s.includes('//') || /^[a-z0-9-]+(\.[a-z0-9-]+)+(:\d+)?(\/|$)/i.test(s) || /^[a-z][a-z0-9+.-]*:/i.test(s))
}

const NETWORK_GLOBALS = new Set(['fetch', 'WebSocket', 'XMLHttpRequest', 'EventSource', 'navigator', 'Request'])
const NETWORK_BUILTINS = new Set(['http', 'https', 'http2', 'net', 'tls', 'dgram', 'dns', 'child_process'])

/**
 * Whether a call into another module is worth keeping: an argument may carry a destination (a URL, an options
 * object with one, a default), a parameter (to be filled by callers), a network function or client, or a value
 * of another module.
 */
export function carriesSomething(v: Val, depth = 0): boolean {
  if (depth > 3) return false
  switch (v.t) {
    case 'str': return mayNameDestination(v.v) || (v.partial === true && !!v.source) || (!!v.parts && v.parts.some((p) => carriesSomething(p, depth + 1)))
    case 'dyn': return !!v.hole && v.hole.index !== THIS_HOLE
    case 'dflt': return true
    case 'obj': {
      const props: AnyNode[] = v.node.properties
      if (!props.length || props.length > 64) return false
      const folder = v.folder
      return props.some((p) => p.type === 'SpreadElement' || (p.type === 'Property' && p.value.type !== 'FunctionExpression' && p.value.type !== 'ArrowFunctionExpression' && !!folder && carriesSomething(folder.evaluate(p.value, v.scope), depth + 1)))
    }
    case 'rec': return Object.values(v.props).some((x) => carriesSomething(x, depth + 1)) || (!!v.rest && carriesSomething(v.rest, depth + 1))
    case 'mrg': return v.parts.some((x) => carriesSomething(x, depth + 1))
    case 'ret': case 'cls': case 'inst': case 'cat': return true
    case 'mod': return !isBuiltin(v.mod) || NETWORK_BUILTINS.has(v.mod)
    case 'glob': return NETWORK_GLOBALS.has(v.path[0] ?? '') || (v.path[0] === 'globalThis' && NETWORK_GLOBALS.has(v.path[1] ?? ''))
    case 'arr': return v.items.some((x) => carriesSomething(x, depth + 1))
    default: return false
  }
}

/** Whether a callee is another module's (or a parameter): the call means something only once linked. */
export function isOutsideCallee(v: Val): boolean {
  if (v.t === 'mod') return !isBuiltin(v.mod)
  if (v.t === 'ret') return true
  if (v.t === 'inst') return !!v.ref
  if (v.t === 'dyn') return !!v.hole && v.hole.index !== THIS_HOLE
  return false
}

/** Exported values of a file, by export name ('' = module.exports as a whole). */
export function exportValues(facts: FileFacts, folder: Folder): { values: Map<string, Val>; reexports: Array<{ spec: string; names?: Array<[string, string]> }> } {
  const values = new Map<string, Val>()
  for (const [exported, local] of facts.exportNames) {
    const b = lookup(facts.program, local)
    if (b) values.set(exported, folder.binding(b))
  }
  const named = new Map<string, number>()
  // `module.exports = …` inside a function whose parameter is called `module` (a bundled module's factory:
  // webpack, browserify) is that module's export, not this file's.
  const assigns = facts.exportsAssign.filter((e) => !lookup(e.scope, 'module') && (e.name === null || !lookup(e.scope, 'exports')))
  for (const e of assigns) {
    const key = e.name === null ? '' : e.name
    named.set(key, (named.get(key) ?? 0) + 1)
  }
  for (const e of assigns) {
    const key = e.name === null ? '' : e.name
    const v = folder.evaluate(e.value, e.scope)
    const prev = values.get(key)
    // Written more than once (`exports.x = a; … exports.x = b`): the later one, unless it gives nothing.
    if (!prev || (named.get(key)! > 1 && v.t !== 'unknown')) values.set(key, v)
  }
  return { values, reexports: facts.reexports }
}

export { isRelative }

/** A finding's record: which call it was reported at, kept on the finding until the file is done. */
export const LINK: unique symbol = Symbol('link')
export type Linked = { [LINK]?: { callee: SV; args: SV[]; isNew?: true } }

type Site = { node: AnyNode; args: AnyNode[]; scope: Scope }

/** Collects a file's summary while its candidates are visited (see analyse.ts). */
export class SummaryBuilder {
  readonly writer: SummaryWriter
  private imports = new Map<string, ImportEdge>()
  private computed: Array<{ prefix?: string; at: number }> = []
  private calls: CallRecord[] = []
  private dropped = 0

  constructor(private readonly folder: Folder, private readonly facts: FileFacts) {
    this.writer = new SummaryWriter(folder, facts)
  }

  noteImport(spec: string, kind: ImportEdge['kind']): void {
    const key = `${kind}\0${spec}`
    if (!this.imports.has(key) && this.imports.size < 2000) this.imports.set(key, { spec, kind })
  }

  noteComputed(v: Val, at: number): void {
    if (this.computed.length >= 100) return
    this.computed.push(v.t === 'str' && v.partial && v.v ? { prefix: v.v, at } : { at })
  }

  /** A call into another module (or through a parameter) whose arguments may carry something. */
  noteCall(node: AnyNode, callee: Val, args: AnyNode[], scope: Scope, isNew: boolean): void {
    if (this.calls.length >= MAX_CALLS) { this.dropped++; return }
    const c = node.callee
    const m = callee.t === 'dyn' && c?.type === 'MemberExpression' && !c.computed && c.property.type === 'Identifier' ? c.property.name as string : undefined
    if (m && COMMON_METHODS.has(m)) return
    if (!args.some(mayCarry)) return
    const vals = this.folder.argVals(args, scope)
    if (!vals.some((v) => carriesSomething(v))) return
    // A method called on an object a caller gives (`parser.report(parser, 12)`) is kept for name-based dispatch
    // only when it passes more than the caller's own parameters (an options object, a URL): most such calls are
    // an object's ordinary plumbing.
    if (m && !vals.some((v) => carriesSomething(v) && !(v.t === 'dyn' && v.hole && !v.hole.path.length))) return
    const rec: CallRecord = { callee: this.writer.value(callee, 'arg'), args: vals.map((v) => this.writer.value(v, 'arg')), start: node.start, end: node.end }
    if (isNew) rec.isNew = true
    if (m) rec.m = m
    this.calls.push(rec)
  }

  /**
   * `this.m(args)` where the class does not define m: a call on this class's instances, which linking sends
   * to the subclasses (in any file) that do.
   */
  noteThisCall(node: AnyNode, owner: AnyNode, m: string, args: AnyNode[], scope: Scope): void {
    if (this.calls.length >= MAX_CALLS || COMMON_METHODS.has(m)) return
    const vals = this.folder.argVals(args, scope)
    if (!vals.some((v) => carriesSomething(v))) return
    const isClass = owner.type === 'ClassDeclaration' || owner.type === 'ClassExpression'
    const ref: SV = isClass ? { t: 'cls', id: this.writer.clsId(owner) } : { t: 'fn', id: this.writer.fnId(owner) }
    this.calls.push({ callee: { t: 'inst', cls: 'this', path: [m], ref }, args: vals.map((v) => this.writer.value(v, 'arg')), start: node.start, end: node.end })
  }

  /** What a finding at the call being visited was computed from, for linking to re-evaluate. */
  linkOf(callee: Val, args: AnyNode[], scope: Scope, isNew: boolean): NonNullable<Linked[typeof LINK]> {
    const out: NonNullable<Linked[typeof LINK]> = { callee: this.writer.value(callee, 'arg'), args: this.folder.argVals(args, scope).map((v) => this.writer.value(v, 'arg')) }
    if (isNew) out.isNew = true
    return out
  }

  finish(findings: Array<{ start: number; end: number } & Linked>, sitesOf: (fn: AnyNode) => Site[], ownTemplates: Array<{ start: number; end: number } & Linked> = []): FileSummary {
    // Sinks of helpers whose callers in this file are reported there: kept for callers in other files.
    for (const f of ownTemplates) {
      // Sinks are kept whatever the limit on other calls (there are as many as findings, which are bounded).
      const link = f[LINK]
      if (!link) continue
      this.calls.push({ callee: link.callee, args: link.args, start: f.start, end: f.end, own: true, ...(link.isNew ? { isNew: true as const } : {}) })
    }
    // Findings reported at a call with an undecided destination become records of that call.
    const byCall = new Map<string, CallRecord>()
    findings.forEach((f, i) => {
      const link = f[LINK]
      if (!link) return
      const key = `${f.start}:${f.end}:${JSON.stringify(link.callee)}`
      const seen = byCall.get(key)
      if (seen) { seen.findings!.push(i); return }
      const rec: CallRecord = { callee: link.callee, args: link.args, start: f.start, end: f.end, findings: [i] }
      if (link.isNew) rec.isNew = true
      byCall.set(key, rec)
      this.calls.push(rec)
    })
    const summary: FileSummary = { imports: [...this.imports.values()] }
    if (this.computed.length) summary.computed = this.computed
    // Exports, and what `export * from` and compiled re-export calls pass through.
    const { values, reexports } = exportValues(this.facts, this.folder)
    const exports: Record<string, SV> = {}
    for (const [k, v] of values) if (v.t !== 'unknown' || v.why) exports[k] = this.writer.value(v)
    const all: string[] = []
    for (const r of reexports) {
      this.noteImport(r.spec, 'i')
      if (!r.names) { all.push(r.spec); continue }
      for (const [exported, imported] of r.names) exports[exported] = { t: 'mod', mod: r.spec, path: imported === '*' ? [] : [imported] }
    }
    for (const { node, scope } of this.facts.exportCalls) {
      const m = this.folder.evaluate(node.arguments[0], scope)
      if (m.t === 'mod' && !isBuiltin(m.mod)) all.push(m.mod)
    }
    // `for (k in __webpack_exports__) exports[k] = __webpack_exports__[k]`: every key the bundler runtime defined
    // on that object, and every module it re-exports whole.
    for (const { node, scope } of this.folder.exportCopies()) {
      const src = this.folder.evaluate(node, scope)
      if (src.t === 'mod' && !isBuiltin(src.mod)) { all.push(src.mod); continue }
      const { props, rests } = this.folder.definedExports(src)
      for (const [k, v] of Object.entries(props)) if (!(k in exports) && (v.t !== 'unknown' || v.why)) exports[k] = this.writer.value(v)
      for (const r of rests) if (r.t === 'mod' && !isBuiltin(r.mod) && !r.path.length) all.push(r.mod)
    }
    if (Object.keys(exports).length) summary.exports = exports
    if (all.length) summary.reexportAll = [...new Set(all)]
    // In-file call sites of the functions the records' parameters belong to (a record's hole is filled there).
    const done = new Set<number>()
    let siteRecords = 0
    for (let round = 0; round < 4; round++) {
      const owners = new Set<number>()
      for (const c of this.calls) for (const sv of [c.callee, ...c.args]) holeOwners(sv, owners)
      for (const fn of this.writer.fns) if (fn.ret) holeOwners(fn.ret, owners)
      let added = false
      for (const id of owners) {
        if (done.has(id) || id < 0) continue
        done.add(id)
        const node = this.writer.fnNode(id)
        if (!node) continue
        const cls = this.facts.classOf.get(node)
        const isCtor = cls && this.facts.ctorOf.get(cls) === node
        for (const site of sitesOf(node).slice(0, MAX_SITES_PER_FN)) {
          if (this.calls.length >= MAX_CALLS || siteRecords >= MAX_SITE_RECORDS) break
          const vals = this.folder.argVals(site.args, site.scope)
          // A site that passes nothing a destination could come from adds nothing to what linking finds.
          if (!vals.some((v) => carriesSomething(v))) continue
          siteRecords++
          const callee: SV = isCtor ? { t: 'cls', id: this.writer.clsId(cls) } : { t: 'fn', id }
          const rec: CallRecord = { callee, args: vals.map((v) => this.writer.value(v, 'arg')), start: site.node.start, end: site.node.end }
          if (isCtor) rec.isNew = true
          this.calls.push(rec)
          added = true
        }
      }
      this.writer.finishReturns()
      if (!added) break
    }
    if (this.calls.length) summary.calls = this.calls
    if (this.writer.fns.length) summary.fns = this.writer.fns
    if (this.writer.classes.length) summary.classes = this.writer.classes
    const truncated = [this.writer.truncated, this.dropped ? `${this.dropped} calls past the limit of ${MAX_CALLS}` : undefined].filter(Boolean)
    if (truncated.length) summary.truncated = truncated.join('; ')
    return summary
  }
}

/** A cheap look at an argument before folding it: literals that name no destination and inline functions carry nothing. */
function mayCarry(a: AnyNode): boolean {
  switch (a.type) {
    case 'Literal': return typeof a.value === 'string' && mayNameDestination(a.value)
    case 'FunctionExpression': case 'ArrowFunctionExpression': case 'ClassExpression': case 'UnaryExpression': case 'UpdateExpression': case 'BinaryExpression': return a.type === 'BinaryExpression' && a.operator === '+'
    case 'TemplateLiteral': return a.quasis.some((q: AnyNode) => mayNameDestination(q.value.cooked ?? q.value.raw ?? '')) || a.expressions.length > 0
    default: return true
  }
}

/** Ids of the functions whose parameters a stored value depends on. */
export function holeOwners(sv: SV, out: Set<number>, depth = 0): void {
  if (depth > 8) return
  switch (sv.t) {
    case 'dyn': if (sv.hole && sv.hole[1] !== THIS_HOLE) out.add(sv.hole[0]); return
    case 'str': for (const p of sv.parts ?? []) holeOwners(p, out, depth + 1); return
    case 'dflt': holeOwners(sv.v, out, depth + 1); holeOwners(sv.over, out, depth + 1); return
    case 'rec': for (const v of Object.values(sv.props)) holeOwners(v, out, depth + 1); if (sv.rest) holeOwners(sv.rest, out, depth + 1); return
    case 'mrg': for (const p of sv.parts) holeOwners(p, out, depth + 1); return
    case 'arr': for (const p of sv.items) holeOwners(p, out, depth + 1); return
    case 'ret': holeOwners(sv.callee, out, depth + 1); for (const a of sv.args) holeOwners(a, out, depth + 1); return
    case 'cat': for (const p of sv.parts) holeOwners(p, out, depth + 1); return
    case 'inst': if (sv.ref) holeOwners(sv.ref, out, depth + 1); for (const a of sv.args ?? []) holeOwners(a, out, depth + 1); if (sv.init) holeOwners(sv.init, out, depth + 1); return
    default: return
  }
}
