// Flags child processes whose command line runs a network tool (curl, wget, nc, ssh, dig, PowerShell web cmdlets…).
import type { Destination } from '../../report/finding.ts'
import { describeDestination, type CallTarget, type DetectContext, type Detector } from './detector.ts'
import { destinationOfUrlString, isLocalHost } from '../parse/destination.ts'
import type { Val } from '../parse/fold.ts'
import type { AnyNode, Scope } from '../parse/scope.ts'

/** Programs that reach the network by themselves. */
export const NETWORK_TOOLS = new Set([
  'curl', 'wget', 'nc', 'ncat', 'netcat', 'socat', 'ssh', 'scp', 'sftp', 'ftp', 'tftp', 'telnet', 'dig', 'nslookup',
  'host', 'drill', 'whois', 'ping', 'ping6', 'traceroute', 'aria2c', 'lftp', 'rsync', 'certutil', 'bitsadmin',
  'invoke-webrequest', 'invoke-restmethod', 'iwr', 'irm', 'start-bitstransfer', 'openssl', 'http', 'https', 'xh',
])
// Tools that reach the network only with some subcommands.
const SUBCOMMAND_TOOLS: Record<string, RegExp> = {
  git: /^(clone|fetch|pull|push|ls-remote|submodule|remote)$/,
  npm: /^(install|i|ci|add|view|info|show|outdated|update|upgrade|publish|exec|ping|search|audit|doctor)$/,
  npx: /./,
  yarn: /^(add|install|info|upgrade|npm|dlx)$/,
  pnpm: /^(add|install|i|dlx|view|info|update|outdated)$/,
  pip: /^(install|download)$/,
  pip3: /^(install|download)$/,
  openssl: /^s_client$/,
}
const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ksh', 'cmd', 'cmd.exe', 'powershell', 'powershell.exe', 'pwsh'])
const PREFIX_WORDS = new Set(['sudo', 'exec', 'env', 'nohup', 'nice', 'time', 'command', 'stdbuf', 'timeout', 'xargs'])

const SHELL_METHODS = new Set(['exec', 'execSync'])
const FILE_METHODS = new Set(['spawn', 'spawnSync', 'execFile', 'execFileSync'])

const meta = {
  id: 'child-process-network',
  severity: 'review',
  description: 'Child process that runs a network tool',
  help:
    'A child process whose command line runs curl, wget, nc, ssh, dig or a similar tool can send data anywhere, out of sight ' +
    'of in-process checks. Hard-coded external targets are violations; commands built at run time are for review.',
} as const

interface ToolHit { tool: string; args: string[] }

/** Splits a shell command line into simple commands and finds network tools in them. */
export function findNetworkTools(commandLine: string, depth = 0): ToolHit[] {
  const hits: ToolHit[] = []
  if (depth > 3) return hits
  // PowerShell cmdlets can sit anywhere in a script block.
  for (const m of commandLine.matchAll(/\b(Invoke-WebRequest|Invoke-RestMethod|Start-BitsTransfer|Net\.WebClient|System\.Net\.Http)\b/gi)) {
    hits.push({ tool: m[1].toLowerCase(), args: [commandLine] })
  }
  const segments = commandLine.split(/;|&&|\|\||\||\$\(|`|\n|\(|\)/)
  for (const seg of segments) {
    const words = tokenise(seg)
    let i = 0
    while (i < words.length && (/^\w+=/.test(words[i]) || PREFIX_WORDS.has(words[i]) || (i > 0 && PREFIX_WORDS.has(words[i - 1]) && /^-|^\d+$/.test(words[i])))) i++
    if (i >= words.length) continue
    const prog = basename(words[i]).toLowerCase()
    const rest = words.slice(i + 1)
    if (SHELLS.has(prog)) {
      const ci = rest.findIndex((w) => /^(-c|\/c|-command|-encodedcommand)$/i.test(w))
      if (ci >= 0 && rest[ci + 1]) hits.push(...findNetworkTools(rest.slice(ci + 1).join(' '), depth + 1))
      continue
    }
    if (prog === 'openssl' && rest[0] !== 's_client') continue
    if (NETWORK_TOOLS.has(prog)) { hits.push({ tool: prog, args: rest }); continue }
    const sub = SUBCOMMAND_TOOLS[prog]
    const firstArg = rest.find((w) => !w.startsWith('-'))
    if (sub && firstArg && sub.test(firstArg)) hits.push({ tool: `${prog} ${firstArg}`, args: rest })
  }
  return hits
}

function tokenise(s: string): string[] {
  const out: string[] = []
  for (const m of s.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g)) out.push(m[1] ?? m[2] ?? m[3])
  return out
}

function basename(p: string): string {
  const i = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'))
  return p.slice(i + 1).replace(/\.exe$/i, '')
}

/** Destination named on a tool's command line: a URL, `user@host`, or the first operand. */
function destinationOfTool(hit: ToolHit, partialSource?: string): Destination {
  const joined = hit.args.join(' ')
  const url = /\b((?:https?|ftp|wss?):\/\/[^\s'"]+)/i.exec(joined)
  if (url) return destinationOfUrlString(url[1])
  const operands = hit.args.filter((a) => !a.startsWith('-') && !/^\d+$/.test(a) && !a.startsWith('@') && a.length < 256)
  const userHost = operands.map((a) => /^[\w.-]+@([\w.-]+)/.exec(a)?.[1]).find(Boolean)
  const host = userHost ?? (['npm', 'npx', 'yarn', 'pnpm', 'pip', 'pip3', 'git'].some((t) => hit.tool.startsWith(t)) ? undefined : operands.find((a) => /^[a-z0-9.-]+\.[a-z]{2,}$|^[\d.]+$|^[0-9a-f:]+:[0-9a-f:]*$/i.test(a)))
  if (host) return { host: host.toLowerCase(), provenance: isLocalHost(host) ? 'hard-coded-local' : 'hard-coded-external' }
  if (/^(npm|npx|yarn|pnpm)/.test(hit.tool)) return { host: 'registry.npmjs.org', provenance: 'hard-coded-external', source: `${hit.tool} default registry` }
  if (partialSource) return { provenance: 'dynamic', source: partialSource }
  return { provenance: 'unknown', source: 'target not on the command line' }
}

/** The command line a child_process call runs, as a string or known prefix. */
function commandLineOf(ctx: DetectContext, method: string, args: AnyNode[], scope: Scope): Val {
  let first = ctx.evaluate(args[0], scope)
  // spawn(process.execPath, …) runs node itself, not a network tool.
  if (first.t === 'glob' && first.path.join('.') === 'process.execPath') first = { t: 'str', v: 'node' }
  if (SHELL_METHODS.has(method)) return first
  // spawn(file, args[], options): join what folds.
  const argv = ctx.evaluate(args[1], scope)
  if (first.t !== 'str') return first
  if (argv.t === 'arr') {
    const words = [first.v]
    for (const a of argv.items) {
      if (a.t === 'str' && !a.partial) words.push(/\s/.test(a.v) ? JSON.stringify(a.v) : a.v)
      else return { t: 'str', v: words.join(' ') + ' ', partial: true, source: a.t === 'dyn' ? a.source : undefined }
    }
    return { t: 'str', v: words.join(' ') }
  }
  return argv.t === 'nullish' || argv.t === 'obj' ? first : { t: 'str', v: first.v + ' ', partial: true }
}

export default {
  meta,
  detect(ctx: DetectContext) {
    return {
      CallExpression(node: AnyNode, scope: Scope, { callee, args }: CallTarget) {
        if (callee.t !== 'mod' || callee.mod !== 'child_process' || callee.path.length !== 1) return
        const method = callee.path[0]
        if (!SHELL_METHODS.has(method) && !FILE_METHODS.has(method)) return
        const api = `child_process.${method}`
        const cmd = commandLineOf(ctx, method, args, scope)
        if (cmd.t === 'str') {
          const hits = findNetworkTools(cmd.v)
          for (const hit of hits) {
            const dest = destinationOfTool(hit, cmd.partial ? cmd.source ?? 'command built at run time' : undefined)
            ctx.report(node, { message: `${api} runs ${hit.tool} → ${describeDestination(dest)}`, api: `${hit.tool} via ${api}`, destination: dest })
          }
          if (hits.length || !cmd.partial) return
          // Known prefix but no tool in it (`'convert ' + file`): the program is known and not a network tool.
          if (/^\s*\S+\s/.test(cmd.v)) return
        }
        const source = cmd.t === 'dyn' ? cmd.source : cmd.t === 'str' ? 'command built at run time' : 'command not known'
        ctx.report(node, {
          message: `${api} runs a command that could not be determined (${source})`,
          api,
          destination: { provenance: cmd.t === 'dyn' ? 'dynamic' : 'unknown', source },
          severity: 'review',
        })
      },
    }
  },
} satisfies Detector
