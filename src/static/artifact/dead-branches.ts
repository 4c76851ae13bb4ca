// Branches an edition's defines made constant, blanked out of an unminified bundle so they are not reported.
//
// esbuild folds `process.env.EDITION === 'cloud'` to `false` under a define and tree-shakes the modules only
// that branch imported, but without minification it still prints `if (false) fetch(…)`. Its minifier would
// drop the branch, and a vendor's minified build ships without it; we cannot minify instead, because the
// minifier also rewrites code the detectors read (it inlines `const req = getRequest(); req(…)` into
// `getRequest()(…)`). So only the dead branches go: each is overwritten with a stand-in of the same length
// (`{}` or `0`, then spaces, line breaks kept), and every other position — and so the source map — stays valid.
import type { Node } from 'acorn'
import { parseSource } from '../parse/parse.ts'

// How esbuild prints a folded test; a bundle without any of these is returned untouched, unparsed.
const CANDIDATE = /\bif \((?:false|true)\)|\b(?:false|true) (?:&&|\|\||\?)|\bfalse \?\?/

type AnyNode = Node & Record<string, unknown>

/** Blanks code that can never run behind a literal `true`/`false` test. Returns the new code and how many branches went. */
export function blankDeadBranches(code: string): { code: string; removed: number } {
  if (!CANDIDATE.test(code)) return { code, removed: 0 }
  const parsed = parseSource(code, 'module')
  // A bundle that does not parse is reported by the analysis as it is.
  if (!parsed.ok) return { code, removed: 0 }
  const dead: Array<{ start: number; end: number; stand: string }> = []
  const stack: AnyNode[] = [parsed.ast as AnyNode]
  while (stack.length) {
    const node = stack.pop()!
    const skip = new Set<unknown>()
    const test = (node.test ?? (node.type === 'LogicalExpression' ? node.left : undefined)) as AnyNode | undefined
    const literal = test?.type === 'Literal' && typeof test.value === 'boolean' ? (test.value as boolean) : undefined
    if (literal !== undefined) {
      let gone: AnyNode | undefined
      let stand = '0'
      if (node.type === 'IfStatement') {
        gone = (literal ? node.alternate : node.consequent) as AnyNode | undefined
        stand = '{}'
      } else if (node.type === 'ConditionalExpression') {
        gone = (literal ? node.alternate : node.consequent) as AnyNode
      } else if (node.type === 'LogicalExpression') {
        const op = node.operator
        if ((op === '&&' && !literal) || (op === '||' && literal) || op === '??') gone = node.right as AnyNode
      }
      if (gone && gone.end - gone.start >= stand.length) {
        dead.push({ start: gone.start, end: gone.end, stand })
        skip.add(gone)
      }
    }
    for (const key of Object.keys(node)) {
      const child = node[key]
      if (Array.isArray(child)) {
        for (let i = child.length - 1; i >= 0; i--) if (isNode(child[i])) stack.push(child[i])
      } else if (isNode(child) && !skip.has(child)) stack.push(child)
    }
  }
  if (!dead.length) return { code, removed: 0 }
  dead.sort((a, b) => a.start - b.start)
  let out = ''
  let at = 0
  for (const d of dead) {
    if (d.start < at) continue
    // The stand-in's characters go on the first positions that are not line breaks (`{` and `}` may end up
    // on two lines: still a block), the rest becomes spaces.
    let i = 0
    out += code.slice(at, d.start) + code.slice(d.start, d.end).replace(/[^\n\r\u2028\u2029]/g, () => d.stand[i++] ?? ' ')
    at = d.end
  }
  return { code: out + code.slice(at), removed: dead.length }
}

function isNode(v: unknown): v is AnyNode {
  return !!v && typeof v === 'object' && typeof (v as { type?: unknown }).type === 'string' && typeof (v as { start?: unknown }).start === 'number'
}
