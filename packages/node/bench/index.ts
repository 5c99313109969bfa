/**
 * `pnpm bench` for @slokit/node (on the built package; about 50 s):
 *
 *   1. micro-benchmark of the per-request path of `expressSli` in one process: what the middleware
 *      adds to one request (start: the `ignore` check of the path, one timer read, a `close`
 *      listener; close: a second timer read, the status lookup, the route from the cache of the
 *      route object, the event time derived from the same timer read, two tracker records), as
 *      the difference between a loop with it and the same loop without it;
 *   2. an Express 5 app under load from autocannon on loopback, the server in a child process, in
 *      three variants: no middleware, a no-op middleware, `expressSli`. Per run: requests per
 *      second, and the server's CPU time per request (`process.cpuUsage()` over the run / requests
 *      answered). Rounds run the variants back to back; the overhead is the median over rounds of
 *      the paired difference `expressSli − no-op` (the no-op isolates what Express charges for
 *      any extra layer);
 *   3. the same server under load with V8's sampling profiler: the self time of the functions of
 *      @slokit/node and @slokit/core per request answered, i.e. the middleware's cost in place,
 *      cold caches and all (functions V8 inlined into them count with them), with the Node
 *      internals they call (`addListener`, `performance.now()`) listed apart, by function.
 */
import { fork } from 'node:child_process'
import { EventEmitter } from 'node:events'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import autocannon from 'autocannon'
import { benchMiddleware, benchTracker } from './app.js'

const fmt = (n: number, digits = 1) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number

// 1. The per-request path, without HTTP. A response here is an EventEmitter with the members the
// middleware reads; both loops create one and emit `close`, so the difference is the middleware.
class FakeResponse extends EventEmitter {
  statusCode = 200
  writableFinished = true
  writableEnded = true
  constructor(readonly req: object) {
    super()
  }
}

function micro(): { perRequestNs: number[]; dropped: number } {
  const tracker = benchTracker()
  const middleware = benchMiddleware(tracker)
  const req = {
    method: 'GET',
    url: '/users/42',
    originalUrl: '/users/42',
    baseUrl: '',
    route: { path: '/users/:id' },
  }
  const next = () => {}
  const N = 500_000
  const loop = (withSli: boolean): number => {
    const start = process.hrtime.bigint()
    for (let i = 0; i < N; i++) {
      const res = new FakeResponse(req)
      if (withSli) middleware(req as never, res as never, next)
      else next()
      res.emit('close')
    }
    return Number(process.hrtime.bigint() - start) / N
  }
  loop(false)
  loop(true) // warm-up
  const perRequestNs: number[] = []
  for (let round = 0; round < 7; round++) {
    const without = loop(false)
    const withSli = loop(true)
    perRequestNs.push(withSli - without)
  }
  const dropped = Object.values(tracker.dropped()).reduce((a, b) => a + b, 0)
  return { perRequestNs, dropped }
}

const microResult = micro()
const microNs = median(microResult.perRequestNs)
console.log('1. per-request path of expressSli (2 SLOs on the route), median of 7 rounds of 500,000')
console.log(
  `   overhead: ${fmt(microNs)} ns/request  (rounds: ${microResult.perRequestNs.map((n) => fmt(n, 0)).join(', ')} ns)`,
)
console.log(`   dropped events: ${microResult.dropped}`)

// 2. Under load.
const DURATION_S = 1.5
const ROUNDS = 5
const VARIANTS = ['none', 'noop', 'sli'] as const
type Variant = (typeof VARIANTS)[number]
const child = fork(new URL('./server.ts', import.meta.url), { execArgv: ['--import', 'tsx'] })
const messages: ((message: unknown) => void)[] = []
child.on('message', (message) => messages.shift()?.(message))
const nextMessage = <T>() => new Promise<T>((resolve) => messages.push(resolve as (message: unknown) => void))
const { ports } = await nextMessage<{ ports: Record<Variant, number> }>()
const cpu = async () => {
  const answer = nextMessage<{ cpuMicros: number }>()
  child.send('cpu')
  return (await answer).cpuMicros
}

interface Run {
  rps: number
  cpuPerRequestUs: number
  p99Ms: number
}
async function load(port: number, seconds: number): Promise<Run> {
  const before = await cpu()
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/users/42`,
    connections: 10,
    duration: seconds,
  })
  const after = await cpu()
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`bench: ${result.non2xx} non-2xx, ${result.errors} errors`)
  return {
    rps: result.requests.average,
    cpuPerRequestUs: (after - before) / result.requests.total,
    p99Ms: result.latency.p99,
  }
}

for (const variant of VARIANTS) await load(ports[variant], 1) // warm-up
const runs: Record<Variant, Run[]> = { none: [], noop: [], sli: [] }
for (let round = 0; round < ROUNDS; round++) {
  for (const variant of VARIANTS) runs[variant].push(await load(ports[variant], DURATION_S))
}
child.send('exit')

const LABELS: Record<Variant, string> = {
  none: 'no middleware',
  noop: 'no-op middleware (next() only)',
  sli: 'expressSli',
}
console.log(
  `\n2. Express 5 under load: autocannon, 10 connections, ${ROUNDS} rounds of ${DURATION_S} s per variant, interleaved`,
)
console.log('   variant                          median req/s   median server CPU µs/req   median p99 ms')
for (const variant of VARIANTS) {
  const rs = runs[variant]
  console.log(
    `   ${LABELS[variant].padEnd(31)} ${fmt(median(rs.map((r) => r.rps)), 0).padStart(13)}   ${fmt(median(rs.map((r) => r.cpuPerRequestUs)), 1).padStart(24)}   ${fmt(median(rs.map((r) => r.p99Ms)), 0).padStart(13)}`,
  )
}
// Paired differences: each round runs the variants back to back, so slow drift in a shared
// machine cancels out of the difference of one round.
const deltas = (a: Variant, b: Variant) =>
  runs[a].map((run, i) => run.cpuPerRequestUs - (runs[b][i] as Run).cpuPerRequestUs)
const range = (xs: number[]) => `${fmt(Math.min(...xs), 1)} … ${fmt(Math.max(...xs), 1)}`
const sliVsNoop = deltas('sli', 'noop')
const noopVsNone = deltas('noop', 'none')
console.log(
  `   server CPU per request, median of the ${ROUNDS} paired differences (range):\n` +
    `     expressSli − no-op middleware = ${fmt(median(sliVsNoop), 2)} µs (${range(sliVsNoop)})  ← the middleware's own work\n` +
    `     no-op middleware − none       = ${fmt(median(noopVsNone), 2)} µs (${range(noopVsNone)})  ← what Express charges for any extra layer`,
)
// 3. In place, with the sampling profiler.
interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string }
  children?: number[]
}
interface InPlace {
  oursUs: number
  busyUs: number
  /** Self time per request of our functions, and of the Node internals they call directly. */
  byFunction: [string, number][]
}
async function profile(seconds: number): Promise<InPlace> {
  const dir = mkdtempSync(join(tmpdir(), 'slokit-node-bench-'))
  try {
    const profiled = fork(new URL('./server.ts', import.meta.url), {
      execArgv: ['--import', 'tsx', '--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-interval', '100'],
    })
    const { ports: profiledPorts } = await new Promise<{ ports: Record<Variant, number> }>((resolve) =>
      profiled.once('message', (message) => resolve(message as { ports: Record<Variant, number> })),
    )
    const url = `http://127.0.0.1:${profiledPorts.sli}/users/42`
    await autocannon({ url, connections: 10, duration: 1 })
    const { requests } = await autocannon({ url, connections: 10, duration: seconds })
    const exited = new Promise((resolve) => profiled.once('exit', resolve))
    profiled.send('exit')
    await exited
    // The main thread's profile (tsx's loader thread writes a second, smaller one).
    const file = readdirSync(dir)
      .filter((name) => name.endsWith('.cpuprofile'))
      .sort()[0] as string
    const data = JSON.parse(readFileSync(join(dir, file), 'utf8')) as {
      nodes: ProfileNode[]
      samples: number[]
      timeDeltas: number[]
    }
    const selfUs = new Map<number, number>()
    for (const [i, id] of data.samples.entries())
      selfUs.set(id, (selfUs.get(id) ?? 0) + (data.timeDeltas[i] ?? 0))
    const parentOf = new Map<number, ProfileNode>()
    for (const node of data.nodes) for (const child of node.children ?? []) parentOf.set(child, node)
    const isOurs = (node: ProfileNode | undefined) =>
      node !== undefined && /packages[\\/](node|core)[\\/]dist[\\/]/.test(node.callFrame.url)
    const isInternal = (node: ProfileNode) =>
      node.callFrame.url === '' || node.callFrame.url.startsWith('node:')
    let ours = 0
    let busy = 0
    const byFunction = new Map<string, number>()
    const add = (name: string, us: number) => byFunction.set(name, (byFunction.get(name) ?? 0) + us)
    for (const node of data.nodes) {
      const us = selfUs.get(node.id) ?? 0
      if (node.callFrame.functionName === '(idle)' || us === 0) continue
      busy += us
      const name = node.callFrame.functionName || '(anonymous)'
      if (isOurs(node)) {
        ours += us
        add(name, us)
      } else if (isInternal(node) && node.callFrame.functionName !== '(garbage collector)') {
        // A Node internal called straight from our code (not counted in the share above).
        const parent = parentOf.get(node.id)
        if (isOurs(parent)) add(`${parent?.callFrame.functionName || '(anonymous)'} → ${name} (Node)`, us)
      }
    }
    // Both runs' requests are in the profile; only the measured run's are counted, so the
    // warm-up second makes the figures slightly high rather than low.
    const n = requests.total
    return {
      oursUs: ours / n,
      busyUs: busy / n,
      byFunction: [...byFunction]
        .map(([name, us]): [string, number] => [name, us / n])
        .sort((a, b) => b[1] - a[1]),
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
const inPlace = await profile(5)
const share = inPlace.oursUs / inPlace.busyUs
// The profiler slows the server down (its busy time per request is higher than without it), so
// the in-place estimate is the share of slokit's code applied to the unprofiled CPU time of (2).
const sliCpuUs = median(runs.sli.map((r) => r.cpuPerRequestUs))
const inPlaceUs = share * sliCpuUs
console.log(
  '\n3. expressSli in place: the same server under load (5 s) with the V8 sampling profiler (100 µs)',
)
console.log(
  `   self time in @slokit/node and @slokit/core: ${fmt(100 * share, 1)} % of the server's busy time` +
    ` (${fmt(inPlace.oursUs, 2)} of ${fmt(inPlace.busyUs, 1)} µs per request while profiled)` +
    ` → ${fmt(inPlaceUs, 2)} µs of the ${fmt(sliCpuUs, 1)} µs CPU per request measured in (2)`,
)
console.log(
  '   self time per request while profiled, by function (top 8; "→ … (Node)": a Node internal it calls):',
)
for (const [name, us] of inPlace.byFunction.slice(0, 8))
  console.log(`     ${fmt(us, 3).padStart(7)} µs  ${name}`)
console.log(
  `\nMiddleware overhead per request (target < 1 µs): ${fmt(microNs / 1000, 2)} µs in a hot loop (1);` +
    ` about ${fmt(inPlaceUs, 1)} µs in place under load on this machine (3), where a whole request costs` +
    ` ${fmt(sliCpuUs, 0)} µs of CPU; the load-test difference (2) only resolves a few µs on a shared machine.`,
)
