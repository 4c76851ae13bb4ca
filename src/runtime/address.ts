// Address helpers of the runtime lens: the DNS sinkhole range, loopback, listening without lookups. What kind of
// address something is comes from the classification every lens shares (src/address.ts).
import { classifyHost, normaliseAddress } from '../address.ts'

export { inCidr, normaliseAddress } from '../address.ts'

/** Names the DNS stub does not allow resolve to 127.77.x.y, one address per name, so a connect to it names the host. */
export const SINKHOLE_PREFIX = '127.77.'

export function isSinkhole(address: string): boolean {
  return normaliseAddress(address).startsWith(SINKHOLE_PREFIX)
}

/** Loopback or unspecified (both stay on this machine, src/address.ts) and not a sinkhole address. */
export function isLoopback(address: string): boolean {
  if (isSinkhole(address)) return false
  const { category } = classifyHost(address)
  return category === 'loopback' || category === 'unspecified'
}

/** The n-th sinkhole address (n from 1). */
export function sinkholeAddress(n: number): string {
  return `${SINKHOLE_PREFIX}${Math.floor(n / 250) % 250}.${(n % 250) + 1}`
}

/**
 * Listen options for the sandbox's wildcard address (`::` dual stack, or `0.0.0.0`) that skip Node's host lookup:
 * given a host, `listen` runs it through dns.lookup, whose first IPv6 literal check costs several milliseconds on
 * every sandbox start. Without a host Node binds `::` dual stack (falling back to `0.0.0.0`), the same thing.
 */
export function wildcardListenOptions(host: string): { host?: string; ipv6Only?: boolean } {
  return host === '::' ? {} : { host, ipv6Only: false }
}

/**
 * dgram `lookup` for sockets that only ever bind to and send to IP literals (the wildcard address, a peer's
 * address): answers with the literal itself, for the same reason as wildcardListenOptions.
 */
export function literalLookup(
  address: string,
  familyOrOptions: unknown,
  callback: (err: NodeJS.ErrnoException | null, address: string, family: number) => void,
): void {
  // dgram passes the socket's family (4 or 6); no isIP() here, that is the check being avoided.
  callback(null, address, typeof familyOrOptions === 'number' ? familyOrOptions : address.includes(':') ? 6 : 4)
}
