// DNS wire format, TLS ClientHello and HTTP sniffing, strace log parsing: the parsers the OS layers rely on.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import net from 'node:net'
import tls from 'node:tls'
import { importDist } from '../helpers/index.mjs'

const { parseDnsQuery, encodeDnsResponse, parseClientHello, sniffHttp, parseStraceLog, chainOf } = await importDist('internal.js')

function query(name, qtype, id = 0x1234) {
  const labels = name.split('.').flatMap((l) => [Buffer.from([l.length]), Buffer.from(l)])
  const q = Buffer.concat([...labels, Buffer.from([0, qtype >> 8, qtype & 0xff, 0, 1])])
  const header = Buffer.from([id >> 8, id & 0xff, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0])
  return Buffer.concat([header, q])
}

test('parses a DNS query and answers A with the given address, echoing id and question', () => {
  const q = parseDnsQuery(query('Telemetry.Invalid', 1))
  assert.deepEqual({ id: q.id, name: q.name, qtype: q.qtype }, { id: 0x1234, name: 'telemetry.invalid', qtype: 1 })
  const res = encodeDnsResponse(q, { addresses: ['127.77.0.1', '2001:db8::1'] })
  assert.equal(res.readUInt16BE(0), 0x1234)
  assert.equal(res.readUInt16BE(2) & 0x800f, 0x8000, 'a response with rcode 0')
  assert.equal(res.readUInt16BE(6), 1, 'one answer: the AAAA address is not an A record')
  assert.deepEqual([...res.subarray(-4)], [127, 77, 0, 1])
})

test('answers AAAA with IPv6 addresses and NXDOMAIN when asked', () => {
  const q = parseDnsQuery(query('x.test', 28))
  const res = encodeDnsResponse(q, { addresses: ['2001:db8::10'] })
  assert.equal(res.readUInt16BE(6), 1)
  assert.equal(res.subarray(-16).toString('hex'), '20010db8000000000000000000000010')
  const nx = encodeDnsResponse(q, { nxdomain: true })
  assert.equal(nx.readUInt16BE(2) & 0xf, 3)
  assert.equal(nx.readUInt16BE(6), 0)
})

test('rejects truncated or response messages instead of throwing', () => {
  assert.equal(parseDnsQuery(Buffer.from([1, 2, 3])), undefined)
  const response = query('a.test', 1)
  response[2] |= 0x80
  assert.equal(parseDnsQuery(response), undefined)
  assert.equal(parseDnsQuery(query('a.test', 1).subarray(0, 17)), undefined)
})

test('reads SNI and ALPN from a real ClientHello', async () => {
  const server = net.createServer()
  await new Promise((r) => server.listen(0, '127.0.0.1', r))
  const got = new Promise((resolve) => server.once('connection', (s) => s.once('data', (d) => { resolve(d); s.destroy() })))
  const client = tls.connect({ port: server.address().port, host: '127.0.0.1', servername: 'sni.example.test', ALPNProtocols: ['h2', 'http/1.1'] })
  client.on('error', () => {})
  const hello = parseClientHello(await got)
  server.close()
  client.destroy()
  assert.deepEqual(hello, { sni: 'sni.example.test', alpn: ['h2', 'http/1.1'] })
  assert.equal(parseClientHello(Buffer.from([0x16, 3, 1, 0, 200, 1])), 'incomplete')
})

test('summarises an HTTP request head with its Host and a body preview', () => {
  const s = sniffHttp(Buffer.from('POST /v1/track HTTP/1.1\r\nHost: t.invalid:8080\r\nContent-Length: 9\r\n\r\n{"a":"b"}'))
  assert.equal(s.host, 't.invalid')
  assert.equal(s.complete, true)
  assert.match(s.sent, /^POST \/v1\/track HTTP\/1\.1[\s\S]*\{"a":"b"\}$/)
  assert.equal(sniffHttp(Buffer.from('GET / HTTP/1.1\r\nHost: a')).complete, false)
})

test('parses strace lines: addresses, unfinished/resumed calls, pid → program, exit status', () => {
  const log = [
    '100  1700000000.000001 execve("/usr/bin/node", ["node", "app.js"], 0x7ffd /* 3 vars */) = 0',
    '100  1700000000.000002 clone3({flags=CLONE_VM|CLONE_THREAD}, 88) = 101',
    '101  1700000000.000003 connect(20<UDP:[1]>, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("10.0.0.53")}, 16 <unfinished ...>',
    '100  1700000000.000004 connect(19<TCP:[2]>, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("192.0.2.10")}, 16) = -1 EINPROGRESS (Operation now in progress)',
    '101  1700000000.000005 <... connect resumed>) = 0',
    '100  1700000000.000006 connect(21<TCPv6:[3]>, {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "2001:db8::10", &sin6_addr), sin6_scope_id=0}, 28) = -1 ECONNREFUSED (Connection refused)',
    '100  1700000000.000007 sendmsg(22<UDP:[4]>, {msg_name={sa_family=AF_INET, sin_port=htons(8125), sin_addr=inet_addr("198.51.100.5")}, msg_namelen=16, msg_iov=[{iov_base="hi", iov_len=2}]}, 0) = 2',
    '100  1700000000.000008 connect(23<UNIX-STREAM:[5]>, {sa_family=AF_UNIX, sun_path="/var/run/nscd/socket"}, 110) = -1 ENOENT (No such file or directory)',
    '100  1700000000.000009 +++ exited with 3 +++',
    '102  1700000000.0000',
  ].join('\n')
  const parsed = parseStraceLog(log)
  assert.equal(parsed.rootPid, 100)
  assert.deepEqual(parsed.exits.get(100), { code: 3 })
  const rows = parsed.events.map((e) => [e.api, e.protocol, e.address ?? e.host, e.port, e.pid, e.command])
  assert.deepEqual(rows, [
    ['connect(2)', 'tcp', '192.0.2.10', 80, 100, 'node app.js'],
    ['connect(2)', 'udp', '10.0.0.53', 53, 101, 'node app.js'],
    ['connect(2)', 'tcp', '2001:db8::10', 443, 100, 'node app.js'],
    ['sendmsg(2)', 'udp', '198.51.100.5', 8125, 100, 'node app.js'],
    ['connect(2)', 'unix', '/var/run/nscd/socket', undefined, 100, 'node app.js'],
  ])
})

test('parses the app\'s PID namespace: translated fork results, the chain\'s steps, payloads and calls a kill cut short', () => {
  const log = [
    '10 1700000000.000001 execve("/usr/bin/unshare", ["/usr/bin/unshare", "--pid"], 0x1 /* 1 vars */) = 0',
    '10 1700000000.000002 clone(child_stack=NULL, flags=SIGCHLD) = 11',
    '11 1700000000.000003 execve("/usr/bin/sh", ["/usr/bin/sh", "-c", "x", "nophonehome-reaper", "/usr/bin/sleep"], 0x1 /* 1 vars */) = 0',
    '11 1700000000.000004 vfork( <unfinished ...>',
    '12 1700000000.000005 execve("/usr/bin/env", ["/usr/bin/env", "-i", "A=1", "curl", "x"], 0x1 /* 0 vars */) = 0',
    '11 1700000000.000006 <... vfork resumed>) = 2 /* 12 in strace\'s PID NS */',
    '12 1700000000.000007 execve("/usr/bin/curl", ["curl", "x"], 0x1 /* 1 vars */) = 0',
    '12 1700000000.000008 sendto(5<UDP:[9]>, "\\1\\2ab\\n", 5, MSG_NOSIGNAL, {sa_family=AF_INET, sin_port=htons(1900), sin_addr=inet_addr("239.255.255.250")}, 16) = 5',
    '12 1700000000.000009 connect(6<TCP:[10]>, {sa_family=AF_INET, sin_port=htons(7777), sin_addr=inet_addr("203.0.113.9")}, 16 <unfinished ...>',
    '12 1700000000.000010 +++ killed by SIGKILL +++',
  ].join('\n') + '\n'
  const parsed = parseStraceLog(log)
  assert.deepEqual(chainOf(parsed), { starter: 10, reaper: 11, command: 12 })
  assert.deepEqual(parsed.exits.get(12), { signal: 'SIGKILL' })
  const [udp, cut] = parsed.events
  assert.equal(udp.sent, '\\x01\\x02ab\n', 'the datagram\'s bytes, as the sinks show them')
  assert.equal(udp.command, 'curl x')
  assert.deepEqual([cut.address, cut.port, cut.note], ['203.0.113.9', 7777, 'unfinished'], 'killed inside connect: still an attempt')
})
