// One iterative pass over an acorn AST: scopes, bindings, assignments and the nodes detectors want.
// Iterative on purpose: input nested 100 000 deep must not overflow our stack.
import type { Node } from 'acorn'
import { pushChildren } from './ast.ts'

// acorn's types are loose; the walker reads fields by name.
export type AnyNode = Node & Record<string, any>

/**
 * A property path step meaning "some element of the collection" (an item of an array, the value at a computed
 * key): what `for (const x of xs)`, `xs.map((x) => …)` and `table[key]` read.
 */
export const ANY_ELEMENT = '[]'

export type BindingKind = 'var' | 'let' | 'const' | 'param' | 'function' | 'class' | 'import' | 'catch'

export interface Binding {
  name: string
  kind: BindingKind
  /** Scope the declaration appears in: its initialiser is evaluated there. */
  declScope: Scope
  node: AnyNode
  /** Initialiser (for destructuring: the whole right-hand side). */
  init?: AnyNode
  /** Property path into `init` for destructured names ('0', 'request', '…' for rest). */
  path?: string[]
  /** Default value from `a = x` in a pattern or parameter. */
  defaultValue?: AnyNode
  /** Function node owning a parameter, or the function itself for declarations. */
  fn?: AnyNode
  paramIndex?: number
  importSource?: string
  /** 'default' | '*' | exported name */
  imported?: string
  /** Later `name = value` assignments (value nodes with their scope). */
  assignments: Array<{ value: AnyNode; scope: Scope }>
  /** Written in a way we cannot follow (`x++`, destructuring assignment, `x += …`). */
  opaqueWrite: boolean
}

export interface Scope {
  parent: Scope | null
  vars: Map<string, Binding>
  /** The function this scope belongs to (null at program level). */
  fn: AnyNode | null
  isFunctionScope: boolean
}

export interface FileFacts {
  program: Scope
  /**
   * Calls, `new`, import(), computed member reads, member assignments, imports, URL-like strings, in walk
   * order, with the scope each appears in at the same index (two arrays: no object per candidate).
   */
  candidateNodes: AnyNode[]
  candidateScopes: Scope[]
  /** Function node → its scope (to evaluate returns and parameters). */
  fnScopes: Map<AnyNode, Scope>
  /** Function node → call sites that call it directly by a name we resolved later. */
  /** Parameter 0 of a `.then(fn)` callback on `import(x)` is that module. */
  thenImports: Map<AnyNode, AnyNode>
  /** Parameter 0 of a callback given to an array method (`xs.map((x) => …)`, `forEach`, `filter`…) is an element of the receiver. */
  itemCallbacks: Map<AnyNode, { node: AnyNode; scope: Scope }>
  /**
   * Method/constructor function node → its owner: the class node, or for ES5 code (`X.prototype.m = function`)
   * the constructor function X (to resolve `this.x`).
   */
  classOf: Map<AnyNode, AnyNode>
  /** Class node → instance fields `x = v` (evaluated before the constructor body runs). */
  classFields: Map<AnyNode, Map<string, { value: AnyNode; scope: Scope }>>
  /** Function node → `this.x = v` written in it (arrow functions inside count as the function's own); `value` null: written opaquely. */
  thisWrites: Map<AnyNode, Map<string, Array<{ value: AnyNode | null; scope: Scope }>>>
  /** Function node → `this.options.host = v` written in it, by `options.host` (defaults filled into a stored object). */
  thisPropWrites: Map<AnyNode, Map<string, Array<{ value: AnyNode | null; scope: Scope }>>>
  /** Function node → `Object.assign(this, …)` calls in it. */
  thisMerges: Map<AnyNode, Array<{ node: AnyNode; scope: Scope }>>
  /** Owner (class node or ES5 constructor) → its methods. */
  methodsOf: Map<AnyNode, AnyNode[]>
  /** Class node → its constructor function node (an ES5 constructor is its own). */
  ctorOf: Map<AnyNode, AnyNode>
  /** Class node → its `extends` expression and the scope it is evaluated in. */
  superOf: Map<AnyNode, { node: AnyNode; scope: Scope }>
  /** Anonymous function → the name it was assigned to (`const send = (u) => …`). */
  fnNames: Map<AnyNode, string>
  /** Function node → the expressions its `return` statements give (collected by the walk, not searched for). */
  returnsOf: Map<AnyNode, AnyNode[]>
  /** `exports.x = …`, `module.exports = …`, `export const x`… for cross-module folding. */
  exportsAssign: Array<{ name: string | null; value: AnyNode; scope: Scope }>
  exportNames: Map<string, string>
  /** `export … from 'x'`: `names` [exported, imported] pairs, none for `export * from`. */
  reexports: Array<{ spec: string; names?: Array<[string, string]> }>
  /**
   * Calls that may re-export another module in compiled CommonJS: `__exportStar(require('x'), exports)`,
   * `Object.keys(_x).forEach(…)` that copies into `exports` (Babel). Judged when the file is summarised.
   */
  exportCalls: Array<{ node: AnyNode; scope: Scope }>
}

// Most scopes (blocks, loops, small functions) declare nothing: they share this empty table until they do.
const NO_VARS: Map<string, Binding> = new Map()
// Most bindings are never reassigned: they share this (frozen) empty list until they are.
const NO_ASSIGNMENTS: Binding['assignments'] = Object.freeze([]) as unknown as Binding['assignments']

type BindingFields = Omit<Binding, 'assignments' | 'opaqueWrite'>

/**
 * Every binding gets all fields, in one order: one hidden class for all of them keeps property reads
 * in lookups and folding monomorphic (spread-built objects had a dozen shapes).
 */
function newBinding(f: BindingFields): Binding {
  return {
    name: f.name, kind: f.kind, declScope: f.declScope, node: f.node, init: f.init, path: f.path,
    defaultValue: f.defaultValue, fn: f.fn, paramIndex: f.paramIndex, importSource: f.importSource,
    imported: f.imported, assignments: NO_ASSIGNMENTS, opaqueWrite: false,
  }
}

function addAssignment(b: Binding, value: AnyNode, scope: Scope): void {
  if (b.assignments === NO_ASSIGNMENTS) b.assignments = []
  b.assignments.push({ value, scope })
}

function newScope(parent: Scope | null, fn: AnyNode | null, isFunctionScope: boolean): Scope {
  return { parent, vars: NO_VARS, fn, isFunctionScope }
}

/** The function whose `this` code in `s` sees: the nearest enclosing function that is not an arrow. */
export function thisFunctionOf(s: Scope): AnyNode | null {
  let cur: Scope | null = s
  for (let hops = 0; cur && cur.fn && hops < 64; hops++) {
    if (cur.fn.type === 'ArrowFunctionExpression') { cur = cur.parent; continue }
    const from = THIS_FROM.get(cur.fn)
    if (!from) break
    cur = from
  }
  return cur?.fn ?? null
}

/**
 * Functions handed to a helper together with `this` (`__awaiter(this, …, function () {…})`, `__generator(_this,
 * function (_a) {…})`: TypeScript's downlevelled async code): the helper calls them with that `this`, so they see
 * the `this` of the scope given here.
 */
const THIS_FROM = new WeakMap<AnyNode, Scope>()

function functionScopeOf(s: Scope): Scope {
  let cur = s
  while (!cur.isFunctionScope && cur.parent) cur = cur.parent
  return cur
}

// The last lookup and its answer: a call's callee root is looked up to see whether it is worth folding,
// then again to fold it. Any declaration forgets it, and so does the end of each file's analysis
// (forgetLastLookup), so it never keeps a finished file's scopes alive.
let lastScope: Scope | null = null
let lastName = ''
let lastFound: Binding | undefined

export function lookup(scope: Scope, name: string): Binding | undefined {
  if (scope === lastScope && name === lastName) return lastFound
  let found: Binding | undefined
  for (let s: Scope | null = scope; s; s = s.parent) {
    const vars = s.vars
    // Most scopes on a chain declare nothing (they share NO_VARS): skip them without hashing the name.
    if (vars === NO_VARS) continue
    found = vars.get(name)
    if (found) break
  }
  lastScope = scope
  lastName = name
  lastFound = found
  return found
}

export function forgetLastLookup(): void {
  lastScope = null
  lastFound = undefined
}

function declare(target: Scope, b: BindingFields): void {
  forgetLastLookup()
  const existing = target.vars.get(b.name)
  if (existing && existing.kind !== 'param') {
    // `var x = a; var x = b;` — the second declaration is a write.
    if (b.init) addAssignment(existing, b.init, b.declScope)
    return
  }
  if (target.vars === NO_VARS) target.vars = new Map()
  target.vars.set(b.name, newBinding(b))
}

/** Declares every name in a binding pattern, recording its path into `init`. */
function declarePattern(
  pattern: AnyNode,
  kind: BindingKind,
  target: Scope,
  declScope: Scope,
  init: AnyNode | undefined,
  path: string[],
  extra: Partial<Binding>,
  later: Array<[AnyNode, Scope]>,
): void {
  // Patterns nest shallowly in practice; an explicit stack keeps hostile input safe anyway.
  const stack: Array<[AnyNode, string[], AnyNode | undefined]> = [[pattern, path, undefined]]
  while (stack.length) {
    const [p, pth, dflt] = stack.pop()!
    if (!p) continue
    switch (p.type) {
      case 'Identifier':
        declare(target, { name: p.name, kind, declScope, node: p, init, path: pth.length ? pth : undefined, defaultValue: dflt, ...extra })
        break
      case 'ObjectPattern':
        for (const prop of p.properties) {
          if (prop.type === 'RestElement') { stack.push([prop.argument, [...pth, '…'], undefined]); continue }
          let key: string
          if (!prop.computed && prop.key.type === 'Identifier') key = prop.key.name
          else if (prop.key.type === 'Literal') key = String(prop.key.value)
          else { key = '?'; later.push([prop.key, declScope]) }
          stack.push([prop.value, [...pth, key], undefined])
        }
        break
      case 'ArrayPattern':
        p.elements.forEach((el: AnyNode | null, i: number) => {
          if (el) stack.push([el.type === 'RestElement' ? el.argument : el, [...pth, el.type === 'RestElement' ? '…' : String(i)], undefined])
        })
        break
      case 'AssignmentPattern':
        later.push([p.right, declScope])
        stack.push([p.left, pth, p.right])
        break
      case 'RestElement':
        stack.push([p.argument, [...pth, '…'], undefined])
        break
      default:
        // MemberExpression targets only occur in assignment patterns; walk them as expressions.
        later.push([p, declScope])
    }
  }
}

/** Marks every identifier written by an assignment pattern as opaquely written. */
function patternNames(p: AnyNode, out: string[]): void {
  const stack = [p]
  while (stack.length) {
    const n = stack.pop()
    if (!n) continue
    if (n.type === 'Identifier') out.push(n.name)
    else if (n.type === 'ObjectPattern') for (const pr of n.properties) stack.push(pr.type === 'RestElement' ? pr.argument : pr.value)
    else if (n.type === 'ArrayPattern') for (const el of n.elements) stack.push(el)
    else if (n.type === 'AssignmentPattern') stack.push(n.left)
    else if (n.type === 'RestElement') stack.push(n.argument)
  }
}

function isUrlLike(s: string): boolean {
  return s.length > 4 && s.length < 4096 && (s.includes('://') || s.startsWith('//'))
}

/** Walks the program once and returns everything detectors and folding need. */
export function collectFacts(ast: AnyNode): FileFacts {
  return new FactsWalker(ast).run()
}

type Write = { scope: Scope; name: string; value: AnyNode | null }

/**
 * The walk behind collectFacts: a small loop and one small method per node type (see HANDLERS), not one
 * big switch. V8 took ~100 ms to compile the big switch, and on a 20 MB bundle threw that code away five
 * times as node shapes it had not seen turned up (634 ms of compiling, the walk interpreted meanwhile).
 */
class FactsWalker {
  readonly facts: FileFacts
  private readonly writes: Write[] = []
  private readonly protoMethods: Array<{ owner: string; scope: Scope; fn: AnyNode }> = []
  // Two parallel stacks instead of tuples: the loop runs once per AST node, so allocation matters.
  private readonly nodes: AnyNode[]
  private readonly scopes: Scope[]

  constructor(ast: AnyNode) {
    const program = newScope(null, null, true)
    this.facts = {
      program,
      candidateNodes: [],
      candidateScopes: [],
      fnScopes: new Map(),
      thenImports: new Map(),
      itemCallbacks: new Map(),
      classOf: new Map(),
      classFields: new Map(),
      thisWrites: new Map(),
      thisMerges: new Map(),
      thisPropWrites: new Map(),
      methodsOf: new Map(),
      ctorOf: new Map(),
      superOf: new Map(),
      fnNames: new Map(),
      exportsAssign: [],
      exportNames: new Map(),
      returnsOf: new Map(),
      reexports: [],
      exportCalls: [],
    }
    this.nodes = [ast]
    this.scopes = [program]
  }

  run(): FileFacts {
    const nodes = this.nodes
    const scopes = this.scopes
    while (nodes.length) {
      const node = nodes.pop()!
      const scope = scopes.pop()!
      // A call through a table, not a switch: the call site sees every handler, so V8 inlines none of
      // them and this loop stays small. Inlined, each handler meeting a node shape it had not seen yet
      // threw the whole loop's optimised code away (12 times on a 20 MB bundle).
      const handle = HANDLERS[node.type]
      if (handle) handle(this, node, scope)
      else this.generic(node, scope)
    }
    for (const w of this.writes) {
      const b = lookup(w.scope, w.name)
      if (!b) continue
      if (w.value) addAssignment(b, w.value, w.scope)
      else b.opaqueWrite = true
    }
    // ES5 classes: `X.prototype.m = function` makes m a method of the constructor function X.
    for (const p of this.protoMethods) {
      const b = lookup(p.scope, p.owner)
      const ctor = b?.kind === 'function' ? b.fn : b && !b.path && (b.init?.type === 'FunctionExpression') ? b.init : undefined
      if (!ctor || this.facts.classOf.has(p.fn)) continue
      this.facts.classOf.set(p.fn, ctor)
      this.facts.ctorOf.set(ctor, ctor)
      const list = this.facts.methodsOf.get(ctor)
      if (list) list.push(p.fn)
      else this.facts.methodsOf.set(ctor, [p.fn])
    }
    return this.facts
  }

  // Names are a third of all nodes and there is nothing to collect from one: they are not stacked at all.
  push(n: AnyNode | null | undefined, s: Scope): void {
    if (n && n.type !== 'Identifier') { this.nodes.push(n); this.scopes.push(s) }
  }

  pushAll(arr: Array<AnyNode | null>, s: Scope): void {
    for (let i = arr.length - 1; i >= 0; i--) {
      const n = arr[i]
      if (n && n.type !== 'Identifier') { this.nodes.push(n); this.scopes.push(s) }
    }
  }

  private pushLater(later: Array<[AnyNode, Scope]>): void {
    for (const [n, s] of later) this.push(n, s)
  }

  candidate(n: AnyNode, s: Scope): void {
    this.facts.candidateNodes.push(n)
    this.facts.candidateScopes.push(s)
  }

  member(node: AnyNode, scope: Scope): void {
    if (node.computed) {
      this.candidate(node, scope)
      this.push(node.property, scope)
    }
    this.push(node.object, scope)
  }

  call(node: AnyNode, scope: Scope): void {
    this.candidate(node, scope)
    const c0 = node.callee
    const args0 = node.arguments
    // Not `f.call(this, function () {})`: there the function is an argument of f, which may call it with any `this`.
    if (args0.length >= 2 && args0.length <= 4 && args0[args0.length - 1].type === 'FunctionExpression' && !(c0.type === 'MemberExpression' && !c0.computed && (c0.property.name === 'call' || c0.property.name === 'apply'))) this.thisPassing(args0, scope)
    if (args0.length >= 1 && args0.length <= 3) this.exportCall(node, scope)
    if (c0.type === 'MemberExpression' && !c0.computed && c0.property.name === 'assign' && c0.object.type === 'Identifier' && c0.object.name === 'Object' && node.arguments[0]?.type === 'ThisExpression') {
      const fn = thisFunctionOf(scope)
      if (fn) {
        const list = this.facts.thisMerges.get(fn)
        if (list) list.push({ node, scope })
        else this.facts.thisMerges.set(fn, [{ node, scope }])
      }
    }
    // `import('x').then((m) => …)`: remember that m is the module.
    const cal = node.callee
    if (cal.type === 'MemberExpression' && !cal.computed && cal.property.name === 'then' && cal.object.type === 'ImportExpression') {
      const cb = node.arguments[0]
      if (cb && (cb.type === 'ArrowFunctionExpression' || cb.type === 'FunctionExpression')) this.facts.thenImports.set(cb, cal.object)
    }
    // `urls.map((url) => fetch(url))`: the callback's first parameter is each element of `urls` in turn.
    if (cal.type === 'MemberExpression' && !cal.computed && ITEM_METHODS.has(cal.property.name)) {
      const cb = node.arguments[0]
      if (cb && (cb.type === 'ArrowFunctionExpression' || cb.type === 'FunctionExpression') && cb.params.length) this.facts.itemCallbacks.set(cb, { node: cal.object, scope })
    }
    this.pushAll(node.arguments, scope)
    this.push(node.callee, scope)
  }

  /** `helper(this, …, function () { this.x })`, or `_this` for `var _this = this`: see THIS_FROM. */
  private thisPassing(args: AnyNode[], scope: Scope): void {
    const a0 = args[0]
    const fn = args[args.length - 1]
    if (a0.type === 'ThisExpression') THIS_FROM.set(fn, scope)
    else if (a0.type === 'Identifier') {
      const b = lookup(scope, a0.name)
      if (b && !b.path && b.init?.type === 'ThisExpression' && b.kind !== 'param') THIS_FROM.set(fn, b.declScope)
    }
  }

  literal(node: AnyNode, scope: Scope): void {
    if (typeof node.value === 'string' && isUrlLike(node.value)) this.candidate(node, scope)
  }

  block(node: AnyNode, scope: Scope): void {
    // A block needs its own scope only when it declares something block-scoped.
    const s = node.body.some(declaresInBlock) ? newScope(scope, scope.fn, false) : scope
    this.pushAll(node.body, s)
  }

  fn(node: AnyNode, scope: Scope): void {
    const fs = newScope(scope, node, true)
    this.facts.fnScopes.set(node, fs)
    if (node.id) {
      if (node.type === 'FunctionDeclaration') declare(functionScopeOf(scope), { name: node.id.name, kind: 'function', declScope: scope, node: node.id, fn: node })
      else declare(fs, { name: node.id.name, kind: 'function', declScope: scope, node: node.id, fn: node })
    }
    const params: AnyNode[] = node.params
    let later: Array<[AnyNode, Scope]> | undefined
    for (let i = 0; i < params.length; i++) {
      const p = params[i]
      // Plain `(a, b)` parameters are most of them: no pattern machinery needed.
      if (p.type === 'Identifier') declare(fs, { name: p.name, kind: 'param', declScope: fs, node: p, fn: node, paramIndex: i })
      else declarePattern(p, 'param', fs, fs, undefined, [], { fn: node, paramIndex: i }, (later ??= []))
    }
    if (later) this.pushLater(later)
    if (node.body.type === 'BlockStatement') this.pushAll(node.body.body, fs)
    else this.push(node.body, fs)
  }

  variables(node: AnyNode, scope: Scope): void {
    const kind = node.kind === 'var' ? 'var' : node.kind === 'const' ? 'const' : 'let'
    const target = kind === 'var' ? functionScopeOf(scope) : scope
    for (const d of node.declarations) {
      if (d.id.type === 'Identifier') {
        // `var x = …`: most declarations; no pattern machinery needed.
        declare(target, { name: d.id.name, kind, declScope: scope, node: d.id, init: d.init ?? undefined })
        if (d.init && (d.init.type === 'ArrowFunctionExpression' || d.init.type === 'FunctionExpression')) this.facts.fnNames.set(d.init, d.id.name)
      } else {
        const later: Array<[AnyNode, Scope]> = []
        declarePattern(d.id, kind, target, scope, d.init ?? undefined, [], {}, later)
        this.pushLater(later)
      }
      this.push(d.init, scope)
    }
  }

  cls(node: AnyNode, scope: Scope): void {
    const facts = this.facts
    if (node.id && node.type === 'ClassDeclaration') declare(scope, { name: node.id.name, kind: 'class', declScope: scope, node: node.id, fn: node })
    this.push(node.superClass, scope)
    if (node.superClass) facts.superOf.set(node, { node: node.superClass, scope })
    const cs = newScope(scope, scope.fn, false)
    if (node.id && node.type === 'ClassExpression') declare(cs, { name: node.id.name, kind: 'class', declScope: scope, node: node.id, fn: node })
    const fields = new Map<string, { value: AnyNode; scope: Scope }>()
    facts.classFields.set(node, fields)
    const methods: AnyNode[] = []
    facts.methodsOf.set(node, methods)
    for (const el of node.body.body) {
      if (el.computed) this.push(el.key, cs)
      if (el.type === 'StaticBlock') { this.push(el, cs); continue }
      const keyName = !el.computed && el.key ? (el.key.type === 'Identifier' || el.key.type === 'PrivateIdentifier' ? (el.key.type === 'PrivateIdentifier' ? '#' : '') + el.key.name : el.key.type === 'Literal' ? String(el.key.value) : undefined) : undefined
      if (el.type === 'MethodDefinition' && el.value) {
        facts.classOf.set(el.value, node)
        methods.push(el.value)
        if (el.kind === 'constructor') facts.ctorOf.set(node, el.value)
        else if (keyName && !el.static) facts.fnNames.set(el.value, keyName)
      } else if (el.type === 'PropertyDefinition' && !el.static && keyName && el.value) {
        fields.set(keyName, { value: el.value, scope: cs })
      }
      this.push(el.value, cs)
    }
  }

  importDecl(node: AnyNode, scope: Scope): void {
    this.candidate(node, scope)
    const program = this.facts.program
    const source = String(node.source.value)
    for (const spec of node.specifiers) {
      const imported = spec.type === 'ImportDefaultSpecifier' ? 'default' : spec.type === 'ImportNamespaceSpecifier' ? '*' : spec.imported.type === 'Identifier' ? spec.imported.name : String(spec.imported.value)
      declare(program, { name: spec.local.name, kind: 'import', declScope: program, node: spec.local, importSource: source, imported })
    }
  }

  exportNamed(node: AnyNode, scope: Scope): void {
    const exportNames = this.facts.exportNames
    if (node.declaration) {
      this.push(node.declaration, scope)
      const d = node.declaration
      if (d.type === 'VariableDeclaration') for (const v of d.declarations) { const names: string[] = []; patternNames(v.id, names); for (const n of names) exportNames.set(n, n) }
      else if (d.id) exportNames.set(d.id.name, d.id.name)
    }
    const names: Array<[string, string]> = []
    for (const spec of node.specifiers ?? []) {
      const exported = spec.exported.name ?? String(spec.exported.value)
      if (node.source) names.push([exported, spec.local.name ?? String(spec.local.value)])
      else if (spec.local.type === 'Identifier') exportNames.set(exported, spec.local.name)
    }
    if (node.source) this.facts.reexports.push({ spec: String(node.source.value), names })
  }

  exportAll(node: AnyNode): void {
    const spec = String(node.source.value)
    if (node.exported) this.facts.reexports.push({ spec, names: [[node.exported.name ?? String(node.exported.value), '*']] })
    else this.facts.reexports.push({ spec })
  }

  exportDefault(node: AnyNode, scope: Scope): void {
    const d = node.declaration
    if (d.type === 'Identifier') this.facts.exportNames.set('default', d.name)
    else if ((d.type === 'ClassDeclaration' || d.type === 'FunctionDeclaration') && d.id) this.facts.exportNames.set('default', d.id.name)
    else this.facts.exportsAssign.push({ name: 'default', value: node.declaration, scope })
    this.push(node.declaration, scope)
  }

  catchClause(node: AnyNode, scope: Scope): void {
    const s = newScope(scope, scope.fn, false)
    if (node.param) {
      const later: Array<[AnyNode, Scope]> = []
      declarePattern(node.param, 'catch', s, s, undefined, [], {}, later)
      this.pushLater(later)
    }
    this.pushAll(node.body.body, s)
  }

  forLoop(node: AnyNode, scope: Scope): void {
    const s = newScope(scope, scope.fn, false)
    this.push(node.body, s)
    this.push(node.update, s)
    this.push(node.test, s)
    this.push(node.right, s)
    const left = node.init ?? node.left
    if (left?.type === 'VariableDeclaration' && node.type === 'ForOfStatement' && left.kind !== 'var' && left.declarations.length === 1) {
      // `for (const url of urls)`: url is each element of urls in turn (folded as the worst of them); a `let`
      // written in the body takes those values too.
      const later: Array<[AnyNode, Scope]> = []
      declarePattern(left.declarations[0].id, left.kind === 'const' ? 'const' : 'let', s, scope, node.right, [ANY_ELEMENT], {}, later)
      this.pushLater(later)
    } else if (left?.type === 'VariableDeclaration' && node.type !== 'ForStatement') {
      // `for (const k in o)`, `for (var x of xs)`: x takes many values; never fold it.
      const target = left.kind === 'var' ? functionScopeOf(scope) : s
      for (const d of left.declarations) {
        const names: string[] = []
        patternNames(d.id, names)
        for (const n of names) {
          declare(target, { name: n, kind: left.kind === 'const' ? 'let' : left.kind, declScope: s, node: d.id })
          this.writes.push({ scope: s, name: n, value: null })
        }
      }
    } else if (left && node.type !== 'ForStatement' && left.type !== 'VariableDeclaration') {
      const names: string[] = []
      patternNames(left, names)
      for (const n of names) this.writes.push({ scope: s, name: n, value: null })
      if (left.type === 'MemberExpression') this.push(left, s)
    } else this.push(left, s)
  }

  switchStatement(node: AnyNode, scope: Scope): void {
    this.push(node.discriminant, scope)
    const s = newScope(scope, scope.fn, false)
    for (let i = node.cases.length - 1; i >= 0; i--) {
      const c = node.cases[i]
      this.pushAll(c.consequent, s)
      this.push(c.test, s)
    }
  }

  assignment(node: AnyNode, scope: Scope): void {
    const left = node.left
    if (left.type === 'Identifier') {
      this.writes.push({ scope, name: left.name, value: node.operator === '=' ? node.right : null })
    } else if (left.type === 'MemberExpression') {
      this.candidate(node, scope)
      recordExportAssign(node, scope, this.facts)
      if (left.object.type === 'ThisExpression' && !left.computed && scope.fn) this.thisField(node, scope)
      else if (!left.computed) {
        this.prototypeMethods(node, scope)
        const o = left.object
        if (o.type === 'MemberExpression' && !o.computed && o.object.type === 'ThisExpression' && o.property.type === 'Identifier' && left.property.type === 'Identifier' && scope.fn) this.thisPropWrite(node, scope)
      }
      this.push(left.object, scope)
      if (left.computed) this.push(left.property, scope)
    } else {
      const names: string[] = []
      patternNames(left, names)
      for (const n of names) this.writes.push({ scope, name: n, value: null })
      pushPatternExpressions(left, scope, (n, s) => this.push(n, s))
    }
    this.push(node.right, scope)
  }

  update(node: AnyNode, scope: Scope): void {
    if (node.argument.type === 'Identifier') this.writes.push({ scope, name: node.argument.name, value: null })
    else this.push(node.argument, scope)
  }

  /** CommonJS export shapes compilers write as calls (see FileFacts.exportCalls and recordDefineExport). */
  private exportCall(node: AnyNode, scope: Scope): void {
    const args = node.arguments
    const c = node.callee
    if (c.type === 'MemberExpression' && !c.computed && c.property.name === 'defineProperty' && c.object.type === 'Identifier' && c.object.name === 'Object') {
      recordDefineExport(node, scope, this.facts)
      return
    }
    const isExportsObj = (n: AnyNode | undefined) => !!n && ((n.type === 'Identifier' && n.name === 'exports') || (n.type === 'MemberExpression' && !n.computed && n.object.type === 'Identifier' && n.object.name === 'module' && n.property.name === 'exports'))
    // `__exportStar(require('./x'), exports)`, `tslib.__exportStar(m, exports)`; `__export(require('./x'))` (old TypeScript).
    if ((args.length === 2 && isExportsObj(args[1])) || (args.length === 1 && ((c.type === 'Identifier' && c.name === '__export') || (c.type === 'MemberExpression' && !c.computed && c.property.name === '__export')))) {
      this.facts.exportCalls.push({ node, scope })
      return
    }
    // Babel: `Object.keys(_x).forEach(function (key) { … exports[key] … })`.
    if (c.type === 'MemberExpression' && !c.computed && c.property.name === 'forEach' && c.object.type === 'CallExpression') {
      const inner = c.object
      if (inner.callee.type === 'MemberExpression' && !inner.callee.computed && inner.callee.property.name === 'keys' && inner.arguments[0]?.type === 'Identifier') {
        const cb = args[0]
        if (cb && (cb.type === 'FunctionExpression' || cb.type === 'ArrowFunctionExpression') && mentionsExports(cb)) this.facts.exportCalls.push({ node: inner, scope })
      }
    }
  }

  /** `this.x = v` in a function (a constructor, a method, an ES5 constructor): what `this.x` can hold. */
  private thisField(node: AnyNode, scope: Scope): void {
    const fn = thisFunctionOf(scope)
    if (!fn) return
    const left = node.left
    const key = (left.property.type === 'PrivateIdentifier' ? '#' : '') + left.property.name
    let writes = this.facts.thisWrites.get(fn)
    if (!writes) this.facts.thisWrites.set(fn, (writes = new Map()))
    const entry = { value: node.operator === '=' ? node.right as AnyNode : null, scope }
    const list = writes.get(key)
    if (list) list.push(entry)
    else writes.set(key, [entry])
  }

  /** `this.options.host = this.options.host || DEFAULT_HOST`: a default filled into an object the instance keeps. */
  private thisPropWrite(node: AnyNode, scope: Scope): void {
    const fn = thisFunctionOf(scope)
    if (!fn) return
    const key = `${node.left.object.property.name}.${node.left.property.name}`
    let writes = this.facts.thisPropWrites.get(fn)
    if (!writes) this.facts.thisPropWrites.set(fn, (writes = new Map()))
    const entry = { value: node.operator === '=' ? node.right as AnyNode : null, scope }
    const list = writes.get(key)
    if (list) list.push(entry)
    else writes.set(key, [entry])
  }

  /** `X.prototype.m = function…` and `X.prototype = { m: function… }`: ES5 methods, tied to X once names are known. */
  private prototypeMethods(node: AnyNode, scope: Scope): void {
    const left = node.left
    const right = node.right
    const isFn = (n: AnyNode | undefined) => !!n && (n.type === 'FunctionExpression' || n.type === 'ArrowFunctionExpression')
    const obj = left.object
    if (obj.type === 'MemberExpression' && !obj.computed && obj.property.name === 'prototype' && obj.object.type === 'Identifier' && isFn(right)) {
      this.protoMethods.push({ owner: obj.object.name, scope, fn: right })
      this.facts.fnNames.set(right, left.property.name)
    } else if (left.property.name === 'prototype' && obj.type === 'Identifier' && right.type === 'ObjectExpression') {
      for (const p of right.properties) {
        if (p.type !== 'Property' || p.computed || !isFn(p.value)) continue
        this.protoMethods.push({ owner: obj.name, scope, fn: p.value })
        const k = p.key.type === 'Identifier' ? p.key.name : String(p.key.value)
        this.facts.fnNames.set(p.value, k)
      }
    }
  }

  returnStatement(node: AnyNode, scope: Scope): void {
    const fn = scope.fn
    if (fn && node.argument) {
      const list = this.facts.returnsOf.get(fn)
      if (list) list.push(node.argument)
      else this.facts.returnsOf.set(fn, [node.argument])
    }
    this.push(node.argument, scope)
  }

  template(node: AnyNode, scope: Scope): void {
    if (node.quasis.some((q: AnyNode) => isUrlLike(q.value.cooked ?? q.value.raw))) this.candidate(node, scope)
    this.pushAll(node.expressions, scope)
  }

  /** Every child node in field order (the node types without a case above). */
  generic(node: AnyNode, scope: Scope): void {
    for (const key in node) {
      if (key === 'type' || key === 'start' || key === 'end') continue
      const v = node[key]
      if (v && typeof v === 'object') {
        if (Array.isArray(v)) { for (let i = v.length - 1; i >= 0; i--) if (v[i] && typeof v[i].type === 'string') this.push(v[i], scope) }
        else if (typeof v.type === 'string') this.push(v, scope)
      }
    }
  }
}


/** Array methods whose callback gets each element as its first argument. */
const ITEM_METHODS = new Set(['map', 'forEach', 'filter', 'flatMap', 'some', 'every', 'find', 'findLast', 'findIndex', 'findLastIndex'])

type Handler = (w: FactsWalker, node: AnyNode, scope: Scope) => void
const leaf: Handler = () => {}
// A plain object literal (fast properties); keys are acorn's node types only.
const HANDLERS: Record<string, Handler> = {
  Identifier: leaf, ThisExpression: leaf, Super: leaf, EmptyStatement: leaf, DebuggerStatement: leaf, BreakStatement: leaf,
  ContinueStatement: leaf, MetaProperty: leaf, PrivateIdentifier: leaf, TemplateElement: leaf, ExportAllDeclaration: (w, n) => w.exportAll(n),
  MemberExpression: (w, n, s) => w.member(n, s),
  CallExpression: (w, n, s) => w.call(n, s),
  NewExpression: (w, n, s) => w.call(n, s),
  Literal: (w, n, s) => w.literal(n, s),
  Property: (w, n, s) => { if (n.computed) w.push(n.key, s); w.push(n.value, s) },
  ImportExpression: (w, n, s) => { w.candidate(n, s); w.push(n.source, s); w.push(n.options, s) },
  Program: (w, n, s) => w.pushAll(n.body, s),
  ExpressionStatement: (w, n, s) => w.push(n.expression, s),
  ChainExpression: (w, n, s) => w.push(n.expression, s),
  ParenthesizedExpression: (w, n, s) => w.push(n.expression, s),
  BlockStatement: (w, n, s) => w.block(n, s),
  StaticBlock: (w, n, s) => w.block(n, s),
  IfStatement: (w, n, s) => { w.push(n.alternate, s); w.push(n.consequent, s); w.push(n.test, s) },
  ConditionalExpression: (w, n, s) => { w.push(n.alternate, s); w.push(n.consequent, s); w.push(n.test, s) },
  ReturnStatement: (w, n, s) => w.returnStatement(n, s),
  ThrowStatement: (w, n, s) => w.push(n.argument, s),
  SpreadElement: (w, n, s) => w.push(n.argument, s),
  AwaitExpression: (w, n, s) => w.push(n.argument, s),
  YieldExpression: (w, n, s) => w.push(n.argument, s),
  UnaryExpression: (w, n, s) => w.push(n.argument, s),
  BinaryExpression: (w, n, s) => { w.push(n.right, s); w.push(n.left, s) },
  LogicalExpression: (w, n, s) => { w.push(n.right, s); w.push(n.left, s) },
  ObjectExpression: (w, n, s) => w.pushAll(n.properties, s),
  ArrayExpression: (w, n, s) => w.pushAll(n.elements, s),
  SequenceExpression: (w, n, s) => w.pushAll(n.expressions, s),
  FunctionDeclaration: (w, n, s) => w.fn(n, s),
  FunctionExpression: (w, n, s) => w.fn(n, s),
  ArrowFunctionExpression: (w, n, s) => w.fn(n, s),
  VariableDeclaration: (w, n, s) => w.variables(n, s),
  ClassDeclaration: (w, n, s) => w.cls(n, s),
  ClassExpression: (w, n, s) => w.cls(n, s),
  ImportDeclaration: (w, n, s) => w.importDecl(n, s),
  ExportNamedDeclaration: (w, n, s) => w.exportNamed(n, s),
  ExportDefaultDeclaration: (w, n, s) => w.exportDefault(n, s),
  CatchClause: (w, n, s) => w.catchClause(n, s),
  ForStatement: (w, n, s) => w.forLoop(n, s),
  ForInStatement: (w, n, s) => w.forLoop(n, s),
  ForOfStatement: (w, n, s) => w.forLoop(n, s),
  SwitchStatement: (w, n, s) => w.switchStatement(n, s),
  AssignmentExpression: (w, n, s) => w.assignment(n, s),
  UpdateExpression: (w, n, s) => w.update(n, s),
  TemplateLiteral: (w, n, s) => w.template(n, s),
}

function declaresInBlock(st: AnyNode): boolean {
  return (st.type === 'VariableDeclaration' && st.kind !== 'var') || st.type === 'ClassDeclaration' || st.type === 'FunctionDeclaration'
}

function pushPatternExpressions(p: AnyNode, scope: Scope, push: (n: AnyNode, s: Scope) => void): void {
  const stack = [p]
  while (stack.length) {
    const n = stack.pop()
    if (!n) continue
    if (n.type === 'MemberExpression') push(n, scope)
    else if (n.type === 'ObjectPattern') for (const pr of n.properties) { if (pr.computed) push(pr.key, scope); stack.push(pr.type === 'RestElement' ? pr.argument : pr.value) }
    else if (n.type === 'ArrayPattern') for (const el of n.elements) stack.push(el)
    else if (n.type === 'AssignmentPattern') { stack.push(n.left); push(n.right, scope) }
    else if (n.type === 'RestElement') stack.push(n.argument)
  }
}

/** Whether a function's body writes to `exports` (cheap scan of its text-free AST, bounded). */
function mentionsExports(fn: AnyNode): boolean {
  const stack: AnyNode[] = [fn.body]
  let seen = 0
  while (stack.length && seen++ < 300) {
    const n = stack.pop()!
    if (!n || typeof n.type !== 'string') continue
    if (n.type === 'Identifier' && n.name === 'exports') return true
    pushChildren(n, stack)
  }
  return false
}

/**
 * `Object.defineProperty(exports, 'x', { enumerable: true, get: function () { return m.x } })` (TypeScript and
 * Babel re-exports) and `{ value: v }`: an export named x.
 */
function recordDefineExport(node: AnyNode, scope: Scope, facts: FileFacts): void {
  const [target, key, desc] = node.arguments
  const isExports = target && ((target.type === 'Identifier' && target.name === 'exports') || (target.type === 'MemberExpression' && !target.computed && target.object.type === 'Identifier' && target.object.name === 'module' && target.property.name === 'exports'))
  if (!isExports || key?.type !== 'Literal' || typeof key.value !== 'string' || desc?.type !== 'ObjectExpression') return
  if (key.value === '__esModule') return
  for (const p of desc.properties) {
    if (p.type !== 'Property' || p.computed) continue
    const k = p.key.type === 'Identifier' ? p.key.name : String(p.key.value)
    if (k === 'value') { facts.exportsAssign.push({ name: key.value, value: p.value, scope }); return }
    if (k === 'get' && (p.value.type === 'FunctionExpression' || p.value.type === 'ArrowFunctionExpression')) {
      const body = p.value.body
      const ret = body.type === 'BlockStatement' ? body.body.find((st: AnyNode) => st.type === 'ReturnStatement')?.argument : body
      if (ret) facts.exportsAssign.push({ name: key.value, value: ret, scope: facts.fnScopes.get(p.value) ?? scope })
      return
    }
  }
}

/** `exports.x = v`, `module.exports.x = v`, `module.exports = v` (CommonJS exports). */
function recordExportAssign(node: AnyNode, scope: Scope, facts: FileFacts): void {
  const left = node.left
  const obj = left.object
  const prop = !left.computed && left.property.type === 'Identifier' ? left.property.name : null
  if (obj.type === 'Identifier' && obj.name === 'module' && prop === 'exports') {
    facts.exportsAssign.push({ name: null, value: node.right, scope })
  } else if (prop && ((obj.type === 'Identifier' && obj.name === 'exports') ||
    (obj.type === 'MemberExpression' && !obj.computed && obj.object.type === 'Identifier' && obj.object.name === 'module' && obj.property.name === 'exports'))) {
    facts.exportsAssign.push({ name: prop, value: node.right, scope })
  }
}
