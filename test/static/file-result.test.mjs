// Findings leave the worker with line, column and a one-line snippet, computed from their offsets.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { importDist } from '../helpers/index.mjs'

const { toFileResult } = await importDist('internal.js')

/** The plain definition: split on \n, find the line holding the offset, cut a long line around the column. */
function reference(text, offset) {
  const lines = text.split('\n')
  let start = 0
  for (let i = 0; i < lines.length; i++) {
    const end = start + lines[i].length
    if (offset <= end || i === lines.length - 1) {
      const column = offset - start
      const body = lines[i].replace(/\r$/, '')
      let snippet = body.trim()
      if (body.length > 160) {
        const from = Math.max(0, column - 60)
        snippet = (from > 0 ? '…' : '') + body.slice(from, from + 160).trim() + (from + 160 < body.length ? '…' : '')
      }
      return { line: i + 1, column, snippet }
    }
    start = end + 1
  }
}

test('line, column and snippet of findings in any order, on short, long, CRLF and last lines', () => {
  const text = [
    'const a = 1', '', '  fetch("https://x.invalid")  \r', 'x'.repeat(500) + ' fetch(u) ' + 'y'.repeat(300), '\r', 'last line, no newline',
  ].join('\n')
  let seed = 11
  const rand = (n) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n }
  for (let round = 0; round < 50; round++) {
    const offsets = Array.from({ length: 1 + rand(6) }, () => rand(text.length))
    if (round === 0) offsets.push(0, text.length - 1, text.indexOf('\n'), text.indexOf('\n') + 1)
    const findings = offsets.map((start) => ({ rule: 'net-sink', severity: 'review', message: 'm', start, end: start + 3 }))
    const r = toFileResult(1, text, { findings })
    assert.equal(r.findings.length, offsets.length)
    r.findings.forEach((f, i) => {
      assert.deepEqual({ line: f.line, column: f.column, snippet: f.snippet }, reference(text, offsets[i]), `offset ${offsets[i]}`)
      assert.equal(f.offset, offsets[i])
      assert.equal(f.code, text.slice(offsets[i], offsets[i] + 3))
    })
  }
})
