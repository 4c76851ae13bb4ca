// Small, bounded walks over acorn nodes that several analyses share.
import type { AnyNode } from './scope.ts'

/** Pushes every child node of `n` onto `stack` (fields in order; `type`/`start`/`end` skipped). */
export function pushChildren(n: AnyNode, stack: AnyNode[]): void {
  for (const k in n) {
    if (k === 'type' || k === 'start' || k === 'end') continue
    const v = n[k]
    if (Array.isArray(v)) { for (const x of v) if (x && typeof x.type === 'string') stack.push(x) }
    else if (v && typeof v.type === 'string') stack.push(v)
  }
}

const NESTED = /^(FunctionExpression|FunctionDeclaration|ArrowFunctionExpression|ClassExpression|ClassDeclaration)$/

/** The expressions a function returns (an arrow's expression body, or its `return` statements, not nested functions'), bounded. */
export function returnedExpressions(fn: AnyNode, maxNodes = 5000): AnyNode[] {
  if (!fn.body) return []
  if (fn.body.type !== 'BlockStatement') return [fn.body]
  const out: AnyNode[] = []
  const stack: AnyNode[] = [...fn.body.body]
  let seen = 0
  while (stack.length && seen++ < maxNodes) {
    const n = stack.pop()!
    if (!n || typeof n.type !== 'string') continue
    if (n.type === 'ReturnStatement') { if (n.argument) out.push(n.argument); continue }
    if (NESTED.test(n.type)) continue
    pushChildren(n, stack)
  }
  return out
}
