// Generates schema/policy.schema.json from the TypeBox source (src/policy/schema.ts); `--check` fails when the committed file is stale.
import { build } from 'esbuild'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const out = `${root}schema/policy.schema.json`

// Bundle the schema module in memory (TypeBox included) so this script needs no TypeScript loader.
const result = await build({
  entryPoints: [`${root}src/policy/schema.ts`],
  bundle: true,
  platform: 'node',
  format: 'esm',
  write: false,
  logLevel: 'warning',
})
const mod = await import('data:text/javascript;base64,' + Buffer.from(result.outputFiles[0].text).toString('base64'))
const text = mod.renderPolicyJsonSchema()

if (process.argv.includes('--check')) {
  let committed = ''
  try { committed = readFileSync(out, 'utf8') } catch { /* missing counts as stale */ }
  if (committed !== text) {
    console.error('schema/policy.schema.json is stale: run `npm run schema` and commit the result')
    process.exitCode = 1
  }
} else {
  mkdirSync(dirname(out), { recursive: true })
  writeFileSync(out, text)
  console.log(`wrote ${out.slice(root.length)}`)
}
