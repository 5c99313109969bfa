/**
 * Helpers for this package's integration tests: real Prometheus and Pushgateway processes on
 * 127.0.0.1 (free ports, temporary data directories, stopped by PID and cleaned up even when a
 * test fails), `promtool`, and backfilling data and recording-rule results into a TSDB.
 * Not part of the published package.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { existsSync, readdirSync, renameSync } from 'node:fs'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import type { RuleFile } from './rule-file.js'

/** Whether an executable is on the PATH. */
export function hasBinary(name: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir !== '' && existsSync(join(dir, name)))
}

/** Why the integration tests skip, or `undefined` when Prometheus, promtool and the Pushgateway are installed. */
export function missingBinaries(names: readonly string[] = ['prometheus', 'promtool']): string | undefined {
  const missing = names.filter((name) => !hasBinary(name))
  if (missing.length === 0) return undefined
  return `${missing.join(', ')} not installed (Debian: apt-get install prometheus prometheus-pushgateway; .ci/run installs them)`
}

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

const running = new Set<ChildProcess>()
let exitHookInstalled = false

function installExitHook(): void {
  if (exitHookInstalled) return
  exitHookInstalled = true
  // The safety net: a test run that dies still stops what it started (by PID, nothing else).
  process.once('exit', () => {
    for (const child of running) {
      if (child.pid !== undefined && child.exitCode === null) {
        try {
          process.kill(child.pid, 'SIGKILL')
        } catch {
          // already gone
        }
      }
    }
  })
}

/** A process started by these helpers. */
export interface RunningServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string
  /** The port it listens on. */
  readonly port: number
  /** The process id, to stop it by. */
  readonly pid: number
  /** The temporary directory the process works in (data, config). */
  readonly dir: string
  /** The process's output so far, for failure messages. */
  log(): string
  /** Stops the process by its PID (SIGTERM, then SIGKILL after 5 s). Keeps `dir`. */
  stop(): Promise<void>
}

async function startServer(
  binary: string,
  args: (port: number) => string[],
  dir: string,
  readyPath: string,
): Promise<RunningServer> {
  installExitHook()
  const port = await freePort()
  let output = ''
  const child = spawn(binary, args(port), { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] })
  running.add(child)
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-20_000)
  }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.once('exit', () => running.delete(child))
  const url = `http://127.0.0.1:${port}`
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return
    process.kill(child.pid, 'SIGTERM')
    const timer = setTimeout(() => {
      if (child.exitCode === null && child.pid !== undefined) process.kill(child.pid, 'SIGKILL')
    }, 5_000)
    await exited
    clearTimeout(timer)
  }
  const deadline = Date.now() + 30_000
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`${binary} exited with code ${child.exitCode} before it was ready:\n${output}`)
    }
    try {
      const response = await fetch(`${url}${readyPath}`)
      await response.text()
      if (response.ok) break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop()
      throw new Error(`${binary} was not ready within 30 s:\n${output}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return { url, port, pid: child.pid as number, dir, log: () => output, stop }
}

/** Options of {@link startPrometheus}. */
export interface StartPrometheusOptions {
  /**
   * The TSDB directory, kept when Prometheus stops (so it can be restarted on it, and removed by
   * the caller); by default a temporary one that `stop()` removes.
   */
  readonly dataDir?: string | undefined
  /** Rule files to load. */
  readonly ruleFiles?: readonly string[] | undefined
  /** The global evaluation interval; 1m by default. */
  readonly evaluationInterval?: string | undefined
}

/** A running Prometheus. */
export interface RunningPrometheus extends RunningServer {
  readonly dataDir: string
}

/** Starts Prometheus on 127.0.0.1 with no scrape jobs, waits for `/-/ready`. */
export async function startPrometheus(options: StartPrometheusOptions = {}): Promise<RunningPrometheus> {
  const dir = await mkdtemp(join(tmpdir(), 'slokit-prometheus-'))
  // A data directory passed in belongs to the caller (it outlives restarts); our own goes with `dir`.
  const dataDir = options.dataDir ?? join(dir, 'data')
  await mkdir(dataDir, { recursive: true })
  const config = [
    'global:',
    `  evaluation_interval: ${options.evaluationInterval ?? '1m'}`,
    ...(options.ruleFiles === undefined || options.ruleFiles.length === 0
      ? []
      : ['rule_files:', ...options.ruleFiles.map((file) => `  - ${JSON.stringify(file)}`)]),
    '',
  ].join('\n')
  await writeFile(join(dir, 'prometheus.yml'), config)
  const server = await startServer(
    'prometheus',
    (port) => [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${dataDir}`,
      `--web.listen-address=127.0.0.1:${port}`,
      // Backfilled data sits years in the past: keep it.
      '--storage.tsdb.retention.time=20y',
      '--log.level=warn',
    ],
    dir,
    '/-/ready',
  )
  return {
    ...server,
    dataDir,
    stop: async () => {
      await server.stop()
      await rm(dir, { recursive: true, force: true })
    },
  }
}

/** Starts a Pushgateway on 127.0.0.1, waits for `/-/ready`. */
export async function startPushgateway(): Promise<RunningServer> {
  const dir = await mkdtemp(join(tmpdir(), 'slokit-pushgateway-'))
  const server = await startServer(
    'prometheus-pushgateway',
    (port) => [`--web.listen-address=127.0.0.1:${port}`, '--web.enable-admin-api', '--log.level=warn'],
    dir,
    '/-/ready',
  )
  return {
    ...server,
    stop: async () => {
      await server.stop()
      await rm(dir, { recursive: true, force: true })
    },
  }
}

/** What a `promtool` run printed. */
export interface ToolResult {
  /** The exit code: 0 on success. */
  readonly code: number
  /** What it printed on standard output. */
  readonly stdout: string
  /** What it printed on standard error. */
  readonly stderr: string
}

/** Runs `promtool` with `args`. */
export function promtool(args: readonly string[], cwd?: string): Promise<ToolResult> {
  return new Promise((resolve) => {
    execFile('promtool', [...args], { cwd, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1
      resolve({ code, stdout, stderr })
    })
  })
}

/** One series of synthetic data: labels (with `__name__`) and `[epoch ms, value]` samples, ascending. */
export interface SyntheticSeries {
  readonly labels: Readonly<Record<string, string>>
  readonly samples: ReadonlyArray<readonly [number, number]>
  /** OpenMetrics type of the family; `unknown` by default. */
  readonly type?: 'counter' | 'gauge' | 'unknown' | undefined
}

const omValue = (v: number): string =>
  Number.isNaN(v)
    ? 'NaN'
    : v === Number.POSITIVE_INFINITY
      ? '+Inf'
      : v === Number.NEGATIVE_INFINITY
        ? '-Inf'
        : String(v)

/** Series as OpenMetrics text, families not interleaved, ending with `# EOF`. */
export function toOpenMetrics(series: readonly SyntheticSeries[]): string {
  const families = new Map<string, SyntheticSeries[]>()
  for (const s of series) {
    const name = s.labels.__name__ as string
    const family = s.type === 'counter' ? name.replace(/_total$/, '') : name
    families.set(family, [...(families.get(family) ?? []), s])
  }
  const lines: string[] = []
  for (const [family, members] of families) {
    lines.push(`# TYPE ${family} ${members[0]?.type ?? 'unknown'}`)
    for (const s of members) {
      const labels = Object.entries(s.labels)
        .filter(([name]) => name !== '__name__')
        .map(
          ([name, value]) =>
            `${name}="${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`,
        )
      const head = `${s.labels.__name__}${labels.length === 0 ? '' : `{${labels.join(',')}}`}`
      for (const [t, v] of s.samples) lines.push(`${head} ${omValue(v)} ${t / 1000}`)
    }
  }
  lines.push('# EOF', '')
  return lines.join('\n')
}

/**
 * Writes `series` into `dataDir` as TSDB blocks with `promtool tsdb create-blocks-from
 * openmetrics` (Prometheus must be stopped, or restarted afterwards to see them).
 */
export async function backfill(series: readonly SyntheticSeries[], dataDir: string): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'slokit-backfill-'))
  try {
    const file = join(work, 'data.om')
    await writeFile(file, toOpenMetrics(series))
    const out = join(work, 'blocks')
    // 54 h blocks (as a long-running server holds them): the default 2 h makes promtool ~30× slower.
    const result = await promtool([
      'tsdb',
      'create-blocks-from',
      'openmetrics',
      '--max-block-duration=54h',
      file,
      out,
    ])
    if (result.code !== 0)
      throw new Error(`promtool create-blocks-from openmetrics failed:\n${result.stderr}${result.stdout}`)
    for (const block of readdirSync(out)) renameSync(join(out, block), join(dataDir, block))
  } finally {
    await rm(work, { recursive: true, force: true })
  }
}

/** A minimal query client for tests: instant and range queries, values as numbers. */
export async function queryProm(
  url: string,
  query: string,
  timeMs: number,
): Promise<Array<{ metric: Record<string, string>; value: number }>> {
  const body = new URLSearchParams({ query, time: String(timeMs / 1000) })
  const response = await fetch(`${url}/api/v1/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
  })
  const json = (await response.json()) as {
    status: string
    error?: string
    data: { resultType: string; result: Array<{ metric: Record<string, string>; value: [number, string] }> }
  }
  if (json.status !== 'success') throw new Error(`query ${query} failed: ${json.error}`)
  return json.data.result.map((r) => ({
    metric: r.metric,
    value: Number(r.value[1].replace('+Inf', 'Infinity')),
  }))
}

async function queryRange(
  url: string,
  query: string,
  startMs: number,
  endMs: number,
  stepMs: number,
): Promise<Array<{ metric: Record<string, string>; values: Array<[number, number]> }>> {
  const out = new Map<string, { metric: Record<string, string>; values: Array<[number, number]> }>()
  for (let from = startMs; from <= endMs; from += 10_000 * stepMs) {
    const to = Math.min(endMs, from + 9_999 * stepMs)
    const body = new URLSearchParams({
      query,
      start: String(from / 1000),
      end: String(to / 1000),
      step: String(stepMs / 1000),
    })
    const response = await fetch(`${url}/api/v1/query_range`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    })
    const json = (await response.json()) as {
      status: string
      error?: string
      data: { result: Array<{ metric: Record<string, string>; values: Array<[number, string]> }> }
    }
    if (json.status !== 'success') throw new Error(`query_range ${query} failed: ${json.error}`)
    for (const r of json.data.result) {
      const key = JSON.stringify(Object.entries(r.metric).sort())
      const entry = out.get(key) ?? { metric: r.metric, values: [] }
      for (const [t, v] of r.values) entry.values.push([Math.round(t * 1000), Number(v)])
      out.set(key, entry)
    }
  }
  return [...out.values()]
}

/** A recording rule with the group it belongs to. */
export interface PlacedRule {
  readonly group: string
  readonly interval: string | undefined
  readonly rule: {
    readonly record: string
    readonly expr: string
    readonly labels?: Readonly<Record<string, string>> | undefined
  }
}

/**
 * The recording rules of `file` in dependency levels: level 0 reads only raw series, level k reads
 * only metrics recorded at levels below k (a metric counts as recorded once every rule writing it is).
 */
export function recordingLevels(file: RuleFile): PlacedRule[][] {
  const rules: PlacedRule[] = file.groups.flatMap((group) =>
    group.rules.flatMap((rule) =>
      'record' in rule ? [{ group: group.name, interval: group.interval, rule }] : [],
    ),
  )
  const writers = new Map<string, PlacedRule[]>()
  for (const r of rules) writers.set(r.rule.record, [...(writers.get(r.rule.record) ?? []), r])
  const levels = new Map<PlacedRule, number>()
  const levelOf = (r: PlacedRule, depth = 0): number => {
    const known = levels.get(r)
    if (known !== undefined) return known
    if (depth > 100) throw new Error('recording rules depend on each other in a cycle')
    let level = 0
    for (const [name, ws] of writers) {
      if (name === r.rule.record || !readsMetric(r.rule.expr, name)) continue
      for (const w of ws) level = Math.max(level, levelOf(w, depth + 1) + 1)
    }
    levels.set(r, level)
    return level
  }
  const out: PlacedRule[][] = []
  for (const r of rules) {
    const level = levelOf(r)
    while (out.length <= level) out.push([])
    out[level]?.push(r)
  }
  return out
}

function readsMetric(expr: string, name: string): boolean {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  return new RegExp(`(^|[^A-Za-z0-9_:])${escaped}($|[^A-Za-z0-9_:])`).test(expr)
}

/** Options of {@link backfillRecordingRules}. */
export interface BackfillRulesOptions {
  /** The last evaluation time, on the grid of every group's interval. */
  readonly atMs: number
  /** How far back rules whose output others read over a range (the tiles) are evaluated. */
  readonly historyMs: number
}

/**
 * Evaluates the recording rules of `file` the way Prometheus's rule manager does (each rule's
 * PromQL, at its group's interval, rule labels over the result's labels), with the real server
 * behind `prometheus`, level by level; writes every level's output into the TSDB as blocks and
 * restarts Prometheus before the next level reads it. Evaluation times are multiples of each
 * group's interval (a group whose evaluation offset is 0), so tests can query at `atMs`.
 * Rules read over a range are evaluated over `historyMs` before `atMs`; the others at `atMs` only.
 * Returns the restarted Prometheus.
 */
export async function backfillRecordingRules(
  prometheus: RunningPrometheus,
  file: RuleFile,
  options: BackfillRulesOptions,
): Promise<RunningPrometheus> {
  let server = prometheus
  const levels = recordingLevels(file)
  const history = needingHistory(levels.flat())
  for (const level of levels) {
    const series: SyntheticSeries[] = []
    for (const { interval, rule } of level) {
      const stepMs = parseSimpleDuration(interval ?? '1m')
      const startMs = history.has(rule.record)
        ? options.atMs - Math.floor(options.historyMs / stepMs) * stepMs
        : options.atMs
      const result = await queryRange(server.url, rule.expr, startMs, options.atMs, stepMs)
      for (const r of result) {
        const labels: Record<string, string> = { ...r.metric, ...rule.labels, __name__: rule.record }
        series.push({ labels, samples: r.values })
      }
    }
    if (series.length === 0) continue
    const dataDir = server.dataDir
    await server.stop().catch(() => {})
    await backfill(series, dataDir)
    server = await startPrometheus({ dataDir })
  }
  return server
}

/** Metrics read over a range by some rule, and (transitively) what those are computed from. */
function needingHistory(rules: readonly PlacedRule[]): Set<string> {
  const literal = (name: string) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const needed = new Set(
    rules
      .map((r) => r.rule.record)
      .filter((name) => rules.some((r) => new RegExp(`${literal(name)}\\{[^}]*\\}\\[`).test(r.rule.expr))),
  )
  for (let grew = true; grew; ) {
    grew = false
    for (const r of rules) {
      if (!needed.has(r.rule.record)) continue
      for (const other of rules) {
        if (!needed.has(other.rule.record) && readsMetric(r.rule.expr, other.rule.record)) {
          needed.add(other.rule.record)
          grew = true
        }
      }
    }
  }
  return needed
}

function parseSimpleDuration(text: string): number {
  const units: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }
  let ms = 0
  for (const [, n, unit] of text.matchAll(/(\d+)([smhd])/g))
    ms += Number(n) * (units[unit as string] as number)
  return ms
}
