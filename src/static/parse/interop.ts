// Recognises module interop helpers by what they do, not by their names: TypeScript's __importStar and
// __importDefault, Babel's and SWC's _interopRequireDefault/_interopRequireWildcard, esbuild's __toESM,
// rollup's _interopNamespace — and their minified copies. Each hands back the module it is given, or an
// object that carries it (`{ default: m }`, a namespace copy of its keys), so calling one on a module
// gives that module as far as the analysis is concerned.
import type { AnyNode } from './scope.ts'
import { pushChildren, returnedExpressions } from './ast.ts'

const memo = new WeakMap<AnyNode, boolean>()

/** Functions whose body is larger than this are not helpers (bounds the work on hostile input). */
const MAX_BODY_STATEMENTS = 40
/** Interop helpers are small: a function whose source is longer than this is not one (and is not walked). */
const MAX_HELPER_CHARS = 2500
const MAX_DEPTH = 4

/**
 * True when every value `fn` returns is its first parameter, an object built only from it (`{ default: p }`,
 * a local object its keys are copied into, `Object.freeze` of one), a cache lookup keyed by it, or the
 * result of another such function called with it.
 */
export function isInteropWrapper(fn: AnyNode): boolean {
  let v = memo.get(fn)
  if (v === undefined) {
    memo.set(fn, false) // a helper that calls itself is judged by its other returns
    v = judge(fn, 0)
    memo.set(fn, v)
  }
  return v
}

function judge(fn: AnyNode, depth: number): boolean {
  if (depth > MAX_DEPTH || fn.end - fn.start > MAX_HELPER_CHARS) return false
  const p = fn.params?.[0]
  if (!p || p.type !== 'Identifier') return false
  const param = p.name
  if (fn.body.type === 'BlockStatement' && fn.body.body.length > MAX_BODY_STATEMENTS) return false
  const returns = returnedExpressions(fn, 2000)
  if (!returns.length) return false
  // Local objects filled from the parameter are looked for only when a return names a local (a full walk).
  const needsLocals = returns.some((r) => mentionsLocal(r, param))
  const locals = needsLocals ? localObjectsFilledFrom(fn, param) : new Set<string>()
  return returns.every((r) => carries(r, param, locals, depth))
}

/** Does expression `e` evaluate to the parameter or something built only from it? */
function carries(e: AnyNode | null | undefined, param: string, locals: Set<string>, depth: number): boolean {
  if (!e) return false
  switch (e.type) {
    case 'Identifier':
      return e.name === param || locals.has(e.name)
    case 'ParenthesizedExpression':
      return carries(e.expression, param, locals, depth)
    case 'SequenceExpression':
      return carries(e.expressions[e.expressions.length - 1], param, locals, depth)
    case 'AssignmentExpression':
      // `return n.default = e, n` ends in a sequence; `return (cache = x)` returns x.
      return e.operator === '=' && carries(e.right, param, locals, depth)
    case 'ConditionalExpression':
      return carries(e.consequent, param, locals, depth) && carries(e.alternate, param, locals, depth)
    case 'LogicalExpression':
      return carries(e.right, param, locals, depth) && (carries(e.left, param, locals, depth) || isTest(e.left))
    case 'ObjectExpression':
      // `{ default: e }`, `{ __proto__: null, default: e }`, `{ ...e, default: e }`
      return e.properties.length > 0 && e.properties.every((pr: AnyNode) =>
        pr.type === 'SpreadElement' ? isParam(pr.argument, param) : pr.type === 'Property' && (isParam(pr.value, param) || (keyName(pr) === '__proto__' && pr.value.type === 'Literal')))
    case 'CallExpression': {
      const args: AnyNode[] = e.arguments
      const c = e.callee
      // `Object.freeze(n)` of a namespace object.
      if (c.type === 'MemberExpression' && !c.computed && c.property.name === 'freeze' && args.length === 1) return carries(args[0], param, locals, depth)
      // A cache keyed by the module: `cache.get(e)`.
      if (c.type === 'MemberExpression' && !c.computed && c.property.name === 'get' && args.length === 1 && isParam(args[0], param)) return true
      // Another helper given the module: `(helper = function (e) {…})(e)`, `__copyProps(target, mod)`.
      const passes = args.some((a) => isParam(a, param) || (a.type === 'Identifier' && locals.has(a.name)))
      if (!passes) return false
      const callee = c.type === 'AssignmentExpression' ? c.right : c
      if (callee.type === 'FunctionExpression' || callee.type === 'ArrowFunctionExpression') return judge(callee, depth + 1)
      // A named helper in the same file (`__copyProps(to, from)` returns `to`): accepted when it is called
      // with the module and only the module or objects filled from it, which is what interop code does.
      return callee.type === 'Identifier' && args.every((a) => isParam(a, param) || (a.type === 'Identifier' && locals.has(a.name)) || isInert(a))
    }
    default:
      return false
  }
}

/** Whether a returned expression ends in a name other than the parameter (`return n`, `return (x.d = p, n)`). */
function mentionsLocal(e: AnyNode, param: string): boolean {
  if (e.type === 'Identifier') return e.name !== param
  if (e.type === 'SequenceExpression') return mentionsLocal(e.expressions[e.expressions.length - 1], param)
  if (e.type === 'ParenthesizedExpression') return mentionsLocal(e.expression, param)
  if (e.type === 'ConditionalExpression') return mentionsLocal(e.consequent, param) || mentionsLocal(e.alternate, param)
  if (e.type === 'LogicalExpression') return mentionsLocal(e.right, param) || mentionsLocal(e.left, param)
  if (e.type === 'CallExpression') return e.arguments.some((a: AnyNode) => a.type === 'Identifier' && a.name !== param)
  return false
}

function isParam(n: AnyNode | undefined, param: string): boolean {
  return !!n && n.type === 'Identifier' && n.name === param
}

/** Arguments interop code passes besides the module: flags, property keys, descriptors. */
function isInert(n: AnyNode): boolean {
  return n.type === 'Literal' || n.type === 'Identifier' || (n.type === 'UnaryExpression' && n.argument.type === 'Literal') || n.type === 'ObjectExpression' || n.type === 'ConditionalExpression'
}

/** `e && e.__esModule`, `typeof e === 'object'` … used as a guard before the real value. */
function isTest(n: AnyNode): boolean {
  return n.type === 'BinaryExpression' || n.type === 'UnaryExpression' || n.type === 'MemberExpression' || n.type === 'Identifier' || n.type === 'LogicalExpression'
}

function keyName(pr: AnyNode): string | undefined {
  if (pr.computed) return undefined
  return pr.key.type === 'Identifier' ? pr.key.name : pr.key.type === 'Literal' ? String(pr.key.value) : undefined
}

/**
 * Local variables of `fn` that start as an empty object (or `Object.create(…)`) and into which the module's
 * keys are copied: the function mentions them together with the parameter in a `for…in`, an
 * `Object.keys(p)` loop, a call given both, or `n.default = p`.
 */
function localObjectsFilledFrom(fn: AnyNode, param: string): Set<string> {
  const out = new Set<string>()
  if (fn.body.type !== 'BlockStatement') return out
  const candidates = new Set<string>()
  const filled = new Set<string>()
  let copiesKeys = false
  const stack: AnyNode[] = [fn.body]
  let visited = 0
  while (stack.length && visited++ < 4000) {
    const n = stack.pop()!
    if (!n || typeof n.type !== 'string') continue
    // Callbacks of `Object.keys(e).forEach(function (k) { … })` copy keys too: nested functions are looked into.
    if (n.type === 'VariableDeclarator' && n.id.type === 'Identifier' && n.init && isFreshObject(n.init)) candidates.add(n.id.name)
    if (n.type === 'AssignmentExpression' && n.left.type === 'Identifier' && isFreshObject(n.right)) candidates.add(n.left.name)
    if (n.type === 'ForInStatement' && n.right.type === 'Identifier' && n.right.name === param) copiesKeys = true
    if (n.type === 'CallExpression') {
      const names = n.arguments.filter((a: AnyNode) => a.type === 'Identifier').map((a: AnyNode) => a.name)
      if (names.includes(param)) { copiesKeys = true; for (const x of names) if (x !== param) filled.add(x) }
      const c = n.callee
      // `Object.keys(e)`, `Object.getOwnPropertyNames(e)`
      if (c.type === 'MemberExpression' && !c.computed && /^(keys|getOwnPropertyNames|entries)$/.test(c.property.name) && isParam(n.arguments[0], param)) copiesKeys = true
    }
    // `n.default = e`, `n[k] = e[k]`
    if (n.type === 'AssignmentExpression' && n.left.type === 'MemberExpression' && n.left.object.type === 'Identifier') {
      const r = n.right
      if (isParam(r, param) || (r.type === 'MemberExpression' && isParam(r.object, param))) filled.add(n.left.object.name)
    }
    pushChildren(n, stack)
  }
  for (const c of candidates) if (filled.has(c) || (copiesKeys && filled.size === 0)) out.add(c)
  return out
}

function isFreshObject(n: AnyNode): boolean {
  if (n.type === 'ObjectExpression') return true
  if (n.type === 'ConditionalExpression') return isFreshObject(n.consequent) || isFreshObject(n.alternate)
  if (n.type === 'CallExpression' || n.type === 'NewExpression') {
    const c = n.callee
    if (c.type === 'MemberExpression' && !c.computed && c.property.name === 'create') return true
    if (c.type === 'Identifier' && (c.name === 'Object' || /create/i.test(c.name))) return true
  }
  return false
}
