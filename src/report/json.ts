// JSON report: the stable machine format (schemaVersion 1). Deterministic key order.
import type { Renderer } from './renderer.ts'

export const toJson: Renderer = (report) => JSON.stringify(report, null, 2) + '\n'
