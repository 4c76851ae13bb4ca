// srcset parsing: every candidate URL, descriptors dropped.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { importDist } from '../../helpers/index.mjs'

const { srcsetUrls } = await importDist('internal.js')

test('splits srcset candidates and drops width and density descriptors', () => {
  assert.deepEqual(srcsetUrls('/a.png 1x, https://cdn.vendor.test/b.png 2x'), ['/a.png', 'https://cdn.vendor.test/b.png'])
  assert.deepEqual(srcsetUrls('a.png 480w,b.png 800w'), ['a.png', 'b.png'])
  assert.deepEqual(srcsetUrls('  https://x.test/only.png  '), ['https://x.test/only.png'])
})
