// Replaces a function property with a wrapper that looks like the original (name, length, promisify symbols).

export interface Patch {
  owner: object
  key: string | symbol
  label: string
  wrapper: Function
}

/** Every patch installed, so the tamper check can tell when the app put an original back. */
export const patches: Patch[] = []

/**
 * Copies what callers may inspect: `name`, `length`, and own symbol properties such as
 * util.promisify.custom on setTimeout and Node's customPromisifyArgs on dns.lookup (without it
 * util.promisify(dns.lookup) would resolve to an address string instead of { address, family }).
 */
export function disguise(wrapper: Function, original: Function): void {
  for (const key of ['name', 'length'] as const) {
    try { Object.defineProperty(wrapper, key, { value: original[key], configurable: true }) } catch { /* keep ours */ }
  }
  for (const sym of Object.getOwnPropertySymbols(original)) {
    const desc = Object.getOwnPropertyDescriptor(original, sym)
    if (desc) try { Object.defineProperty(wrapper, sym, desc) } catch { /* skip */ }
  }
}

/** Installs `make(original)` as owner[key]; no-op when the property is not a function. */
export function patchMethod<T extends object>(owner: T, key: string, label: string, make: (original: Function) => Function): void {
  const original = (owner as Record<string, unknown>)[key]
  if (typeof original !== 'function') return
  const wrapper = make(original)
  disguise(wrapper, original)
  const desc = Object.getOwnPropertyDescriptor(owner, key)
  try {
    Object.defineProperty(owner, key, {
      value: wrapper,
      writable: desc?.writable ?? true,
      enumerable: desc?.enumerable ?? true,
      configurable: desc?.configurable ?? true,
    })
  } catch {
    return
  }
  patches.push({ owner, key, label, wrapper })
}
