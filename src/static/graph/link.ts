// Links the files' summaries into one program: a value imported from another module is read from that
// module's exports, a call into another module's function fills that function's parameters, and a sink whose
// destination was a parameter or an import is evaluated again where the destination is decided — by the
// same detectors that judge a single file, run on the linked values.
import type { Destination, Severity } from '../../report/finding.ts'
import { concatAll, configGetterCall, Folder, isBuiltin, joinStrings, merge, resolveUrl, THIS_HOLE, UNKNOWN, type Val } from '../parse/fold.ts'
import { collectFacts, type AnyNode, type FileFacts, type Scope } from '../parse/scope.ts'
import { destinationOfArg, originOf, type Origin } from '../parse/destination.ts'
import { severityFor, type DetectContext, type Detector, type ReportInput } from '../detectors/detector.ts'
import netSink, { CLIENT_PACKAGES } from '../detectors/net-sink.ts'
import telemetrySdk from '../detectors/telemetry-sdk.ts'
import childProcessNetwork from '../detectors/child-process-network.ts'
import { signatureMatcher } from '../../signatures/matcher.ts'
import type { CallRecord, FileSummary, SV } from './summary.ts'

/** What an import specifier of a file resolves to. */
export type Target =
  | { t: 'file'; file: number }
  | { t: 'json'; value: unknown }
  | { t: 'builtin'; name: string }
  | { t: 'empty' }
  | { t: 'missing'; reason: string }

export interface LinkInput {
  summaries: Array<FileSummary | undefined>
  /** Resolution of `spec` imported by file `file` (memoised by the caller). */
  target(file: number, spec: string): Target
  /** Stop after this many evaluations or this time: what is cut off is reported. */
  budget?: { steps?: number; ms?: number }
}

/** A finding the linker decided, to be placed in `file` at `start`. */
export interface LinkedFinding {
  file: number
  start: number
  end: number
  rule: string
  severity: Severity
  message: string
  api?: string
  destination?: Destination
  details?: Record<string, string>
  /** Where the value travelled, outermost first: (file, offset) of each step, then the sink. */
  path: Array<{ file: number; at: number }>
  /** The record's own file and position (the sink). */
  sink: { file: number; at: number; end: number }
  /** The file's own findings at the record (by index) that this one stands for. */
  replaces?: number[]
}

export interface LinkResult {
  findings: LinkedFinding[]
  /** Hard-coded strings a sink was found to use: file → offsets (telemetry-endpoint "string only" is lifted). */
  reachingStrings: Map<number, Set<number>>
  /** Bounds that cut the analysis short, in words (reported as review by the caller). */
  cutOff: Array<{ file: number; at: number; why: string }>
  stats: { records: number; evaluations: number; sites: number }
}

const MAX_CHAIN = 6
// NPH_LINK_DEBUG=<substring of a file's display path>: prints each evaluation of that file's records (development aid).
const DEBUG = process.env.NPH_LINK_DEBUG
/** Name-based dispatch is used only for method names this rare in the program. */
const MAX_SAME_NAME_METHODS = 4
const MAX_SITES_PER_FN = 24
const MAX_INSTANCES_PER_RECORD = 96
const MAX_NORM_DEPTH = 24
/** Bounds on finding which object a parameter's method is called on (see injectedTargets). */
const MAX_INJECTED_STEPS = 24
const MAX_INJECTED_DEPTH = 4
const MAX_INJECTED_TARGETS = 4
const DETECTORS: Detector[] = [netSink, telemetrySdk, childProcessNetwork]

type FnKey = AnyNode & { $file: number; $id: number }

interface Site {
  file: number
  rec: CallRecord
  /** For a method call on an instance: the constructor to bind and its arguments (linked values). */
  ctor?: { key: FnKey; args: Val[] }
  /**
   * For a call of a function another one made or was given (`withTimeout(fetch, t)(url)`, `fetchFunction(url)`
   * in a wrapper): the parameters its closure reads, bound (the factory's, the wrapper's).
   */
  binds?: Array<{ key: FnKey; args: Val[] }>
}

let emptyFacts: FileFacts | undefined
function noFacts(): FileFacts {
  emptyFacts ??= collectFacts({ type: 'Program', body: [], sourceType: 'script', start: 0, end: 0 } as unknown as AnyNode)
  return emptyFacts
}

/** A Folder over linked values: synthetic `$val` nodes carry values; imports resolve through the program. */
class LinkFolder extends Folder {
  /** Parameters read while unbound (a site may fill them). */
  touched: FnKey[] = []
  private normDepth = 0

  constructor(private readonly linker: Linker) {
    super(noFacts(), 'commonjs')
  }

  override evaluate(node: AnyNode | null | undefined, scope: Scope): Val {
    if (node && node.type === '$val') return this.norm(node.val as Val)
    return super.evaluate(node, scope)
  }

  override property(obj: Val, key: string, label: string): Val {
    const o = this.norm(obj)
    if (o.t === 'mod' && this.linker.isLinkable(o)) return this.norm({ ...o, path: [...o.path, key] })
    if (o.t === 'ret') return this.norm({ ...o, path: [...o.path, key] })
    // `this` of a class passed along (`new Sender(this)`), then read: its fields.
    if (o.t === 'inst' && o.cls === 'this' && !o.path.length && o.ref?.t === 'lnk' && o.ref.kind === 'cls') return this.linker.thisValue(o.ref.file, o.ref.id, [key], this)
    if (o.t === 'inst' && o.ref) return { ...o, path: [...o.path, key] }
    if (o.t === 'lnk') return UNKNOWN
    return this.norm(super.property(o, key, label))
  }

  // Linked values are immutable: what a value resolves to (and the parameters read on the way) is kept.
  private readonly normMemo = new WeakMap<Val, { v: Val; touched: FnKey[] }>()

  /** Resolves what a value is once the program is linked: imports, factory results, filled parameters. */
  norm(v: Val): Val {
    const hit = this.normMemo.get(v)
    if (hit) {
      for (const k of hit.touched) this.touched.push(k)
      return hit.v
    }
    if (this.normDepth > MAX_NORM_DEPTH) return { t: 'unknown', why: 'linking too deep' }
    const before = this.touched.length
    this.normDepth++
    let out: Val
    try {
      out = this.normInner(v)
    } finally {
      this.normDepth--
    }
    if (!(out.t === 'unknown' && out.why === 'linking too deep')) this.normMemo.set(v, { v: out, touched: this.touched.slice(before) })
    return out
  }

  private normInner(v: Val): Val {
    switch (v.t) {
      case 'mod':
        return this.linker.isLinkable(v) ? this.linker.resolveRef(v.file!, v.mod, v.path, this) : v
      case 'ret': {
        const callee = this.norm(v.callee)
        const r = this.linker.callResult(callee, v.args, this)
        return v.path.length ? this.memberPath(r, v.path, '') : r
      }
      case 'inst': {
        if (!v.ref) return v
        const ref = this.norm(v.ref)
        // `require('x')(opts)` made with a factory rather than a class: what the factory returns.
        if (ref.t === 'lnk' && ref.kind === 'fn' && !this.linker.isConstructor(ref)) {
          const r = this.linker.callResult(ref, v.args ?? [], this)
          return v.path.length ? this.memberPath(r, v.path, '') : r
        }
        if (ref.t === 'mod' || ref.t === 'glob') return { t: 'inst', cls: v.cls, origin: v.origin, path: v.path, init: v.init }
        return { ...v, ref }
      }
      case 'dflt': {
        const over = this.norm(v.over)
        const inner = this.norm(v.v)
        if (over.t === 'nullish') return inner
        if (over.t === 'str' || over.t === 'num' || over.t === 'obj' || over.t === 'rec') return over
        return { t: 'dflt', v: inner, over }
      }
      case 'dyn': {
        const h = v.hole
        // A field of a class's instances that a base class of another module stores.
        if (h?.index === THIS_HOLE) {
          const k = h.fn as FnKey
          return this.linker.thisValue(k.$file, k.$id, h.path, this)
        }
        if (h) this.touched.push(h.fn as FnKey)
        return v
      }
      case 'str': {
        // `${base()}/batch`: the pieces joined now that another module's value is known.
        if (!v.parts) return v
        const parts = v.parts.map((p) => this.norm(p))
        return parts.every((p, i) => p === v.parts![i]) ? v : joinStrings(parts)
      }
      case 'cat':
        // `constants.BASE_URL + '/v1'`: the string, now that the other module's value is known.
        return concatAll(v.parts.map((p) => this.norm(p)))
      default:
        return v
    }
  }
}

export class Linker {
  private readonly summaries: Array<FileSummary | undefined>
  private readonly fnKeys = new Map<string, FnKey>()
  // Per file: two files with the same content share one cached summary object, but not their values.
  private readonly toValMemo = new Map<number, WeakMap<object, Val>>()
  private readonly refMemo = new Map<string, Val>()
  private readonly refInProgress = new Set<string>()
  private readonly sites = new Map<FnKey, Site[]>()
  /** Calls of a method on an object known only as a parameter (`this.client.send(x)`), by method name. */
  private readonly nameSites = new Map<string, Site[]>()
  /** Methods (of classes and ES5 constructors) by name, and the name of each. */
  private readonly methodsByName = new Map<string, FnKey[]>()
  private readonly methodName = new Map<FnKey, string>()
  private readonly matcher = signatureMatcher()
  private evaluations = 0
  private readonly maxSteps: number
  private readonly deadline: number
  private out: LinkResult = { findings: [], reachingStrings: new Map(), cutOff: [], stats: { records: 0, evaluations: 0, sites: 0 } }

  /** Files whose evaluations NPH_LINK_DEBUG prints. */
  debugFiles?: Set<number>

  constructor(private readonly input: LinkInput) {
    this.summaries = input.summaries
    this.maxSteps = input.budget?.steps ?? 200_000
    // A safety net for hostile input; the step budget is what bounds normal programs (and keeps reports deterministic).
    this.deadline = Date.now() + (input.budget?.ms ?? 300_000)
  }

  /** Packages whose calls the detectors know by name (labels) are not looked into; others are linked. */
  isLinkable(v: Extract<Val, { t: 'mod' }>): boolean {
    if (v.file === undefined || isBuiltin(v.mod)) return false
    const base = packageOf(v.mod)
    if (!v.mod.startsWith('.') && !v.mod.startsWith('/') && !v.mod.startsWith('#') && (CLIENT_PACKAGES.has(base) || this.matcher.packageSignature(v.mod))) return false
    return true
  }

  fnKey(file: number, id: number): FnKey {
    const k = `${file}:${id}`
    let key = this.fnKeys.get(k)
    if (!key) {
      key = { type: '$fn', start: 0, end: 0, $file: file, $id: id } as unknown as FnKey
      this.fnKeys.set(k, key)
    }
    return key
  }

  /** The key of a class (for the `this` holes of its instances). */
  clsKey(file: number, id: number): FnKey {
    const k = `c${file}:${id}`
    let key = this.fnKeys.get(k)
    if (!key) {
      key = { type: '$cls', start: 0, end: 0, $file: file, $id: id } as unknown as FnKey
      this.fnKeys.set(k, key)
    }
    return key
  }

  /**
   * `this.a.b…` in the methods of class `id` of `file`: what the class, or the nearest base class that does,
   * stores in `this.a` (its constructor's parameters stay holes, filled through the constructor's callers);
   * a method there is a method of the instance. Without a path, the instance itself.
   */
  thisValue(file: number, id: number, path: string[], lf: LinkFolder, depth = 0): Val {
    const self: Val = { t: 'inst', cls: 'this', origin: NO_NODE, path: [], ref: { t: 'lnk', kind: 'cls', file, id } }
    if (!path.length) return self
    const cls = this.summaries[file]?.classes?.[id]
    if (!cls) return { t: 'unknown', why: `this.${path.join('.')}` }
    const [head, ...rest] = path
    const field = cls.fields?.[head]
    if (field) {
      const v = lf.norm(this.toVal(field, file))
      return rest.length ? lf.memberPath(v, rest, '') : v
    }
    if (cls.methods[head] !== undefined) return { ...self, path }
    if (cls.sup && depth < 4) {
      const base = lf.norm(this.toVal(cls.sup, file))
      if (base.t === 'lnk' && base.kind === 'cls') return this.thisValue(base.file, base.id, path, lf, depth + 1)
    }
    return { t: 'dyn', source: `this.${path.join('.')}` }
  }

  /** A stored value as a Val of the program: its imports know their file, its parameters are holes of that file's functions. */
  toVal(sv: SV, file: number): Val {
    let memo = this.toValMemo.get(file)
    if (!memo) this.toValMemo.set(file, (memo = new WeakMap()))
    const hit = memo.get(sv)
    if (hit) return hit
    const v = this.convert(sv, file, 0)
    memo.set(sv, v)
    return v
  }

  private convert(sv: SV, file: number, depth: number): Val {
    if (depth > 12) return UNKNOWN
    const c = (x: SV) => this.convert(x, file, depth + 1)
    switch (sv.t) {
      case 'str': return { t: 'str', v: sv.v, partial: sv.partial, source: sv.source, at: sv.at, file: sv.at !== undefined ? file : undefined, parts: sv.parts?.map(c) }
      case 'mod': return { t: 'mod', mod: sv.mod, path: sv.path, file }
      case 'fn': return sv.id < 0 ? UNKNOWN : { t: 'lnk', kind: 'fn', file, id: sv.id }
      case 'cls': return { t: 'lnk', kind: 'cls', file, id: sv.id }
      case 'dyn': {
        if (!sv.hole || sv.hole[0] < 0) return { t: 'dyn', source: sv.source }
        const fn = sv.hole[1] === THIS_HOLE ? this.clsKey(file, sv.hole[0]) : this.fnKey(file, sv.hole[0])
        return { t: 'dyn', source: sv.source, hole: { fn, index: sv.hole[1], path: sv.hole[2] } }
      }
      case 'rec': {
        const props: Record<string, Val> = {}
        for (const [k, x] of Object.entries(sv.props)) props[k] = c(x)
        return sv.rest ? { t: 'rec', props, rest: c(sv.rest) } : { t: 'rec', props }
      }
      case 'mrg': return { t: 'mrg', parts: sv.parts.map(c) }
      case 'arr': return sv.loose ? { t: 'arr', items: sv.items.map(c), loose: true } : { t: 'arr', items: sv.items.map(c) }
      case 'dflt': return { t: 'dflt', v: c(sv.v), over: c(sv.over) }
      case 'ret': return { t: 'ret', callee: c(sv.callee), args: sv.args.map(c), path: sv.path }
      case 'cat': return { t: 'cat', parts: sv.parts.map(c) }
      case 'inst': return { t: 'inst', cls: sv.cls, path: sv.path, origin: NO_NODE, init: sv.init && c(sv.init), ref: sv.ref && c(sv.ref), args: sv.args?.map(c) }
      case 'num': case 'bool': return { t: sv.t, v: sv.v } as Val
      case 'nullish': case 'req': return { t: sv.t }
      case 'glob': return { t: 'glob', path: sv.path }
      default: return sv.t === 'unknown' && sv.why ? { t: 'unknown', why: sv.why } : UNKNOWN
    }
  }

  /** The value of export path `path` of what `spec` (imported by `file`) resolves to. */
  resolveRef(file: number, spec: string, path: string[], lf: LinkFolder): Val {
    const key = `${file}\0${spec}\0${path.join('\0')}`
    const memo = this.refMemo.get(key)
    if (memo) return memo
    if (this.refInProgress.has(key)) return { t: 'unknown', why: 'import cycle' }
    this.refInProgress.add(key)
    const before = lf.touched.length
    let v: Val
    try {
      v = this.resolveRefInner(file, spec, path, lf)
    } finally {
      this.refInProgress.delete(key)
    }
    // A value that read a parameter is not remembered (another call fills it differently).
    if (lf.touched.length === before) this.refMemo.set(key, v)
    return v
  }

  private resolveRefInner(file: number, spec: string, path: string[], lf: LinkFolder): Val {
    const target = this.input.target(file, spec)
    switch (target.t) {
      case 'builtin': return { t: 'mod', mod: target.name, path }
      case 'empty': return { t: 'nullish' }
      case 'missing': return { t: 'unknown', why: `module ${spec} not found (${target.reason})` }
      case 'json': return lf.memberPath(jsonVal(target.value, 0), path, spec)
      case 'file': return this.exportOf(target.file, path, lf)
    }
  }

  /** Export path of a file: named exports, CommonJS `module.exports`, `export * from`. */
  exportOf(file: number, path: string[], lf: LinkFolder): Val {
    const s = this.summaries[file]
    if (!s) return { t: 'unknown', why: 'module not analysed' }
    const ex = s.exports ?? {}
    if (!path.length) {
      if (ex['']) return lf.norm(this.toVal(ex[''], file))
      if (ex['default'] && Object.keys(ex).length === 1) return lf.norm(this.toVal(ex['default'], file))
      const props: Record<string, Val> = {}
      for (const [k, x] of Object.entries(ex)) props[k] = this.toVal(x, file)
      return { t: 'rec', props }
    }
    const [head, ...rest] = path
    let v: Val | undefined
    if (ex[head]) v = lf.norm(this.toVal(ex[head], file))
    else if (ex['']) {
      const whole = lf.norm(this.toVal(ex[''], file))
      // `module.exports = X` serves `default` too (interop).
      v = head === 'default' ? whole : lf.property(whole, head, '')
    } else if (head === 'default' && Object.keys(ex).length) {
      const props: Record<string, Val> = {}
      for (const [k, x] of Object.entries(ex)) props[k] = this.toVal(x, file)
      v = { t: 'rec', props }
    } else if (ex['default']) {
      // `import settings from './x.mjs'; settings.key`: the analysis of the importer cannot tell a CommonJS
      // module from an ES module's default export; here the exporter says which.
      v = lf.property(lf.norm(this.toVal(ex['default'], file)), head, '')
    } else {
      for (const spec of s.reexportAll ?? []) {
        const r = this.resolveRef(file, spec, [head], lf)
        if (r.t !== 'nullish' && !(r.t === 'unknown')) { v = r; break }
      }
    }
    if (!v) return { t: 'nullish' }
    return rest.length ? lf.memberPath(v, rest, '') : v
  }

  isConstructor(v: Extract<Val, { t: 'lnk' }>): boolean {
    if (v.kind === 'cls') return true
    return !!this.summaries[v.file]?.fns?.[v.id]?.methods
  }

  /** What calling `callee` with `args` returns (a factory's product, an interop helper's module). */
  callResult(callee: Val, args: Val[], lf: LinkFolder): Val {
    if (callee.t !== 'lnk' || callee.kind !== 'fn') {
      // `new URL(name, registryUrl(scope))` folded before its base was known.
      if (callee.t === 'glob' && callee.path.length === 1 && callee.path[0] === 'URL') return resolveUrl(lf.norm(args[0] ?? UNKNOWN), args[1] && lf.norm(args[1]))
      const got = configGetterCall(lf, callee, (i) => lf.norm(args[i] ?? UNKNOWN))
      if (got) return got
      if (callee.t === 'mod' || callee.t === 'glob') return { t: 'inst', cls: `${callee.t === 'mod' ? callee.mod : callee.path.join('.')}()`, origin: NO_NODE, path: [], ref: callee, args }
      return UNKNOWN
    }
    const fn = this.summaries[callee.file]?.fns?.[callee.id]
    if (!fn) return UNKNOWN
    if (fn.passes) return args[0] ? lf.norm(args[0]) : UNKNOWN
    if (!fn.ret) return UNKNOWN
    const key = this.fnKey(callee.file, callee.id)
    return lf.norm(this.substitute(this.toVal(fn.ret, callee.file), new Map([[key, args]]), lf, 0))
  }

  /** Fills the holes of bound functions with their arguments (each shared part once; parts with no bound hole kept). */
  substitute(v: Val, b: Map<FnKey, Val[]>, lf: LinkFolder, _depth = 0): Val {
    if (!b.size) return v
    const memo = new Map<Val, Val>()
    const go = (x: Val, depth: number): Val => {
      if (depth > 16 || !this.holesIn(x).some((k) => b.has(k))) return x
      const hit = memo.get(x)
      if (hit) return hit
      memo.set(x, { t: 'unknown', why: 'recursive argument' })
      const s = (y: Val) => go(y, depth + 1)
      let out: Val
      switch (x.t) {
        case 'dyn': {
          const args = x.hole && b.get(x.hole.fn as FnKey)
          if (!args) { out = x; break }
          // The argument may itself depend on the caller's parameters, bound too.
          const arg = go(args[x.hole!.index] ?? { t: 'nullish' }, depth + 1)
          out = x.hole!.path.length ? lf.memberPath(arg, x.hole!.path, x.source) : arg
          break
        }
        case 'dflt': out = { t: 'dflt', v: s(x.v), over: s(x.over) }; break
        case 'str': out = x.parts ? { ...x, parts: x.parts.map(s) } : x; break
        case 'rec': {
          const props: Record<string, Val> = {}
          for (const [k, y] of Object.entries(x.props)) props[k] = s(y)
          out = x.rest ? { t: 'rec', props, rest: s(x.rest) } : { t: 'rec', props }
          break
        }
        case 'mrg': out = { t: 'mrg', parts: x.parts.map(s) }; break
        case 'arr': out = { ...x, items: x.items.map(s) }; break
        case 'ret': out = { t: 'ret', callee: s(x.callee), args: x.args.map(s), path: x.path }; break
        case 'cat': out = { t: 'cat', parts: x.parts.map(s) }; break
        case 'inst': out = { ...x, ref: x.ref && s(x.ref), args: x.args?.map(s), init: x.init && s(x.init) }; break
        default: out = x
      }
      memo.set(x, out)
      return out
    }
    return go(v, 0)
  }

  private readonly holesMemo = new WeakMap<Val, FnKey[]>()

  /** The functions whose parameters a value depends on (computed once per value). */
  holesIn(v: Val): FnKey[] {
    const hit = this.holesMemo.get(v)
    if (hit) return hit
    this.holesMemo.set(v, NO_HOLES)
    let out: FnKey[] = NO_HOLES
    const add = (ks: FnKey[]) => { for (const k of ks) if (!out.includes(k)) out = out === NO_HOLES ? [k] : [...out, k] }
    switch (v.t) {
      case 'dyn': if (v.hole) out = [v.hole.fn as FnKey]; break
      case 'dflt': add(this.holesIn(v.v)); add(this.holesIn(v.over)); break
      case 'str': for (const y of v.parts ?? []) add(this.holesIn(y)); break
      case 'rec': for (const y of Object.values(v.props)) add(this.holesIn(y)); if (v.rest) add(this.holesIn(v.rest)); break
      case 'mrg': for (const y of v.parts) add(this.holesIn(y)); break
      case 'arr': for (const y of v.items) add(this.holesIn(y)); break
      case 'ret': add(this.holesIn(v.callee)); for (const y of v.args) add(this.holesIn(y)); break
      case 'cat': for (const y of v.parts) add(this.holesIn(y)); break
      case 'inst': if (v.ref) add(this.holesIn(v.ref)); for (const y of v.args ?? []) add(this.holesIn(y)); if (v.init) add(this.holesIn(v.init)); break
      default: break
    }
    this.holesMemo.set(v, out)
    return out
  }

  /** The functions a call reaches (and, for a method of an instance, the constructor to bind). */
  private targetsOf(callee: Val, isNew: boolean, lf: LinkFolder): Array<{ key: FnKey; ctor?: Site['ctor']; binds?: Site['binds'] }> {
    const made = this.madeFunction(callee, isNew, lf)
    if (made) return [made]
    const v = lf.norm(callee)
    if (v.t === 'lnk') {
      if (v.kind === 'fn') return [{ key: this.fnKey(v.file, v.id) }]
      if (isNew) {
        const ctor = this.ctorOf(v.file, v.id, lf)
        return ctor ? [{ key: ctor }] : []
      }
      return []
    }
    if (v.t === 'inst' && v.ref && v.path.length === 1) {
      const ref = lf.norm(v.ref)
      if (ref.t !== 'lnk') return []
      const method = this.methodOf(ref, v.path[0], lf)
      // `this.fetch(url)` in a base class: the subclasses' implementations (the instance is one of theirs).
      if (!method) return v.cls === 'this' ? this.overridesOf(ref, v.path[0], lf).map((key) => ({ key })) : []
      const ctor = ref.kind === 'cls' ? this.ctorOf(ref.file, ref.id, lf) : this.fnKey(ref.file, ref.id)
      return [{ key: method, ctor: ctor && v.args ? { key: ctor, args: v.args } : undefined }]
    }
    return []
  }

  /**
   * `withHttpError(withTimeout(fetch))(url)`: a function that a factory of another module returns, called; the
   * factory's arguments are what the function's closure reads, so they come with the call.
   */
  private madeFunction(callee: Val, isNew: boolean, lf: LinkFolder): { key: FnKey; binds: NonNullable<Site['binds']> } | undefined {
    if (isNew || callee.t !== 'ret' || callee.path.length) return undefined
    const factory = lf.norm(callee.callee)
    if (factory.t !== 'lnk' || factory.kind !== 'fn' || this.isConstructor(factory)) return undefined
    const made = lf.norm(callee)
    if (made.t !== 'lnk' || made.kind !== 'fn' || (made.file === factory.file && made.id === factory.id)) return undefined
    return { key: this.fnKey(made.file, made.id), binds: [{ key: this.fnKey(factory.file, factory.id), args: callee.args }] }
  }

  /**
   * Calls through a parameter (`fetchFunction(url, options)` in a wrapper that was given the function): each
   * becomes a site of the function the wrapper's callers pass, with the wrapper's parameters bound.
   */
  private addSitesThroughParameters(lf: LinkFolder): void {
    this.summaries.forEach((s, file) => {
      for (const rec of s?.calls ?? []) {
        if (rec.isNew || rec.callee.t !== 'dyn' || !rec.callee.hole || rec.callee.hole[0] < 0) continue
        const callee = this.toVal(rec.callee, file)
        if (callee.t !== 'dyn' || !callee.hole) continue
        const owner = callee.hole.fn as FnKey
        for (const site of this.sitesOf(owner).slice(0, MAX_SITES_PER_FN)) {
          lf.touched = []
          try {
            const args = site.rec.args.map((a) => this.toVal(a, site.file))
            const given = this.substitute(callee, new Map([[owner, args]]), lf, 0)
            // A function, a factory's product, a method of an instance (`this.client.request(x)` with the client given).
            for (const target of this.targetsOf(given, false, lf)) {
              const binds = [{ key: owner, args }, ...(target.binds ?? []), ...(target.ctor ? [target.ctor] : []), ...(site.binds ?? []), ...(site.ctor ? [site.ctor] : [])]
              const list = this.sites.get(target.key)
              const entry: Site = { file, rec, binds }
              if (list) { if (list.length <= MAX_SITES_PER_FN) list.push(entry) }
              else this.sites.set(target.key, [entry])
              this.out.stats.sites++
            }
          } catch (err) {
            if (!(err instanceof RangeError)) throw err
          }
        }
      }
    })
  }

  private ctorOf(file: number, clsId: number, lf: LinkFolder, depth = 0): FnKey | undefined {
    const cls = this.summaries[file]?.classes?.[clsId]
    if (!cls) return undefined
    if (cls.ctor !== undefined && cls.ctor >= 0) return this.fnKey(file, cls.ctor)
    // No constructor of its own: `new Sub(opts)` passes opts to the base class's.
    if (cls.sup && depth < 4) {
      const base = lf.norm(this.toVal(cls.sup, file))
      if (base.t === 'lnk' && base.kind === 'cls') return this.ctorOf(base.file, base.id, lf, depth + 1)
      if (base.t === 'lnk' && base.kind === 'fn') return this.fnKey(base.file, base.id)
    }
    return undefined
  }

  private methodOf(owner: Extract<Val, { t: 'lnk' }>, name: string, lf: LinkFolder, depth = 0): FnKey | undefined {
    const s = this.summaries[owner.file]
    if (owner.kind === 'fn') {
      const id = s?.fns?.[owner.id]?.methods?.[name]
      return id !== undefined && id >= 0 ? this.fnKey(owner.file, id) : undefined
    }
    const cls = s?.classes?.[owner.id]
    if (!cls) return undefined
    const id = cls.methods[name]
    if (id !== undefined && id >= 0) return this.fnKey(owner.file, id)
    if (cls.sup && depth < 4) {
      const base = lf.norm(this.toVal(cls.sup, owner.file))
      if (base.t === 'lnk') return this.methodOf(base, name, lf, depth + 1)
    }
    return undefined
  }

  private subclasses: Map<string, Array<Extract<Val, { t: 'lnk' }>>> | undefined

  /** Methods named `name` in the subclasses of `owner` (any file, any depth), nearest first. */
  private overridesOf(owner: Extract<Val, { t: 'lnk' }>, name: string, lf: LinkFolder): FnKey[] {
    if (!this.subclasses) {
      this.subclasses = new Map()
      this.summaries.forEach((s, file) => {
        s?.classes?.forEach((c, id) => {
          if (!c.sup) return
          const base = lf.norm(this.toVal(c.sup, file))
          if (base.t !== 'lnk') return
          const k = `${base.kind}:${base.file}:${base.id}`
          const list = this.subclasses!.get(k) ?? []
          list.push({ t: 'lnk', kind: 'cls', file, id })
          this.subclasses!.set(k, list)
        })
      })
    }
    const out: FnKey[] = []
    const queue = [...(this.subclasses.get(`${owner.kind}:${owner.file}:${owner.id}`) ?? [])]
    for (let i = 0; i < queue.length && i < 64; i++) {
      const sub = queue[i]
      const id = this.summaries[sub.file]?.classes?.[sub.id]?.methods[name]
      if (id !== undefined && id >= 0) out.push(this.fnKey(sub.file, id))
      queue.push(...(this.subclasses.get(`cls:${sub.file}:${sub.id}`) ?? []))
    }
    return out.slice(0, 8)
  }

  /** Links every record of every file. */
  run(): LinkResult {
    const lf = new LinkFolder(this)
    this.summaries.forEach((s, file) => {
      const note = (name: string, id: number) => {
        if (id < 0) return
        const key = this.fnKey(file, id)
        this.methodName.set(key, name)
        const list = this.methodsByName.get(name)
        if (list) list.push(key)
        else this.methodsByName.set(name, [key])
      }
      for (const c of s?.classes ?? []) for (const [name, id] of Object.entries(c.methods)) note(name, id)
      for (const f of s?.fns ?? []) for (const [name, id] of Object.entries(f.methods ?? {})) note(name, id)
    })
    // Who calls each function: records whose callee resolves to it.
    const injected: Array<{ file: number; rec: CallRecord }> = []
    this.summaries.forEach((s, file) => {
      for (const rec of s?.calls ?? []) {
        lf.touched = []
        let targets: ReturnType<Linker['targetsOf']>
        try { targets = this.targetsOf(this.toVal(rec.callee, file), !!rec.isNew, lf) } catch (err) { if (err instanceof RangeError) continue; throw err }
        if (DEBUG && this.debugFiles?.has(file) && rec.callee.t === 'inst') console.error('[sites]', file, rec.start, JSON.stringify(rec.callee).slice(0, 160), '→', targets.map((t) => `${t.key.$file}:${t.key.$id}`).join(','))
        // `this.httpClient.makeRequest(opts)` on an object the caller gives: a site of any method of that name.
        if (!targets.length && rec.m) {
          const list = this.nameSites.get(rec.m)
          if (list) { if (list.length <= MAX_SITES_PER_FN) list.push({ file, rec }) }
          else this.nameSites.set(rec.m, [{ file, rec }])
        }
        if (!targets.length && rec.callee.t === 'dyn' && rec.callee.hole && rec.callee.hole[1] !== THIS_HOLE) injected.push({ file, rec })
        this.addSites(file, rec, targets)
      }
    })
    // Calls on an object a caller gives (`this.httpClient.makeRequest(req)`): once every direct call is known, the
    // callers say which object that is, and so which function is called.
    for (const { file, rec } of injected) {
      if (Date.now() > this.deadline) break
      this.addSites(file, rec, this.injectedTargets(file, rec, lf))
    }
    this.addSitesThroughParameters(lf)
    this.summaries.forEach((s, file) => {
      for (const rec of s?.calls ?? []) {
        if (this.evaluations > this.maxSteps || Date.now() > this.deadline) {
          this.out.cutOff.push({ file, at: rec.start, why: `whole-program analysis stopped after ${this.evaluations} evaluations (time or step budget)` })
          return
        }
        this.out.stats.records++
        this.instances = 0
        this.instantiate(file, rec, new Map(), [], lf)
      }
    })
    this.out.stats.evaluations = this.evaluations
    return this.out
  }

  private instances = 0

  private addSites(file: number, rec: CallRecord, targets: Array<{ key: FnKey; ctor?: Site['ctor']; binds?: Site['binds'] }>): void {
    for (const t of targets) {
      // A method call on an instance brings the instance's constructor arguments (`new C(opts).send(x)`).
      const site: Site = t.ctor ? { file, rec, ctor: t.ctor } : { file, rec }
      if (t.binds?.length) site.binds = t.binds
      const list = this.sites.get(t.key)
      if (list) { if (list.length <= MAX_SITES_PER_FN) list.push(site) }
      else this.sites.set(t.key, [site])
      this.out.stats.sites++
    }
  }

  /**
   * The functions a call of a parameter's method (or of a parameter) reaches: `this.httpClient.makeRequest(req)`
   * with `httpClient` given to the constructor, `options.transport(url)`. The parameter is bound at its callers
   * (and theirs, a few levels up) until it is an object or function of the program — `new FetchHTTPClient()`
   * as an option's default — whatever the method's name. Bounded in steps and depth; first few targets only.
   */
  private injectedTargets(file: number, rec: CallRecord, lf: LinkFolder): Array<{ key: FnKey; ctor?: Site['ctor'] }> {
    const out: Array<{ key: FnKey; ctor?: Site['ctor'] }> = []
    const callee0 = this.toVal(rec.callee, file)
    let steps = 0
    const go = (bindings: Map<FnKey, Val[]>, chain: Site[]): void => {
      if (++steps > MAX_INJECTED_STEPS || out.length >= MAX_INJECTED_TARGETS) return
      lf.touched = []
      const callee = lf.norm(this.substitute(callee0, bindings, lf, 0))
      if (callee.t !== 'dyn') {
        for (const t of this.targetsOf(callee, !!rec.isNew, lf)) if (out.length < MAX_INJECTED_TARGETS && !out.some((o) => o.key === t.key)) out.push(t)
        return
      }
      const owner = callee.hole?.fn as FnKey | undefined
      if (!owner || callee.hole!.index === THIS_HOLE || bindings.has(owner) || chain.length >= MAX_INJECTED_DEPTH) return
      for (const site of this.sites.get(owner) ?? []) {
        if (chain.includes(site) || site.rec === rec) continue
        const b2 = new Map(bindings)
        b2.set(owner, site.rec.args.map((a) => this.toVal(a, site.file)))
        if (site.ctor && !b2.has(site.ctor.key)) b2.set(site.ctor.key, site.ctor.args)
        go(b2, [site, ...chain])
      }
    }
    try {
      go(new Map(), [])
    } catch (err) {
      if (!(err instanceof RangeError)) throw err
    }
    return out
  }

  private instantiate(file: number, rec: CallRecord, bindings: Map<FnKey, Val[]>, chain: Site[], lf: LinkFolder): void {
    if (++this.instances > MAX_INSTANCES_PER_RECORD) {
      if (this.instances === MAX_INSTANCES_PER_RECORD + 1) this.out.cutOff.push({ file, at: rec.start, why: `more than ${MAX_INSTANCES_PER_RECORD} call paths reach this call; the rest were not followed` })
      return
    }
    this.evaluations++
    lf.touched = []
    const { found, calleeHole } = this.evaluate(file, rec, bindings, lf)
    if (DEBUG && this.debugFiles?.has(file)) console.error('[link]', file, rec.start, 'chain', chain.map((c) => `${c.file}:${c.rec.start}`).join('>'), 'found', JSON.stringify(found.map((f) => f.destination)), 'touched', lf.touched.map((k) => `${k.$file}:${k.$id}(${this.sitesOf(k).length})`).join(','), 'callee', JSON.stringify(rec.callee).slice(0, 200))
    const decided = found.length > 0 && found.every((f) => !f.destination || f.destination.provenance === 'hard-coded-external' || f.destination.provenance === 'hard-coded-local')
    // A helper's own sink (its callers in the file were reported there) is linked only through other files' callers.
    const sitesFor = (k: FnKey) => (rec.own && !chain.length ? this.sitesOf(k).filter((s) => s.file !== file) : this.sitesOf(k))
    const open = decided ? [] : lf.touched.filter((k) => !bindings.has(k) && sitesFor(k).length)
    if (rec.own && !chain.length && !open.length) return
    if ((found.length || calleeHole) && open.length && chain.length < MAX_CHAIN) {
      const owner = open[0]
      const sites = sitesFor(owner)
      if (sites.length > MAX_SITES_PER_FN) this.out.cutOff.push({ file, at: rec.start, why: `more than ${MAX_SITES_PER_FN} callers; the first ${MAX_SITES_PER_FN} were followed` })
      for (const site of sites.slice(0, MAX_SITES_PER_FN)) {
        if (chain.includes(site) || site.rec === rec) continue
        const b2 = new Map(bindings)
        b2.set(owner, site.rec.args.map((a) => this.toVal(a, site.file)))
        if (site.ctor && !b2.has(site.ctor.key)) b2.set(site.ctor.key, site.ctor.args)
        for (const x of site.binds ?? []) if (!b2.has(x.key)) b2.set(x.key, x.args)
        this.instantiate(file, rec, b2, [site, ...chain], lf)
      }
      return
    }
    if (chain.length >= MAX_CHAIN && open.length) this.out.cutOff.push({ file, at: rec.start, why: `call chain longer than ${MAX_CHAIN} modules; followed that far` })
    for (const f of found) this.emit(file, rec, f, chain)
  }

  /**
   * Who calls a function: the calls that resolve to it, or for a method nothing calls by a resolved path, the
   * calls of a method of that name on an object known only as a parameter — when few methods have that name
   * (name-based dispatch, bounded so `get` or `send` do not fan out over the whole program).
   */
  private sitesOf(key: FnKey): Site[] {
    const direct = this.sites.get(key)
    if (direct?.length) return direct
    const name = this.methodName.get(key)
    if (!name || (this.methodsByName.get(name)?.length ?? 0) > MAX_SAME_NAME_METHODS) return []
    return this.nameSites.get(name) ?? []
  }

  /** Runs the sink detectors on the record's call with its linked callee and arguments. */
  private evaluate(file: number, rec: CallRecord, bindings: Map<FnKey, Val[]>, lf: LinkFolder): { found: Array<ReportInput & { rule: string }>; calleeHole: boolean } {
    const found: Array<ReportInput & { rule: string }> = []
    let callee: Val
    try {
      callee = lf.norm(this.substitute(this.toVal(rec.callee, file), bindings, lf, 0))
    } catch (err) {
      if (err instanceof RangeError) return { found, calleeHole: false }
      throw err
    }
    if (callee.t === 'dyn') return { found, calleeHole: !!callee.hole }
    if (!isApi(callee)) return { found, calleeHole: false }
    // `(...args) => fetch(...args)`: a spread rest parameter stands for the bound caller's arguments from there on.
    const argVals: Val[] = []
    for (const a of rec.args) {
      const v = this.toVal(a, file)
      const rest = v.t === 'dyn' && v.hole?.path[0] === '…' ? bindings.get(v.hole.fn as FnKey) : undefined
      if (rest && v.t === 'dyn') argVals.push(...rest.slice(v.hole!.index).map((x) => this.substitute(x, bindings, lf, 0)))
      else argVals.push(this.substitute(v, bindings, lf, 0))
    }
    const args: AnyNode[] = argVals.map((val) => ({ type: '$val', val, start: rec.start, end: rec.end }) as unknown as AnyNode)
    const node = { type: rec.isNew ? 'NewExpression' : 'CallExpression', start: rec.start, end: rec.end, callee: { type: '$val', val: callee, start: rec.start, end: rec.end }, arguments: args } as unknown as AnyNode
    const scope = noFacts().program
    let rule = ''
    const ctx: DetectContext = {
      file: '', source: '', moduleKind: 'commonjs', facts: noFacts(), folder: lf,
      evaluate: (n, s) => lf.evaluate(n, s),
      destination: (n, s, role = 'url') => destinationOfArg(lf, n, s, role),
      report: (_n, input) => { found.push({ ...input, rule: input.rule ?? rule }) },
      analyseEmbedded: () => {},
    }
    try {
      for (const d of DETECTORS) {
        rule = d.meta.id
        const v = d.detect(ctx)
        const visit = rec.isNew ? v.NewExpression : v.CallExpression
        visit?.(node, scope, { callee, args })
        // telemetry-sdk reports what was started at the end; net-sink's end lists imports not seen here.
        if (d === telemetrySdk) v.end?.()
      }
    } catch (err) {
      if (!(err instanceof RangeError)) throw err
    }
    for (const f of found) f.severity ??= severityFor(f.destination, DETECTORS.find((d) => d.meta.id === f.rule)?.meta.severity ?? 'review')
    return { found, calleeHole: false }
  }

  private emit(file: number, rec: CallRecord, f: ReportInput & { rule: string }, chain: Site[]): void {
    const d = f.destination
    const origin: Origin | undefined = originOf(d)
    // Where the destination is decided: the hard-coded string (a defaults object, a constant of another module),
    // or the outermost call that passes it.
    let at = { file, start: rec.start, end: rec.end }
    const originFile = origin?.file
    const inSite = origin && originFile !== undefined ? chain.find((s) => s.file === originFile && origin.at >= s.rec.start && origin.at < s.rec.end) : undefined
    if (origin && originFile !== undefined && (d?.provenance === 'default' || (!inSite && originFile !== file) || (!inSite && chain.length))) {
      at = { file: originFile, start: origin.at, end: origin.at + 1 }
    } else if (inSite) at = { file: inSite.file, start: inSite.rec.start, end: inSite.rec.end }
    else if (chain.length) at = { file: chain[0].file, start: chain[0].rec.start, end: chain[0].rec.end }
    if (origin && originFile !== undefined) {
      const set = this.out.reachingStrings.get(originFile) ?? new Set<number>()
      set.add(origin.at)
      this.out.reachingStrings.set(originFile, set)
    }
    const path: LinkedFinding['path'] = []
    if (origin && originFile !== undefined && (originFile !== at.file || origin.at !== at.start)) path.push({ file: originFile, at: origin.at })
    for (const s of chain) path.push({ file: s.file, at: s.rec.start })
    if (origin && originFile !== undefined && at.file === originFile && at.start === origin.at && !path.some((p) => p.file === originFile && p.at === origin.at)) path.unshift({ file: originFile, at: origin.at })
    this.out.findings.push({
      file: at.file, start: at.start, end: at.end, rule: f.rule, severity: f.severity!, message: f.message, api: f.api, destination: d, details: f.details,
      path, sink: { file, at: rec.start, end: rec.end }, replaces: rec.findings,
    })
  }
}

const NO_NODE = { type: '$none', start: 0, end: 0 } as unknown as AnyNode
const NO_HOLES: FnKey[] = []

/** Callees the sink detectors know: builtins, label packages, globals, network objects. */
function isApi(v: Val): boolean {
  return v.t === 'mod' || v.t === 'glob' || (v.t === 'inst' && !v.ref)
}

/** A JSON value as a folded one (configuration data a module loads). */
export function jsonVal(x: unknown, depth: number): Val {
  if (depth > 6) return UNKNOWN
  if (typeof x === 'string') return { t: 'str', v: x.length > 2048 ? x.slice(0, 2048) : x, partial: x.length > 2048 || undefined }
  if (typeof x === 'number') return { t: 'num', v: x }
  if (typeof x === 'boolean') return { t: 'bool', v: x }
  if (x === null || x === undefined) return { t: 'nullish' }
  if (Array.isArray(x)) return { t: 'arr', items: x.slice(0, 32).map((i) => jsonVal(i, depth + 1)) }
  if (typeof x === 'object') {
    const props: Record<string, Val> = {}
    let n = 0
    for (const [k, v] of Object.entries(x as Record<string, unknown>)) {
      if (++n > 256) break
      props[k] = jsonVal(v, depth + 1)
    }
    return { t: 'rec', props }
  }
  return UNKNOWN
}

function packageOf(spec: string): string {
  const parts = spec.split('/')
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]
}

export { merge }
