// Dependency chains from package-lock.json and package names from original paths.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { importDist } from '../helpers/index.mjs'

const { Lockfile, packageDirOf } = await importDist('internal.js')

test('takes the shortest declared path through a lockfile, resolving nested copies first', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nph-lock-'))
  try {
    writeFileSync(join(dir, 'package-lock.json'), JSON.stringify({
      name: 'app', lockfileVersion: 3, packages: {
        '': { name: 'app', dependencies: { a: '1' }, devDependencies: { t: '1' } },
        'node_modules/a': { version: '1.0.0', dependencies: { b: '1' } },
        'node_modules/b': { version: '1.0.0', dependencies: { c: '2' } },
        'node_modules/c': { version: '1.0.0' },
        'node_modules/b/node_modules/c': { version: '2.0.0' },
        'node_modules/t': { version: '1.0.0' },
      },
    }))
    const lock = Lockfile.read(dir)
    assert.equal(lock.chainOf('node_modules/b'), 'app>a>b')
    assert.equal(lock.chainOf('node_modules/b/node_modules/c'), 'app>a>b>c')
    assert.equal(lock.chainOf('node_modules/c'), undefined, 'nobody depends on the hoisted c@1')
    assert.equal(lock.chainOf('node_modules/t'), 'app>t')
    assert.equal(lock.versionOf('node_modules/b/node_modules/c'), '2.0.0')
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('names the package of an original path from its last node_modules segment', () => {
  assert.deepEqual(packageDirOf('/p/node_modules/axios/lib/core/Axios.js'), { name: 'axios', prefix: '/p/node_modules/axios', key: 'node_modules/axios' })
  assert.equal(packageDirOf('../node_modules/@sentry/node/cjs/index.js').name, '@sentry/node')
  assert.equal(packageDirOf('/p/node_modules/a/node_modules/b/x.js').key, 'node_modules/a/node_modules/b')
  assert.equal(packageDirOf('/p/node_modules/.pnpm/axios@1.2.3/node_modules/axios/index.js').name, 'axios')
  assert.equal(packageDirOf('/p/src/app.js'), undefined)
})
