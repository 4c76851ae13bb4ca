// Module boundary markers of unminified bundles: which original module a byte offset of a bundle belongs to.
//
// Bundlers that do not minify leave a comment where each module starts, and that is enough to tell a
// vendor SDK's code from the app's in a bundle shipped without its source map:
//   esbuild   `// node_modules/axios/lib/core/Axios.js` (a line of its own, indented inside IIFE/CJS wrappers)
//   webpack   `/***/ "./node_modules/axios/lib/axios.js":` (named module ids, development builds) and the
//             pathinfo banner `!*** ./node_modules/axios/lib/axios.js ***!` (numeric ids too); webpack 5
//             concatenated modules `;// CONCATENATED MODULE: ./src/x.js` (newer releases: `;// ./src/x.js`)
//   rolldown  `//#region node_modules/x/y.js` … `//#endregion` (Vite 7+, tsdown)
// Rollup itself writes no module comments by default, so its bundles need their source map.

export interface ModuleMarker {
  /** Offset of the marker in the bundle; the module's code follows it. */
  offset: number
  /** Module path as the bundler wrote it, `./` dropped: `node_modules/axios/lib/axios.js`, `src/x.js`. */
  path: string
  style: 'esbuild' | 'webpack' | 'rolldown'
}

// A bare path: no spaces, no scheme, ends in a source extension. Keeps `// see https://…` and prose out.
const PATH = String.raw`(?:\.{1,2}\/)*(?:[\w@.$+~-]+\/)*[\w@.$+~-]+\.(?:[cm]?[jt]sx?|json|vue|svelte|astro|css|node)`
const WEBPACK_ID = /^\/\*{3}\/ (?:"([^"\n]+)"|'([^'\n]+)'):/gm
const WEBPACK_PATHINFO = /!\*{3} (\S[^\n]*?) \*{3}!/g
// The line comments, each from its `//` to the end of its line; the line starts with blanks only (webpack's
// may have a `;` just before the `//`). Tried only where a `//` is (see commentMarkers).
const ESBUILD_REST = new RegExp(String.raw`\/\/ (${PATH})[ \t]*\r?$`, 'my')
const WEBPACK_CONCAT_REST = new RegExp(String.raw`\/\/ (?:CONCATENATED MODULE: )?(\.{0,2}\/${PATH})(?: \+ \d+ modules)?[ \t]*\r?$`, 'my')
const ROLLDOWN_REST = /\/\/#region (\S[^\n]*?)[ \t]*\r?$/my

// Cheap pre-checks so ordinary files cost one indexOf per style.
const HINTS = ['\n// ', '/***/ ', '!*** ', '//#region ', ';// ']

/**
 * Finds module boundary markers in a bundle, sorted by offset. A file that is not a bundle gives [];
 * esbuild-style comments count only when there are two or more of them or one names node_modules,
 * so a lone `// utils.js` comment in hand-written code is not taken for a boundary.
 */
export function findModuleMarkers(untrustedSource: string): ModuleMarker[] {
  if (!HINTS.some((h) => untrustedSource.includes(h)) && !untrustedSource.startsWith('// ')) return []
  const out: ModuleMarker[] = []
  const webpack: ModuleMarker[] = []
  // webpack's `/***/` patterns run only if the text they need occurs at all: a regex pass over a 20 MB
  // bundle costs 15–40 ms, an indexOf a few.
  const has = (s: string) => untrustedSource.includes(s)
  if (has('/***/ ')) for (const m of untrustedSource.matchAll(WEBPACK_ID)) webpack.push({ offset: m.index, path: cleanPath(m[1] ?? m[2]), style: 'webpack' })
  if (has('!*** ')) for (const m of untrustedSource.matchAll(WEBPACK_PATHINFO)) {
    // The banner follows its `/***/ id:` line; with numeric ids it is the only place the path is.
    const path = cleanPath(m[1])
    const prev = webpack[webpack.length - 1]
    const idLine = untrustedSource.lastIndexOf('/***/ ', m.index)
    if (prev && prev.path === path && m.index - prev.offset < 400) continue
    webpack.push({ offset: idLine >= 0 && m.index - idLine < 400 ? idLine : m.index, path, style: 'webpack' })
  }
  const comments = commentMarkers(untrustedSource)
  webpack.push(...comments.webpack)
  out.push(...webpack, ...comments.rolldown)
  if (!webpack.length) {
    const esbuild = comments.esbuild
    if (esbuild.length >= 2 || esbuild.some((e) => e.path.includes('node_modules/'))) out.push(...esbuild)
  }
  out.sort((a, b) => a.offset - b.offset)
  return dedupe(out)
}

/**
 * The markers that are line comments: esbuild's `// path`, webpack's `// ./path` and `;// CONCATENATED
 * MODULE: ./path`, rolldown's `//#region path`, each on a line of its own with only blanks before it; the
 * marker's offset is the line's start. Found from each `//` in the text rather than by multiline regexes run
 * over all of it: on a 20 MB bundle those tried every position (~60 ms), this tries its few thousand `//`s.
 */
function commentMarkers(text: string): { esbuild: ModuleMarker[]; webpack: ModuleMarker[]; rolldown: ModuleMarker[] } {
  const found = { esbuild: [] as ModuleMarker[], webpack: [] as ModuleMarker[], rolldown: [] as ModuleMarker[] }
  const blank = (i: number) => { const c = text.charCodeAt(i); return c === 32 || c === 9 }
  // Where a multiline `^` matches: after \n, \r, U+2028 or U+2029, or at the very start.
  const atLineStart = (i: number) => { if (i === 0) return true; const c = text.charCodeAt(i - 1); return c === 10 || c === 13 || c === 0x2028 || c === 0x2029 }
  const tryAt = (re: RegExp, at: number): RegExpExecArray | null => { re.lastIndex = at; return re.exec(text) }
  for (let at = text.indexOf('//'); at !== -1; at = text.indexOf('//', at + 2)) {
    const semi = at > 0 && text.charCodeAt(at - 1) === 59
    let lineStart = semi ? at - 1 : at
    while (lineStart > 0 && blank(lineStart - 1)) lineStart--
    if (!atLineStart(lineStart)) continue
    let m = tryAt(WEBPACK_CONCAT_REST, at)
    if (m) found.webpack.push({ offset: lineStart, path: cleanPath(m[1]), style: 'webpack' })
    if (semi) continue
    const e = tryAt(ESBUILD_REST, at)
    if (e) found.esbuild.push({ offset: lineStart, path: cleanPath(e[1]), style: 'esbuild' })
    else if ((m = tryAt(ROLLDOWN_REST, at))) found.rolldown.push({ offset: lineStart, path: cleanPath(m[1]), style: 'rolldown' })
  }
  return found
}

function cleanPath(p: string): string {
  return p.trim().replace(/^(?:\.\/)+/, '').replace(/\\/g, '/').replace(/ \+ \d+ modules$/, '')
}

function dedupe(markers: ModuleMarker[]): ModuleMarker[] {
  const out: ModuleMarker[] = []
  for (const m of markers) {
    const last = out[out.length - 1]
    if (last && last.offset === m.offset) continue
    out.push(m)
  }
  return out
}

/**
 * The module whose section contains `offset`: the last marker at or before it. Code before the first
 * marker is the bundler's runtime (no module). A rolldown `//#endregion` is not tracked: the next
 * region starts where the last one ended, and code between regions is rare.
 */
export function moduleAt(markers: ModuleMarker[], offset: number): ModuleMarker | undefined {
  let lo = 0
  let hi = markers.length - 1
  let found: ModuleMarker | undefined
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    if (markers[mid].offset <= offset) { found = markers[mid]; lo = mid + 1 } else hi = mid - 1
  }
  return found
}
