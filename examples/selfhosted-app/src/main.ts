// Command line of the inventory server: flags, configuration, start-up line, graceful shutdown, --self-test.
import { parseArgs } from 'node:util'
import { fileURLToPath } from 'node:url'
import { ConfigError, loadConfig, type Config } from './config.ts'
import { startApp, type RunningApp } from './app.ts'
import { runSelfTest } from './self-test.ts'

/** Hooks a distribution can add around the core app (the self-hosted edition adds none). */
export interface Extensions {
  contentSecurityPolicy?: string
  onError?: (error: unknown, context: { method: string; url: string }) => void
  /** Runs once the server listens; the self-test awaits what it returns. */
  onStarted?: (app: RunningApp, config: Config) => Promise<unknown> | void
  onStopping?: () => void
}

const USAGE = `Usage: node dist/server.js [--config FILE] [--self-test]

  --config FILE   JSON configuration (default: ./inventory.config.json if present)
  --self-test     start on 127.0.0.1 with a throw-away data dir, drive the API once, exit 0 on success
  --version       print the version

Environment: PORT, HOST, DATA_DIR, INVENTORY_CONFIG, INVENTORY_SMTP_HOST, INVENTORY_SMTP_PORT,
INVENTORY_SMTP_SECURITY, INVENTORY_SMTP_USER, INVENTORY_SMTP_PASSWORD, INVENTORY_MAIL_FROM,
INVENTORY_MAIL_TO, INVENTORY_WEBHOOK_URLS, INVENTORY_WEBHOOK_SECRET`

export async function main(argv: string[], extensions: Extensions = {}): Promise<void> {
  let flags
  try {
    flags = parseArgs({
      args: argv,
      options: { config: { type: 'string' }, 'self-test': { type: 'boolean' }, help: { type: 'boolean' }, version: { type: 'boolean' } },
    }).values
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`)
    process.exitCode = 2
    return
  }
  if (flags.help) return void console.log(USAGE)
  if (flags.version) return void console.log(`${__APP_NAME__} ${__APP_VERSION__}`)

  let config: Config
  try {
    config = loadConfig({ file: flags.config })
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    console.error(`configuration error: ${error.message}`)
    process.exitCode = 2
    return
  }
  // The bundle sits in dist/ next to dist/public/.
  const publicDir = fileURLToPath(new URL('./public', import.meta.url))

  if (flags['self-test']) {
    const result = await runSelfTest(config, publicDir, extensions)
    console.log(`self-test: ${result.ok ? 'ok' : 'FAILED'} ${JSON.stringify(result)}`)
    process.exitCode = result.ok ? 0 : 1
    return
  }

  const app = await startApp(config, { publicDir, contentSecurityPolicy: extensions.contentSecurityPolicy, onError: extensions.onError })
  console.log(`${__APP_NAME__} ${__APP_VERSION__}: data in ${config.dataDir}; mail ${config.smtp ? `via ${config.smtp.host}:${config.smtp.port}` : 'off'}; ${config.webhooks.urls.length} webhook(s)`)
  // Tools and scripts wait for exactly this line (the port is the real one when PORT=0).
  console.log(`listening on ${app.url}`)
  void Promise.resolve(extensions.onStarted?.(app, config)).catch(() => {})

  let stopping = false
  const stop = (signal: string) => {
    if (stopping) return
    stopping = true
    console.error(`${signal}: finishing deliveries and stopping`)
    extensions.onStopping?.()
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  }
  process.on('SIGTERM', () => stop('SIGTERM'))
  process.on('SIGINT', () => stop('SIGINT'))
}
