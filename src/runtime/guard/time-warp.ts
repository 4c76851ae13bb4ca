// --time-warp: app timers and Date run N times faster, so hourly or daily telemetry fires within a short run.
import timers from 'node:timers'
import timersPromises from 'node:timers/promises'
import { promisify } from 'node:util'
import { disguise, patches } from './wrap.ts'

// Node turns delays above this into 1 ms (with a warning); such delays are left as they are.
const TIMEOUT_MAX = 2 ** 31 - 1

/** Parses NOPHONEHOME_TIME_WARP; undefined unless it is a number above 1. */
export function readWarpFactor(untrustedValue: string | undefined): number | undefined {
  if (!untrustedValue) return undefined
  const n = Number(untrustedValue)
  return Number.isFinite(n) && n > 1 ? n : undefined
}

function replace(owner: object, key: string, label: string, wrapper: Function): void {
  const original = (owner as Record<string, unknown>)[key]
  if (typeof original !== 'function') return
  disguise(wrapper, original)
  try {
    ;(owner as Record<string, unknown>)[key] = wrapper
    patches.push({ owner, key, label, wrapper })
  } catch { /* read-only: leave it */ }
}

/**
 * Divides app timer delays by `factor` (at least 1 ms) and makes Date advance `factor` times faster from now.
 * Node's own timers (socket timeouts, keep-alive) use internal references and keep real time;
 * performance.now() and performance.timeOrigin keep real time too, so measured durations stay honest.
 */
export function installTimeWarp(factor: number, startedAt: number): void {
  const warp = (delay: unknown): unknown => {
    const d = typeof delay === 'number' ? delay : Number(delay)
    if (!(d >= 1) || d > TIMEOUT_MAX) return delay
    return Math.max(1, d / factor)
  }

  const origSetTimeout = timers.setTimeout
  const origSetInterval = timers.setInterval
  const pSetTimeout = timersPromises.setTimeout
  const pSetInterval = timersPromises.setInterval

  const warpedPromiseTimeout = function setTimeout(this: unknown, delay?: unknown, ...rest: unknown[]) {
    return Reflect.apply(pSetTimeout, this, [warp(delay), ...rest])
  }
  const warpedPromiseInterval = function setInterval(this: unknown, delay?: unknown, ...rest: unknown[]) {
    return Reflect.apply(pSetInterval, this, [warp(delay), ...rest])
  }
  const warpedSetTimeout = function setTimeout(this: unknown, callback: unknown, delay?: unknown) {
    const args = Array.prototype.slice.call(arguments)
    args[1] = warp(delay)
    return Reflect.apply(origSetTimeout, this, args)
  }
  const warpedSetInterval = function setInterval(this: unknown, callback: unknown, delay?: unknown) {
    const args = Array.prototype.slice.call(arguments)
    args[1] = warp(delay)
    return Reflect.apply(origSetInterval, this, args)
  }

  replace(timersPromises, 'setTimeout', 'timers/promises.setTimeout', warpedPromiseTimeout)
  replace(timersPromises, 'setInterval', 'timers/promises.setInterval', warpedPromiseInterval)
  const scheduler = (timersPromises as { scheduler?: { wait?: Function } }).scheduler
  if (scheduler && typeof scheduler.wait === 'function') {
    const wait = scheduler.wait
    replace(scheduler, 'wait', 'timers/promises.scheduler.wait', function (this: unknown, delay?: unknown, ...rest: unknown[]) {
      return Reflect.apply(wait, this, [warp(delay), ...rest])
    })
  }
  replace(timers, 'setTimeout', 'timers.setTimeout', warpedSetTimeout)
  replace(timers, 'setInterval', 'timers.setInterval', warpedSetInterval)
  replace(globalThis, 'setTimeout', 'globalThis.setTimeout', warpedSetTimeout)
  replace(globalThis, 'setInterval', 'globalThis.setInterval', warpedSetInterval)
  // util.promisify(setTimeout) must wait the warped time as well.
  try { Object.defineProperty(warpedSetTimeout, promisify.custom, { value: warpedPromiseTimeout, configurable: true }) } catch { /* keep */ }

  installWarpedDate(factor, startedAt)
}

function installWarpedDate(factor: number, startedAt: number): void {
  const RealDate = Date
  const realNow = RealDate.now
  const warpedNow = (): number => Math.floor(startedAt + (realNow() - startedAt) * factor)
  // A function, not a subclass: Date() called without new must still return a string, and the prototype
  // (so instanceof Date and every method) stays the real one.
  const WarpedDate = function Date(this: unknown, ...args: unknown[]) {
    if (!new.target) return new RealDate(warpedNow()).toString()
    return Reflect.construct(RealDate, args.length === 0 ? [warpedNow()] : args, new.target)
  } as unknown as DateConstructor
  for (const key of Reflect.ownKeys(RealDate)) {
    if (key === 'prototype' || key === 'name' || key === 'length') continue
    const desc = Object.getOwnPropertyDescriptor(RealDate, key)
    if (desc) try { Object.defineProperty(WarpedDate, key, desc) } catch { /* skip */ }
  }
  Object.defineProperty(WarpedDate, 'prototype', { value: RealDate.prototype, writable: false, enumerable: false, configurable: false })
  Object.defineProperty(WarpedDate, 'length', { value: 7, configurable: true })
  // Set explicitly: the bundler may rename the inner function to avoid shadowing the global.
  Object.defineProperty(WarpedDate, 'name', { value: 'Date', configurable: true })
  Object.defineProperty(WarpedDate, 'now', { value: function now() { return warpedNow() }, writable: true, enumerable: false, configurable: true })
  try { Object.defineProperty(RealDate.prototype, 'constructor', { value: WarpedDate, writable: true, enumerable: false, configurable: true }) } catch { /* keep */ }
  try {
    ;(globalThis as { Date: DateConstructor }).Date = WarpedDate
    patches.push({ owner: globalThis, key: 'Date', label: 'globalThis.Date', wrapper: WarpedDate })
  } catch { /* read-only global: Date keeps real time */ }
}
