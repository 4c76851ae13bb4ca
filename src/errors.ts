// Error classes for expected failures; each has a stable `code` users can match on.

export class NophonehomeError extends Error {
  readonly code: string
  /** What to do next, printed after the message. */
  readonly hint?: string
  constructor(code: string, message: string, hint?: string) {
    super(message)
    this.name = 'NophonehomeError'
    this.code = code
    this.hint = hint
  }
}

/** Bad command-line usage (unknown flag, missing argument). */
export class UsageError extends NophonehomeError {
  constructor(message: string, hint?: string) { super('USAGE', message, hint); this.name = 'UsageError' }
}

/** The artifact (dir, file, tarball) could not be read at all. */
export class ArtifactUnreadableError extends NophonehomeError {
  constructor(message: string, hint?: string) { super('ARTIFACT_UNREADABLE', message, hint); this.name = 'ArtifactUnreadableError' }
}

/** The policy file is missing, not JSON, or does not match the schema. */
export class PolicyInvalidError extends NophonehomeError {
  readonly problems: string[]
  constructor(message: string, problems: string[] = [], hint?: string) {
    super('POLICY_INVALID', message, hint)
    this.name = 'PolicyInvalidError'
    this.problems = problems
  }
}

/** esbuild could not bundle the given entry points. */
export class BundleFailedError extends NophonehomeError {
  constructor(message: string, hint?: string) { super('BUNDLE_FAILED', message, hint); this.name = 'BundleFailedError' }
}

/** The runtime sandbox (namespaces) cannot be created on this host. */
export class SandboxUnavailableError extends NophonehomeError {
  constructor(message: string, hint?: string) { super('SANDBOX_UNAVAILABLE', message, hint); this.name = 'SandboxUnavailableError' }
}

/** A required external program (chromium, strace) is missing. */
export class ToolMissingError extends NophonehomeError {
  constructor(message: string, hint?: string) { super('TOOL_MISSING', message, hint); this.name = 'ToolMissingError' }
}

/** A report file given to diff/--baseline/--expect is not a report we can read. */
export class ReportInvalidError extends NophonehomeError {
  constructor(message: string, hint?: string) { super('REPORT_INVALID', message, hint); this.name = 'ReportInvalidError' }
}

/** The vendor's esbuild options file given with --esbuild-options cannot be read or used. */
export class BuildOptionsInvalidError extends NophonehomeError {
  readonly problems: string[]
  constructor(message: string, problems: string[] = [], hint?: string) {
    super('BUILD_OPTIONS_INVALID', message, hint)
    this.name = 'BuildOptionsInvalidError'
    this.problems = problems
  }
}

/** A --variant spec (name, environment, files, arguments) is malformed or names a file that cannot be read. */
export class VariantInvalidError extends NophonehomeError {
  constructor(message: string, hint?: string) { super('VARIANT_INVALID', message, hint); this.name = 'VariantInvalidError' }
}
/** A container image (docker archive, OCI layout) is malformed, or holds nothing we can pick or read. */
export class ImageInvalidError extends NophonehomeError {
  constructor(message: string, hint?: string) { super('IMAGE_INVALID', message, hint); this.name = 'ImageInvalidError' }
}

/** A blob of a container image does not have the digest (or size) its manifest, index or config says. */
export class ImageDigestMismatchError extends NophonehomeError {
  /** The blob: its path in the archive or layout, e.g. `blobs/sha256/ab…` or `3f…/layer.tar`. */
  readonly blob: string
  constructor(blob: string, message: string, hint?: string) {
    super('IMAGE_DIGEST_MISMATCH', message, hint)
    this.name = 'ImageDigestMismatchError'
    this.blob = blob
  }
}
