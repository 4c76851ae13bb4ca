// The signature every renderer shares: a report in, the file's text out.
import type { Report } from './finding.ts'

export interface RenderOptions {
  /** ANSI colours (text only); decided by the CLI from TTY and NO_COLOR. */
  color: boolean
  /** Show info-level findings in human-oriented formats (text, markdown). */
  showInfo?: boolean
}

export type Renderer = (report: Report, options: RenderOptions) => string
