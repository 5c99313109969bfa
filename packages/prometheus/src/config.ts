import { durationSchema, type Logger, Secret, secretSchema } from '@slokit/core'
import { z } from 'zod'
import type { FetchLike, Timers } from './http.js'
import { PrometheusSource } from './prometheus-source.js'

const headerValue = z.union([z.instanceof(Secret), z.string()])

/**
 * A Prometheus source in a configuration's `sources` section. Durations are strings (`30s`,
 * `1m`) and parse to milliseconds; `token` and `basicAuth.password` are secrets, written as
 * `${env:NAME}` so the value never sits in the file.
 *
 * @example
 * ```yaml
 * sources:
 *   prometheus:
 *     type: prometheus
 *     url: http://prometheus.monitoring:9090
 *     token: ${env:PROMETHEUS_TOKEN}
 *     timeout: 30s
 *     step: 1m
 *     headers: { X-Scope-OrgID: shop }
 * ```
 */
export const prometheusSourceConfigSchema = z
  .strictObject({
    type: z.literal('prometheus'),
    url: z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' }),
    token: secretSchema.optional(),
    basicAuth: z.strictObject({ username: z.string().min(1), password: secretSchema }).optional(),
    headers: z.record(z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/), headerValue).optional(),
    timeout: durationSchema.optional(),
    step: durationSchema.optional(),
  })
  .superRefine((config, ctx) => {
    if (config.token !== undefined && config.basicAuth !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['basicAuth'], message: 'give `token` or `basicAuth`, not both' })
    }
    if (config.step !== undefined && (config.step < 1000 || config.step % 1000 !== 0)) {
      ctx.addIssue({
        code: 'custom',
        path: ['step'],
        message: 'must be a whole number of seconds, e.g. 30s or 1m',
      })
    }
    // Refinements run even when `url` itself failed: only look inside a URL that parses.
    const url = URL.canParse(config.url) ? new URL(config.url) : undefined
    if (url !== undefined && (url.username !== '' || url.password !== '')) {
      ctx.addIssue({
        code: 'custom',
        path: ['url'],
        message: 'must not contain credentials: use `token` or `basicAuth` with ${env:…} secrets',
      })
    }
  })

/** A Prometheus source's configuration as written (durations as strings). */
export type PrometheusSourceConfigInput = z.input<typeof prometheusSourceConfigSchema>

/** A Prometheus source's configuration after {@link prometheusSourceConfigSchema} parsed it (durations in ms). */
export type PrometheusSourceConfig = z.output<typeof prometheusSourceConfigSchema>

/** Options of {@link createPrometheusSource}: what a configuration file cannot hold. */
export interface CreatePrometheusSourceOptions {
  /** The source's name, e.g. its key in the `sources` section; `prometheus` by default. */
  readonly name?: string | undefined
  /** See {@link PrometheusSourceOptions.fetch}. */
  readonly fetch?: FetchLike | undefined
  /** See {@link PrometheusSourceOptions.timers}. */
  readonly timers?: Timers | undefined
  /** See {@link PrometheusSourceOptions.logger}. */
  readonly logger?: Logger | undefined
}

/**
 * Builds a {@link PrometheusSource} from a parsed configuration entry.
 *
 * @example
 * ```ts
 * const config = prometheusSourceConfigSchema.parse({ type: 'prometheus', url: 'http://prometheus:9090', step: '1m' })
 * const source = createPrometheusSource(config, { name: 'prometheus' })
 * ```
 * @throws `SlokitError` `INVALID_ARGUMENT` as {@link PrometheusSource} does.
 */
export function createPrometheusSource(
  config: PrometheusSourceConfig,
  options: CreatePrometheusSourceOptions = {},
): PrometheusSource {
  return new PrometheusSource({
    url: config.url,
    name: options.name,
    bearerToken: config.token,
    basicAuth: config.basicAuth,
    headers: config.headers,
    timeoutMs: config.timeout,
    stepMs: config.step,
    fetch: options.fetch,
    timers: options.timers,
    logger: options.logger,
  })
}
