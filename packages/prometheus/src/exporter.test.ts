import {
  evaluateSlo,
  MINUTE_MS,
  parseSlo,
  SlokitError,
  type SloStatus,
  unavailableStatus,
  windowRange,
} from '@slokit/core'
import { register as globalRegistry, Registry } from 'prom-client'
import { describe, expect, it } from 'vitest'
import { SloMetrics } from './exporter.js'

const NOW = Date.UTC(2026, 5, 1)
const slo = parseSlo({
  id: 'checkout-availability',
  service: 'checkout',
  objective: '99.9%',
  window: '30d',
  sli: { id: 'checkout-requests', kind: 'availability', measurement: { type: 'ratio' } },
})

/** A status with `bad` of 10,000 events in the last hour. */
function status(bad: number): SloStatus {
  const points = Array.from({ length: 60 }, (_, i) => ({
    t: NOW - (60 - i) * MINUTE_MS,
    good: i === 59 ? 10_000 / 60 - bad : 10_000 / 60,
    total: 10_000 / 60,
  }))
  return evaluateSlo(slo, { kind: 'events', resolutionMs: MINUTE_MS, points }, { now: NOW, minCoverage: 0 })
}

async function sample(
  registry: Registry,
  name: string,
  labels: Record<string, string> = {},
): Promise<number | undefined> {
  const metric = await registry.getSingleMetric(name)?.get()
  const value = metric?.values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))
  return value?.value
}

describe('SloMetrics', () => {
  it('registers on the registry it is given, never on prom-client’s global one', async () => {
    const before = (await globalRegistry.getMetricsAsJSON()).length
    const registry = new Registry()
    const metrics = new SloMetrics({ registry })
    metrics.update(status(5))
    expect(metrics.registry).toBe(registry)
    expect((await globalRegistry.getMetricsAsJSON()).length).toBe(before)
    expect(new SloMetrics().registry).not.toBe(globalRegistry)
  })

  it('exports compliance, budget, burn rates per window, coverage and the objective, with Prometheus names and units', async () => {
    const registry = new Registry()
    const metrics = new SloMetrics({ registry })
    const s = status(5)
    metrics.update(s)
    const labels = { slo: 'checkout-availability', slo_service: 'checkout' }
    expect(await sample(registry, 'slo_objective_ratio', labels)).toBe(0.999)
    expect(await sample(registry, 'slo_compliance_ratio', labels)).toBe(s.sli)
    expect(await sample(registry, 'slo_error_budget_remaining_ratio', labels)).toBe(s.budget?.remaining)
    expect(await sample(registry, 'slo_error_budget_consumed_ratio', labels)).toBe(s.budget?.consumed)
    expect(await sample(registry, 'slo_burn_rate', { ...labels, slo_window: '1h' })).toBeCloseTo(0.5, 9)
    expect(await sample(registry, 'slo_data_coverage_ratio', labels)).toBe(s.data.coverage)
    const text = await registry.metrics()
    expect(text).toContain('# TYPE slo_breaches_total counter')
    expect(text).toContain('# TYPE slo_burn_rate gauge')
    expect(text).toContain(
      'slo_burn_rate{slo="checkout-availability",slo_service="checkout",slo_window="5m"}',
    )
    // One series per burn-rate window of a 30-day SLO: 5m, 30m, 1h, 2h, 6h, 1d, 3d.
    expect(text.match(/^slo_burn_rate\{/gm)).toHaveLength(7)
  })

  it('removes what the status does not know instead of exporting a made-up value', async () => {
    const registry = new Registry()
    const metrics = new SloMetrics({ registry })
    metrics.update(status(5))
    metrics.update(unavailableStatus(slo, windowRange(slo.window, NOW), NOW, 'Prometheus did not answer'))
    const text = await registry.metrics()
    expect(text).not.toMatch(/^slo_compliance_ratio\{/m)
    expect(text).not.toMatch(/^slo_error_budget_remaining_ratio\{/m)
    expect(text).not.toMatch(/^slo_burn_rate\{/m)
    expect(text).toMatch(/^slo_data_coverage_ratio\{.*\} 0$/m)
  })

  it('counts breaches on the transition from met (or unknown) to missed, not per update', async () => {
    const registry = new Registry()
    const metrics = new SloMetrics({ registry })
    const labels = { slo: 'checkout-availability' }
    metrics.update(status(5))
    expect(await sample(registry, 'slo_breaches_total', labels)).toBe(0)
    metrics.update(status(50))
    metrics.update(status(60))
    expect(await sample(registry, 'slo_breaches_total', labels)).toBe(1)
    // A gap (no data) is not a recovery: missed again after it is the same breach.
    metrics.update(unavailableStatus(slo, windowRange(slo.window, NOW), NOW, 'down'))
    metrics.update(status(60))
    expect(await sample(registry, 'slo_breaches_total', labels)).toBe(1)
    metrics.update(status(1))
    metrics.update(status(60))
    expect(await sample(registry, 'slo_breaches_total', labels)).toBe(2)
  })

  it('counts collections by result from zero, sets the deployment freeze, and removes an SLO entirely', async () => {
    const registry = new Registry()
    const metrics = new SloMetrics({ registry, prefix: 'shop_' })
    metrics.recordCollection(slo, 'failure')
    metrics.recordCollection(slo, 'success')
    metrics.recordCollection(slo, 'success')
    const collections = await registry.getSingleMetric('shop_sli_collection_total')?.get()
    expect(Object.fromEntries((collections?.values ?? []).map((v) => [v.labels.result, v.value]))).toEqual({
      success: 2,
      no_data: 0,
      failure: 1,
    })
    metrics.setDeploymentFreeze('checkout', true)
    expect(await sample(registry, 'shop_slo_deployment_freeze_active', { slo_service: 'checkout' })).toBe(1)
    metrics.setDeploymentFreeze('checkout', false)
    expect(await sample(registry, 'shop_slo_deployment_freeze_active', { slo_service: 'checkout' })).toBe(0)
    metrics.update(status(5))
    metrics.remove('checkout-availability')
    expect(await registry.metrics()).not.toContain('slo="checkout-availability"')
  })

  it('refuses a second SloMetrics on one registry, bad prefixes and bad results', () => {
    const registry = new Registry()
    new SloMetrics({ registry })
    expect(() => new SloMetrics({ registry })).toThrow(/already has slo_compliance_ratio/)
    expect(() => new SloMetrics({ prefix: 'bad-prefix' })).toThrow(SlokitError)
    expect(() => new SloMetrics().recordCollection(slo, 'maybe' as never)).toThrow(
      /success, no_data, failure/,
    )
  })
})
