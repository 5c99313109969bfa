import {
  type Clock,
  computeStatus,
  parseSlo,
  type SloSpec,
  type SloSpecInput,
  type SloStatus,
  windowRange,
} from '@slokit/core'

/** An SLO for tests: 99.9 % over 30 days of a ratio SLI, with overrides. */
export function testSlo(overrides: Partial<SloSpecInput> = {}): SloSpec {
  return parseSlo({
    id: 'checkout-availability',
    service: 'checkout',
    priority: 'critical',
    sli: { id: 'checkout-requests', kind: 'availability', measurement: { type: 'ratio' } },
    objective: '99.9%',
    window: '30d',
    ...overrides,
  })
}

/** A status with a chosen budget left (bad events out of 1,000,000) and burn rates. */
export function statusWith(
  slo: SloSpec,
  remaining: number | null,
  burn: Record<number, number> = {},
  now = Date.UTC(2026, 10, 1),
): SloStatus {
  const total = remaining === null ? 0 : 1_000_000
  const bad = remaining === null ? 0 : Math.round((1 - remaining) * (1 - slo.objective) * total)
  const windows = Object.keys(burn).map(Number)
  return computeStatus({
    slo,
    now,
    range: windowRange(slo.window, now),
    window: { good: total - bad, total },
    burnWindowsMs: windows,
    burnTallies: windows.flatMap((w) => [1000 - (burn[w] as number) * (1 - slo.objective) * 1000, 1000]),
    coverage: 1,
    lastDataMs: remaining === null ? undefined : now,
    staleAfterMs: Number.POSITIVE_INFINITY,
    minCoverage: 0,
  })
}

/** A clock the test moves. */
export function manualClock(
  start = Date.UTC(2026, 10, 1),
): Clock & { set(ms: number): void; advance(ms: number): void } {
  let now = start
  return {
    now: () => now,
    set: (ms) => {
      now = ms
    },
    advance: (ms) => {
      now += ms
    },
  }
}
