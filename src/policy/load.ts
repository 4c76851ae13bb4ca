// Reads and checks a policy file: JSON syntax (line:col), duplicate keys, schema and meaning, one line per problem.
import { readFileSync } from 'node:fs'
import { PolicyInvalidError } from '../errors.ts'
import { JsonSyntaxError, parseJsonStrict } from './parse-json.ts'
import { POLICY_FILE_NAME, type Policy } from './schema.ts'
import { formatProblem, validatePolicyValue } from './validate.ts'
import type { LoadedPolicy } from './apply.ts'

/** Parses and checks untrusted policy text; `file` names it in messages. Throws PolicyInvalidError. */
export function parsePolicyText(untrustedText: string, file: string): Policy {
  let parsed
  try {
    parsed = parseJsonStrict(untrustedText)
  } catch (err) {
    if (!(err instanceof JsonSyntaxError)) throw err
    const { line, column } = err.position
    throw new PolicyInvalidError(`${file} is not valid JSON`, [`${file}:${line}:${column}: ${err.message}`],
      'fix the JSON syntax first; the policy format is described in schema/policy.schema.json')
  }
  const problems = validatePolicyValue(parsed.value, parsed.duplicateKeys, parsed.positions)
  if (problems.length) {
    throw new PolicyInvalidError(
      `${file} is not a valid policy (${problems.length} problem${problems.length === 1 ? '' : 's'})`,
      problems.map((p) => formatProblem(file, p)),
      `editors check the file as you type when it has "$schema": "./node_modules/nophonehome/schema/policy.schema.json"`,
    )
  }
  return parsed.value as Policy
}

/** Reads a policy file. `display` is how the file is named in messages and reports. */
export function readPolicyFile(path: string, display = path): LoadedPolicy {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    throw new PolicyInvalidError(
      `cannot read policy ${display}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (err as Error).message}`,
      [],
      `create a starter policy with 'nophonehome init' (writes ${POLICY_FILE_NAME})`,
    )
  }
  return { file: display, policy: parsePolicyText(text, display) }
}
