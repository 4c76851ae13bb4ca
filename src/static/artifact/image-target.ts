// An image as a scan target: unpack it, find the product's entry points from its config, and report what the
// JavaScript lens cannot read (native code, other languages) and what the config itself says.
import type { Finding, ImageReport, NotAnalysed } from '../../report/finding.ts'
import { openImage, type ImageSelection, type OpenedImage } from './image.ts'
import { planStart, type StartPlan } from './image-entry.ts'
import { inventoryImageFiles } from './image-files.ts'
import { imageConfigFindings } from './image-config.ts'

export interface ImageTarget {
  /** The unpacked root, scanned like a directory. */
  root: string
  findings: Finding[]
  notAnalysed: NotAnalysed[]
  /** Entry points (relative to the root) derived from the config's Entrypoint/Cmd/WorkingDir. */
  entryPoints: string[]
  filesScanned: number
  bytesScanned: number
  report: ImageReport
  cleanup(): void
}

/**
 * Opens (or takes an already opened) image and prepares it for the static lens. `prefix` is the display prefix
 * of the target when several are scanned together.
 */
export async function prepareImageTarget(
  path: string, prefix: string, options: { selection?: ImageSelection; maxEntries: number; maxTotalSize: number; opened?: OpenedImage },
): Promise<ImageTarget> {
  const image = options.opened ?? (await openImage(path, options.selection ?? {}, { maxEntries: options.maxEntries, maxTotalSize: options.maxTotalSize }))
  const cleanup = options.opened ? () => {} : image.cleanup
  try {
    const plan = planStart(image.root, image.info.config)
    const files = inventoryImageFiles(image.root, prefix)
    const findings = [...imageConfigFindings(image.info.config, prefix), ...files.findings]
    const notAnalysed = [...image.notAnalysed, ...files.notAnalysed, ...plan.notAnalysed]
    const entryPoints = plan.entryPoints
    if (!entryPoints.length) {
      // Fail closed: without an entry point, nothing says which of the image's code is the product.
      plan.notes.push('no JavaScript entry point found from the config: entries are found from the files themselves (package.json, shebangs)')
    }
    const report = imageReportOf(image, plan, files.packageSources)
    return { root: image.root, findings, notAnalysed, entryPoints, filesScanned: files.filesScanned, bytesScanned: files.bytesScanned, report, cleanup }
  } catch (err) {
    cleanup()
    throw err
  }
}

/** The report's `image`: what was picked, its digests, how it starts and what that led to. */
export function imageReportOf(image: OpenedImage, plan: StartPlan, packageSources: string[] = []): ImageReport {
  const { config: _config, ...info } = image.info
  return {
    ...info,
    start: { argv: plan.argv, workingDir: plan.workingDir, ...(image.info.config.user ? { user: image.info.config.user } : {}) },
    entryPoints: plan.entryPoints,
    entryNotes: plan.notes,
    ...(packageSources.length ? { packageDatabases: packageSources } : {}),
    ...(image.incomplete ? { incomplete: image.incomplete } : {}),
  }
}
