// Package and file patterns of the policy: 'name', 'name@1.2.3', '@scope/*'; 'dist/**/*.wasm'.
import { packageName } from '../report/finding.ts'

// `(image)`: files of a container image outside any package; `deb:name`, `apk:name`: its distribution packages.
const PACKAGE_PATTERN = /^(?:\((?:first-party|image)\)|(?:(?:deb|apk):)?(?:@[A-Za-z0-9*~-][\w.*~+-]*\/)?[A-Za-z0-9*~-][\w.*~+-]*(?:@[^@\s/]+)?)$/

/** Says what is wrong with a package pattern, or undefined when it is fine. */
export function checkPackagePattern(pattern: string): string | undefined {
  return PACKAGE_PATTERN.test(pattern) ? undefined : `'${pattern}' is not a package name (expected 'name', 'name@1.2.3', '@scope/name', '@scope/*', or for images 'deb:name', 'apk:name', '(image)')`
}

/** Compiles a package pattern: with '@version' it matches that exact version, else any version of the name. */
export function compilePackagePattern(pattern: string): (pkg: string) => boolean {
  const versioned = pattern.lastIndexOf('@') > 0
  if (!pattern.includes('*')) return versioned ? (pkg) => pkg === pattern : (pkg) => packageName(pkg) === pattern
  const re = new RegExp('^' + pattern.split('*').map(escapeRegExp).join('[^/@]*') + '$')
  return versioned ? (pkg) => re.test(pkg) : (pkg) => re.test(packageName(pkg))
}

/** Compiles a file glob: '*' stays within a path segment, '**' crosses segments. Backslashes count as '/'. */
export function compileFileGlob(glob: string): (file: string) => boolean {
  let src = ''
  const g = glob.replace(/\\/g, '/')
  for (let i = 0; i < g.length; i++) {
    if (g.startsWith('**/', i)) { src += '(?:.*/)?'; i += 2 }
    else if (g.startsWith('**', i)) { src += '.*'; i += 1 }
    else if (g[i] === '*') src += '[^/]*'
    else if (g[i] === '?') src += '[^/]'
    else src += escapeRegExp(g[i])
  }
  const re = new RegExp('^' + src + '$')
  return (file) => re.test(file.replace(/\\/g, '/'))
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
