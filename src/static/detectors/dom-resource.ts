// Flags browser code that makes the page fetch a URL through the DOM: `new Image().src = …`,
// `document.createElement('script').src = …`, `el.setAttribute('src', …)`, `new Worker(url)`, service workers.
import { describeDestination, type CallTarget, type DetectContext, type Detector } from './detector.ts'
import { lookup, type AnyNode, type Scope } from '../parse/scope.ts'
import type { Val } from '../parse/fold.ts'

const meta = {
  id: 'dom-resource',
  severity: 'review',
  description: 'Browser code loads a URL through the DOM',
  help:
    'Setting src/href/action/data on a created element (image beacons, injected scripts and stylesheets, iframes), ' +
    'setAttribute with such a name, new Worker/SharedWorker(url) and navigator.serviceWorker.register(url) make the ' +
    'browser fetch the URL. Hard-coded external URLs are violations, configured ones are for review, same-origin and ' +
    'relative ones are informational.',
} as const

/** Properties that make an element of the given tag fetch when set. */
const FETCHING_PROPS: Record<string, ReadonlySet<string>> = {
  img: new Set(['src', 'srcset']),
  image: new Set(['src', 'srcset']),
  script: new Set(['src']),
  iframe: new Set(['src']),
  frame: new Set(['src']),
  link: new Set(['href']),
  audio: new Set(['src']),
  video: new Set(['src', 'poster']),
  source: new Set(['src', 'srcset']),
  embed: new Set(['src']),
  object: new Set(['data']),
  track: new Set(['src']),
  form: new Set(['action']),
}
// On an element whose tag we do not know, only these always fetch (href would also match <a>, which does not).
// The properties whose assignment can make an element fetch (which element decides: see FETCHING_PROPS).
const ASSIGNED_URL_PROPS = new Set(['src', 'srcset', 'href', 'data', 'action', 'poster'])
const ANY_ELEMENT_PROPS = new Set(['src', 'srcset'])

export default {
  meta,
  detect(ctx: DetectContext) {
    /** Tag name of `document.createElement('x')` (directly or through a const binding), `img` for `new Image()`. */
    const elementTag = (node: AnyNode, scope: Scope, depth = 0): string | undefined => {
      if (!node || depth > 3) return undefined
      if (node.type === 'NewExpression') {
        const c = ctx.evaluate(node.callee, scope)
        return c.t === 'glob' && c.path.length === 1 && c.path[0] === 'Image' ? 'img' : undefined
      }
      if (node.type === 'CallExpression' && node.callee.type === 'MemberExpression') {
        const c = ctx.evaluate(node.callee, scope)
        const name = c.t === 'glob' ? c.path.join('.') : c.t === 'dyn' ? c.source : ''
        if (/(^|\.)document\.createElement(NS)?$|^createElement(NS)?$/.test(name)) {
          const arg = ctx.evaluate(node.arguments[name.endsWith('NS') ? 1 : 0], scope)
          return arg.t === 'str' && !arg.partial ? arg.v.toLowerCase() : '?'
        }
        return undefined
      }
      if (node.type === 'Identifier') {
        const b = lookup(scope, node.name)
        if (!b || b.opaqueWrite || b.assignments.length || !b.init || b.path) return undefined
        return elementTag(b.init, b.declScope, depth + 1)
      }
      const v = ctx.evaluate(node, scope)
      if (v.t === 'inst' && v.cls === 'Image') return 'img'
      return undefined
    }

    const fetches = (tag: string | undefined, prop: string): boolean => {
      if (!tag) return false
      if (tag === '?') return ANY_ELEMENT_PROPS.has(prop)
      return FETCHING_PROPS[tag]?.has(prop) ?? false
    }

    const sink = (node: AnyNode, api: string, valueNode: AnyNode, scope: Scope) => {
      // `new URL('./worker.js', import.meta.url)`: a file next to this module, same origin.
      if (valueNode?.type === 'NewExpression' && valueNode.arguments[1]?.type === 'MemberExpression' && valueNode.arguments[1].object.type === 'MetaProperty') {
        const rel = ctx.evaluate(valueNode.arguments[0], scope)
        if (rel.t === 'str' && !rel.partial && !/^[a-z][a-z0-9+.-]*:|^\/\//i.test(rel.v)) {
          ctx.report(node, { message: `${api} → ${rel.v} (relative to this module)`, api, destination: { url: rel.v, provenance: 'hard-coded-local', source: 'relative to import.meta.url' } })
          return
        }
      }
      // In a page a string without a scheme (`sw.js`, `img/a.png`) is a path relative to the page, not a host name.
      const v = ctx.evaluate(valueNode, scope)
      if (v.t === 'str' && !v.partial && !/^[a-z][a-z0-9+.-]*:|^\/\//i.test(v.v)) {
        ctx.report(node, { message: `${api} → ${v.v} (relative to the page)`, api, destination: { url: v.v, provenance: 'hard-coded-local', source: 'relative URL (same origin)' } })
        return
      }
      const dest = ctx.destination(valueNode, scope, 'url')
      ctx.report(node, { message: `${api} → ${describeDestination(dest)}`, api, destination: dest })
    }

    return {
      AssignmentExpression(node: AnyNode, scope: Scope) {
        if (node.operator !== '=' || node.left.type !== 'MemberExpression') return
        const left = node.left
        const prop = !left.computed && left.property.type === 'Identifier' ? left.property.name : undefined
        if (!prop || !ASSIGNED_URL_PROPS.has(prop)) return
        const tag = elementTag(left.object, scope)
        if (!fetches(tag, prop)) return
        sink(node, `${tag === '?' ? 'element' : `<${tag}>`}.${prop}`, node.right, scope)
      },
      CallExpression(node: AnyNode, scope: Scope, { callee, args }: CallTarget) {
        if (callee.t === 'glob' && callee.path.join('.') === 'navigator.serviceWorker.register') return sink(node, 'navigator.serviceWorker.register', args[0], scope)
        // `el.setAttribute('src', url)`: the receiver is rarely foldable, so look at the syntax.
        const c = node.callee
        if (c.type !== 'MemberExpression' || c.computed || c.property.name !== 'setAttribute' || args.length < 2) return
        const name: Val = ctx.evaluate(args[0], scope)
        if (name.t !== 'str' || name.partial) return
        const attr = name.v.toLowerCase()
        const tag = elementTag(c.object, scope) ?? '?'
        if (!fetches(tag, attr)) return
        sink(node, `${tag === '?' ? 'element' : `<${tag}>`}.setAttribute('${attr}')`, args[1], scope)
      },
      NewExpression(node: AnyNode, scope: Scope, { callee, args }: CallTarget) {
        if (callee.t !== 'glob' || callee.path.length !== 1) return
        const g = callee.path[0]
        if (g === 'Worker' || g === 'SharedWorker') sink(node, `new ${g}`, args[0], scope)
      },
    }
  },
} satisfies Detector
