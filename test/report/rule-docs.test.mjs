// Every rule the tool can emit has a docs page (what it means, an example, what to do), and the reports point to it.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { ROOT, importDist, scanJson } from '../helpers/index.mjs'
import { sampleReport } from './sample.mjs'

const nph = await importDist('internal.js')
const { ruleDocsBase } = await import(pathToFileURL(join(ROOT, 'scripts/rule-docs-base.mjs')).href)
const DOCS = join(ROOT, 'docs/rules')
const rules = nph.everyRule()
const work = mkdtempSync(join(tmpdir(), 'nph-rule-docs-'))
after(() => rmSync(work, { recursive: true, force: true }))

// Rule ids as the source writes them: detector and registered metas, findings made with a literal rule, *_RULE constants.
function ruleIdsInSource() {
  const ids = new Map()
  const patterns = [
    /\bid:\s*'([a-z][a-z0-9-]*)',\s*\n\s*severity:/g,
    /\brule:\s*'([a-z][a-z0-9-]*)'/g,
    /\b[A-Z_]*RULE\s*=\s*'([a-z][a-z0-9-]*)'/g,
  ]
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name)
      if (e.isDirectory()) { if (e.name !== 'signatures') walk(p) } else if (e.name.endsWith('.ts')) {
        const text = readFileSync(p, 'utf8')
        for (const re of patterns) for (const m of text.matchAll(re)) ids.set(m[1], relative(ROOT, p))
      }
    }
  }
  walk(join(ROOT, 'src'))
  return ids
}

test('every rule id written in the source is in the rule list the reports use (its registration is loaded)', () => {
  const listed = new Set(rules.map((r) => r.id))
  const written = ruleIdsInSource()
  // The scan is real: it finds the detectors' ids and the runtime and browser constants.
  assert.ok(written.size >= rules.length - 1, `only ${written.size} ids found in src`)
  for (const id of ['net-sink', 'runtime-egress', 'browser-egress', 'unresolved-import']) assert.ok(written.has(id), id)
  for (const [id, file] of written) assert.ok(listed.has(id), `${id} (${file}) is not in everyRule(): import the module that registers it in src/report/rule-meta.ts`)
})

test('every rule has a page docs/rules/<id>.md, and every page is a rule', () => {
  const missing = rules.filter((r) => !existsSync(join(DOCS, `${r.id}.md`))).map((r) => r.id)
  assert.deepEqual(missing, [], `rules without a page: ${missing.join(', ')}`)
  const ids = new Set(rules.map((r) => r.id))
  const orphans = readdirSync(DOCS).filter((f) => f.endsWith('.md') && !ids.has(f.slice(0, -3)))
  assert.deepEqual(orphans, [])
})

/** A page's sections: `# id`, the default severity line, prose, `## Example` (with code), `## What to do`. */
function readPage(id) {
  const text = readFileSync(join(DOCS, `${id}.md`), 'utf8')
  const example = /^## Example\n([\s\S]*?)(?=^## )/m.exec(text)?.[1] ?? ''
  const todo = /^## What to do\n([\s\S]*)$/m.exec(text)?.[1] ?? ''
  const fences = [...example.matchAll(/^```(\w+)([^\n]*)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1], info: m[2].trim(), body: m[3] }))
  return { text, example, todo, fences }
}

test('each page says what the rule means, its default severity, an example and what to do', () => {
  for (const rule of rules) {
    const page = readPage(rule.id)
    assert.ok(page.text.startsWith(`# ${rule.id}\n`), `${rule.id}: first line is "# ${rule.id}"`)
    const severity = /^\*\*Default severity:\*\* (.+(?:\n(?!\n).+)*)/m.exec(page.text)?.[1]
    assert.ok(severity?.includes(rule.severity), `${rule.id}: the default severity line names '${rule.severity}'`)
    const meaning = page.text.slice(page.text.indexOf('\n\n', page.text.indexOf('**Default severity:**')), page.text.indexOf('## Example'))
    assert.ok(meaning.trim().length > 150, `${rule.id}: explains what it means`)
    assert.ok(page.fences.length > 0, `${rule.id}: has an example in a code block`)
    assert.match(page.todo, /^- \S/m, `${rule.id}: "What to do" lists actions`)
  }
})

test('examples written as files produce the rule they document when scanned', async () => {
  let checked = 0
  for (const rule of rules) {
    const files = readPage(rule.id).fences.filter((f) => /(^|\s)file=/.test(f.info))
    if (!files.length) continue
    const dir = join(work, rule.id)
    const entries = []
    for (const f of files) {
      const name = /(?:^|\s)file=(\S+)/.exec(f.info)[1]
      const target = resolve(dir, name)
      assert.ok(target.startsWith(dir + '/'), `${rule.id}: ${name} stays inside the example`)
      mkdirSync(dirname(target), { recursive: true })
      writeFileSync(target, f.body)
      if (/(^|\s)entry(\s|$)/.test(f.info)) entries.push('--entry', name)
    }
    const { report } = await scanJson(['scan', dir, ...entries, '--no-cache'])
    const found = report.findings.filter((f) => f.rule === rule.id)
    assert.ok(found.length > 0, `${rule.id}: the example gives no ${rule.id} finding; got ${report.findings.map((f) => f.rule).join(', ') || 'none'}`)
    checked++
  }
  // Every rule the static lens reports from files alone has a checked example; runtime, browser and limits are shown as output.
  assert.ok(checked >= 12, `only ${checked} examples checked`)
})

test('the docs URL base comes from package.json repository, and none is made up without one', () => {
  assert.equal(ruleDocsBase({}), undefined)
  assert.equal(ruleDocsBase({ repository: 'https://example.invalid/x/y.git' }), undefined)
  assert.equal(ruleDocsBase({ repository: 'github:acme/nophonehome' }), 'https://github.com/acme/nophonehome/blob/HEAD/docs/rules/')
  assert.equal(ruleDocsBase({ repository: { type: 'git', url: 'git+https://github.com/acme/nophonehome.git' } }), 'https://github.com/acme/nophonehome/blob/HEAD/docs/rules/')
  assert.equal(ruleDocsBase({ repository: { url: 'git@gitlab.com:acme/tools/nph.git', directory: 'packages/cli' } }), 'https://gitlab.com/acme/tools/nph/-/blob/HEAD/packages/cli/docs/rules/')
  // The build used the same derivation on this package.json.
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))
  assert.equal(nph.RULE_DOCS_BASE, ruleDocsBase(pkg))
  assert.equal(nph.ruleDocUrl('net-sink', 'https://docs.nophonehome.test/rules/'), 'https://docs.nophonehome.test/rules/net-sink.md')
  assert.equal(nph.ruleDocUrl('net-sink', undefined), undefined)
  assert.equal(nph.ruleDocPath('net-sink'), 'docs/rules/net-sink.md')
})

test('SARIF points each rule at its page: helpUri with a docs base, the path in the help text without one', () => {
  const base = 'https://docs.nophonehome.test/rules/'
  const withBase = JSON.parse(nph.createSarifRenderer(rules, { docsBase: base })(sampleReport(), { color: false }))
  for (const r of withBase.runs[0].tool.driver.rules) {
    assert.equal(r.helpUri, `${base}${r.id}.md`)
    assert.ok(r.help.markdown.includes(`[docs/rules/${r.id}.md](${base}${r.id}.md)`), r.help.markdown)
  }
  const without = JSON.parse(nph.createSarifRenderer(rules)(sampleReport(), { color: false }))
  for (const r of without.runs[0].tool.driver.rules) {
    if (nph.RULE_DOCS_BASE) assert.equal(r.helpUri, nph.ruleDocUrl(r.id))
    else assert.equal(r.helpUri, undefined)
    assert.ok(r.help.text.includes(`docs/rules/${r.id}.md`), r.help.text)
    assert.equal(r.properties.docs, `docs/rules/${r.id}.md`)
  }
})

test('the HTML report explains each rule it uses and links its page when a docs base is known', () => {
  const report = sampleReport()
  const html = nph.renderers.html(report, { color: false })
  for (const id of new Set(report.findings.map((f) => f.rule))) {
    assert.match(html, new RegExp(`<a href="#rule-${id}"><code>${id}</code></a>`))
    assert.match(html, new RegExp(`<dt id="rule-${id}">[\\s\\S]*?docs/rules/${id}\\.md`))
  }
  const linked = nph.createHtmlRenderer({ docsBase: 'https://docs.nophonehome.test/rules/' })(report, { color: false })
  assert.match(linked, /<a href="https:\/\/docs\.nophonehome\.test\/rules\/net-sink\.md" rel="noreferrer noopener">docs\/rules\/net-sink\.md<\/a>/)
})
