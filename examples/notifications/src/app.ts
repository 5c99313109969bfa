import { join } from 'node:path'
import {
  type AlertsSection,
  alertsSectionSchema,
  type ChannelType,
  channelsSectionSchema,
  consoleChannelType,
  createNotifiers,
  FileAlertStateStore,
  FileOutboxStore,
  type Notifier,
  type RetryPolicy,
  webhookChannelType,
} from '@slokit/alerting'
import { type ConfigIssue, parseConfig } from '@slokit/config'
import { type Clock, type Logger, noopLogger, type SliSource, type SloSpec, systemClock } from '@slokit/core'
import { createEngine, type Engine } from '@slokit/engine'
import { pagerdutyChannelType } from '@slokit/pagerduty'
import { type Sleep, slackChannelType } from '@slokit/slack'

/** Options of {@link startNotifications}: the config, and everything the host owns. */
export interface NotificationsOptions {
  /** slokit YAML with `slos`, `alerts` and `channels` (see `notificationsConfig`). */
  readonly configText: string
  /** Shown in config errors; `slokit.yaml` by default. */
  readonly configName?: string | undefined
  /** Where `${env:NAME}` secrets are read; pass `process.env` in production. */
  readonly env: Readonly<Record<string, string | undefined>>
  /** Where the SLIs' event counts come from (a `PrometheusSource` in production). */
  readonly source: SliSource
  /** The directory that keeps the outbox (`outbox.jsonl`) and the alert states (`alerts.json`). */
  readonly stateDir: string
  /** The system clock by default. */
  readonly clock?: Clock | undefined
  /** The global `fetch` by default; every Slack and PagerDuty request goes through it. */
  readonly fetch?: typeof fetch | undefined
  /** Drops everything by default. */
  readonly logger?: Logger | undefined
  /** How Slack pacing waits (one message a second per webhook); a real timer by default. */
  readonly sleep?: Sleep | undefined
  /** The outbox's retry policy (first retry after 1 s, doubling up to 5 min, give up after 24 h). */
  readonly retry?: Partial<RetryPolicy> | undefined
  /** Random numbers in [0, 1) for retry jitter; `Math.random` by default. */
  readonly random?: (() => number) | undefined
}

/** What {@link startNotifications} built. */
export interface NotificationsApp {
  /** Not running yet: call `engine.start()` (or `engine.tick()` on your own schedule). */
  readonly engine: Engine
  /** One notifier per configured channel, by channel name. */
  readonly notifiers: Readonly<Record<string, Notifier>>
  readonly slos: readonly SloSpec[]
  /** The durable outbox: one JSON line per state change of a notification. */
  readonly outboxPath: string
  /** What the config loader warned about. */
  readonly warnings: readonly ConfigIssue[]
}

/**
 * Wires slokit into a host: validates the config (SLOs, `alerts`, and `channels` of the types
 * `console`, `webhook`, `slack` and `pagerduty`, secrets from `env`), builds a notifier per
 * channel with the host's `fetch`, clock and logger, and creates the engine with a durable outbox
 * and alert state in `stateDir`. Every problem in the config is reported at once, before anything
 * runs.
 *
 * @example
 * ```ts
 * const app = startNotifications({
 *   configText: await readFile('slokit.yaml', 'utf8'),
 *   env: process.env,
 *   source: new PrometheusSource({ url: 'http://prometheus:9090' }),
 *   stateDir: '.slokit',
 *   logger,
 * })
 * app.engine.start()
 * process.on('SIGTERM', () => void app.engine.stop())
 * ```
 * @throws `SlokitConfigError` listing every problem of the config; `SlokitError` `INVALID_CONFIG`
 * when a channel cannot be built or a route names a channel that does not exist.
 */
export function startNotifications(options: NotificationsOptions): NotificationsApp {
  const clock = options.clock ?? systemClock
  const logger = options.logger ?? noopLogger
  const io = {
    clock,
    logger,
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  }
  const channelTypes: Record<string, ChannelType> = {
    console: consoleChannelType,
    webhook: webhookChannelType,
    // One channel type (and so one Slack pacer) for every Slack channel of the config.
    slack: slackChannelType({ ...io, ...(options.sleep === undefined ? {} : { sleep: options.sleep }) }),
    pagerduty: pagerdutyChannelType(io),
  }
  const config = parseConfig([{ name: options.configName ?? 'slokit.yaml', text: options.configText }], {
    env: options.env,
    sections: { alerts: alertsSectionSchema, channels: channelsSectionSchema(channelTypes) },
  })
  const channels = (config.sections.channels ?? {}) as Readonly<Record<string, { type: string }>>
  const notifiers = createNotifiers(channels, channelTypes)
  const outboxPath = join(options.stateDir, 'outbox.jsonl')
  const engine = createEngine({
    slos: config.slos,
    sources: { [options.source.name]: options.source },
    defaultSource: options.source.name,
    ...(config.sections.alerts === undefined ? {} : { alerts: config.sections.alerts as AlertsSection }),
    notifiers,
    stores: {
      outbox: new FileOutboxStore(outboxPath),
      alerts: new FileAlertStateStore(join(options.stateDir, 'alerts.json')),
    },
    clock,
    logger,
    ...(options.retry === undefined ? {} : { retry: options.retry }),
    ...(options.random === undefined ? {} : { random: options.random }),
  })
  return { engine, notifiers, slos: config.slos, outboxPath, warnings: config.warnings }
}
