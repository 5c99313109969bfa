import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  DAY_MS,
  type EventPoint,
  evaluateSlo,
  formatDuration,
  HOUR_MS,
  MINUTE_MS,
  parseSlo,
  type SloSpec,
  type SloStatus,
  type ValuePoint,
} from '@slokit/core'
import { simulateTraffic } from '@slokit/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateRules } from './generate-rules.js'
import { PrometheusSource } from './prometheus-source.js'
import type { RuleFile } from './rule-file.js'
import {
  backfill,
  backfillRecordingRules,
  missingBinaries,
  queryProm,
  type RunningPrometheus,
  type SyntheticSeries,
  startPrometheus,
} from './test-support.js'

// The same 31 days of synthetic traffic, three ways: (a) PrometheusSource + evaluateSlo on the
// raw counters in a real Prometheus, (b) the generated recording rules evaluated by that
// Prometheus and queried back, (c) evaluateSlo on the simulator's own event counts. All three
// must agree to 1e-9 relative: the rules are event-weighted, the source's steps tile the range.

const skip = missingBinaries()
const START = Date.UTC(2026, 0, 1)
const T = START + 31 * DAY_MS // the evaluation time, on every group's grid (1m, 5m)
const INCIDENT = { startMs: START + 20 * DAY_MS, durationMs: 2 * HOUR_MS, errorRate: 0.05 }
// A recent incident with its own status code (503), whose series appears only when it starts.
const OUTAGE = { startMs: T - 50 * MINUTE_MS, durationMs: 30 * MINUTE_MS, errorRate: 0.2 }

const requests = (selector: string) => `sum(rate(diff_requests_total{job="diff"${selector}}[{{window}}]))`

const SLOS: SloSpec[] = [
  parseSlo({
    id: 'diff-bad',
    service: 'diff',
    objective: '99.9%',
    window: '30d',
    sli: {
      id: 'diff-bad',
      kind: 'availability',
      measurement: { type: 'ratio', bad: requests(',code=~"5.."'), total: requests('') },
    },
  }),
  parseSlo({
    id: 'diff-good',
    service: 'diff',
    objective: '99.5%',
    window: '28d',
    sli: {
      id: 'diff-good',
      kind: 'availability',
      measurement: { type: 'ratio', good: requests(',code="200"'), total: requests('') },
    },
  }),
  parseSlo({
    id: 'diff-503',
    service: 'diff',
    objective: '99%',
    window: '30d',
    sli: {
      id: 'diff-503',
      kind: 'availability',
      measurement: { type: 'ratio', bad: requests(',code="503"'), total: requests('') },
    },
  }),
  parseSlo({
    id: 'diff-latency',
    service: 'diff',
    objective: '99%',
    window: '30d',
    budgetingMethod: 'timeslices',
    timeslice: { length: '1m' },
    sli: {
      id: 'diff-latency',
      kind: 'latency',
      measurement: {
        type: 'threshold',
        query: 'last_over_time(diff_latency_seconds{job="diff"}[{{window}}])',
        aggregation: 'avg',
        comparison: '<=',
        threshold: 0.3,
      },
    },
  }),
]
const byId = (id: string) => SLOS.find((slo) => slo.id === id) as SloSpec

interface Truth {
  readonly events: Map<string, EventPoint[]>
  readonly latency: ValuePoint[]
  readonly series: SyntheticSeries[]
}

/** Counters sampled every minute on the minute, from the simulator's per-minute counts. */
function synthesise(): Truth {
  const traffic = simulateTraffic({
    seed: 7,
    startMs: START,
    durationMs: T - START,
    stepMs: MINUTE_MS,
    requestsPerMinute: 120,
    errorRate: 0.0008,
    incidents: [INCIDENT, OUTAGE],
  })
  const ok: Array<[number, number]> = [[START, 0]]
  const e500: Array<[number, number]> = [[START, 0]]
  const e503: Array<[number, number]> = []
  const latency: Array<[number, number]> = []
  const all: EventPoint[] = []
  const only503: EventPoint[] = []
  let c200 = 0
  let c500 = 0
  let c503 = 0
  for (const step of traffic.steps()) {
    const in503 = step.startMs >= OUTAGE.startMs && step.startMs < OUTAGE.startMs + OUTAGE.durationMs
    if (in503 && e503.length === 0) e503.push([step.startMs, 0])
    c200 += step.requests - step.errors
    if (in503) c503 += step.errors
    else c500 += step.errors
    const end = step.endMs
    ok.push([end, c200])
    e500.push([end, c500])
    if (e503.length > 0) e503.push([end, c503])
    all.push({ t: step.startMs, good: step.requests - step.errors, total: step.requests })
    only503.push({ t: step.startMs, good: step.requests - (in503 ? step.errors : 0), total: step.requests })
    // A latency gauge: slow (over 0.3 s) during both incidents, and on every 97th minute.
    const k = (step.startMs - START) / MINUTE_MS
    const slow = step.startMs >= INCIDENT.startMs && step.startMs < INCIDENT.startMs + INCIDENT.durationMs
    latency.push([end, slow || in503 || k % 97 === 0 ? 0.45 : 0.12 + (k % 7) / 100])
  }
  const labels = (code: string) => ({ __name__: 'diff_requests_total', job: 'diff', code })
  return {
    events: new Map([
      ['diff-bad', all],
      ['diff-good', all],
      ['diff-503', only503],
    ]),
    // `last_over_time(x[1m])` at a step's end reads the sample written at that end.
    latency: latency.map(([t, value]) => ({ t: t - MINUTE_MS, value })),
    series: [
      { labels: labels('200'), samples: ok, type: 'counter' },
      { labels: labels('500'), samples: e500, type: 'counter' },
      { labels: labels('503'), samples: e503, type: 'counter' },
      { labels: { __name__: 'diff_latency_seconds', job: 'diff' }, samples: latency, type: 'gauge' },
    ],
  }
}

function close(actual: number | null | undefined, expected: number | null | undefined, what: string): void {
  expect(actual, `${what}: one side has no value`).not.toBeNull()
  expect(expected, `${what}: one side has no value`).not.toBeNull()
  const a = actual as number
  const e = expected as number
  const tolerance = Math.max(1e-12, 1e-9 * Math.max(Math.abs(a), Math.abs(e)))
  expect(
    Math.abs(a - e) <= tolerance,
    `${what}: ${a} vs ${e} (relative ${Math.abs(a - e) / Math.abs(e)})`,
  ).toBe(true)
}

describe.skipIf(skip !== undefined)(
  'differential: PrometheusSource + core, the generated rules, and core on raw events agree',
  () => {
    let prometheus: RunningPrometheus | undefined
    let dataDir: string | undefined
    let truth: Truth
    const rulesFor: Record<string, RuleFile & { naming: 'slokit' | 'sloth' }> = {}

    beforeAll(async () => {
      truth = synthesise()
      dataDir = await mkdtemp(join(tmpdir(), 'slokit-diff-'))
      await backfill(truth.series, dataDir)
      prometheus = await startPrometheus({ dataDir })
      // One SLO in Sloth's naming (and a 28-day period, so 4w names), the others in slokit's.
      const slokit = generateRules(SLOS.filter((s) => s.id !== 'diff-good'))
      const sloth = generateRules([byId('diff-good')], { naming: 'sloth' })
      rulesFor.slokit = { ...slokit, naming: 'slokit' }
      rulesFor.sloth = { ...sloth, naming: 'sloth' }
      prometheus = await backfillRecordingRules(
        prometheus,
        { groups: [...slokit.groups, ...sloth.groups] },
        { atMs: T, historyMs: 30 * DAY_MS },
      )
    })

    afterAll(async () => {
      await prometheus?.stop()
      if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true })
    })

    const viaSource = async (slo: SloSpec): Promise<SloStatus> => {
      const source = new PrometheusSource({ url: (prometheus as RunningPrometheus).url })
      const series = await source.query(slo.sli, { startMs: T - 30 * DAY_MS, endMs: T })
      return evaluateSlo(slo, series, { now: T })
    }
    const viaTruth = (slo: SloSpec): SloStatus =>
      evaluateSlo(
        slo,
        slo.sli.measurement.type === 'ratio'
          ? { kind: 'events', resolutionMs: MINUTE_MS, points: truth.events.get(slo.id) as EventPoint[] }
          : { kind: 'values', resolutionMs: MINUTE_MS, points: truth.latency },
        { now: T },
      )
    const one = async (query: string): Promise<number> => {
      const result = await queryProm((prometheus as RunningPrometheus).url, query, T)
      expect(result, `${query} at T`).toHaveLength(1)
      return (result[0] as { value: number }).value
    }

    it.each(['diff-bad', 'diff-503', 'diff-latency'])(
      '%s (slokit names): SLI, budget and every burn rate',
      async (id) => {
        const slo = byId(id)
        const [fromSource, fromTruth] = [await viaSource(slo), viaTruth(slo)]
        const sel = `{slo="${id}"}`
        const budget = 1 - slo.objective
        close(fromSource.sli, fromTruth.sli, 'SLI: source vs raw events')
        close(
          fromSource.budget?.remaining,
          fromTruth.budget?.remaining,
          'budget remaining: source vs raw events',
        )
        close(await one(`slo:compliance:ratio${sel}`), fromSource.sli, 'SLI: rules vs source')
        close(
          await one(`slo:error_budget_remaining:ratio${sel}`),
          fromSource.budget?.remaining,
          'budget remaining: rules vs source',
        )
        expect(fromSource.burnRates.length).toBeGreaterThan(0)
        for (const reading of fromSource.burnRates) {
          const w = formatDuration(reading.windowMs)
          const truthReading = fromTruth.burnRates.find((r) => r.windowMs === reading.windowMs)
          close(reading.burnRate, truthReading?.burnRate, `burn rate ${w}: source vs raw events`)
          close(
            (await one(`slo:sli_error:ratio_increase${w}${sel}`)) / budget,
            reading.burnRate,
            `burn rate ${w}: rules vs source`,
          )
        }
      },
    )

    it('diff-good (Sloth names, 28-day period as 4w): SLI, budget and every burn rate', async () => {
      const slo = byId('diff-good')
      const [fromSource, fromTruth] = [await viaSource(slo), viaTruth(slo)]
      const sel = '{sloth_id="diff-good"}'
      close(fromSource.sli, fromTruth.sli, 'SLI: source vs raw events')
      close(1 - (await one(`slo:sli_error:ratio_rate4w${sel}`)), fromSource.sli, 'SLI: rules vs source')
      close(
        await one(`slo:period_error_budget_remaining:ratio${sel}`),
        fromSource.budget?.remaining,
        'budget remaining: rules vs source',
      )
      for (const reading of fromSource.burnRates) {
        const w = formatDuration(reading.windowMs)
        const truthReading = fromTruth.burnRates.find((r) => r.windowMs === reading.windowMs)
        close(reading.burnRate, truthReading?.burnRate, `burn rate ${w}: source vs raw events`)
        close(
          (await one(`slo:sli_error:ratio_rate${w}${sel}`)) / 0.005,
          reading.burnRate,
          `burn rate ${w}: rules vs source`,
        )
      }
      close(
        await one(`slo:current_burn_rate:ratio${sel}`),
        fromSource.burnRates[0]?.burnRate,
        'current (5m) burn rate',
      )
    })

    it('the recent outage shows in the short windows, and the 503 series appears only with it', async () => {
      const status = await viaSource(byId('diff-503'))
      // 30 minutes at 20 % errors in the last hour: about 10 % errors, 10× a 1 % budget.
      const oneHour = status.burnRates.find((r) => r.windowMs === HOUR_MS)
      expect(oneHour?.burnRate).toBeGreaterThan(9)
      expect(oneHour?.burnRate).toBeLessThan(11)
      // Before the outage the 503 query matched nothing: those steps count 0 bad events, not "no data".
      expect(status.data.coverage).toBe(1)
    })
  },
)
