import { DAY_MS, HOUR_MS, MINUTE_MS } from '@slokit/core'
import { checkoutScenario, simulateTraffic } from '@slokit/testing'
import { describe, expect, it } from 'vitest'
import { bar, runDemo } from './demo.js'

describe('the README demo', async () => {
  const scenario = checkoutScenario(42)
  const startMs = scenario.traffic.startMs
  const incident = scenario.traffic.incidents![0]!
  const incidentEndMs = incident.startMs + incident.durationMs
  const demo = await runDemo(42)
  const { text, statuses } = demo
  const byId = new Map(statuses.map((s) => [s.sloId, s]))
  const first = (kind: string, match = '') =>
    demo.notifications.find((n) => n.kind === kind && n.title.includes(match)) ??
    expect.fail(`no ${kind} ${match}`)

  it('pages within 15 minutes of the incident, then tickets once the page resolves', () => {
    const page = first('alert_firing', '(page,')
    expect(page.severity).toBe('critical')
    expect(page.createdAtMs - incident.startMs).toBeGreaterThan(0)
    expect(page.createdAtMs - incident.startMs).toBeLessThanOrEqual(15 * MINUTE_MS)
    const resolved = first('alert_resolved', '(page')
    expect(resolved.createdAtMs).toBeGreaterThanOrEqual(incidentEndMs)
    expect(resolved.createdAtMs - incidentEndMs).toBeLessThanOrEqual(HOUR_MS)
    // Tickets stay quiet while the page fires (inhibition), then fire and resolve.
    const ticket = first('alert_firing', '(ticket,')
    expect(ticket.createdAtMs).toBeGreaterThanOrEqual(resolved.createdAtMs)
    expect(first('alert_resolved', '(ticket').createdAtMs).toBeGreaterThan(ticket.createdAtMs)
  })

  it('freezes deployments during the incident and unfreezes when it leaves the 7-day window', () => {
    expect(demo.freezes.filter((f) => f.kind === 'entered' || f.kind === 'left').map((f) => f.kind)).toEqual([
      'entered',
      'left',
    ])
    const frozen = first('freeze')
    expect(frozen.createdAtMs).toBeGreaterThan(incident.startMs)
    expect(frozen.createdAtMs).toBeLessThan(incidentEndMs)
    const unfrozen = first('unfreeze')
    expect(unfrozen.createdAtMs).toBeGreaterThanOrEqual(incidentEndMs + 7 * DAY_MS - HOUR_MS)
    expect(unfrozen.createdAtMs).toBeLessThanOrEqual(incidentEndMs + 7 * DAY_MS)
    // Before the incident, nothing at all was sent: baseline errors never page or ticket.
    expect(demo.notifications.every((n) => n.createdAtMs > incident.startMs)).toBe(true)
  })

  it('prints every notification as it was delivered, relative to the start', () => {
    const printed = text.split('\n').filter((line) => line.startsWith('[+'))
    expect(printed).toHaveLength(demo.notifications.length)
    expect(printed[0]).toMatch(
      /^\[\+19d14h\d+m\] FIRING critical → console: checkout-availability is burning its error budget/,
    )
  })

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

  it('reports the 7-day availability the simulated traffic implies', () => {
    // The same seed re-runs the same traffic: count the last 7 days independently of the tracker.
    const traffic = simulateTraffic(scenario.traffic)
    const week = traffic.events(MINUTE_MS).filter((p) => p.t >= traffic.endMs - 7 * DAY_MS)
    const total = week.reduce((sum, p) => sum + p.total, 0)
    const good = week.reduce((sum, p) => sum + p.good, 0)
    const status = byId.get('checkout-availability')!
    expect(status.counts).toEqual({ good, total })
    expect(status.budget?.remaining).toBeCloseTo(1 - (total - good) / total / 0.001, 9)
    expect(status.data.state).toBe('ok')
    expect(demo.totals).toEqual(traffic.totals())
  })

  it('counts the incident as 120 bad latency minutes out of a 7h12m budget', () => {
    const latency = byId.get('checkout-latency')!
    expect(latency.budget?.allowedMs).toBe(0.01 * 30 * DAY_MS)
    expect(latency.counts.total - latency.counts.good).toBeGreaterThanOrEqual(120)
  })

  it('measures the monthly SLO from the start of October in Berlin', () => {
    const monthly = byId.get('checkout-availability-monthly')!
    expect(monthly.range.startMs).toBe(Date.UTC(2026, 8, 30, 22)) // 1 October, 00:00 CEST
    expect(monthly.range.periodEndMs).toBe(Date.UTC(2026, 9, 31, 23)) // 1 November, 00:00 CET
    expect(startMs).toBe(Date.UTC(2026, 9, 1))
  })

  it('is deterministic for a seed', async () => {
    expect((await runDemo(42)).text).toBe(text)
  })
})

describe('bar', () => {
  it('fills in proportion to the remaining budget and stays empty when overspent', () => {
    expect(bar(1, 10)).toBe('[██████████]')
    expect(bar(0.5, 10)).toBe('[█████·····]')
    expect(bar(-2, 10)).toBe('[··········]')
  })
})
