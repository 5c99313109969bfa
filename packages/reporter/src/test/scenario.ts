import {
  createSloTracker,
  DAY_MS,
  HOUR_MS,
  MINUTE_MS,
  parseSlo,
  type SloSpec,
  type SloSpecInput,
  type SloStatus,
} from '@slokit/core'
import { FakeClock, simulateTraffic, type TrafficOptions } from '@slokit/testing'
import { MemoryStatusHistory } from '../memory-status-history.js'
import type { AlertRecord, FreezeTransitionRecord, PolicyDecisionRecord } from '../records.js'
import { type StatusSnapshot, toSnapshot } from '../snapshot.js'

/** Everything a report is built from, as an engine would have it at the end of the period. */
export interface ScenarioData {
  readonly slos: readonly SloSpec[]
  readonly statuses: readonly SloStatus[]
  readonly history: readonly StatusSnapshot[]
  readonly decisions: readonly PolicyDecisionRecord[]
  readonly freezes: readonly FreezeTransitionRecord[]
  readonly alerts: readonly AlertRecord[]
  readonly period: { readonly startMs: number; readonly endMs: number }
}

/** October 2026: the golden scenario's 30 days. Traffic starts 30 days earlier, so every window is full. */
export const SCENARIO_START_MS = Date.UTC(2026, 9, 1)
const END_MS = SCENARIO_START_MS + 30 * DAY_MS
const TRAFFIC_START_MS = SCENARIO_START_MS - 30 * DAY_MS
const ratio = { type: 'ratio' } as const

const SLOS: readonly SloSpecInput[] = [
  {
    id: 'checkout-availability',
    name: 'Checkout requests succeed',
    service: 'checkout',
    sli: { id: 'checkout-requests', kind: 'availability', measurement: ratio },
    objective: '99.9%',
    window: '30d',
    priority: 'critical',
    owner: 'team-checkout',
    runbookUrl: 'https://runbooks.example.com/checkout/availability',
  },
  {
    id: 'checkout-availability-strict',
    name: 'Checkout requests succeed | the contractual SLA',
    service: 'checkout',
    sli: { id: 'checkout-requests', kind: 'availability', measurement: ratio },
    objective: '99.95%',
    window: '30d',
    priority: 'high',
  },
  {
    id: 'checkout-latency',
    name: 'Checkout p95 latency ≤ 300 ms, per minute',
    service: 'checkout',
    sli: {
      id: 'checkout-latency',
      kind: 'latency',
      measurement: { type: 'threshold', aggregation: 'p95', comparison: '<=', threshold: 300, unit: 'ms' },
    },
    objective: '99%',
    window: '30d',
    budgetingMethod: 'timeslices',
    timeslice: { length: '1m' },
  },
  {
    id: 'checkout-availability-monthly',
    service: 'checkout',
    sli: { id: 'checkout-requests', kind: 'availability', measurement: ratio },
    objective: '99.5%',
    window: { calendar: 'month', timeZone: 'Europe/Berlin' },
  },
  {
    id: 'payments-authorizations',
    name: 'Card authorizations without errors',
    service: 'payments',
    sli: { id: 'payments-authorizations', kind: 'error_rate', measurement: ratio },
    objective: '99.5%',
    window: '30d',
  },
]

/** Checkout: an incident on day 12 of the period (2 h, 8 % errors, latency ×4) and a slow burn (0.4 % errors) over the last 36 hours. */
const CHECKOUT: TrafficOptions = {
  seed: 42,
  startMs: TRAFFIC_START_MS,
  durationMs: 60 * DAY_MS,
  requestsPerMinute: 60,
  errorRate: 0.0005,
  latency: { medianMs: 50, p99Ms: 250 },
  incidents: [
    {
      startMs: SCENARIO_START_MS + 12 * DAY_MS + 9 * HOUR_MS,
      durationMs: 2 * HOUR_MS,
      errorRate: 0.08,
      latencyFactor: 4,
    },
    { startMs: END_MS - 36 * HOUR_MS, durationMs: 36 * HOUR_MS, errorRate: 0.004 },
  ],
}

/** Payments: quiet. */
const PAYMENTS: TrafficOptions = {
  seed: 7,
  startMs: TRAFFIC_START_MS,
  durationMs: 60 * DAY_MS,
  requestsPerMinute: 20,
  errorRate: 0.001,
}

/**
 * The golden scenario: two services over October 2026 (after 30 days of warm-up traffic) run the
 * way the engine runs them —
 * requests from the seeded simulator recorded into a tracker on a FakeClock, every SLO evaluated
 * hourly and its snapshot appended to a history. Policy decisions, a freeze and alerts are
 * derived from the statuses with fixed rules (so the golden files depend on slokit's core and
 * reporter only). Deterministic on every machine.
 */
export async function scenarioData(): Promise<ScenarioData> {
  const clock = new FakeClock(TRAFFIC_START_MS)
  const slos = SLOS.map(parseSlo)
  const tracker = createSloTracker({ slos, clock })
  const history = new MemoryStatusHistory()
  const checkout = simulateTraffic(CHECKOUT).steps()
  const payments = simulateTraffic(PAYMENTS).steps()
  const decisions: PolicyDecisionRecord[] = []
  const freezes: FreezeTransitionRecord[] = []
  for (let minute = 1; ; minute++) {
    const c = checkout.next()
    const p = payments.next()
    if (c.done === true || p.done === true) break
    for (let i = 0; i < c.value.requests; i++) {
      const at = c.value.startMs + Math.floor(((i + 0.5) * MINUTE_MS) / c.value.requests)
      const ok = c.value.errorFlags[i] === 0
      tracker.record('checkout-availability', ok, at)
      tracker.record('checkout-availability-strict', ok, at)
      tracker.record('checkout-availability-monthly', ok, at)
      tracker.observe('checkout-latency', c.value.latenciesMs[i] as number, at)
    }
    for (let i = 0; i < p.value.requests; i++) {
      const at = p.value.startMs + Math.floor(((i + 0.5) * MINUTE_MS) / p.value.requests)
      tracker.record('payments-authorizations', p.value.errorFlags[i] === 0, at)
    }
    if (minute % 60 !== 0 || c.value.endMs <= SCENARIO_START_MS) continue
    clock.set(c.value.endMs)
    const statuses = tracker.statuses()
    await history.append(statuses.map(toSnapshot))
    for (const status of statuses) {
      // A stand-in for the budget package's policy: alert, and freeze checkout, below 25 % left.
      if (status.budget === null) continue
      const low = status.budget.remaining < 0.25
      const left = `${(status.budget.remaining * 100).toFixed(1)}%`
      decisions.push({
        sloId: status.sloId,
        service: status.service,
        policy: 'critical',
        evaluatedAtMs: status.evaluatedAtMs,
        state: low ? 'alert' : 'ok',
        actions: low ? [{ type: 'notify' }, { type: 'freeze_deployments' }] : [],
        reasons: low ? [`budget remaining ${left} < 25%`] : [],
        message: low
          ? `${status.sloId}: budget remaining ${left} < 25%`
          : `${status.sloId} is within its error budget`,
      })
      const frozen = freezes.some((f) => f.sloId === status.sloId)
      if (low && !frozen && status.sloId === 'checkout-availability') {
        const reason = `${status.sloId}: budget remaining ${left} < 25%`
        freezes.push(
          {
            service: 'checkout',
            kind: 'cause_added',
            atMs: clock.now(),
            reason,
            sloId: status.sloId,
            frozen: true,
          },
          { service: 'checkout', kind: 'entered', atMs: clock.now(), reason, frozen: true },
        )
      }
    }
  }
  const alert = (
    alertId: string,
    severity: string,
    startsAtMs: number,
    endsAtMs: number | null,
    sloId = 'checkout-availability',
  ): AlertRecord => ({
    alertId,
    rule: severity === 'critical' ? 'fast-burn' : 'slow-burn',
    sloId,
    service: 'checkout',
    severity,
    state: endsAtMs === null ? 'firing' : 'resolved',
    title: `${sloId} is burning its error budget ${severity === 'critical' ? 'fast' : 'slowly'}`,
    startsAtMs,
    endsAtMs,
  })
  const incidentAt = SCENARIO_START_MS + 12 * DAY_MS + 9 * HOUR_MS
  return {
    slos,
    statuses: tracker.statuses(),
    history: await history.read({ startMs: SCENARIO_START_MS, endMs: END_MS + 1 }),
    decisions,
    freezes,
    alerts: [
      alert('fast-burn/checkout-availability', 'critical', incidentAt + 5 * MINUTE_MS, null),
      alert(
        'fast-burn/checkout-availability',
        'critical',
        incidentAt + 5 * MINUTE_MS,
        incidentAt + 2 * HOUR_MS + 30 * MINUTE_MS,
      ),
      alert('slow-burn/checkout-availability', 'warning', END_MS - 30 * HOUR_MS, null),
    ],
    period: { startMs: SCENARIO_START_MS, endMs: END_MS },
  }
}
