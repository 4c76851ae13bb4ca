import { readFileSync } from 'node:fs'
const { analyseSource } = await import('./dist-sig/internal.js')
const f = process.argv[2]
const src = readFileSync(f, 'utf8')
let t = performance.now()
const r = analyseSource(src, 'module')
console.log(f, (performance.now() - t).toFixed(0), 'ms', r.findings.length, r.parseError)
