// The policy schema: the committed JSON Schema is current, documented, and agrees with the TypeBox validator.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { importDist, fixture, ROOT } from '../helpers/index.mjs'

const require = createRequire(import.meta.url)
const Ajv = require('ajv')
const addFormats = require('ajv-formats')
const nph = await importDist('internal.js')
const committed = readFileSync(`${ROOT}/schema/policy.schema.json`, 'utf8')
const jsonSchema = JSON.parse(committed)

function compileAjv() {
  const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false })
  addFormats(ajv)
  return ajv.compile(jsonSchema)
}

test('the committed schema/policy.schema.json is what the TypeBox source generates (run `npm run schema` if this fails)', () => {
  assert.equal(committed, nph.renderPolicyJsonSchema())
})

test('the published schema has an $id, a draft-07 $schema, a version and forbids unknown keys', () => {
  assert.equal(jsonSchema.$id, 'urn:nophonehome:policy:1')
  assert.equal(jsonSchema.$schema, 'http://json-schema.org/draft-07/schema#')
  assert.equal(jsonSchema.properties.version.const, 1)
  assert.equal(jsonSchema.additionalProperties, false)
})

test('every property in the schema has a description (editors show them)', () => {
  const missing = []
  const walk = (node, path) => {
    if (!node || typeof node !== 'object') return
    if (node.properties) {
      assert.equal(node.additionalProperties, false, `${path} must forbid unknown keys`)
      for (const [k, v] of Object.entries(node.properties)) {
        if (!v.description) missing.push(`${path}/${k}`)
        walk(v, `${path}/${k}`)
      }
    }
    if (node.items) walk(node.items, `${path}/items`)
  }
  walk(jsonSchema, '')
  assert.deepEqual(missing, [])
})

test('a policy using every field passes TypeBox and the published JSON Schema alike', () => {
  const text = readFileSync(fixture('policy/full.policy.json'), 'utf8')
  const policy = nph.parsePolicyText(text, 'full.policy.json')
  const validate = compileAjv()
  assert.equal(validate(JSON.parse(text)), true, JSON.stringify(validate.errors))
  // Round trip: what was read is exactly what the file says.
  assert.deepEqual(policy, JSON.parse(text))
  assert.deepEqual(nph.parsePolicyText(JSON.stringify(policy), 'again.json'), policy)
})

test('invalid policies are rejected by both validators (typo, wrong type, waiver without a match key)', () => {
  const validate = compileAjv()
  const cases = [
    { version: 1, waivres: [] },
    { version: 1, allow: [{ host: 'a.test', ports: ['443'], reason: 'x' }] },
    { version: 1, waivers: [{ rule: 'net-sink', reason: 'no package' }] },
    { version: 2 },
    { version: 1, severity: [{ severity: 'info', reason: 'matches nothing' }] },
    { version: 1, waivers: [{ fingerprint: '0123456789abcdef', reason: 'x', expires: '2030-02-30' }] },
  ]
  for (const c of cases) {
    assert.equal(validate(c), false, `ajv accepted ${JSON.stringify(c)}`)
    assert.throws(() => nph.parsePolicyText(JSON.stringify(c), 'p.json'), { code: 'POLICY_INVALID' }, JSON.stringify(c))
  }
})
