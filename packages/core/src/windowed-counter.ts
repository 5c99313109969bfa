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

// Past this, cumulative sums are rebased so differences stay exact in float64.
const REBASE_AT = 2 ** 44

// Per-level header fields, stored at the start of the counter's one Float64Array.
const HEAD = 0 // absolute bucket index (time / resolution) of the newest bucket: holds (head − slots, head]
const BASE_A = 1 // C(oldest − 1) of channel a: everything that has left the level
const BASE_B = 2
const HEAD_START = 3 // the newest bucket's time span and cell, so most adds need no division or modulo
const HEAD_END = 4
const HEAD_AT = 5
const HEADER = 6

interface Layout {
  readonly resolutionMs: readonly number[]
  readonly slots: readonly number[]
  readonly dataAt: readonly number[]
  readonly size: number
}

// Counters with the same levels share one frozen layout: thousands of SLOs read the same few
// constants instead of each its own copy.
const layouts = new Map<string, Layout>()

function layoutOf(levels: readonly CounterLevel[]): Layout {
  const key = levels.map((l) => `${l.resolutionMs}x${l.slots}`).join(',')
  let layout = layouts.get(key)
  if (layout !== undefined) return layout
  if (levels.length === 0) throw new RangeError('WindowedCounter needs at least one level')
  for (let i = 1; i < levels.length; i++) {
    if ((levels[i] as CounterLevel).resolutionMs % (levels[i - 1] as CounterLevel).resolutionMs !== 0) {
      throw new RangeError('each WindowedCounter level must be a multiple of the finer one')
    }
  }
  const dataAt: number[] = []
  let size = HEADER * levels.length
  for (const level of levels) {
    dataAt.push(size)
    size += 2 * level.slots
  }
  layout = Object.freeze({
    resolutionMs: Object.freeze(levels.map((l) => l.resolutionMs)),
    slots: Object.freeze(levels.map((l) => l.slots)),
    dataAt: Object.freeze(dataAt),
    size,
  })
  layouts.set(key, layout)
  return layout
}

/**
 * Bounded-memory windowed sums of two channels (good and total, or good slices and slices) at
 * several resolutions. Data enters the finest level; buckets that age out of a level move into
 * the next, coarser one, so every event is held exactly once and sums over adjacent ranges add up
 * exactly. A range is answered at the resolution of the level holding its start: with the
 * default levels, windows up to 6 h are exact to the minute, up to 3 days to 5 minutes, longer
 * ones to the hour. Levels keep cumulative sums, so adding is O(1) amortised and allocation-free
 * and any range costs one subtraction per level.
 *
 * @example
 * ```ts
 * const counter = new WindowedCounter(WindowedCounter.levelsFor(30 * DAY_MS))
 * counter.add(now, 1, 1) // one good event of one
 * counter.sum(now - HOUR_MS, now + 1) // { a: 1, b: 1 }
 * ```
 */
export class WindowedCounter {
  /**
   * Level headers, then each level's ring. Ring cells hold cumulative sums C(k) of every bucket
   * up to absolute index k, channel a at an even offset and b right after it, so a range sum is
   * one subtraction and both channels share a cache line. One array per counter (never shared
   * between counters) keeps what a status reads close together.
   */
  private readonly m: Float64Array
  private readonly resolutionMs: readonly number[]
  private readonly slots: readonly number[]
  private readonly dataAt: readonly number[]

  constructor(levels: readonly CounterLevel[]) {
    const layout = layoutOf(levels)
    this.resolutionMs = layout.resolutionMs
    this.slots = layout.slots
    this.dataAt = layout.dataAt
    this.m = new Float64Array(layout.size)
    for (let l = 0; l < levels.length; l++) {
      this.m[l * HEADER + HEAD] = Number.NEGATIVE_INFINITY
      this.m[l * HEADER + HEAD_START] = Number.POSITIVE_INFINITY
      this.m[l * HEADER + HEAD_END] = Number.NEGATIVE_INFINITY
    }
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
    const m = this.m
    if (atMs >= (m[HEAD_START] as number) && atMs < (m[HEAD_END] as number)) {
      const at = m[HEAD_AT] as number
      m[at] = (m[at] as number) + a
      m[at + 1] = (m[at + 1] as number) + b
      return true
    }
    return this.addAt(0, Math.floor(atMs / (this.resolutionMs[0] as number)), a, b)
  }

  /** Sums over the buckets whose start lies in `[startMs, endMs)`, written into `out` (reset first). */
  sumInto(startMs: number, endMs: number, out: ChannelSums): ChannelSums {
    const m = this.m
    let sumA = 0
    let sumB = 0
    for (let l = 0; l < this.slots.length; l++) {
      const h = l * HEADER
      // Coarser levels hold only older data: once a level ends before the range starts, so do they.
      if ((m[h + HEAD_END] as number) <= startMs) break
      const head = m[h + HEAD] as number
      const slots = this.slots[l] as number
      const res = this.resolutionMs[l] as number
      const oldest = Math.max(0, head - slots + 1)
      const lo = Math.max(oldest, Math.ceil(startMs / res))
      const hi = Math.min(head, Math.ceil(endMs / res) - 1)
      if (lo > hi) continue
      const data = this.dataAt[l] as number
      const hiAt = data + 2 * (hi % slots)
      if (lo === oldest) {
        sumA += (m[hiAt] as number) - (m[h + BASE_A] as number)
        sumB += (m[hiAt + 1] as number) - (m[h + BASE_B] as number)
      } else {
        const loAt = data + 2 * ((lo - 1) % slots)
        sumA += (m[hiAt] as number) - (m[loAt] as number)
        sumB += (m[hiAt + 1] as number) - (m[loAt + 1] as number)
      }
    }
    out.a = sumA
    out.b = sumB
    return out
  }

  /** Sums over the buckets whose start lies in `[startMs, endMs)`. */
  sum(startMs: number, endMs: number): ChannelSums {
    return this.sumInto(startMs, endMs, { a: 0, b: 0 })
  }

  /** Bytes held by the counter's array (the dominant part of its memory). */
  get byteLength(): number {
    return this.m.byteLength
  }

  private oldest(l: number): number {
    return Math.max(0, (this.m[l * HEADER + HEAD] as number) - (this.slots[l] as number) + 1)
  }

  /** Adds to bucket `index` of level `l`. */
  private addAt(l: number, index: number, a: number, b: number): boolean {
    const m = this.m
    const h = l * HEADER
    const head = m[h + HEAD] as number
    const slots = this.slots[l] as number
    const data = this.dataAt[l] as number
    if (index >= head) {
      if (index > head) this.advance(l, index)
      const at = data + 2 * (index % slots)
      m[at] = (m[at] as number) + a
      m[at + 1] = (m[at + 1] as number) + b
      return true
    }
    if (index < this.oldest(l)) {
      const next = l + 1
      if (next >= this.slots.length) return false
      const nextIndex = Math.floor(
        (index * (this.resolutionMs[l] as number)) / (this.resolutionMs[next] as number),
      )
      return this.addAt(next, nextIndex, a, b)
    }
    // A late event: every cumulative sum from its bucket to the newest grows.
    for (let k = index; k <= head; k++) {
      const at = data + 2 * (k % slots)
      m[at] = (m[at] as number) + a
      m[at + 1] = (m[at + 1] as number) + b
    }
    return true
  }

  /**
   * Moves level `l`'s head to `index`, handing the buckets that fall out to the next level, and
   * moves the next level's head up to where this one now starts: a coarser level holds exactly
   * the span just before the finer one, even after a long silence.
   */
  private advance(l: number, index: number): void {
    const m = this.m
    const h = l * HEADER
    const head = m[h + HEAD] as number
    const slots = this.slots[l] as number
    const res = this.resolutionMs[l] as number
    const data = this.dataAt[l] as number
    const next = l + 1 < this.slots.length ? l + 1 : -1
    if (head !== Number.NEGATIVE_INFINITY) {
      const headAt = data + 2 * (head % slots)
      const carryA = m[headAt] as number
      const carryB = m[headAt + 1] as number
      const lastOut = Math.min(head, index - slots)
      let prevA = m[h + BASE_A] as number
      let prevB = m[h + BASE_B] as number
      for (let k = this.oldest(l); k <= lastOut; k++) {
        const at = data + 2 * (k % slots)
        const cumA = m[at] as number
        const cumB = m[at + 1] as number
        if ((cumA !== prevA || cumB !== prevB) && next !== -1) {
          this.addAt(
            next,
            Math.floor((k * res) / (this.resolutionMs[next] as number)),
            cumA - prevA,
            cumB - prevB,
          )
        }
        prevA = cumA
        prevB = cumB
      }
      m[h + BASE_A] = prevA
      m[h + BASE_B] = prevB
      for (let k = Math.max(head + 1, index - slots + 1); k <= index; k++) {
        const at = data + 2 * (k % slots)
        m[at] = carryA
        m[at + 1] = carryB
      }
      if (prevA > REBASE_AT || prevB > REBASE_AT) this.rebase(l)
    }
    m[h + HEAD] = index
    m[h + HEAD_START] = index * res
    m[h + HEAD_END] = (index + 1) * res
    m[h + HEAD_AT] = data + 2 * (index % slots)
    if (next !== -1) {
      const nextIndex = Math.floor((this.oldest(l) * res) / (this.resolutionMs[next] as number))
      if (nextIndex > (m[next * HEADER + HEAD] as number)) this.advance(next, nextIndex)
    }
  }

  private rebase(l: number): void {
    const m = this.m
    const h = l * HEADER
    const baseA = m[h + BASE_A] as number
    const baseB = m[h + BASE_B] as number
    const data = this.dataAt[l] as number
    for (let at = data; at < data + 2 * (this.slots[l] as number); at += 2) {
      m[at] = (m[at] as number) - baseA
      m[at + 1] = (m[at + 1] as number) - baseB
    }
    m[h + BASE_A] = 0
    m[h + BASE_B] = 0
  }
}
