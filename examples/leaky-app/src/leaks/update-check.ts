// LEAK: an update check at every start-up, which also tells the vendor the instance id and version.
const LATEST_URL = 'https://updates.vendor.invalid/latest.json'

/** Asks the vendor for the latest release; resolves with a line for the log. */
export async function checkForUpdate(instanceId: string): Promise<string> {
  const response = await fetch(LATEST_URL, {
    headers: { 'user-agent': `Rackhouse/${__APP_VERSION__} (${process.platform}; instance ${instanceId})` },
    signal: AbortSignal.timeout(5_000),
  })
  const latest = (await response.json()) as { version?: string; url?: string }
  if (latest.version && isNewer(latest.version, __APP_VERSION__)) {
    const line = `update available: ${latest.version} (you run ${__APP_VERSION__})`
    console.error(line)
    return line
  }
  return `up to date (${__APP_VERSION__})`
}

function isNewer(candidate: string, current: string): boolean {
  const a = candidate.split('.').map(Number)
  const b = current.split('.').map(Number)
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0)
  return false
}
