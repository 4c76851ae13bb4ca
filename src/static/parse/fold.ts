// Folds expressions to abstract values: constant strings, modules, globals, configured values.
import { ANY_ELEMENT, lookup, thisFunctionOf, type AnyNode, type Binding, type FileFacts, type Scope } from './scope.ts'
import { isInteropWrapper } from './interop.ts'
import { returnedExpressions } from './ast.ts'
import { applyStringMethod, applyGlobalStringFunction } from './string-ops.ts'
import { getterDefinerKind, isAssignHelper, keyCopySource, moduleTableOf } from './bundler-runtime.ts'

/**
 * A parameter of a function (and a property path into it): a hole that call sites fill in. With `index`
 * THIS_HOLE, `fn` is a class and the hole is its instance (`this`): a field stored by a base class of another
 * module, filled when modules are linked.
 */
export interface Hole {
  fn: AnyNode
  index: number
  path: string[]
}

/** Hole index of a class's `this` (see Hole). */
export const THIS_HOLE = -1

export type Val =
  /**
   * A string; `partial` means only the prefix `v` is known. `at` is the offset of the literal it came from
   * (where a destination is decided), `file` the file it is in when that is not the file being analysed.
   * `parts`: a partial string joined from pieces some of which only linking knows (`${base()}/batch`, `API + '/v1'`).
   */
  | { t: 'str'; v: string; partial?: boolean; source?: string; params?: AnyNode[]; at?: number; file?: number; parts?: Val[] }
  | { t: 'num'; v: number }
  | { t: 'bool'; v: boolean }
  | { t: 'nullish' }
  /** A module (builtin without `node:`, or a package/relative specifier) and a property path into it. */
  | { t: 'mod'; mod: string; path: string[]; bound?: AnyNode[]; file?: number }
  /** The global object (`path` empty) or a property path on it. */
  | { t: 'glob'; path: string[]; bound?: AnyNode[] }
  /** A `require` function (the real one, `module.createRequire(...)`, `module.require`). */
  | { t: 'req' }
  /**
   * An object made by a network API (`new net.Socket()`, `dgram.createSocket()`, `new XMLHttpRequest()`), or by
   * a constructor or factory from another module (`ref` is that callee, `args` what it was given).
   */
  | { t: 'inst'; cls: string; origin: AnyNode; path: string[]; init?: Val; ref?: Val; args?: Val[] }
  /** An object literal; `folder` is set when it lives in another module (cross-module folding). */
  | { t: 'obj'; node: AnyNode; scope: Scope; folder?: Folder }
  /** An array; `loose`: spread in parts of unknown length, so positions are not known (an index reads any item). */
  | { t: 'arr'; items: Val[]; loose?: true }
  /** A function; `cjs`: a bundler's lazy CommonJS module (esbuild `require_x()`): calling it gives the exports of `node`. */
  | { t: 'fn'; node: AnyNode; scope: Scope; bound?: AnyNode[]; cjs?: true }
  /** A value from configuration: env, parameters, config objects. `source` names it; `hole` is set for a parameter. */
  | { t: 'dyn'; source: string; params?: AnyNode[]; hole?: Hole }
  /** A hard-coded default that configuration can replace: `opts.host || 'api.vendor.example'`. `over` is what replaces it. */
  | { t: 'dflt'; v: Val; over: Val }
  /** Objects merged in order, later ones winning: `Object.assign({}, DEFAULTS, opts)`, `{ ...a, ...b }`, lodash `merge`. */
  | { t: 'mrg'; parts: Val[] }
  /** An object known by its properties (read from a summary); any other key may come from `rest`. */
  | { t: 'rec'; props: Record<string, Val>; rest?: Val }
  /** What a function from another module returns when called (and a property path into it): resolved when modules are linked. */
  | { t: 'ret'; callee: Val; args: Val[]; path: string[] }
  /**
   * A string joined from parts whose first value another module decides (`constants.BASE_URL + '/v1'`,
   * `'https://' + config.host`): folded into a string when modules are linked.
   */
  | { t: 'cat'; parts: Val[] }
  /** A class (its constructor's parameters may be bound at `new` sites). */
  | { t: 'cls'; node: AnyNode; scope: Scope }
  /** `Object.getOwnPropertyDescriptor(o, k)`: its `value`/`get` is the property. */
  | { t: 'desc'; value: Val }
  /** A function or class of another file, by its id in that file's summary (whole-program phase only). */
  | { t: 'lnk'; kind: 'fn' | 'cls'; file: number; id: number }
  | { t: 'unknown'; why?: string }

export const UNKNOWN: Val = { t: 'unknown' }

/** Names that reach the global object. */
export const GLOBAL_OBJECT_NAMES = new Set(['globalThis', 'global', 'window', 'self', 'top', 'frames', 'parent'])

const BUILTINS = new Set([
  'http', 'https', 'http2', 'net', 'tls', 'dgram', 'dns', 'dns/promises', 'child_process', 'vm', 'module',
  'worker_threads', 'fs', 'path', 'url', 'util', 'os', 'crypto', 'events', 'stream', 'buffer', 'timers',
  'timers/promises', 'process', 'querystring', 'zlib', 'inspector', 'cluster', 'readline', 'repl', 'v8',
  'wasi', 'diagnostics_channel', 'async_hooks', 'perf_hooks', 'tty', 'string_decoder', 'assert', 'punycode',
])

/** `node:http` → `http`; `dns/promises` → dns + ['promises']. */
export function moduleVal(specifier: string): Val {
  let s = specifier.startsWith('node:') ? specifier.slice(5) : specifier
  if (s === 'dns/promises') return { t: 'mod', mod: 'dns', path: ['promises'] }
  if (s === 'timers/promises') return { t: 'mod', mod: 'timers', path: ['promises'] }
  if (s.endsWith('/') && BUILTINS.has(s.slice(0, -1))) s = s.slice(0, -1)
  return { t: 'mod', mod: s, path: [] }
}

export function isRelative(specifier: string): boolean {
  return specifier.startsWith('./') || specifier.startsWith('../') || specifier === '.' || specifier === '..'
}

export function isBuiltin(mod: string): boolean {
  return BUILTINS.has(mod)
}

const MAX_DEPTH = 40
/** String methods that keep what a URL points at (configured stays configured, a default stays a default). */
const SHAPE_PRESERVING = new Set(['replace', 'replaceAll', 'trim', 'trimEnd', 'trimStart', 'toLowerCase', 'toString', 'valueOf', 'normalize'])
/** Statements a function may have for its return value to be folded at a call (it ends with its one return). */
const MAX_BUILDER_STATEMENTS = 8
/** Arguments kept for a call into another module. */
const MAX_LINKED_ARGS = 6

/**
 * Helpers that merge objects, later arguments winning (`Object.assign` is handled with the globals): lodash
 * and underscore methods, and small packages that export one such function.
 */
const MERGE_METHODS = new Set(['merge', 'mergeWith', 'assign', 'assignIn', 'assignWith', 'extend', 'extendOwn'])
const MERGE_PACKAGES = new Set(['object-assign', 'xtend', 'xtend/mutable', 'deepmerge', 'merge-options', 'deep-extend', 'extend', 'just-extend', 'merge', 'merge-deep', 'lodash.merge', 'lodash.assign', 'deep-assign', 'assign-deep', 'mixin-deep'])
/** The same, but earlier arguments win (`_.defaults(options, DEFAULTS)`, `defu(options, defaults)`). */
const DEFAULTS_METHODS = new Set(['defaults', 'defaultsDeep'])
const DEFAULTS_PACKAGES = new Set(['defu', 'defaults', 'lodash.defaults', 'lodash.defaultsdeep', 'object.defaults'])
const LODASH = new Set(['lodash', 'lodash-es', 'underscore', 'lodash/fp', 'es-toolkit', 'es-toolkit/compat', 'radash'])

/** The objects a merge helper call combines, in "later wins" order, or undefined when `callee` is not one. */
function mergeOrder(callee: Val, args: Val[]): Val[] | undefined {
  let laterWins: boolean | undefined
  if (callee.t === 'glob' && callee.path.length === 2 && callee.path[0] === 'Object' && callee.path[1] === 'assign') laterWins = true
  else if (callee.t === 'mod') {
    const last = callee.path[callee.path.length - 1]
    if (callee.path.length === 0 || (callee.path.length === 1 && last === 'default')) {
      if (MERGE_PACKAGES.has(callee.mod)) laterWins = true
      else if (DEFAULTS_PACKAGES.has(callee.mod)) laterWins = false
      else if (/^lodash[./](merge|assign|assignIn|extend)$/.test(callee.mod)) laterWins = true
      else if (/^lodash[./](defaults|defaultsDeep)$/.test(callee.mod)) laterWins = false
    } else if (callee.path.length === 1 && (LODASH.has(callee.mod) || callee.mod === 'deepmerge')) {
      if (MERGE_METHODS.has(last) || (callee.mod === 'deepmerge' && last === 'all')) laterWins = true
      else if (DEFAULTS_METHODS.has(last)) laterWins = false
    }
  }
  if (laterWins === undefined) return undefined
  // `extend(true, a, b)` (deep flag), `deepmerge.all([a, b])`, a trailing customizer function.
  let parts: Val[] = args.filter((a) => a.t !== 'bool' && a.t !== 'fn')
  if (parts.length === 1 && parts[0].t === 'arr') parts = parts[0].items
  return laterWins ? parts : [...parts].reverse()
}

/** Per-file evaluator with memoised bindings and a depth limit (hostile input stays bounded). */
export class Folder {
  private memo = new Map<Binding, Val>()
  // What is being evaluated right now (the recursion path, at most MAX_DEPTH long): a cycle check that is
  // cheaper as an array scan than as a hash set filled and emptied for every node.
  private bindingsInProgress: Binding[] = []
  private rt: RuntimeIndex | undefined
  private factoryMemo = new Map<AnyNode, Val>()
  // Expression values are context-free here (a node always sees the same scope), so memoise by node.
  private nodeMemo = new Map<AnyNode, Val>()
  private nodesInProgress: AnyNode[] = []
  private depth = 0
  /** Evaluation steps left for this file: hostile or huge input degrades to `unknown`, never hangs. */
  private budget = 2_000_000
  /** Parameter bindings in force: a helper re-evaluated as called from one call site. */
  private contexts: Array<{ fn: AnyNode; args: AnyNode[]; scope: Scope }> = []

  /**
   * Evaluates `thunk` as if `fn` had been called with `args` (evaluated in `scope`). Memo tables
   * are swapped out meanwhile: under a context the same node can fold to another value.
   */
  withCall<T>(fn: AnyNode, args: AnyNode[], scope: Scope, thunk: () => T): T {
    if (this.contexts.length >= 4) return thunk()
    const saved = [this.memo, this.nodeMemo] as const
    this.memo = new Map()
    this.nodeMemo = new Map()
    this.contexts.push({ fn, args, scope })
    try {
      return thunk()
    } finally {
      this.contexts.pop()
      this.memo = saved[0]
      this.nodeMemo = saved[1]
    }
  }

  /** True while a helper is re-evaluated for one call site (parameters are bound then). */
  get inContext(): boolean {
    return this.contexts.length > 0
  }

  private paramFromContext(b: Binding): Val | undefined {
    for (let i = this.contexts.length - 1; i >= 0; i--) {
      const c = this.contexts[i]
      if (c.fn !== b.fn) continue
      const argNode = c.args[b.paramIndex!]
      if (argNode?.type === 'SpreadElement') return UNKNOWN
      // Arguments are evaluated outside this call's own context (they belong to the caller).
      const inner = this.contexts.splice(i)
      try {
        if (!argNode) return b.defaultValue ? this.evaluate(b.defaultValue, b.declScope) : { t: 'nullish' }
        return this.evaluate(argNode, c.scope)
      } finally {
        this.contexts.push(...inner)
      }
    }
    return undefined
  }

  constructor(readonly facts: FileFacts, readonly moduleKind: 'module' | 'commonjs' | 'script') {}

  evaluate(node: AnyNode | null | undefined, scope: Scope): Val {
    if (!node) return UNKNOWN
    // A value computed elsewhere, standing in for an expression (a caller's argument, a linked value).
    if (node.type === '$val') return node.val as Val
    // Names and literals are cheaper to fold again than to remember: a name's binding has its own memo.
    // Keeping them out of the node memo keeps that table a quarter of its size on large bundles.
    if (node.type === 'Literal') return this.eval(node, scope)
    if (node.type === 'Identifier') {
      if (this.depth > MAX_DEPTH) return { t: 'unknown', why: 'too deep' }
      if (--this.budget < 0) return { t: 'unknown', why: 'analysis budget exhausted' }
      this.depth++
      try {
        return this.identifier(node.name, scope)
      } finally {
        this.depth--
      }
    }
    const hit = this.nodeMemo.get(node)
    if (hit) return hit
    if (this.depth > MAX_DEPTH) return { t: 'unknown', why: 'too deep' }
    if (--this.budget < 0) return { t: 'unknown', why: 'analysis budget exhausted' }
    if (this.nodesInProgress.includes(node)) return { t: 'unknown', why: 'cycle' }
    this.nodesInProgress.push(node)
    this.depth++
    try {
      const v = this.eval(node, scope)
      // Only complete results are remembered; a value cut short by depth stays re-computable.
      if (!(v.t === 'unknown' && (v.why === 'too deep' || v.why === 'cycle'))) this.nodeMemo.set(node, v)
      return v
    } finally {
      this.depth--
      this.nodesInProgress.pop()
    }
  }

  private eval(node: AnyNode, scope: Scope): Val {
    switch (node.type) {
      case 'Literal':
        if (typeof node.value === 'string') return { t: 'str', v: node.value, at: node.start }
        if (typeof node.value === 'number') return { t: 'num', v: node.value }
        if (typeof node.value === 'boolean') return { t: 'bool', v: node.value }
        if (node.value === null) return { t: 'nullish' }
        return UNKNOWN
      case 'TemplateLiteral': {
        const parts: Val[] = []
        for (let i = 0; i < node.quasis.length; i++) {
          parts.push({ t: 'str', v: node.quasis[i].value.cooked ?? node.quasis[i].value.raw, at: i === 0 ? node.start : undefined })
          if (i < node.expressions.length) parts.push(this.evaluate(node.expressions[i], scope))
        }
        return concatAll(parts)
      }
      case 'BinaryExpression':
        if (node.operator === '+') return concat(this.evaluate(node.left, scope), this.evaluate(node.right, scope))
        return UNKNOWN
      case 'Identifier':
        return this.identifier(node.name, scope)
      case 'ThisExpression':
        return { t: 'unknown', why: 'this' }
      case 'ParenthesizedExpression':
      case 'ChainExpression':
        return this.evaluate(node.expression, scope)
      case 'SequenceExpression':
        return this.evaluate(node.expressions[node.expressions.length - 1], scope)
      case 'AwaitExpression':
        return this.evaluate(node.argument, scope)
      case 'AssignmentExpression':
        return node.operator === '=' ? this.evaluate(node.right, scope) : UNKNOWN
      case 'ConditionalExpression':
        return merge(this.evaluate(node.consequent, scope), this.evaluate(node.alternate, scope))
      case 'LogicalExpression': {
        const l = this.evaluate(node.left, scope)
        const r = this.evaluate(node.right, scope)
        if (node.operator === '&&') return r
        if (l.t === 'str' && !l.partial && l.v) return l
        if (l.t === 'dflt' && l.v.t === 'str' && l.v.v) return l
        if (l.t === 'nullish') return r
        // `options.fetch ?? globalThis.fetch`: out of the box, the default implementation is what runs.
        if (isOverridable(l) && (r.t === 'fn' || r.t === 'glob' || r.t === 'mod' || r.t === 'inst' || r.t === 'cls')) return r
        // `(commonjsGlobal && commonjsGlobal.__importStar) || function (mod) {…}`: a helper someone may have put on
        // the global object, else this one; both hand the module through (or merge), so this one stands for them.
        if (l.t === 'glob' && l.path.length === 1 && r.t === 'fn' && (isInteropWrapper(r.node) || isAssignHelper(r.node))) return r
        // `process.env.URL || 'https://api.vendor.example'`, `opts.host ?? DEFAULT_HOST`: hard-coded, but
        // configuration replaces it — a vendor default.
        if (isOverridable(l) && isDefaultable(r)) return { t: 'dflt', v: r, over: l }
        // `options.registryUrl ?? registryUrl(scope)`: another module's result is the default, known once linked.
        if (isOverridable(l) && r.t === 'ret') return { t: 'dflt', v: r, over: l }
        // `process.env[name] ?? fallback` in an env helper: the caller's fallback is the default (filled when linked).
        if (l.t === 'dyn' && !l.hole && r.t === 'dyn' && r.hole) return { t: 'dflt', v: r, over: l }
        if (l.t === 'dyn') return l
        return merge(l, r)
      }
      case 'MemberExpression':
        return this.member(node, scope)
      case 'CallExpression':
        return this.call(node, scope)
      case 'NewExpression':
        return this.construct(node, scope)
      case 'ImportExpression': {
        const spec = this.evaluate(node.source, scope)
        return spec.t === 'str' && !spec.partial ? moduleVal(spec.v) : { t: 'unknown', why: 'computed import()' }
      }
      case 'ObjectExpression':
        return { t: 'obj', node, scope, folder: this }
      case 'ArrayExpression': {
        if (node.elements.length > 4096) return UNKNOWN
        const items: Val[] = []
        let loose = false
        for (const el of node.elements) {
          if (!el) items.push({ t: 'nullish' })
          else if (el.type === 'SpreadElement') {
            // `[...DEFAULT_URLS, ...(options.extraUrls ?? [])]`: a known array's items in place; another
            // collection stands as one item for its elements (positions after it are then unknown).
            const v = this.evaluate(el.argument, scope)
            if (v.t === 'arr' && !loose && items.length + v.items.length <= 4096) { items.push(...v.items); if (v.loose) loose = true; continue }
            const e = this.property(v, ANY_ELEMENT, '')
            if (e.t === 'unknown' && !e.why) return UNKNOWN
            items.push(e)
            loose = true
          } else items.push(this.evaluate(el, scope))
        }
        return loose ? { t: 'arr', items, loose: true } : { t: 'arr', items }
      }
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
        return { t: 'fn', node, scope: this.facts.fnScopes.get(node) ?? scope }
      case 'ClassExpression':
      case 'ClassDeclaration':
        return { t: 'cls', node, scope }
      case 'FunctionDeclaration':
        return { t: 'fn', node, scope: this.facts.fnScopes.get(node) ?? scope }
      case 'UnaryExpression':
        if (node.operator === 'void') return { t: 'nullish' }
        if (node.operator === '-' ) { const v = this.evaluate(node.argument, scope); return v.t === 'num' ? { t: 'num', v: -v.v } : UNKNOWN }
        return UNKNOWN
      default:
        return UNKNOWN
    }
  }

  identifier(name: string, scope: Scope): Val {
    const b = lookup(scope, name)
    if (!b) {
      if (name === 'undefined') return { t: 'nullish' }
      // A free `require` is the require function (ESM bundles reach it through esbuild's `__require`).
      if (name === 'require') return { t: 'req' }
      if (GLOBAL_OBJECT_NAMES.has(name)) return { t: 'glob', path: [] }
      return { t: 'glob', path: [name] }
    }
    return this.binding(b)
  }

  // Parameters whose reassignment is being evaluated: inside it, the name still means what the caller gave.
  private readonly priorValue = new Map<Binding, Val>()

  binding(b: Binding): Val {
    if (this.priorValue.size) {
      const prior = this.priorValue.get(b)
      if (prior) return prior
    }
    const cached = this.memo.get(b)
    if (cached) return cached
    // The module, exports and require parameters of a bundled module's factory: not remembered with the other
    // bindings, since the factory's exports are still being folded while its own code reads them.
    if (b.kind === 'param' && b.fn && !b.path && b.paramIndex !== undefined && b.paramIndex <= 2) {
      const v = this.factoryParam(b)
      if (v) return v
    }
    if (this.bindingsInProgress.includes(b)) return { t: 'unknown', why: 'cycle' }
    this.bindingsInProgress.push(b)
    let v: Val
    try {
      v = this.computeBinding(b)
    } finally {
      this.bindingsInProgress.pop()
    }
    this.memo.set(b, v)
    return v
  }

  private computeBinding(b: Binding): Val {
    if (b.opaqueWrite) return { t: 'unknown', why: `${b.name} is reassigned` }
    let base: Val
    switch (b.kind) {
      case 'import': {
        const m = moduleVal(b.importSource!)
        if (m.t !== 'mod') return m
        base = b.imported === 'default' || b.imported === '*' ? m : { ...m, path: [...m.path, b.imported!] }
        return base
      }
      case 'param': {
        if (b.fn && b.paramIndex === 0 && !b.path && this.facts.thenImports.has(b.fn)) {
          return this.evaluate(this.facts.thenImports.get(b.fn)!, b.declScope)
        }
        // `urls.map((url) => fetch(url))`: the parameter is an element of the receiver (the worst of them).
        const each = b.paramIndex === 0 && b.fn ? this.facts.itemCallbacks.get(b.fn) : undefined
        if (each) {
          const item = this.property(this.evaluate(each.node, each.scope), ANY_ELEMENT, '')
          if (!(item.t === 'unknown' && !item.why)) return b.path ? this.memberPath(item, b.path, b.name) : item
        }
        const bound = this.paramFromContext(b)
        if (bound) {
          const v = b.path ? this.memberPath(bound, b.path, b.name) : bound
          // `({ host = DEFAULT_HOST }) => …` called with an object without `host`.
          if (b.path && b.defaultValue && v.t === 'nullish') return this.evaluate(b.defaultValue, b.declScope)
          return v
        }
        let hole: Val = { t: 'dyn', source: `parameter ${b.name}`, params: b.fn ? [b.fn] : undefined, hole: b.fn ? { fn: b.fn, index: b.paramIndex ?? 0, path: b.path ?? [] } : undefined }
        // `function f(host = 'api.vendor.example')`, `({ host = DEFAULT_HOST } = {})`: a default the caller may replace.
        if (b.defaultValue) {
          const d = this.evaluate(b.defaultValue, b.declScope)
          if (isDefaultable(d)) hole = { t: 'dflt', v: d, over: hole }
        }
        // `data = this.createRequest(data)` first thing in the body: every later read sees the new value.
        const replaced = this.replacedAtStart(b, hole)
        if (replaced) return replaced
        // ES5 style `url = url || DEFAULT_URL` inside the function.
        for (const a of b.assignments) hole = merge(hole, this.evaluate(a.value, a.scope))
        return hole
      }
      case 'function':
        return { t: 'fn', node: b.fn!, scope: this.facts.fnScopes.get(b.fn!) ?? b.declScope }
      case 'class':
        return { t: 'cls', node: b.fn!, scope: b.declScope }
      case 'catch':
        return UNKNOWN
      default: {
        const defs: Val[] = []
        if (b.init) {
          let v = this.evaluate(b.init, b.declScope)
          if (b.path) v = this.memberPath(v, b.path, b.name)
          defs.push(v)
        }
        for (const a of b.assignments) defs.push(this.evaluate(a.value, a.scope))
        if (!defs.length) return b.kind === 'var' || b.kind === 'let' ? { t: 'nullish' } : UNKNOWN
        return defs.reduce(merge)
      }
    }
  }

  memberPath(v: Val, path: string[], label: string): Val {
    let cur = v
    for (const k of path) {
      if (k === '…' || k === '?') return cur.t === 'glob' || cur.t === 'mod' ? { t: 'unknown', why: `rest of ${label}` } : UNKNOWN
      cur = this.property(cur, k, label)
    }
    return cur
  }

  private member(node: AnyNode, scope: Scope): Val {
    if (node.object.type === 'ThisExpression' && !node.computed) {
      const v = this.thisProperty(scope, (node.property.type === 'PrivateIdentifier' ? '#' : '') + node.property.name)
      if (v) return v
    }
    // `this.options.host` once the constructor filled it in (`this.options.host = this.options.host || DEFAULT`).
    const o = node.object
    if (!node.computed && node.property.type === 'Identifier' && o.type === 'MemberExpression' && !o.computed && o.object.type === 'ThisExpression' && o.property.type === 'Identifier' && this.facts.thisPropWrites.size) {
      const v = this.thisPropWritten(node, scope)
      if (v) return v
    }
    // `var _this = this; … _this.transport` (compiled arrow functions and async code): `this` where it was taken.
    if (node.object.type === 'Identifier' && !node.computed && node.property.type === 'Identifier') {
      const b = lookup(scope, node.object.name)
      if (b && !b.path && b.kind !== 'param' && b.init?.type === 'ThisExpression' && !b.assignments.length && !b.opaqueWrite) {
        const v = this.thisProperty(b.declScope, node.property.name)
        if (v) return v
      }
    }
    const obj = this.evaluate(node.object, scope)
    let key: string | undefined
    if (!node.computed) key = node.property.type === 'Identifier' ? node.property.name : undefined
    else {
      const k = this.evaluate(node.property, scope)
      if (k.t === 'str' && !k.partial) key = k.v
      else if (k.t === 'num') key = String(k.v)
    }
    if (key === undefined) {
      if (obj.t === 'glob' && obj.path[0] === 'process' && obj.path[1] === 'env' && obj.path.length === 2) return { t: 'dyn', source: 'env (computed name)' }
      // `{ 'http:': http, 'https:': https }[protocol]`: whichever key, a network module.
      if (obj.t === 'obj' && (!obj.folder || obj.folder === this)) {
        const any = this.networkModuleOf(obj.node, obj.scope)
        if (any) return any
      }
      if (obj.t === 'dyn') return obj
      // `rc[`${scope}:registry`]`: a key of configuration whose defaults are known is still configuration.
      if (obj.t === 'dflt' && obj.over.t === 'dyn' && !obj.over.hole) return { t: 'dyn', source: `${obj.over.source} (computed key)` }
      // `httpsUrls[version]`, `urls[i]`: some element of a known collection, or of another module's (linked later).
      if (obj.t === 'arr' || obj.t === 'obj' || obj.t === 'rec' || obj.t === 'ret' || (obj.t === 'mod' && !isBuiltin(obj.mod))) {
        const e = this.property(obj, ANY_ELEMENT, '')
        if (!(e.t === 'unknown' && !e.why)) return e
      }
      return { t: 'unknown', why: 'computed property' }
    }
    // The label (`config.smtp`) only names values read from objects we cannot see into: built only then.
    return this.property(obj, key, obj.t === 'unknown' ? exprText(node.object) : '')
  }

  private propWritesInProgress: Array<[AnyNode, string]> = []

  /**
   * The class (or ES5 constructor) whose instance `this` is in `scope`, and its constructor: undefined outside one.
   */
  private thisOwner(scope: Scope): { owner: AnyNode; ctor: AnyNode | undefined } | undefined {
    const fn = thisFunctionOf(scope)
    if (!fn) return undefined
    const facts = this.facts
    const owner = facts.classOf.get(fn) ?? (facts.thisWrites.has(fn) && fn.type !== 'ArrowFunctionExpression' ? fn : undefined)
    if (!owner) return undefined
    return { owner, ctor: facts.ctorOf.get(owner) ?? (owner.type === 'ClassDeclaration' || owner.type === 'ClassExpression' ? undefined : owner) }
  }

  /**
   * `this.a.b` read in a method of a class whose constructor (or another method) writes `this.a.b = v`: that
   * value, in place of what `this.a` holds at `b`. A write the constructor always makes replaces it; others may.
   * The write's own right-hand side reads the value from before it (`this.a.b || DEFAULT`).
   */
  private thisPropWritten(node: AnyNode, scope: Scope): Val | undefined {
    const found = this.thisOwner(scope)
    if (!found) return undefined
    const { owner, ctor } = found
    const facts = this.facts
    const key = `${node.object.property.name}.${node.property.name}`
    const notAround = (w: { value: AnyNode | null }) => !(w.value && node.start >= w.value.start && node.end <= w.value.end)
    const ctorWrites = (ctor ? facts.thisPropWrites.get(ctor)?.get(key) ?? [] : []).filter(notAround)
    const others: Array<{ value: AnyNode | null; scope: Scope }> = []
    for (const m of facts.methodsOf.get(owner) ?? []) {
      if (m === ctor) continue
      for (const w of facts.thisPropWrites.get(m)?.get(key) ?? []) if (notAround(w)) others.push(w)
    }
    if (!ctorWrites.length && !others.length) return undefined
    if (this.propWritesInProgress.some(([o, k]) => o === owner && k === key)) return undefined
    this.propWritesInProgress.push([owner, key])
    try {
      const evalWrites = (ws: Array<{ value: AnyNode | null; scope: Scope }>): Val =>
        ws.map((w): Val => (w.value ? this.evaluate(w.value, w.scope) : { t: 'unknown', why: `this.${key} is computed` })).reduce(merge)
      const read = (): Val => {
        const obj = this.evaluate(node.object, scope)
        return this.property(obj, node.property.name, obj.t === 'unknown' ? exprText(node.object) : '')
      }
      let base: Val
      if (ctorWrites.length) {
        const body: AnyNode[] = ctor?.body?.type === 'BlockStatement' ? ctor.body.body : []
        const always = ctorWrites.every((w) => w.value && body.some((st) => st.type === 'ExpressionStatement' && st.expression.type === 'AssignmentExpression' && st.expression.right === w.value))
        base = always ? evalWrites(ctorWrites) : merge(read(), evalWrites(ctorWrites))
      } else base = read()
      return others.length ? merge(base, evalWrites(others)) : base
    } finally {
      this.propWritesInProgress.pop()
    }
  }

  /** What `this.key` holds in the methods of `owner` (a class or an ES5 constructor), for its summary. */
  fieldOf(owner: AnyNode, key: string): Val | undefined {
    const m = this.facts.ctorOf.get(owner) ?? this.facts.methodsOf.get(owner)?.[0] ?? owner
    const scope = this.facts.fnScopes.get(m)
    return scope ? this.thisProperty(scope, key) : undefined
  }

  // `this.key` being evaluated (owner → keys): a constructor's `this.host = opts.host || this.host` reads the field.
  private thisInProgress: Array<[AnyNode, string]> = []

  /**
   * `this.key` inside a method: what the class's field initialiser and constructor store there (an ES5
   * constructor and its prototype methods too), replaceable by what other methods write (a setter makes it
   * configurable).
   */
  private thisProperty(scope: Scope, key: string): Val | undefined {
    const found = this.thisOwner(scope)
    if (!found) return undefined
    const { owner, ctor } = found
    const facts = this.facts
    const field = facts.classFields.get(owner)?.get(key)
    const ctorWrites = ctor ? facts.thisWrites.get(ctor)?.get(key) : undefined
    const merges = ctor ? facts.thisMerges.get(ctor) : undefined
    const others: Array<{ value: AnyNode | null; scope: Scope }> = []
    for (const m of facts.methodsOf.get(owner) ?? []) {
      if (m === ctor) continue
      const w = facts.thisWrites.get(m)?.get(key)
      if (w) others.push(...w)
    }
    if (!field && !ctorWrites && !merges && !others.length) {
      // `this.flush(…)`: a method of the class itself, or one a subclass in this file overrides it with
      // (a base class that calls `this.fetch(url)`, implemented by the platform's subclass).
      for (const m of facts.methodsOf.get(owner) ?? []) {
        if (m !== ctor && facts.fnNames.get(m) === key) return { t: 'fn', node: m, scope: facts.fnScopes.get(m) ?? scope }
      }
      for (const sub of this.subclassesOf(owner)) {
        if (sub === owner || this.thisInProgress.some(([o]) => o === sub)) continue
        for (const m of facts.methodsOf.get(sub) ?? []) {
          if (facts.fnNames.get(m) === key && facts.ctorOf.get(sub) !== m) return { t: 'fn', node: m, scope: facts.fnScopes.get(m) ?? scope }
        }
      }
      // A subclass reads what its base class stores: the base's constructor is folded when it is in this file.
      const sup = owner.type === 'ClassDeclaration' || owner.type === 'ClassExpression' ? facts.superOf.get(owner) : undefined
      if (sup) {
        const base = this.evaluate(sup.node, sup.scope)
        if (base.t === 'cls') {
          const baseCtor = facts.ctorOf.get(base.node)
          const anyMethod = baseCtor ?? facts.methodsOf.get(base.node)?.[0]
          const s2 = anyMethod ? facts.fnScopes.get(anyMethod) : undefined
          if (s2 && !this.thisInProgress.some(([o, k]) => o === base.node && k === key)) {
            this.thisInProgress.push([base.node, key])
            try { return this.thisProperty(s2, key) } finally { this.thisInProgress.pop() }
          }
        } else if ((base.t === 'mod' && !isBuiltin(base.mod)) || base.t === 'ret' || (base.t === 'inst' && base.ref)) {
          // A base class of another module: what its constructor stores there is known once modules are linked.
          return { t: 'dyn', source: `this.${key}`, hole: { fn: owner, index: THIS_HOLE, path: [key] } }
        }
      }
      return undefined
    }
    const fieldValue = (): Val => (field ? this.evaluate(field.value, field.scope) : { t: 'nullish' })
    if (this.thisInProgress.some(([o, k]) => o === owner && k === key)) return fieldValue()
    this.thisInProgress.push([owner, key])
    try {
      const evalWrites = (ws: Array<{ value: AnyNode | null; scope: Scope }>): Val =>
        ws.map((w): Val => (w.value ? this.evaluate(w.value, w.scope) : { t: 'unknown', why: `this.${key} is computed` })).reduce(merge)
      let base: Val
      if (ctorWrites) {
        // A write the constructor may skip (`if (o.url) this.url = o.url`) leaves the field's value in place.
        const body: AnyNode[] = ctor?.body?.type === 'BlockStatement' ? ctor.body.body : []
        const always = ctorWrites.every((w) => w.value && body.some((st) => st.type === 'ExpressionStatement' && st.expression.type === 'AssignmentExpression' && st.expression.right === w.value))
        base = field && !always ? merge(fieldValue(), evalWrites(ctorWrites)) : evalWrites(ctorWrites)
      } else if (field) base = fieldValue()
      else if (merges) {
        // `Object.assign(this, DEFAULTS, options)`: the last source that has the key wins.
        const parts: Val[] = []
        for (const m of merges) for (const a of m.node.arguments.slice(1)) parts.push(a.type === 'SpreadElement' ? UNKNOWN : this.evaluate(a, m.scope))
        base = this.property({ t: 'mrg', parts }, key, '')
      } else base = { t: 'nullish' }
      return others.length ? merge(base, evalWrites(others)) : base
    } finally {
      this.thisInProgress.pop()
    }
  }

  // Property reads recurse through defaults, merges and spreads, which can refer to themselves
  // (`opts = { ...opts, x }`): bounded like evaluation.
  private propDepth = 0

  private subclasses: Map<AnyNode, AnyNode[]> | undefined

  /** Classes of this file that extend `owner` (computed once per file, on first need). */
  private subclassesOf(owner: AnyNode): AnyNode[] {
    if (!this.subclasses) {
      this.subclasses = new Map()
      for (const [sub, sup] of this.facts.superOf) {
        const base = this.evaluate(sup.node, sup.scope)
        if (base.t !== 'cls') continue
        const list = this.subclasses.get(base.node)
        if (list) list.push(sub)
        else this.subclasses.set(base.node, [sub])
      }
    }
    return this.subclasses.get(owner) ?? []
  }

  /** Reads property `key` of a value. */
  property(obj: Val, key: string, label: string): Val {
    if (this.propDepth > MAX_DEPTH) return { t: 'unknown', why: 'too deep' }
    this.propDepth++
    try {
      return this.propertyInner(obj, key, label)
    } finally {
      this.propDepth--
    }
  }

  private propertyInner(obj: Val, key: string, label: string): Val {
    if (key === ANY_ELEMENT) {
      const e = this.anyElement(obj)
      if (e) return e
    }
    if (key === 'constructor') {
      // `[].constructor.constructor`, `(() => {}).constructor`: ways to reach Function without naming it.
      if (obj.t === 'fn' || (obj.t === 'glob' && obj.path.length === 1 && /^[A-Z]/.test(obj.path[0]))) return { t: 'glob', path: ['Function'] }
      if (obj.t === 'arr') return { t: 'glob', path: ['Array'] }
      if (obj.t === 'str') return { t: 'glob', path: ['String'] }
      if (obj.t === 'obj') return { t: 'glob', path: ['Object'] }
      if (obj.t === 'num') return { t: 'glob', path: ['Number'] }
    }
    switch (obj.t) {
      case 'mod': {
        // `mod.default` of a CommonJS or builtin module is the module itself (ESM interop, `__toESM`).
        if (key === 'default' && obj.path.length === 0 && !isRelative(obj.mod)) return obj
        return { t: 'mod', mod: obj.mod, path: [...obj.path, key] }
      }
      case 'glob': {
        if (obj.path.length === 0 && GLOBAL_OBJECT_NAMES.has(key)) return obj
        const path = [...obj.path, key]
        if (path[0] === 'process') {
          if (path[1] === 'env' && path.length === 3) return { t: 'dyn', source: `env ${key}` }
          if (path[1] === 'argv') return { t: 'dyn', source: 'argv' }
        }
        if (path[0] === 'module' && path[1] === 'require' && path.length === 2 && this.moduleKind !== 'module') return { t: 'req' }
        if (path.length > 8) return UNKNOWN
        return { t: 'glob', path }
      }
      case 'inst':
        return { ...obj, path: [...obj.path, key] }
      case 'obj':
        return (obj.folder ?? this).objectProperty(obj.node, obj.scope, key)
      case 'arr': {
        const i = Number(key)
        if (obj.loose && Number.isInteger(i) && i >= 0) return joinElements(obj.items, this)
        if (Number.isInteger(i) && i >= 0 && i < obj.items.length) return obj.items[i]
        return UNKNOWN
      }
      case 'dyn':
        return { t: 'dyn', source: `${obj.source}.${key}`, params: obj.params, hole: obj.hole && { ...obj.hole, path: [...obj.hole.path, key] } }
      case 'dflt': {
        // `new URL(path, host ?? DEFAULT).href`: the same default, still replaced by the same knob.
        if ((key === 'href' || key === 'origin' || URL_PARTS.has(key)) && isStringDefault(obj)) {
          const v = this.property(obj.v, key, label)
          return v.t === 'str' || v.t === 'dflt' ? { t: 'dflt', v, over: obj.over } : v
        }
        // `(opts || DEFAULTS).host`, `{ ...DEFAULTS, ...opts }.host`: the default's key, unless the override has it.
        const over = this.property(obj.over, key, label)
        const v = this.property(obj.v, key, label)
        if (v.t === 'nullish') return over
        if (over.t === 'nullish') return v
        return isOverridable(over) && isDefaultable(v) ? { t: 'dflt', v, over } : merge(v, over)
      }
      case 'mrg': {
        // Later parts win; a part that may or may not have the key (configuration) overrides what came before.
        let found: Val = { t: 'nullish' }
        for (const part of obj.parts) {
          const v = this.property(part, key, label)
          if (v.t === 'nullish') continue
          if (found.t === 'nullish' || !isOverridable(v)) found = v
          else found = isDefaultable(found) ? { t: 'dflt', v: found, over: v } : v
        }
        return found
      }
      case 'rec': {
        const v = obj.props[key]
        if (v) return v
        return obj.rest ? this.property(obj.rest, key, label) : { t: 'nullish' }
      }
      case 'ret':
        return obj.path.length < 8 ? { ...obj, path: [...obj.path, key] } : UNKNOWN
      case 'desc':
        return key === 'value' || key === 'get' ? obj.value : UNKNOWN
      case 'fn':
        // `function __webpack_require__(id) {…}; __webpack_require__.d = (exports, getters) => {…}`
        return (!obj.bound && this.runtimeProperty(obj.node, key)) || UNKNOWN
      case 'str':
        // `new URL(path, base).href`: URLs are folded as their strings.
        if (key === 'href' && !obj.partial) return obj
        if (key === 'origin' && /^[a-z][a-z0-9+.-]*:\/\/[^/]+/i.test(obj.v)) return { ...obj, v: /^[a-z][a-z0-9+.-]*:\/\/[^/]+/i.exec(obj.v)![0], partial: false }
        return urlPart(obj, key) ?? UNKNOWN
      case 'req':
        return UNKNOWN
      case 'unknown':
        // `config.smtp.host`, `options.url`: read from an object we cannot see into → configured.
        if (obj.why === 'this') return { t: 'unknown', why: `this.${key}` }
        if (label && /^[\w$.]+$/.test(label) && label.length < 80) return { t: 'dyn', source: `${label}.${key}` }
        return UNKNOWN
      default:
        return UNKNOWN
    }
  }

  /**
   * Some element of a collection (`ANY_ELEMENT`): an array's items, an object's property values, joined as the
   * worst of them. Undefined for values that carry the step on (configuration, other modules' values, merges).
   */
  private anyElement(obj: Val): Val | undefined {
    switch (obj.t) {
      case 'arr':
        return joinElements(obj.items, this)
      case 'obj': {
        const props: AnyNode[] = obj.node.properties
        if (props.length > MAX_ELEMENTS || props.some((p) => p.type !== 'Property' || p.kind !== 'init')) return UNKNOWN
        const folder = obj.folder ?? this
        return joinElements(props.map((p) => folder.evaluate(p.value, obj.scope)), this)
      }
      case 'rec': {
        const vals = Object.values(obj.props)
        if (obj.rest) vals.push(this.property(obj.rest, ANY_ELEMENT, ''))
        return vals.length > MAX_ELEMENTS ? UNKNOWN : joinElements(vals, this)
      }
      case 'mod':
        return isBuiltin(obj.mod) ? UNKNOWN : undefined
      case 'dyn': case 'dflt': case 'mrg': case 'ret': case 'inst':
        return undefined
      default:
        return UNKNOWN
    }
  }

  objectProperty(node: AnyNode, scope: Scope, key: string): Val {
    let found: Val | undefined
    for (const p of node.properties) {
      if (p.type === 'SpreadElement') {
        // `{ ...DEFAULTS, ...options }`: the spread's key wins when it has one; configuration may have it.
        const v = this.property(this.evaluate(p.argument, scope), key, exprText(p.argument))
        if (v.t === 'nullish') continue
        if (!found || found.t === 'nullish' || !isOverridable(v)) found = v
        else found = isDefaultable(found) ? { t: 'dflt', v: found, over: v } : v
        continue
      }
      let k: string | undefined
      if (!p.computed) k = p.key.type === 'Identifier' ? p.key.name : p.key.type === 'Literal' ? String(p.key.value) : undefined
      else { const kv = this.evaluate(p.key, scope); if (kv.t === 'str' && !kv.partial) k = kv.v }
      if (k === key) found = p.kind === 'init' ? this.evaluate(p.value, scope) : UNKNOWN
    }
    return found ?? this.runtimeProperty(node, key) ?? { t: 'nullish' }
  }

  /** The callee and argument list of a call, looking through `.call`, `.apply` and bound functions. */
  callTarget(node: AnyNode, scope: Scope): { callee: Val; args: AnyNode[]; argVals?: Val[] } {
    const c = node.callee
    if (c.type === 'MemberExpression' && !c.computed && c.property.type === 'Identifier') {
      const name = c.property.name
      if (name === 'call' || name === 'apply') {
        const fn = this.evaluate(c.object, scope)
        if (fn.t === 'mod' || fn.t === 'glob' || fn.t === 'req' || fn.t === 'fn' || fn.t === 'inst') {
          if (name === 'call') return { callee: fn, args: node.arguments.slice(1) }
          const arr = node.arguments[1]
          if (arr?.type === 'ArrayExpression') return { callee: fn, args: arr.elements }
          return { callee: fn, args: [] }
        }
      }
    }
    const callee = this.evaluate(c, scope)
    const args = this.contexts.length ? this.expandRest(node.arguments, scope) : node.arguments
    if ((callee.t === 'fn' || callee.t === 'glob' || callee.t === 'mod') && callee.bound) return { callee, args: [...callee.bound, ...args] }
    return { callee, args }
  }

  /**
   * `(...args) => fetch(...args)` re-evaluated for one call site: the spread stands for the caller's
   * arguments from the rest parameter's position on (folded where the caller wrote them).
   */
  private expandRest(args: AnyNode[], scope: Scope): AnyNode[] {
    const i = args.findIndex((a) => a.type === 'SpreadElement' && a.argument.type === 'Identifier')
    if (i < 0) return args
    const b = lookup(scope, args[i].argument.name)
    if (!b || b.kind !== 'param' || b.path?.[0] !== '…' || b.path.length !== 1) return args
    for (let k = this.contexts.length - 1; k >= 0; k--) {
      const c = this.contexts[k]
      if (c.fn !== b.fn) continue
      const inner = this.contexts.splice(k)
      try {
        const passed = c.args.slice(b.paramIndex).map((n) => (n.type === 'SpreadElement' ? n : ({ type: '$val', val: this.evaluate(n, c.scope), start: n.start, end: n.end } as unknown as AnyNode)))
        return [...args.slice(0, i), ...passed, ...args.slice(i + 1)]
      } finally {
        this.contexts.push(...inner)
      }
    }
    return args
  }

  private call(node: AnyNode, scope: Scope): Val {
    const c = node.callee
    // Function.prototype.bind: `fetch.bind(null, url)` keeps the callee, prepends arguments.
    if (c.type === 'MemberExpression' && !c.computed && c.property.name === 'bind') {
      const fn = this.evaluate(c.object, scope)
      // Bound arguments are folded here, where their names mean something; constants travel as literals.
      const bound = node.arguments.slice(1).map((a: AnyNode) => {
        const v = this.evaluate(a, scope)
        return v.t === 'str' && !v.partial ? ({ type: 'Literal', value: v.v, start: a.start, end: a.end } as unknown as AnyNode) : a
      })
      if (fn.t === 'req') return fn
      if (fn.t === 'glob' || fn.t === 'mod' || fn.t === 'fn') return bound.length ? { ...fn, bound: [...(fn.bound ?? []), ...bound] } : fn
    }
    const { callee, args } = this.callTarget(node, scope)
    const arg = (i: number) => this.evaluate(args[i], scope)
    if ((callee.t === 'glob' || callee.t === 'mod') && args.length >= 1 && args.length <= 8) {
      const parts = mergeOrder(callee, args.map((a, i) => (a.type === 'SpreadElement' ? UNKNOWN : arg(i))))
      if (parts) return { t: 'mrg', parts }
    }
    switch (callee.t) {
      case 'req': {
        const spec = arg(0)
        return spec.t === 'str' && !spec.partial ? moduleVal(spec.v) : { t: 'unknown', why: 'computed require()' }
      }
      case 'mod': {
        const p = callee.path.join('.')
        if (callee.mod === 'module' && p === 'createRequire') return { t: 'req' }
        if (callee.mod === 'dgram' && p === 'createSocket') return { t: 'inst', cls: 'dgram.Socket', origin: node, path: [] }
        if ((callee.mod === 'net' || callee.mod === 'tls') && (p === 'connect' || p === 'createConnection')) return { t: 'inst', cls: `${callee.mod}.Socket`, origin: node, path: [], init: UNKNOWN }
        if (callee.mod === 'util' && p === 'promisify') return arg(0)
        // `path.join(__dirname, 'child.js')`: a file next to this one (what fork() or new Worker() runs).
        if (callee.mod === 'path' && (p === 'join' || p === 'resolve') && args.length >= 2) {
          const first = this.evaluate(args[0], scope)
          // `__dirname`, or `eval('__dirname')` (how bundlers are told to leave it alone).
          if (first.t === 'glob' && first.path.length === 1 && first.path[0] === '__dirname') {
            const rest = args.slice(1).map((a) => this.evaluate(a, scope))
            if (rest.every((r) => r.t === 'str' && !r.partial)) return { t: 'str', v: './' + rest.map((r) => (r as { v: string }).v).join('/').replace(/^\.\//, '') }
          }
        }
        const config = configLibraryCall(callee, arg, node)
        if (config) return config
        const ref = isBuiltin(callee.mod) ? undefined : { ref: callee, args: this.argVals(args, scope) }
        if (callee.path.length === 0 || p === 'default') return { t: 'inst', cls: `${callee.mod}()`, origin: node, path: [], ...ref }
        if (p === 'create' || p === 'extend') return { t: 'inst', cls: `${callee.mod}.${p}`, origin: node, path: [], init: arg(0), ...ref }
        // A function of another module: what it returns is known once modules are linked.
        if (ref) return { t: 'ret', callee, args: ref.args, path: [] }
        return UNKNOWN
      }
      case 'glob': {
        const g = callee.path
        if (g.length === 1 && g[0] === 'require' ) return UNKNOWN
        // `eval('__dirname')`: a constant naming a variable is that variable (bundlers' way to keep it as is).
        if (g.length === 1 && g[0] === 'eval' && args.length === 1) {
          const code = arg(0)
          if (code.t === 'str' && !code.partial && /^\s*[A-Za-z_$][\w$]*\s*$/.test(code.v)) return this.identifier(code.v.trim(), scope)
        }
        const folded = applyGlobalStringFunction(g.join('.'), args.map((_, i) => arg(i)))
        if (folded) return folded
        // `Number(process.env.PORT ?? 25)`: a number from configuration is still configuration.
        if (g.length === 1 && (g[0] === 'Number' || g[0] === 'parseInt' || g[0] === 'parseFloat')) {
          const a = arg(0)
          if (a.t === 'num') return a
          if (a.t === 'str' && !a.partial && /^\s*\d+(\.\d+)?\s*$/.test(a.v)) return { t: 'num', v: Number(a.v) }
          if (a.t === 'dyn' || a.t === 'dflt') return a.t === 'dflt' && a.v.t === 'str' ? { t: 'dflt', v: { t: 'num', v: Number(a.v.v) }, over: a.over } : a
        }
        if (g.length === 2 && g[0] === 'Reflect' && g[1] === 'get') {
          const target = arg(0)
          const k = arg(1)
          if (k.t === 'str' && !k.partial) return this.property(target, k.v, exprText(args[0]))
          return target.t === 'glob' || target.t === 'mod' ? { t: 'unknown', why: 'Reflect.get with a computed key' } : UNKNOWN
        }
        if (g.join('.') === 'Object.getOwnPropertyDescriptor') {
          const target = arg(0)
          const k = arg(1)
          if (k.t === 'str' && !k.partial) return { t: 'desc', value: this.property(target, k.v, exprText(args[0])) }
        }
        return UNKNOWN
      }
      case 'fn': {
        if (callee.cjs) return this.bundledExports(callee.node)
        // TypeScript's `__assign`, Babel's `_extends`: Object.assign.
        if (isAssignHelper(callee.node)) return { t: 'mrg', parts: mergeOrder({ t: 'glob', path: ['Object', 'assign'] }, args.map((a, i) => (a.type === 'SpreadElement' ? UNKNOWN : arg(i))))! }
        // `__webpack_require__("./x")`, minified `n(123)`: the exports of that module's factory in the table.
        if (moduleTableOf(callee.node)) return this.requireFromTable(callee.node, arg(0))
        // Interop helpers (TypeScript, Babel, SWC, esbuild, rollup; minified too) hand the module through.
        if (isInteropWrapper(callee.node)) return arg(0)
        // `var require_x = __commonJS({ "node_modules/x/index.js"(exports, module) { … } })` in a bundle.
        const wrapped = bundledModuleCallback(callee.node, args)
        if (wrapped) return { t: 'fn', node: wrapped, scope: this.facts.fnScopes.get(wrapped) ?? scope, cjs: true }
        return this.returnValue(callee, args, scope)
      }
      case 'ret':
      case 'inst': {
        const got = configGetterCall(this, callee, arg)
        if (got) return got
        // A factory's product called, a method of another module's object: resolved when modules are linked.
        if (callee.t === 'inst' && !callee.ref) break
        return { t: 'ret', callee, args: this.argVals(args, scope), path: [] }
      }
      default:
        break
    }
    // Methods on folded strings and arrays: 'moc.x//:sptth'.split('').reverse().join('')
    if (c.type === 'MemberExpression') {
      const recv = this.evaluate(c.object, scope)
      const name = c.computed ? this.evaluate(c.property, scope) : { t: 'str', v: c.property.name } as Val
      if (name.t === 'str' && !name.partial) {
        // `url.replace(/\/+$/, '')`: normalising a URL (a trailing slash, a scheme's case) keeps where it points.
        const normalising = (name.v === 'replace' || name.v === 'replaceAll') && !!args[0]?.regex
        // `"".concat(host, '/v1/').concat(key)`: TypeScript's ES5 output for template literals, folded like `+`.
        if (name.v === 'concat' && (recv.t === 'str' || (recv.t === 'dflt' && recv.v.t === 'str'))) {
          const parts: Val[] = [recv]
          for (let i = 0; i < args.length; i++) parts.push(args[i].type === 'SpreadElement' ? UNKNOWN : arg(i))
          return concatAll(parts)
        }
        if (recv.t === 'str' || recv.t === 'arr') {
          const r = applyStringMethod(recv, name.v, args.map((_, i) => arg(i)))
          // `url.trim()`: still the literal it was written as (where the destination is decided).
          if (r?.t === 'str' && recv.t === 'str' && SHAPE_PRESERVING.has(name.v) && recv.at !== undefined) return { ...r, at: recv.at, file: recv.file }
          if (r) return r
          if (normalising && recv.t === 'str') return recv
        }
        if (recv.t === 'cat' && (normalising || (SHAPE_PRESERVING.has(name.v) && name.v !== 'replace'))) return recv
        // The same methods on a configured value or a default leave it configured, or a default.
        if (SHAPE_PRESERVING.has(name.v) && (normalising || name.v !== 'replace')) {
          if (recv.t === 'dyn') return recv
          if (recv.t === 'dflt') {
            let inner = recv.v.t === 'str' ? (normalising ? recv.v : applyStringMethod(recv.v, name.v, args.map((_, i) => arg(i)))) : undefined
            if (inner?.t === 'str' && recv.v.t === 'str' && inner !== recv.v) inner = { ...inner, at: recv.v.at, file: recv.v.file }
            return inner ? { t: 'dflt', v: inner, over: recv.over } : recv
          }
        }
      }
      // Object.getOwnPropertyDescriptor(globalThis, 'fetch').value
    }
    return UNKNOWN
  }

  /**
   * A parameter overwritten by the first statement of its function's body (and nowhere else): the value of the
   * right-hand side, in which the name still means the parameter. Undefined when that value cannot be followed.
   */
  private replacedAtStart(b: Binding, given: Val): Val | undefined {
    if (b.assignments.length !== 1 || b.path || !b.fn || b.fn.body?.type !== 'BlockStatement') return undefined
    const first = b.fn.body.body[0]
    const e = first?.type === 'ExpressionStatement' ? first.expression : undefined
    if (e?.type !== 'AssignmentExpression' || e.operator !== '=' || e.left.type !== 'Identifier' || e.left.name !== b.name || e.right !== b.assignments[0].value) return undefined
    this.priorValue.set(b, given)
    let v: Val
    try {
      v = this.evaluate(e.right, b.assignments[0].scope)
    } finally {
      this.priorValue.delete(b)
    }
    return v.t === 'unknown' ? undefined : v
  }

  private bundled = new Map<AnyNode, Val>()

  /** What a bundled CommonJS module exports: `exports.x = …`, `Object.defineProperty(exports, …)`, `module.exports = …` in its body. */
  private bundledExports(fn: AnyNode): Val {
    const hit = this.bundled.get(fn)
    if (hit) return hit
    this.bundled.set(fn, { t: 'unknown', why: 'cycle' })
    const body = this.facts.fnScopes.get(fn)
    const props: Record<string, Val> = {}
    let whole: Val | undefined
    for (const e of this.facts.exportsAssign) {
      // Only the module body's own statements (not functions nested in it, which run later or never).
      let s: Scope | null = e.scope
      while (s && !s.isFunctionScope) s = s.parent
      if (s !== body) continue
      const v = this.evaluate(e.value, e.scope)
      if (e.name === null) whole = v
      else props[e.name] = v
    }
    const out: Val = whole ?? { t: 'rec', props }
    this.bundled.set(fn, out)
    return out
  }

  /**
   * What the file's bundler runtime and plain object writes add to an object literal a variable starts as (or to
   * a function): `o.k = v` written later, getters a definer function puts on it (`d(exports, { k: () => v })`),
   * keys a loop copies onto it from another module. Undefined when nothing does.
   */
  private runtimeProperty(node: AnyNode, key: string): Val | undefined {
    const rt = this.runtimeIndex()
    const writes = rt.writes.get(node)?.get(key)
    if (writes) return writes.map((w) => this.evaluate(w.value, w.scope)).reduce(merge)
    const b = rt.literalOf.get(node)
    return b ? this.definedOn(b, key) : undefined
  }

  /** Property `key` that getter definitions and key-copy loops give the object bound to `b`. */
  private definedOn(b: Binding, key: string): Val | undefined {
    const rt = this.runtimeIndex()
    const rests: Val[] = []
    for (const d of rt.defs.get(b) ?? []) {
      const kind = this.definerKind(d.node, d.scope)
      if (!kind) continue
      const [, a1, a2] = d.node.arguments
      if (kind === 'single') {
        const k = this.evaluate(a1, d.scope)
        if (k.t === 'str' && !k.partial && k.v === key) return this.getterValue(a2, d.scope)
        continue
      }
      if (a1.type === 'ObjectExpression') {
        for (const p of a1.properties) {
          if (p.type !== 'Property' || p.computed) continue
          const k = p.key.type === 'Identifier' ? p.key.name : p.key.type === 'Literal' ? String(p.key.value) : undefined
          if (k === key) return this.getterValue(p.value, d.scope)
        }
      } else if (a1.type === 'Identifier') {
        // `d(exports, reexports)` where a loop filled `reexports[k] = () => m[k]`.
        const rb = lookup(d.scope, a1.name)
        for (const c of (rb && rt.copies.get(rb)) ?? []) rests.push(this.evaluate(c.node, c.scope))
      }
    }
    for (const c of rt.copies.get(b) ?? []) rests.push(this.evaluate(c.node, c.scope))
    if (!rests.length) return undefined
    // Another module's exports may or may not have the key: one such module stands for it, several do not.
    const found = rests.map((r) => this.property(r, key, '')).filter((v) => v.t !== 'nullish' && v.t !== 'unknown')
    const known = found.filter((v) => v.t !== 'mod')
    if (known.length) return known[0]
    if (found.length === 1) return found[0]
    return found.length ? { t: 'unknown', why: 're-exported from one of several modules' } : undefined
  }

  /** Every key getter definitions and key-copy loops give an object (for `for (k in o) exports[k] = o[k]`). */
  definedExports(v: Val): { props: Record<string, Val>; rests: Val[] } {
    const out = { props: {} as Record<string, Val>, rests: [] as Val[] }
    if (v.t !== 'obj' || (v.folder && v.folder !== this)) return out
    const rt = this.runtimeIndex()
    const b = rt.literalOf.get(v.node)
    if (!b) return out
    for (const d of rt.defs.get(b) ?? []) {
      const kind = this.definerKind(d.node, d.scope)
      const [, a1, a2] = d.node.arguments
      if (kind === 'single') {
        const k = this.evaluate(a1, d.scope)
        if (k.t === 'str' && !k.partial && !(k.v in out.props)) out.props[k.v] = this.getterValue(a2, d.scope)
      } else if (kind === 'map' && a1.type === 'ObjectExpression') {
        for (const p of a1.properties) {
          if (p.type !== 'Property' || p.computed) continue
          const k = p.key.type === 'Identifier' ? p.key.name : p.key.type === 'Literal' ? String(p.key.value) : undefined
          if (k !== undefined && !(k in out.props)) out.props[k] = this.getterValue(p.value, d.scope)
        }
      } else if (kind === 'map' && a1.type === 'Identifier') {
        const rb = lookup(d.scope, a1.name)
        for (const c of (rb && rt.copies.get(rb)) ?? []) out.rests.push(this.evaluate(c.node, c.scope))
      }
    }
    for (const c of rt.copies.get(b) ?? []) out.rests.push(this.evaluate(c.node, c.scope))
    return out
  }

  /** `exports[k] = src[k]` loops of the file (it exports every key of src). */
  exportCopies(): Array<{ node: AnyNode; scope: Scope }> {
    return this.runtimeIndex().exportCopies
  }

  private definerKind(call: AnyNode, scope: Scope): 'map' | 'single' | undefined {
    const callee = this.evaluate(call.callee, scope)
    return callee.t === 'fn' && !callee.bound ? getterDefinerKind(callee.node) : undefined
  }

  /** What a getter returns (`() => x`, `function () { return x }`); a plain value stands for itself. */
  private getterValue(node: AnyNode, scope: Scope): Val {
    if ((node.type === 'ArrowFunctionExpression' || node.type === 'FunctionExpression') && !node.params.length) {
      const rets = returnedExpressions(node, 50)
      return rets.length === 1 ? this.evaluate(rets[0], this.facts.fnScopes.get(node) ?? scope) : UNKNOWN
    }
    return this.evaluate(node, scope)
  }

  /** `{ 'http:': http, 'https:': https }`: an object literal whose every value is a network module (the first). */
  private networkModuleOf(node: AnyNode, scope: Scope): Val | undefined {
    const props: AnyNode[] = node.properties
    if (!props.length || props.length > 8) return undefined
    let first: Val | undefined
    for (const p of props) {
      if (p.type !== 'Property' || p.kind !== 'init') return undefined
      const v = this.evaluate(p.value, scope)
      if (v.t !== 'mod' || v.path.length || !NETWORK_MODULES.has(v.mod)) return undefined
      first ??= v
    }
    return first
  }

  /** One pass over the file's candidates, the first time a runtime shape is asked about (syntactic: nothing is folded). */
  private runtimeIndex(): RuntimeIndex {
    if (this.rt) return this.rt
    const rt: RuntimeIndex = { writes: new Map(), literalOf: new Map(), defs: new Map(), copies: new Map(), exportCopies: [], requireFns: new Set(), paramWrites: new Map(), iife: new Map(), paramObjWrites: [] }
    this.rt = rt
    const { candidateNodes: nodes, candidateScopes: scopes } = this.facts
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i]
      if (n.type === 'AssignmentExpression') indexAssignment(rt, n, scopes[i])
      else if (n.type === 'CallExpression') indexCall(rt, n, scopes[i])
    }
    // `var util = {}; (function (exports) { exports.endpoint = endpoint })(util)`: written on util.
    for (const w of rt.paramObjWrites) {
      const call = rt.iife.get(w.b.fn!)
      const arg = call?.node.arguments[w.b.paramIndex!]
      if (arg?.type !== 'Identifier') continue
      const ab = lookup(call!.scope, arg.name)
      const target = ab && !ab.path && ab.init?.type === 'ObjectExpression' ? ab.init : undefined
      if (!target) continue
      let byKey = rt.writes.get(target)
      if (!byKey) rt.writes.set(target, (byKey = new Map()))
      pushTo(byKey, w.key, { value: w.value, scope: w.scope })
    }
    rt.paramObjWrites = []
    return rt
  }

  /** The module, exports or require parameter of a bundled module's factory, or undefined for any other parameter. */
  private factoryParam(b: Binding): Val | undefined {
    const rt = this.runtimeIndex()
    if (!rt.requireFns.size) return undefined
    if (!rt.factories) {
      rt.factories = new Map()
      for (const r of rt.requireFns) {
        const table = this.moduleTable(r)
        const fns = table.t === 'obj' ? table.node.properties.map((p: AnyNode) => p.value) : table.t === 'arr' ? table.items.map((x) => (x.t === 'fn' ? x.node : undefined)) : []
        for (const f of fns) if (f && (f.type === 'FunctionExpression' || f.type === 'ArrowFunctionExpression') && !rt.factories.has(f)) rt.factories.set(f, r)
      }
    }
    const req = rt.factories.get(b.fn!)
    if (!req) return undefined
    if (b.paramIndex === 2) return { t: 'fn', node: req, scope: this.facts.fnScopes.get(req) ?? b.declScope }
    const exp = this.factoryExports(b.fn!)
    return b.paramIndex === 1 ? exp : { t: 'rec', props: { exports: exp } }
  }

  /** The table a require-like function looks factories up in (an IIFE's argument when it is a parameter). */
  private moduleTable(req: AnyNode): Val {
    const scope = this.facts.fnScopes.get(req)
    const table = moduleTableOf(req)
    if (!scope || !table) return UNKNOWN
    const v = this.evaluate(table, scope)
    if (v.t === 'dyn' && v.hole && !v.hole.path.length) {
      // webpack 4: `(function (modules) { … })({ 0: function (module, exports, require) {…}, … })`
      const call = this.runtimeIndex().iife.get(v.hole.fn)
      const arg = call?.node.arguments[v.hole.index]
      if (arg && arg.type !== 'SpreadElement') return this.evaluate(arg, call!.scope)
    }
    return v
  }

  private requireFromTable(req: AnyNode, id: Val): Val {
    const key = id.t === 'str' && !id.partial ? id.v : id.t === 'num' ? String(id.v) : undefined
    if (key === undefined) return { t: 'unknown', why: 'computed module id' }
    const f = this.property(this.moduleTable(req), key, '')
    return f.t === 'fn' ? this.factoryExports(f.node) : UNKNOWN
  }

  /** What a bundled module's factory `(module, exports, require) => …` exports. */
  private factoryExports(fn: AnyNode): Val {
    const hit = this.factoryMemo.get(fn)
    if (hit) return hit
    this.factoryMemo.set(fn, { t: 'unknown', why: 'cycle' })
    const body = this.facts.fnScopes.get(fn)
    const rt = this.runtimeIndex()
    let whole: Val | undefined
    const props: Record<string, Val> = {}
    for (const { node, scope } of rt.paramWrites.get(fn) ?? []) {
      // Only the factory's own statements (not functions nested in it, which run later or never).
      let s: Scope | null = scope
      while (s && !s.isFunctionScope) s = s.parent
      if (s !== body) continue
      const left = node.left
      const v = this.evaluate(node.right, scope)
      if (left.object.type === 'Identifier') {
        const pb = lookup(scope, left.object.name)
        if (pb?.paramIndex === 0 && left.property.name === 'exports') whole = v
        else if (pb?.paramIndex === 1) props[left.property.name] = v
      } else props[left.property.name] = v
    }
    let rest: Val | undefined
    const p1 = fn.params[1]
    const eb = p1?.type === 'Identifier' && body ? body.vars.get(p1.name) : undefined
    if (!whole && eb) {
      // `require.d(exports, { k: () => v })` (harmony exports), `require.r(exports)`
      for (const d of rt.defs.get(eb) ?? []) {
        const kind = this.definerKind(d.node, d.scope)
        const [, a1, a2] = d.node.arguments
        if (kind === 'single') {
          const k = this.evaluate(a1, d.scope)
          if (k.t === 'str' && !k.partial) props[k.v] ??= this.getterValue(a2, d.scope)
        } else if (kind === 'map' && a1.type === 'ObjectExpression') {
          for (const p of a1.properties) {
            if (p.type !== 'Property' || p.computed) continue
            const k = p.key.type === 'Identifier' ? p.key.name : p.key.type === 'Literal' ? String(p.key.value) : undefined
            if (k !== undefined) props[k] ??= this.getterValue(p.value, d.scope)
          }
        }
      }
      const copies = rt.copies.get(eb)
      if (copies?.length === 1) rest = this.evaluate(copies[0].node, copies[0].scope)
    }
    const out: Val = whole ?? (rest ? { t: 'rec', props, rest } : { t: 'rec', props })
    this.factoryMemo.set(fn, out)
    return out
  }

  /** The first few arguments of a call, folded (what another module's function will be given). */
  argVals(args: AnyNode[], scope: Scope): Val[] {
    const out: Val[] = []
    for (let i = 0; i < args.length && i < MAX_LINKED_ARGS; i++) {
      const a = args[i]
      if (a.type !== 'SpreadElement') { out.push(this.evaluate(a, scope)); continue }
      // `(...args) => fetch(...args)`: the caller's arguments from that position on (filled when linked).
      const v = this.evaluate(a.argument, scope)
      out.push(v.t === 'dyn' && v.hole?.path[0] === '…' ? v : UNKNOWN)
      break
    }
    return out
  }

  /** Value a small function returns (helpers that build URLs or load modules), with its parameters bound to the call's arguments. */
  private returnValue(fn: Extract<Val, { t: 'fn' }>, args: AnyNode[], scope: Scope): Val {
    const body = fn.node.body
    if (!body) return UNKNOWN
    let ret: AnyNode | undefined
    if (body.type !== 'BlockStatement') ret = body
    else {
      const rets = body.body.filter((s: AnyNode) => s.type === 'ReturnStatement')
      if (rets.length === 1 && body.body.length <= 3) ret = rets[0].argument
      // A builder that ends by returning what it built (`options = merge(…); options.x = …; return options`).
      else if (rets.length === 1 && body.body.length <= MAX_BUILDER_STATEMENTS && body.body[body.body.length - 1] === rets[0]) ret = rets[0].argument
    }
    if (!ret) return UNKNOWN
    if (!fn.node.params.length) return this.evaluate(ret, fn.scope)
    // An object literal returned is folded while the parameters are bound (read later, they would not be).
    const v = this.withCall(fn.node, args, scope, () => this.materialise(this.evaluate(ret, fn.scope), 0))
    // A value that still depends on this function's own parameters means nothing outside the call.
    if ((v.t === 'dyn' || v.t === 'str') && v.params?.includes(fn.node)) return { t: 'dyn', source: v.t === 'dyn' ? v.source : 'built from parameters' }
    return v
  }

  /** Object literals in a value, their properties folded now (`{ url: opts.url }` under a call's bindings) as records. */
  private materialise(v: Val, depth: number): Val {
    if (depth > 2) return v
    switch (v.t) {
      case 'obj': {
        const props: AnyNode[] = v.node.properties
        if (props.length > MAX_ELEMENTS) return v
        const folder = v.folder ?? this
        const parts: Val[] = []
        let rec: Record<string, Val> = {}
        for (const p of props) {
          if (p.type === 'SpreadElement') {
            if (Object.keys(rec).length) parts.push({ t: 'rec', props: rec })
            rec = {}
            parts.push(this.materialise(folder.evaluate(p.argument, v.scope), depth + 1))
            continue
          }
          let k: string | undefined
          if (!p.computed) k = p.key.type === 'Identifier' ? p.key.name : p.key.type === 'Literal' ? String(p.key.value) : undefined
          else { const kv = folder.evaluate(p.key, v.scope); if (kv.t === 'str' && !kv.partial) k = kv.v }
          if (k === undefined) return v
          rec[k] = p.kind === 'init' ? this.materialise(folder.evaluate(p.value, v.scope), depth + 1) : UNKNOWN
        }
        if (!parts.length) return { t: 'rec', props: rec }
        if (Object.keys(rec).length) parts.push({ t: 'rec', props: rec })
        return { t: 'mrg', parts }
      }
      case 'dflt': return { t: 'dflt', v: this.materialise(v.v, depth + 1), over: this.materialise(v.over, depth + 1) }
      case 'mrg': return { t: 'mrg', parts: v.parts.map((p) => this.materialise(p, depth + 1)) }
      default: return v
    }
  }

  private construct(node: AnyNode, scope: Scope): Val {
    const callee = this.evaluate(node.callee, scope)
    if (callee.t === 'mod') {
      const p = callee.path.join('.')
      if ((callee.mod === 'net' || callee.mod === 'tls') && (p === 'Socket' || p === 'TLSSocket')) return { t: 'inst', cls: `${callee.mod}.Socket`, origin: node, path: [] }
      // `const { URL } = require('url')`: the same class as the global one.
      if (callee.mod === 'url' && p === 'URL') return resolveUrl(this.evaluate(node.arguments[0], scope), node.arguments[1] ? this.evaluate(node.arguments[1], scope) : undefined)
      if (callee.mod === 'dns' && (p === 'Resolver' || p === 'promises.Resolver')) return { t: 'inst', cls: 'dns.Resolver', origin: node, path: [] }
      // `new (require('url').URL)(endpoint)`: the global URL.
      if (callee.mod === 'url' && p === 'URL') {
        const a = this.evaluate(node.arguments[0], scope)
        return resolveUrl(a, node.arguments[1] ? this.evaluate(node.arguments[1], scope) : undefined)
      }
      const ref = isBuiltin(callee.mod) ? undefined : { ref: callee, args: this.argVals(node.arguments, scope) }
      return { t: 'inst', cls: `${callee.mod}.${p}`, origin: node, path: [], init: this.evaluate(node.arguments[0], scope), ...ref }
    }
    if (callee.t === 'ret' || (callee.t === 'inst' && callee.ref)) return { t: 'inst', cls: 'new', origin: node, path: [], ref: callee, args: this.argVals(node.arguments, scope) }
    if (callee.t === 'glob' && callee.path.length === 1) {
      const g = callee.path[0]
      if (g === 'URL') {
        const a = this.evaluate(node.arguments[0], scope)
        const b = node.arguments[1] ? this.evaluate(node.arguments[1], scope) : undefined
        return resolveUrl(a, b)
      }
      if (g === 'XMLHttpRequest' || g === 'Image' || g === 'Worker' || g === 'RTCPeerConnection') {
        return { t: 'inst', cls: g, origin: node, path: [], init: this.evaluate(node.arguments[0], scope) }
      }
      if (g === 'Function') return UNKNOWN
    }
    return UNKNOWN
  }
}

export function concat(a: Val, b: Val): Val {
  // `(opts.host || DEFAULT_URL) + '/batch'`, `'https://' + (opts.host || DEFAULT_HOST)`: still a default.
  if (a.t === 'dflt') return { t: 'dflt', v: concat(a.v, b), over: a.over }
  if (b.t === 'dflt' && a.t === 'str' && !a.partial) return { t: 'dflt', v: concat(a, b.v), over: b.over }
  return joinLinked(a, b) ?? catLinked(a, b) ?? concatPlain(a, b)
}

/** `constants.LOGDNA_URL + '?' + qs` where joinLinked cannot keep pieces: the parts are kept until linking knows the other module's value. */
function catLinked(a: Val, b: Val): Val | undefined {
  if (isLinkedString(a) || (isLinkedString(b) && a.t === 'str' && !a.partial)) {
    const parts = a.t === 'cat' ? a.parts : a.t === 'str' && a.v === '' ? [] : [a]
    return { t: 'cat', parts: parts.length < MAX_CAT_PARTS ? [...parts, b] : [...parts.slice(0, MAX_CAT_PARTS - 1), UNKNOWN] }
  }
  return undefined
}

const MAX_PARTS = 8

/** Another module's value (or a string already holding one): known once modules are linked. */
function isLinkedPiece(v: Val): boolean {
  return v.t === 'ret' || (v.t === 'mod' && !isBuiltin(v.mod)) || (v.t === 'str' && !!v.parts)
}

/**
 * `${base()}/batch`, `API_BASE + '/v1'` where base or API_BASE is another module's: the string is as partial as
 * before here, and keeps its pieces for linking to join (see Linker).
 */
function joinLinked(a: Val, b: Val): Val | undefined {
  if (!isLinkedPiece(a) && !isLinkedPiece(b)) return undefined
  const parts = [...(a.t === 'str' && a.parts ? a.parts : [a]), ...(b.t === 'str' && b.parts ? b.parts : [b])]
  if (parts.length > MAX_PARTS || !parts.every((p) => p.t === 'str' || p.t === 'num' || p.t === 'dyn' || p.t === 'dflt' || p.t === 'unknown' || isLinkedPiece(p))) return undefined
  const plain = concatPlain(a, b)
  // A configured head (`opts.host + API_PATH`) stays configured.
  if (plain.t === 'dyn') return undefined
  return { ...(plain.t === 'str' ? plain : { t: 'str', v: '' }), partial: true, parts }
}

/** Joins the pieces of a string once they are known (the linker's side of joinLinked). */
export function joinStrings(parts: Val[]): Val {
  return concatAll(parts)
}

function concatPlain(a: Val, b: Val): Val {
  if (a.t === 'str') {
    if (a.partial) return a
    // `'' + URL`, `"".concat(url, …)` (TypeScript's ES5 template literals): the URL's literal is where it is decided.
    if (b.t === 'str') return { t: 'str', v: a.v + b.v, partial: b.partial, source: b.source ?? a.source, params: b.params ?? a.params, at: a.v ? a.at : b.at, file: a.v ? a.file : b.file }
    if (b.t === 'num' || b.t === 'bool') return { t: 'str', v: a.v + String(b.v), at: a.at, file: a.file }
    // A prefix that already names its host (`https://api.vendor.example/v1/` + key) is still decided where it was written.
    const at = hostIsWhole(a.v) ? { at: a.at, file: a.file } : undefined
    if (b.t === 'dyn') return { t: 'str', v: a.v, partial: true, source: b.source, params: b.params, ...at }
    return { t: 'str', v: a.v, partial: true, ...at }
  }
  if (a.t === 'num' && b.t === 'num') return { t: 'num', v: a.v + b.v }
  if (a.t === 'num' && b.t === 'str' && !b.partial) return { t: 'str', v: String(a.v) + b.v }
  if (a.t === 'dyn') return a
  if (b.t === 'dyn') return b
  return UNKNOWN
}

/** A URL prefix whose host name is complete: something follows it (a path, a query, a port). */
function hostIsWhole(v: string): boolean {
  return /^(?:[a-z][a-z0-9+.-]*:)?\/\/[^/?#:]+[/?#:]/i.test(v)
}

/** Parts kept of a string joined from another module's value (past that, the rest is unknown). */
const MAX_CAT_PARTS = 8

/** A value another module decides, as the start of a string: an import (not a builtin), a call's result, such a string. */
function isLinkedString(v: Val): boolean {
  return (v.t === 'mod' && !isBuiltin(v.mod)) || v.t === 'ret' || v.t === 'cat'
}

export function concatAll(parts: Val[]): Val {
  return parts.reduce((acc, p) => concat(acc, p))
}

/** Values that configuration may supply, replacing a hard-coded default. */
export function isOverridable(v: Val): boolean {
  return v.t === 'dyn' || v.t === 'ret' || v.t === 'unknown' || (v.t === 'mod' && !isBuiltin(v.mod)) || v.t === 'dflt'
}

/** Values that can stand as a default destination (or part of one: an options object, a port). */
export function isDefaultable(v: Val): boolean {
  return v.t === 'str' || v.t === 'num' || v.t === 'obj' || v.t === 'rec' || v.t === 'mrg' || v.t === 'arr' || v.t === 'dflt' || v.t === 'cat'
}

/**
 * esbuild's `__commonJS(cb)` (and look-alikes, minified too): a helper returning a function, called with an
 * object whose one property is the module's body `(exports, module) => …`. The body is returned.
 */
function bundledModuleCallback(helper: AnyNode, args: AnyNode[]): AnyNode | undefined {
  const a = args[0]
  if (args.length !== 1 || a?.type !== 'ObjectExpression' || a.properties.length !== 1) return undefined
  const prop = a.properties[0]
  const body = prop.type === 'Property' ? prop.value : undefined
  if (!body || (body.type !== 'FunctionExpression' && body.type !== 'ArrowFunctionExpression') || !body.params.length || body.params.length > 2) return undefined
  // The helper hands back a function (the lazy require).
  const hb = helper.body
  const returned = hb?.type === 'BlockStatement' ? hb.body.find((st: AnyNode) => st.type === 'ReturnStatement')?.argument : hb
  return returned && (returned.type === 'FunctionExpression' || returned.type === 'ArrowFunctionExpression') ? body : undefined
}

/** Most elements joined for one read of "some element": a bigger table is left unknown. */
const MAX_ELEMENTS = 64

/**
 * The values a collection's element may take, as one (a loop over URLs, a table indexed at run time): a
 * hard-coded external string if there is one (it is reached whatever configuration adds), arrays pooled,
 * objects joined key by key; otherwise the values merged as alternatives. Functions and modules do not join.
 */
export function joinElements(vals: Val[], folder: Folder, depth = 0): Val {
  if (!vals.length) return { t: 'nullish' }
  if (vals.length > MAX_ELEMENTS || depth > 3) return UNKNOWN
  const external = vals.find((v) => v.t === 'str' && !v.partial && looksExternal(v.v))
  if (external) return external
  if (vals.some((v) => v.t === 'fn' || v.t === 'cls' || v.t === 'mod' || v.t === 'glob' || v.t === 'req' || v.t === 'inst' || v.t === 'lnk' || v.t === 'desc')) return UNKNOWN
  if (vals.length === 1) return vals[0]
  if (vals.every((v) => v.t === 'arr')) {
    const items = vals.flatMap((v) => (v as { items: Val[] }).items)
    return items.length > 4096 ? UNKNOWN : { t: 'arr', items, loose: true }
  }
  if (vals.every((v) => v.t === 'obj' || v.t === 'rec')) {
    // `{ v4: { urls: [...] }, v6: { urls: [...] } }[version].urls`: each key's values joined.
    const keys = new Set<string>()
    for (const v of vals) {
      if (v.t === 'rec') Object.keys(v.props).forEach((k) => keys.add(k))
      else for (const p of v.node.properties) {
        if (p.type !== 'Property' || p.computed || p.kind !== 'init') return UNKNOWN
        keys.add(p.key.type === 'Identifier' ? p.key.name : String(p.key.value))
      }
      if (keys.size > MAX_ELEMENTS) return UNKNOWN
    }
    const props: Record<string, Val> = {}
    for (const k of keys) props[k] = joinElements(vals.map((v) => folder.property(v, k, '')).filter((x) => x.t !== 'nullish'), folder, depth + 1)
    return { t: 'rec', props }
  }
  return vals.reduce(merge)
}

/** Joins two possible values of one expression. */
export function merge(a: Val, b: Val): Val {
  if (a.t === 'str' && b.t === 'str' && a.v === b.v && !a.partial && !b.partial) return a
  // Modules and globals win: `typeof window !== 'undefined' ? window : global` is still the global.
  for (const v of [a, b]) if (v.t === 'glob' && v.path.length === 0) return v
  for (const v of [a, b]) if (v.t === 'mod' || v.t === 'glob' || v.t === 'req' || v.t === 'fn' || v.t === 'inst') return v
  // `protocol = secure ? __importStar(require('https')) : __importStar(require('http'))`: results of another
  // module's functions (interop wrappers of the transports) stand for one another, as modules do.
  if (a.t === 'ret' && b.t === 'ret') return a
  if (a.t === 'nullish') return b
  if (b.t === 'nullish') return a
  // `url.endsWith('/') ? url : url + '/'` on a default: one default, replaced by the same knobs.
  if (a.t === 'dflt' && b.t === 'dflt') return { t: 'dflt', v: merge(a.v, b.v), over: merge(a.over, b.over) }
  // `let url = opts.url; if (!url) url = 'https://api.vendor.example'`: a default configuration replaces.
  if (isOverridable(a) && isDefaultable(b)) return { t: 'dflt', v: b, over: a }
  if (isOverridable(b) && isDefaultable(a)) return { t: 'dflt', v: a, over: b }
  if (a.t === 'dyn') return a
  if (b.t === 'dyn') return b
  // Several hard-coded strings (`eu ? 'https://eu.vendor.example' : 'https://us.vendor.example'`): the
  // worst case stands for them — an external destination before a local one, else the first.
  if (a.t === 'str' && b.t === 'str') return looksExternal(b.v) && !looksExternal(a.v) ? b : a
  return UNKNOWN
}

/** A URL or dotted host name that is not loopback or private (a rough test for choosing among constants). */
function looksExternal(v: string): boolean {
  const m = /^(?:[a-z][a-z0-9+.-]*:)?\/\/([^/?#:]+)|^([a-z0-9-]+(?:\.[a-z0-9-]+)+)(?::\d+)?$/i.exec(v)
  const host = (m?.[1] ?? m?.[2])?.toLowerCase()
  if (!host || !host.includes('.')) return false
  return !/^(127\.|10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|0\.0\.0\.0$)/.test(host) && !/(^|\.)(localhost|local|internal|lan|home\.arpa)$/.test(host)
}

/** `new URL(a, b)` on folded values (exported for linking, which resolves it once `b` is known). */
export function resolveUrl(a: Val, b: Val | undefined): Val {
  // A base that is another module's value (`new URL(name, registryUrl(scope))`): resolved when modules are linked.
  if (b && isLinkedLater(b) && !(a.t === 'str' && !a.partial && /^[a-z][a-z0-9+.-]*:/i.test(a.v))) return { t: 'ret', callee: { t: 'glob', path: ['URL'] }, args: [a, b], path: [] }
  // `new URL(path ?? '/v1/batch', host ?? 'https://api.vendor.example')`: the host's default is the URL's.
  if (b?.t === 'dflt') {
    const inner = resolveUrl(a.t === 'dflt' ? a.v : a, b.v)
    if (inner.t === 'str' || inner.t === 'dflt') return { t: 'dflt', v: inner, over: b.over }
    // A default that is not a URL (yet): what replaces it decides, as before linking.
    return b.v.t === 'str' ? inner : resolveUrl(a, b.over)
  }
  // `new URL(pkgName, 'https://registry.vendor.example/')`: a path from configuration under a hard-coded origin
  // goes to that origin (a full URL in `a` would win, but the base says where the code means to send).
  const base = b?.t === 'str' && !b.partial ? absoluteBase(b.v) : undefined
  if (base && (a.t === 'dyn' || (a.t === 'str' && a.partial && !/^[a-z][a-z0-9+.-]*:|^\/\//i.test(a.v)))) {
    let prefix = base
    try { if (a.t === 'str') prefix = new URL(a.v, b!.t === 'str' ? b!.v : base).href } catch { /* keep the base */ }
    return { t: 'str', v: prefix, partial: true, source: a.source, at: (b as { at?: number }).at, file: (b as { file?: number }).file }
  }
  if (a.t === 'dflt') {
    // `new URL(opts.endpoint || 'https://api.vendor.example')`: the default decides the host, configuration may replace it.
    const inner = resolveUrl(a.v, b)
    return inner.t === 'str' && a.v.t === 'str' && /^[a-z][a-z0-9+.-]*:\/\//i.test(a.v.v) ? { t: 'dflt', v: inner, over: a.over } : inner
  }
  if (a.t === 'str' && !a.partial) {
    if (!b) return a
    if (b.t === 'str' && !b.partial) {
      try { return { t: 'str', v: new URL(a.v, b.v).href, at: /^[a-z][a-z0-9+.-]*:/i.test(a.v) ? a.at : b.at, file: /^[a-z][a-z0-9+.-]*:/i.test(a.v) ? a.file : b.file } } catch { return a }
    }
    if (/^[a-z][a-z0-9+.-]*:/i.test(a.v)) return a
    // `new URL(path, host)` with a host from a parameter: still that parameter (a caller, or linking, fills it).
    if (b.t === 'dyn') return b
    return b.t === 'str' ? { t: 'str', v: b.v, partial: true } : UNKNOWN
  }
  if (a.t === 'str' && a.partial) return a
  if (a.t === 'dyn') return a
  if (b && b.t === 'str' && !b.partial) {
    try { const u = new URL(b.v); return { t: 'str', v: `${u.protocol}//${u.host}/`, partial: true, at: b.at, file: b.file } } catch { /* fall through */ }
  }
  if (b && b.t === 'dyn') return b
  return UNKNOWN
}

/** Parts of a URL string that `new URL(…)` objects expose, folded for the destination they name. */
const URL_PARTS = new Set(['hostname', 'host', 'protocol', 'port', 'pathname'])

/** `url.hostname` of a folded URL string (complete, or a prefix that holds the whole origin). */
function urlPart(v: Extract<Val, { t: 'str' }>, key: string): Val | undefined {
  if (!URL_PARTS.has(key)) return undefined
  const m = /^([a-z][a-z0-9+.-]*:)\/\/([^/?#]*)/i.exec(v.v)
  if (!m || (v.partial && m[0].length === v.v.length)) return undefined
  let u: URL
  try { u = new URL(v.partial ? m[0] + '/' : v.v) } catch { return undefined }
  const at = { at: v.at, file: v.file }
  switch (key) {
    case 'hostname': return { t: 'str', v: u.hostname, ...at }
    case 'host': return { t: 'str', v: u.host, ...at }
    case 'protocol': return { t: 'str', v: u.protocol }
    case 'port': return { t: 'str', v: u.port }
    default: return v.partial ? { t: 'str', v: '', partial: true, source: v.source } : { t: 'str', v: u.pathname }
  }
}

/** The origin (with a trailing slash) of an absolute http(s)/ws(s) URL, else undefined. */
function absoluteBase(v: string): string | undefined {
  if (!/^(https?|wss?):\/\/[^/?#]+/i.test(v)) return undefined
  try { return new URL(v).href } catch { return undefined }
}

/** A default whose value is a string (a URL), not an options object: `url.hostname` reads the URL. */
function isStringDefault(v: Val): boolean {
  return v.t === 'str' || (v.t === 'dflt' && isStringDefault(v.v))
}

/** A value another module decides (its function's result, its export): known once modules are linked. */
function isLinkedLater(v: Val): boolean {
  if (v.t === 'ret' || (v.t === 'mod' && !isBuiltin(v.mod)) || (v.t === 'inst' && !!v.ref)) return true
  return v.t === 'dflt' && isLinkedLater(v.v)
}

/**
 * Configuration libraries, by what their documented API does: `rc(name, defaults)` returns the defaults
 * overlaid with the user's rc files, environment and argv; `convict(schema)` returns a config whose
 * `get('a.b')` is the schema's `default:` unless the environment variable it names (`env:`) or a loaded
 * file sets it. Hard-coded values there are vendor defaults (provenance `default`), the rest is configuration.
 */
const CONFIG_LIBRARIES = new Set(['rc', 'convict'])

function configLibraryCall(callee: Extract<Val, { t: 'mod' }>, arg: (i: number) => Val, node: AnyNode): Val | undefined {
  if (!CONFIG_LIBRARIES.has(callee.mod) || !(callee.path.length === 0 || (callee.path.length === 1 && callee.path[0] === 'default'))) return undefined
  if (callee.mod === 'rc') {
    const name = arg(0)
    const over: Val = { t: 'dyn', source: name.t === 'str' && !name.partial ? `${name.v} configuration (rc)` : 'rc configuration' }
    const defaults = arg(1)
    return isDefaultable(defaults) ? { t: 'dflt', v: defaults, over } : over
  }
  return { t: 'inst', cls: 'convict()', origin: node, path: [], init: arg(0) }
}

/** `conf.get('server.url')` on a convict config: the schema entry's default, replaced by its env variable or a loaded file. */
export function configGetterCall(folder: Folder, callee: Val, arg: (i: number) => Val): Val | undefined {
  if (callee.t !== 'inst' || callee.cls !== 'convict()' || callee.path.length !== 1 || callee.path[0] !== 'get' || !callee.init) return undefined
  const key = arg(0)
  if (key.t !== 'str' || key.partial) return { t: 'dyn', source: 'convict configuration' }
  let entry: Val = callee.init
  for (const k of key.v.split('.')) entry = folder.property(entry, k, '')
  const env = folder.property(entry, 'env', '')
  const over: Val = { t: 'dyn', source: env.t === 'str' && !env.partial ? `env ${env.v}` : `convict ${key.v}` }
  const d = folder.property(entry, 'default', '')
  return isDefaultable(d) && d.t !== 'obj' && d.t !== 'rec' && d.t !== 'mrg' ? { t: 'dflt', v: d, over } : over
}

/** Short source text of a simple expression, for labels like `config.smtp`. */
export function exprText(node: AnyNode | undefined): string {
  if (!node) return ''
  if (node.type === 'Identifier') return node.name
  if (node.type === 'ThisExpression') return 'this'
  if (node.type === 'MemberExpression' && !node.computed && node.property.type === 'Identifier') {
    const o = exprText(node.object)
    return o ? `${o}.${node.property.name}` : ''
  }
  return ''
}

/** Modules whose every export a request can be made with (a lookup among them is a network module whichever key). */
const NETWORK_MODULES = new Set(['http', 'https', 'http2', 'net', 'tls'])

/** What a file's bundler runtime and object writes look like (see Folder.runtimeIndex). */
interface RuntimeIndex {
  /** `o.k = v` on the object literal a variable starts as (`var o = {}`), or on a function: by that node and key. */
  writes: Map<AnyNode, Map<string, Array<{ value: AnyNode; scope: Scope }>>>
  /** The variable an object literal initialises. */
  literalOf: Map<AnyNode, Binding>
  /** Calls that may define getters on a variable or parameter (`d(exports, { k: () => v })`), judged when read. */
  defs: Map<Binding, Array<{ node: AnyNode; scope: Scope }>>
  /** Loops copying every key of another object onto one (`r[k] = () => m[k]`): m, by r's variable. */
  copies: Map<Binding, Array<{ node: AnyNode; scope: Scope }>>
  /** `exports[k] = src[k]` in a loop: src. */
  exportCopies: Array<{ node: AnyNode; scope: Scope }>
  /** Require-like functions that look factories up in a module table. */
  requireFns: Set<AnyNode>
  /** Assignments to a function's first two parameters (`module.exports = v`, `exports.k = v`), by function. */
  paramWrites: Map<AnyNode, Array<{ node: AnyNode; scope: Scope }>>
  /** Functions called where they are written, with that call. */
  iife: Map<AnyNode, { node: AnyNode; scope: Scope }>
  /** `p.k = v` on a parameter p (an IIFE filling the object it is given: rollup's CommonJS modules, TypeScript namespaces). */
  paramObjWrites: Array<{ b: Binding; key: string; value: AnyNode; scope: Scope }>
  /** Factory function → the require function whose table it is in (computed when first asked). */
  factories?: Map<AnyNode, AnyNode>
}

function pushTo<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k)
  if (list) list.push(v)
  else m.set(k, [v])
}

function indexAssignment(rt: RuntimeIndex, n: AnyNode, scope: Scope): void {
  const left = n.left
  if (left.type !== 'MemberExpression' || n.operator !== '=') return
  const obj = left.object
  if (!left.computed) {
    const key = left.property.type === 'Identifier' ? left.property.name as string : undefined
    if (obj.type === 'Identifier' && key) {
      const b = lookup(scope, obj.name)
      if (!b) return
      const init = b.init
      const target = b.path ? undefined : init?.type === 'ObjectExpression' || init?.type === 'FunctionExpression' || init?.type === 'ArrowFunctionExpression' ? init : b.kind === 'function' ? b.fn : undefined
      if (target) {
        let byKey = rt.writes.get(target)
        if (!byKey) rt.writes.set(target, (byKey = new Map()))
        pushTo(byKey, key, { value: n.right, scope })
      }
      if (b.kind === 'param' && b.fn && !b.path) {
        if (b.paramIndex === 0 ? key === 'exports' : b.paramIndex === 1) pushTo(rt.paramWrites, b.fn, { node: n, scope })
        rt.paramObjWrites.push({ b, key, value: n.right, scope })
      }
    } else if (key && obj.type === 'MemberExpression' && !obj.computed && obj.property.name === 'exports' && obj.object.type === 'Identifier') {
      // `module.exports.k = v` in a factory
      const b = lookup(scope, obj.object.name)
      if (b?.kind === 'param' && b.fn && !b.path && b.paramIndex === 0) pushTo(rt.paramWrites, b.fn, { node: n, scope })
    }
    return
  }
  const src = keyCopySource(n)
  if (!src) return
  if (obj.type === 'Identifier') {
    const b = lookup(scope, obj.name)
    if (b) {
      pushTo(rt.copies, b, { node: src, scope })
      if (!b.path && b.init?.type === 'ObjectExpression') rt.literalOf.set(b.init, b)
    } else if (obj.name === 'exports') rt.exportCopies.push({ node: src, scope })
  } else if (obj.type === 'MemberExpression' && !obj.computed && obj.property.name === 'exports' && obj.object.type === 'Identifier' && obj.object.name === 'module' && !lookup(scope, 'module')) {
    rt.exportCopies.push({ node: src, scope })
  }
}

function indexCall(rt: RuntimeIndex, n: AnyNode, scope: Scope): void {
  const args: AnyNode[] = n.arguments
  // `d(target, getters)`, `d(target, 'k', getter)` on a local object or a parameter: judged when read.
  if (args.length >= 2 && args.length <= 3 && args[0].type === 'Identifier') {
    const b = lookup(scope, args[0].name)
    if (b && !b.path && (b.init?.type === 'ObjectExpression' || b.kind === 'param')) {
      pushTo(rt.defs, b, { node: n, scope })
      if (b.init?.type === 'ObjectExpression') rt.literalOf.set(b.init, b)
    }
  }
  let c = n.callee
  // `TABLE[id](module, module.exports, require)`, `TABLE[id].call(…)`
  if (c.type === 'MemberExpression' && !c.computed && c.property.name === 'call') c = c.object
  if (c.type === 'MemberExpression' && c.computed && c.property.type === 'Identifier') {
    const b = lookup(scope, c.property.name)
    if (b?.kind === 'param' && b.fn && moduleTableOf(b.fn)) rt.requireFns.add(b.fn)
  }
  let f = n.callee
  while (f.type === 'ParenthesizedExpression') f = f.expression
  if (f.type === 'FunctionExpression' || f.type === 'ArrowFunctionExpression') rt.iife.set(f, { node: n, scope })
}

