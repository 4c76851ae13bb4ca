// Finds the policy to use: --policy FILE, else nophonehome.policy.json in the working directory unless that lies inside a scanned target.
import { existsSync, realpathSync, statSync } from 'node:fs'
import { isAbsolute, join, relative, resolve } from 'node:path'
import { POLICY_FILE_NAME } from './schema.ts'

export interface PolicyLocation {
  /** Absolute path of the policy to load, if any. */
  path?: string
  /** How to name it in messages and reports (relative to the working directory). */
  display?: string
  /** Policies found and ignored, and why. */
  notices: string[]
}

/**
 * The artifact is untrusted, so a policy file inside a scanned directory is never honoured
 * (it could waive its own findings). An explicit --policy is the user's choice and always used.
 */
export function discoverPolicy(explicit: string | undefined, targets: string[], cwd: string): PolicyLocation {
  if (explicit) {
    const path = resolve(cwd, explicit)
    return { path, display: explicit, notices: [] }
  }
  const scannedDirs = targets
    .map((t) => resolve(cwd, t))
    .filter((p) => isDirectory(p))
    .map((p) => realPath(p))
  const notices: string[] = []
  const inScanned = (file: string) => scannedDirs.some((dir) => isInside(realPath(file), dir))

  // A policy shipped inside a scanned directory: say that it was seen and ignored.
  for (const t of targets) {
    const dir = resolve(cwd, t)
    const candidate = join(dir, POLICY_FILE_NAME)
    if (isDirectory(dir) && existsSync(candidate) && realPath(join(cwd, POLICY_FILE_NAME)) !== realPath(candidate)) {
      notices.push(`ignored ${displayPath(candidate, cwd)}: it is inside the scanned artifact, which cannot waive its own findings (pass --policy to use it anyway)`)
    }
  }
  const own = join(cwd, POLICY_FILE_NAME)
  if (existsSync(own)) {
    if (inScanned(own)) {
      notices.push(`ignored ${POLICY_FILE_NAME} in the working directory: it is inside a scanned target, which cannot waive its own findings (pass --policy ${POLICY_FILE_NAME} if you trust it)`)
      return { notices }
    }
    return { path: own, display: POLICY_FILE_NAME, notices }
  }
  return { notices }
}

function isDirectory(p: string): boolean {
  try { return statSync(p).isDirectory() } catch { return false }
}

function realPath(p: string): string {
  try { return realpathSync(p) } catch { return p }
}

function isInside(file: string, dir: string): boolean {
  const rel = relative(dir, file)
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))
}

function displayPath(p: string, cwd: string): string {
  const rel = relative(cwd, p)
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : p
}
