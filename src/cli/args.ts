// Thin wrapper over util.parseArgs that turns its errors into UsageError.
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { UsageError } from '../errors.ts'
import { SEVERITIES, type Severity } from '../report/finding.ts'

export type Options = NonNullable<ParseArgsConfig['options']>

export function parse<T extends Options>(argv: string[], options: T, allowPositionals = true) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true })
  } catch (err) {
    throw new UsageError((err as Error).message.replace(/\. To specify.*$/s, ''))
  }
}

export function parseSeverity(value: string | undefined, flag: string): Severity | undefined {
  if (value === undefined) return undefined
  if (!(SEVERITIES as readonly string[]).includes(value)) {
    throw new UsageError(`${flag} must be one of ${SEVERITIES.join(', ')} (got '${value}')`)
  }
  return value as Severity
}

export function parsePositiveInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined
  if (!/^\d+$/.test(value) || Number(value) <= 0) throw new UsageError(`${flag} expects a positive whole number (got '${value}')`)
  return Number(value)
}

/** Parses sizes like `5mb`, `200k`, `1048576`. */
export function parseSize(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined
  const m = /^(\d+(?:\.\d+)?)\s*([kmg]i?b?|b)?$/i.exec(value.trim())
  if (!m) throw new UsageError(`${flag} expects a size such as 5mb, 512k or 1048576 (got '${value}')`)
  const unit = (m[2] ?? 'b').toLowerCase()[0]
  const mult = unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1
  return Math.floor(Number(m[1]) * mult)
}
