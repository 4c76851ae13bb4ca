// The table of resolver cases on the fixture trees, shared by the resolver's tests (fs and index hosts).
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { fixture } from '../../helpers/index.mjs'

export const BASE = fixture('graph', 'resolve')

// Each row: the case folder (the scanned root), the importing file and the specifier; `expect` in a short
// form: { file, via, lenient? } | { builtin } | { empty } | { url } | { missing: code, fallback? }, paths
// relative to the case folder. `node` names why Node itself answers differently, when it does.
export const cases = [
  // --- relative and absolute paths, CommonJS probing, directories, main ---
  ['relative', 'main.js', './lib/a.js', 'require', { file: 'lib/a.js', via: 'path' }],
  ['relative', 'main.js', './lib/a', 'require', { file: 'lib/a.js', via: 'extension' }],
  ['relative', 'main.js', './lib/data', 'require', { file: 'lib/data.json', via: 'extension' }],
  ['relative', 'main.js', './lib/data.json', 'require', { file: 'lib/data.json', via: 'path' }],
  ['relative', 'main.js', './lib/addon', 'require', { file: 'lib/addon.node', via: 'extension' }],
  ['relative', 'main.js', './lib/only-cjs', 'require', { file: 'lib/only-cjs.cjs', via: 'extension', lenient: true }],
  ['relative', 'main.js', './lib/only-mjs', 'require', { file: 'lib/only-mjs.mjs', via: 'extension', lenient: true }],
  ['relative', 'main.js', './lib/both', 'require', { file: 'lib/both.js', via: 'extension' }],
  ['relative', 'main.js', './lib/exact', 'require', { file: 'lib/exact', via: 'path' }],
  ['relative', 'main.js', './lib/dir', 'require', { file: 'lib/dir/index.js', via: 'index' }],
  ['relative', 'main.js', './lib/dir/', 'require', { file: 'lib/dir/index.js', via: 'index' }],
  ['relative', 'lib/dir/other.js', '.', 'require', { file: 'lib/dir/index.js', via: 'index' }],
  ['relative', 'main.js', './lib/jsondir', 'require', { file: 'lib/jsondir/index.json', via: 'index' }],
  ['relative', 'main.js', './lib/mjsdir', 'require', { file: 'lib/mjsdir/index.mjs', via: 'index', lenient: true }],
  ['relative', 'main.js', './lib/main-ext', 'require', { file: 'lib/main-ext/entry.js', via: 'main' }],
  ['relative', 'main.js', './lib/main-noext', 'require', { file: 'lib/main-noext/entry.js', via: 'main' }],
  ['relative', 'main.js', './lib/main-dir', 'require', { file: 'lib/main-dir/src/index.js', via: 'main' }],
  ['relative', 'main.js', './lib/main-missing', 'require', { file: 'lib/main-missing/index.js', via: 'index' }],
  ['relative', 'main.js', './lib/no-main', 'require', { file: 'lib/no-main/index.js', via: 'index' }],
  ['relative', 'main.js', './lib/file-and-dir', 'require', { file: 'lib/file-and-dir.js', via: 'extension' }],
  ['relative', 'sub/deeper/util.js', '../../lib/a', 'require', { file: 'lib/a.js', via: 'extension' }],
  ['relative', 'main.js', '$ROOT/lib/a', 'require', { file: 'lib/a.js', via: 'extension' }],
  ['relative', 'main.js', './nope', 'require', { missing: 'MODULE_NOT_FOUND' }],
  ['relative', 'main.js', '/etc/passwd', 'require', { missing: 'OUTSIDE_ROOT' }, 'Node reads the whole disk; a scan stays in its root'],
  ['relative', 'main.js', '../../../../../../../../etc/passwd', 'require', { missing: 'OUTSIDE_ROOT' }, 'Node reads the whole disk; a scan stays in its root'],
  ['relative', 'main.js', './lib/data', 'require-resolve', { file: 'lib/data.json', via: 'extension' }],
  // ESM: exact files; what only a bundler would find is resolved and marked lenient.
  ['relative', 'sub/app.mjs', '../lib/a.js', 'import', { file: 'lib/a.js', via: 'path' }],
  ['relative', 'sub/app.mjs', '../config/defaults.json', 'import', { file: 'config/defaults.json', via: 'path' }],
  ['relative', 'main.js', './lib/a.js', 'dynamic-import', { file: 'lib/a.js', via: 'path' }],
  ['relative', 'sub/app.mjs', '../lib/a', 'import', { file: 'lib/a.js', via: 'extension', lenient: true }],
  ['relative', 'sub/app.mjs', '../lib/dir', 'import', { file: 'lib/dir/index.js', via: 'index', lenient: true }],
  ['relative', 'sub/app.mjs', '../lib/a.js?v=1#top', 'import', { file: 'lib/a.js', via: 'path' }],
  ['relative', 'sub/app.mjs', '../lib/%61.js', 'import', { file: 'lib/a.js', via: 'path' }],
  ['relative', 'sub/app.mjs', '../lib%2fa.js', 'import', { missing: 'ERR_INVALID_MODULE_SPECIFIER' }],
  ['relative', 'sub/app.mjs', '$URL/lib/a.js', 'import', { file: 'lib/a.js', via: 'path' }],
  ['relative', 'sub/app.mjs', 'data:text/javascript,export default 1', 'import', { url: 'data:text/javascript,export default 1' }],
  ['relative', 'sub/app.mjs', 'https://cdn.example/x.js', 'import', { url: 'https://cdn.example/x.js' }],
  ['relative', 'sub/app.mjs', 'cloudflare:sockets', 'dynamic-import', { url: 'cloudflare:sockets' }],
  ['relative', 'main.js', 'cloudflare:sockets', 'require', { missing: 'MODULE_NOT_FOUND' }],

  // --- bare specifiers through node_modules ---
  ['node-modules', 'src/index.js', 'dep', 'require', { file: 'node_modules/dep/lib/main.js', via: 'main' }],
  ['node-modules', 'src/feature/x.js', 'dep', 'require', { file: 'src/feature/node_modules/dep/index.js', via: 'index' }],
  ['node-modules', 'src/index.js', 'dep/lib/extra', 'require', { file: 'node_modules/dep/lib/extra.js', via: 'extension' }],
  ['node-modules', 'src/index.js', 'dep/lib/sub', 'require', { file: 'node_modules/dep/lib/sub/index.js', via: 'index' }],
  ['node-modules', 'node_modules/dep/lib/main.js', 'inner', 'require', { file: 'node_modules/dep/node_modules/inner/index.js', via: 'index' }],
  ['node-modules', 'src/index.js', 'inner', 'require', { missing: 'MODULE_NOT_FOUND' }],
  ['node-modules', 'src/index.js', '@scope/pkg', 'require', { file: 'node_modules/@scope/pkg/index.js', via: 'index' }],
  ['node-modules', 'src/index.js', '@scope/pkg/util/helpers', 'require', { file: 'node_modules/@scope/pkg/util/helpers.js', via: 'extension' }],
  ['node-modules', 'src/index.js', '@scope', 'require', { missing: 'ERR_INVALID_MODULE_SPECIFIER' }],
  ['node-modules', 'src/index.js', 'single', 'require', { file: 'node_modules/single.js', via: 'extension' }],
  ['node-modules', 'src/index.js', 'single', 'import', { missing: 'MODULE_NOT_FOUND' }],
  ['node-modules', 'src/feature/x.js', 'shadowed', 'require', { file: 'node_modules/shadowed/index.js', via: 'index' }],
  ['node-modules', 'src/feature/x.js', 'shadowed', 'import', { missing: 'MODULE_NOT_FOUND' }],
  ['node-modules', 'src/index.js', 'not-installed-anywhere', 'require', { missing: 'MODULE_NOT_FOUND' }],
  ['node-modules', 'src/index.js', 'dep', 'import', { file: 'node_modules/dep/lib/main.js', via: 'main' }],
  ['node-modules', 'src/index.js', 'dep/lib/extra.js', 'import', { file: 'node_modules/dep/lib/extra.js', via: 'path' }],
  ['node-modules', 'src/index.js', 'dep/lib/extra', 'import', { file: 'node_modules/dep/lib/extra.js', via: 'extension', lenient: true }],
  ['node-modules', 'src/index.js', 'noext-sub/lib/x', 'require', { file: 'node_modules/noext-sub/lib/x.js', via: 'extension' }],

  // --- exports ---
  ['exports', 'src/index.js', 'sugar', 'require', { file: 'node_modules/sugar/main.js', via: 'exports' }],
  ['exports', 'src/index.js', 'sugar', 'import', { file: 'node_modules/sugar/main.js', via: 'exports' }],
  ['exports', 'src/index.js', 'sugar/other.js', 'require', { missing: 'ERR_PACKAGE_PATH_NOT_EXPORTED', fallback: 'node_modules/sugar/other.js' }],
  ['exports', 'src/index.js', 'cond', 'require', { file: 'node_modules/cond/cjs/index.cjs', via: 'exports' }],
  ['exports', 'src/index.js', 'cond', 'require-resolve', { file: 'node_modules/cond/cjs/index.cjs', via: 'exports' }],
  ['exports', 'src/index.js', 'cond', 'import', { file: 'node_modules/cond/esm/index.mjs', via: 'exports' }],
  ['exports', 'src/index.js', 'cond', 'dynamic-import', { file: 'node_modules/cond/esm/index.mjs', via: 'exports' }],
  ['exports', 'src/index.js', 'cond/feature', 'require', { file: 'node_modules/cond/cjs/feature-node.cjs', via: 'exports' }],
  ['exports', 'src/index.js', 'cond/feature', 'import', { file: 'node_modules/cond/esm/feature-node.mjs', via: 'exports' }],
  ['exports', 'src/index.js', 'cond/feature', 'require', { file: 'node_modules/cond/browser/feature.js', via: 'exports' }, null, { platform: 'browser' }],
  ['exports', 'src/index.js', 'cond/nested-fallthrough', 'require', { file: 'node_modules/cond/cjs/nf.cjs', via: 'exports' }],
  ['exports', 'src/index.js', 'cond/addons', 'require', { file: 'node_modules/cond/addons/native.js', via: 'exports' }],
  ['exports', 'src/index.js', 'cond/addons', 'require', { file: 'node_modules/cond/addons/js.js', via: 'exports' }, null, { platform: 'browser' }],
  ['exports', 'src/index.js', 'cond/sync', 'require', { file: 'node_modules/cond/esm/sync.mjs', via: 'exports' }],
  ['exports', 'src/index.js', 'cond/sync', 'import', { file: 'node_modules/cond/esm/sync.mjs', via: 'exports' }],
  ['exports', 'src/index.js', 'cond/only-import', 'require', { missing: 'ERR_PACKAGE_PATH_NOT_EXPORTED' }],
  ['exports', 'src/index.js', 'cond/only-import', 'import', { file: 'node_modules/cond/esm/only.mjs', via: 'exports' }],
  ['exports', 'src/index.js', 'cond/types-first', 'require', { file: 'node_modules/cond/cjs/tf.cjs', via: 'exports' }],
  ['exports', 'src/index.js', 'cond/dev', 'require', { file: 'node_modules/cond/prod.js', via: 'exports' }],
  ['exports', 'src/index.js', 'cond/dev', 'require', { file: 'node_modules/cond/dev.js', via: 'exports' }, null, { extraConditions: ['development'] }],
  ['exports', 'src/index.js', 'cond/package.json', 'require', { file: 'node_modules/cond/package.json', via: 'exports' }],
  ['exports', 'src/index.js', 'arrays', 'require', { file: 'node_modules/arrays/second.js', via: 'exports', lenient: true }],
  ['exports', 'src/index.js', 'arrays/invalid-first', 'require', { file: 'node_modules/arrays/ok.js', via: 'exports' }],
  ['exports', 'src/index.js', 'arrays/null-array', 'require', { file: 'node_modules/arrays/x.js', via: 'exports' }],
  ['exports', 'src/index.js', 'arrays/empty', 'require', { missing: 'ERR_PACKAGE_PATH_NOT_EXPORTED' }],
  ['exports', 'src/index.js', 'arrays/cond-array', 'require', { file: 'node_modules/arrays/fallback.js', via: 'exports' }],
  ['exports', 'src/index.js', 'patterns/features/a.js', 'require', { file: 'node_modules/patterns/src/features/a.js', via: 'exports' }],
  ['exports', 'src/index.js', 'patterns/features/deep/b.js', 'require', { file: 'node_modules/patterns/src/features/deep/b.js', via: 'exports' }],
  ['exports', 'src/index.js', 'patterns/features/private/secret.js', 'require', { missing: 'ERR_PACKAGE_PATH_NOT_EXPORTED' }],
  ['exports', 'src/index.js', 'patterns/features/special/s.js', 'require', { file: 'node_modules/patterns/src/special/s.js', via: 'exports' }],
  ['exports', 'src/index.js', 'patterns/utils/u', 'require', { file: 'node_modules/patterns/src/utils/u.js', via: 'exports' }],
  ['exports', 'src/index.js', 'patterns/abcQzzzzzzzz', 'require', { file: 'node_modules/patterns/two/Qzzzzzzzz.js', via: 'exports' }],
  ['exports', 'src/index.js', 'patterns/star-only/sub/y.js', 'require', { file: 'node_modules/patterns/lib/sub/y.js', via: 'exports' }],
  ['exports', 'src/index.js', 'patterns/features/a', 'require', { missing: 'ERR_PACKAGE_PATH_NOT_EXPORTED' }],
  ['exports', 'src/index.js', 'patterns/star-only/../../../src/index.js', 'require', { missing: 'ERR_INVALID_MODULE_SPECIFIER' }],
  ['exports', 'src/index.js', 'patterns/features/../features/a.js', 'require', { missing: 'ERR_INVALID_MODULE_SPECIFIER' }],
  ['exports', 'src/index.js', 'not-exported', 'require', { file: 'node_modules/not-exported/index.js', via: 'exports' }],
  ['exports', 'src/index.js', 'not-exported/public', 'require', { file: 'node_modules/not-exported/public.js', via: 'exports' }],
  ['exports', 'src/index.js', 'not-exported/internal', 'require', { missing: 'ERR_PACKAGE_PATH_NOT_EXPORTED', fallback: 'node_modules/not-exported/internal.js' }],
  ['exports', 'src/index.js', 'not-exported/lib/deep.js', 'import', { missing: 'ERR_PACKAGE_PATH_NOT_EXPORTED', fallback: 'node_modules/not-exported/lib/deep.js' }],
  ['exports', 'src/index.js', 'not-exported/nothing', 'require', { missing: 'ERR_PACKAGE_PATH_NOT_EXPORTED' }],
  ['exports', 'src/index.js', 'invalid', 'require', { file: 'node_modules/invalid/index.js', via: 'exports' }],
  ...['escape', 'abs', 'nm', 'dotdot', 'encoded', 'url', 'bare', 'number'].map((k) => ['exports', 'src/index.js', `invalid/${k}`, 'require', { missing: 'ERR_INVALID_PACKAGE_TARGET' }]),
  ['exports', 'src/index.js', 'invalid/numeric-keys', 'require', { missing: 'ERR_INVALID_PACKAGE_CONFIG' }],
  ['exports', 'src/index.js', 'mixed', 'require', { missing: 'ERR_INVALID_PACKAGE_CONFIG', fallback: 'node_modules/mixed/index.js' }],
  ['exports', 'src/index.js', 'dist-missing', 'require', { missing: 'MODULE_NOT_FOUND', fallback: 'node_modules/dist-missing/index.js' }],
  ['exports', 'src/index.js', 'null-exports', 'require', { file: 'node_modules/null-exports/main.js', via: 'main' }],

  // --- self-reference ---
  ['self-reference', 'test/t.js', '@me/self', 'require', { file: 'lib/index.js', via: 'exports' }],
  ['self-reference', 'test/t.js', '@me/self', 'import', { file: 'lib/index.js', via: 'exports' }],
  ['self-reference', 'test/t.js', '@me/self/util', 'require', { file: 'lib/util.js', via: 'exports' }],
  ['self-reference', 'test/t.js', '@me/self/lib/internal.js', 'require', { missing: 'ERR_PACKAGE_PATH_NOT_EXPORTED', fallback: 'lib/internal.js' }],
  ['self-reference', 'no-exports/x.js', 'noexp-self', 'require', { missing: 'MODULE_NOT_FOUND' }],

  // --- imports ---
  ['imports', 'src/main.js', '#config', 'require', { file: 'src/config.js', via: 'imports' }],
  ['imports', 'src/main.js', '#config', 'import', { file: 'src/config.js', via: 'imports' }],
  ['imports', 'src/main.js', '#utils/a', 'require', { file: 'src/utils/a.js', via: 'imports' }],
  ['imports', 'src/main.js', '#utils/deep/b', 'require', { file: 'src/utils/deep/b.js', via: 'imports' }],
  ['imports', 'src/main.js', '#env', 'require', { file: 'src/env-node.js', via: 'imports' }],
  ['imports', 'src/main.js', '#env', 'require', { file: 'src/env-browser.js', via: 'imports' }, null, { platform: 'browser' }],
  ['imports', 'src/main.js', '#dep', 'require', { file: 'node_modules/dep-pkg/main.js', via: 'main' }],
  ['imports', 'src/main.js', '#dep-sub/x', 'require', { file: 'node_modules/dep-pkg/lib/x.js', via: 'path' }],
  ['imports', 'src/main.js', '#fs', 'require', { builtin: 'fs', lenient: true }],
  ['imports', 'src/main.js', '#fs', 'import', { builtin: 'fs' }],
  ['imports', 'src/main.js', '#cond-import', 'require', { file: 'src/r.cjs', via: 'imports' }],
  ['imports', 'src/main.js', '#cond-import', 'import', { file: 'src/i.mjs', via: 'imports' }],
  ['imports', 'src/main.js', '#private/x', 'require', { missing: 'ERR_PACKAGE_IMPORT_NOT_DEFINED' }],
  ['imports', 'src/main.js', '#nothing', 'require', { missing: 'ERR_PACKAGE_IMPORT_NOT_DEFINED' }],
  ['imports', 'src/main.js', '#missing', 'require', { missing: 'MODULE_NOT_FOUND' }],
  ['imports', 'src/main.js', '#invalid', 'require', { missing: 'ERR_INVALID_PACKAGE_TARGET' }],
  ['imports', 'src/main.js', '#', 'require', { missing: 'ERR_INVALID_MODULE_SPECIFIER' }],
  ['imports', 'src/main.js', '#/config', 'require', { file: 'src/config.js', via: 'imports' }, 'Node 20 and 22 refuse "#/" imports (24.x and 25+ allow them: nodejs/node#60864)'],
  ['imports', 'nested/file.js', '#config', 'require', { file: 'nested/nested-config.js', via: 'imports' }],

  // --- browser field and module field (browser platform) ---
  ['browser', 'src/app.js', 'str-browser', 'require', { file: 'node_modules/str-browser/browser.js', via: 'browser' }, null, { platform: 'browser' }],
  ['browser', 'src/app.js', 'str-browser', 'require', { file: 'node_modules/str-browser/node.js', via: 'main' }],
  ['browser', 'src/app.js', 'obj-browser', 'require', { file: 'node_modules/obj-browser/index.browser.js', via: 'browser' }, null, { platform: 'browser' }],
  ['browser', 'src/app.js', 'obj-browser', 'require', { file: 'node_modules/obj-browser/index.js', via: 'main' }],
  ['browser', 'node_modules/obj-browser/index.js', './lib/net', 'require', { empty: true }, null, { platform: 'browser' }],
  ['browser', 'node_modules/obj-browser/index.js', './lib/net', 'require', { file: 'node_modules/obj-browser/lib/net.js', via: 'extension' }],
  ['browser', 'node_modules/obj-browser/index.js', './lib/http', 'require', { file: 'node_modules/obj-browser/lib/xhr.js', via: 'browser' }, null, { platform: 'browser' }],
  ['browser', 'src/app.js', 'obj-browser/lib/net', 'require', { empty: true }, null, { platform: 'browser' }],
  ['browser', 'src/app.js', 'module-field', 'import', { file: 'node_modules/module-field/esm.js', via: 'module' }, null, { platform: 'browser' }],
  ['browser', 'src/app.js', 'module-field', 'dynamic-import', { file: 'node_modules/module-field/esm.js', via: 'module' }, null, { platform: 'browser' }],
  ['browser', 'src/app.js', 'module-field', 'require', { file: 'node_modules/module-field/cjs.js', via: 'main' }, null, { platform: 'browser' }],
  ['browser', 'src/app.js', '../node_modules/module-field', 'import', { file: 'node_modules/module-field/esm.js', via: 'module', lenient: true }, null, { platform: 'browser' }],
  ['browser', 'src/app.js', 'module-field', 'import', { file: 'node_modules/module-field/cjs.js', via: 'main' }],
  ['browser', 'src/app.js', 'ws', 'require', { empty: true }, null, { platform: 'browser' }],
  ['browser', 'src/app.js', 'ws', 'require', { file: 'node_modules/ws/index.js', via: 'main' }],
  ['browser', 'src/app.js', 'node-fetch', 'require', { file: 'src/fetch-shim.js', via: 'browser' }, null, { platform: 'browser' }],
  ['browser', 'src/app.js', 'stream', 'require', { file: 'node_modules/stream-browserify/index.js', via: 'main' }, null, { platform: 'browser' }],
  ['browser', 'src/app.js', 'stream', 'require', { builtin: 'stream' }],
  ['browser', 'src/app.js', 'events', 'require', { file: 'node_modules/events/events.js', via: 'main' }, null, { platform: 'browser' }],
  ['browser', 'src/app.js', 'events', 'require', { builtin: 'events' }],
  ['browser', 'src/app.js', 'fs', 'require', { builtin: 'fs' }, null, { platform: 'browser' }],
  ['browser', 'src/app.js', 'node:fs', 'import', { builtin: 'fs' }, null, { platform: 'browser' }],
  ['browser', 'src/app.js', './server-only', 'require', { file: 'src/client-shim.js', via: 'browser' }, null, { platform: 'browser' }],
  ['browser', 'src/app.js', './disabled', 'require', { empty: true }, null, { platform: 'browser' }],
  ['browser', 'src/app.js', 'loop-a', 'require', { missing: 'LIMIT' }, null, { platform: 'browser' }],

  // --- builtins ---
  ['builtins', 'index.js', 'fs', 'require', { builtin: 'fs' }],
  ['builtins', 'index.js', 'fs', 'import', { builtin: 'fs' }],
  ['builtins', 'index.js', 'fs/promises', 'require', { builtin: 'fs/promises' }],
  ['builtins', 'index.js', 'node:fs', 'require', { builtin: 'fs' }],
  ['builtins', 'index.js', 'node:fs/promises', 'import', { builtin: 'fs/promises' }],
  ['builtins', 'index.js', 'node:test', 'require', { builtin: 'node:test' }],
  ['builtins', 'index.js', 'node:test/reporters', 'import', { builtin: 'node:test/reporters' }],
  ['builtins', 'index.js', 'test', 'require', { file: 'node_modules/test/index.js', via: 'main' }],
  ['builtins', 'index.js', 'node:sqlite', 'require', { builtin: 'node:sqlite' }, 'node:sqlite exists from Node 22.5; the artifact may target it'],
  ['builtins', 'index.js', 'node:nope', 'require', { missing: 'ERR_UNKNOWN_BUILTIN_MODULE' }],

  // --- symlinks (a pnpm layout) ---
  ['symlinks', 'src/index.js', 'foo', 'require', { file: 'node_modules/.pnpm/foo@1.0.0/node_modules/foo/index.js', via: 'main' }],
  ['symlinks', 'node_modules/.pnpm/foo@1.0.0/node_modules/foo/index.js', 'bar', 'require', { file: 'node_modules/.pnpm/bar@2.0.0/node_modules/bar/index.js', via: 'main' }],
  ['symlinks', 'node_modules/foo/index.js', 'bar', 'require', { file: 'node_modules/.pnpm/bar@2.0.0/node_modules/bar/index.js', via: 'main' }],
  ['symlinks', 'src/index.js', 'bar', 'require', { missing: 'MODULE_NOT_FOUND' }],
  ['symlinks', 'src/index.js', '@scope/linked', 'import', { file: 'node_modules/.pnpm/@scope+linked@1.0.0/node_modules/@scope/linked/index.js', via: 'main' }],
  ['symlinks', 'src/index.js', 'escapee', 'require', { missing: 'OUTSIDE_ROOT' }, 'Node follows links anywhere; a scan stays in its root'],
  ['symlinks', 'src/index.js', './linked-file', 'require', { missing: 'OUTSIDE_ROOT' }, 'Node follows links anywhere; a scan stays in its root'],
  ['symlinks', 'src/index.js', './loop-a', 'require', { missing: 'OUTSIDE_ROOT' }],

  // --- hostile package.json files ---
  ['hostile', 'src/index.js', 'bad-json', 'require', { missing: 'ERR_INVALID_PACKAGE_CONFIG', fallback: 'node_modules/bad-json/index.js' }],
  ['hostile', 'src/index.js', 'not-object', 'require', { missing: 'ERR_INVALID_PACKAGE_CONFIG', fallback: 'node_modules/not-object/index.js' }, 'Node ignores a package.json that is JSON but not an object'],
  ['hostile', 'src/index.js', 'etc-main', 'require', { missing: 'OUTSIDE_ROOT' }, 'Node loads a main outside the package (here /etc/passwd, as JavaScript)'],
  ['hostile', 'src/index.js', 'escape-main', 'require', { file: 'src/index.js', via: 'main' }],
  ['hostile', 'src/index.js', 'escape-exports/x', 'require', { missing: 'ERR_INVALID_PACKAGE_TARGET' }],
  ['hostile', 'src/index.js', 'deep-conditions', 'require', { missing: 'LIMIT', fallback: 'node_modules/deep-conditions/index.js' }, 'Node follows conditions nested 200 deep; we stop at 32'],
  ['hostile', 'src/index.js', 'regex-keys/(q', 'require', { file: 'node_modules/regex-keys/paren/q.js', via: 'exports' }],
  ['hostile', 'src/index.js', 'regex-keys/[a-z]+q', 'require', { file: 'node_modules/regex-keys/class/q.js', via: 'exports' }],
  ['hostile', 'src/index.js', 'regex-keys/aaq', 'require', { missing: 'ERR_PACKAGE_PATH_NOT_EXPORTED' }],
  ['hostile', 'src/index.js', '#loop-a', 'require', { missing: 'LIMIT' }],
  ['hostile', 'src/index.js', 'loop-a', 'require', { missing: 'LIMIT' }, null, { platform: 'browser' }],
]

export const expandSpec = (kase, spec) => spec.replace('$ROOT', join(BASE, kase)).replace('$URL', pathToFileURL(join(BASE, kase)).href)

/** The short form of a resolution, for comparison with `expect` (reasons are prose, not asserted). */
export function shorten(r, root) {
  const rel = (p) => p.slice(root.length + 1)
  switch (r.t) {
    case 'file': return { file: rel(r.path), via: r.via, ...(r.lenient ? { lenient: true } : {}) }
    case 'builtin': return { builtin: r.name, ...(r.lenient ? { lenient: true } : {}) }
    case 'empty': return { empty: true }
    case 'url': return { url: r.url }
    case 'missing': return { missing: r.code, ...(r.fallback ? { fallback: rel(r.fallback) } : {}) }
  }
}

export const describe = (e) => e.file ? `${e.file} (${e.via}${e.lenient ? ', lenient' : ''})` : e.builtin ? `builtin ${e.builtin}` : e.empty ? 'an empty module' : e.url ? 'a URL' : `${e.missing}${e.fallback ? ` (fallback ${e.fallback})` : ''}`

