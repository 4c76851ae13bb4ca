// The one classification of addresses every lens uses: what kind of destination, and whether it stays with the customer.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { importDist } from './helpers/index.mjs'

const { classifyAddress, classifyHost, isLocalAddress, isLocalHost, inCidr, correlateEvents, toBrowserFindings } = await importDist('internal.js')
const T = 1700000000000

test('classifies each special-purpose range, and everything else (documentation ranges too) as external', () => {
  const cases = [
    ['127.0.0.1', 'loopback'], ['127.255.0.9', 'loopback'], ['::1', 'loopback'], ['::ffff:127.0.0.1', 'loopback'], ['::ffff:7f00:1', 'loopback'],
    ['0.0.0.0', 'unspecified'], ['0.1.2.3', 'unspecified'], ['::', 'unspecified'],
    ['10.1.2.3', 'private'], ['172.16.0.1', 'private'], ['172.31.255.255', 'private'], ['192.168.1.1', 'private'], ['fd12:3456::1', 'private'], ['fc00::1', 'private'],
    ['169.254.10.20', 'link-local'], ['fe80::1', 'link-local'], ['fe80::1%eth0', 'link-local'], ['[fe80::1]', 'link-local'], ['febf::1', 'link-local'],
    ['224.0.0.251', 'multicast'], ['239.255.255.250', 'multicast'], ['239.1.2.3', 'multicast'], ['224.0.1.1', 'multicast'], ['ff02::fb', 'multicast'], ['ff05::c', 'multicast'], ['FF0E::1', 'multicast'],
    ['100.64.0.1', 'cgnat'], ['100.127.255.254', 'cgnat'],
    ['255.255.255.255', 'broadcast'],
    ['8.8.8.8', 'external'], ['172.32.0.1', 'external'], ['100.128.0.1', 'external'], ['192.0.2.31', 'external'], ['198.51.100.43', 'external'],
    ['203.0.113.42', 'external'], ['2001:db8::41', 'external'], ['2606:4700::1111', 'external'], ['fec0::1', 'external'], ['64:ff9b::a00:1', 'external'],
  ]
  for (const [address, category] of cases) {
    assert.equal(classifyAddress(address)?.category, category, address)
    assert.equal(isLocalAddress(address), category !== 'external', address)
  }
  assert.equal(classifyAddress('example.com'), undefined)
  assert.equal(classifyAddress('256.1.1.1'), undefined)
})

test('classifies names: localhost is loopback, names only the customer resolves are local, the rest external', () => {
  const cases = [
    ['localhost', 'loopback'], ['app.localhost', 'loopback'], ['LOCALHOST.', 'loopback'],
    ['nas.local', 'local-name'], ['db', 'local-name'], ['router.home.arpa', 'local-name'], ['vault.internal', 'local-name'], ['printer.lan', 'local-name'],
    ['telemetry.vendor.invalid', 'external'], ['127.0.0.1.nip.invalid', 'external'], ['local.example.com', 'external'], ['', 'external'],
    ['[ff02::fb]', 'multicast'], ['224.0.0.251', 'multicast'],
  ]
  for (const [host, category] of cases) {
    assert.equal(classifyHost(host).category, category, host)
    assert.equal(isLocalHost(host), category !== 'external', host)
  }
  assert.match(classifyHost('224.0.0.251').description, /multicast/)
})

test('matches CIDRs for IPv4, IPv6 and IPv4-mapped addresses', () => {
  assert.equal(inCidr('10.2.3.4', '10.0.0.0/8'), true)
  assert.equal(inCidr('::ffff:10.2.3.4', '10.0.0.0/8'), true)
  assert.equal(inCidr('11.2.3.4', '10.0.0.0/8'), false)
  assert.equal(inCidr('2001:db8::1', '2001:db8::/32'), true)
  assert.equal(inCidr('2001:db9::1', '2001:db8::/32'), false)
  assert.equal(inCidr('192.0.2.7', '192.0.2.7'), true)
  assert.equal(inCidr('192.0.2.7', '2001:db8::/32'), false)
})

test('the runtime lens reports LAN discovery, link-local and private traffic as info, with what was sent', () => {
  const udp = (address, port, sent) => ({ layer: 'syscall', time: T, api: 'sendmsg(2)', address, port, protocol: 'udp', sent })
  const findings = correlateEvents([
    udp('224.0.0.251', 5353, '\\x00\\x00_http._tcp.local'),
    udp('239.255.255.250', 1900, 'M-SEARCH * HTTP/1.1'),
    udp('ff02::fb', 5353, 'mdns6'),
    udp('169.254.10.20', 7000, 'hello'),
    { layer: 'syscall', time: T, api: 'connect(2)', address: 'fe80::1', port: 22, protocol: 'tcp' },
    { layer: 'syscall', time: T, api: 'connect(2)', address: '192.168.1.10', port: 445, protocol: 'tcp' },
    { layer: 'dns', time: T, name: 'printer.local', qtype: 'A', address: '127.77.0.1' },
    udp('192.0.2.9', 9125, 'external'),
  ], { cwd: '/' })
  const byHost = Object.fromEntries(findings.map((f) => [f.destination.host, f]))
  for (const host of ['224.0.0.251', '239.255.255.250', 'ff02::fb', '169.254.10.20', 'fe80::1', '192.168.1.10', 'printer.local']) {
    assert.ok(byHost[host], `${host} is still listed`)
    assert.equal(byHost[host].severity, 'info', host)
    assert.match(byHost[host].message, /stays on the customer's network/, host)
  }
  assert.equal(byHost['224.0.0.251'].evidence.sent, '\\x00\\x00_http._tcp.local')
  assert.match(byHost['224.0.0.251'].details.destinationKind, /multicast/)
  assert.equal(byHost['169.254.10.20'].evidence.sent, 'hello')
  assert.equal(byHost['192.0.2.9'].severity, 'violation')
})

test('judges a connect by the address it really reached, and a lookup by its name', () => {
  const findings = correlateEvents([
    { layer: 'dns', time: T, name: 'db.internal', qtype: 'A', address: '192.0.2.77', note: 'test double' },
    { layer: 'guard', time: T + 1, api: 'net.connect', host: 'db.internal', address: '192.0.2.77', port: 5432, protocol: 'tcp' },
    { layer: 'syscall', time: T + 1, api: 'connect(2)', address: '192.0.2.77', port: 5432, protocol: 'tcp' },
    { layer: 'dns', time: T, name: 'cache.internal', qtype: 'A', address: '192.0.2.78', note: 'test double' },
  ], { cwd: '/' })
  const byHost = Object.fromEntries(findings.map((f) => [f.destination.host, f]))
  assert.equal(byHost['db.internal'].destination.port, 5432)
  assert.equal(byHost['db.internal'].severity, 'violation', 'a local name answered with an external address')
  assert.equal(byHost['cache.internal'].severity, 'info', 'the lookup itself only asked the resolver')
})

test('the browser lens reports a page reaching the customer\'s own network as info', () => {
  const req = (url) => ({ url, type: 'image', method: 'GET', page: 'http://127.0.0.1:8080/', via: 'devtools' })
  const findings = toBrowserFindings([req('http://192.168.1.20/logo.png'), req('http://169.254.169.254/x'), req('https://cdn.vendor.invalid/x.png')], { origin: 'http://127.0.0.1:8080' })
  const byHost = Object.fromEntries(findings.map((f) => [f.destination.host, f]))
  assert.equal(byHost['192.168.1.20'].severity, 'info')
  assert.equal(byHost['169.254.169.254'].severity, 'info')
  assert.equal(byHost['192.168.1.20'].destination.provenance, 'hard-coded-local')
  assert.equal(byHost['cdn.vendor.invalid'].severity, 'violation')
})
