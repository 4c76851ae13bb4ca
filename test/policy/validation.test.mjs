// Invalid policies fail with one line per problem: `FILE /json/pointer: what is wrong (hint)`.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { importDist, fixture, runCli } from '../helpers/index.mjs'

const nph = await importDist('internal.js')

function problemsOf(policy) {
  try {
    nph.parsePolicyText(typeof policy === 'string' ? policy : JSON.stringify(policy, null, 2), 'p.json')
  } catch (err) {
    assert.equal(err.code, 'POLICY_INVALID')
    return err.problems
  }
  assert.fail(`accepted ${JSON.stringify(policy)}`)
}

const cases = [
  ['a typo in a top-level key', { version: 1, waivres: [] }, "p.json /waivres: unknown key 'waivres' (did you mean 'waivers'?)"],
  ['a typo in an entry key', { version: 1, allow: [{ hots: 'a.test', reason: 'x' }] }, "p.json /allow/0/hots: unknown key 'hots' (did you mean 'host'?)"],
  ['an unknown key with no close match', { version: 1, colour: 'red' }, /p\.json \/colour: unknown key 'colour' \(allowed keys here: \$schema, version, failOn/],
  ['a missing version', {}, "p.json /version: missing required key 'version' (add \"version\": 1 at the top)"],
  ['a wrong version', { version: 2 }, 'p.json /version: expected 1, got 2 (this nophonehome reads policy version 1)'],
  ['a misspelt severity', { version: 1, failOn: 'violaton' }, `p.json /failOn: expected one of "violation", "review", "info", got "violaton" (did you mean 'violation'?)`],
  ['a port in quotes', { version: 1, allow: [{ host: 'a.test', ports: ['443'], reason: 'x' }] }, 'p.json /allow/0/ports/0: expected a number, got "443" (write 443 without quotes)'],
  ['a port out of range', { version: 1, allow: [{ host: 'a.test', ports: [70000], reason: 'x' }] }, 'p.json /allow/0/ports/0: expected a number from 1 to 65535, got 70000 (ports are 1-65535)'],
  ['a fractional port', { version: 1, allow: [{ host: 'a.test', ports: [44.3], reason: 'x' }] }, 'p.json /allow/0/ports/0: expected a whole number, got 44.3'],
  ['an empty port list', { version: 1, allow: [{ host: 'a.test', ports: [], reason: 'x' }] }, 'p.json /allow/0/ports: must not be an empty list (remove the key to mean "any")'],
  ['a missing reason', { version: 1, allow: [{ host: 'a.test' }] }, /p\.json \/allow\/0\/reason: missing required key 'reason' \(every entry needs a 'reason'/],
  ['an empty reason', { version: 1, allow: [{ host: 'a.test', reason: '' }] }, 'p.json /allow/0/reason: must not be empty (say why this is acceptable; reviewers read it)'],
  ['a reason that is not a string', { version: 1, allow: [{ host: 'a.test', reason: 42 }] }, 'p.json /allow/0/reason: expected a string, got 42 (write "42" in quotes)'],
  ['a missing host', { version: 1, allow: [{ reason: 'x' }] }, /p\.json \/allow\/0\/host: missing required key 'host'/],
  ['a URL instead of a host', { version: 1, allow: [{ host: 'https://a.test/x', reason: 'x' }] }, /p\.json \/allow\/0\/host: .* \(give the host only, without scheme or path\)/],
  ['a wildcard in the middle', { version: 1, allow: [{ host: 'api.*.test', reason: 'x' }] }, /p\.json \/allow\/0\/host: 'api\.\*\.test' uses '\*' in the wrong place/],
  ['a bad CIDR prefix', { version: 1, allow: [{ host: '10.0.0.0/33', reason: 'x' }] }, /p\.json \/allow\/0\/host: '10\.0\.0\.0\/33' has a prefix length outside 0-32/],
  ['a CIDR on a name', { version: 1, allow: [{ host: 'a.test/8', reason: 'x' }] }, /p\.json \/allow\/0\/host: 'a\.test\/8' is not a CIDR range/],
  ['a bare top-level wildcard', { version: 1, allowDns: [{ host: '*.test', reason: 'x' }] }, /p\.json \/allowDns\/0\/host: '\*\.test' is not a valid wildcard/],
  ['allow given as an object', { version: 1, allow: { host: 'a.test', reason: 'x' } }, 'p.json /allow: expected a list, got an object (wrap the entry in [ ])'],
  ['an entry that is not an object', { version: 1, waivers: ['0123456789abcdef'] }, 'p.json /waivers/0: expected an object, got "0123456789abcdef"'],
  ['a waiver with a rule only', { version: 1, waivers: [{ rule: 'net-sink', reason: 'x' }] }, "p.json /waivers/0: a waiver needs 'fingerprint', or both 'rule' and 'package' (add 'package': waiving a rule in every package would hide new findings)"],
  ['a waiver with a package only', { version: 1, waivers: [{ package: 'ajv', reason: 'x' }] }, "p.json /waivers/0: a waiver needs 'fingerprint', or both 'rule' and 'package' (add 'rule': waiving a whole package would hide new findings)"],
  ['a waiver with a reason only', { version: 1, waivers: [{ reason: 'x' }] }, /p\.json \/waivers\/0: a waiver needs .* \(copy the finding's 'fingerprint'/],
  ['a short fingerprint', { version: 1, waivers: [{ fingerprint: 'abc', reason: 'x' }] }, `p.json /waivers/0/fingerprint: expected 16 lowercase hex digits, got "abc" (copy the finding's 'fingerprint' from a JSON or SARIF report)`],
  ['an impossible expiry date', { version: 1, waivers: [{ fingerprint: '0123456789abcdef', reason: 'x', expires: '2030-02-30' }] }, 'p.json /waivers/0/expires: expected a date YYYY-MM-DD, got "2030-02-30" (use an existing calendar date such as 2030-12-31)'],
  ['an expiry in another format', { version: 1, waivers: [{ fingerprint: '0123456789abcdef', reason: 'x', expires: '31/12/2030' }] }, /p\.json \/waivers\/0\/expires: expected a date YYYY-MM-DD/],
  ['a bad package name', { version: 1, waivers: [{ rule: 'net-sink', package: 'has space', reason: 'x' }] }, /p\.json \/waivers\/0\/package: 'has space' is not a package name/],
  ['a bad waiver destination', { version: 1, waivers: [{ rule: 'net-sink', package: 'x', destination: 'a b', reason: 'x' }] }, /p\.json \/waivers\/0\/destination: 'a b' is not a host name/],
  ['a severity override that matches nothing', { version: 1, severity: [{ severity: 'info', reason: 'x' }] }, "p.json /severity/0: a severity override needs 'rule', 'package' or both"],
  ['a severity override without severity', { version: 1, severity: [{ rule: 'net-sink', reason: 'x' }] }, /p\.json \/severity\/0\/severity: missing required key 'severity'/],
  ['an accepted file without a reason', { version: 1, acceptNotAnalysed: [{ file: 'a.wasm' }] }, /p\.json \/acceptNotAnalysed\/0\/reason: missing required key 'reason'/],
  ['a policy that is a list', [], 'p.json /: expected an object, got a list (a policy file is one JSON object, e.g. { "version": 1 })'],
]

for (const [what, policy, expected] of cases) {
  test(`reports ${what} with its pointer and a hint`, () => {
    const problems = problemsOf(policy)
    assert.equal(problems.length, 1, problems.join('\n'))
    if (expected instanceof RegExp) assert.match(problems[0], expected)
    else assert.equal(problems[0], expected)
  })
}

// A missing key is placed where its object starts.
test('reports every problem at once, one line each, in document order', () => {
  const problems = problemsOf({ version: 1, waivres: [], allow: [{ host: 'a.test', ports: ['443'] }], failOn: 'fatal' })
  assert.deepEqual(problems.map((p) => p.split(':')[0]), ['p.json /waivres', 'p.json /allow/0/reason', 'p.json /allow/0/ports/0', 'p.json /failOn'])
})

test('reports a key given twice, which JSON.parse would silently collapse', () => {
  const problems = problemsOf('{ "version": 1, "allow": [], "allow": [{ "host": "a.test", "reason": "x" }] }')
  assert.deepEqual(problems, ['p.json /allow: key appears twice (JSON keeps only the last one) (merge the two entries into one)'])
})

const syntaxCases = [
  ['a trailing comma', '{\n  "version": 1,\n}', 3, 1, /trailing comma/],
  ['a missing comma', '{\n  "version": 1\n  "allow": []\n}', 3, 3, /expected ',' or '}'/],
  ['single quotes', "{ 'version': 1 }", 1, 3, /expected a double-quoted key/],
  ['a comment', '{\n  // allow nothing\n  "version": 1\n}', 2, 3, /comments are not allowed/],
  ['an unterminated string', '{ "version": 1, "failOn": "viol', 1, 27, /unterminated string/],
  ['text after the object', '{ "version": 1 } x', 1, 18, /after the end/],
  ['an empty file', '', 1, 1, /unexpected end of file/],
]
for (const [what, text, line, column, message] of syntaxCases) {
  test(`reports JSON with ${what} at line ${line}, column ${column}`, () => {
    assert.throws(() => nph.parsePolicyText(text, 'p.json'), (err) => {
      assert.equal(err.code, 'POLICY_INVALID')
      assert.equal(err.problems.length, 1)
      assert.ok(err.problems[0].startsWith(`p.json:${line}:${column}: `), err.problems[0])
      assert.match(err.problems[0], message)
      return true
    })
  })
}

test('accepts a UTF-8 byte order mark and a $schema key', () => {
  const policy = nph.parsePolicyText('\ufeff{ "$schema": "./x.json", "version": 1 }', 'p.json')
  assert.equal(policy.version, 1)
})

test('a missing policy file is a policy error that suggests init', () => {
  assert.throws(() => nph.readPolicyFile('/nonexistent/nophonehome.policy.json', 'nope.json'), (err) => {
    assert.equal(err.code, 'POLICY_INVALID')
    assert.match(err.message, /cannot read policy nope\.json: no such file/)
    assert.match(err.hint, /nophonehome init/)
    return true
  })
})

test('scan --policy with an invalid policy exits 2 and prints one line per problem', async () => {
  const r = await runCli(['scan', fixture('policy/two-builds/v1'), '--policy', fixture('policy/typo.policy.json')])
  assert.equal(r.code, 2, r.stderr)
  const file = fixture('policy/typo.policy.json')
  assert.match(r.stderr, /is not a valid policy \(2 problems\)/)
  assert.ok(r.stderr.includes(`  ${file} /waivres: unknown key 'waivres' (did you mean 'waivers'?)\n`), r.stderr)
  assert.ok(r.stderr.includes(`  ${file} /allow/0/ports/0: expected a number, got "443" (write 443 without quotes)\n`), r.stderr)
  assert.equal(r.stdout, '')
})

test('scan with a policy that is not JSON exits 2 naming line and column', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nph-policy-'))
  after(() => rmSync(dir, { recursive: true, force: true }))
  writeFileSync(join(dir, 'nophonehome.policy.json'), '{\n  "version": 1,\n  "allow": [\n    { "host": "a.test" "reason": "x" }\n  ]\n}\n')
  const r = await runCli(['scan', fixture('policy/two-builds/v1')], { cwd: dir })
  assert.equal(r.code, 2, r.stderr)
  assert.match(r.stderr, /nophonehome\.policy\.json is not valid JSON\n  nophonehome\.policy\.json:4:24: expected ',' or '}' after a value, found '"'\n/)
})

test('a typo next to an existing but invalid key still reports both', () => {
  const problems = problemsOf({ version: 1, allow: [{ host: 'a b', hots: 'x', reason: 'x' }] })
  assert.equal(problems.length, 2, problems.join('\n'))
})
