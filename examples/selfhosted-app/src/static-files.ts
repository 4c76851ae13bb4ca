// Serves the admin page's own assets from the release's public/ folder, and nothing outside it.
import { readFile, stat } from 'node:fs/promises'
import { extname, join, normalize, sep } from 'node:path'
import type { ServerResponse } from 'node:http'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
}

/** Answers a GET for a public asset; returns false when there is no such file (the caller sends 404). */
export async function serveStatic(publicDir: string, untrustedPathname: string, response: ServerResponse, headOnly: boolean): Promise<boolean> {
  let relative: string
  try {
    relative = decodeURIComponent(untrustedPathname === '/' ? '/index.html' : untrustedPathname)
  } catch {
    return false
  }
  if (relative.includes('\0')) return false
  const file = normalize(join(publicDir, relative))
  // normalize() folds "..": whatever is left must still be inside public/.
  if (!file.startsWith(publicDir.endsWith(sep) ? publicDir : publicDir + sep)) return false
  try {
    if (!(await stat(file)).isFile()) return false
  } catch {
    return false
  }
  const body = await readFile(file)
  response.writeHead(200, {
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    'content-length': body.length,
    'cache-control': 'no-cache',
  })
  response.end(headOnly ? undefined : body)
  return true
}
