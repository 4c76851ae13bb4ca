// One iterative pass over an acorn AST: scopes, bindings, assignments and the nodes detectors want.
// Iterative on purpose: input nested 100 000 deep must not overflow our stack.
import type { Node } from 'acorn'

// acorn's types are loose; the walker reads fields by name.
export type AnyNode = Node & Record<string, any>

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

export interface Candidate {
  node: AnyNode
  scope: Scope
}

export interface FileFacts {
  program: Scope
  /** Calls, `new`, import(), computed member reads, member assignments, imports, URL-like strings. */
  candidates: Candidate[]
  /** Function node → its scope (to evaluate returns and parameters). */
  fnScopes: Map<AnyNode, Scope>
  /** Function node → call sites that call it directly by a name we resolved later. */
  /** Parameter 0 of a `.then(fn)` callback on `import(x)` is that module. */
  thenImports: Map<AnyNode, AnyNode>
  /** Method/constructor function node → its class node (to resolve `this.x`). */
  classOf: Map<AnyNode, AnyNode>
  /** Class node → `this.x = v` in its constructor and instance fields `x = v`. */
  classThis: Map<AnyNode, Map<string, { value: AnyNode; scope: Scope }>>
  /** Class node → its constructor function node. */
  ctorOf: Map<AnyNode, AnyNode>
  /** Anonymous function → the name it was assigned to (`const send = (u) => …`). */
  fnNames: Map<AnyNode, string>
  /** `exports.x = …`, `module.exports = …`, `export const x`… for cross-module folding. */
  exportsAssign: Array<{ name: string | null; value: AnyNode; scope: Scope }>
  exportNames: Map<string, string>
}

// Most scopes (blocks, loops, small functions) declare nothing: they share this empty table until they do.
const NO_VARS: Map<string, Binding> = new Map()

function newScope(parent: Scope | null, fn: AnyNode | null, isFunctionScope: boolean): Scope {
  return { parent, vars: NO_VARS, fn, isFunctionScope }
}

function functionScopeOf(s: Scope): Scope {
  let cur = s
  while (!cur.isFunctionScope && cur.parent) cur = cur.parent
  return cur
}

export function lookup(scope: Scope, name: string): Binding | undefined {
  for (let s: Scope | null = scope; s; s = s.parent) {
    const b = s.vars.get(name)
    if (b) return b
  }
  return undefined
}

function declare(target: Scope, b: Omit<Binding, 'assignments' | 'opaqueWrite'>): void {
  const existing = target.vars.get(b.name)
  if (existing && existing.kind !== 'param') {
    // `var x = a; var x = b;` — the second declaration is a write.
    if (b.init) existing.assignments.push({ value: b.init, scope: b.declScope })
    return
  }
  const full = b as Binding
  full.assignments = []
  full.opaqueWrite = false
  if (target.vars === NO_VARS) target.vars = new Map()
  target.vars.set(b.name, full)
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
  const program = newScope(null, null, true)
  const facts: FileFacts = {
    program,
    candidates: [],
    fnScopes: new Map(),
    thenImports: new Map(),
    classOf: new Map(),
    classThis: new Map(),
    ctorOf: new Map(),
    fnNames: new Map(),
    exportsAssign: [],
    exportNames: new Map(),
  }
  const writes: Array<{ scope: Scope; name: string; value: AnyNode | null }> = []
  // Two parallel stacks instead of tuples: this loop runs once per AST node, so allocation matters.
  const nodes: AnyNode[] = [ast]
  const scopes: Scope[] = [program]
  const push = (n: AnyNode | null | undefined, s: Scope) => { if (n) { nodes.push(n); scopes.push(s) } }
  const pushAll = (arr: Array<AnyNode | null>, s: Scope) => { for (let i = arr.length - 1; i >= 0; i--) { const n = arr[i]; if (n) { nodes.push(n); scopes.push(s) } } }

  while (nodes.length) {
    const node = nodes.pop()!
    const scope = scopes.pop()!
    // The commonest node types come first: V8 compares the cases one by one.
    switch (node.type) {
      case 'Identifier':
      case 'ThisExpression':
      case 'Super':
      case 'EmptyStatement':
      case 'DebuggerStatement':
      case 'BreakStatement':
      case 'ContinueStatement':
      case 'MetaProperty':
      case 'PrivateIdentifier':
      case 'TemplateElement':
        break
      case 'MemberExpression':
        if (node.computed) {
          facts.candidates.push({ node, scope })
          push(node.property, scope)
        }
        push(node.object, scope)
        break
      case 'CallExpression':
      case 'NewExpression': {
        facts.candidates.push({ node, scope })
        // `import('x').then((m) => …)`: remember that m is the module.
        const cal = node.callee
        if (cal.type === 'MemberExpression' && !cal.computed && cal.property.name === 'then' && cal.object.type === 'ImportExpression') {
          const cb = node.arguments[0]
          if (cb && (cb.type === 'ArrowFunctionExpression' || cb.type === 'FunctionExpression')) facts.thenImports.set(cb, cal.object)
        }
        pushAll(node.arguments, scope)
        push(node.callee, scope)
        break
      }
      case 'Literal':
        if (typeof node.value === 'string' && isUrlLike(node.value)) facts.candidates.push({ node, scope })
        break
      case 'Property':
        if (node.computed) push(node.key, scope)
        push(node.value, scope)
        break
      case 'ImportExpression':
        facts.candidates.push({ node, scope })
        push(node.source, scope)
        push(node.options, scope)
        break
      case 'Program':
        pushAll(node.body, scope)
        break
      case 'ExpressionStatement':
      case 'ChainExpression':
      case 'ParenthesizedExpression':
        push(node.expression, scope)
        break
      case 'BlockStatement':
      case 'StaticBlock': {
        // A block needs its own scope only when it declares something block-scoped.
        const s = node.body.some(declaresInBlock) ? newScope(scope, scope.fn, false) : scope
        pushAll(node.body, s)
        break
      }
      case 'IfStatement':
      case 'ConditionalExpression':
        push(node.alternate, scope)
        push(node.consequent, scope)
        push(node.test, scope)
        break
      case 'ReturnStatement':
      case 'ThrowStatement':
      case 'SpreadElement':
      case 'AwaitExpression':
      case 'YieldExpression':
      case 'UnaryExpression':
        push(node.argument, scope)
        break
      case 'BinaryExpression':
      case 'LogicalExpression':
        push(node.right, scope)
        push(node.left, scope)
        break
      case 'ObjectExpression':
        pushAll(node.properties, scope)
        break
      case 'ArrayExpression':
        pushAll(node.elements, scope)
        break
      case 'SequenceExpression':
        pushAll(node.expressions, scope)
        break
      case 'FunctionDeclaration':
      case 'FunctionExpression':
      case 'ArrowFunctionExpression': {
        const fs = newScope(scope, node, true)
        facts.fnScopes.set(node, fs)
        if (node.id) {
          if (node.type === 'FunctionDeclaration') declare(functionScopeOf(scope), { name: node.id.name, kind: 'function', declScope: scope, node: node.id, fn: node })
          else declare(fs, { name: node.id.name, kind: 'function', declScope: scope, node: node.id, fn: node })
        }
        const params: AnyNode[] = node.params
        let later: Array<[AnyNode, Scope]> | undefined
        for (let i = 0; i < params.length; i++) {
          const p = params[i]
          // Plain `(a, b)` parameters are most of them: no pattern machinery needed.
          if (p.type === 'Identifier') declare(fs, { name: p.name, kind: 'param', declScope: fs, node: p, init: undefined, path: undefined, defaultValue: undefined, fn: node, paramIndex: i })
          else declarePattern(p, 'param', fs, fs, undefined, [], { fn: node, paramIndex: i }, (later ??= []))
        }
        if (later) for (const [n, s] of later) push(n, s)
        if (node.body.type === 'BlockStatement') pushAll(node.body.body, fs)
        else push(node.body, fs)
        break
      }
      case 'VariableDeclaration': {
        const kind = node.kind === 'var' ? 'var' : node.kind === 'const' ? 'const' : 'let'
        const target = kind === 'var' ? functionScopeOf(scope) : scope
        for (const d of node.declarations) {
          const later: Array<[AnyNode, Scope]> = []
          declarePattern(d.id, kind, target, scope, d.init ?? undefined, [], {}, later)
          if (d.id.type === 'Identifier' && d.init && (d.init.type === 'ArrowFunctionExpression' || d.init.type === 'FunctionExpression')) facts.fnNames.set(d.init, d.id.name)
          for (const [n, s] of later) push(n, s)
          push(d.init, scope)
        }
        break
      }
      case 'ClassDeclaration':
      case 'ClassExpression': {
        if (node.id && node.type === 'ClassDeclaration') declare(scope, { name: node.id.name, kind: 'class', declScope: scope, node: node.id, fn: node })
        push(node.superClass, scope)
        const cs = newScope(scope, scope.fn, false)
        if (node.id && node.type === 'ClassExpression') declare(cs, { name: node.id.name, kind: 'class', declScope: scope, node: node.id, fn: node })
        const fields = new Map<string, { value: AnyNode; scope: Scope }>()
        facts.classThis.set(node, fields)
        for (const el of node.body.body) {
          if (el.computed) push(el.key, cs)
          if (el.type === 'StaticBlock') { push(el, cs); continue }
          const keyName = !el.computed && el.key ? (el.key.type === 'Identifier' || el.key.type === 'PrivateIdentifier' ? (el.key.type === 'PrivateIdentifier' ? '#' : '') + el.key.name : el.key.type === 'Literal' ? String(el.key.value) : undefined) : undefined
          if (el.type === 'MethodDefinition' && el.value) {
            facts.classOf.set(el.value, node)
            if (el.kind === 'constructor') facts.ctorOf.set(node, el.value)
          } else if (el.type === 'PropertyDefinition' && !el.static && keyName && el.value) {
            fields.set(keyName, { value: el.value, scope: cs })
          }
          push(el.value, cs)
        }
        break
      }
      case 'ImportDeclaration': {
        facts.candidates.push({ node, scope })
        const source = String(node.source.value)
        for (const spec of node.specifiers) {
          const imported = spec.type === 'ImportDefaultSpecifier' ? 'default' : spec.type === 'ImportNamespaceSpecifier' ? '*' : spec.imported.type === 'Identifier' ? spec.imported.name : String(spec.imported.value)
          declare(program, { name: spec.local.name, kind: 'import', declScope: program, node: spec.local, importSource: source, imported })
        }
        break
      }
      case 'ExportNamedDeclaration':
        if (node.declaration) {
          push(node.declaration, scope)
          const d = node.declaration
          if (d.type === 'VariableDeclaration') for (const v of d.declarations) { const names: string[] = []; patternNames(v.id, names); for (const n of names) facts.exportNames.set(n, n) }
          else if (d.id) facts.exportNames.set(d.id.name, d.id.name)
        }
        for (const spec of node.specifiers ?? []) {
          if (!node.source && spec.local.type === 'Identifier') facts.exportNames.set(spec.exported.name ?? String(spec.exported.value), spec.local.name)
        }
        break
      case 'ExportDefaultDeclaration':
        if (node.declaration.type === 'Identifier') facts.exportNames.set('default', node.declaration.name)
        else facts.exportsAssign.push({ name: 'default', value: node.declaration, scope })
        push(node.declaration, scope)
        break
      case 'ExportAllDeclaration':
        break
      case 'CatchClause': {
        const s = newScope(scope, scope.fn, false)
        if (node.param) {
          const later: Array<[AnyNode, Scope]> = []
          declarePattern(node.param, 'catch', s, s, undefined, [], {}, later)
          for (const [n, sc] of later) push(n, sc)
        }
        pushAll(node.body.body, s)
        break
      }
      case 'ForStatement':
      case 'ForInStatement':
      case 'ForOfStatement': {
        const s = newScope(scope, scope.fn, false)
        push(node.body, s)
        push(node.update, s)
        push(node.test, s)
        push(node.right, s)
        const left = node.init ?? node.left
        if (left?.type === 'VariableDeclaration' && node.type !== 'ForStatement') {
          // `for (const x of xs)`: x takes many values; never fold it.
          const target = left.kind === 'var' ? functionScopeOf(scope) : s
          for (const d of left.declarations) {
            const names: string[] = []
            patternNames(d.id, names)
            for (const n of names) {
              declare(target, { name: n, kind: left.kind === 'const' ? 'let' : left.kind, declScope: s, node: d.id })
              writes.push({ scope: s, name: n, value: null })
            }
          }
        } else if (left && node.type !== 'ForStatement' && left.type !== 'VariableDeclaration') {
          const names: string[] = []
          patternNames(left, names)
          for (const n of names) writes.push({ scope: s, name: n, value: null })
          if (left.type === 'MemberExpression') push(left, s)
        } else push(left, s)
        break
      }
      case 'SwitchStatement': {
        push(node.discriminant, scope)
        const s = newScope(scope, scope.fn, false)
        for (let i = node.cases.length - 1; i >= 0; i--) {
          const c = node.cases[i]
          pushAll(c.consequent, s)
          push(c.test, s)
        }
        break
      }
      case 'AssignmentExpression': {
        const left = node.left
        if (left.type === 'Identifier') {
          writes.push({ scope, name: left.name, value: node.operator === '=' ? node.right : null })
        } else if (left.type === 'MemberExpression') {
          facts.candidates.push({ node, scope })
          recordExportAssign(node, scope, facts)
          if (left.object.type === 'ThisExpression' && !left.computed && node.operator === '=' && scope.fn) {
            const cls = facts.classOf.get(scope.fn)
            if (cls && facts.ctorOf.get(cls) === scope.fn) {
              const key = (left.property.type === 'PrivateIdentifier' ? '#' : '') + left.property.name
              const fields = facts.classThis.get(cls)!
              // Two writes to the same field: keep neither (we cannot tell which one holds).
              if (fields.has(key)) fields.set(key, { value: { type: 'Identifier', name: '\u0000ambiguous' } as unknown as AnyNode, scope })
              else fields.set(key, { value: node.right, scope })
            }
          }
          push(left.object, scope)
          if (left.computed) push(left.property, scope)
        } else {
          const names: string[] = []
          patternNames(left, names)
          for (const n of names) writes.push({ scope, name: n, value: null })
          pushPatternExpressions(left, scope, push)
        }
        push(node.right, scope)
        break
      }
      case 'UpdateExpression':
        if (node.argument.type === 'Identifier') writes.push({ scope, name: node.argument.name, value: null })
        else push(node.argument, scope)
        break
      case 'TemplateLiteral':
        if (node.quasis.some((q: AnyNode) => isUrlLike(q.value.cooked ?? q.value.raw))) facts.candidates.push({ node, scope })
        pushAll(node.expressions, scope)
        break
      default:
        // Generic: every child node in field order (IfStatement, BinaryExpression, Return, …).
        for (const key in node) {
          if (key === 'type' || key === 'start' || key === 'end') continue
          const v = node[key]
          if (v && typeof v === 'object') {
            if (Array.isArray(v)) { for (let i = v.length - 1; i >= 0; i--) if (v[i] && typeof v[i].type === 'string') push(v[i], scope) }
            else if (typeof v.type === 'string') push(v, scope)
          }
        }
    }
  }

  for (const w of writes) {
    const b = lookup(w.scope, w.name)
    if (!b) continue
    if (w.value) b.assignments.push({ value: w.value, scope: w.scope })
    else b.opaqueWrite = true
  }
  return facts
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
