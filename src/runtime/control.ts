// Messages between the host (sandbox.ts) and the in-sandbox supervisor, one JSON object per line on fd 3.
import type { RuntimeEvent } from './events.ts'
import type { ConfineTools } from './confine.ts'

export interface SupervisorConfig {
  /** false = degraded: no namespaces, so no network setup, DNS stub or sinks. */
  isolated: boolean
  command: string[]
  cwd: string
  env: Record<string, string>
  /** File bind-mounted over /etc/resolv.conf (isolated only). */
  resolvConf: string
  /** Where the network setup started with the namespaces writes its exit code (isolated only; network-setup.ts). */
  networkStatus?: string
  /** strace binary, or undefined when the syscall layer is off. */
  strace?: string
  straceLog: string
  /** Unix socket the supervisor listens on; the host relays its local URL to it. */
  bridgeSocket: string
  dns: { answers: Record<string, string[]>; nxdomain: boolean }
  sinks: { tcp: number[]; udp: number[] }
  /** Milliseconds between SIGTERM and SIGKILL when stopping. */
  graceMs: number
  /**
   * Isolated only: run the command in its own PID, user and mount namespaces (confine.ts). `appUserNamespace` is
   * false when user namespaces are unavailable (a root run without them): the app then shares the supervisor's
   * credentials and the host is told so.
   */
  confine?: { tools: ConfineTools; privateDir: string; appUserNamespace: boolean }
}

export type ToHost =
  | { type: 'hello'; pid: number }
  | { type: 'fatal'; stage: string; message: string }
  | { type: 'started'; pid?: number; sinks?: { tcp: number[]; udp: number[]; unavailable: string[] }; notes: string[] }
  | { type: 'event'; event: RuntimeEvent }
  | { type: 'port-open'; id: number; port: number }
  | { type: 'exit'; code?: number; signal?: string; error?: string }
  /** Something that watches the app was lost or tampered with at `time`: the verdict cannot pass. */
  | { type: 'lost'; reason: string; time: number }
  | { type: 'stopped' }

export type ToSupervisor =
  | { type: 'watch-port'; id: number; port: number }
  | { type: 'stop' }

/** Splits a byte stream into JSON messages; malformed lines are dropped. */
export function createLineParser<T>(onMessage: (message: T) => void): (chunk: Buffer | string) => void {
  let rest = ''
  return (chunk) => {
    rest += chunk.toString()
    let nl: number
    while ((nl = rest.indexOf('\n')) >= 0) {
      const line = rest.slice(0, nl)
      rest = rest.slice(nl + 1)
      if (!line.trim()) continue
      try { onMessage(JSON.parse(line) as T) } catch { /* not ours */ }
    }
  }
}
