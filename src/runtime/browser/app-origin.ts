// The app's own origin as the browser inside the sandbox sees it (http://127.0.0.1:PORT, not the host's bridge URL).
import { readFileSync, readdirSync, readlinkSync } from 'node:fs'

interface Listener { port: number; address: string; inode: string }

/**
 * Ports listening in the network namespace of `nsPid`, read from the host through /proc (no connection
 * is made). Sockets the supervisor itself holds (DNS stub, sinks, bridge) are left out.
 */
export function listAppListeners(nsPid: number): Listener[] {
  const own = new Set<string>()
  try {
    for (const fd of readdirSync(`/proc/${nsPid}/fd`)) {
      const m = /^socket:\[(\d+)\]$/.exec(safeReadlink(`/proc/${nsPid}/fd/${fd}`))
      if (m) own.add(m[1])
    }
  } catch { /* cannot see its fds: fall back to every listener */ }
  const out: Listener[] = []
  for (const [file, v6] of [['tcp', false], ['tcp6', true]] as const) {
    let text = ''
    try { text = readFileSync(`/proc/${nsPid}/net/${file}`, 'utf8') } catch { continue }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/)
      if (f.length < 10 || f[3] !== '0A' || own.has(f[9])) continue
      const [hexAddr, hexPort] = f[1].split(':')
      out.push({ port: parseInt(hexPort, 16), address: decodeAddress(hexAddr, v6), inode: f[9] })
    }
  }
  return out
}

/** `http://HOST:PORT` the app answers on inside the namespace: the given port, else its first listener. */
export function appOriginIn(nsPid: number, port?: number): string | undefined {
  const listeners = listAppListeners(nsPid)
  const chosen = port !== undefined ? listeners.find((l) => l.port === port) ?? { port, address: '127.0.0.1' } : listeners[0]
  if (!chosen) return undefined
  return `http://${hostFor(chosen.address)}:${chosen.port}`
}

// Wildcard listeners answer on loopback; a v6-only loopback listener needs [::1].
function hostFor(address: string): string {
  if (address === '0.0.0.0' || address === '::' || address === '::ffff:0.0.0.0' || address.startsWith('127.')) return '127.0.0.1'
  if (address === '::1') return '[::1]'
  if (address.startsWith('::ffff:')) return address.slice(7)
  return address.includes(':') ? `[${address}]` : address
}

/** /proc/net/tcp writes addresses as host-order 32-bit words in hex. */
function decodeAddress(hex: string, v6: boolean): string {
  const words = hex.match(/.{8}/g) ?? []
  const bytes = words.flatMap((w) => [w.slice(6, 8), w.slice(4, 6), w.slice(2, 4), w.slice(0, 2)].map((b) => parseInt(b, 16)))
  if (!v6) return bytes.join('.')
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) return `::ffff:${bytes.slice(12).join('.')}`
  const groups: string[] = []
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] << 8) | bytes[i + 1]).toString(16))
  const joined = groups.join(':')
  if (joined === '0:0:0:0:0:0:0:0') return '::'
  if (joined === '0:0:0:0:0:0:0:1') return '::1'
  return joined
}

function safeReadlink(path: string): string {
  try { return readlinkSync(path) } catch { return '' }
}
