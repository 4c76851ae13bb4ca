// What each runtime layer records; the correlator turns these into runtime-egress findings.

export type RuntimeLayer = 'guard' | 'dns' | 'sink' | 'syscall' | 'browser'

/**
 * One observed attempt. The guard writes these as JSON lines (layer 'guard') to the file named by
 * NOPHONEHOME_GUARD_LOG; the sandbox's DNS stub, sinks and strace parser produce the others.
 */
export interface RuntimeEvent {
  layer: RuntimeLayer
  /** Milliseconds since the Unix epoch when recorded. */
  time: number
  /** `fetch`, `http.request`, `net.connect`, `tls.connect`, `dgram.send`, `dns.lookup`, `dns.resolve4`,
   *  `http2.connect`, `WebSocket`, `undici.request`, `connect(2)`, `sendto(2)`, `dns-query`, … */
  api?: string
  /** Host name as the program gave it (before resolution). */
  host?: string
  /** IP address (v4 or v6) when known. */
  address?: string
  port?: number
  protocol?: 'tcp' | 'udp' | 'unix' | 'dns' | 'http' | 'tls'
  /** DNS: the name asked and the record type. */
  name?: string
  qtype?: string
  pid?: number
  ppid?: number
  /** Worker thread id (0 = main thread). */
  thread?: number
  /** Program/command line of the process, when known. */
  command?: string
  /** JS stack frames, innermost first, as `fn (file:line:col)` or `file:line:col`. */
  stack?: string[]
  /** What would have been sent: HTTP request line + Host + headers + body preview, TLS SNI, first bytes. */
  sent?: string
  /** Free-form note, e.g. `patches removed`, `guard log write denied`. */
  note?: string
}
