import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'

/** One counter series to backfill: labels (with `__name__`) and `[epoch ms, value]` samples, ascending. */
export interface CounterSeries {
  readonly labels: Readonly<Record<string, string>>
  readonly samples: ReadonlyArray<readonly [number, number]>
}

/** A Prometheus started by {@link startLocalPrometheus}. */
export interface LocalPrometheus {
  /** `http://127.0.0.1:PORT` */
  readonly url: string
  readonly pid: number
  /** Stops the process by its PID and removes its temporary directory. */
  stop(): Promise<void>
}

/** Why a local Prometheus cannot start here, or `undefined` when `prometheus` and `promtool` are installed. */
export function missingPrometheus(): string | undefined {
  const onPath = (name: string) =>
    (process.env.PATH ?? '').split(delimiter).some((dir) => dir !== '' && existsSync(join(dir, name)))
  const missing = ['prometheus', 'promtool'].filter((name) => !onPath(name))
  return missing.length === 0
    ? undefined
    : `${missing.join(' and ')} not installed (Debian/Ubuntu: apt-get install prometheus)`
}

/**
 * Starts a throw-away Prometheus on 127.0.0.1 (a free port, a temporary data directory, no scrape
 * jobs) holding `series`, backfilled with `promtool tsdb create-blocks-from openmetrics`. Resolves
 * once `/-/ready` answers. Stop it with `stop()`; a process that exits first kills it too.
 *
 * @throws `Error` with promtool's or Prometheus's output when backfilling or starting fails.
 */
export async function startLocalPrometheus(series: readonly CounterSeries[]): Promise<LocalPrometheus> {
  const dir = await mkdtemp(join(tmpdir(), 'slokit-example-prometheus-'))
  try {
    const dataDir = join(dir, 'data')
    await mkdir(dataDir)
    await backfill(series, dir, dataDir)
    await writeFile(join(dir, 'prometheus.yml'), 'global:\n  evaluation_interval: 1m\n')
    const port = await freePort()
    const child = spawn(
      'prometheus',
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${dataDir}`,
        `--web.listen-address=127.0.0.1:${port}`,
        // The backfilled data sits in the past: keep it.
        '--storage.tsdb.retention.time=20y',
        '--log.level=warn',
      ],
      { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] },
    )
    let output = ''
    child.stderr?.on('data', (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-10_000)
    })
    const kill = () =>
      child.exitCode === null && child.pid !== undefined && process.kill(child.pid, 'SIGKILL')
    process.once('exit', kill)
    const url = `http://127.0.0.1:${port}`
    const stop = async () => {
      process.off('exit', kill)
      await stopChild(child)
      await rm(dir, { recursive: true, force: true })
    }
    try {
      await waitReady(url, child, () => output)
    } catch (error) {
      await stop()
      throw error
    }
    return { url, pid: child.pid as number, stop }
  } catch (error) {
    await rm(dir, { recursive: true, force: true })
    throw error
  }
}

async function backfill(series: readonly CounterSeries[], dir: string, dataDir: string): Promise<void> {
  const lines: string[] = []
  for (const name of new Set(series.map((s) => s.labels.__name__ as string))) {
    lines.push(`# TYPE ${name.replace(/_total$/, '')} counter`)
    for (const s of series.filter((x) => x.labels.__name__ === name)) {
      const labels = Object.entries(s.labels)
        .filter(([label]) => label !== '__name__')
        .map(([label, value]) => `${label}=${JSON.stringify(value)}`)
      for (const [t, v] of s.samples) lines.push(`${name}{${labels.join(',')}} ${v} ${t / 1000}`)
    }
  }
  lines.push('# EOF', '')
  const file = join(dir, 'data.om')
  await writeFile(file, lines.join('\n'))
  const blocks = join(dir, 'blocks')
  await new Promise<void>((resolve, reject) => {
    // 54 h blocks, as a long-running server holds them; the default 2 h is far slower to write.
    const args = ['tsdb', 'create-blocks-from', 'openmetrics', '--max-block-duration=54h', file, blocks]
    execFile('promtool', args, { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) =>
      error === null
        ? resolve()
        : reject(new Error(`promtool ${args.join(' ')} failed:\n${stderr}${stdout}`)),
    )
  })
  for (const block of await readdir(blocks)) await rename(join(blocks, block), join(dataDir, block))
}

async function waitReady(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 30_000
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`prometheus exited with code ${child.exitCode}:\n${output()}`)
    const ready = await fetch(`${url}/-/ready`).then(
      async (response) => {
        await response.text()
        return response.ok
      },
      () => false,
    )
    if (ready) return
    if (Date.now() > deadline) throw new Error(`prometheus was not ready within 30 s:\n${output()}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return
  const exited = new Promise((resolve) => child.once('exit', resolve))
  process.kill(child.pid, 'SIGTERM')
  const timer = setTimeout(
    () => child.exitCode === null && child.pid && process.kill(child.pid, 'SIGKILL'),
    5_000,
  )
  await exited
  clearTimeout(timer)
}

function freePort(): Promise<number> {
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
