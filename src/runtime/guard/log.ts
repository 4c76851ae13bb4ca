// The guard's event log: one JSON line per attempt, written to a file descriptor opened once at preload.
import fs from 'node:fs'
import { threadId, isMainThread, getEnvironmentData, setEnvironmentData } from 'node:worker_threads'
import type { RuntimeEvent } from '../events.ts'

/** What the guard adds to the shared RuntimeEvent shape; layer, time and the process fields are filled here. */
export type GuardRecord = Omit<RuntimeEvent, 'layer' | 'time' | 'pid' | 'ppid' | 'thread' | 'command'>

// Saved before the app runs: an app (or a test double like graceful-fs) that replaces these later must not
// redirect or break the guard's own writes.
const writeSync = fs.writeSync
const stringify = JSON.stringify
export const realNow = Date.now

const ENV_DATA_KEY = 'nophonehome:guard'

let fd = -1
let pid = 0
let ppid = 0
let command = ''

/**
 * Opens the log once, at preload. The path comes from NOPHONEHOME_GUARD_LOG, which must stay in the
 * environment so spawned `node` children can log too — so the app CAN read it (process.env, /proc/self/environ)
 * and could forge or truncate lines. Nothing in-process can prevent that; the DNS stub and strace layers are
 * the real containment, and the guard only adds attribution. Worker threads share this process's descriptor
 * through worker environment data, so a worker started with a replaced `env` still logs.
 */
export function openLog(env: NodeJS.ProcessEnv): boolean {
  pid = process.pid
  ppid = process.ppid
  command = process.argv.join(' ').trim().slice(0, 500)
  if (!isMainThread) {
    const inherited = readInherited()
    if (inherited !== undefined) { fd = inherited; return true }
  }
  const path = env.NOPHONEHOME_GUARD_LOG
  if (!path) return false
  try {
    // 'a' = O_APPEND: lines from several processes appending to one file do not overwrite each other.
    fd = fs.openSync(path, 'a')
  } catch {
    // Unwritable log: stay silent and let the app run unchanged; the OS layers still see its traffic.
    return false
  }
  try { setEnvironmentData(ENV_DATA_KEY, fd) } catch { /* older API shape: workers fall back to the env path */ }
  return true
}

function readInherited(): number | undefined {
  try {
    const value = getEnvironmentData(ENV_DATA_KEY)
    return typeof value === 'number' ? value : undefined
  } catch {
    return undefined
  }
}

export function isLogOpen(): boolean {
  return fd >= 0
}

/** Appends one event. Never throws: a full disk or a descriptor the app closed just loses the line. */
export function record(partial: GuardRecord): void {
  if (fd < 0) return
  const event: RuntimeEvent = { layer: 'guard', time: realNow(), ...partial, pid, ppid, thread: threadId, command }
  try {
    writeSync(fd, stringify(event) + '\n')
  } catch {
    // Dropped. Writing to stderr instead would change what the app prints.
  }
}
