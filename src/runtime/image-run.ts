// How an opened image is run: its start command (or the one given), its Env, WorkingDir and User, as the sandbox needs them.
import type { ImageReport } from '../report/finding.ts'
import { ImageInvalidError, UsageError } from '../errors.ts'
import type { OpenedImage } from '../static/artifact/image.ts'
import { DEFAULT_PATH, planStart } from '../static/artifact/image-entry.ts'
import { imageReportOf } from '../static/artifact/image-target.ts'
import type { RootfsSpec } from './rootfs.ts'

export interface ImageRun {
  command: string[]
  /** The image's Env, with Docker's defaults for PATH and HOME when it sets none. */
  env: Record<string, string>
  rootfs: RootfsSpec
  image: ImageReport
}

/** The run of an opened image: `command` (argv) replaces its Entrypoint and Cmd, as `docker run --entrypoint` does. */
export function imageRunOf(opened: OpenedImage, command?: string[]): ImageRun {
  if (opened.incomplete) throw new ImageInvalidError(`the image was not unpacked completely (${opened.incomplete}), so it cannot be run`, 'An image that really is that large can be scanned with a higher --max-total-size / --max-entries; running it needs it unpacked whole (limits: 4 GB, 200 000 entries).')
  const plan = planStart(opened.root, opened.info.config, command?.length ? command : undefined)
  if (!plan.argv.length) throw new UsageError('the image sets no Entrypoint or Cmd: give the command to run after --')
  const env: Record<string, string> = {}
  for (const e of opened.info.config.env) {
    const eq = e.indexOf('=')
    if (eq > 0) env[e.slice(0, eq)] = e.slice(eq + 1)
  }
  env.PATH ??= DEFAULT_PATH
  env.HOME ??= '/root'
  return {
    command: plan.argv,
    env,
    rootfs: { root: opened.root, workingDir: plan.workingDir, ...(opened.info.config.user ? { user: opened.info.config.user } : {}) },
    image: imageReportOf(opened, plan),
  }
}
