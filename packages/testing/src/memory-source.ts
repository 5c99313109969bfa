import {
  abortedError,
  type EventPoint,
  type SliQueryOptions,
  type SliSeries,
  type SliSource,
  type SliSpec,
  SlokitError,
  type TimeRange,
  type ValuePoint,
} from '@slokit/core'

/** Options of {@link MemorySource}. */
export interface MemorySourceOptions {
  /** The source's {@link SliSource.name}; `memory` by default. */
  readonly name?: string | undefined
  /** The `resolutionMs` reported with every series; one minute by default. */
  readonly resolutionMs?: number | undefined
}

/** One call to {@link MemorySource.query}, as logged in {@link MemorySource.queries}. */
export interface MemorySourceQuery {
  /** The queried SLI's id. */
  readonly sliId: string
  /** A copy of the queried range. */
  readonly range: TimeRange
}

type Stored =
  | { readonly kind: 'events'; points: EventPoint[] }
  | { readonly kind: 'values'; points: ValuePoint[] }

interface ScriptedFailure {
  readonly error: Error | undefined
  remaining: number
}

/**
 * A scripted, in-memory {@link SliSource} for tests: add the points an SLI should have, then
 * query it like any other source. It keeps the `SliSource` contract (it passes
 * `describeSliSourceContract`) and can be told to fail or hang, so engine tests can exercise
 * source faults without a network.
 *
 * - Ratio SLIs answer an event series, threshold SLIs a value series, with the stored points in
 *   `[range.startMs, range.endMs)`, as fresh copies.
 * - An SLI id nothing was ever added for rejects with `SlokitError` `UNKNOWN_SLO`; an id with data,
 *   but none in the range, resolves to an empty series.
 * - {@link MemorySource.failNext} rejects the next queries, {@link MemorySource.hang} makes them
 *   wait until their signal aborts (or {@link MemorySource.unhang}); scripted failures are served
 *   first, then hanging, then data. An already-aborted signal always rejects with `ABORTED`.
 * - {@link MemorySource.queries} logs every call, failed ones included.
 *
 * @example
 * ```ts
 * const source = new MemorySource()
 * source.addEvents('checkout-requests', [
 *   { t: Date.UTC(2026, 0, 1, 0, 0), good: 998, total: 1000 },
 *   { t: Date.UTC(2026, 0, 1, 0, 1), good: 1000, total: 1000 },
 * ])
 * const series = await source.query(sli, { startMs: Date.UTC(2026, 0, 1), endMs: Date.UTC(2026, 0, 2) })
 * // { kind: 'events', resolutionMs: 60_000, points: [ ...both points ] }
 *
 * source.failNext()  // the next query rejects with SlokitError SOURCE_FAILED
 * source.hang()      // later queries wait until their AbortSignal fires
 * ```
 */
export class MemorySource implements SliSource {
  /** The name given at construction; `memory` by default. */
  readonly name: string
  /** The `resolutionMs` reported with every series. */
  readonly resolutionMs: number

  private readonly data = new Map<string, Stored>()
  private readonly log: MemorySourceQuery[] = []
  private readonly failures: ScriptedFailure[] = []
  private readonly waiting = new Set<() => void>()
  private hanging = false

  /** @throws `SlokitError` `INVALID_ARGUMENT` for an empty `name` or a non-positive `resolutionMs`. */
  constructor(options: MemorySourceOptions = {}) {
    const name = options.name ?? 'memory'
    if (typeof name !== 'string' || name.trim() === '') {
      throw invalid(
        'new MemorySource(options)',
        `\`name\` must be a non-empty string, got ${JSON.stringify(name)}.`,
      )
    }
    const resolutionMs = options.resolutionMs ?? 60_000
    if (!(Number.isFinite(resolutionMs) && resolutionMs > 0)) {
      throw invalid(
        'new MemorySource(options)',
        `\`resolutionMs\` must be a positive number, got ${resolutionMs}.`,
      )
    }
    this.name = name
    this.resolutionMs = resolutionMs
  }

  /** Every query so far, oldest first (a live, read-only view). */
  get queries(): readonly MemorySourceQuery[] {
    return this.log
  }

  /**
   * Adds event counts for a ratio SLI. Points may come in any order; they are kept sorted by `t`,
   * and counts at an existing `t` are added to it.
   * @throws `SlokitError` `INVALID_ARGUMENT` for a point without finite counts and
   * `0 <= good <= total`, or when `sliId` already holds values.
   */
  addEvents(sliId: string, points: readonly EventPoint[]): this {
    const copies = points.map((point, index): EventPoint => {
      const { t, good, total } = point
      const ok = Number.isFinite(t) && Number.isFinite(total) && good >= 0 && good <= total
      if (!ok) {
        throw invalid(
          `MemorySource.addEvents("${sliId}")`,
          `point ${index} needs a finite \`t\` and counts with 0 <= good <= total, got ${JSON.stringify(point)}.`,
        )
      }
      return { t, good, total }
    })
    const stored = this.storeFor(sliId, 'events', 'addEvents')
    stored.points = mergeEvents(stored.points.concat(copies))
    return this
  }

  /**
   * Adds measured values for a threshold SLI. Points may come in any order; they are kept sorted
   * by `t` (several values may share a `t`).
   * @throws `SlokitError` `INVALID_ARGUMENT` for a point without a finite `t` and `value`, or
   * when `sliId` already holds events.
   */
  addValues(sliId: string, points: readonly ValuePoint[]): this {
    const copies = points.map((point, index): ValuePoint => {
      const { t, value } = point
      if (!(Number.isFinite(t) && Number.isFinite(value))) {
        throw invalid(
          `MemorySource.addValues("${sliId}")`,
          `point ${index} needs a finite \`t\` and \`value\`, got ${JSON.stringify(point)}.`,
        )
      }
      return { t, value }
    })
    const stored = this.storeFor(sliId, 'values', 'addValues')
    stored.points = stored.points.concat(copies)
    if (!isSorted(stored.points)) stored.points.sort(byTime)
    return this
  }

  /** Forgets the data of one SLI, or of every SLI; its id then counts as unknown again. */
  clear(sliId?: string): void {
    if (sliId === undefined) this.data.clear()
    else this.data.delete(sliId)
  }

  /**
   * Makes the next `times` queries reject with `error` (a `SlokitError` `SOURCE_FAILED` by
   * default). Calls queue up: `failNext(a); failNext(b, 2)` fails with `a`, then twice with `b`.
   * @throws `SlokitError` `INVALID_ARGUMENT` when `times` is not a positive integer.
   */
  failNext(error?: Error, times = 1): this {
    if (!(Number.isInteger(times) && times > 0)) {
      throw invalid(
        'MemorySource.failNext(error, times)',
        `\`times\` must be a positive integer, got ${times}.`,
      )
    }
    this.failures.push({ error, remaining: times })
    return this
  }

  /**
   * Makes queries wait instead of answering: each one settles only when its `signal` aborts (it
   * then rejects with `ABORTED`) or when {@link MemorySource.unhang} is called. A query without a
   * signal waits until `unhang()`.
   */
  hang(): this {
    this.hanging = true
    return this
  }

  /** Stops hanging: waiting queries answer now (with the data as it is now), later ones at once. */
  unhang(): this {
    this.hanging = false
    const waiting = [...this.waiting]
    this.waiting.clear()
    for (const resume of waiting) resume()
    return this
  }

  /**
   * Answers the stored points of `sli` within `range`. See {@link MemorySource} for faults.
   * Rejects (never throws) with a `SlokitError`: `ABORTED`, `UNKNOWN_SLO`, `INVALID_ARGUMENT` (a
   * range that is not `startMs <= endMs`, or an SLI whose measurement type does not match the
   * stored kind), or the scripted failure.
   */
  async query(sli: SliSpec, range: TimeRange, opts: SliQueryOptions = {}): Promise<SliSeries> {
    const { startMs, endMs } = range
    const sliId = sli.id
    this.log.push({ sliId, range: { startMs, endMs } })
    const signal = opts.signal
    if (signal?.aborted) throw aborted(this.name, sliId, signal)
    const failure = this.failures[0]
    if (failure !== undefined) {
      failure.remaining--
      if (failure.remaining === 0) this.failures.shift()
      throw (
        failure.error ??
        new SlokitError(
          'SOURCE_FAILED',
          `[slokit/testing] MemorySource "${this.name}": scripted failure (failNext()).`,
        )
      )
    }
    if (this.hanging) await this.wait(sliId, signal)
    return this.answer(sli, startMs, endMs)
  }

  private answer(sli: SliSpec, startMs: number, endMs: number): SliSeries {
    if (!(Number.isFinite(startMs) && Number.isFinite(endMs) && startMs <= endMs)) {
      throw invalid(
        `MemorySource "${this.name}".query("${sli.id}")`,
        `range [${startMs}, ${endMs}) is not a valid range.`,
      )
    }
    const stored = this.data.get(sli.id)
    if (stored === undefined) {
      throw new SlokitError(
        'UNKNOWN_SLO',
        `[slokit/testing] MemorySource "${this.name}" has no data for SLI "${sli.id}".`,
        {
          hint: `add some with addEvents() or addValues(); known SLIs: ${[...this.data.keys()].join(', ') || '(none)'}`,
        },
      )
    }
    const expected = sli.measurement.type === 'ratio' ? 'events' : 'values'
    if (stored.kind !== expected) {
      throw invalid(
        `MemorySource "${this.name}".query("${sli.id}")`,
        `the SLI is a ${sli.measurement.type} SLI, but the source holds ${stored.kind} for it.`,
        expected === 'events' ? 'add its data with addEvents()' : 'add its data with addValues()',
      )
    }
    const from = lowerBound(stored.points, startMs)
    const to = lowerBound(stored.points, endMs)
    if (stored.kind === 'events') {
      const points = stored.points
        .slice(from, to)
        .map(({ t, good, total }): EventPoint => ({ t, good, total }))
      return { kind: 'events', resolutionMs: this.resolutionMs, points }
    }
    const points = stored.points.slice(from, to).map(({ t, value }): ValuePoint => ({ t, value }))
    return { kind: 'values', resolutionMs: this.resolutionMs, points }
  }

  private wait(sliId: string, signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const resume = (): void => {
        signal?.removeEventListener('abort', onAbort)
        resolve()
      }
      const onAbort = (): void => {
        this.waiting.delete(resume)
        reject(aborted(this.name, sliId, signal))
      }
      this.waiting.add(resume)
      signal?.addEventListener('abort', onAbort, { once: true })
    })
  }

  private storeFor<K extends Stored['kind']>(
    sliId: string,
    kind: K,
    method: string,
  ): Extract<Stored, { kind: K }> {
    let stored = this.data.get(sliId)
    if (stored === undefined) {
      stored = kind === 'events' ? { kind: 'events', points: [] } : { kind: 'values', points: [] }
      this.data.set(sliId, stored)
    }
    if (stored.kind !== kind) {
      throw invalid(
        `MemorySource.${method}("${sliId}")`,
        `the SLI already holds ${stored.kind}; an SLI has either events (ratio) or values (threshold).`,
        'call clear(sliId) first to switch',
      )
    }
    return stored as Extract<Stored, { kind: K }>
  }
}

function invalid(where: string, problem: string, hint?: string): SlokitError {
  const message = `[slokit/testing] ${where}: ${problem}`
  return new SlokitError('INVALID_ARGUMENT', message, hint === undefined ? {} : { hint })
}

function aborted(name: string, sliId: string, signal: AbortSignal | undefined): SlokitError {
  return abortedError(signal, `[slokit/testing] MemorySource "${name}": query for SLI "${sliId}"`)
}

const byTime = (a: { readonly t: number }, b: { readonly t: number }): number => a.t - b.t

function isSorted(points: ReadonlyArray<{ readonly t: number }>): boolean {
  for (let i = 1; i < points.length; i++) if (points[i - 1]!.t > points[i]!.t) return false
  return true
}

/** Sorts by `t` and sums points that share a `t`, as an event series allows no repeated times. */
function mergeEvents(points: EventPoint[]): EventPoint[] {
  if (!isSorted(points)) points.sort(byTime)
  const merged: EventPoint[] = []
  for (const point of points) {
    const last = merged[merged.length - 1]
    if (last !== undefined && last.t === point.t) {
      merged[merged.length - 1] = { t: last.t, good: last.good + point.good, total: last.total + point.total }
    } else {
      merged.push(point)
    }
  }
  return merged
}

/** Index of the first point with `t >= time`. */
function lowerBound(points: ReadonlyArray<{ readonly t: number }>, time: number): number {
  let lo = 0
  let hi = points.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (points[mid]!.t < time) lo = mid + 1
    else hi = mid
  }
  return lo
}
