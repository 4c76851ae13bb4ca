// Parses and normalises the IP addresses an operator types, so "2001:DB8::1" and "2001:db8:0::1" are one address.
import { isIPv4, isIPv6 } from 'node:net'

export interface ParsedAddress {
  /** Canonical text form: dotted quad, or RFC 5952 compressed lower-case IPv6. */
  address: string
  family: 4 | 6
}

/** Returns the canonical form of an IPv4/IPv6 literal, or undefined when the text is not one. */
export function parseAddress(untrustedText: unknown): ParsedAddress | undefined {
  if (typeof untrustedText !== 'string') return undefined
  const text = untrustedText.trim()
  // node:net already rejects leading zeros ("010.0.0.1"), which some tools read as octal.
  if (isIPv4(text)) return { address: text, family: 4 }
  // Zone ids ("fe80::1%eth0") are host-local and meaningless in an inventory.
  if (isIPv6(text) && !text.includes('%')) {
    // The WHATWG URL parser serialises IPv6 hosts canonically (RFC 5952): reuse it.
    const host = new URL(`http://[${text}]/`).hostname
    return { address: host.slice(1, -1), family: 6 }
  }
  return undefined
}
