import { DAY_MS } from './duration.js'

/** A value at a time (epoch ms): one point of an SLI or budget history. */
export interface TimePoint {
  readonly t: number
  readonly value: number
}

/** A least-squares line through a series. */
export interface LinearFit {
  /** Change of the value per millisecond. */
  readonly slopePerMs: number
  /** The fitted value at time `t = 0` of the epoch; use {@link fittedValue} rather than this directly. */
  readonly intercept: number
  /** Coefficient of determination (0–1): how much of the variance the line explains. */
  readonly rSquared: number
  readonly points: number
}

/**
 * Fits a least-squares line through the points. `null` with fewer than two points or when all
 * points share one time. Times are centred before fitting, so epoch-sized times lose no precision.
 */
export function linearFit(points: readonly TimePoint[]): LinearFit | null {
  const n = points.length
  if (n < 2) return null
  let meanT = 0
  let meanV = 0
  for (const p of points) {
    meanT += p.t / n
    meanV += p.value / n
  }
  let stt = 0
  let stv = 0
  let svv = 0
  for (const p of points) {
    const dt = p.t - meanT
    const dv = p.value - meanV
    stt += dt * dt
    stv += dt * dv
    svv += dv * dv
  }
  if (stt === 0) return null
  const slopePerMs = stv / stt
  // A flat series is explained perfectly by a flat line.
  const rSquared = svv === 0 ? 1 : Math.min(1, (stv * stv) / (stt * svv))
  return { slopePerMs, intercept: meanV - slopePerMs * meanT, rSquared, points: n }
}

/** The value of a fitted line at time `t`. */
export function fittedValue(fit: LinearFit, t: number): number {
  return fit.intercept + fit.slopePerMs * t
}

/** Sample standard deviation of the values (0 for fewer than two points). */
export function volatility(points: readonly TimePoint[]): number {
  const n = points.length
  if (n < 2) return 0
  let mean = 0
  let min = Number.POSITIVE_INFINITY
  let max = Number.NEGATIVE_INFINITY
  for (const p of points) {
    mean += p.value / n
    if (p.value < min) min = p.value
    if (p.value > max) max = p.value
  }
  // A constant series has no volatility; summing would leave rounding dust.
  if (min === max) return 0
  let sum = 0
  for (const p of points) sum += (p.value - mean) ** 2
  return Math.sqrt(sum / (n - 1))
}

/** Where a series is heading. */
export const TREND_DIRECTIONS = ['improving', 'stable', 'degrading'] as const
/** One of {@link TREND_DIRECTIONS}. */
export type TrendDirection = (typeof TREND_DIRECTIONS)[number]

/** The trend of a series. */
export interface Trend {
  readonly direction: TrendDirection
  readonly slopePerMs: number
  /** `slopePerMs` × one day, the form people read. */
  readonly slopePerDay: number
  /** Change the fitted line makes over the observed span. */
  readonly change: number
  /** Sample standard deviation of the values. */
  readonly volatility: number
  readonly rSquared: number
  readonly points: number
  readonly spanMs: number
}

/** Options of {@link analyzeTrend}. */
export interface TrendOptions {
  /** Whether a rising value is good (SLI, budget remaining: yes; burn rate: no). Default `true`. */
  readonly higherIsBetter?: boolean
  /** Fewer points than this give `null`. Default 3. */
  readonly minPoints?: number
  /**
   * The series is `stable` while the fitted change over the span stays within this many standard
   * deviations of its values. Default 1.
   */
  readonly stableWithinStdDevs?: number
}

/**
 * Judges whether a series improves, degrades or holds steady: the least-squares slope gives the
 * change over the observed span, and the series counts as moving only when that change exceeds
 * its own volatility (`stableWithinStdDevs` standard deviations). Noise alone stays `stable`.
 * `null` when there are fewer than `minPoints` points or they span no time.
 *
 * @example
 * ```ts
 * analyzeTrend(history.map((s) => ({ t: s.evaluatedAtMs, value: s.sli ?? Number.NaN })).filter((p) => !Number.isNaN(p.value)))
 * // { direction: 'degrading', slopePerDay: -0.0004, ... }
 * ```
 */
export function analyzeTrend(points: readonly TimePoint[], options: TrendOptions = {}): Trend | null {
  const minPoints = Math.max(2, options.minPoints ?? 3)
  if (points.length < minPoints) return null
  const fit = linearFit(points)
  if (fit === null) return null
  let first = Number.POSITIVE_INFINITY
  let last = Number.NEGATIVE_INFINITY
  for (const p of points) {
    if (p.t < first) first = p.t
    if (p.t > last) last = p.t
  }
  const spanMs = last - first
  const change = fit.slopePerMs * spanMs
  const sigma = volatility(points)
  const band = (options.stableWithinStdDevs ?? 1) * sigma
  let direction: TrendDirection = 'stable'
  // The relative guard keeps floating-point dust on a flat series from reading as a trend.
  if (Math.abs(change) > band && Math.abs(change) > 1e-12 * Math.max(1, Math.abs(fittedValue(fit, last)))) {
    const rising = change > 0
    direction = rising === (options.higherIsBetter ?? true) ? 'improving' : 'degrading'
  }
  return {
    direction,
    slopePerMs: fit.slopePerMs,
    slopePerDay: fit.slopePerMs * DAY_MS,
    change,
    volatility: sigma,
    rSquared: fit.rSquared,
    points: points.length,
    spanMs,
  }
}

/** When an error budget runs out if the recent trend continues. */
export interface ExhaustionForecast {
  /** Epoch ms at which the remaining budget reaches zero (`now` when it already has). */
  readonly exhaustsAtMs: number
  readonly timeToExhaustionMs: number
  /** R² of the fit (0–1): how well a straight line describes the recent burn. */
  readonly confidence: number
  /** The fitted change of budget remaining per day (negative while burning). */
  readonly slopePerDay: number
}

/** Options of {@link forecastExhaustion}. */
export interface ForecastOptions {
  /** The time the forecast is made at; the newest point's time by default. */
  readonly now?: number
  /** Fewer points than this give `null`. Default 3. */
  readonly minPoints?: number
  /** Forecasts further out than this are `null` (not meaningful). Default 365 days. */
  readonly horizonMs?: number
}

/**
 * Forecasts when the error budget is exhausted from a history of `budget.remaining` values: the
 * least-squares slope is the burn, the newest value is where it stands, and R² says how much to
 * trust it. `null` when the budget is not shrinking, when there are too few points, or when
 * exhaustion lies beyond the horizon — never an invented date.
 *
 * @example
 * ```ts
 * const forecast = forecastExhaustion(history.map((s) => ({ t: s.evaluatedAtMs, value: s.budget.remaining })))
 * if (forecast && forecast.confidence >= 0.9) schedule(forecast.exhaustsAtMs)
 * ```
 */
export function forecastExhaustion(
  points: readonly TimePoint[],
  options: ForecastOptions = {},
): ExhaustionForecast | null {
  const minPoints = Math.max(2, options.minPoints ?? 3)
  if (points.length < minPoints) return null
  const fit = linearFit(points)
  if (fit === null) return null
  let newest = points[0] as TimePoint
  for (const p of points) if (p.t >= newest.t) newest = p
  const now = options.now ?? newest.t
  const slopePerDay = fit.slopePerMs * DAY_MS
  if (newest.value <= 0) {
    return { exhaustsAtMs: now, timeToExhaustionMs: 0, confidence: fit.rSquared, slopePerDay }
  }
  if (!(fit.slopePerMs < 0)) return null
  // Where the budget stands now: the newest value, carried forward along the fitted slope.
  const remainingNow = newest.value + fit.slopePerMs * (now - newest.t)
  const timeToExhaustionMs = Math.max(0, remainingNow / -fit.slopePerMs)
  if (timeToExhaustionMs > (options.horizonMs ?? 365 * DAY_MS)) return null
  return { exhaustsAtMs: now + timeToExhaustionMs, timeToExhaustionMs, confidence: fit.rSquared, slopePerDay }
}
