import {
  type AlertsSection,
  alertsSectionSchema,
  type ChannelType,
  channelsSectionSchema,
  createNotifiers,
  type Notifier,
} from '@slokit/alerting'
import { type PoliciesSection, policiesSectionSchema } from '@slokit/budget'
import { parseConfig } from '@slokit/config'
import { type Clock, type Logger, noopLogger, type SloSpec, systemClock } from '@slokit/core'
import { createEngine, type Engine } from '@slokit/engine'
import { pagerdutyChannelType } from '@slokit/pagerduty'
import { PrometheusSource } from '@slokit/prometheus'
import { type Sleep, slackChannelType } from '@slokit/slack'

/** Options of {@link startPipeline}: the config, and everything the host owns. */
export interface PipelineOptions {
  /** slokit YAML with `slos` (PromQL SLIs), `alerts`, `policies` and `channels` (see `pipelineConfig`). */
  readonly configText: string
  /** Where `${env:NAME}` secrets are read; pass `process.env` in production. */
  readonly env: Readonly<Record<string, string | undefined>>
  /** The Prometheus (or Thanos, Mimir, VictoriaMetrics) HTTP API the SLIs are read from. */
  readonly prometheusUrl: string
  /** The system clock by default. */
  readonly clock?: Clock | undefined
  /** The global `fetch` by default; Slack and PagerDuty requests go through it. */
  readonly fetch?: typeof fetch | undefined
  /** Drops everything by default. */
  readonly logger?: Logger | undefined
  /** How Slack pacing waits (one message a second per webhook); a real timer by default. */
  readonly sleep?: Sleep | undefined
}

/** What {@link startPipeline} built. */
export interface Pipeline {
  /** Not running yet: `engine.start()` evaluates every minute; `engine.tick()` once. */
  readonly engine: Engine
  /** One notifier per configured channel, by channel name. */
  readonly notifiers: Readonly<Record<string, Notifier>>
  readonly slos: readonly SloSpec[]
  readonly source: PrometheusSource
}

/**
 * Wires the pipeline: Prometheus → SLO evaluation → burn-rate alerts and error-budget policies →
 * Slack and PagerDuty. Validates the whole config first (every problem at once, with file, line and
 * column), then builds a `PrometheusSource`, a notifier per channel and the engine. Alert state,
 * freezes and the outbox live in memory here; hand `createEngine` file stores to keep them across
 * restarts (see the notifications example).
 *
 * @example
 * ```ts
 * const pipeline = startPipeline({
 *   configText: await readFile('slokit.yaml', 'utf8'),
 *   env: process.env,
 *   prometheusUrl: 'http://prometheus:9090',
 * })
 * pipeline.engine.start()
 * ```
 * @throws `SlokitConfigError` listing every problem of the config.
 */
export function startPipeline(options: PipelineOptions): Pipeline {
  const clock = options.clock ?? systemClock
  const logger = options.logger ?? noopLogger
  const io = { clock, logger, ...(options.fetch === undefined ? {} : { fetch: options.fetch }) }
  const channelTypes: Record<string, ChannelType> = {
    slack: slackChannelType({ ...io, ...(options.sleep === undefined ? {} : { sleep: options.sleep }) }),
    pagerduty: pagerdutyChannelType(io),
  }
  const config = parseConfig([{ name: 'slokit.yaml', text: options.configText }], {
    env: options.env,
    sections: {
      alerts: alertsSectionSchema,
      policies: policiesSectionSchema,
      channels: channelsSectionSchema(channelTypes),
    },
  })
  const source = new PrometheusSource({ url: options.prometheusUrl, logger })
  const notifiers = createNotifiers(
    (config.sections.channels ?? {}) as Readonly<Record<string, { type: string }>>,
    channelTypes,
  )
  const engine = createEngine({
    slos: config.slos,
    sources: { [source.name]: source },
    defaultSource: source.name,
    ...(config.sections.alerts === undefined ? {} : { alerts: config.sections.alerts as AlertsSection }),
    ...(config.sections.policies === undefined
      ? {}
      : { policies: config.sections.policies as PoliciesSection }),
    notifiers,
    clock,
    logger,
  })
  return { engine, notifiers, slos: config.slos, source }
}
