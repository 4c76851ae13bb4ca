// The artifact's identity: SHA-256 of a file, or of a directory's sorted listing of file digests.
import { createHash } from 'node:crypto'
import { createReadStream, lstatSync, readdirSync, readlinkSync, statSync } from 'node:fs'
import { basename, join, relative, sep } from 'node:path'
import { ArtifactUnreadableError } from '../errors.ts'

export interface ArtifactIdentity {
  name: string
  sha256: string
  kind: 'file' | 'directory'
  /** When the artifact is a container image: the image's own identity, which the record's subject names first. */
  image?: { ref?: string; platform?: string; manifestDigest?: string; configDigest: string }
}

async function hashFile(path: string): Promise<string> {
  const h = createHash('sha256')
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer)
  return h.digest('hex')
}

/**
 * A directory's digest covers every regular file's path and content and every symlink's target,
 * sorted by path: the same tree gives the same digest wherever it is unpacked.
 */
async function hashDirectory(root: string): Promise<string> {
  const lines: string[] = []
  const stack = [root]
  while (stack.length) {
    const dir = stack.pop()!
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name)
      const rel = relative(root, p).split(sep).join('/')
      if (e.isDirectory()) stack.push(p)
      else if (e.isSymbolicLink()) lines.push(`${rel}\u0000link\u0000${readlinkSync(p)}`)
      else if (e.isFile()) lines.push(`${rel}\u0000file\u0000${await hashFile(p)}`)
    }
  }
  lines.sort()
  return createHash('sha256').update(lines.join('\n')).digest('hex')
}

export async function identify(untrustedPath: string): Promise<ArtifactIdentity> {
  let st
  try {
    st = lstatSync(untrustedPath)
    if (st.isSymbolicLink()) st = statSync(untrustedPath)
  } catch (err) {
    throw new ArtifactUnreadableError(`${untrustedPath}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (err as Error).message}`, 'Pass the release tarball or directory exactly as you received it.')
  }
  const name = basename(untrustedPath.replace(/[\\/]+$/, '')) || untrustedPath
  if (st.isDirectory()) return { name, sha256: await hashDirectory(untrustedPath), kind: 'directory' }
  return { name, sha256: await hashFile(untrustedPath), kind: 'file' }
}
