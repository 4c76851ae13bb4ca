// Runtime-lens benchmark: loopback HTTP throughput bare vs under the sandbox, and sandbox start overhead.
//
// Fairness: the load generator always runs in the same network namespace as the server — on the host
// for the bare run, inside the sandbox for the sandboxed run — so both measure loopback HTTP and neither
// pays for the bridge. In both runs the same "pair" process starts the server (with the environment it
// was given: under the sandbox that carries the guard, and strace traces it) and the load generator
// (without the guard: it stands for outside clients, not for the app being checked). The load generator
// could instead enter the sandbox's network namespace from outside (nsenter, as the browser lens does) and
// escape the syscall layer; it deliberately does not: being traced too, the sandboxed side can only be
// made to look slower, never faster. Bare and sandboxed runs alternate, each round swapping which goes
// first, and the median of each is compared; the median of the per-round ratios is printed as well. Many
// short rounds rather than a few long ones: on a shared 2-core machine the load comes and goes within
// seconds, and a median of nine samples is far steadier than one of three.
import { spawn } from 'node:child_process'
import { createServer } from 'node:http'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { join, resolve } from 'node:path'

const SELF = fileURLToPath(import.meta.url)
const [mode, arg] = process.argv.slice(2)
const LOAD_SECONDS = Number(process.env.BENCH_SECONDS ?? 2)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9)
const STARTS = Number(process.env.BENCH_STARTS ?? 10)

if (mode === '--server') runServer(Number(arg))
else if (mode === '--load') await runLoad(Number(arg))
else if (mode === '--pair') await runPair()
else await main()

function runServer(port) {
  const body = JSON.stringify({ ok: true, items: Array.from({ length: 10 }, (_, i) => ({ id: i, name: `item ${i}` })) })
  createServer((req, res) => {
    res.setHeader('content-type', 'application/json')
    res.end(body)
  }).listen(port, '127.0.0.1', () => process.stdout.write('ready\n'))
}

async function runLoad(port) {
  const { Pool } = await import('undici')
  const pool = new Pool(`http://127.0.0.1:${port}`, { connections: 16, pipelining: 1 })
  let count = 0
  let counting = false
  const end = Date.now() + 500 + LOAD_SECONDS * 1000
  setTimeout(() => { counting = true }, 500)
  const worker = async () => {
    while (Date.now() < end) {
      const res = await pool.request({ path: '/', method: 'GET' })
      await res.body.dump()
      if (counting) count++
    }
  }
  await Promise.all(Array.from({ length: 32 }, worker))
  await pool.close()
  process.stdout.write(JSON.stringify({ rps: count / LOAD_SECONDS }) + '\n')
}

/** Server + load generator side by side, in whatever network namespace this process is in. */
async function runPair() {
  const port = 3900
  const server = spawn(process.execPath, [SELF, '--server', String(port)], { stdio: ['ignore', 'pipe', 'inherit'] })
  await new Promise((r) => server.stdout.once('data', r))
  const env = { ...process.env }
  delete env.NODE_OPTIONS
  const load = spawn(process.execPath, [SELF, '--load', String(port)], { stdio: ['ignore', 'pipe', 'inherit'], env })
  let out = ''
  load.stdout.on('data', (d) => (out += d))
  await new Promise((r) => load.on('close', r))
  server.kill()
  process.stdout.write(out)
}

async function main() {
  const dist = resolve(process.env.NPH_DIST || 'dist')
  const { startSandbox } = await import(pathToFileURL(join(dist, 'index.js')).href)

  const runPairWith = async (sandboxed) => {
    if (!sandboxed) {
      const child = spawn(process.execPath, [SELF, '--pair'], { stdio: ['ignore', 'pipe', 'inherit'] })
      let out = ''
      child.stdout.on('data', (d) => (out += d))
      await new Promise((r) => child.on('close', r))
      return JSON.parse(out).rps
    }
    const sandbox = await startSandbox({ command: [process.execPath, SELF, '--pair'] })
    await sandbox.exited
    const result = await sandbox.stop()
    if (result.findings.length) throw new Error(`the benchmark itself produced findings: ${JSON.stringify(result.findings)}`)
    return { rps: JSON.parse(sandbox.output().stdout).rps, layers: result.layers }
  }

  console.log(`throughput: ${ROUNDS} rounds × ${LOAD_SECONDS}s, 32 concurrent keep-alive requests over 16 connections`)
  const bare = []
  const boxed = []
  let layers
  for (let i = 0; i < ROUNDS; i++) {
    const sandboxedFirst = i % 2 === 1
    const first = await runPairWith(sandboxedFirst)
    const second = await runPairWith(!sandboxedFirst)
    const r = sandboxedFirst ? first : second
    bare.push(sandboxedFirst ? second : first)
    boxed.push(r.rps)
    layers = r.layers
    console.log(`  round ${i + 1}: bare ${bare[i].toFixed(0)} req/s, sandboxed ${boxed[i].toFixed(0)} req/s (${sandboxedFirst ? 'sandboxed' : 'bare'} first)`)
  }
  const ratio = median(boxed) / median(bare)
  console.log(`  layers: ${Object.entries(layers).map(([k, v]) => `${k}=${v ? 'on' : 'off'}`).join(' ')}`)
  console.log(`  median bare ${median(bare).toFixed(0)} req/s, sandboxed ${median(boxed).toFixed(0)} req/s → ratio ${ratio.toFixed(3)} (target ≥ 0.95)`)
  console.log(`  median of the per-round ratios ${median(boxed.map((b, i) => b / bare[i])).toFixed(3)}`)

  console.log(`start overhead: node -e 0, ${STARTS} starts each`)
  const bareStarts = []
  const boxedStarts = []
  for (let i = 0; i < STARTS; i++) {
    let t = performance.now()
    await new Promise((r) => spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' }).on('close', r))
    bareStarts.push(performance.now() - t)
    t = performance.now()
    const sandbox = await startSandbox({ command: [process.execPath, '-e', '0'] })
    await sandbox.exited
    await sandbox.stop()
    boxedStarts.push(performance.now() - t)
  }
  const overhead = median(boxedStarts) - median(bareStarts)
  console.log(`  median bare ${median(bareStarts).toFixed(0)} ms, sandboxed (start → exit → stop, all layers) ${median(boxedStarts).toFixed(0)} ms`)
  console.log(`  overhead ${overhead.toFixed(0)} ms (target ≤ 150 ms); ratio ${(median(boxedStarts) / median(bareStarts)).toFixed(2)}×`)
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}
