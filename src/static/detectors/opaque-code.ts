// Flags code the analysis cannot see through: eval, new Function, vm, computed require/import,
// computed access on globals or network modules, process.binding, WebAssembly.
import type { CallTarget, DetectContext, Detector } from './detector.ts'
import type { Val } from '../parse/fold.ts'
import type { AnyNode, Scope } from '../parse/scope.ts'

const NETWORK_MODULES = new Set(['http', 'https', 'http2', 'net', 'tls', 'dgram', 'dns', 'child_process', 'undici', 'vm', 'module', 'worker_threads'])
const VM_EVAL = new Set(['runInThisContext', 'runInNewContext', 'runInContext', 'compileFunction', 'Script', 'createScript', 'SourceTextModule', 'measureMemory'])
const TIMER_EVAL = new Set(['setTimeout', 'setInterval', 'setImmediate', 'execScript'])

const meta = {
  id: 'opaque-code',
  severity: 'review',
  description: 'Code the analysis cannot see through',
  help:
    'eval, new Function, vm, require/import of a computed name, computed access on globals or network modules, ' +
    'process.binding and native or WebAssembly code can reach the network without naming it. Nothing is silently ' +
    'skipped: review each, or cover it with the runtime check (`nophonehome run`).',
} as const

function constString(v: Val): string | undefined {
  return v.t === 'str' && !v.partial ? v.v : undefined
}

export default {
  meta,
  detect(ctx: DetectContext) {
    const opaque = (node: AnyNode, api: string, what: string) =>
      ctx.report(node, { message: `${what}: the analysis cannot see what it does`, api, severity: 'review', destination: undefined })

    /** eval-like: analyse a constant code string, flag anything else. */
    const evalLike = (node: AnyNode, scope: Scope, api: string, codeArgs: AnyNode[], asFunctionBody: boolean) => {
      const vals = codeArgs.map((a) => ctx.evaluate(a, scope))
      const body = vals[vals.length - 1]
      const code = body ? constString(body) : ''
      if (code !== undefined && vals.every((v) => constString(v) !== undefined)) {
        ctx.analyseEmbedded(code, node, api, asFunctionBody)
        return
      }
      opaque(node, api, `${api} of a computed string`)
    }

    return {
      CallExpression(node: AnyNode, scope: Scope, { callee, args }: CallTarget) {
        if (callee.t === 'glob') {
          const g = callee.path.join('.')
          if (g === 'eval') return evalLike(node, scope, 'eval', args.slice(0, 1), false)
          if (g === 'Function') return evalLike(node, scope, 'Function', args, true)
          if (TIMER_EVAL.has(g) && args[0]) {
            const v = ctx.evaluate(args[0], scope)
            if (v.t === 'str') return evalLike(node, scope, `${g} with a code string`, args.slice(0, 1), false)
            return
          }
          if (g === 'process.binding' || g === 'process._linkedBinding' || g === 'internalBinding' || g === 'process.dlopen') {
            const name = constString(ctx.evaluate(args[0], scope))
            return opaque(node, g, `${g}(${name ? `'${name}'` : '…'}) reaches Node internals directly`)
          }
          if (/^WebAssembly\.(instantiate|instantiateStreaming|compile|compileStreaming)$/.test(g)) return opaque(node, g, `${g} runs WebAssembly`)
          if ((g === 'Reflect.get' || g === 'Object.getOwnPropertyDescriptor' || g === 'Reflect.getOwnPropertyDescriptor') && args.length >= 2) {
            const target = ctx.evaluate(args[0], scope)
            const key = ctx.evaluate(args[1], scope)
            const sensitive = (target.t === 'glob' && target.path.length === 0) || (target.t === 'mod' && target.path.length === 0 && NETWORK_MODULES.has(target.mod))
            if (sensitive && constString(key) === undefined) return opaque(node, g, `${g} on ${target.t === 'mod' ? `the ${target.mod} module` : 'the global object'} with a computed key`)
            return
          }
          if (g === 'module.constructor._load' || g === 'module.constructor.prototype.require') return opaque(node, g, `${g} loads modules out of sight`)
          return
        }
        if (callee.t === 'req') {
          // `require.apply(this, arguments)`: a wrapper forwarding its own arguments (esbuild's `__require`);
          // its callers are analysed where they call it.
          const c = node.callee
          if (c.type === 'MemberExpression' && !c.computed && c.property.name === 'apply' && node.arguments[1]?.type === 'Identifier' && node.arguments[1].name === 'arguments') return
          const spec = ctx.evaluate(args[0], scope)
          if (constString(spec) === undefined) opaque(node, 'require', `require of a computed specifier${spec.t === 'str' ? ` ('${spec.v}…')` : ''}`)
          return
        }
        if (callee.t === 'mod') {
          const p = callee.path.join('.')
          if (callee.mod === 'vm' && VM_EVAL.has(callee.path[0])) return evalLike(node, scope, `vm.${p}`, args.slice(0, 1), false)
          if (callee.mod === 'module' && (p === '_load' || p === 'Module._load' || p === 'prototype.require')) return opaque(node, `module.${p}`, `module.${p} loads modules out of sight`)
          if (callee.mod === 'worker_threads' && p === 'Worker') return
        }
        if (callee.t === 'unknown' && callee.why === 'computed import()') return
      },
      NewExpression(node: AnyNode, scope: Scope, { callee, args }: CallTarget) {
        if (callee.t === 'glob') {
          const g = callee.path.join('.')
          if (g === 'Function') return evalLike(node, scope, 'new Function', args, true)
          if (g === 'WebAssembly.Module' || g === 'WebAssembly.Instance') return opaque(node, g, `new ${g} runs WebAssembly`)
        }
        if (callee.t === 'mod' && callee.mod === 'vm' && VM_EVAL.has(callee.path[0])) return evalLike(node, scope, `new vm.${callee.path.join('.')}`, args.slice(0, 1), false)
        if (callee.t === 'mod' && callee.mod === 'worker_threads' && callee.path[0] === 'Worker') {
          const opts = ctx.evaluate(args[1], scope)
          if (opts.t === 'obj') {
            const ev = ctx.folder.objectProperty(opts.node, opts.scope, 'eval')
            if (ev.t === 'bool' && ev.v) return evalLike(node, scope, 'new Worker(eval: true)', args.slice(0, 1), false)
          }
        }
      },
      ImportExpression(node: AnyNode, scope: Scope) {
        const spec = ctx.evaluate(node.source, scope)
        if (constString(spec) === undefined) opaque(node, 'import()', `import() of a computed specifier${spec.t === 'str' ? ` ('${spec.v}…')` : ''}`)
      },
      MemberExpression(node: AnyNode, scope: Scope) {
        // Only computed reads arrive here; constant keys fold and are not opaque.
        const key = ctx.evaluate(node.property, scope)
        if ((key.t === 'str' && !key.partial) || key.t === 'num') return
        const obj = ctx.evaluate(node.object, scope)
        if (obj.t === 'glob' && obj.path.length === 0) return opaque(node, 'globalThis[…]', 'computed property of the global object')
        if (obj.t === 'mod' && obj.path.length === 0 && NETWORK_MODULES.has(obj.mod)) return opaque(node, `${obj.mod}[…]`, `computed property of the ${obj.mod} module`)
      },
    }
  },
} satisfies Detector
