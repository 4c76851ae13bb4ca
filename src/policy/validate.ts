// Turns an untrusted policy value into a list of readable problems: JSON pointer, what is wrong, the likely fix.
import { Value } from '@sinclair/typebox/value'
import type { TSchema } from '@sinclair/typebox'
import { PolicySchema, POLICY_VERSION } from './schema.ts'
import { compileHostPattern } from './host-pattern.ts'
import { checkPackagePattern } from './patterns.ts'

export interface PolicyProblem {
  /** JSON pointer ('' = the whole document). */
  pointer: string
  message: string
  hint?: string
}

/** Every problem in an untrusted policy value, at most one per JSON pointer, in document order. */
export function validatePolicyValue(
  allegedPolicy: unknown,
  duplicateKeys: string[] = [],
  positions?: Map<string, { line: number; column: number }>,
): PolicyProblem[] {
  const problems = new Map<string, PolicyProblem>()
  const add = (p: PolicyProblem) => { if (!problems.has(p.pointer)) problems.set(p.pointer, p) }
  for (const pointer of duplicateKeys) {
    add({ pointer, message: 'key appears twice (JSON keeps only the last one)', hint: 'merge the two entries into one' })
  }
  for (const e of Value.Errors(PolicySchema, allegedPolicy)) add(describeSchemaError(e.path, e.message, e.schema, e.value, allegedPolicy))
  for (const p of checkSemantics(allegedPolicy)) add(p)
  // `"hots": …` already says "did you mean 'host'?"; a second line about the missing 'host' is noise.
  for (const p of [...problems.values()]) {
    const suggested = /^did you mean '(.+)'\?$/.exec(p.hint ?? '')?.[1]
    const sibling = `${p.pointer.slice(0, p.pointer.lastIndexOf('/'))}/${suggested}`
    if (suggested && problems.get(sibling)?.message.startsWith('missing required key')) problems.delete(sibling)
  }
  // Document order when positions are known (what the user sees top to bottom), else pointer order.
  const lineOf = (p: string) => {
    for (let q = p; ; q = q.slice(0, q.lastIndexOf('/'))) {
      const pos = positions?.get(q)
      if (pos) return pos.line * 1e6 + pos.column
      if (!q) return 0
    }
  }
  return [...problems.values()].sort((a, b) => lineOf(a.pointer) - lineOf(b.pointer) || comparePointers(a.pointer, b.pointer))
}

/** One problem as a line: `FILE /json/pointer: what is wrong (hint)`. */
export function formatProblem(file: string, p: PolicyProblem): string {
  return `${file} ${p.pointer || '/'}: ${p.message}${p.hint ? ` (${p.hint})` : ''}`
}

function describeSchemaError(pointer: string, typeboxMessage: string, schema: TSchema, value: unknown, root: unknown): PolicyProblem {
  const key = decodeURIComponentSafe(pointer.split('/').pop() ?? '')
  const got = describeValue(value)
  if (typeboxMessage === 'Unexpected property') {
    const parent = schemaAt(pointer.slice(0, pointer.lastIndexOf('/')), root)
    const known = parent ? Object.keys((parent as { properties?: object }).properties ?? {}) : []
    const close = closest(key, known)
    return {
      pointer,
      message: `unknown key '${key}'`,
      hint: close ? `did you mean '${close}'?` : known.length ? `allowed keys here: ${known.join(', ')}` : undefined,
    }
  }
  if (typeboxMessage === 'Expected required property') {
    const hint = key === 'reason' ? "every entry needs a 'reason' saying why it is acceptable; it is shown in the reports"
      : key === 'version' ? `add "version": ${POLICY_VERSION} at the top`
      : key === 'host' ? "add 'host': a host name, '*.example.com', an IP address or a CIDR range"
      : key === 'severity' ? "add 'severity': 'violation', 'review' or 'info'"
      : undefined
    return { pointer, message: `missing required key '${key}'`, hint }
  }
  const literals = literalChoices(schema)
  if (literals) {
    const list = literals.map((l) => JSON.stringify(l)).join(', ')
    if (pointer === '/version') return { pointer, message: `expected ${list}, got ${got}`, hint: `this nophonehome reads policy version ${POLICY_VERSION}` }
    const close = typeof value === 'string' ? closest(value, literals.map(String)) : undefined
    return { pointer, message: `expected one of ${list}, got ${got}`, hint: close ? `did you mean '${close}'?` : undefined }
  }
  switch (schema.type) {
    case 'integer':
    case 'number': {
      if (typeof value === 'string' && /^\s*\d+\s*$/.test(value)) return { pointer, message: `expected a number, got ${got}`, hint: `write ${value.trim()} without quotes` }
      if (typeof value === 'number' && (schema.minimum !== undefined || schema.maximum !== undefined) && Number.isInteger(value)) {
        return { pointer, message: `expected a number from ${schema.minimum} to ${schema.maximum}, got ${value}`, hint: key.match(/^\d+$/) ? 'ports are 1-65535' : undefined }
      }
      return { pointer, message: `expected ${schema.type === 'integer' ? 'a whole number' : 'a number'}, got ${got}` }
    }
    case 'string': {
      if (typeof value !== 'string') return { pointer, message: `expected a string, got ${got}`, hint: typeof value === 'number' ? `write "${value}" in quotes` : undefined }
      if (schema.minLength && value.length < schema.minLength) return { pointer, message: 'must not be empty', hint: key === 'reason' ? 'say why this is acceptable; reviewers read it' : undefined }
      if (schema.format === 'date') return { pointer, message: `expected a date YYYY-MM-DD, got ${got}`, hint: 'use an existing calendar date such as 2030-12-31' }
      if (schema.pattern) return { pointer, message: `expected 16 lowercase hex digits, got ${got}`, hint: "copy the finding's 'fingerprint' from a JSON or SARIF report" }
      return { pointer, message: typeboxMessage.toLowerCase() }
    }
    case 'array': {
      if (!Array.isArray(value)) return { pointer, message: `expected a list, got ${got}`, hint: value && typeof value === 'object' ? 'wrap the entry in [ ]' : undefined }
      return { pointer, message: 'must not be an empty list', hint: 'remove the key to mean "any"' }
    }
    case 'object':
      return { pointer, message: `expected an object, got ${got}`, hint: pointer === '' ? 'a policy file is one JSON object, e.g. { "version": 1 }' : undefined }
  }
  return { pointer, message: typeboxMessage.toLowerCase() }
}

function checkSemantics(allegedPolicy: unknown): PolicyProblem[] {
  const out: PolicyProblem[] = []
  if (!isRecord(allegedPolicy)) return out
  const eachEntry = (list: string, fn: (entry: Record<string, unknown>, at: string) => void) => {
    const arr = allegedPolicy[list]
    if (Array.isArray(arr)) arr.forEach((entry, i) => { if (isRecord(entry)) fn(entry, `/${list}/${i}`) })
  }
  const checkHost = (entry: Record<string, unknown>, key: string, at: string) => {
    if (typeof entry[key] !== 'string' || !entry[key]) return
    const m = compileHostPattern(entry[key] as string)
    if (typeof m === 'string') {
      const urlish = /^[a-z]+:\/\//i.test(entry[key] as string)
      out.push({ pointer: `${at}/${key}`, message: m, hint: urlish ? 'give the host only, without scheme or path' : "use 'host.example.com', '*.example.com', '192.0.2.1' or '10.0.0.0/8'" })
    }
  }
  const checkPackage = (entry: Record<string, unknown>, at: string) => {
    if (typeof entry.package !== 'string' || !entry.package) return
    const m = checkPackagePattern(entry.package)
    if (m) out.push({ pointer: `${at}/package`, message: m })
  }
  eachEntry('allow', (e, at) => checkHost(e, 'host', at))
  eachEntry('allowDns', (e, at) => checkHost(e, 'host', at))
  eachEntry('waivers', (e, at) => {
    checkHost(e, 'destination', at)
    checkPackage(e, at)
    if (e.fingerprint === undefined && (e.rule === undefined || e.package === undefined)) {
      const hint = e.rule !== undefined ? "add 'package': waiving a rule in every package would hide new findings"
        : e.package !== undefined ? "add 'rule': waiving a whole package would hide new findings"
        : "copy the finding's 'fingerprint' from a JSON or SARIF report"
      out.push({ pointer: at, message: "a waiver needs 'fingerprint', or both 'rule' and 'package'", hint })
    }
  })
  eachEntry('severity', (e, at) => {
    checkPackage(e, at)
    if (e.rule === undefined && e.package === undefined) out.push({ pointer: at, message: "a severity override needs 'rule', 'package' or both" })
  })
  return out
}

/** The schema that describes the value at a pointer in this document (objects only), for key suggestions. */
function schemaAt(pointer: string, root: unknown): TSchema | undefined {
  let schema: TSchema | undefined = PolicySchema
  let value = root
  for (const seg of pointer.split('/').slice(1)) {
    if (!schema) return undefined
    if (schema.type === 'array') schema = schema.items as TSchema
    else schema = (schema.properties as Record<string, TSchema> | undefined)?.[seg]
    value = isRecord(value) || Array.isArray(value) ? (value as Record<string, unknown>)[seg] : undefined
  }
  return schema
}

function literalChoices(schema: TSchema): unknown[] | undefined {
  if (schema.const !== undefined) return [schema.const]
  const any = schema.anyOf as TSchema[] | undefined
  if (any?.length && any.every((s) => s.const !== undefined)) return any.map((s) => s.const)
  return undefined
}

function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing'
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'a list'
  if (typeof v === 'object') return 'an object'
  const s = JSON.stringify(v)
  return s.length > 60 ? s.slice(0, 57) + '…' : s
}

/** The candidate closest to `word` (case-insensitive edit distance ≤ 2, or a case-only difference). */
export function closest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined
  let bestDistance = Infinity
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase())
    if (d < bestDistance) { best = c; bestDistance = d }
  }
  const limit = word.length <= 3 ? 1 : 2
  return bestDistance <= limit ? best : undefined
}

function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]
    prev[0] = i
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1))
      diag = up
    }
  }
  return prev[b.length]
}

function comparePointers(a: string, b: string): number {
  const pa = a.split('/'), pb = b.split('/')
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    if (pa[i] === pb[i]) continue
    const na = /^\d+$/.test(pa[i]), nb = /^\d+$/.test(pb[i])
    if (na && nb) return Number(pa[i]) - Number(pb[i])
    return pa[i] < pb[i] ? -1 : 1
  }
  return pa.length - pb.length
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function decodeURIComponentSafe(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~')
}
