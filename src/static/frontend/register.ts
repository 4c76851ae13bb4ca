// Registers the analysers for files that are not JavaScript (HTML, CSS, package.json) and the rules they report.
import { registerFileAnalyser } from '../file-analysers.ts'
import { registerRule } from '../rules.ts'
import { analyseHtmlFile, frontendCspMeta } from './html.ts'
import { analyseCssFile } from './css.ts'
import { frontendExternalResourceMeta } from './resource.ts'
import { analyseManifest, installScriptMeta, telemetrySdkShippedMeta } from '../install-scripts.ts'
import { urlInventoryMeta } from '../detectors/telemetry-endpoint.ts'

registerFileAnalyser('html', analyseHtmlFile)
registerFileAnalyser('css', analyseCssFile)
registerFileAnalyser('manifest', analyseManifest)

for (const meta of [frontendExternalResourceMeta, frontendCspMeta, installScriptMeta, telemetrySdkShippedMeta, urlInventoryMeta]) registerRule(meta)
