// Every way a Node app can phone home is recorded by the guard with API, destination and the app's file:line.
import { describe, test, before } from 'node:test'
import assert from 'node:assert/strict'
import { attemptLine, canUnshare, nodeBinaries, runGuarded, stackHas } from './run-guarded.mjs'

const CASES = [
  { name: 'fetch.mjs', expect: [{ api: 'fetch', host: 'telemetry.invalid', port: 80, protocol: 'http', sent: /^GET \/ping\?v=1 HTTP\/1\.1\r\nHost: telemetry\.invalid$/ }] },
  { name: 'http-get.cjs', expect: [{ api: 'http.get', host: 'telemetry.invalid', port: 80, protocol: 'http', sent: /^GET \/v1\/collect HTTP\/1\.1\r\nHost: telemetry\.invalid$/ }] },
  { name: 'https-request.mjs', expect: [{ api: 'https.request', host: 'metrics.invalid', port: 443, protocol: 'http', sent: /^POST \/report / }] },
  { name: 'net-connect.cjs', expect: [{ api: 'net.connect', host: 'collector.invalid', port: 4444, protocol: 'tcp' }] },
  { name: 'tls-connect.cjs', expect: [{ api: 'tls.connect', host: 'secure.invalid', port: 8443, protocol: 'tls' }] },
  { name: 'dgram-send.cjs', expect: [{ api: 'dgram.send', host: '192.0.2.10', address: '192.0.2.10', port: 8125, protocol: 'udp', sent: /^app\.started:1\|c$/ }] },
  { name: 'dns-lookup.cjs', expect: [{ api: 'dns.lookup', host: 'secret-data.exfil.invalid', name: 'secret-data.exfil.invalid', qtype: 'A/AAAA', protocol: 'dns' }] },
  {
    name: 'dns-resolve4.cjs',
    expect: [
      { marker: 'module', api: 'dns.resolve4', host: 'resolve.invalid', qtype: 'A', protocol: 'dns' },
      { marker: 'resolver', api: 'dns.Resolver.resolveTxt', host: 'resolver.invalid', qtype: 'TXT', protocol: 'dns' },
    ],
  },
  {
    name: 'dns-promises.mjs',
    expect: [
      { marker: 'lookup', api: 'dns.promises.lookup', host: 'promises.invalid', protocol: 'dns' },
      { marker: 'resolve4', api: 'dns.promises.resolve4', host: 'module.invalid', qtype: 'A' },
      { marker: 'resolver', api: 'dns.promises.Resolver.resolveMx', host: 'resolver.invalid', qtype: 'MX' },
    ],
  },
  { name: 'http2-connect.cjs', expect: [{ api: 'http2.connect', host: 'h2.invalid', port: 8443, protocol: 'http' }] },
  { name: 'websocket.cjs', minMajor: 22, expect: [{ api: 'WebSocket', host: 'live.invalid', port: 443, protocol: 'http', sent: /^GET \/socket HTTP\/1\.1\r\nHost: live\.invalid\r\nUpgrade: websocket$/ }] },
  { name: 'undici-request.mjs', expect: [{ api: 'undici.request', host: 'undici.invalid', port: 8080, protocol: 'http', sent: /^PUT \/events\?id=1 HTTP\/1\.1\r\nHost: undici\.invalid:8080$/ }] },
  {
    name: 'ip-literals.cjs',
    expect: [
      { marker: 'v4', api: 'net.connect', host: '192.0.2.10', address: '192.0.2.10', port: 80, protocol: 'tcp' },
      { marker: 'v6', api: 'net.connect', host: '2001:db8::10', address: '2001:db8::10', port: 443, protocol: 'tcp' },
      { marker: 'v6-fetch', api: 'fetch', host: '2001:db8::10', address: '2001:db8::10', port: 8080, protocol: 'http' },
    ],
  },
]

const FIELDS = ['api', 'host', 'address', 'port', 'protocol', 'name', 'qtype']

/** Runs `tasks` with at most `limit` at a time (2-core machine). */
async function pool(tasks, limit) {
  const results = new Array(tasks.length)
  let next = 0
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < tasks.length) { const i = next++; results[i] = await tasks[i]() }
  }))
  return results
}

for (const { major, bin } of nodeBinaries()) {
  const skip = !canUnshare ? 'unshare -rn is not available here (egress fixtures run only inside it)'
    : !bin ? `Node ${major} binary missing (npm ci --prefix test/nodes)` : false
  describe(`guard on Node ${major}`, { skip }, () => {
    const runs = new Map()
    before(async () => {
      const todo = CASES.filter((c) => !c.minMajor || major >= c.minMajor)
      const results = await pool(todo.map((c) => () => runGuarded(bin, c.name)), 3)
      todo.forEach((c, i) => runs.set(c.name, results[i]))
    })

    for (const c of CASES) {
      const caseSkip = c.minMajor && major < c.minMajor ? `${c.name.split('.')[0]} needs Node ${c.minMajor}+` : false
      test(`records ${c.expect.map((e) => e.api).join(', ')} from ${c.name} with destination and the fixture's file:line`, { skip: caseSkip }, () => {
        const run = runs.get(c.name)
        assert.equal(run.code, 0, `fixture exited ${run.code} ${run.signal ?? ''}\n${run.stderr}`)
        const attempts = run.events.filter((e) => !e.note)
        for (const want of c.expect) {
          const line = attemptLine(run.file, want.marker)
          const found = attempts.find((e) => e.api === want.api && stackHas(e.stack, run.file, line))
          assert.ok(found, `no ${want.api} event attributed to ${run.file}:${line}; got ${JSON.stringify(run.events, null, 1)}`)
          for (const k of FIELDS) if (k in want) assert.equal(found[k], want[k], `${want.api}.${k}`)
          if (want.sent) assert.match(found.sent ?? '', want.sent)
          assert.equal(found.layer, 'guard')
          assert.equal(found.thread, 0)
          assert.equal(typeof found.pid, 'number')
          assert.equal(typeof found.ppid, 'number')
          assert.ok(found.command.includes(c.name), `command ${found.command}`)
          assert.ok(found.stack.length <= 12 && found.stack.every((f) => !f.includes('node:') && !/runtime[\\/]guard/.test(f)), `stack not clean: ${found.stack}`)
        }
        // One event per attempt: the socket and DNS work behind fetch or http.get is not counted again.
        assert.equal(attempts.length, c.expect.length, `expected exactly ${c.expect.length} attempt event(s), got ${JSON.stringify(attempts, null, 1)}`)
      })
    }
  })
}
