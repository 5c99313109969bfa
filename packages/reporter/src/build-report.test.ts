import type { AlertSummary } from '@slokit/alerting'
import {
  createFreezeController,
  evaluatePolicy,
  MemoryFreezeStore,
  policiesSectionSchema,
} from '@slokit/budget'
import {
  computeStatus,
  DAY_MS,
  HOUR_MS,
  parseSlo,
  SlokitError,
  type SloSpec,
  type SloStatus,
  unavailableStatus,
  windowRange,
} from '@slokit/core'
import { describe, expect, it } from 'vitest'
import { buildReport } from './build-report.js'
import type { AlertRecord, FreezeTransitionRecord, PolicyDecisionRecord } from './records.js'
import type { StatusSnapshot } from './snapshot.js'

const NOW = Date.UTC(2026, 10, 1)
const PERIOD = { startMs: NOW - 7 * DAY_MS, endMs: NOW }
const slo = parseSlo({
  id: 'api',
  name: 'API answers',
  service: 'api',
  sli: { id: 'api-requests', kind: 'availability', measurement: { type: 'ratio' } },
  objective: '99%',
  window: '30d',
  owner: 'team-api',
})

/** A status with the given tallies over the window and each burn window (short to long). */
function status(
  spec: SloSpec,
  good: number,
  total: number,
  burns: Record<number, [number, number]> = {},
  now = NOW,
): SloStatus {
  const windows = Object.keys(burns)
    .map(Number)
    .sort((a, b) => a - b)
  return computeStatus({
    slo: spec,
    now,
    range: windowRange(spec.window, now),
    window: { good, total },
    burnWindowsMs: windows,
    burnTallies: windows.flatMap((w) => burns[w] as [number, number]),
    coverage: 1,
    lastDataMs: now,
    staleAfterMs: 5 * 60_000,
    minCoverage: 0.95,
  })
}

const snap = (atMs: number, sli: number | null, budgetRemaining: number | null = 0.5): StatusSnapshot => ({
  sloId: 'api',
  atMs,
  sli,
  objective: 0.99,
  budgetRemaining,
  state: sli === null ? 'no_data' : 'ok',
})

describe('buildReport', () => {
  it('refuses a period or options that make no sense, naming them', () => {
    const s = [status(slo, 995, 1000)]
    const call = (input: Partial<Parameters<typeof buildReport>[0]>) => () =>
      buildReport({ statuses: s, period: PERIOD, ...input })
    expect(call({ period: { startMs: NOW, endMs: NOW } })).toThrow(
      /`period` needs finite `startMs` < `endMs`/,
    )
    expect(call({ options: { timeZone: 'Atlantis/Capital' } })).toThrow(/`options.timeZone`/)
    expect(call({ options: { atRiskBudgetBelow: 2 } })).toThrow(
      /`options.atRiskBudgetBelow` must be between 0 and 1/,
    )
    expect(call({ options: { chartPoints: 2 } })).toThrow(/`options.chartPoints`/)
    expect(call({ options: { forecastLookbacksMs: [] } })).toThrow(SlokitError)
  })

  it('reports a status without history: no trend, no forecast, no chart, but SLI, budget and burn rates', () => {
    const report = buildReport({
      statuses: [status(slo, 995, 1000, { [HOUR_MS]: [99, 100] })],
      period: PERIOD,
      slos: [slo],
    })
    const r = report.slos[0]!
    expect(r).toMatchObject({
      sloId: 'api',
      name: 'API answers',
      owner: 'team-api',
      window: '30d',
      windowKind: 'rolling',
      sli: 0.995,
      met: true,
      trend: null,
      forecast: null,
      breaches: [],
      health: 'healthy',
      historyPoints: 1,
    })
    expect(r.budget).toMatchObject({ allowedMinutes: null, remainingMinutes: null })
    expect(r.budget?.remaining).toBeCloseTo(0.5, 12)
    expect(r.burnRates).toEqual([
      { windowMs: HOUR_MS, window: '1h', burnRate: expect.closeTo(1, 9), threshold: 14.4, severity: 'page' },
    ])
    expect(report.summary.headline).toBe('The SLO meets its objective.')
  })

  it('is at risk from burn rates only when a page row fires on both its windows', () => {
    const shortOnly = status(slo, 995, 1000, { [5 * 60_000]: [50, 100], [HOUR_MS]: [95, 100] })
    expect(buildReport({ statuses: [shortOnly], period: PERIOD, slos: [slo] }).slos[0]?.health).toBe(
      'healthy',
    )
    const both = status(slo, 995, 1000, { [5 * 60_000]: [50, 100], [HOUR_MS]: [80, 100] })
    const r = buildReport({ statuses: [both], period: PERIOD, slos: [slo] }).slos[0]!
    expect(r.health).toBe('at_risk')
    expect(r.healthReason).toBe('burning 20× over 1h and 50× over 5m, above the 14.4× page threshold')
  })

  it('classifies breached, low budget and no data, and says why', () => {
    const build = (s: SloStatus) => buildReport({ statuses: [s], period: PERIOD, slos: [slo] }).slos[0]!
    expect(build(status(slo, 980, 1000))).toMatchObject({
      health: 'breached',
      healthReason: 'SLI 98% is below the 99% objective',
    })
    expect(build(status(slo, 992, 1000))).toMatchObject({
      health: 'at_risk',
      healthReason: 'only 20% of the error budget left',
    })
    const down = unavailableStatus(slo, windowRange(slo.window, NOW), NOW, 'prometheus: connection refused')
    expect(build(down)).toMatchObject({
      health: 'no_data',
      healthReason: 'prometheus: connection refused',
      budget: null,
    })
    const report = buildReport({ statuses: [down], period: PERIOD })
    expect(report.summary).toMatchObject({
      status: 'no_data',
      headline: '0 of 1 SLO meets its objective: 1 without data.',
    })
  })

  it('finds breaches in the history; no data neither starts nor ends one', () => {
    const h = PERIOD.startMs
    const history = [
      snap(h, 0.995),
      snap(h + HOUR_MS, 0.985),
      snap(h + 2 * HOUR_MS, null),
      snap(h + 3 * HOUR_MS, 0.98),
      snap(h + 4 * HOUR_MS, 0.995),
      snap(h + 5 * HOUR_MS, 0.97),
    ]
    const report = buildReport({ statuses: [status(slo, 970, 1000)], history, period: PERIOD })
    expect(report.slos[0]?.breaches).toEqual([
      { startMs: h + HOUR_MS, endMs: h + 4 * HOUR_MS, durationMs: 3 * HOUR_MS, worstSli: 0.98 },
      { startMs: h + 5 * HOUR_MS, endMs: null, durationMs: NOW - (h + 5 * HOUR_MS), worstSli: 0.97 },
    ])
    expect(report.slos[0]?.timeNotMetMs).toBe(3 * HOUR_MS + NOW - (h + 5 * HOUR_MS))
  })

  it('lists changes of policy verdict, merges alert transitions, and keeps freezes of the period', () => {
    const decision = (atMs: number, state: PolicyDecisionRecord['state']): PolicyDecisionRecord => ({
      sloId: 'api',
      service: 'api',
      policy: 'critical',
      evaluatedAtMs: atMs,
      state,
      actions: state === 'alert' ? [{ type: 'notify' }, { type: 'notify' }] : [],
      reasons: [],
      message: state,
    })
    const t = PERIOD.startMs
    const decisions = [
      decision(t - HOUR_MS, 'alert'), // before the period: the change into alert is not in it
      decision(t + HOUR_MS, 'alert'),
      decision(t + 2 * HOUR_MS, 'ok'),
      decision(t + 3 * HOUR_MS, 'ok'),
      decision(t + 4 * HOUR_MS, 'alert'),
    ]
    const alert = (
      state: 'firing' | 'resolved',
      startsAtMs: number,
      endsAtMs: number | null,
    ): AlertRecord => ({
      alertId: 'fast/api',
      rule: 'fast',
      sloId: 'api',
      service: 'api',
      severity: 'critical',
      state,
      title: 'fast burn',
      startsAtMs,
      endsAtMs,
    })
    const freezes: FreezeTransitionRecord[] = [
      { service: 'api', kind: 'entered', atMs: t - DAY_MS, reason: 'old', frozen: true },
      { service: 'api', kind: 'left', atMs: t + HOUR_MS, reason: 'recovered', sloId: 'api', frozen: false },
    ]
    const report = buildReport({
      statuses: [status(slo, 995, 1000)],
      period: PERIOD,
      decisions,
      freezes,
      alerts: [
        alert('firing', t + HOUR_MS, null),
        alert('resolved', t + HOUR_MS, t + 2 * HOUR_MS),
        alert('firing', t - 3 * DAY_MS, null),
      ],
    })
    const r = report.slos[0]!
    expect(r.policy.decisions.map((d) => [d.atMs - t, d.state, d.actions])).toEqual([
      [2 * HOUR_MS, 'ok', []],
      [4 * HOUR_MS, 'alert', ['notify']],
    ])
    expect(r.alerts).toEqual([
      {
        alertId: 'fast/api',
        rule: 'fast',
        severity: 'critical',
        title: 'fast burn',
        startsAtMs: t - 3 * DAY_MS,
        endsAtMs: null,
      },
      {
        alertId: 'fast/api',
        rule: 'fast',
        severity: 'critical',
        title: 'fast burn',
        startsAtMs: t + HOUR_MS,
        endsAtMs: t + 2 * HOUR_MS,
      },
    ])
    expect(r.policy.freezes.map((f) => f.kind)).toEqual(['left'])
    expect(report.services[0]).toMatchObject({ service: 'api', frozen: false })
  })

  it('sorts the at-risk list by time to exhaustion, those without a forecast last', () => {
    const specs = ['a', 'b', 'c'].map((id) =>
      parseSlo({
        id,
        service: 'api',
        sli: { id: 'x', kind: 'availability', measurement: { type: 'ratio' } },
        objective: '99%',
        window: '30d',
      }),
    )
    const statuses = specs.map((s) => status(s, 992, 1000, { [6 * HOUR_MS]: [90, 100] }))
    const burning = (id: string, perHour: number): StatusSnapshot[] =>
      Array.from({ length: 24 }, (_, i) => ({
        ...snap(NOW - (24 - i) * HOUR_MS, 0.993, 0.2 + (24 - i) * perHour),
        sloId: id,
      }))
    const report = buildReport({
      statuses,
      history: [...burning('a', 0.001), ...burning('b', 0.01)],
      period: PERIOD,
      slos: specs,
    })
    expect(report.overall.atRisk.map((a) => a.sloId)).toEqual(['b', 'a', 'c'])
    expect(report.overall.atRisk[2]?.exhaustsAtMs).toBeNull()
  })

  it("takes @slokit/budget's decisions and freeze transitions and @slokit/alerting's alerts as they are", async () => {
    const policies = policiesSectionSchema.parse({
      tiers: {
        api: {
          appliesTo: { service: ['api'] },
          steps: [
            { when: { budgetRemainingBelow: '60%' }, actions: [{ freeze_deployments: { allow: ['fix'] } }] },
          ],
        },
      },
    })
    const s = status(slo, 995, 1000)
    const decision = evaluatePolicy('api', policies.tiers.api!, slo, s)
    const freezes = createFreezeController({
      store: new MemoryFreezeStore(),
      clock: { now: () => NOW - HOUR_MS },
    })
    const transitions = await freezes.apply([decision])
    const alert: AlertSummary = {
      alertId: 'x',
      rule: 'fast',
      sloId: 'api',
      service: 'api',
      severity: 'high',
      state: 'firing',
      title: 't',
      body: '',
      startsAtMs: NOW - HOUR_MS,
      endsAtMs: null,
      sli: 0.995,
      objective: 0.99,
      budgetRemaining: 0.5,
      burnRates: [],
      labels: {},
      annotations: {},
      runbookUrl: null,
      dashboardUrl: null,
    }
    const decisions: readonly PolicyDecisionRecord[] = [{ ...decision, evaluatedAtMs: NOW - HOUR_MS }]
    const report = buildReport({
      statuses: [s],
      period: PERIOD,
      decisions,
      freezes: transitions,
      alerts: [alert],
    })
    expect(report.slos[0]?.policy.decisions[0]).toMatchObject({
      state: 'alert',
      actions: ['freeze_deployments'],
    })
    expect(report.services[0]?.frozen).toBe(true)
    expect(report.slos[0]?.alerts).toHaveLength(1)
  })
})
