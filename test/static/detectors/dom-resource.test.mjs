// dom-resource: browser code that makes the page fetch through the DOM.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { importDist } from '../../helpers/index.mjs'

const { analyseSource } = await importDist('internal.js')

function run(code, kind = 'script') {
  const r = analyseSource(code, kind)
  assert.equal(r.parseError, undefined)
  const lineOf = (o) => code.slice(0, o).split('\n').length
  return r.findings.filter((f) => f.rule === 'dom-resource').map((f) => [f.severity, lineOf(f.start), f.api])
}

const CASES = [
  ['an image beacon', "new Image().src = 'https://t.vendor.test/p.gif'", [['violation', 1, '<img>.src']]],
  ['an image beacon through a variable', "const i = new Image()\ni.src = 'https://t.vendor.test/p.gif?u=' + id", [['violation', 2, '<img>.src']]],
  ['an injected script', "const s = document.createElement('script')\ns.src = 'https://cdn.vendor.test/w.js'\ndocument.head.appendChild(s)", [['violation', 2, '<script>.src']]],
  ['an injected stylesheet with a configured URL', "const l = document.createElement('link')\nl.href = window.config.themeUrl", [['review', 2, '<link>.href']]],
  ['setAttribute src on a created iframe', "const f = document.createElement('iframe')\nf.setAttribute('src', 'https://embed.vendor.test/')", [['violation', 2, "<iframe>.setAttribute('src')"]]],
  ['setAttribute src on an element of unknown kind', "el.setAttribute('src', 'https://img.vendor.test/a.png')", [['violation', 1, "element.setAttribute('src')"]]],
  ['new Worker with an external URL', "new Worker('https://cdn.vendor.test/worker.js')", [['violation', 1, 'new Worker']]],
  ['new Worker next to the module', "new Worker(new URL('./worker.js', import.meta.url))", [['info', 1, 'new Worker']], 'module'],
  ['a service worker path relative to the page', "navigator.serviceWorker.register('sw.js')", [['info', 1, 'navigator.serviceWorker.register']]],
]

for (const [name, code, expected, kind] of CASES) {
  test(`reports ${name}`, () => {
    assert.deepEqual(run(code, kind), expected)
  })
}

test('does not report links, text or non-fetching properties', () => {
  assert.deepEqual(run("const a = document.createElement('a')\na.href = 'https://docs.vendor.test/'\na.setAttribute('href', 'https://docs.vendor.test/')\nconst s = document.createElement('script')\ns.async = true\nel.textContent = 'https://x.test/'"), [])
})
