// --self-test: start on loopback with a throw-away data dir, drive the API once, report what worked.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Config } from './config.ts'
import { startApp } from './app.ts'
import type { Extensions } from './main.ts'

export interface SelfTestResult {
  ok: boolean
  checks: Array<{ name: string; ok: boolean; detail?: string }>
}

export async function runSelfTest(config: Config, publicDir: string, extensions: Extensions): Promise<SelfTestResult> {
  const dataDir = await mkdtemp(join(tmpdir(), 'rackhouse-self-test-'))
  // Never mail or call the operator's hooks from a self-test: those destinations are real.
  const testConfig: Config = { ...config, host: '127.0.0.1', port: 0, dataDir, smtp: null, webhooks: { urls: [] } }
  const checks: SelfTestResult['checks'] = []
  const app = await startApp(testConfig, { publicDir, contentSecurityPolicy: extensions.contentSecurityPolicy, onError: extensions.onError, log: () => {} })
  try {
    const started = Promise.resolve(extensions.onStarted?.(app, testConfig))
    const call = async (method: string, path: string, body?: unknown) => {
      const response = await fetch(app.url + path, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      const text = await response.text()
      return { status: response.status, type: response.headers.get('content-type') ?? '', json: text.startsWith('{') || text.startsWith('[') ? JSON.parse(text) : text }
    }
    const check = (name: string, ok: boolean, detail?: string) => checks.push(detail === undefined ? { name, ok } : { name, ok, detail })

    const rack = await call('POST', '/api/racks', { name: 'self-test', units: 4 })
    check('create rack', rack.status === 201, String(rack.status))
    const server = await call('POST', '/api/servers', { hostname: 'selftest-01', rackId: rack.json.id, height: 2 })
    check('create server', server.status === 201, String(server.status))
    const ip = await call('POST', '/api/ips', { address: '192.0.2.10', serverId: server.json.id })
    check('assign IP', ip.status === 201, String(ip.status))
    const duplicate = await call('POST', '/api/ips', { address: '192.0.2.10', serverId: server.json.id })
    check('refuse duplicate IP', duplicate.status === 409, String(duplicate.status))
    const page = await call('GET', '/')
    check('admin page', page.status === 200 && page.type.startsWith('text/html'), String(page.status))
    for (const asset of ['/admin.css', '/admin.js']) {
      const response = await call('GET', asset)
      check(`asset ${asset}`, response.status === 200, String(response.status))
    }
    // Whatever a distribution does at start-up must not stop the inventory from working.
    await started.then(
      (outcome) => check('start-up hooks', true, outcome === undefined ? undefined : JSON.stringify(outcome)),
      (error: Error) => check('start-up hooks', true, `failed without harm: ${error.message}`),
    )
  } catch (error) {
    checks.push({ name: 'round trip', ok: false, detail: (error as Error).message })
  } finally {
    await app.close()
    await rm(dataDir, { recursive: true, force: true })
  }
  return { ok: checks.length > 0 && checks.every((c) => c.ok), checks }
}
