import {
  analyzeTrend,
  DAY_MS,
  forecastExhaustion,
  HOUR_MS,
  linearFit,
  type TimePoint,
  volatility,
} from '@slokit/core'
import { describe, expect, it } from 'vitest'

const t0 = Date.UTC(2026, 0, 1)
const series = (n: number, value: (i: number) => number, stepMs = HOUR_MS): TimePoint[] =>
  Array.from({ length: n }, (_, i) => ({ t: t0 + i * stepMs, value: value(i) }))

// A small deterministic generator, so "noise" is the same on every run.
function noise(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32 - 0.5
  }
}

describe('linearFit', () => {
  it('recovers an exact line with R² = 1, even at epoch-sized times', () => {
    const fit = linearFit(series(48, (i) => 0.999 - i * 0.0001))!
    expect(fit.slopePerMs * HOUR_MS).toBeCloseTo(-0.0001, 15)
    expect(fit.rSquared).toBeCloseTo(1, 12)
  })

  it('is null with fewer than two distinct times', () => {
    expect(linearFit([{ t: t0, value: 1 }])).toBeNull()
    expect(
      linearFit([
        { t: t0, value: 1 },
        { t: t0, value: 2 },
      ]),
    ).toBeNull()
  })
})

describe('analyzeTrend', () => {
  it('calls a falling SLI degrading and a rising one improving', () => {
    expect(analyzeTrend(series(24, (i) => 0.9995 - i * 0.00002))?.direction).toBe('degrading')
    expect(analyzeTrend(series(24, (i) => 0.99 + i * 0.0001))?.direction).toBe('improving')
  })

  it('reads a rising burn rate as degrading when higher is worse', () => {
    expect(
      analyzeTrend(
        series(24, (i) => 1 + i),
        { higherIsBetter: false },
      )?.direction,
    ).toBe('degrading')
  })

  it('calls a flat series stable with zero volatility', () => {
    const trend = analyzeTrend(series(24, () => 0.999))!
    expect(trend).toMatchObject({ direction: 'stable', volatility: 0, slopePerDay: 0 })
  })

  it('calls noise without drift stable', () => {
    const rand = noise(7)
    const trend = analyzeTrend(series(200, () => 0.999 + rand() * 0.001))!
    expect(trend.direction).toBe('stable')
    expect(trend.volatility).toBeGreaterThan(0.0002)
  })

  it('sees a drift through noise once it exceeds the noise', () => {
    const rand = noise(11)
    expect(analyzeTrend(series(200, (i) => 0.999 - i * 0.00002 + rand() * 0.0005))?.direction).toBe(
      'degrading',
    )
  })

  it('reports slope per day and the span', () => {
    const trend = analyzeTrend(series(25, (i) => i * 0.5))!
    expect(trend.slopePerDay).toBeCloseTo(12, 10)
    expect(trend.spanMs).toBe(DAY_MS)
    expect(trend.change).toBeCloseTo(12, 10)
  })

  it('is null with too little data', () => {
    expect(analyzeTrend(series(2, (i) => i))).toBeNull()
    expect(
      analyzeTrend(
        series(4, (i) => i),
        { minPoints: 5 },
      ),
    ).toBeNull()
  })
})

describe('volatility', () => {
  it('is the sample standard deviation', () => {
    expect(volatility(series(4, (i) => [2, 4, 4, 6][i] as number))).toBeCloseTo(Math.sqrt(8 / 3), 12)
  })
})

describe('forecastExhaustion', () => {
  it('a steady burn exhausts at the hand-computed time, with confidence ≥ 0.95', () => {
    // Remaining falls 2 % per hour from 0.8: it reaches zero 40 hours after the first point.
    const points = series(11, (i) => 0.8 - 0.02 * i)
    const forecast = forecastExhaustion(points)!
    expect(forecast.exhaustsAtMs).toBeCloseTo(t0 + 40 * HOUR_MS, -1)
    expect(forecast.timeToExhaustionMs).toBeCloseTo(30 * HOUR_MS, -1)
    expect(forecast.confidence).toBeGreaterThanOrEqual(0.95)
    expect(forecast.slopePerDay).toBeCloseTo(-0.48, 12)
  })

  it('is null for a flat or recovering budget — never an invented date', () => {
    expect(forecastExhaustion(series(10, () => 0.6))).toBeNull()
    expect(forecastExhaustion(series(10, (i) => 0.2 + i * 0.01))).toBeNull()
  })

  it('is null beyond the horizon and with too few points', () => {
    expect(forecastExhaustion(series(10, (i) => 1 - i * 1e-9))).toBeNull()
    expect(forecastExhaustion(series(2, (i) => 1 - i * 0.1))).toBeNull()
  })

  it('says "now" once the budget is spent', () => {
    const forecast = forecastExhaustion(
      series(5, (i) => 0.1 - i * 0.05),
      { now: t0 + 5 * HOUR_MS },
    )!
    expect(forecast).toMatchObject({ exhaustsAtMs: t0 + 5 * HOUR_MS, timeToExhaustionMs: 0 })
  })

  it('carries the newest value forward to a later "now"', () => {
    const forecast = forecastExhaustion(
      series(11, (i) => 0.8 - 0.02 * i),
      { now: t0 + 20 * HOUR_MS },
    )!
    expect(forecast.exhaustsAtMs).toBeCloseTo(t0 + 40 * HOUR_MS, -1)
    expect(forecast.timeToExhaustionMs).toBeCloseTo(20 * HOUR_MS, -1)
  })
})
