// Notices when the app undoes the guard: a patched function put back, or NODE_OPTIONS no longer loading it.
import { record } from './log.ts'
import { patches } from './wrap.ts'

const noted = new Set<string>()

/** Records a note once per process (or thread). */
export function noteOnce(note: string): void {
  if (noted.has(note)) return
  noted.add(note)
  record({ note })
}

let optionsNeedle = ''

/**
 * What a child's NODE_OPTIONS must contain for the guard to load there: the guard's path when NODE_OPTIONS
 * names it, else the whole value the guard was loaded with; empty when the guard came from the command line,
 * in which case no child inherits it.
 */
export function setOptionsNeedle(nodeOptionsAtPreload: string, guardFile: string): void {
  optionsNeedle = nodeOptionsAtPreload.includes(guardFile) ? guardFile : nodeOptionsAtPreload.trim()
}

export function inheritsGuard(childNodeOptions: string | undefined): boolean {
  return optionsNeedle !== '' && typeof childNodeOptions === 'string' && childNodeOptions.includes(optionsNeedle)
}

/** Compares every patched property with what we installed; cheap enough to run every couple of seconds. */
export function checkTampering(): void {
  try {
    for (const p of patches) {
      let current: unknown
      try { current = (p.owner as Record<string | symbol, unknown>)[p.key] } catch { current = undefined }
      if (current !== p.wrapper) noteOnce(`patches removed: ${p.label}`)
    }
    if (optionsNeedle && !inheritsGuard(process.env.NODE_OPTIONS)) {
      noteOnce('NODE_OPTIONS changed: children started from now on with process.env will not load the guard')
    }
  } catch { /* never break the app */ }
}

/** Checks on an unref'd interval (it never keeps the app alive) and once more at exit. */
export function watchTampering(setIntervalOriginal: typeof setInterval, everyMs: number): void {
  try {
    const timer = setIntervalOriginal(checkTampering, everyMs)
    timer.unref?.()
    process.on('exit', checkTampering)
  } catch { /* never break the app */ }
}
