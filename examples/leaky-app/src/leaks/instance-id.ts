// A random id per installation, kept in the data dir: what lets the vendor count and follow one customer over time.
import { randomUUID } from 'node:crypto'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

export async function readInstanceId(dataDir: string): Promise<string> {
  const file = join(dataDir, '.instance-id')
  try {
    return (await readFile(file, 'utf8')).trim()
  } catch {
    const id = randomUUID()
    await writeFile(file, id + '\n', { mode: 0o600 }).catch(() => {})
    return id
  }
}
