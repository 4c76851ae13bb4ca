// Reads the operator's configuration: a JSON file (--config or INVENTORY_CONFIG) overlaid by environment variables.
import { readFileSync, existsSync } from 'node:fs'
import { resolve } from 'node:path'

export type SmtpSecurity = 'tls' | 'starttls' | 'none'

export interface SmtpConfig {
  host: string
  port: number
  /** 'tls' = implicit TLS (port 465), 'starttls' = upgrade after EHLO, 'none' = plain text on a trusted LAN. */
  security: SmtpSecurity
  user?: string
  password?: string
  from: string
  to: string[]
  /** Which events are mailed; the rest only go to webhooks. */
  events: string[]
}

export interface WebhookConfig {
  urls: string[]
  /** When set, each delivery carries an HMAC-SHA256 of the body in X-Rackhouse-Signature. */
  secret?: string
}

export interface Config {
  host: string
  port: number
  dataDir: string
  smtp: SmtpConfig | null
  webhooks: WebhookConfig
}

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID'
}

const DEFAULT_MAIL_EVENTS = ['rack.full', 'notification.test']

/** Loads the configuration file (if any) and applies the environment on top of it. */
export function loadConfig(options: { file?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {}): Config {
  const env = options.env ?? process.env
  const cwd = options.cwd ?? process.cwd()
  const explicit = options.file ?? env.INVENTORY_CONFIG
  const file = explicit ? resolve(cwd, explicit) : resolve(cwd, 'inventory.config.json')
  let untrustedFile: Record<string, unknown> = {}
  if (explicit || existsSync(file)) untrustedFile = readConfigFile(file)

  const where = explicit || existsSync(file) ? file : 'configuration'
  const smtpFile = objectAt(untrustedFile, 'smtp', where)
  const webhookFile = objectAt(untrustedFile, 'webhooks', where)

  const smtpHost = env.INVENTORY_SMTP_HOST ?? stringAt(smtpFile, 'host', where)
  let smtp: SmtpConfig | null = null
  if (smtpHost) {
    const security = (env.INVENTORY_SMTP_SECURITY ?? stringAt(smtpFile, 'security', where) ?? 'starttls') as SmtpSecurity
    if (!['tls', 'starttls', 'none'].includes(security)) {
      throw new ConfigError(`${where} smtp.security: expected "tls", "starttls" or "none", got ${JSON.stringify(security)}`)
    }
    const defaultPort = security === 'tls' ? 465 : 587
    const from = env.INVENTORY_MAIL_FROM ?? stringAt(smtpFile, 'from', where)
    const to = env.INVENTORY_MAIL_TO !== undefined ? splitList(env.INVENTORY_MAIL_TO) : listAt(smtpFile, 'to', where)
    if (!from) throw new ConfigError(`${where} smtp.from (or INVENTORY_MAIL_FROM): required when an SMTP host is set`)
    if (to.length === 0) throw new ConfigError(`${where} smtp.to (or INVENTORY_MAIL_TO): at least one recipient is required`)
    smtp = {
      host: smtpHost,
      port: portFrom(env.INVENTORY_SMTP_PORT ?? smtpFile.port ?? defaultPort, `${where} smtp.port`),
      security,
      user: env.INVENTORY_SMTP_USER ?? stringAt(smtpFile, 'user', where),
      password: env.INVENTORY_SMTP_PASSWORD ?? stringAt(smtpFile, 'password', where),
      from,
      to,
      events: smtpFile.events === undefined ? DEFAULT_MAIL_EVENTS : listAt(smtpFile, 'events', where),
    }
  }

  const urls = env.INVENTORY_WEBHOOK_URLS !== undefined ? splitList(env.INVENTORY_WEBHOOK_URLS) : listAt(webhookFile, 'urls', where)
  for (const url of urls) {
    let parsed: URL
    try {
      parsed = new URL(url)
    } catch {
      throw new ConfigError(`${where} webhooks.urls: ${JSON.stringify(url)} is not a URL`)
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new ConfigError(`${where} webhooks.urls: ${JSON.stringify(url)} must be http: or https:`)
    }
  }

  return {
    host: env.HOST ?? stringAt(untrustedFile, 'host', where) ?? '127.0.0.1',
    port: portFrom(env.PORT ?? untrustedFile.port ?? 8080, `${where} port (or PORT)`),
    dataDir: resolve(cwd, env.DATA_DIR ?? stringAt(untrustedFile, 'dataDir', where) ?? 'data'),
    smtp,
    webhooks: { urls, secret: env.INVENTORY_WEBHOOK_SECRET ?? stringAt(webhookFile, 'secret', where) },
  }
}

function readConfigFile(file: string): Record<string, unknown> {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    throw new ConfigError(`cannot read ${file}: ${(error as Error).message}`)
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (error) {
    throw new ConfigError(`${file} is not valid JSON: ${(error as Error).message}`)
  }
  if (!isRecord(parsed)) throw new ConfigError(`${file}: expected a JSON object at the top level`)
  return parsed
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function objectAt(source: Record<string, unknown>, key: string, where: string): Record<string, unknown> {
  const value = source[key]
  if (value === undefined || value === null) return {}
  if (!isRecord(value)) throw new ConfigError(`${where} ${key}: expected an object`)
  return value
}

function stringAt(source: Record<string, unknown>, key: string, where: string): string | undefined {
  const value = source[key]
  if (value === undefined || value === null || value === '') return undefined
  if (typeof value !== 'string') throw new ConfigError(`${where} ${key}: expected a string`)
  return value
}

function listAt(source: Record<string, unknown>, key: string, where: string): string[] {
  const value = source[key]
  if (value === undefined || value === null) return []
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw new ConfigError(`${where} ${key}: expected an array of strings`)
  }
  return value
}

/** Splits "a, b c" (commas or whitespace) as people write lists in environment variables. */
function splitList(text: string): string[] {
  return text.split(/[\s,]+/).filter(Boolean)
}

function portFrom(value: unknown, what: string): number {
  const port = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value
  // 0 asks the OS for a free port: used by tests and the self-test.
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`${what}: expected a port number 0-65535, got ${JSON.stringify(value)}`)
  }
  return port
}
