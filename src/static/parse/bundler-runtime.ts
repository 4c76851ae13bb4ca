// Recognises the runtime helpers bundlers put in published library dists by what they do, not by their names
// (webpack and rspack write `__webpack_require__`, minified copies `n`): a require-like function that looks a
// module factory up in a table and returns `module.exports`, a function that defines getters on an exports
// object, a loop that copies every key of one module onto another, and the `Object.assign` helper compilers
// emit (`__assign`, `_extends`). Pure AST checks, bounded; the Folder gives them meaning.
import type { AnyNode } from './scope.ts'
import { pushChildren, returnedExpressions } from './ast.ts'

const MAX_RUNTIME_STATEMENTS = 12
const MAX_WALK = 400
const NESTED = /^(FunctionExpression|FunctionDeclaration|ArrowFunctionExpression|ClassExpression|ClassDeclaration)$/

const tableMemo = new WeakMap<AnyNode, AnyNode | null>()

/**
 * For a require-like function `(id) => { …; TABLE[id](module, module.exports, require); return module.exports }`
 * (webpack, rspack; `TABLE[id].call(module.exports, module, module.exports, require)`; minified too), the TABLE
 * expression; undefined for any other function. The factory gets the module object, its exports and the
 * require function, in that order.
 */
export function moduleTableOf(fn: AnyNode): AnyNode | undefined {
  let v = tableMemo.get(fn)
  if (v === undefined) {
    v = findModuleTable(fn) ?? null
    tableMemo.set(fn, v)
  }
  return v ?? undefined
}

function findModuleTable(fn: AnyNode): AnyNode | undefined {
  const p = fn.params?.[0]
  if (fn.params?.length !== 1 || p.type !== 'Identifier' || fn.body?.type !== 'BlockStatement') return undefined
  const body: AnyNode[] = fn.body.body
  if (!body.length || body.length > MAX_RUNTIME_STATEMENTS) return undefined
  // It hands back `X.exports` (a cached module's, or the one just filled in).
  if (!returnedExpressions(fn, MAX_WALK).some((r) => isExportsRead(lastOfSequence(r)))) return undefined
  const id = p.name
  let table: AnyNode | undefined
  walk(body, (n) => {
    if (table || n.type !== 'CallExpression' || n.arguments.length < 2) return
    let c = n.callee
    // `TABLE[id].call(thisArg, module, exports, require)`
    if (c.type === 'MemberExpression' && !c.computed && c.property.name === 'call' && n.arguments.length >= 3) c = c.object
    if (c.type === 'MemberExpression' && c.computed && c.property.type === 'Identifier' && c.property.name === id) {
      // One of the arguments is `module.exports`: the factory fills the module object in.
      if (n.arguments.some((a: AnyNode) => isExportsRead(a))) table = c.object
    }
  })
  return table
}

function isExportsRead(n: AnyNode | undefined): boolean {
  return !!n && n.type === 'MemberExpression' && !n.computed && n.property.name === 'exports'
}

function lastOfSequence(n: AnyNode): AnyNode {
  return n.type === 'SequenceExpression' ? n.expressions[n.expressions.length - 1] : n
}

/** Visits the nodes of `roots` (not nested functions), bounded. */
function walk(roots: AnyNode[], visit: (n: AnyNode) => void, nested = false): void {
  const stack = [...roots]
  let seen = 0
  while (stack.length && seen++ < MAX_WALK) {
    const n = stack.pop()!
    if (!n || typeof n.type !== 'string') continue
    visit(n)
    if (!nested && NESTED.test(n.type)) continue
    pushChildren(n, stack)
  }
}

export type GetterDefiner = 'map' | 'single'
const definerMemo = new WeakMap<AnyNode, GetterDefiner | null>()

/**
 * A function that defines properties on the object it is given: `(exports, getters) => { for (k in getters)
 * Object.defineProperty(exports, k, { get: getters[k] }) }` ('map': webpack 5, rspack's nested `define(defs,
 * kind)` too) or `(exports, name, getter) => Object.defineProperty(exports, name, { get: getter })` ('single':
 * webpack 4).
 */
export function getterDefinerKind(fn: AnyNode): GetterDefiner | undefined {
  let v = definerMemo.get(fn)
  if (v === undefined) {
    v = judgeDefiner(fn) ?? null
    definerMemo.set(fn, v)
  }
  return v ?? undefined
}

function judgeDefiner(fn: AnyNode): GetterDefiner | undefined {
  const ps: AnyNode[] = fn.params ?? []
  if (ps.length < 2 || ps.length > 3 || !ps.every((p) => p.type === 'Identifier')) return undefined
  const body = fn.body
  if (body?.type === 'BlockStatement' && body.body.length > MAX_RUNTIME_STATEMENTS) return undefined
  const target = ps[0].name
  let defines = false
  let loops = false
  let single = false
  walk([body], (n) => {
    if (n.type === 'ForInStatement') loops = true
    if (n.type !== 'CallExpression' || n.arguments.length !== 3) return
    const c = n.callee
    if (c.type !== 'MemberExpression' || c.computed || c.property.name !== 'defineProperty' || c.object.type !== 'Identifier' || c.object.name !== 'Object') return
    const [o, k, d] = n.arguments
    if (o.type !== 'Identifier' || o.name !== target || d.type !== 'ObjectExpression') return
    defines = true
    if (ps.length === 3 && k.type === 'Identifier' && k.name === ps[1].name && d.properties.some((pr: AnyNode) => pr.type === 'Property' && pr.value.type === 'Identifier' && pr.value.name === ps[2].name)) single = true
  }, true)
  if (!defines) return undefined
  if (single) return 'single'
  return loops ? 'map' : undefined
}

/**
 * `R[k] = () => M[k]` or `R[k] = function () { return M[k] }` (a re-export loop copying every key of M as a
 * getter), `R[k] = M[k]` (copying the values): the M expression, else undefined.
 */
export function keyCopySource(assign: AnyNode): AnyNode | undefined {
  const left = assign.left
  if (assign.operator !== '=' || left?.type !== 'MemberExpression' || !left.computed || left.property.type !== 'Identifier') return undefined
  const k = left.property.name
  let r = assign.right
  if (r.type === 'ArrowFunctionExpression' || r.type === 'FunctionExpression') {
    if (r.params.length) return undefined
    const rets = returnedExpressions(r, 20)
    if (rets.length !== 1) return undefined
    r = rets[0]
  }
  if (r.type === 'MemberExpression' && r.computed && r.property.type === 'Identifier' && r.property.name === k) return r.object
  return undefined
}

const assignMemo = new WeakMap<AnyNode, boolean>()

/**
 * The `Object.assign` helper compilers emit: TypeScript's `__assign = function () { __assign = Object.assign ||
 * function (t) {…}; return __assign.apply(this, arguments) }`, Babel's `_extends` — a function that hands its
 * arguments to `Object.assign` (or a copy of it) with `.apply(…, arguments)`.
 */
export function isAssignHelper(fn: AnyNode): boolean {
  let v = assignMemo.get(fn)
  if (v === undefined) {
    v = judgeAssign(fn)
    assignMemo.set(fn, v)
  }
  return v
}

function judgeAssign(fn: AnyNode): boolean {
  const body = fn.body
  if (body?.type !== 'BlockStatement' || body.body.length > 3) return false
  const rets = returnedExpressions(fn, MAX_WALK).map(lastOfSequence)
  if (rets.length !== 1) return false
  const r = rets[0]
  const appliesArguments = r.type === 'CallExpression' && r.callee.type === 'MemberExpression' && !r.callee.computed && r.callee.property.name === 'apply' &&
    r.arguments[1]?.type === 'Identifier' && r.arguments[1].name === 'arguments'
  if (!appliesArguments) return false
  let usesAssign = false
  walk([body], (n) => {
    if (n.type === 'MemberExpression' && !n.computed && n.property.name === 'assign' && n.object.type === 'Identifier' && n.object.name === 'Object') usesAssign = true
  })
  return usesAssign
}
