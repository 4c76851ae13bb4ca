// `nophonehome init`: writes a starter nophonehome.policy.json that editors can check against the shipped schema.
import { existsSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import type { Command } from '../command.ts'
import { parse } from '../args.ts'
import { UsageError } from '../../errors.ts'
import { POLICY_FILE_NAME, POLICY_SCHEMA_REF, POLICY_VERSION } from '../../policy/schema.ts'

const usage = `usage: nophonehome init [options]

Writes a starter ${POLICY_FILE_NAME} in the working directory. It allows nothing yet: add
destinations the customer configures to "allow", accepted findings to "waivers" (each with a
reason, optionally an expiry date), and commit it next to your build scripts (not inside the
artifact you scan: a policy inside the scanned artifact is ignored).

options:
  --output FILE  write to FILE instead of ${POLICY_FILE_NAME}
  --force        overwrite an existing file
`

/** The starter policy text: empty lists, so it changes nothing until someone adds entries with reasons. */
export function starterPolicy(): string {
  const policy = {
    $schema: POLICY_SCHEMA_REF,
    version: POLICY_VERSION,
    failOn: 'violation',
    allow: [],
    allowDns: [],
    waivers: [],
    severity: [],
    acceptNotAnalysed: [],
  }
  return JSON.stringify(policy, null, 2) + '\n'
}

export const initCommand: Command = {
  name: 'init',
  summary: `write a starter ${POLICY_FILE_NAME}`,
  usage,
  async run(argv, io) {
    const { values, positionals } = parse(argv, { output: { type: 'string' }, force: { type: 'boolean' } }, true)
    if (positionals.length) throw new UsageError(`init takes no positional arguments (got '${positionals[0]}')`)
    const name = values.output ?? POLICY_FILE_NAME
    const path = resolve(io.cwd, name)
    if (existsSync(path) && !values.force) {
      throw new UsageError(`${name} already exists; not overwriting it`, 'pass --force to replace it')
    }
    writeFileSync(path, starterPolicy())
    io.stdout.write(
      `wrote ${name}\n` +
        `next: add destinations your customers configure to "allow" and accepted findings to "waivers",\n` +
        `each with a "reason"; then run 'nophonehome scan <artifact>' from this directory.\n`,
    )
    return 0
  },
}
