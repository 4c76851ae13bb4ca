// In-process guard, preloaded into every Node process of a `nophonehome run` with NODE_OPTIONS=--require:
// records every network attempt (API, destination, JS stack, pid, thread) and never blocks one — the network
// namespace is what keeps traffic in; this layer says which code tried.
import { syncBuiltinESMExports } from 'node:module'
import { isMainThread, getEnvironmentData, setEnvironmentData } from 'node:worker_threads'
import { openLog, realNow, record } from './log.ts'
import { installSockets } from './sockets.ts'
import { installHttp } from './http.ts'
import { installDgram } from './dgram.ts'
import { installDns } from './dns.ts'
import { installGlobals } from './globals.ts'
import { installChannels } from './channels.ts'
import { installChildren, installWorkers } from './children.ts'
import { setOptionsNeedle, watchTampering } from './tamper.ts'
import { installTimeWarp, readWarpFactor } from './time-warp.ts'

const LOADED = Symbol.for('nophonehome.guard.loaded')
const WARP_KEY = 'nophonehome:time-warp'

function readWarp(): number | undefined {
  const fromEnv = readWarpFactor(process.env.NOPHONEHOME_TIME_WARP)
  if (fromEnv !== undefined || isMainThread) {
    if (fromEnv !== undefined && isMainThread) try { setEnvironmentData(WARP_KEY, fromEnv) } catch { /* workers fall back to env */ }
    return fromEnv
  }
  // A worker started with a replaced env still warps like its parent.
  try {
    const inherited = getEnvironmentData(WARP_KEY)
    return typeof inherited === 'number' ? inherited : undefined
  } catch {
    return undefined
  }
}

function install(): void {
  const g = globalThis as Record<symbol, unknown>
  // Loaded twice (two builds on NODE_OPTIONS, or --require on the command line too): patch once.
  if (g[LOADED]) return
  Object.defineProperty(g, LOADED, { value: true, enumerable: false })
  const startedAt = realNow()
  // Read once, now: what the app does to process.env later does not move the log.
  const env = { NOPHONEHOME_GUARD_LOG: process.env.NOPHONEHOME_GUARD_LOG }
  const nodeOptions = process.env.NODE_OPTIONS ?? ''
  const originalSetInterval = setInterval
  const warp = readWarp()

  if (openLog(env)) {
    setOptionsNeedle(nodeOptions, typeof __filename === 'string' ? __filename : '')
    installSockets()
    installHttp()
    installDgram()
    installDns()
    installGlobals()
    installChannels()
    installChildren()
    installWorkers()
    record({ note: warp ? `guard loaded (time warp ${warp}x)` : 'guard loaded' })
    watchTampering(originalSetInterval, 2000)
  }
  if (warp) installTimeWarp(warp, startedAt)
  // ESM `import { request } from 'node:http'` reads these exports; make sure it sees the wrapped functions.
  try { syncBuiltinESMExports() } catch { /* ESM facades not built yet: they will read the patched values */ }
}

try {
  install()
} catch {
  // The guard must never stop the app from starting.
}
