// The sandbox's network and mount setup: a shell step run the moment the namespaces exist, and the supervisor's wait for it.
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
 * The network set-up as the kernel shows it to this network namespace, one readable line per IPv4 route of each
 * table (/proc/net/fib_trie), IPv6 route (/proc/net/ipv6_route) and interface (/proc/net/dev). Read from /proc,
 * not with `ip`: it is taken at the start and again at the stop of every run, and spawning `ip` there cost tens
 * of milliseconds each time. Taking `lo` down shows too: its broadcast and IPv6 routes go.
 */
export function snapshotNetwork(procNet = '/proc/self/net'): string {
  const read = (name: string) => { try { return readFileSync(`${procNet}/${name}`, 'utf8') } catch { return undefined } }
  const lines: string[] = []
  const trie = read('fib_trie')
  if (trie === undefined) lines.push('IPv4 routes unreadable')
  let table = ''
  let leaf = ''
  for (const raw of (trie ?? '').split('\n')) {
    const line = raw.trim()
    if (/^\w+:$/.test(line)) table = line.slice(0, -1)
    else if (line.startsWith('|-- ')) leaf = line.slice(4)
    else if (line.startsWith('/') && leaf) lines.push(`${table} ${leaf}${line.replace(/^\/(\d+)/, '/$1')}`)
  }
  const v6 = read('ipv6_route')
  if (v6 === undefined) lines.push('IPv6 routes unreadable')
  for (const raw of (v6 ?? '').split('\n')) {
    // dest plen src splen nexthop metric refcnt use flags dev: refcnt and use change as routes are used.
    const f = raw.trim().split(/\s+/)
    if (f.length < 10) continue
    lines.push(`IPv6 ${hexToIPv6(f[0])}/${parseInt(f[1], 16)} from ${hexToIPv6(f[2])}/${parseInt(f[3], 16)} via ${hexToIPv6(f[4])} metric ${parseInt(f[5], 16)} flags ${f[8]} dev ${f[9]}`)
  }
  for (const raw of (read('dev') ?? '').split('\n').slice(2)) {
    const name = raw.split(':')[0].trim()
    if (name) lines.push(`interface ${name}`)
  }
  return lines.join('\n')
}

function hexToIPv6(hex: string): string {
  const words = (hex.match(/.{4}/g) ?? []).map((w) => parseInt(w, 16).toString(16))
  // Longest run of zero words → `::`.
  let best = -1
  let bestLen = 1
  for (let i = 0; i < words.length; i++) {
    let j = i
    while (j < words.length && words[j] === '0') j++
    if (j - i > bestLen) { best = i; bestLen = j - i }
  }
  if (best < 0) return words.join(':')
  return `${words.slice(0, best).join(':')}::${words.slice(best + bestLen).join(':')}`
}

/** What a snapshot must show for the sandbox to hold: only `lo`, up, and every IPv4 destination routed to it. */
export function checkNetworkSnapshot(untrustedSnapshot: string): string[] {
  const problems: string[] = []
  const links = untrustedSnapshot.split('\n').filter((l) => l.startsWith('interface ')).map((l) => l.slice(10))
  if (links.some((l) => l !== 'lo')) problems.push(`interfaces other than lo: ${links.filter((l) => l !== 'lo').join(', ')}`)
  // The loopback broadcast route exists only while lo is up.
  if (!/ 127\.255\.255\.255\/32 link BROADCAST$/m.test(untrustedSnapshot)) problems.push('lo is not up')
  if (!/^Local 0\.0\.0\.0\/0 host LOCAL$/m.test(untrustedSnapshot)) problems.push('IPv4 destinations are not routed to the sandbox')
  return problems
}

/** Lines only in `before` (removed) and only in `after` (added). */
export function diffNetworkSnapshots(before: string, after: string): { removed: string[]; added: string[] } {
  const lines = (s: string) => s.split('\n').map((l) => l.replace(/\s+/g, ' ').trim()).filter(Boolean)
  const a = lines(before)
  const b = lines(after)
  return { removed: a.filter((l) => !b.includes(l)), added: b.filter((l) => !a.includes(l)) }
}
