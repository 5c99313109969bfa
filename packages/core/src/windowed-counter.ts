import { DAY_MS, HOUR_MS, MINUTE_MS } from './duration.js'

/** One resolution of a {@link WindowedCounter}: `slots` buckets of `resolutionMs` each. */
export interface CounterLevel {
  readonly resolutionMs: number
  readonly slots: number
}

/** Two summed channels over a range, as returned by {@link WindowedCounter.sum}. */
export interface ChannelSums {
  a: number
  b: number
}

class Level {
  readonly resolutionMs: number
  readonly slots: number
  readonly a: Float64Array
  readonly b: Float64Array
  /** Absolute bucket index (time / resolution) of the newest bucket; holds (head − slots, head]. */
  head = Number.NEGATIVE_INFINITY
  totalA = 0
  totalB = 0

  constructor(
    spec: CounterLevel,
    readonly next: Level | undefined,
  ) {
    this.resolutionMs = spec.resolutionMs
    this.slots = spec.slots
    // Fresh typed arrays per level: never share one buffer between rings.
    this.a = new Float64Array(spec.slots)
    this.b = new Float64Array(spec.slots)
  }

  /** Adds to bucket `index`; returns false when the data is older than every level holds. */
  add(index: number, a: number, b: number): boolean {
    if (index > this.head) this.advance(index)
    else if (index <= this.head - this.slots) {
      const next = this.next
      return next === undefined
        ? false
        : next.add(Math.floor((index * this.resolutionMs) / next.resolutionMs), a, b)
    }
    const slot = index % this.slots
    this.a[slot] = (this.a[slot] as number) + a
    this.b[slot] = (this.b[slot] as number) + b
    this.totalA += a
    this.totalB += b
    return true
  }

  /** Moves the head forward to `index` (no-op when it is already there or beyond). */
  advanceTo(index: number): void {
    if (index > this.head) this.advance(index)
  }

  /**
   * Moves the head to `index`, handing the buckets that fall out to the next level, and moves
   * the next level's head up to the time this level now starts at: a coarser level holds exactly
   * the span just before the finer one, even after a long silence.
   */
  private advance(index: number): void {
    if (this.head !== Number.NEGATIVE_INFINITY) {
      // Bucket indices are never negative (times before 1970 are rejected upstream).
      const firstOut = Math.max(0, this.head - this.slots + 1)
      const lastOut = Math.min(this.head, index - this.slots)
      for (let k = firstOut; k <= lastOut; k++) {
        const slot = k % this.slots
        const a = this.a[slot] as number
        const b = this.b[slot] as number
        if (a === 0 && b === 0) continue
        this.next?.add(Math.floor((k * this.resolutionMs) / this.next.resolutionMs), a, b)
        this.a[slot] = 0
        this.b[slot] = 0
        this.totalA -= a
        this.totalB -= b
      }
    }
    this.head = index
    const next = this.next
    if (next !== undefined)
      next.advanceTo(Math.floor(((index - this.slots + 1) * this.resolutionMs) / next.resolutionMs))
  }

  /** Adds the buckets whose start lies in [startMs, endMs) to `out`. */
  sumInto(startMs: number, endMs: number, out: ChannelSums): void {
    if (this.head === Number.NEGATIVE_INFINITY) return
    const oldest = Math.max(0, this.head - this.slots + 1)
    const lo = Math.max(oldest, Math.ceil(startMs / this.resolutionMs))
    const hi = Math.min(this.head, Math.ceil(endMs / this.resolutionMs) - 1)
    if (lo > hi) return
    const inside = hi - lo + 1
    if (inside * 2 <= this.slots) {
      this.addRange(lo, hi, out, 1)
      return
    }
    // Most of the ring is inside: start from the running total and take out the rest.
    out.a += this.totalA
    out.b += this.totalB
    this.addRange(oldest, lo - 1, out, -1)
    this.addRange(hi + 1, this.head, out, -1)
  }

  private addRange(from: number, to: number, out: ChannelSums, sign: 1 | -1): void {
    let a = 0
    let b = 0
    for (let k = from; k <= to; k++) {
      const slot = k % this.slots
      a += this.a[slot] as number
      b += this.b[slot] as number
    }
    out.a += sign * a
    out.b += sign * b
  }
}

/**
 * Bounded-memory windowed sums of two channels (good and total, or good slices and slices) at
 * several resolutions. Data enters the finest level; buckets that age out of a level move into
 * the next, coarser one, so every event is held exactly once and sums over adjacent ranges add up
 * exactly. A range is answered at the resolution of the level holding its start: with the
 * default levels, windows up to 6 h are exact to the minute, up to 3 days to 5 minutes, longer
 * ones to the hour. Adding is O(1) amortised and allocation-free.
 *
 * @example
 * ```ts
 * const counter = new WindowedCounter(WindowedCounter.levelsFor(30 * DAY_MS))
 * counter.add(now, 1, 1) // one good event of one
 * counter.sum(now - HOUR_MS, now + 1) // { a: 1, b: 1 }
 * ```
 */
export class WindowedCounter {
  private readonly levels: readonly Level[]
  private readonly first: Level

  constructor(levels: readonly CounterLevel[]) {
    if (levels.length === 0) throw new RangeError('WindowedCounter needs at least one level')
    const built: Level[] = []
    let next: Level | undefined
    for (let i = levels.length - 1; i >= 0; i--) {
      const spec = levels[i] as CounterLevel
      if (next !== undefined && next.resolutionMs % spec.resolutionMs !== 0) {
        throw new RangeError('each WindowedCounter level must be a multiple of the finer one')
      }
      next = new Level(spec, next)
      built.unshift(next)
    }
    this.levels = built
    this.first = built[0] as Level
  }

  /**
   * Levels covering windows up to `longestWindowMs`: 1-minute buckets for 6 hours, 5-minute
   * buckets for 3 days, hourly buckets beyond; coarser levels are only added when needed.
   */
  static levelsFor(longestWindowMs: number): CounterLevel[] {
    const levels: CounterLevel[] = [{ resolutionMs: MINUTE_MS, slots: 361 }]
    if (longestWindowMs > 6 * HOUR_MS) levels.push({ resolutionMs: 5 * MINUTE_MS, slots: 865 })
    if (longestWindowMs > 3 * DAY_MS)
      levels.push({ resolutionMs: HOUR_MS, slots: Math.ceil(longestWindowMs / HOUR_MS) + 2 })
    return levels
  }

  /** Adds `(a, b)` at `atMs`. Returns false (and drops the data) when it is older than every level holds. */
  add(atMs: number, a: number, b: number): boolean {
    return this.first.add(Math.floor(atMs / this.first.resolutionMs), a, b)
  }

  /** Sums over the buckets whose start lies in `[startMs, endMs)`, written into `out` (reset first). */
  sumInto(startMs: number, endMs: number, out: ChannelSums): ChannelSums {
    out.a = 0
    out.b = 0
    for (const level of this.levels) level.sumInto(startMs, endMs, out)
    return out
  }

  /** Sums over the buckets whose start lies in `[startMs, endMs)`. */
  sum(startMs: number, endMs: number): ChannelSums {
    return this.sumInto(startMs, endMs, { a: 0, b: 0 })
  }

  /** Bytes held by the buckets (the dominant part of the memory). */
  get byteLength(): number {
    let bytes = 0
    for (const level of this.levels) bytes += level.a.byteLength + level.b.byteLength
    return bytes
  }
}
