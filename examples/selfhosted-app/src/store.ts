// Keeps one JSON document on disk and replaces it atomically, so a crash never leaves half a file.
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises'
import { dirname, basename, join } from 'node:path'

export class JsonFileStore<T> {
  readonly file: string
  // Writes are chained so two saves never race on the temporary file or the rename order.
  #queue: Promise<void> = Promise.resolve()
  #counter = 0

  constructor(file: string) {
    this.file = file
  }

  /** Reads the document, or returns `fallback` when the file does not exist yet. */
  async load(fallback: T): Promise<T> {
    await mkdir(dirname(this.file), { recursive: true })
    let text: string
    try {
      text = await readFile(this.file, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return fallback
      throw error
    }
    return JSON.parse(text) as T
  }

  /** Writes the document: temp file in the same directory, fsync, rename over, fsync the directory. */
  save(document: T): Promise<void> {
    const text = JSON.stringify(document, null, 2) + '\n'
    const next = this.#queue.then(() => this.#write(text))
    // A failed write must not poison later ones; the caller still sees this one's error.
    this.#queue = next.catch(() => {})
    return next
  }

  async #write(text: string): Promise<void> {
    const dir = dirname(this.file)
    const temp = join(dir, `.${basename(this.file)}.${process.pid}.${++this.#counter}.tmp`)
    const handle = await open(temp, 'wx', 0o600)
    try {
      await handle.writeFile(text, 'utf8')
      await handle.sync()
    } finally {
      await handle.close()
    }
    try {
      await rename(temp, this.file)
    } catch (error) {
      await rm(temp, { force: true })
      throw error
    }
    // The rename is only durable once the directory entry is on disk too.
    const dirHandle = await open(dir, 'r')
    try {
      await dirHandle.sync()
    } catch {
      // Some file systems refuse fsync on a directory; the rename itself is still atomic.
    } finally {
      await dirHandle.close()
    }
  }

  /** Resolves once every pending write has finished. */
  flush(): Promise<void> {
    return this.#queue
  }
}
