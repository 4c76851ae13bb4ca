// The signature database's public face: data, identity (version + digest) and the precompiled matcher.
export { SIGNATURES } from './data.ts'
export type { Signature, SignatureCategory } from './types.ts'
export { SIGNATURES_VERSION, canonicalSignatures, signatureIdentity } from './version.ts'
export { SignatureMatcher, signatureMatcher, parseUrl, normaliseHost, packageOf, type HostMatch, type KeyMatch, type InitSpec } from './matcher.ts'
