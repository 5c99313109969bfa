import { DAY_MS, HOUR_MS } from '@slokit/core'
import { checkoutScenario, simulateTraffic } from '@slokit/testing'
import { describe, expect, it } from 'vitest'
import { bar, runDemo } from './demo.js'

describe('the README demo', () => {
  const { text, statuses } = runDemo(42)
  const byId = new Map(statuses.map((s) => [s.sloId, s]))

  it('tracks the three SLOs and prints SLI, budget bar and burn rates for each', () => {
    expect(statuses.map((s) => s.sloId)).toEqual([
      'checkout-availability',
      'checkout-latency',
      'checkout-availability-monthly',
    ])
    for (const id of byId.keys()) expect(text).toContain(`${id} — `)
    expect(text.match(/ {2}budget {5}\[[█·]{30}\]/g)).toHaveLength(3)
    expect(text).toMatch(
      /burn rate {2}5m [\d.]+ {2}30m [\d.]+ {2}1h [\d.]+ {2}2h [\d.]+ {2}6h [\d.]+ {2}1d [\d.]+ {2}3d [\d.]+/,
    )
  })

  it('reports the availability SLI and budget the simulated traffic implies', () => {
    // The same seed re-runs the same traffic: count it independently of the tracker.
    const totals = simulateTraffic(checkoutScenario(42).traffic).totals()
    const status = byId.get('checkout-availability')!
    expect(status.counts).toEqual({ good: totals.requests - totals.errors, total: totals.requests })
    expect(status.sli).toBeCloseTo(1 - totals.errors / totals.requests, 12)
    expect(status.budget?.remaining).toBeCloseTo(1 - totals.errors / totals.requests / 0.001, 9)
    expect(status.data.state).toBe('ok')
  })

  it('shows the incident in the 1-day burn rate but not in the last hour', () => {
    const burn = new Map(byId.get('checkout-availability')!.burnRates.map((b) => [b.windowMs, b.burnRate!]))
    expect(burn.get(DAY_MS)).toBeGreaterThan(6)
    expect(burn.get(HOUR_MS)).toBeLessThan(3)
  })

  it('counts the incident as 120 bad latency minutes out of a 7h12m budget', () => {
    const latency = byId.get('checkout-latency')!
    expect(latency.budget?.allowedMs).toBe(0.01 * 30 * DAY_MS)
    const lastDay = latency.burnRates.find((b) => b.windowMs === DAY_MS)!
    expect(lastDay.total - lastDay.good).toBeGreaterThanOrEqual(120)
  })

  it('measures the monthly SLO from the start of October in Berlin', () => {
    const monthly = byId.get('checkout-availability-monthly')!
    expect(monthly.range.startMs).toBe(Date.UTC(2026, 8, 30, 22)) // 1 October, 00:00 CEST
    expect(monthly.range.periodEndMs).toBe(Date.UTC(2026, 9, 31, 23)) // 1 November, 00:00 CET
  })

  it('is deterministic for a seed', () => {
    expect(runDemo(42).text).toBe(text)
    expect(runDemo(7).text).not.toBe(text)
  })
})

describe('bar', () => {
  it('fills in proportion to the remaining budget and stays empty when overspent', () => {
    expect(bar(1, 10)).toBe('[██████████]')
    expect(bar(0.5, 10)).toBe('[█████·····]')
    expect(bar(-2, 10)).toBe('[··········]')
  })
})
