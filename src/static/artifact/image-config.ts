// Findings from what an image's config says by itself: environment variables that look like telemetry switches or
// vendor endpoints (with their values), and the ports it exposes.
import type { Finding, Severity } from '../../report/finding.ts'
import { registerRule } from '../detectors/rules.ts'
import type { DetectorMeta } from '../detectors/detector.ts'
import { signatureMatcher, parseUrl } from '../../signatures/matcher.ts'
import type { SignatureCategory } from '../../signatures/types.ts'
import { isLocalHost } from '../parse/destination.ts'
import type { ImageRunConfig } from './image.ts'
import { makeFinding } from './image-files.ts'

export const imageEnvMeta: DetectorMeta = {
  id: 'image-env',
  severity: 'info',
  description: "Environment variable in the image's config that looks like a telemetry switch or a vendor endpoint",
  help:
    'The image sets this variable for every container started from it (Dockerfile `ENV`). Names that look like telemetry, ' +
    'analytics, update-check or crash-reporting switches, and values that are external URLs or host names, are listed with ' +
    'their values so you can see what the product does out of the box and which knob turns it off. A value that matches the ' +
    'signature database is also reported as telemetry-endpoint.',
}

export const imageExposedPortMeta: DetectorMeta = {
  id: 'image-exposed-port',
  severity: 'info',
  description: "Port the image's config exposes",
  help: 'A port the image declares (Dockerfile `EXPOSE`): where the product listens. Inbound, not egress; listed so the report says what the image offers.',
}

registerRule(imageEnvMeta)
registerRule(imageExposedPortMeta)

/** Where config findings are located: the image's config, not a file of its root. */
export const IMAGE_CONFIG_FILE = '<image config>'

const TELEMETRY_NAME = new RegExp(
  '(TELEMETRY|ANALYTICS|TRACKING|TRACKER|PHONE_?HOME|CHECKPOINT|UPDATE_?CHECK|CHECK_?FOR_?UPDATES?|AUTO_?UPDATE|UPDATER|USAGE_?(STATS|DATA|REPORT)|' +
    'CRASH|ERROR_?REPORT|BUG_?REPORT|SENTRY|BUGSNAG|ROLLBAR|HONEYBADGER|POSTHOG|SEGMENT|MIXPANEL|AMPLITUDE|PLAUSIBLE|MATOMO|' +
    'DATADOG|^DD_|NEW_?RELIC|^OTEL_|OPENTELEMETRY|HONEYCOMB|LOGROCKET|APPINSIGHTS|APPLICATIONINSIGHTS|INSTANA|ELASTIC_APM|' +
    'LICEN[CS]E_?(SERVER|URL|CHECK|KEY)|DO_?NOT_?TRACK|OPT_?OUT|METRICS_?(URL|ENDPOINT|HOST|ENABLED)|STATS_?(URL|ENDPOINT|HOST))',
  'i',
)
const REPORTING: ReadonlySet<SignatureCategory> = new Set(['error-reporting', 'product-analytics', 'marketing-pixel', 'session-replay', 'apm', 'usage-telemetry', 'licence-check', 'update-check'])
const BARE_HOST = /^(?:[a-z0-9-]+\.)+[a-z]{2,24}(:\d+)?$/i

/** Env and ExposedPorts findings for an image config; `prefix` names the image when several targets are scanned. */
export function imageConfigFindings(config: ImageRunConfig, prefix: string): Finding[] {
  const file = prefix ? `${prefix}/${IMAGE_CONFIG_FILE}` : IMAGE_CONFIG_FILE
  const out: Finding[] = []
  const matcher = signatureMatcher()
  for (const [i, entry] of config.env.entries()) {
    const eq = entry.indexOf('=')
    const name = eq > 0 ? entry.slice(0, eq) : entry
    const value = eq > 0 ? entry.slice(eq + 1) : ''
    const url = value.includes('://') ? value : undefined
    const parsed = url ? parseUrl(url) : BARE_HOST.test(value) ? { host: value.replace(/:\d+$/, '').toLowerCase(), port: undefined } : undefined
    const externalValue = parsed && parsed.host && !isLocalHost(parsed.host) ? parsed : undefined
    if (!TELEMETRY_NAME.test(name) && !externalValue) continue
    const shown = redact(value)
    const snippet = `ENV ${name}=${shown}`
    const sig = url ? matcher.matchUrl(url) : externalValue ? matcher.matchHost(externalValue.host) : undefined
    if (sig) {
      const severity: Severity = REPORTING.has(sig.signature.category) ? 'violation' : 'review'
      out.push(makeFinding({
        rule: 'telemetry-endpoint', severity, file, line: i + 1, pkg: '(image)', api: 'image Env', snippet,
        message: `the image sets ${name} to ${sig.signature.vendor}'s ${sig.signature.category} host ${sig.host}: on by default for every container`,
        destination: { ...(url ? { url: shown } : {}), host: sig.host, provenance: 'default', source: `env ${name}` },
        details: { signature: sig.signature.id, category: sig.signature.category, vendor: sig.signature.vendor },
        key: `env:${name}`,
      }))
    }
    out.push(makeFinding({
      rule: 'image-env', severity: 'info', file, line: i + 1, pkg: '(image)', api: 'image Env', snippet,
      message: externalValue
        ? `the image sets ${name}=${shown}: an external destination by default (override it with -e ${name}=…)`
        : `the image sets ${name}=${shown}${value ? '' : ' (empty)'}: looks like a telemetry or update switch`,
      ...(externalValue ? { destination: { ...(url ? { url: shown } : {}), host: externalValue.host, provenance: 'default' as const, source: `env ${name}` } } : {}),
      details: { name, value: shown },
      key: `env:${name}`,
    }))
  }
  for (const port of config.exposedPorts) {
    out.push(makeFinding({
      rule: 'image-exposed-port', severity: 'info', file, pkg: '(image)', api: 'image ExposedPorts', snippet: `EXPOSE ${port}`,
      message: `the image exposes ${port} (where the product listens; inbound, not egress)`,
      details: { port },
      key: `port:${port}`,
    }))
  }
  return out
}

/** Credentials in a URL's user part are shortened: enough to recognise, not to use. */
function redact(value: string): string {
  const v = value.replace(/\/\/([^@/\s]+)@/, (_m, user: string) => `//${user.slice(0, 4)}…@`)
  return v.length > 200 ? `${v.slice(0, 200)}…` : v
}
