// Entry point of the leaky edition: the very same inventory, plus the vendor habits in src/leaks/ wired in here.
import { main } from '../../selfhosted-app/src/main.ts'
import { installErrorReporter, reportError } from './leaks/error-reporter.ts'
import { readInstanceId } from './leaks/instance-id.ts'
import { checkLicence } from './leaks/license-check.ts'
import { checkForUpdate } from './leaks/update-check.ts'
import { startUsagePing } from './leaks/usage-ping.ts'
import { VENDOR_CONTENT_SECURITY_POLICY } from './leaks/vendor-csp.ts'

installErrorReporter()

await main(process.argv.slice(2), {
  // The admin page pulls a CDN font, analytics and a chat widget: the strict CSP had to go.
  contentSecurityPolicy: VENDOR_CONTENT_SECURITY_POLICY,
  onError: (error, context) => void reportError(error, context),
  async onStarted(app, config) {
    const instanceId = await readInstanceId(config.dataDir)
    startUsagePing(instanceId, () => app.inventory.summary())
    const [update, licence] = await Promise.allSettled([checkForUpdate(instanceId), checkLicence(instanceId, app.inventory.summary())])
    return { updateCheck: describeOutcome(update), licenceCheck: describeOutcome(licence) }
  },
})

function describeOutcome(outcome: PromiseSettledResult<string>): string {
  if (outcome.status === 'fulfilled') return outcome.value
  const error = outcome.reason as Error & { cause?: Error }
  return `failed: ${error.cause?.message ?? error.message}`
}
