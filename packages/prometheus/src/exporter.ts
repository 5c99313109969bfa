/**
 * `@slokit/prometheus/exporter`: SLO metrics on a prom-client registry. A subpath of its own, so
 * that only hosts exporting metrics need `prom-client` (an optional peer dependency): reading
 * Prometheus and generating rules never load it.
 *
 * @module
 */
import { formatDuration, SlokitError, type SloStatus } from '@slokit/core'
import { Counter, Gauge, Registry } from 'prom-client'

/** The outcomes `sli_collection_total` counts, one `result` label value each. */
export const SLI_COLLECTION_RESULTS = ['success', 'no_data', 'failure'] as const
/**
 * One of {@link SLI_COLLECTION_RESULTS}: `success` (the source answered with data), `no_data`
 * (it answered, with nothing in the window), `failure` (it failed or timed out; the status is stale).
 */
export type SliCollectionResult = (typeof SLI_COLLECTION_RESULTS)[number]

/** Options of {@link SloMetrics}. */
export interface SloMetricsOptions {
  /**
   * The registry to register on: your service's, so the metrics appear on its `/metrics`. A new,
   * private `Registry` by default, never prom-client's global one.
   */
  readonly registry?: Registry | undefined
  /** Put before every metric name, e.g. `checkout_`; none by default. */
  readonly prefix?: string | undefined
}

/** The SLO an observation is about: its id and service. */
export interface SloRef {
  readonly id: string
  readonly service: string
}

/**
 * SLO metrics for Prometheus to scrape, from the statuses slokit computes in-process (for
 * example by the engine, or `evaluateSlo` in a cron job). Registered on the host's prom-client
 * `Registry`; the labels are `slo` and `slo_service` (plus `slo_window`, `result`), the same as
 * the `slokit` naming of the generated rules.
 *
 * | metric | type | meaning |
 * | --- | --- | --- |
 * | `slo_objective_ratio` | gauge | the objective, e.g. 0.999 |
 * | `slo_compliance_ratio` | gauge | the SLI over the SLO window; absent without data (never 1 by default) |
 * | `slo_error_budget_remaining_ratio` | gauge | budget left, 1 → 0, negative once overspent |
 * | `slo_error_budget_consumed_ratio` | gauge | budget spent, 0 → 1 and beyond |
 * | `slo_burn_rate` | gauge | burn rate per `slo_window` (5m … 3d); absent for a window without events |
 * | `slo_data_coverage_ratio` | gauge | share of the window the status has data for |
 * | `slo_breaches_total` | counter | times the SLO went from met (or unknown) to missed |
 * | `slo_deployment_freeze_active` | gauge | 1 while deployments of `slo_service` are frozen |
 * | `sli_collection_total` | counter | SLI collections by `result`: success, no_data, failure |
 *
 * The budget spent is a gauge (`…_consumed_ratio`), not a `…_total` counter: over a rolling
 * window it goes down as old errors leave it, and Prometheus reserves `_total` for counters.
 *
 * @example
 * ```ts
 * import { Registry } from 'prom-client'
 * import { SloMetrics } from '@slokit/prometheus/exporter'
 *
 * const registry = new Registry()
 * const metrics = new SloMetrics({ registry })
 * metrics.update(evaluateSlo(slo, series, { now: Date.now() }))
 * metrics.recordCollection(slo, 'success')
 * app.get('/metrics', async (_req, res) => res.type(registry.contentType).send(await registry.metrics()))
 * ```
 */
export class SloMetrics {
  /** The registry the metrics are registered on. */
  readonly registry: Registry
  private readonly objective: Gauge<'slo' | 'slo_service'>
  private readonly compliance: Gauge<'slo' | 'slo_service'>
  private readonly remaining: Gauge<'slo' | 'slo_service'>
  private readonly consumed: Gauge<'slo' | 'slo_service'>
  private readonly burnRate: Gauge<'slo' | 'slo_service' | 'slo_window'>
  private readonly coverage: Gauge<'slo' | 'slo_service'>
  private readonly breaches: Counter<'slo' | 'slo_service'>
  private readonly freeze: Gauge<'slo_service'>
  private readonly collections: Counter<'slo' | 'slo_service' | 'result'>
  /** Per SLO: its service, whether it was last met, and the burn-rate windows exported. */
  private readonly known = new Map<string, { service: string; met: boolean | null; windows: Set<string> }>()
  /** Per SLO whose collections are counted: its service. */
  private readonly collecting = new Map<string, string>()

  /**
   * Registers the metrics.
   * @throws `SlokitError` `INVALID_ARGUMENT` for a bad prefix or registry, or when the registry
   * already has metrics of these names (a second `SloMetrics` on one registry).
   */
  constructor(options: SloMetricsOptions = {}) {
    const where = '[slokit/prometheus] new SloMetrics(options)'
    const prefix = options.prefix ?? ''
    if (typeof prefix !== 'string' || (prefix !== '' && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(prefix))) {
      throw new SlokitError(
        'INVALID_ARGUMENT',
        `${where}: \`prefix\` must be a metric name prefix such as "checkout_".`,
      )
    }
    const registry = options.registry ?? new Registry()
    if (typeof (registry as { registerMetric?: unknown }).registerMetric !== 'function') {
      throw new SlokitError('INVALID_ARGUMENT', `${where}: \`registry\` must be a prom-client Registry.`)
    }
    this.registry = registry
    const taken = `${prefix}slo_compliance_ratio`
    if (registry.getSingleMetric(taken) !== undefined) {
      throw new SlokitError('INVALID_ARGUMENT', `${where}: the registry already has ${taken}.`, {
        hint: 'create one SloMetrics per registry, and update it for every SLO',
      })
    }
    const registers = [registry]
    const slo = ['slo', 'slo_service'] as const
    this.objective = new Gauge({
      name: `${prefix}slo_objective_ratio`,
      help: 'The SLO objective, as a ratio (0.999 for 99.9 %).',
      labelNames: slo,
      registers,
    })
    this.compliance = new Gauge({
      name: `${prefix}slo_compliance_ratio`,
      help: 'The SLI over the SLO window (good / total). Absent while there is no data.',
      labelNames: slo,
      registers,
    })
    this.remaining = new Gauge({
      name: `${prefix}slo_error_budget_remaining_ratio`,
      help: 'Error budget left, as a fraction of the budget: 1 untouched, 0 spent, negative overspent.',
      labelNames: slo,
      registers,
    })
    this.consumed = new Gauge({
      name: `${prefix}slo_error_budget_consumed_ratio`,
      help: 'Error budget spent, as a fraction of the budget (1 − remaining).',
      labelNames: slo,
      registers,
    })
    this.burnRate = new Gauge({
      name: `${prefix}slo_burn_rate`,
      help: 'How fast the error budget burns over slo_window: 1 spends it exactly over the SLO period.',
      labelNames: [...slo, 'slo_window'],
      registers,
    })
    this.coverage = new Gauge({
      name: `${prefix}slo_data_coverage_ratio`,
      help: 'Share of the elapsed SLO window that the status has data for.',
      labelNames: slo,
      registers,
    })
    this.breaches = new Counter({
      name: `${prefix}slo_breaches_total`,
      help: 'Times the SLO went from met (or unknown) to missed.',
      labelNames: slo,
      registers,
    })
    this.freeze = new Gauge({
      name: `${prefix}slo_deployment_freeze_active`,
      help: '1 while an error-budget policy freezes deployments of the service, else 0.',
      labelNames: ['slo_service'],
      registers,
    })
    this.collections = new Counter({
      name: `${prefix}sli_collection_total`,
      help: 'SLI collections from the SLO data source, by result: success, no_data, failure.',
      labelNames: [...slo, 'result'],
      registers,
    })
  }

  /**
   * Sets an SLO's metrics from its latest status. What the status does not know (an SLI without
   * data, a burn-rate window without events, a budget of a failed source) is removed rather than
   * exported as a made-up value.
   */
  update(status: SloStatus): void {
    const labels = { slo: status.sloId, slo_service: status.service }
    const state = this.stateOf(status.sloId, status.service)
    this.objective.set(labels, status.objective)
    setOrRemove(this.compliance, labels, status.sli)
    setOrRemove(this.remaining, labels, status.budget?.remaining ?? null)
    setOrRemove(this.consumed, labels, status.budget?.consumed ?? null)
    this.coverage.set(labels, status.data.coverage)
    const windows = new Set<string>()
    for (const reading of status.burnRates) {
      const window = formatDuration(reading.windowMs)
      windows.add(window)
      setOrRemove(this.burnRate, { ...labels, slo_window: window }, reading.burnRate)
    }
    for (const window of state.windows) {
      if (!windows.has(window)) this.burnRate.remove({ ...labels, slo_window: window })
    }
    state.windows = windows
    if (status.met === false && state.met !== false) this.breaches.inc(labels)
    // Unknown (no data) keeps the last verdict: a gap in the data is not a new breach.
    if (status.met !== null) state.met = status.met
  }

  /** Counts one collection of an SLO's SLI data. */
  recordCollection(slo: SloRef, result: SliCollectionResult): void {
    if (!(SLI_COLLECTION_RESULTS as readonly string[]).includes(result)) {
      throw new SlokitError(
        'INVALID_ARGUMENT',
        `[slokit/prometheus] SloMetrics.recordCollection(): \`result\` must be one of ${SLI_COLLECTION_RESULTS.join(', ')}, got ${JSON.stringify(result)}.`,
      )
    }
    const labels = { slo: slo.id, slo_service: slo.service }
    if (this.collecting.get(slo.id) !== slo.service) {
      this.collecting.set(slo.id, slo.service)
      // Every result starts at 0, so increase() and ratios work from the first scrape.
      for (const r of SLI_COLLECTION_RESULTS) this.collections.inc({ ...labels, result: r }, 0)
    }
    this.collections.inc({ ...labels, result })
  }

  /** Sets whether deployments of `service` are frozen by an error-budget policy. */
  setDeploymentFreeze(service: string, active: boolean): void {
    this.freeze.set({ slo_service: service }, active ? 1 : 0)
  }

  /** Removes every series of an SLO (it was deleted or renamed). */
  remove(sloId: string): void {
    const state = this.known.get(sloId)
    if (state !== undefined) this.removeStatus(sloId, state)
    const service = this.collecting.get(sloId)
    if (service !== undefined) {
      for (const result of SLI_COLLECTION_RESULTS)
        this.collections.remove({ slo: sloId, slo_service: service, result })
      this.collecting.delete(sloId)
    }
  }

  private removeStatus(sloId: string, state: { service: string; windows: Set<string> }): void {
    const labels = { slo: sloId, slo_service: state.service }
    for (const gauge of [this.objective, this.compliance, this.remaining, this.consumed, this.coverage]) {
      gauge.remove(labels)
    }
    for (const window of state.windows) this.burnRate.remove({ ...labels, slo_window: window })
    this.breaches.remove(labels)
    this.known.delete(sloId)
  }

  private stateOf(sloId: string, service: string) {
    let state = this.known.get(sloId)
    if (state === undefined || state.service !== service) {
      if (state !== undefined) this.removeStatus(sloId, state)
      state = { service, met: null, windows: new Set<string>() }
      this.known.set(sloId, state)
      this.breaches.inc({ slo: sloId, slo_service: service }, 0)
    }
    return state
  }
}

function setOrRemove<L extends string>(
  gauge: Gauge<L>,
  labels: Record<L, string>,
  value: number | null,
): void {
  if (value === null || !Number.isFinite(value)) gauge.remove(labels)
  else gauge.set(labels, value)
}
