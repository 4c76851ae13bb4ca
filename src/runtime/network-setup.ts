// The sandbox's network and mount setup: a shell step run the moment the namespaces exist, and the supervisor's wait for it.
import { spawn } from 'node:child_process'
import { readFileSync, watch, type FSWatcher } from 'node:fs'
import { basename, dirname } from 'node:path'

/**
 * `sh -c` script that unshare runs as the namespaces' first process: it starts the setup in the background and
 * execs the supervisor (`"$@"`, so the supervisor stays PID 1), so the setup runs while Node boots instead of after.
 * Nothing can leave meanwhile (a fresh network namespace has only `lo`, and it is down), and the supervisor starts
 * the command only once the setup reported success. Arguments: status file, resolv.conf to bind, then the supervisor
 * command. The setup's exit code lands in the status file, its stderr next to it (`<status>.err`).
 */
export const NETWORK_SETUP_SCRIPT = [
  'status=$1; resolv=$2; shift 2',
  '{',
  '  ( set -e',
  // lo up, and every destination local.
  "    printf 'link set lo up\\nroute add local 0.0.0.0/0 dev lo table local\\n' | ip -batch -",
  // IPv6 may be disabled in the kernel; IPv4 alone still isolates.
  '    ip route add local ::/0 dev lo table local 2>/dev/null || true',
  // Read-only: the app's user namespace (confine.ts) inherits this mount locked, so it cannot write or remount it.
  '    if [ -e /etc/resolv.conf ] || [ -L /etc/resolv.conf ]; then mount --bind -o ro "$resolv" /etc/resolv.conf; fi',
  // Resolver daemons reached over Unix sockets would resolve names with the host's network.
  '    for d in /run/nscd /var/run/nscd /run/systemd/resolve /run/dbus; do [ -d "$d" ] && mount -t tmpfs -o size=1k tmpfs "$d" 2>/dev/null || true; done',
  '    for s in /run/docker.sock /var/run/docker.sock; do [ -S "$s" ] && mount --bind /dev/null "$s" 2>/dev/null || true; done',
  '  ) 2>"$status.err"',
  '  echo $? >"$status"',
  // Not holding the supervisor's control channel (fd 3) or output open: the host watches those for the end.
  '} </dev/null >/dev/null 2>&1 3>&- &',
  'exec "$@"',
].join('\n')

/** What a status file says: still running (undefined), or the setup's exit code. */
export function readSetupStatus(untrustedText: string): number | undefined {
  // `echo $? >file` truncates first, then writes: an empty or partial file means "not yet".
  const m = /^(\d+)\n$/.exec(untrustedText)
  return m ? Number(m[1]) : undefined
}

/**
 * Resolves once the background setup succeeded; rejects with its stderr when it failed, or after `timeoutMs`.
 * Waits on file-system events for the status file (no polling interval), re-checking after the watch is in
 * place so a status written in between is not missed; polls only where inotify is unavailable.
 */
export function waitForNetworkSetup(statusFile: string, timeoutMs = 15_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let settled = false
    let watcher: FSWatcher | undefined
    let timer: NodeJS.Timeout | undefined
    let poll: NodeJS.Timeout | undefined
    const finish = (err?: Error) => {
      if (settled) return
      settled = true
      watcher?.close()
      clearTimeout(timer)
      clearInterval(poll)
      if (err) reject(err)
      else resolve()
    }
    const check = (): boolean => {
      let text = ''
      try { text = readFileSync(statusFile, 'utf8') } catch { return false }
      const code = readSetupStatus(text)
      if (code === undefined) return false
      if (code === 0) finish()
      else {
        let said = ''
        try { said = readFileSync(`${statusFile}.err`, 'utf8').trim() } catch { /* none */ }
        finish(new Error(`network setup failed: ${said || `exit code ${code}`}`))
      }
      return true
    }
    if (check()) return
    const name = basename(statusFile)
    try {
      watcher = watch(dirname(statusFile), (_event, file) => { if (!file || String(file) === name) check() })
      watcher.on('error', () => { poll ??= setInterval(check, 20) })
    } catch {
      poll = setInterval(check, 20)
    }
    if (check()) return
    timer = setTimeout(() => finish(new Error(`network setup did not finish within ${timeoutMs} ms`)), timeoutMs)
  })
}

/**
 * The network set-up as `ip` prints it: links, addresses, rules and every routing table, IPv4 and IPv6. Taken once
 * the command has started and again when the sandbox stops; a difference means someone changed it meanwhile.
 */
export async function snapshotNetwork(ip = 'ip'): Promise<string> {
  const run = (args: string[], input: string) => new Promise<string>((resolve) => {
    let out = ''
    const child = spawn(ip, args, { stdio: ['pipe', 'pipe', 'pipe'] })
    child.stdout.on('data', (d: Buffer) => { out += d })
    child.stderr.on('data', (d: Buffer) => { out += d })
    child.on('error', (err) => resolve(`${ip}: ${err.message}\n`))
    child.on('close', () => resolve(out))
    child.stdin.end(input)
  })
  const [v4, v6] = await Promise.all([
    run(['-o', '-batch', '-'], 'link show\naddress show\nrule show\nroute show table all\n'),
    run(['-6', '-o', '-batch', '-'], 'rule show\nroute show table all\n'),
  ])
  return v4 + v6
}

/** What a snapshot must show for the sandbox to hold: `lo` up and every destination routed to it (IPv4 at least). */
export function checkNetworkSnapshot(untrustedSnapshot: string): string[] {
  const problems: string[] = []
  if (!/^\d+: lo: <[^>]*\bUP\b/m.test(untrustedSnapshot)) problems.push('lo is not up')
  if (!/^local (?:default|0\.0\.0\.0\/0) dev lo table local/m.test(untrustedSnapshot)) problems.push('IPv4 destinations are no longer routed to the sandbox')
  return problems
}

/** Lines only in `before` (removed) and only in `after` (added). */
export function diffNetworkSnapshots(before: string, after: string): { removed: string[]; added: string[] } {
  const lines = (s: string) => s.split('\n').map((l) => l.replace(/\s+/g, ' ').trim()).filter(Boolean)
  const a = lines(before)
  const b = lines(after)
  return { removed: a.filter((l) => !b.includes(l)), added: b.filter((l) => !a.includes(l)) }
}
