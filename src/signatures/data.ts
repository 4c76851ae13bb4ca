// The signature database: known telemetry, analytics, update-check and third-party asset endpoints and SDKs.
// Written by hand from each vendor's own documentation of its endpoints and SDKs; NOT derived from any
// third-party tracker list (their licences forbid reuse). Only ingest/API/asset hosts belong here: a docs
// or marketing host (docs.sentry.io) in an error message is not a destination.
// Bump SIGNATURES_VERSION in version.ts whenever this file changes; the digest changes by itself.
import type { Signature } from './types.ts'

export const SIGNATURES: readonly Signature[] = [
  // ── error and crash reporting ──────────────────────────────────────────────────────────────────────
  {
    id: 'sentry', category: 'error-reporting', vendor: 'Sentry',
    hosts: ['*.ingest.sentry.io', '*.ingest.us.sentry.io', '*.ingest.de.sentry.io', 'sentry.io/api/', 'browser.sentry-cdn.com', 'js.sentry-cdn.com'],
    packages: ['@sentry/node', '@sentry/browser', '@sentry/react', '@sentry/vue', '@sentry/angular', '@sentry/nextjs', '@sentry/nuxt', '@sentry/sveltekit', '@sentry/remix', '@sentry/electron', '@sentry/react-native', '@sentry/bun', '@sentry/deno', '@sentry/aws-serverless', '@sentry/google-cloud-serverless', '@sentry/astro', '@sentry/solid', '@sentry/svelte', '@sentry/ember', '@sentry/gatsby', 'raven', 'raven-js'],
    init: ['init', 'config', 'default.init'],
    globals: ['Sentry.init', 'Raven.config'],
    // DSN: https://<32-hex public key>@<host>/<project>; self-hosted DSNs keep "sentry" in the host by convention.
    keys: ['https?://[0-9a-f]{32}(?::[0-9a-f]{32})?@[A-Za-z0-9.-]+(?::\\d+)?/\\d+', 'https?://[A-Za-z0-9]+@[A-Za-z0-9.-]*sentry[A-Za-z0-9.-]*(?::\\d+)?/\\d+'],
    docs: 'docs.sentry.io/concepts/key-terms/dsn-explainer/',
  },
  {
    id: 'bugsnag', category: 'error-reporting', vendor: 'Bugsnag (SmartBear Insight Hub)',
    hosts: ['notify.bugsnag.com', 'sessions.bugsnag.com', 'build.bugsnag.com', 'upload.bugsnag.com', 'd2wy8f7a9ursnm.cloudfront.net'],
    packages: ['@bugsnag/js', '@bugsnag/node', '@bugsnag/browser', '@bugsnag/expo', '@bugsnag/react-native', 'bugsnag', 'bugsnag-js'],
    init: ['start', 'default.start', 'register', '()'],
    globals: ['Bugsnag.start'],
    docs: 'docs.bugsnag.com/platforms/javascript/configuration-options/#endpoints',
  },
  {
    id: 'rollbar', category: 'error-reporting', vendor: 'Rollbar',
    hosts: ['api.rollbar.com', 'cdn.rollbar.com', 'cdnjs.cloudflare.com/ajax/libs/rollbar.js/'],
    packages: ['rollbar'],
    init: ['new:', 'new:default', 'init', 'default.init'],
    globals: ['Rollbar.init', 'Rollbar.configure'],
    docs: 'docs.rollbar.com/docs/javascript',
  },
  {
    id: 'honeybadger', category: 'error-reporting', vendor: 'Honeybadger',
    hosts: ['api.honeybadger.io', 'js.honeybadger.io', 'eu-api.honeybadger.io'],
    packages: ['@honeybadger-io/js', '@honeybadger-io/react', '@honeybadger-io/vue', 'honeybadger'],
    init: ['configure', 'default.configure', 'factory'],
    globals: ['Honeybadger.configure'],
    keys: ['\\bhbp_[A-Za-z0-9]{30,}'],
    docs: 'docs.honeybadger.io/lib/javascript/reference/configuration/',
  },
  {
    id: 'raygun', category: 'error-reporting', vendor: 'Raygun',
    hosts: ['api.raygun.io', 'api.raygun.com', 'cdn.raygun.io'],
    packages: ['raygun', 'raygun4js'],
    init: ['new:Client', '()'],
    globals: ['rg4js'],
    docs: 'raygun.com/documentation/language-guides/nodejs/crash-reporting/installation/',
  },
  {
    id: 'airbrake', category: 'error-reporting', vendor: 'Airbrake',
    hosts: ['api.airbrake.io', '*.airbrake.io'],
    packages: ['@airbrake/node', '@airbrake/browser', 'airbrake', 'airbrake-js'],
    init: ['new:Notifier', 'createClient'],
    docs: 'docs.airbrake.io/docs/platforms/framework/javascript/node-js/',
  },
  {
    id: 'trackjs', category: 'error-reporting', vendor: 'TrackJS',
    hosts: ['capture.trackjs.com', 'usage.trackjs.com', 'cdn.trackjs.com'],
    packages: ['trackjs', 'trackjs-node'],
    init: ['TrackJS.install', 'install'],
    globals: ['TrackJS.install'],
    docs: 'docs.trackjs.com/browser-agent/sdk-reference/agent-config/',
  },
  {
    id: 'appsignal', category: 'error-reporting', vendor: 'AppSignal',
    hosts: ['appsignal-endpoint.net', '*.appsignal-endpoint.net', 'push.appsignal.com'],
    packages: ['@appsignal/nodejs', '@appsignal/javascript'],
    init: ['new:Appsignal', 'new:default'],
    docs: 'docs.appsignal.com/nodejs/3.x/configuration/options.html',
  },
  {
    id: 'exceptionless', category: 'error-reporting', vendor: 'Exceptionless',
    hosts: ['collector.exceptionless.io', 'api.exceptionless.io', 'heartbeat.exceptionless.io', 'config.exceptionless.io'],
    packages: ['@exceptionless/node', '@exceptionless/browser', 'exceptionless'],
    init: ['Exceptionless.startup', 'startup'],
    docs: 'exceptionless.com/docs/clients/javascript/client-configuration/',
  },
  {
    id: 'highlight', category: 'session-replay', vendor: 'Highlight (LaunchDarkly observability)',
    hosts: ['pub.highlight.io', 'pub.highlight.run', 'otel.highlight.io'],
    packages: ['highlight.run', '@highlight-run/node', '@highlight-run/next'],
    init: ['H.init', 'init', 'H.start'],
    globals: ['H.init'],
    docs: 'www.highlight.io/docs/getting-started/client-sdk/replay-configuration/overview',
  },

  // ── product analytics ─────────────────────────────────────────────────────────────────────────────
  {
    id: 'google-analytics', category: 'product-analytics', vendor: 'Google Analytics',
    hosts: ['www.google-analytics.com', 'ssl.google-analytics.com', 'region1.google-analytics.com', '*.google-analytics.com', 'analytics.google.com/g/collect', 'stats.g.doubleclick.net'],
    packages: ['react-ga', 'react-ga4', 'ga-4-react', 'vue-gtag', 'vue-analytics', 'universal-analytics', 'ga4-mp', '@analytics/google-analytics', 'ngx-google-analytics'],
    init: ['initialize', 'default.initialize', 'install', '()', 'default'],
    globals: ['gtag', 'ga', 'ga.create'],
    // Measurement ids in URLs and snippets: G-XXXXXXXXXX (GA4), UA-1234-1 (Universal Analytics).
    keys: ['[?&]tid=(?:G-[A-Z0-9]{6,12}|UA-\\d{4,10}-\\d{1,4})\\b', '\\bUA-\\d{4,10}-\\d{1,4}\\b'],
    docs: 'developers.google.com/analytics/devguides/collection/protocol/ga4',
  },
  {
    id: 'google-tag-manager', category: 'product-analytics', vendor: 'Google Tag Manager / gtag.js',
    hosts: ['www.googletagmanager.com', 'googletagmanager.com', 'www.googletagservices.com'],
    // In script URLs (`?id=`) and as the whole argument of gtag('config', …).
    keys: ['[?&]id=(?:G|GTM|AW|DC)-[A-Z0-9]{4,12}\\b', '^(?:G|GTM|AW)-[A-Z0-9]{6,12}$'],
    docs: 'developers.google.com/tag-platform/gtagjs/install',
  },
  {
    id: 'segment', category: 'product-analytics', vendor: 'Segment (Twilio)',
    hosts: ['api.segment.io', 'cdn.segment.com', 'cdn.segment.io', 'events.eu1.segmentapis.com', 'cdn.eu1.segmentapis.com'],
    packages: ['@segment/analytics-next', '@segment/analytics-node', 'analytics-node', '@segment/analytics.js-core', '@segment/analytics-react-native', '@analytics/segment'],
    init: ['new:Analytics', 'new:default', 'AnalyticsBrowser.load', 'load', '()', 'default'],
    globals: ['analytics.load'],
    docs: 'segment.com/docs/connections/sources/catalog/libraries/server/http-api/',
  },
  {
    id: 'mixpanel', category: 'product-analytics', vendor: 'Mixpanel',
    hosts: ['api.mixpanel.com', 'api-js.mixpanel.com', 'api-eu.mixpanel.com', 'api-in.mixpanel.com', 'cdn.mxpnl.com', 'cdn4.mxpnl.com', 'decide.mixpanel.com'],
    packages: ['mixpanel', 'mixpanel-browser', 'mixpanel-react-native', '@analytics/mixpanel'],
    init: ['init', 'default.init'],
    globals: ['mixpanel.init'],
    docs: 'docs.mixpanel.com/docs/tracking-methods/sdks/javascript',
  },
  {
    id: 'amplitude', category: 'product-analytics', vendor: 'Amplitude',
    hosts: ['api.amplitude.com', 'api2.amplitude.com', 'api.eu.amplitude.com', 'api-secure.amplitude.com', 'cdn.amplitude.com', 'sr-client-cfg.amplitude.com', 'api-sr.amplitude.com'],
    packages: ['@amplitude/analytics-browser', '@amplitude/analytics-node', '@amplitude/analytics-react-native', '@amplitude/node', 'amplitude-js', '@amplitude/unified', '@amplitude/session-replay-browser', '@amplitude/experiment-js-client'],
    init: ['init', 'default.init', 'getInstance', 'createInstance'],
    globals: ['amplitude.init', 'amplitude.getInstance'],
    docs: 'amplitude.com/docs/apis/analytics/http-v2',
  },
  {
    id: 'posthog', category: 'product-analytics', vendor: 'PostHog',
    hosts: ['app.posthog.com', 'us.posthog.com', 'eu.posthog.com', 'us.i.posthog.com', 'eu.i.posthog.com', '*.i.posthog.com', 'us-assets.i.posthog.com', 'eu-assets.i.posthog.com', 'internal-t.posthog.com'],
    packages: ['posthog-js', 'posthog-node', 'posthog-react-native', 'posthog-js-lite'],
    init: ['init', 'default.init', 'new:PostHog', 'new:default'],
    globals: ['posthog.init'],
    keys: ['\\bphc_[A-Za-z0-9]{30,}'],
    docs: 'posthog.com/docs/libraries/js/config',
  },
  {
    id: 'heap', category: 'product-analytics', vendor: 'Heap (Contentsquare)',
    hosts: ['heapanalytics.com', 'cdn.heapanalytics.com', 'cdn.us.heap-api.com', 'c.us.heap-api.com', '*.heap-api.com'],
    packages: ['@heap/heap-node', 'reactjs-heap', '@heap/react-native-heap'],
    init: ['initialize', 'load'],
    globals: ['heap.load'],
    docs: 'developers.heap.io/reference/server-side-apis-overview',
  },
  {
    id: 'plausible', category: 'product-analytics', vendor: 'Plausible Analytics (cloud)',
    hosts: ['plausible.io/api/event', 'plausible.io/js/'],
    packages: ['plausible-tracker', '@plausible-analytics/tracker'],
    init: ['()', 'default', 'init'],
    docs: 'plausible.io/docs/events-api',
  },
  {
    id: 'fathom', category: 'product-analytics', vendor: 'Fathom Analytics',
    hosts: ['cdn.usefathom.com', 'cdn-eu.usefathom.com'],
    packages: ['fathom-client'],
    init: ['load'],
    docs: 'usefathom.com/docs/script/script-settings',
  },
  {
    id: 'simple-analytics', category: 'product-analytics', vendor: 'Simple Analytics',
    hosts: ['scripts.simpleanalyticscdn.com', 'queue.simpleanalyticscdn.com'],
    docs: 'docs.simpleanalytics.com/script',
  },
  {
    id: 'matomo-cloud', category: 'product-analytics', vendor: 'Matomo Cloud',
    hosts: ['*.matomo.cloud', 'cdn.matomo.cloud'],
    globals: ['_paq.push'],
    docs: 'developer.matomo.org/guides/tracking-javascript-guide',
  },
  {
    id: 'umami-cloud', category: 'product-analytics', vendor: 'Umami Cloud',
    hosts: ['cloud.umami.is', 'api-gateway.umami.dev'],
    docs: 'umami.is/docs/tracker-configuration',
  },
  {
    id: 'pendo', category: 'product-analytics', vendor: 'Pendo',
    hosts: ['cdn.pendo.io', 'app.pendo.io', 'data.pendo.io', 'cdn.eu.pendo.io', 'app.eu.pendo.io', 'data.eu.pendo.io'],
    globals: ['pendo.initialize'],
    docs: 'support.pendo.io/hc/en-us/articles/360046272771',
  },
  {
    id: 'rudderstack', category: 'product-analytics', vendor: 'RudderStack (cloud)',
    hosts: ['*.dataplane.rudderstack.com', 'cdn.rudderlabs.com', 'api.rudderstack.com', 'hosted.rudderlabs.com'],
    packages: ['@rudderstack/analytics-js', 'rudder-sdk-js', '@rudderstack/rudder-sdk-node'],
    init: ['load', 'new:RudderAnalytics', 'new:default', 'new:Analytics'],
    globals: ['rudderanalytics.load'],
    docs: 'www.rudderstack.com/docs/sources/event-streams/sdks/rudderstack-javascript-sdk/',
  },
  {
    id: 'customer-io', category: 'product-analytics', vendor: 'Customer.io',
    hosts: ['track.customer.io', 'track-eu.customer.io', 'cdp.customer.io', 'assets.customer.io'],
    packages: ['customerio-node', '@customerio/cdp-analytics-browser', '@customerio/cdp-analytics-node'],
    init: ['new:TrackClient', 'new:APIClient', 'AnalyticsBrowser.load', 'new:Analytics'],
    docs: 'docs.customer.io/api/track/',
  },
  {
    id: 'kissmetrics', category: 'product-analytics', vendor: 'Kissmetrics',
    hosts: ['trk.kissmetrics.io', 'scripts.kissmetrics.io', 'i.kissmetrics.io'],
    globals: ['_kmq.push'],
    docs: 'support.kissmetrics.io/reference/tracking-api',
  },
  {
    id: 'microsoft-clarity', category: 'session-replay', vendor: 'Microsoft Clarity',
    hosts: ['www.clarity.ms', '*.clarity.ms'],
    packages: ['@microsoft/clarity'],
    init: ['init', 'default.init'],
    globals: ['clarity'],
    docs: 'learn.microsoft.com/en-us/clarity/setup-and-installation/clarity-setup',
  },
  {
    id: 'yandex-metrica', category: 'product-analytics', vendor: 'Yandex Metrica',
    hosts: ['mc.yandex.ru', 'mc.yandex.com', 'mc.webvisor.org'],
    globals: ['ym'],
    docs: 'yandex.com/support/metrica/code/counter-initialize.html',
  },
  {
    id: 'baidu-tongji', category: 'product-analytics', vendor: 'Baidu Tongji',
    hosts: ['hm.baidu.com'],
    globals: ['_hmt.push'],
    docs: 'tongji.baidu.com/web/help/article?id=174',
  },
  {
    id: 'vercel-analytics', category: 'product-analytics', vendor: 'Vercel Web Analytics / Speed Insights',
    hosts: ['va.vercel-scripts.com', 'vitals.vercel-insights.com', 'vitals.vercel-analytics.com'],
    packages: ['@vercel/analytics', '@vercel/speed-insights'],
    init: ['inject', 'injectSpeedInsights', 'Analytics', 'SpeedInsights'],
    docs: 'vercel.com/docs/analytics/package',
  },
  {
    id: 'cloudflare-web-analytics', category: 'product-analytics', vendor: 'Cloudflare Web Analytics',
    hosts: ['static.cloudflareinsights.com', 'cloudflareinsights.com/cdn-cgi/rum'],
    docs: 'developers.cloudflare.com/web-analytics/',
  },
  {
    id: 'hubspot', category: 'chat-widget', vendor: 'HubSpot (tracking code, forms, chat)',
    hosts: ['js.hs-scripts.com', 'js.hs-analytics.net', 'js.hsforms.net', 'forms.hubspot.com', 'track.hubspot.com', 'js.usemessages.com', 'js.hs-banner.com', 'api.hubapi.com'],
    packages: ['@hubspot/api-client'],
    init: ['new:Client'],
    globals: ['_hsq.push'],
    docs: 'developers.hubspot.com/docs/api/events/tracking-code',
  },

  // ── marketing pixels ──────────────────────────────────────────────────────────────────────────────
  {
    id: 'meta-pixel', category: 'marketing-pixel', vendor: 'Meta Pixel',
    hosts: ['connect.facebook.net', 'www.facebook.com/tr', 'graph.facebook.com'],
    packages: ['react-facebook-pixel', 'facebook-nodejs-business-sdk'],
    init: ['init', 'default.init', 'FacebookAdsApi.init'],
    globals: ['fbq'],
    docs: 'developers.facebook.com/docs/meta-pixel/get-started',
  },
  {
    id: 'linkedin-insight', category: 'marketing-pixel', vendor: 'LinkedIn Insight Tag',
    hosts: ['snap.licdn.com', 'px.ads.linkedin.com'],
    globals: ['lintrk'],
    docs: 'learn.microsoft.com/en-us/linkedin/marketing/conversions/conversions-overview',
  },
  {
    id: 'x-pixel', category: 'marketing-pixel', vendor: 'X (Twitter) pixel',
    hosts: ['static.ads-twitter.com', 'analytics.twitter.com', 't.co/i/adsct', 'ads-api.x.com'],
    globals: ['twq'],
    docs: 'business.x.com/en/help/campaign-measurement-and-analytics/conversion-tracking-for-websites',
  },
  {
    id: 'google-ads', category: 'marketing-pixel', vendor: 'Google Ads / DoubleClick',
    hosts: ['googleads.g.doubleclick.net', 'www.googleadservices.com', 'pagead2.googlesyndication.com', 'securepubads.g.doubleclick.net'],
    docs: 'support.google.com/google-ads/answer/7548399',
  },

  // ── session replay ────────────────────────────────────────────────────────────────────────────────
  {
    id: 'hotjar', category: 'session-replay', vendor: 'Hotjar (Contentsquare)',
    hosts: ['static.hotjar.com', 'script.hotjar.com', 'vars.hotjar.com', 'in.hotjar.com', '*.hotjar.io', 'insights.hotjar.com'],
    packages: ['@hotjar/browser', 'react-hotjar'],
    init: ['init', 'default.init', 'hotjar.initialize'],
    globals: ['hj'],
    docs: 'help.hotjar.com/hc/en-us/articles/115009336727',
  },
  {
    id: 'fullstory', category: 'session-replay', vendor: 'FullStory',
    hosts: ['edge.fullstory.com', 'rs.fullstory.com', 'rs-eu1.fullstory.com', 'edge.eu1.fullstory.com', 'api.fullstory.com'],
    packages: ['@fullstory/browser', '@fullstory/snippet', '@fullstory/react-native'],
    init: ['init', 'default.init', 'FullStory.init'],
    globals: ['FS.identify'],
    docs: 'developer.fullstory.com/browser/getting-started/',
  },
  {
    id: 'logrocket', category: 'session-replay', vendor: 'LogRocket',
    hosts: ['r.lr-ingest.io', 'r.lr-in.com', 'r.lr-in-prod.com', 'cdn.logrocket.io', 'cdn.lr-ingest.io', 'cdn.lr-in.com', 'cdn.lr-in-prod.com', 'cdn.lgrckt-in.com', 'r.lgrckt-in.com'],
    packages: ['logrocket', 'logrocket-react', '@logrocket/react-native'],
    init: ['init', 'default.init'],
    globals: ['LogRocket.init'],
    // LogRocket app ids look like `abcdef/my-app`.
    docs: 'docs.logrocket.com/reference/init',
  },
  {
    id: 'smartlook', category: 'session-replay', vendor: 'Smartlook',
    hosts: ['web-sdk.smartlook.com', 'rec.smartlook.com', 'manager.smartlook.com', 'assets.smartlook.cloud'],
    packages: ['smartlook-client'],
    init: ['init', 'default.init'],
    globals: ['smartlook'],
    docs: 'help.smartlook.com/docs/web-sdk-installation',
  },
  {
    id: 'mouseflow', category: 'session-replay', vendor: 'Mouseflow',
    hosts: ['cdn.mouseflow.com', 'o2.mouseflow.com', 'api-us.mouseflow.com', 'api-eu.mouseflow.com'],
    globals: ['_mfq.push'],
    docs: 'help.mouseflow.com/en/articles/4310818',
  },
  {
    id: 'lucky-orange', category: 'session-replay', vendor: 'Lucky Orange',
    hosts: ['tools.luckyorange.com', 'tools.luckyorange.net', 'w1.luckyorange.com'],
    docs: 'help.luckyorange.com/article/26-how-to-install-lucky-orange',
  },
  {
    id: 'inspectlet', category: 'session-replay', vendor: 'Inspectlet',
    hosts: ['cdn.inspectlet.com', 'hn.inspectlet.com'],
    globals: ['__insp.push'],
    docs: 'docs.inspectlet.com/hc/en-us/articles/360002994432',
  },
  {
    id: 'openreplay-cloud', category: 'session-replay', vendor: 'OpenReplay Cloud',
    hosts: ['api.openreplay.com', 'static.openreplay.com'],
    packages: ['@openreplay/tracker'],
    init: ['new:default', 'new:Tracker'],
    docs: 'docs.openreplay.com/en/sdk/constructor/',
  },

  // ── APM, logs and metrics SaaS ────────────────────────────────────────────────────────────────────
  {
    id: 'datadog', category: 'apm', vendor: 'Datadog',
    hosts: [
      'browser-intake-datadoghq.com', '*.browser-intake-datadoghq.com', 'browser-intake-datadoghq.eu', '*.browser-intake-datadoghq.eu',
      'browser-intake-us3-datadoghq.com', 'browser-intake-us5-datadoghq.com', 'browser-intake-ap1-datadoghq.com',
      'http-intake.logs.datadoghq.com', 'http-intake.logs.datadoghq.eu', 'api.datadoghq.com', 'api.datadoghq.eu', 'api.us3.datadoghq.com', 'api.us5.datadoghq.com',
      'trace.agent.datadoghq.com', 'trace.agent.datadoghq.eu', 'instrumentation-telemetry-intake.datadoghq.com', 'instrumentation-telemetry-intake.datadoghq.eu',
      'www.datadoghq-browser-agent.com', 'intake.profile.datadoghq.com',
    ],
    packages: ['dd-trace', '@datadog/browser-rum', '@datadog/browser-logs', '@datadog/browser-rum-slim', '@datadog/datadog-api-client', 'datadog-metrics', 'hot-shots', 'datadog-winston', '@datadog/mobile-react-native'],
    init: ['init', 'default.init', 'datadogRum.init', 'datadogLogs.init', 'import:dd-trace/init', 'init.default'],
    globals: ['DD_RUM.init', 'DD_LOGS.init'],
    keys: ['\\bpub[0-9a-f]{32}\\b'],
    docs: 'docs.datadoghq.com/getting_started/site/',
  },
  {
    id: 'new-relic', category: 'apm', vendor: 'New Relic',
    hosts: ['collector.newrelic.com', '*.collector.newrelic.com', 'bam.nr-data.net', 'bam-cell.nr-data.net', 'bam.eu01.nr-data.net', 'js-agent.newrelic.com', 'otlp.nr-data.net', 'otlp.eu01.nr-data.net', 'log-api.newrelic.com', 'log-api.eu.newrelic.com', 'insights-collector.newrelic.com', 'metric-api.newrelic.com', 'trace-api.newrelic.com', 'collector.eu01.nr-data.net'],
    packages: ['newrelic', '@newrelic/browser-agent', '@newrelic/telemetry-sdk', '@newrelic/next', '@newrelic/winston-enricher'],
    init: ['import', 'new:BrowserAgent', 'new:MetricClient', 'new:LogClient'],
    // Licence/ingest keys end in NRAL; browser keys start NRJS-.
    keys: ['\\b[0-9a-f]{36}NRAL\\b', '\\bNRJS-[0-9a-f]{19}\\b'],
    docs: 'docs.newrelic.com/docs/new-relic-solutions/get-started/networks/',
  },
  {
    id: 'honeycomb', category: 'apm', vendor: 'Honeycomb',
    hosts: ['api.honeycomb.io', 'api.eu1.honeycomb.io'],
    packages: ['@honeycombio/opentelemetry-node', '@honeycombio/opentelemetry-web', 'libhoney', 'honeycomb-beeline'],
    init: ['new:HoneycombSDK', 'HoneycombWebSDK', 'new:HoneycombWebSDK', 'new:default', '()'],
    docs: 'docs.honeycomb.io/send-data/opentelemetry/',
  },
  {
    id: 'elastic-apm', category: 'apm', vendor: 'Elastic APM agents',
    hosts: ['*.apm.us-east-1.aws.cloud.es.io', '*.apm.europe-west1.gcp.cloud.es.io', '*.apm.eastus2.azure.elastic-cloud.com'],
    packages: ['elastic-apm-node', '@elastic/apm-rum', '@elastic/apm-rum-react'],
    init: ['start', 'init', 'default.start', 'import:elastic-apm-node/start'],
    globals: ['elasticApm.init'],
    docs: 'www.elastic.co/guide/en/apm/agent/nodejs/current/configuration.html',
  },
  {
    id: 'azure-application-insights', category: 'apm', vendor: 'Azure Application Insights',
    hosts: ['dc.services.visualstudio.com', '*.in.applicationinsights.azure.com', '*.livediagnostics.monitor.azure.com', 'js.monitor.azure.com', 'rt.services.visualstudio.com'],
    packages: ['applicationinsights', '@microsoft/applicationinsights-web', '@azure/monitor-opentelemetry', '@azure/monitor-opentelemetry-exporter', '@microsoft/applicationinsights-react-js'],
    init: ['setup', 'default.setup', 'new:ApplicationInsights', 'useAzureMonitor', 'new:AzureMonitorTraceExporter'],
    keys: ['InstrumentationKey=[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'],
    docs: 'learn.microsoft.com/en-us/azure/azure-monitor/app/ip-addresses',
  },
  {
    id: 'dynatrace', category: 'apm', vendor: 'Dynatrace SaaS',
    hosts: ['*.live.dynatrace.com', '*.apps.dynatrace.com', 'js-cdn.dynatrace.com'],
    packages: ['@dynatrace/oneagent', '@dynatrace/oneagent-sdk'],
    init: ['()', 'default', 'createInstance'],
    docs: 'docs.dynatrace.com/docs/discover-dynatrace/references/dynatrace-api',
  },
  {
    id: 'appdynamics', category: 'apm', vendor: 'AppDynamics (Splunk)',
    hosts: ['*.saas.appdynamics.com', 'cdn.appdynamics.com', 'col.eum-appdynamics.com', 'pdx-col.eum-appdynamics.com'],
    packages: ['appdynamics'],
    init: ['profile', 'default.profile'],
    docs: 'docs.appdynamics.com/appd/24.x/latest/en/application-monitoring/install-app-server-agents/node-js-agent',
  },
  {
    id: 'splunk-observability', category: 'apm', vendor: 'Splunk Observability Cloud (SignalFx)',
    hosts: ['*.us0.signalfx.com', '*.us1.signalfx.com', '*.us2.signalfx.com', '*.eu0.signalfx.com', '*.jp0.signalfx.com', '*.au0.signalfx.com', 'cdn.signalfx.com'],
    packages: ['@splunk/otel', '@splunk/otel-web', 'signalfx'],
    init: ['start', 'init', 'SplunkRum.init', 'Ingest', 'new:Ingest'],
    docs: 'docs.splunk.com/observability/en/gdi/get-data-in/application/nodejs/configuration/advanced-nodejs-otel-configuration.html',
  },
  {
    id: 'grafana-cloud', category: 'apm', vendor: 'Grafana Cloud',
    hosts: ['*.grafana.net'],
    packages: ['@grafana/faro-web-sdk', '@grafana/faro-react'],
    init: ['initializeFaro'],
    docs: 'grafana.com/docs/grafana-cloud/monitor-frontend/',
  },
  {
    id: 'lightstep', category: 'apm', vendor: 'Lightstep (ServiceNow Cloud Observability)',
    hosts: ['ingest.lightstep.com', 'ingest.eu.lightstep.com', 'collector.lightstep.com'],
    packages: ['lightstep-tracer', 'lightstep-opentelemetry-launcher-node'],
    init: ['new:Tracer', 'configureOpenTelemetry'],
    docs: 'docs.lightstep.com/docs/quickstart-nodejs',
  },
  {
    id: 'opentelemetry-otlp-exporter', category: 'apm', vendor: 'OpenTelemetry OTLP exporters (destination set by the app)',
    hosts: [],
    packages: ['@opentelemetry/exporter-trace-otlp-http', '@opentelemetry/exporter-trace-otlp-proto', '@opentelemetry/exporter-trace-otlp-grpc', '@opentelemetry/exporter-metrics-otlp-http', '@opentelemetry/exporter-metrics-otlp-proto', '@opentelemetry/exporter-metrics-otlp-grpc', '@opentelemetry/exporter-logs-otlp-http', '@opentelemetry/exporter-logs-otlp-proto', '@opentelemetry/exporter-logs-otlp-grpc', '@opentelemetry/exporter-zipkin', '@opentelemetry/exporter-jaeger'],
    init: ['new:OTLPTraceExporter', 'new:OTLPMetricExporter', 'new:OTLPLogExporter', 'new:ZipkinExporter', 'new:JaegerExporter'],
    docs: 'opentelemetry.io/docs/languages/js/exporters/',
  },
  {
    id: 'logtail', category: 'apm', vendor: 'Better Stack (Logtail)',
    hosts: ['in.logtail.com', 'in.logs.betterstack.com', '*.betterstackdata.com'],
    packages: ['@logtail/node', '@logtail/js', '@logtail/browser', '@logtail/winston', '@logtail/pino'],
    init: ['new:Logtail', 'new:default', 'new:Node', 'new:Browser'],
    docs: 'betterstack.com/docs/logs/javascript/',
  },
  {
    id: 'loggly', category: 'apm', vendor: 'Loggly (SolarWinds)',
    hosts: ['logs-01.loggly.com', 'loggly.com/inputs/'],
    packages: ['winston-loggly-bulk', 'node-loggly-bulk', 'loggly'],
    init: ['createClient', 'Loggly', 'new:Loggly'],
    docs: 'documentation.solarwinds.com/en/success_center/loggly/content/admin/http-endpoint.htm',
  },
  {
    id: 'papertrail', category: 'apm', vendor: 'Papertrail (SolarWinds)',
    hosts: ['*.papertrailapp.com'],
    packages: ['winston-papertrail', 'winston-syslog'],
    docs: 'www.papertrail.com/help/configuration/',
  },
  {
    id: 'axiom', category: 'apm', vendor: 'Axiom',
    hosts: ['api.axiom.co', 'cloud.axiom.co/api/'],
    packages: ['@axiomhq/js', '@axiomhq/winston', '@axiomhq/pino', 'next-axiom'],
    init: ['new:Axiom', 'new:AxiomWithoutBatching', 'new:WinstonTransport'],
    docs: 'axiom.co/docs/restapi/introduction',
  },
  {
    id: 'sumo-logic', category: 'apm', vendor: 'Sumo Logic',
    hosts: ['*.collection.sumologic.com', '*.collection.us2.sumologic.com', '*.collection.eu.sumologic.com', '*.collection.au.sumologic.com'],
    packages: ['sumo-logger', 'winston-sumologic-transport'],
    init: ['new:SumoLogger', 'new:default'],
    docs: 'help.sumologic.com/docs/send-data/hosted-collectors/http-source/logs-metrics/',
  },

  // ── usage telemetry built into frameworks and tools ───────────────────────────────────────────────
  {
    id: 'nextjs-telemetry', category: 'usage-telemetry', vendor: 'Next.js (Vercel)',
    hosts: ['telemetry.nextjs.org'],
    docs: 'nextjs.org/telemetry',
  },
  {
    id: 'nuxt-telemetry', category: 'usage-telemetry', vendor: 'Nuxt',
    hosts: ['telemetry.nuxtjs.com', 'telemetry.nuxt.com'],
    packages: ['@nuxt/telemetry'],
    init: ['import'],
    docs: 'github.com/nuxt/telemetry',
  },
  {
    id: 'gatsby-telemetry', category: 'usage-telemetry', vendor: 'Gatsby',
    hosts: ['telemetry.gatsbyjs.com'],
    packages: ['gatsby-telemetry'],
    init: ['import'],
    docs: 'www.gatsbyjs.com/docs/telemetry/',
  },
  {
    id: 'astro-telemetry', category: 'usage-telemetry', vendor: 'Astro',
    hosts: ['telemetry.astro.build'],
    packages: ['@astrojs/telemetry'],
    init: ['new:AstroTelemetry'],
    docs: 'astro.build/telemetry/',
  },
  {
    id: 'vercel-telemetry', category: 'usage-telemetry', vendor: 'Vercel CLI / Turborepo',
    hosts: ['telemetry.vercel.com'],
    docs: 'turbo.build/repo/docs/telemetry',
  },
  {
    id: 'prisma-checkpoint', category: 'update-check', vendor: 'Prisma (checkpoint: version check and usage)',
    hosts: ['checkpoint.prisma.io'],
    packages: ['checkpoint-client'],
    init: ['check', 'default.check'],
    docs: 'www.prisma.io/docs/orm/tools/prisma-cli#telemetry',
  },
  {
    id: 'storybook-telemetry', category: 'usage-telemetry', vendor: 'Storybook',
    hosts: ['storybook.js.org/event-log'],
    packages: ['@storybook/telemetry'],
    init: ['telemetry'],
    docs: 'storybook.js.org/docs/configure/telemetry',
  },
  {
    id: 'hashicorp-checkpoint', category: 'update-check', vendor: 'HashiCorp checkpoint',
    hosts: ['checkpoint-api.hashicorp.com'],
    docs: 'checkpoint.hashicorp.com/',
  },

  // ── update checks ─────────────────────────────────────────────────────────────────────────────────
  {
    id: 'npm-registry', category: 'update-check', vendor: 'npm registry',
    hosts: ['registry.npmjs.org', 'registry.npmjs.com', 'registry.yarnpkg.com', 'registry.npmmirror.com'],
    packages: ['update-notifier', 'simple-update-notifier', 'update-check', 'latest-version', 'package-json', 'npm-check-updates', 'is-latest'],
    init: ['()', 'default', 'notify', 'check'],
    docs: 'github.com/npm/registry/blob/main/docs/REGISTRY-API.md',
  },
  {
    id: 'github-releases-api', category: 'update-check', vendor: 'GitHub releases API',
    hosts: ['api.github.com/repos/*/*/releases', 'api.github.com/repos/*/*/tags', 'github.com/*/*/releases/latest', 'github.com/*/*/releases/download/', 'objects.githubusercontent.com', 'release-assets.githubusercontent.com'],
    docs: 'docs.github.com/en/rest/releases/releases',
  },
  {
    id: 'electron-update', category: 'update-check', vendor: 'Electron update services',
    hosts: ['update.electronjs.org'],
    packages: ['update-electron-app', 'electron-updater'],
    init: ['()', 'default', 'updateElectronApp', 'autoUpdater.checkForUpdates', 'autoUpdater.checkForUpdatesAndNotify'],
    docs: 'www.electronjs.org/docs/latest/tutorial/updates',
  },
  {
    id: 'pypi-json', category: 'update-check', vendor: 'PyPI JSON API',
    hosts: ['pypi.org/pypi/'],
    docs: 'docs.pypi.org/api/json/',
  },
  {
    id: 'docker-hub', category: 'update-check', vendor: 'Docker Hub registry API',
    hosts: ['hub.docker.com/v2/', 'registry.hub.docker.com', 'registry-1.docker.io'],
    docs: 'docs.docker.com/reference/api/hub/latest/',
  },
  {
    id: 'gitlab-version-check', category: 'update-check', vendor: 'GitLab version check',
    hosts: ['version.gitlab.com'],
    docs: 'docs.gitlab.com/ee/administration/settings/usage_statistics.html',
  },
  {
    id: 'nodejs-dist', category: 'update-check', vendor: 'Node.js release index',
    hosts: ['nodejs.org/dist/', 'nodejs.org/download/'],
    docs: 'nodejs.org/dist/index.json',
  },

  // ── licence checks ────────────────────────────────────────────────────────────────────────────────
  {
    id: 'keygen', category: 'licence-check', vendor: 'Keygen',
    hosts: ['api.keygen.sh'],
    docs: 'keygen.sh/docs/api/licenses/',
  },
  {
    id: 'gumroad-licenses', category: 'licence-check', vendor: 'Gumroad licence API',
    hosts: ['api.gumroad.com/v2/licenses/'],
    docs: 'gumroad.com/help/article/76-license-keys',
  },
  {
    id: 'lemon-squeezy-licenses', category: 'licence-check', vendor: 'Lemon Squeezy licence API',
    hosts: ['api.lemonsqueezy.com/v1/licenses/'],
    packages: ['@lemonsqueezy/lemonsqueezy.js'],
    init: ['lemonSqueezySetup'],
    docs: 'docs.lemonsqueezy.com/api/license-api',
  },
  {
    id: 'cryptlex', category: 'licence-check', vendor: 'Cryptlex',
    hosts: ['api.cryptlex.com', 'api.eu.cryptlex.com'],
    packages: ['@cryptlex/lexactivator', '@cryptlex/lexfloatclient'],
    init: ['import'],
    docs: 'docs.cryptlex.com/',
  },
  {
    id: 'licensespring', category: 'licence-check', vendor: 'LicenseSpring',
    hosts: ['api.licensespring.com', 'saas.licensespring.com'],
    packages: ['@licensespring/node-sdk'],
    init: ['new:LicenseAPI', 'new:LicenseManager'],
    docs: 'docs.licensespring.com/license-api',
  },
  {
    id: 'polar-licenses', category: 'licence-check', vendor: 'Polar licence keys',
    hosts: ['api.polar.sh/v1/customer-portal/license-keys/', 'api.polar.sh/v1/license-keys/'],
    docs: 'docs.polar.sh/features/benefits/license-keys',
  },

  // ── public IP lookup ──────────────────────────────────────────────────────────────────────────────
  {
    id: 'ipify', category: 'public-ip', vendor: 'ipify',
    hosts: ['api.ipify.org', 'api4.ipify.org', 'api6.ipify.org', 'api64.ipify.org', 'geo.ipify.org'],
    packages: ['public-ip', 'external-ip'],
    init: ['v4', 'v6', 'publicIp', 'publicIpv4', 'publicIpv6', '()', 'default'],
    docs: 'www.ipify.org/',
  },
  {
    id: 'ipinfo', category: 'public-ip', vendor: 'ipinfo.io',
    hosts: ['ipinfo.io', 'api.ipinfo.io'],
    docs: 'ipinfo.io/developers',
  },
  {
    id: 'icanhazip', category: 'public-ip', vendor: 'icanhazip (Cloudflare)',
    hosts: ['icanhazip.com', 'ipv4.icanhazip.com', 'ipv6.icanhazip.com'],
    docs: 'major.io/p/a-new-future-for-icanhazip/',
  },
  {
    id: 'ifconfig-me', category: 'public-ip', vendor: 'ifconfig.me / ifconfig.co',
    hosts: ['ifconfig.me', 'ifconfig.co', 'ifconfig.io'],
    docs: 'ifconfig.co/',
  },
  {
    id: 'aws-checkip', category: 'public-ip', vendor: 'AWS checkip',
    hosts: ['checkip.amazonaws.com'],
    docs: 'docs.aws.amazon.com/vpc/latest/userguide/vpc-security-groups.html',
  },
  {
    id: 'ip-api', category: 'public-ip', vendor: 'ip-api.com / ipapi.co / ipwho.is',
    hosts: ['ip-api.com', 'pro.ip-api.com', 'ipapi.co', 'ipwho.is', 'ipwhois.app', 'freeipapi.com'],
    docs: 'ip-api.com/docs',
  },
  {
    id: 'misc-myip', category: 'public-ip', vendor: 'Assorted "what is my IP" services',
    hosts: ['ident.me', 'v4.ident.me', 'v6.ident.me', 'api.myip.com', 'ipecho.net', 'myexternalip.com', 'wtfismyip.com', 'ipv4.wtfismyip.com', 'checkip.dyndns.org', 'whatismyipaddress.com', 'ip.me', 'api.seeip.org', 'ip.sb', 'api.ip.sb'],
    docs: 'ipecho.net/developers.html',
  },
  {
    id: 'cloudflare-trace', category: 'public-ip', vendor: 'Cloudflare trace endpoint',
    hosts: ['1.1.1.1/cdn-cgi/trace', 'www.cloudflare.com/cdn-cgi/trace', 'cloudflare.com/cdn-cgi/trace'],
    docs: 'developers.cloudflare.com/fundamentals/reference/cdn-cgi-endpoint/',
  },

  // ── public DNS resolvers (classic and DNS-over-HTTPS) ─────────────────────────────────────────────
  {
    id: 'google-public-dns', category: 'public-dns', vendor: 'Google Public DNS',
    hosts: ['8.8.8.8', '8.8.4.4', '2001:4860:4860::8888', '2001:4860:4860::8844', 'dns.google', 'dns.google.com', 'dns64.dns.google'],
    docs: 'developers.google.com/speed/public-dns/docs/using',
  },
  {
    id: 'cloudflare-dns', category: 'public-dns', vendor: 'Cloudflare DNS (1.1.1.1)',
    hosts: ['1.1.1.1', '1.0.0.1', '2606:4700:4700::1111', '2606:4700:4700::1001', 'cloudflare-dns.com', 'mozilla.cloudflare-dns.com', 'one.one.one.one', '1.1.1.2', '1.1.1.3', 'security.cloudflare-dns.com', 'family.cloudflare-dns.com'],
    docs: 'developers.cloudflare.com/1.1.1.1/encryption/dns-over-https/',
  },
  {
    id: 'quad9-dns', category: 'public-dns', vendor: 'Quad9',
    hosts: ['9.9.9.9', '149.112.112.112', '2620:fe::fe', '2620:fe::9', 'dns.quad9.net', 'dns9.quad9.net', 'dns10.quad9.net', 'dns11.quad9.net'],
    docs: 'www.quad9.net/service/service-addresses-and-features',
  },
  {
    id: 'opendns', category: 'public-dns', vendor: 'Cisco OpenDNS',
    hosts: ['208.67.222.222', '208.67.220.220', '2620:119:35::35', '2620:119:53::53', 'doh.opendns.com', 'resolver1.opendns.com', 'resolver2.opendns.com', 'myip.opendns.com'],
    docs: 'support.opendns.com/hc/en-us/articles/360038086532',
  },
  {
    id: 'adguard-dns', category: 'public-dns', vendor: 'AdGuard DNS',
    hosts: ['94.140.14.14', '94.140.15.15', 'dns.adguard-dns.com', 'dns.adguard.com', 'unfiltered.adguard-dns.com'],
    docs: 'adguard-dns.io/en/public-dns.html',
  },
  {
    id: 'nextdns', category: 'public-dns', vendor: 'NextDNS',
    hosts: ['dns.nextdns.io', '*.dns.nextdns.io'],
    docs: 'nextdns.io/',
  },

  // ── NTP ───────────────────────────────────────────────────────────────────────────────────────────
  {
    id: 'ntp-pool', category: 'ntp', vendor: 'NTP Pool Project',
    hosts: ['pool.ntp.org', '*.pool.ntp.org'],
    packages: ['ntp-client', 'ntp-time-sync', 'sntp', 'ntp2'],
    init: ['getNetworkTime', 'new:Client', 'getInstance', 'time'],
    docs: 'www.ntppool.org/en/use.html',
  },
  {
    id: 'vendor-ntp', category: 'ntp', vendor: 'Vendor time servers (Google, Cloudflare, Apple, Microsoft, NIST)',
    hosts: ['time.google.com', 'time1.google.com', 'time2.google.com', 'time3.google.com', 'time4.google.com', 'time.cloudflare.com', 'time.apple.com', 'time.euro.apple.com', 'time.windows.com', 'time.nist.gov', 'time-a-g.nist.gov', 'time.facebook.com', 'ntp.ubuntu.com'],
    docs: 'developers.google.com/time/guides',
  },

  // ── STUN / TURN ───────────────────────────────────────────────────────────────────────────────────
  {
    id: 'google-stun', category: 'stun', vendor: 'Google STUN servers',
    hosts: ['stun.l.google.com', 'stun1.l.google.com', 'stun2.l.google.com', 'stun3.l.google.com', 'stun4.l.google.com'],
    docs: 'webrtc.org/getting-started/peer-connections',
  },
  {
    id: 'public-stun', category: 'stun', vendor: 'Other public STUN/TURN services',
    hosts: ['stun.cloudflare.com', 'turn.cloudflare.com', 'global.stun.twilio.com', 'global.turn.twilio.com', 'stun.services.mozilla.com', 'stun.stunprotocol.org', 'stun.relay.metered.ca', 'openrelay.metered.ca', 'stun.nextcloud.com', 'stun.ekiga.net'],
    docs: 'developers.cloudflare.com/realtime/turn/',
  },

  // ── font CDNs ─────────────────────────────────────────────────────────────────────────────────────
  {
    id: 'google-fonts', category: 'font-cdn', vendor: 'Google Fonts',
    hosts: ['fonts.googleapis.com', 'fonts.gstatic.com'],
    packages: ['webfontloader'],
    init: ['load', 'default.load'],
    globals: ['WebFont.load'],
    docs: 'developers.google.com/fonts/docs/css2',
  },
  {
    id: 'adobe-fonts', category: 'font-cdn', vendor: 'Adobe Fonts (Typekit)',
    hosts: ['use.typekit.net', 'p.typekit.net', 'use.typekit.com'],
    globals: ['Typekit.load'],
    docs: 'helpx.adobe.com/fonts/using/embed-codes.html',
  },
  {
    id: 'font-awesome-cdn', category: 'font-cdn', vendor: 'Font Awesome CDN and kits',
    hosts: ['kit.fontawesome.com', 'ka-f.fontawesome.com', 'ka-p.fontawesome.com', 'use.fontawesome.com', 'pro.fontawesome.com'],
    docs: 'docs.fontawesome.com/web/setup/use-kit',
  },
  {
    id: 'bunny-fonts', category: 'font-cdn', vendor: 'Bunny Fonts',
    hosts: ['fonts.bunny.net'],
    docs: 'fonts.bunny.net/about',
  },
  {
    id: 'fonts-com', category: 'font-cdn', vendor: 'Monotype Fonts.com / fast.fonts.net',
    hosts: ['fast.fonts.net', 'fast.fonts.com'],
    docs: 'www.fonts.com/web-fonts',
  },

  // ── script and asset CDNs ─────────────────────────────────────────────────────────────────────────
  {
    id: 'jsdelivr', category: 'script-cdn', vendor: 'jsDelivr',
    hosts: ['cdn.jsdelivr.net', 'fastly.jsdelivr.net', 'gcore.jsdelivr.net', 'testingcf.jsdelivr.net', 'data.jsdelivr.com'],
    docs: 'www.jsdelivr.com/documentation',
  },
  {
    id: 'unpkg', category: 'script-cdn', vendor: 'unpkg',
    hosts: ['unpkg.com', 'www.unpkg.com'],
    docs: 'unpkg.com/',
  },
  {
    id: 'cdnjs', category: 'script-cdn', vendor: 'cdnjs (Cloudflare)',
    hosts: ['cdnjs.cloudflare.com', 'api.cdnjs.com'],
    docs: 'cdnjs.com/about',
  },
  {
    id: 'google-hosted-libraries', category: 'script-cdn', vendor: 'Google Hosted Libraries',
    hosts: ['ajax.googleapis.com'],
    docs: 'developers.google.com/speed/libraries',
  },
  {
    id: 'jquery-cdn', category: 'script-cdn', vendor: 'jQuery CDN',
    hosts: ['code.jquery.com'],
    docs: 'releases.jquery.com/',
  },
  {
    id: 'esm-cdns', category: 'script-cdn', vendor: 'ESM CDNs (esm.sh, Skypack, esm.run, JSPM)',
    hosts: ['esm.sh', 'cdn.esm.sh', 'cdn.skypack.dev', 'esm.run', 'ga.jspm.io', 'jspm.dev', 'cdn.pika.dev'],
    docs: 'esm.sh/',
  },
  {
    id: 'bootstrap-cdn', category: 'script-cdn', vendor: 'BootstrapCDN / StackPath',
    hosts: ['stackpath.bootstrapcdn.com', 'maxcdn.bootstrapcdn.com', 'netdna.bootstrapcdn.com'],
    docs: 'www.bootstrapcdn.com/',
  },
  {
    id: 'polyfill-io', category: 'script-cdn', vendor: 'polyfill.io (compromised in 2024) and mirrors',
    hosts: ['polyfill.io', 'cdn.polyfill.io', 'polyfill-fastly.io', 'polyfill-fastly.net', 'cdnjs.cloudflare.com/polyfill/', 'polyfill.alicdn.com'],
    docs: 'blog.cloudflare.com/polyfill-io-now-available-on-cdnjs-reduce-your-supply-chain-risk/',
  },
  {
    id: 'microsoft-ajax-cdn', category: 'script-cdn', vendor: 'Microsoft Ajax CDN',
    hosts: ['ajax.aspnetcdn.com', 'ajax.microsoft.com'],
    docs: 'learn.microsoft.com/en-us/aspnet/ajax/cdn/overview',
  },
  {
    id: 'google-maps-js', category: 'script-cdn', vendor: 'Google Maps JavaScript API',
    hosts: ['maps.googleapis.com', 'maps.gstatic.com'],
    packages: ['@googlemaps/js-api-loader', '@react-google-maps/api'],
    init: ['new:Loader', 'importLibrary', 'setOptions'],
    keys: ['\\bAIza[0-9A-Za-z_-]{35}\\b'],
    docs: 'developers.google.com/maps/documentation/javascript/load-maps-js-api',
  },

  // ── avatars ───────────────────────────────────────────────────────────────────────────────────────
  {
    id: 'gravatar', category: 'avatar', vendor: 'Gravatar (Automattic)',
    hosts: ['gravatar.com/avatar/', 'www.gravatar.com', 'secure.gravatar.com', 'en.gravatar.com', '0.gravatar.com', '1.gravatar.com', '2.gravatar.com', 'api.gravatar.com'],
    packages: ['gravatar', 'gravatar-url', 'react-gravatar', 'vue-gravatar'],
    init: ['url', '()', 'default', 'profile_url'],
    docs: 'docs.gravatar.com/api/avatars/images/',
  },
  {
    id: 'libravatar', category: 'avatar', vendor: 'Libravatar',
    hosts: ['seccdn.libravatar.org', 'cdn.libravatar.org'],
    docs: 'wiki.libravatar.org/api/',
  },
  {
    id: 'generated-avatars', category: 'avatar', vendor: 'Hosted avatar generators (DiceBear, UI Avatars, RoboHash, Pravatar, Boring Avatars)',
    hosts: ['api.dicebear.com', 'avatars.dicebear.com', 'ui-avatars.com', 'robohash.org', 'i.pravatar.cc', 'pravatar.cc', 'source.boringavatars.com', 'avatar.vercel.sh'],
    docs: 'www.dicebear.com/how-to-use/http-api/',
  },
  {
    id: 'github-avatars', category: 'avatar', vendor: 'GitHub avatars',
    hosts: ['avatars.githubusercontent.com', 'github.com/*.png'],
    docs: 'docs.github.com/en/account-and-profile/setting-up-and-managing-your-personal-account-on-github/managing-user-account-settings/about-your-profile',
  },

  // ── captcha ───────────────────────────────────────────────────────────────────────────────────────
  {
    id: 'recaptcha', category: 'captcha', vendor: 'Google reCAPTCHA',
    hosts: ['www.google.com/recaptcha/', 'www.gstatic.com/recaptcha/', 'www.recaptcha.net', 'recaptcha.net', 'recaptchaenterprise.googleapis.com'],
    packages: ['react-google-recaptcha', 'react-google-recaptcha-v3', 'vue-recaptcha', 'ng-recaptcha', 'recaptcha-v3'],
    init: ['load', 'default', 'GoogleReCaptchaProvider'],
    globals: ['grecaptcha.render', 'grecaptcha.execute', 'grecaptcha.enterprise.execute'],
    docs: 'developers.google.com/recaptcha/docs/display',
  },
  {
    id: 'hcaptcha', category: 'captcha', vendor: 'hCaptcha',
    hosts: ['js.hcaptcha.com', 'hcaptcha.com/siteverify', 'api.hcaptcha.com', 'api2.hcaptcha.com', 'newassets.hcaptcha.com', 'imgs.hcaptcha.com'],
    packages: ['@hcaptcha/react-hcaptcha', '@hcaptcha/vue-hcaptcha', 'hcaptcha'],
    init: ['verify', 'default'],
    globals: ['hcaptcha.render'],
    docs: 'docs.hcaptcha.com/',
  },
  {
    id: 'cloudflare-turnstile', category: 'captcha', vendor: 'Cloudflare Turnstile',
    hosts: ['challenges.cloudflare.com'],
    packages: ['@marsidev/react-turnstile'],
    init: ['Turnstile'],
    globals: ['turnstile.render'],
    docs: 'developers.cloudflare.com/turnstile/get-started/',
  },
  {
    id: 'arkose-labs', category: 'captcha', vendor: 'Arkose Labs (FunCaptcha)',
    hosts: ['client-api.arkoselabs.com', '*.arkoselabs.com', 'api.funcaptcha.com'],
    docs: 'developer.arkoselabs.com/docs/standard-setup',
  },
  {
    id: 'friendly-captcha', category: 'captcha', vendor: 'Friendly Captcha',
    hosts: ['api.friendlycaptcha.com', 'eu-api.friendlycaptcha.eu', 'global.frcapi.com'],
    packages: ['friendly-challenge', '@friendlycaptcha/sdk'],
    init: ['new:WidgetInstance', 'new:FriendlyCaptchaSDK'],
    docs: 'developer.friendlycaptcha.com/docs/',
  },

  // ── chat and support widgets ──────────────────────────────────────────────────────────────────────
  {
    id: 'intercom', category: 'chat-widget', vendor: 'Intercom',
    hosts: ['widget.intercom.io', 'js.intercomcdn.com', 'api-iam.intercom.io', 'api-iam.eu.intercom.io', 'nexus-websocket-a.intercom.io', 'api.intercom.io'],
    packages: ['@intercom/messenger-js-sdk', 'react-use-intercom', 'intercom-client', '@intercom/intercom-react-native'],
    init: ['()', 'default', 'Intercom', 'boot', 'new:Client', 'IntercomProvider'],
    globals: ['Intercom'],
    docs: 'developers.intercom.com/installing-intercom/web/installation',
  },
  {
    id: 'crisp', category: 'chat-widget', vendor: 'Crisp',
    hosts: ['client.crisp.chat', 'client.relay.crisp.chat', 'settings.crisp.chat', 'api.crisp.chat'],
    packages: ['crisp-sdk-web', 'crisp-api'],
    init: ['Crisp.configure', 'configure'],
    globals: ['$crisp.push'],
    docs: 'docs.crisp.chat/guides/chatbox-sdks/web-sdk/',
  },
  {
    id: 'zendesk-widget', category: 'chat-widget', vendor: 'Zendesk Web Widget',
    hosts: ['static.zdassets.com', 'ekr.zdassets.com', 'widget-mediator.zopim.com', 'v2.zopim.com'],
    globals: ['zE'],
    docs: 'developer.zendesk.com/api-reference/widget-messaging/introduction/',
  },
  {
    id: 'drift', category: 'chat-widget', vendor: 'Drift (Salesloft)',
    hosts: ['js.driftt.com', 'event.api.drift.com', 'customer.api.drift.com'],
    globals: ['drift.load'],
    docs: 'devdocs.drift.com/docs/widget-start',
  },
  {
    id: 'tawk', category: 'chat-widget', vendor: 'tawk.to',
    hosts: ['embed.tawk.to', 'va.tawk.to'],
    docs: 'developer.tawk.to/jsapi/',
  },
  {
    id: 'livechat', category: 'chat-widget', vendor: 'LiveChat',
    hosts: ['cdn.livechatinc.com', 'api.livechatinc.com', 'secure.livechatinc.com'],
    packages: ['@livechat/widget-react', '@livechat/widget-core'],
    init: ['LiveChatWidget', 'createWidget'],
    docs: 'developers.livechat.com/docs/extending-chat-widget/javascript-api',
  },
  {
    id: 'olark', category: 'chat-widget', vendor: 'Olark',
    hosts: ['static.olark.com', 'knrpc.olark.com'],
    globals: ['olark.identify'],
    docs: 'www.olark.com/help/javascript-api/',
  },
  {
    id: 'freshchat', category: 'chat-widget', vendor: 'Freshchat / Freshdesk widget',
    hosts: ['wchat.freshchat.com', 'snippets.freshchat.com', 'widget.freshworks.com', 'euc-widget.freshworks.com'],
    globals: ['fcWidget.init'],
    docs: 'developers.freshchat.com/web-sdk/',
  },
  {
    id: 'tidio', category: 'chat-widget', vendor: 'Tidio',
    hosts: ['code.tidio.co', 'widget-v4.tidiochat.com'],
    docs: 'www.tidio.com/blog/how-to-add-live-chat-to-website/',
  },
  {
    id: 'helpscout-beacon', category: 'chat-widget', vendor: 'Help Scout Beacon',
    hosts: ['beacon-v2.helpscout.net', 'd3hb14vkzrxvla.cloudfront.net'],
    globals: ['Beacon'],
    docs: 'developer.helpscout.com/beacon-2/web/javascript-api/',
  },

  // ── feature flags and experiments (they report exposures and usage) ──────────────────────────────
  {
    id: 'launchdarkly', category: 'feature-flags', vendor: 'LaunchDarkly',
    hosts: ['events.launchdarkly.com', 'app.launchdarkly.com', 'clientsdk.launchdarkly.com', 'clientstream.launchdarkly.com', 'stream.launchdarkly.com', 'sdk.launchdarkly.com', 'mobile.launchdarkly.com'],
    packages: ['launchdarkly-node-server-sdk', '@launchdarkly/node-server-sdk', 'launchdarkly-js-client-sdk', 'launchdarkly-react-client-sdk', '@launchdarkly/js-client-sdk'],
    init: ['init', 'initialize', 'default.init', 'asyncWithLDProvider', 'withLDProvider'],
    docs: 'docs.launchdarkly.com/sdk/features/config',
  },
  {
    id: 'statsig', category: 'feature-flags', vendor: 'Statsig',
    hosts: ['api.statsig.com', 'statsigapi.net', 'featuregates.org', 'featureassets.org', 'prodregistryv2.org', 'events.statsigapi.net'],
    packages: ['statsig-node', 'statsig-js', '@statsig/js-client', '@statsig/statsig-node-core', 'statsig-react'],
    init: ['initialize', 'default.initialize', 'new:StatsigClient', 'new:Statsig'],
    keys: ['\\b(?:client|secret)-[A-Za-z0-9]{40,}\\b'],
    docs: 'docs.statsig.com/client/javascript-sdk',
  },
  {
    id: 'optimizely', category: 'feature-flags', vendor: 'Optimizely',
    hosts: ['cdn.optimizely.com', 'logx.optimizely.com', 'cdn-pci.optimizely.com'],
    packages: ['@optimizely/optimizely-sdk', '@optimizely/react-sdk'],
    init: ['createInstance', 'default.createInstance'],
    docs: 'docs.developers.optimizely.com/feature-experimentation/docs/event-dispatcher',
  },
  {
    id: 'growthbook-cloud', category: 'feature-flags', vendor: 'GrowthBook Cloud',
    hosts: ['cdn.growthbook.io', 'api.growthbook.io'],
    packages: ['@growthbook/growthbook', '@growthbook/growthbook-react'],
    init: ['new:GrowthBook', 'new:default'],
    docs: 'docs.growthbook.io/lib/js',
  },
  {
    id: 'configcat', category: 'feature-flags', vendor: 'ConfigCat',
    hosts: ['cdn-global.configcat.com', 'cdn-eu.configcat.com'],
    packages: ['configcat-node', 'configcat-js', '@configcat/sdk'],
    init: ['getClient', 'createClient', 'createClientWithAutoPoll'],
    docs: 'configcat.com/docs/advanced/proxy/proxy-overview/',
  },
]
