// Flags a known telemetry/analytics/crash-reporting SDK that is imported and started (Sentry.init, new PostHog, gtag…),
// as a violation, or for review when everything it is started with comes from configuration.
import type { Destination, Severity } from '../../report/finding.ts'
import { signatureMatcher, parseUrl, type InitSpec, type KeyMatch } from '../../signatures/matcher.ts'
import type { Signature } from '../../signatures/types.ts'
import type { CallTarget, DetectContext, Detector } from './detector.ts'
import { isLocalHost } from '../parse/destination.ts'
import type { Val } from '../parse/fold.ts'
import type { AnyNode, Scope } from '../parse/scope.ts'

const meta = {
  id: 'telemetry-sdk',
  severity: 'violation',
  description: 'Known telemetry or analytics SDK started',
  help:
    'A crash-reporting, analytics, session-replay, APM, feature-flag or similar SDK from the signature database is ' +
    'imported and started (Sentry.init, posthog.init, new PostHog, analytics.load, mixpanel.init, dd-trace init, ' +
    'require("newrelic"), a gtag snippet…). Started with a hard-coded key, DSN or URL it is a violation; started only ' +
    'with configured values (env, config, parameters) or its defaults it is for review, since the customer then decides ' +
    'whether it sends. An SDK imported but not started in the same file is informational.',
} as const

/** Snippet functions pages define locally (long enough not to be a minifier's name). */
const SNIPPET_FUNCTIONS = new Set(['gtag'])

/** Option names that carry where an SDK sends or whose account it reports to. */
const DEST_OPTION = /dsn|url|uri|host|endpoint|server|api|key|token|secret|site|region|project|org|app_?id|application|client|write|measurement|tracking|connection|instrumentation|collector|ingest|domain|account|workspace|tenant|environment_?id/i

interface Classified {
  /** Hard-coded values that bind the SDK to the vendor's account or host. */
  hardcoded: string[]
  configured: string[]
  destination?: Destination
  key?: KeyMatch
}

interface Start { node: AnyNode; sig: Signature; api: string; severity: Severity; message: string; destination?: Destination; key?: KeyMatch }

export default {
  meta,
  detect(ctx: DetectContext) {
    const matcher = signatureMatcher()
    const starts: Start[] = []
    const imports = new Map<string, { node: AnyNode; sig: Signature }>()

    const classify = (args: AnyNode[], scope: Scope, skipCommandWords: boolean): Classified => {
      const out: Classified = { hardcoded: [], configured: [] }
      const consider = (v: Val, label: string, depth: number) => {
        switch (v.t) {
          case 'str': {
            if (!v.v) return
            if (skipCommandWords && !v.partial && /^[a-z_]{1,16}$/.test(v.v) && label.startsWith('argument')) return
            const key = matcher.matchKey(v.v)
            if (key && !out.key) out.key = key
            const u = parseUrl(v.v)
            if (u) {
              const local = isLocalHost(u.host)
              out.destination ??= { url: v.partial ? v.v + '…' : v.v, host: u.host, provenance: local ? 'hard-coded-local' : 'hard-coded-external' }
              if (!local) out.hardcoded.push(`${label} ${v.v}${v.partial ? '…' : ''}`)
              return
            }
            if (v.partial) { out.configured.push(`${label} (${v.source ?? 'built at run time'})`); return }
            out.hardcoded.push(`${label} '${v.v.length > 24 ? v.v.slice(0, 8) + '…' : v.v}'`)
            return
          }
          case 'num':
            // Numeric site/counter ids (Hotjar, Yandex Metrica); small numbers are versions and flags.
            if (Number.isInteger(v.v) && v.v >= 1000) out.hardcoded.push(`${label} ${v.v}`)
            return
          case 'dyn':
            out.configured.push(`${label} (${v.source})`)
            if (/dsn|url|uri|host|endpoint|server|site|region|collector|ingest/i.test(label)) out.destination ??= { provenance: 'dynamic', source: v.source }
            return
          case 'obj': {
            if (depth > 2) return
            for (const p of v.node.properties ?? []) {
              if (p.type !== 'Property' || p.computed || p.kind !== 'init') continue
              const k = p.key.type === 'Identifier' ? p.key.name : String(p.key.value)
              if (!DEST_OPTION.test(k)) continue
              consider(ctx.evaluate(p.value, v.scope), k, depth + 1)
            }
            return
          }
          default:
            return
        }
      }
      args.slice(0, 3).forEach((a, i) => consider(ctx.evaluate(a, scope), `argument ${i + 1}`, 0))
      return out
    }

    const started = (node: AnyNode, sig: Signature, api: string, args: AnyNode[], scope: Scope, viaGlobal: boolean) => {
      const c = classify(args, scope, viaGlobal)
      const key = c.key
      let severity: Severity
      let how: string
      let destination = c.destination
      if (c.hardcoded.length) {
        severity = 'violation'
        how = `with hard-coded ${c.hardcoded.slice(0, 2).join(', ')}`
        destination ??= defaultDestination(sig)
      } else if (destination?.provenance === 'hard-coded-local') {
        severity = 'info'
        how = 'sending to a local destination'
      } else {
        severity = 'review'
        how = c.configured.length ? `with configured ${c.configured.slice(0, 2).join(', ')}` : 'with its defaults or environment settings'
        destination ??= { provenance: 'dynamic', source: c.configured[0] ?? 'SDK configuration (env or defaults)' }
      }
      starts.push({ node, sig, api, severity, message: `${sig.vendor} SDK started (${api}) ${how}`, destination, key })
    }

    const noteImport = (node: AnyNode, specifier: string) => {
      const ps = matcher.packageSignature(specifier)
      if (!ps) return
      if (!imports.has(ps.pkg)) imports.set(ps.pkg, { node, sig: ps.signature })
      const byImport: InitSpec | undefined = matcher.initByImport(specifier)
      if (byImport) {
        starts.push({
          node, sig: byImport.signature, api: `import ${specifier}`, severity: 'review',
          message: `${byImport.signature.vendor} SDK started by loading ${specifier} (configured by its config file or environment)`,
          destination: { provenance: 'dynamic', source: `${specifier} configuration` },
        })
      }
    }

    const onModule = (node: AnyNode, scope: Scope, callee: Extract<Val, { t: 'mod' }>, args: AnyNode[], kind: 'call' | 'new') => {
      const ps = matcher.packageSignature(callee.mod)
      if (!ps) return
      const spec = matcher.initFor(ps.pkg, kind, callee.path)
      if (!spec) return
      const api = `${kind === 'new' ? 'new ' : ''}${[ps.pkg, ...callee.path].join('.')}`
      started(node, spec.signature, api, args, scope, false)
    }

    return {
      ImportDeclaration(node: AnyNode) {
        noteImport(node, String(node.source.value))
      },
      ImportExpression(node: AnyNode, scope: Scope) {
        const v = ctx.evaluate(node.source, scope)
        if (v.t === 'str' && !v.partial) noteImport(node, v.v)
      },
      CallExpression(node: AnyNode, scope: Scope, { callee, args }: CallTarget) {
        if (callee.t === 'req') {
          const v = ctx.evaluate(args[0], scope)
          if (v.t === 'str' && !v.partial) noteImport(node, v.v)
        } else if (callee.t === 'mod') onModule(node, scope, callee, args, 'call')
        else if (callee.t === 'glob') {
          const sig = matcher.globalInit(callee.path)
          if (sig) started(node, sig, callee.path.join('.'), args, scope, true)
        } else if (callee.t === 'fn' && node.callee.type === 'Identifier' && SNIPPET_FUNCTIONS.has(node.callee.name)) {
          // The gtag snippet defines `function gtag(){dataLayer.push(arguments)}` in the page itself.
          const sig = matcher.globalInit([node.callee.name])
          if (sig) started(node, sig, node.callee.name, args, scope, true)
        }
      },
      NewExpression(node: AnyNode, scope: Scope, { callee, args }: CallTarget) {
        if (callee.t === 'mod') onModule(node, scope, callee, args, 'new')
      },
      end() {
        // One finding per SDK per file: the most severe start, with a count of the others.
        const rank = { violation: 0, review: 1, info: 2 } as const
        const bySig = new Map<string, Start[]>()
        for (const s of starts) bySig.set(s.sig.id, [...(bySig.get(s.sig.id) ?? []), s])
        for (const list of bySig.values()) {
          const best = list.reduce((a, b) => (rank[b.severity] < rank[a.severity] ? b : a))
          const details: Record<string, string> = { signature: best.sig.id, category: best.sig.category, vendor: best.sig.vendor }
          if (best.key) details.key = best.key.key
          ctx.report(best.node, {
            message: best.message + (list.length > 1 ? ` (${list.length} start calls in this file)` : ''),
            api: best.api,
            destination: best.destination,
            severity: best.severity,
            details,
          })
        }
        for (const [pkg, imp] of imports) {
          if (bySig.has(imp.sig.id)) continue
          ctx.report(imp.node, {
            message: `imports ${pkg} (${imp.sig.vendor}, ${imp.sig.category}); not started in this file`,
            api: pkg,
            severity: 'info',
            details: { signature: imp.sig.id, category: imp.sig.category, vendor: imp.sig.vendor },
          })
        }
      },
    }
  },
} satisfies Detector

/** The vendor's first plain ingest host, for an SDK started with a key but no URL. */
function defaultDestination(sig: Signature): Destination | undefined {
  const host = sig.hosts.find((h) => !h.includes('*') && !h.includes('/'))
  return host ? { host, provenance: 'hard-coded-external', source: `${sig.vendor} SDK default endpoint` } : undefined
}
