import { createServer, type Server } from 'node:http'
import { dirname, resolve } from 'node:path'
import { type AlertsSection, createNotifiers, FileAlertStateStore, FileOutboxStore } from '@slokit/alerting'
import { createGateHandler, evaluateGate, FileFreezeStore, policiesSectionSchema } from '@slokit/budget'
import { type Logger, parseDuration, type SliSource, SlokitError } from '@slokit/core'
import { createEngine, type Engine, FileJobStateStore } from '@slokit/engine'
import { createFileSource, type FileSourceConfig } from '@slokit/file-source'
import { createPrometheusSource, type PrometheusSourceConfig } from '@slokit/prometheus'
import { FileStatusHistory, historySink, type ReportingSection, reportJobs } from '@slokit/reporter'
import { type CommandContext, ExitError, loadForCommand } from '../context.js'
import { policiesOf } from '../evaluate-slos.js'
import { renderStatuses } from '../render-status.js'
import { CHANNEL_TYPES } from '../sections.js'
import { parseInstant } from './evaluate.js'

/** Options of `slokit run`. */
export interface RunEngineOptions {
  readonly config: readonly string[]
  /** Where the outbox, alert states, freezes, job runs and status history are kept; `.slokit` by default. */
  readonly stateDir?: string
  /** How often to evaluate, a duration (`1m` by default). */
  readonly interval?: string
  /** Evaluate once, deliver what is due, print the statuses and exit (for cron and CI). */
  readonly once?: boolean
  /** With `--once`: evaluate at this time instead of now. */
  readonly at?: string
  /** Serve `/healthz`, `/status` and `/gate` on this port (`8080` or `127.0.0.1:8080`). */
  readonly listen?: string
  /** Thinning of the status history kept for reports, a duration (`5m` by default). */
  readonly historyInterval?: string
}

type SourceConfig = (PrometheusSourceConfig | FileSourceConfig) & { type: string }

/** A logger writing one line per entry to stderr, fields as `key=value`. */
function stderrLogger(ctx: CommandContext): Logger {
  const c = ctx.colors
  const line =
    (level: string, colour: (text: string) => string) =>
    (message: string, fields?: Record<string, unknown>) => {
      const extra = Object.entries(fields ?? {})
        .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
        .join(' ')
      ctx.io.stderr.write(
        `${c.dim(new Date(ctx.io.now()).toISOString())} ${colour(level)} ${message}${extra === '' ? '' : ` ${c.dim(extra)}`}\n`,
      )
    }
  return {
    debug: () => {},
    info: line('info ', (t) => t),
    warn: line('warn ', c.yellow),
    error: line('error', c.red),
  }
}

function duration(ctx: CommandContext, flag: string, text: string): number {
  try {
    const ms = parseDuration(text)
    if (ms > 0) return ms
  } catch {
    // reported below
  }
  ctx.io.stderr.write(
    `${ctx.colors.red('error')}: ${flag} ${JSON.stringify(text)} is not a duration like 30s, 1m or 5m\n`,
  )
  throw new ExitError(2)
}

function listenAddress(ctx: CommandContext, text: string): { host: string; port: number } {
  const match = /^(?:(.+):)?(\d{1,5})$/.exec(text)
  const port = Number(match?.[2])
  if (match === null || !(port >= 0 && port <= 65535)) {
    ctx.io.stderr.write(
      `${ctx.colors.red('error')}: --listen ${JSON.stringify(text)} is not a port or host:port\n`,
    )
    throw new ExitError(2)
  }
  return { host: match[1] ?? '0.0.0.0', port }
}

/**
 * `slokit run --config …`: the engine as a process, wired from the config alone — sources from
 * `sources`, notifiers from `channels`, alert rules, policies and scheduled reports — with every
 * piece of state in files under `--state-dir`, so a restart loses nothing and pages nobody twice.
 * With `--once` it evaluates once, delivers what is due and exits: run it from cron, and the
 * state directory carries the alert states and the outbox from one run to the next.
 */
export async function runEngineCommand(options: RunEngineOptions, ctx: CommandContext): Promise<void> {
  const { io, colors: c } = ctx
  const intervalMs = duration(ctx, '--interval', options.interval ?? '1m')
  const historyIntervalMs = duration(ctx, '--history-interval', options.historyInterval ?? '5m')
  if (options.at !== undefined && options.once !== true) {
    io.stderr.write(`${c.red('error')}: --at needs --once: a running engine evaluates at the current time\n`)
    throw new ExitError(2)
  }
  const at = options.at === undefined ? undefined : parseInstant(options.at)
  if (options.at !== undefined && at === undefined) {
    io.stderr.write(`${c.red('error')}: --at ${JSON.stringify(options.at)} is not a time\n`)
    throw new ExitError(2)
  }
  const address = options.listen === undefined ? undefined : listenAddress(ctx, options.listen)

  // Secrets are used here: an unset one is an error, not a warning.
  const config = await loadForCommand(ctx, options.config, false, 'error')
  const baseDir = dirname(resolve(options.config[0] ?? '.'))
  const stateDir = resolve(options.stateDir ?? '.slokit')
  const logger = stderrLogger(ctx)

  const sourceConfigs = (config.sections.sources ?? {}) as Record<string, SourceConfig>
  if (Object.keys(sourceConfigs).length === 0) {
    io.stderr.write(
      `${c.red('error')}: the config has no \`sources\` section: \`slokit run\` needs to know where the SLIs are read from\n`,
    )
    throw new ExitError(1)
  }
  const sources: Record<string, SliSource> = {}
  for (const [name, source] of Object.entries(sourceConfigs)) {
    sources[name] =
      source.type === 'prometheus'
        ? createPrometheusSource(source as PrometheusSourceConfig, { name, logger })
        : createFileSource(source as FileSourceConfig, { name, baseDir })
  }
  const channels = (config.sections.channels ?? {}) as Record<string, { type: string }>
  const notifiers = createNotifiers(channels, CHANNEL_TYPES)
  const history = new FileStatusHistory(resolve(stateDir, 'history.jsonl'), {
    minIntervalMs: historyIntervalMs,
    logger,
  })

  let engine: Engine
  try {
    engine = createEngine({
      slos: config.slos,
      sources,
      notifiers,
      alerts: config.sections.alerts as AlertsSection | undefined,
      policies: policiesOf(config),
      stores: {
        outbox: new FileOutboxStore(resolve(stateDir, 'outbox.jsonl')),
        alerts: new FileAlertStateStore(resolve(stateDir, 'alerts.json')),
        freeze: new FileFreezeStore(resolve(stateDir, 'freezes.json')),
        jobs: new FileJobStateStore(resolve(stateDir, 'jobs.json')),
        history: historySink(history),
      },
      jobs: reportJobs(config.sections.reporting as ReportingSection | undefined, {
        history,
        slos: config.slos,
        baseDir,
      }),
      evaluationIntervalMs: intervalMs,
      clock: { now: () => io.now() },
      logger,
    })
  } catch (error) {
    if (!(error instanceof SlokitError)) throw error
    io.stderr.write(`${c.red('error')}: ${error.message}\n`)
    throw new ExitError(1)
  }

  engine.on('alert', (transition) =>
    logger.info(`alert ${transition.kind}: ${transition.state.alertId}`, {
      slo: transition.state.sloId,
      severity: transition.state.severity,
      reason: transition.state.reason,
    }),
  )
  engine.on('freeze', (transition) => {
    if (transition.kind === 'entered' || transition.kind === 'left') {
      logger.info(
        `deployments to ${transition.service} ${transition.kind === 'entered' ? 'frozen' : 'unfrozen'}`,
        {
          reason: transition.reason,
        },
      )
    }
  })
  engine.on('job', (job) => logger.info(`job ${job.name} ran`, { notifications: job.notifications }))
  engine.on('delivery', ({ entry, result }) => {
    if (!result.ok) {
      logger.warn(`delivery to ${entry.notification.channel} failed: ${result.error ?? 'no reason given'}`, {
        notification: entry.notification.id,
        status: entry.status,
      })
    }
  })

  if (options.once === true) {
    const result = await engine.tick(at ?? io.now())
    await engine.stop()
    io.stdout.write(`${renderStatuses(result.statuses, config.slos, c)}\n`)
    const delivered = result.deliveries.filter((d) => d.entry.status === 'delivered').length
    const pending = (await engine.outbox.entries()).filter((e) => e.status === 'pending').length
    const stale = result.statuses.filter((s) => s.budget === null).length
    io.stderr.write(
      `${result.statuses.length} SLOs evaluated${stale === 0 ? '' : c.yellow(`, ${stale} stale`)}; ${delivered} notifications delivered${pending === 0 ? '' : c.yellow(`, ${pending} waiting for a retry in ${stateDir}`)}\n`,
    )
    return
  }

  let lastTick: { atMs: number; slos: number; stale: number } | undefined
  engine.on('tick', (tick) => {
    lastTick = tick
    logger.info(
      `evaluated ${tick.slos} SLOs in ${tick.durationMs} ms`,
      tick.stale === 0 ? {} : { stale: tick.stale },
    )
  })
  const gateSettings = policiesOf(config)?.gate ?? policiesSectionSchema.parse({}).gate
  const server =
    address === undefined
      ? undefined
      : serve(engine, config.slos, gateSettings, () => lastTick, intervalMs, ctx)
  if (server !== undefined && address !== undefined) {
    await new Promise<void>((done, fail) => {
      server.once('error', fail)
      server.listen(address.port, address.host, () => done())
    })
    const bound = server.address()
    logger.info(
      `serving /healthz, /status and /gate on ${address.host}:${typeof bound === 'object' && bound !== null ? bound.port : address.port}`,
    )
  }

  engine.start()
  logger.info(
    `engine started: ${config.slos.length} SLOs every ${options.interval ?? '1m'}, state in ${stateDir}`,
  )
  // The engine's timers never keep a process alive; this command is the process, so it does.
  const keepAlive = setInterval(() => {}, 2 ** 30)
  await new Promise<void>((stopped) => {
    const unsubscribe = io.onShutdown?.(() => stopped())
    if (unsubscribe === undefined) stopped()
  })
  logger.info('stopping: finishing the evaluation and deliveries in flight')
  await engine.stop()
  clearInterval(keepAlive)
  if (server !== undefined) await new Promise<void>((done) => server.close(() => done()))
  logger.info('stopped')
}

/** `/healthz` (503 until the first evaluation or when evaluations stopped), `/status` and `/gate`. */
function serve(
  engine: Engine,
  slos: Parameters<typeof evaluateGate>[0]['slos'],
  settings: Parameters<typeof evaluateGate>[0]['settings'],
  lastTick: () => { atMs: number; slos: number; stale: number } | undefined,
  intervalMs: number,
  ctx: CommandContext,
): Server {
  const gate = createGateHandler({
    evaluate: async (service, changeType) =>
      evaluateGate({
        service,
        changeType,
        slos,
        statuses: engine.statuses(),
        settings,
        freeze: await engine.freezes.isAllowed(service, changeType),
        now: ctx.io.now(),
      }),
  })
  return createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://slokit.local').pathname
    const json = (status: number, body: unknown) => {
      response.writeHead(status, {
        'content-type': 'application/json; charset=utf-8',
        'cache-control': 'no-store',
      })
      response.end(JSON.stringify(body))
    }
    if (path === '/healthz') {
      const tick = lastTick()
      const healthy = tick !== undefined && ctx.io.now() - tick.atMs <= 3 * intervalMs
      return json(healthy ? 200 : 503, {
        status: healthy ? 'ok' : tick === undefined ? 'starting' : 'stalled',
        lastEvaluationAtMs: tick?.atMs ?? null,
        slos: tick?.slos ?? 0,
        stale: tick?.stale ?? 0,
      })
    }
    if (path === '/status') return json(200, { statuses: engine.statuses() })
    return gate(request, response)
  })
}
