// The signature database: enough entries in every category, well-formed, our own, and identified by version + digest.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { importDist } from '../helpers/index.mjs'

const { SIGNATURES, SIGNATURES_VERSION, canonicalSignatures, signatureIdentity } = await importDist('internal.js')

const REQUIRED_CATEGORIES = [
  'error-reporting', 'product-analytics', 'session-replay', 'apm', 'update-check', 'licence-check', 'public-ip',
  'public-dns', 'ntp', 'stun', 'font-cdn', 'script-cdn', 'avatar', 'captcha', 'chat-widget',
]

test('the database has at least 80 entries with unique kebab-case ids', () => {
  assert.ok(SIGNATURES.length >= 80, `${SIGNATURES.length} entries`)
  const ids = SIGNATURES.map((s) => s.id)
  assert.equal(new Set(ids).size, ids.length)
  for (const id of ids) assert.match(id, /^[a-z0-9]+(-[a-z0-9]+)*$/)
})

test('every required category has an entry', () => {
  const have = new Set(SIGNATURES.map((s) => s.category))
  for (const c of REQUIRED_CATEGORIES) assert.ok(have.has(c), c)
})

test('every entry names a vendor, a docs address (host/path, no scheme), and hosts or SDK packages', () => {
  for (const s of SIGNATURES) {
    assert.ok(s.vendor.length > 1, s.id)
    // No scheme: the database ships no URL strings (our own dist scan must stay clean).
    assert.match(s.docs, /^[a-z0-9.-]+\.[a-z]{2,}(\/|$)/, s.id)
    assert.ok(s.hosts.length > 0 || (s.packages ?? []).length > 0, `${s.id} has neither hosts nor packages`)
    if (s.init) assert.ok((s.packages ?? []).length > 0, `${s.id}: init without packages`)
  }
})

test('host patterns are lower-case hosts, *.suffix wildcards or host/path prefixes — never docs or marketing hosts', () => {
  for (const s of SIGNATURES) {
    for (const h of s.hosts) {
      assert.match(h, /^(\*\.)?[a-z0-9.:-]+(\/[\w*./@-]*)?$/, `${s.id}: ${h}`)
      assert.doesNotMatch(h, /^(docs|developers?|help|support|blog|www\.docs)\./, `${s.id}: ${h} looks like a docs host`)
    }
  }
})

test('key patterns compile and none matches the empty string or a plain word', () => {
  for (const s of SIGNATURES) {
    for (const k of s.keys ?? []) {
      const re = new RegExp(k)
      assert.ok(!re.test(''), `${s.id}: ${k}`)
      assert.ok(!re.test('configuration'), `${s.id}: ${k}`)
    }
  }
})

test('no SDK package is claimed by two entries', () => {
  const owner = new Map()
  for (const s of SIGNATURES) for (const p of s.packages ?? []) {
    assert.ok(!owner.has(p), `${p}: ${owner.get(p)} and ${s.id}`)
    owner.set(p, s.id)
  }
})

test('the identity is the version plus the sha256 of the canonical data', () => {
  const id = signatureIdentity()
  assert.equal(id.version, SIGNATURES_VERSION)
  assert.match(id.version, /^\d{4}\.\d{2}\.\d{2}(\.\d+)?$/)
  assert.equal(id.digest, 'sha256:' + createHash('sha256').update(canonicalSignatures()).digest('hex'))
})

test('the canonical form ignores entry and key order but not content', () => {
  const shuffled = [...SIGNATURES].reverse().map((s) => Object.fromEntries(Object.entries(s).reverse()))
  assert.equal(canonicalSignatures(shuffled), canonicalSignatures(SIGNATURES))
  const changed = SIGNATURES.map((s, i) => (i === 0 ? { ...s, hosts: [...s.hosts, 'extra.test'] } : s))
  assert.notEqual(canonicalSignatures(changed), canonicalSignatures(SIGNATURES))
})
