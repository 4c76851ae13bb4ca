// Finds Chromium, and launches it (through playwright-core) inside the sandbox's namespaces with its own phone-home off.
import { chmodSync, readlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { BrowserContext } from 'playwright-core'
import { ToolMissingError } from '../../errors.ts'
import { findExecutable } from '../sandbox.ts'

export const DEFAULT_CHROMIUM = '/usr/bin/chromium'
const INSTALL_HINT = 'install it (Debian/Ubuntu: apt-get install chromium), or set NOPHONEHOME_CHROMIUM to a Chromium/Chrome binary'

/** The Chromium binary to drive; ToolMissingError (exit 2) when there is none. */
export function locateChromium(wanted?: string, env: NodeJS.ProcessEnv = process.env): string {
  // An explicit choice is used alone: falling back to another browser would hide the mistake.
  const explicit = wanted ?? env.NOPHONEHOME_CHROMIUM
  const candidates = explicit ? [explicit] : [DEFAULT_CHROMIUM, 'chromium', 'chromium-browser']
  for (const c of candidates) {
    const found = findExecutable(c, env.PATH ?? process.env.PATH)
    if (found) return found
  }
  throw new ToolMissingError(`the browser check (--browse) needs Chromium, and ${candidates.join(', ')} was not found`, INSTALL_HINT)
}

// Features whose background work talks to Google or other services: off, so that nothing the browser
// does by itself can be mistaken for the page (and so the own-request list stays short).
const DISABLED_FEATURES = [
  'OptimizationHints', 'OptimizationGuideModelDownloading', 'OptimizationHintsFetching', 'MediaRouter', 'DialMediaRouteProvider',
  'Translate', 'TranslateUI', 'NetworkTimeServiceQuerying', 'AutofillServerCommunication', 'CertificateTransparencyComponentUpdater',
  'InterestFeedContentSuggestions', 'PreconnectToSearch', 'AimEnabled', 'SafeBrowsingEnhancedProtection', 'HttpsUpgrades',
  'PrivacySandboxSettings4', 'ChromeWhatsNewUI', 'AcceptCHFrame', 'ThirdPartyStoragePartitioning',
  // Keep cross-origin frames in the page's process, so their requests reach the page's DevTools session.
  'IsolateOrigins', 'site-per-process',
]

/**
 * Switches added to playwright-core's defaults (which already include --disable-background-networking,
 * --disable-component-update, --disable-sync, --no-first-run, --disable-default-apps, --disable-breakpad,
 * --disable-extensions, --metrics-recording-only and a fresh --user-data-dir per launch).
 *
 * `--host-resolver-rules` makes every name and IP literal except the app's host fail inside Chromium
 * itself: no packet reaches the sandbox's DNS stub or sinks, so the runtime lens never mistakes the
 * browser for the app, and DevTools still reports every attempt.
 */
export function chromiumArgs(appHost: string, netLog?: string): string[] {
  const args = [
    '--no-sandbox', // runs as root inside the sandbox's user namespace; the namespace is the containment
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-default-apps',
    '--disable-domain-reliability',
    '--disable-breakpad',
    '--disable-crash-reporter',
    '--disable-client-side-phishing-detection',
    '--disable-component-extensions-with-background-pages',
    '--disable-extensions',
    '--disable-sync-preferences',
    '--disable-site-isolation-trials',
    '--no-pings',
    '--no-service-autorun',
    '--metrics-recording-only',
    '--safebrowsing-disable-auto-update',
    '--password-store=basic',
    '--use-mock-keychain',
    `--disable-features=${DISABLED_FEATURES.join(',')}`,
    `--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE ${appHost}`,
  ]
  if (netLog) args.push(`--log-net-log=${netLog}`, '--net-log-capture-mode=Default')
  return args
}

/**
 * A one-line executable that runs Chromium in the namespaces of `targetPid` (playwright-core needs a
 * file for executablePath). Only the namespaces that differ from ours are entered: a root-run sandbox
 * may have no user namespace of its own. Chromium's pipe fds (3, 4) pass through nsenter unchanged.
 *
 * `--preserve-credentials` when entering a user namespace: by default nsenter calls setgroups() there, which
 * a user namespace made by an unprivileged process forbids (its setgroups file says "deny") — and that is every
 * sandbox started from inside another user namespace (a rootless container, a sandboxed CI job, `unshare -r`).
 * Chromium then never started ("Target page, context or browser has been closed"). Our uid and gid map to root
 * in the sandbox either way.
 */
export function writeNamespaceLauncher(dir: string, targetPid: number, chromium: string): string {
  const nsFlags: string[] = []
  for (const [ns, flag] of [['user', '--user'], ['mnt', '--mount'], ['net', '--net'], ['pid', '--pid']] as const) {
    if (readNs(targetPid, ns) !== readNs(process.pid, ns)) nsFlags.push(flag)
  }
  if (!nsFlags.includes('--net')) throw new Error(`process ${targetPid} is not in a network namespace of its own`)
  const nsenter = findExecutable('nsenter')
  if (!nsenter) throw new ToolMissingError('the browser check needs nsenter (util-linux) to start Chromium inside the sandbox', 'apt-get install util-linux')
  const file = join(dir, 'chromium-in-sandbox')
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`
  writeFileSync(file, `#!/bin/sh\nexec ${quote(nsenter)} --target ${targetPid} ${nsFlags.join(' ')}${nsFlags.includes('--user') ? ' --preserve-credentials' : ''} -- ${quote(chromium)} "$@"\n`)
  chmodSync(file, 0o700)
  return file
}

function readNs(pid: number, ns: string): string {
  try { return readlinkSync(`/proc/${pid}/ns/${ns}`) } catch { return '' }
}

/**
 * Starts headless Chromium through the launcher with its profile in `profileDir`; playwright-core talks to it over
 * fds 3/4. Closing the returned context closes the browser.
 */
export async function launchChromium(launcher: string, args: string[], profileDir: string, timeoutMs = 30_000): Promise<BrowserContext> {
  const { chromium } = await import('playwright-core')
  try {
    return await chromium.launchPersistentContext(profileDir, {
      executablePath: launcher, args, headless: true, timeout: timeoutMs, handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false,
      ignoreHTTPSErrors: true, serviceWorkers: 'allow',
    })
  } catch (err) {
    throw new Error(explainLaunchFailure((err as Error).message))
  }
}

/**
 * playwright-core's launch error says only that the browser closed; what Chromium (or nsenter before it) printed is
 * in its "Browser logs". One line: why it did not start, and what to change.
 */
export function explainLaunchFailure(untrustedMessage: string): string {
  const said = [...untrustedMessage.matchAll(/^\[pid=\d+\]\[err\] (.+)$/gm)].map((m) => m[1].trim()).filter((l) => l && !/^\s*$/.test(l))
  const first = said.find((l) => /error|fail|denied|not permitted|cannot|can't|no such|not found/i.test(l)) ?? said[0]
  const why = first ? `: ${first.length > 200 ? first.slice(0, 200) + '…' : first}` : ''
  let hint = 'run with DEBUG=pw:browser to see all Chromium printed'
  if (/^nsenter: /.test(first ?? '')) {
    hint = 'nsenter could not enter the sandbox\'s namespaces: use util-linux 2.28 or newer, and run nophonehome as the user that started the sandbox'
  } else if (/shared librar/i.test(first ?? '')) {
    hint = 'Chromium is missing system libraries: install the distribution\'s chromium package (apt-get install chromium)'
  } else if (/No usable sandbox|setuid sandbox|Failed to move to new namespace|zygote/i.test(first ?? '')) {
    hint = 'Chromium tried to build its own sandbox: nophonehome starts it with --no-sandbox; a wrapper script around the binary may drop that flag — point NOPHONEHOME_CHROMIUM at the real binary'
  } else if (/\/dev\/shm|shared memory/i.test(first ?? '')) {
    hint = 'Chromium could not use shared memory: make /dev/shm writable in this container (or larger)'
  }
  return `Chromium did not start inside the sandbox${why} — ${hint}`
}

