// The shape of one signature: a known phone-home destination or SDK, written by us from vendors' docs.

export type SignatureCategory =
  | 'error-reporting'
  | 'product-analytics'
  | 'marketing-pixel'
  | 'session-replay'
  | 'apm'
  | 'usage-telemetry'
  | 'update-check'
  | 'licence-check'
  | 'public-ip'
  | 'public-dns'
  | 'ntp'
  | 'stun'
  | 'font-cdn'
  | 'script-cdn'
  | 'avatar'
  | 'captcha'
  | 'chat-widget'
  | 'feature-flags'

export interface Signature {
  /** Stable id, kebab-case; appears in findings as `details.signature`. */
  id: string
  category: SignatureCategory
  vendor: string
  /**
   * Ingest/API/asset hosts only (never docs or marketing hosts). `host` matches that host exactly,
   * `*.host` any subdomain of it at any depth (not the host itself). A pattern may carry a path
   * prefix (`www.google.com/recaptcha/`), where `*` stands for one path segment.
   * IP literals are written as they appear in code (`8.8.8.8`, `2001:4860:4860::8888`).
   */
  hosts: string[]
  /** npm packages of the vendor's SDKs (only ones that send by themselves, not bare API packages). */
  packages?: string[]
  /**
   * How an SDK from `packages` is started, as member paths on the module: `init` for `Sentry.init(…)`,
   * `new:PostHog` for `new PostHog(…)`, `()` for calling the export, `import` when loading it is enough.
   */
  init?: string[]
  /** Page-snippet globals and how they start (`gtag`, `posthog.init`): same syntax as `init`, on the global. */
  globals?: string[]
  /** Key/DSN shapes (regex source, no flags) distinctive enough to name the vendor on their own. */
  keys?: string[]
  /** Where the vendor documents it, without the scheme (e.g. `docs.sentry.io/…`): the database ships no
   *  URL strings, so a URL in our own build always means something to our own scan. */
  docs: string
}
