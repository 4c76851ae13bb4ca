// Closes the file descriptors the sandbox supervisor inherited, so they cannot pass on into the sandboxed app.
import { closeSync, readFileSync, readdirSync } from 'node:fs'

/** O_CLOEXEC as /proc/<pid>/fdinfo prints it (octal `flags:`). */
const O_CLOEXEC = 0o2000000

/**
 * Descriptors beyond stdio that whoever started nophonehome left open without close-on-exec (a CI harness's
 * pipes, a parent tool's sockets) reach the supervisor through unshare, and from there every process it starts:
 * strace, then the app. An inherited socket connected to the outside is a way out of the network namespace, so
 * they are closed before anything is started. What Node and libuv open themselves is close-on-exec and stays.
 * Returns the descriptors closed. `keep`: descriptors this process was handed on purpose (its control channel).
 */
export function closeInheritedDescriptors(keep: readonly number[], procDir = '/proc/self'): number[] {
  const closed: number[] = []
  let names: string[]
  try { names = readdirSync(`${procDir}/fd`) } catch { return closed }
  for (const name of names) {
    const fd = Number(name)
    if (!Number.isInteger(fd) || fd <= 2 || keep.includes(fd)) continue
    let info: string
    // Gone already: that was readdir's own descriptor for the directory listing.
    try { info = readFileSync(`${procDir}/fdinfo/${fd}`, 'utf8') } catch { continue }
    const flags = /^flags:\s*([0-7]+)/m.exec(info)?.[1]
    if (flags === undefined || (parseInt(flags, 8) & O_CLOEXEC) !== 0) continue
    try { closeSync(fd); closed.push(fd) } catch { /* closed meanwhile */ }
  }
  return closed
}
