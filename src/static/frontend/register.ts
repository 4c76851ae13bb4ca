// Registers the analysers for files that are not JavaScript (HTML, CSS, package.json) and the rules they report.
import { fileAnalysers, registerFileAnalyser } from '../analysis/file-analysers.ts'
import { registerRule } from '../detectors/rules.ts'
import { frontendCspMeta, frontendExternalResourceMeta } from './resource.ts'
import { analyseManifest, installScriptMeta, telemetrySdkShippedMeta } from '../detectors/install-script.ts'
import { urlInventoryMeta } from '../detectors/telemetry-endpoint.ts'

registerFileAnalyser('manifest', analyseManifest)

for (const meta of [frontendExternalResourceMeta, frontendCspMeta, installScriptMeta, telemetrySdkShippedMeta, urlInventoryMeta]) registerRule(meta)

/**
 * The HTML and CSS analysers bring parse5 and css-tree, about a fifth of a second of start-up: they are
 * loaded when a scan first meets such a file, not by every command.
 */
export async function loadFrontendAnalysers(): Promise<void> {
  if (fileAnalysers.html && fileAnalysers.css) return
  const [{ analyseHtmlFile }, { analyseCssFile }] = await Promise.all([import('./html.ts'), import('./css.ts')])
  registerFileAnalyser('html', analyseHtmlFile)
  registerFileAnalyser('css', analyseCssFile)
}
