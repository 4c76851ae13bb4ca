// The policy file's TypeBox schema: the one source of the types, the validator and schema/policy.schema.json.
import { Type, FormatRegistry, type Static, type TSchema } from '@sinclair/typebox'

export const POLICY_VERSION = 1
export const POLICY_FILE_NAME = 'nophonehome.policy.json'
export const POLICY_SCHEMA_ID = `urn:nophonehome:policy:${POLICY_VERSION}`
/** Where `nophonehome init` points `$schema`: the copy npm installs next to the project (no network). */
export const POLICY_SCHEMA_REF = './node_modules/nophonehome/schema/policy.schema.json'

// TypeBox checks `format` only for registered names; a date is YYYY-MM-DD that exists in the calendar.
FormatRegistry.Set('date', (value) => isCalendarDate(value))

export function isCalendarDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
  if (!m) return false
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3])
}

const Reason = (what: string) =>
  Type.String({ minLength: 1, description: `Why ${what} is acceptable. Required: it is shown in every report next to the finding it affects.` })

const SeverityLevel = Type.Union(
  [Type.Literal('violation'), Type.Literal('review'), Type.Literal('info')],
  { description: "A severity: 'violation' (fails by default), 'review' (needs a human look) or 'info' (recorded only)." },
)

const HostPattern = Type.String({
  minLength: 1,
  description:
    "A destination: an exact host name ('updates.example.com'), a suffix wildcard ('*.example.com', matching sub-domains only), " +
    "an IP address ('192.0.2.10', '2001:db8::1') or a CIDR range ('10.0.0.0/8', '2001:db8::/32').",
})

const PackagePattern = Type.String({
  minLength: 1,
  description:
    "An npm package: 'name' (any version), 'name@1.2.3' (that version only), or a name with '*' wildcards ('@sentry/*'). " +
    "'(first-party)' is the code that is not inside a package.",
})

const AllowEntry = Type.Object(
  {
    host: HostPattern,
    ports: Type.Optional(
      Type.Array(Type.Integer({ minimum: 1, maximum: 65535, description: 'A TCP/UDP port number.' }), {
        minItems: 1,
        description: 'Only these ports are allowed. Omit to allow any port. A finding whose port is unknown does not match a port-restricted entry.',
      }),
    ),
    reason: Reason('talking to this destination'),
  },
  { additionalProperties: false, description: 'A destination the customer configured or accepts: findings that go only there are not counted.' },
)

const AllowDnsEntry = Type.Object(
  {
    host: HostPattern,
    reason: Reason('looking up this name'),
  },
  {
    additionalProperties: false,
    description: 'A name that may be looked up in DNS. Covers DNS lookups only (a lookup alone can leak data in the name); connections still need an `allow` entry.',
  },
)

const WaiverEntry = Type.Object(
  {
    fingerprint: Type.Optional(
      Type.String({ pattern: '^[0-9a-f]{16}$', description: "A finding's fingerprint (16 hex digits, from a JSON or SARIF report). Stable across line shifts, reformatting and version bumps." }),
    ),
    rule: Type.Optional(Type.String({ minLength: 1, description: "A rule id such as 'net-sink'. Used with 'package' when no fingerprint is given." })),
    package: Type.Optional(PackagePattern),
    destination: Type.Optional(HostPattern),
    reason: Reason('this finding'),
    expires: Type.Optional(
      Type.String({ format: 'date', description: 'Last day (UTC, YYYY-MM-DD) the waiver applies. After it, the finding counts again and the report lists the waiver as expired.' }),
    ),
  },
  {
    additionalProperties: false,
    description: "Accepts specific findings with a reason. Match by 'fingerprint', or by 'rule' and 'package' (optionally narrowed by 'destination').",
    anyOf: [{ required: ['fingerprint'] }, { required: ['rule', 'package'] }],
  },
)

const SeverityOverride = Type.Object(
  {
    rule: Type.Optional(Type.String({ minLength: 1, description: 'Rule id the override applies to. Give a rule, a package, or both.' })),
    package: Type.Optional(PackagePattern),
    severity: SeverityLevel,
    reason: Reason('changing this severity'),
  },
  {
    additionalProperties: false,
    description: 'Changes the severity of matching findings. When several match, rule+package beats package, which beats rule; then the later entry wins.',
    anyOf: [{ required: ['rule'] }, { required: ['package'] }],
  },
)

const AcceptNotAnalysedEntry = Type.Object(
  {
    file: Type.String({ minLength: 1, description: "Path of a file the analysis could not read, as it appears in the report; '*' matches within a path segment, '**' across segments." }),
    reason: Reason('not analysing this file'),
  },
  { additionalProperties: false, description: 'A not-analysed file accepted explicitly, so it no longer makes the verdict incomplete.' },
)

export const PolicySchema = Type.Object(
  {
    $schema: Type.Optional(Type.String({ description: 'Path or URI of this JSON Schema, for editors. Ignored by nophonehome.' })),
    version: Type.Literal(POLICY_VERSION, { description: `Policy format version. This nophonehome reads version ${POLICY_VERSION}.` }),
    failOn: Type.Optional(
      Type.Union([Type.Literal('violation'), Type.Literal('review'), Type.Literal('info')], {
        description: "Lowest severity that fails the verdict. Default 'violation'. The --fail-on flag overrides it.",
      }),
    ),
    allow: Type.Optional(Type.Array(AllowEntry, { description: 'Destinations that are not findings (hosts, *.suffix, IPs, CIDR ranges; optional ports).' })),
    allowDns: Type.Optional(Type.Array(AllowDnsEntry, { description: 'Names that may be looked up in DNS without a finding counting.' })),
    waivers: Type.Optional(Type.Array(WaiverEntry, { description: 'Findings accepted with a reason and an optional expiry date.' })),
    severity: Type.Optional(Type.Array(SeverityOverride, { description: 'Severity overrides per rule, per package, or per rule and package.' })),
    acceptNotAnalysed: Type.Optional(
      Type.Array(AcceptNotAnalysedEntry, { description: 'Files that could not be analysed and are accepted explicitly (otherwise the verdict is incomplete).' }),
    ),
  },
  {
    $id: POLICY_SCHEMA_ID,
    title: `nophonehome policy (version ${POLICY_VERSION})`,
    description: 'What nophonehome may accept when it checks a build for outbound network traffic. Unknown keys are errors so that a typo never silently allows anything.',
    additionalProperties: false,
  },
)

export type Policy = Static<typeof PolicySchema>
export type AllowRule = Static<typeof AllowEntry>
export type AllowDnsRule = Static<typeof AllowDnsEntry>
export type Waiver = Static<typeof WaiverEntry>
export type SeverityOverrideRule = Static<typeof SeverityOverride>

/** The published JSON Schema (draft-07), deterministic text ending in a newline. */
export function renderPolicyJsonSchema(): string {
  const plain = JSON.parse(JSON.stringify(PolicySchema)) as Record<string, unknown>
  const ordered: Record<string, unknown> = { $schema: 'http://json-schema.org/draft-07/schema#', $id: plain.$id }
  for (const [k, v] of Object.entries(plain)) if (!(k in ordered)) ordered[k] = v
  return JSON.stringify(ordered, null, 2) + '\n'
}

export type { TSchema }
