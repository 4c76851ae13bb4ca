// package.json analyser: lifecycle scripts npm runs at install time (install-script) and shipped telemetry SDKs.
// Nothing is executed: command lines are read, and the JS file a script runs is analysed as text.
import { existsSync, readFileSync, statSync } from 'node:fs'
import { dirname, extname, join, relative, resolve, sep } from 'node:path'
import type { Destination, Severity } from '../../report/finding.ts'
import type { DetectorMeta } from './detector.ts'
import type { FileAnalysis, FileAnalyserContext } from '../analysis/file-analysers.ts'
import type { LocatedFinding } from '../analysis/file-result.ts'
import type { ModuleKind } from '../parse/parse.ts'
import { destinationOfUrlString } from '../parse/destination.ts'
import { findNetworkTools } from './child-process-network.ts'
import { Locator } from '../frontend/located.ts'
import { signatureMatcher } from '../../signatures/matcher.ts'

export const installScriptMeta: DetectorMeta = {
  id: 'install-script',
  severity: 'review',
  description: 'Package runs a script when it is installed',
  help:
    'A shipped package.json has a preinstall, install, postinstall or prepare script (or a binding.gyp, which makes npm ' +
    'run `node-gyp rebuild`): it runs on the customer\'s machine at install time, before any of your code. For review; ' +
    'a violation when its command line runs a network tool or a downloader (curl, wget, prebuild-install, node-pre-gyp…) ' +
    'or the JavaScript file it runs has a hard-coded external network sink or telemetry — unless the package is already ' +
    'installed in the scanned tree (inside node_modules, or shipped with its node_modules): then the script ran on the ' +
    'machine that installed it, the vendor\'s, and it is for review. Nothing is executed to decide this.',
}

export const telemetrySdkShippedMeta: DetectorMeta = {
  id: 'telemetry-sdk-shipped',
  severity: 'review',
  description: 'Known telemetry or analytics SDK package shipped',
  help:
    'The artifact contains the package.json of an SDK from the signature database (error reporting, analytics, APM, ' +
    'session replay…). Shipping it is not sending, so this is for review: check telemetry-sdk and telemetry-endpoint ' +
    'findings for where it is started, or remove the dependency.',
}

const LIFECYCLE = ['preinstall', 'install', 'postinstall', 'prepare'] as const
/** Installers that download prebuilt binaries or headers. */
const DOWNLOADERS: Array<{ re: RegExp; what: string; severity: Severity; dest: (pkg: Record<string, unknown>) => Destination }> = [
  { re: /\bprebuild-install\b/, what: 'prebuild-install (downloads a prebuilt binary, by default from GitHub releases)', severity: 'violation', dest: () => ({ host: 'github.com', provenance: 'hard-coded-external', source: 'prebuild-install default' }) },
  { re: /\bnode-pre-gyp\s+install\b|\bnode-pre-gyp-github\b/, what: 'node-pre-gyp install (downloads a prebuilt binary from package.json binary.host)', severity: 'violation', dest: binaryHost },
  { re: /\bnode-gyp(?:\s+rebuild|\s+install|\s+configure)?\b(?!-build)/, what: 'node-gyp (downloads Node headers from nodejs.org unless they are already present)', severity: 'review', dest: () => ({ host: 'nodejs.org', provenance: 'hard-coded-external', source: 'node-gyp default dist URL' }) },
  { re: /\bcmake-js\b/, what: 'cmake-js (downloads Node headers unless present)', severity: 'review', dest: () => ({ provenance: 'unknown', source: 'cmake-js headers download' }) },
]
const MAX_SCRIPT_FILE = 5 * 1024 * 1024
const SINK_RULES = new Set(['net-sink', 'child-process-network', 'telemetry-endpoint', 'telemetry-sdk', 'dom-resource'])

/** The registered analyser for package.json files. */
export function analyseManifest(untrustedText: string, ctx: FileAnalyserContext): FileAnalysis {
  let pkg: Record<string, unknown>
  try {
    const v = JSON.parse(untrustedText)
    if (!v || typeof v !== 'object' || Array.isArray(v)) return { findings: [] }
    pkg = v
  } catch {
    // npm refuses to install a package whose package.json does not parse: no script of it runs.
    return { findings: [] }
  }
  const locator = new Locator(untrustedText)
  const findings: LocatedFinding[] = []
  const name = typeof pkg.name === 'string' ? pkg.name : undefined
  const scripts = pkg.scripts && typeof pkg.scripts === 'object' ? (pkg.scripts as Record<string, unknown>) : {}
  const scriptsAt = untrustedText.indexOf('"scripts"')

  for (const hook of LIFECYCLE) {
    const cmd = scripts[hook]
    if (typeof cmd !== 'string' || !cmd.trim()) continue
    const keyAt = scriptsAt === -1 ? -1 : untrustedText.indexOf(`"${hook}"`, scriptsAt)
    // npm runs `prepare` only for the root project and git/local dependencies, never for a registry package
    // installed into node_modules: there it is informational.
    const inNodeModules = /[\\/]node_modules[\\/]/.test(ctx.abs)
    const verdict: Verdict = hook === 'prepare' && inNodeModules
      ? { severity: 'info', why: 'npm does not run prepare for packages installed from a registry' }
      : judgeCommand(cmd, pkg, ctx)
    // Already installed in the scanned tree (inside node_modules, or a package shipped with its node_modules):
    // the script ran where the tree was installed — the vendor's build machine — not at the customer's. A
    // package the customer installs (a tarball without node_modules) keeps the verdict.
    if (verdict.severity === 'violation' && (inNodeModules || existsSync(join(dirname(ctx.abs), 'node_modules')))) {
      verdict.severity = 'review'
      verdict.why = `${verdict.why ? verdict.why + '; ' : ''}already installed in this tree, so it ran on the machine that installed it (the vendor's), not the customer's`
    }
    findings.push(locator.finding({
      rule: 'install-script', severity: verdict.severity, offset: keyAt === -1 ? 0 : keyAt, code: `${hook}: ${cmd}`, api: `npm ${hook}`,
      message: `${hook} script \`${cmd.length > 120 ? cmd.slice(0, 120) + '…' : cmd}\` ${verdict.severity === 'info' ? 'is not run' : 'runs at install time'}${verdict.why ? ': ' + verdict.why : ''}`,
      destination: verdict.destination, details: { hook, command: cmd.slice(0, 500) },
    }))
  }

  // npm runs `node-gyp rebuild` by itself for a package with binding.gyp and no install/preinstall script.
  if (typeof scripts.install !== 'string' && typeof scripts.preinstall !== 'string' && existsSync(join(dirname(ctx.abs), 'binding.gyp'))) {
    const nameAt = untrustedText.indexOf('"name"')
    findings.push(locator.finding({
      rule: 'install-script', severity: 'review', offset: nameAt === -1 ? 0 : nameAt, code: 'install: node-gyp rebuild (implicit)', api: 'npm install',
      message: 'binding.gyp makes npm run `node-gyp rebuild` at install time (node-gyp downloads Node headers from nodejs.org unless already present)',
      destination: { host: 'nodejs.org', provenance: 'hard-coded-external', source: 'node-gyp default dist URL' },
      details: { hook: 'install', command: 'node-gyp rebuild' },
    }))
  }

  const sdk = name ? signatureMatcher().packageSignature(name) : undefined
  if (sdk && sdk.pkg === name) {
    const nameAt = untrustedText.indexOf('"name"')
    const sig = sdk.signature
    findings.push(locator.finding({
      rule: 'telemetry-sdk-shipped', severity: 'review', offset: nameAt === -1 ? 0 : nameAt, code: `shipped ${name}`, api: name,
      message: `ships ${name}${typeof pkg.version === 'string' ? '@' + pkg.version : ''}, ${sig.vendor}'s ${sig.category} SDK`,
      details: { signature: sig.id, category: sig.category, vendor: sig.vendor },
    }))
  }
  return { findings }
}

interface Verdict { severity: Severity; why?: string; destination?: Destination }

/** Judges one lifecycle command line without running it. */
function judgeCommand(cmd: string, pkg: Record<string, unknown>, ctx: FileAnalyserContext): Verdict {
  // `node -e "…"` first: its code would otherwise be read as a command line (`require('https')` is not httpie).
  const inline = /(?:^|[;&|]\s*)node\s+(?:-e|--eval|-p|--print)\s+("(?:[^"\\]|\\.)*"|'[^']*')/.exec(cmd)
  if (inline) {
    const code = inline[1].startsWith('"') ? safeJson(inline[1]) ?? inline[1].slice(1, -1) : inline[1].slice(1, -1)
    return judgeScriptFindings(ctx.analyseScript(code, { line: 1, column: 0 }, 'commonjs'), 'the inline node -e code')
  }
  const hits = findNetworkTools(cmd)
  if (hits.length) {
    const hit = hits[0]
    const url = /\b((?:https?|ftp|wss?):\/\/[^\s'"]+)/i.exec(hit.args.join(' '))?.[1]
    const destination: Destination = url ? destinationOfUrlString(url) : /^(npm|npx|yarn|pnpm)/.test(hit.tool) ? { host: 'registry.npmjs.org', provenance: 'hard-coded-external', source: `${hit.tool} default registry` } : { provenance: 'unknown', source: 'target not on the command line' }
    return { severity: destination.provenance === 'hard-coded-local' ? 'review' : 'violation', why: `runs ${hit.tool}, which reaches the network`, destination }
  }
  for (const d of DOWNLOADERS) if (d.re.test(cmd)) return { severity: d.severity, why: `runs ${d.what}`, destination: d.dest(pkg) }

  const file = /(?:^|[;&|]\s*)node\s+(?:--?[\w-]+(?:=\S+)?\s+)*("[^"]+"|'[^']+'|[^\s;&|]+)/.exec(cmd)?.[1]?.replace(/^["']|["']$/g, '')
  if (file) {
    const dir = dirname(ctx.abs)
    const target = resolveScript(dir, file)
    if (!target) return { severity: 'review', why: `runs node ${file}, which is not in the package (not analysed)` }
    let code: string
    try { code = readFileSync(target, 'utf8') } catch { return { severity: 'review', why: `runs node ${file}, which cannot be read` } }
    const ext = extname(target)
    const kind: ModuleKind = ext === '.mjs' ? 'module' : ext === '.cjs' ? 'commonjs' : pkg.type === 'module' ? 'module' : 'commonjs'
    return judgeScriptFindings(ctx.analyseScript(code.replace(/^#!.*/, ''), { line: 1, column: 0 }, kind), relative(dir, target).split(sep).join('/'))
  }
  return { severity: 'review' }
}

function judgeScriptFindings(result: LocatedFinding[] | { parseError: string }, what: string): Verdict {
  if (!Array.isArray(result)) return { severity: 'review', why: `${what} does not parse (${result.parseError}), so it was not analysed` }
  const network = result.filter((f) => SINK_RULES.has(f.rule))
  const worst = network.find((f) => f.severity === 'violation') ?? network.find((f) => f.severity === 'review')
  if (!worst) return { severity: 'review', why: `${what} shows no network access` }
  const where = `${what}:${worst.line}`
  if (worst.severity === 'violation') return { severity: 'violation', why: `${where} reaches the network (${worst.rule}: ${worst.message})`, destination: worst.destination }
  return { severity: 'review', why: `${where} may reach the network (${worst.rule}: ${worst.message})`, destination: worst.destination }
}

/** `node x`, `node x.js`, `node dir` inside the package directory only (never outside it, never through ..). */
function resolveScript(dir: string, file: string): string | undefined {
  const base = resolve(dir, file)
  if (base !== dir && !base.startsWith(dir + sep)) return undefined
  for (const candidate of [base, base + '.js', base + '.cjs', base + '.mjs', join(base, 'index.js')]) {
    try {
      const st = statSync(candidate)
      if (st.isFile() && st.size <= MAX_SCRIPT_FILE) return candidate
    } catch { /* try the next */ }
  }
  return undefined
}

function binaryHost(pkg: Record<string, unknown>): Destination {
  const binary = pkg.binary && typeof pkg.binary === 'object' ? (pkg.binary as Record<string, unknown>) : {}
  const host = typeof binary.host === 'string' ? binary.host : undefined
  return host ? destinationOfUrlString(host) : { provenance: 'unknown', source: 'package.json binary.host not set' }
}

function safeJson(quoted: string): string | undefined {
  try { return JSON.parse(quoted) } catch { return undefined }
}
