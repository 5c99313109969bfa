import type { EventPoint, ValuePoint } from '@slokit/core'
import { quote, type Row } from './row.js'

/** Resolution of an SLI with a single timestamp, when none is configured. */
export const DEFAULT_RESOLUTION_MS = 60_000

/** A ratio SLI's rows, sorted by time, with the counts of rows at the same time summed. */
export interface EventIndex {
  readonly kind: 'events'
  /** Rows read for the SLI (before rows at the same time are summed). */
  readonly rows: number
  readonly resolutionMs: number
  readonly t: Float64Array
  readonly good: Float64Array
  readonly total: Float64Array
}

/** A threshold SLI's rows, sorted by time (file order among equal times), every value kept. */
export interface ValueIndex {
  readonly kind: 'values'
  /** Rows read for the SLI. */
  readonly rows: number
  readonly resolutionMs: number
  readonly t: Float64Array
  readonly value: Float64Array
}

/** One SLI's rows, as {@link SliIndexBuilder.build} leaves them. */
export type SliIndex = EventIndex | ValueIndex

/** A growable column of numbers, doubling a typed array as rows come in. */
class Column {
  // Empty until the first push, so a column an SLI never uses (`total` of values) costs nothing.
  private data = new Float64Array(0)
  length = 0

  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = new Float64Array(Math.max(256, this.data.length * 2))
      grown.set(this.data)
      this.data = grown
    }
    this.data[this.length++] = value
  }

  /** Forgets every value and frees the memory they took. */
  clear(): void {
    this.data = new Float64Array(0)
    this.length = 0
  }

  /** The values in the given order (or in insertion order), as a tight copy. */
  take(order: Uint32Array | undefined): Float64Array {
    if (order === undefined) return this.data.slice(0, this.length)
    const out = new Float64Array(this.length)
    for (let i = 0; i < out.length; i++) out[i] = this.data[order[i] as number] as number
    return out
  }
}

interface Collecting {
  readonly kind: Row['kind']
  readonly firstLine: number
  rows: number
  sorted: boolean
  lastT: number
  readonly t: Column
  /** `good` of events, or the value. */
  readonly a: Column
  /** `total` of events. */
  readonly b: Column
}

/**
 * Collects rows per SLI as they are read, then sorts them into {@link SliIndex}es that
 * {@link eventPointsIn} and {@link valuePointsIn} answer by binary search.
 */
export class SliIndexBuilder {
  private readonly slis = new Map<string, Collecting>()
  private keepRows = true

  /**
   * Adds a row read on `line`. Returns a problem when the SLI's earlier rows are of the other kind
   * (counts versus values); the row is then not added.
   */
  add(row: Row, line: number): string | undefined {
    let sli = this.slis.get(row.sli)
    if (sli === undefined) {
      sli = {
        kind: row.kind,
        firstLine: line,
        rows: 0,
        sorted: true,
        lastT: Number.NEGATIVE_INFINITY,
        t: new Column(),
        a: new Column(),
        b: new Column(),
      }
      this.slis.set(row.sli, sli)
    } else if (sli.kind !== row.kind) {
      const here = row.kind === 'events' ? 'counts (`good`, `total`)' : 'a `value`'
      const there = sli.kind === 'events' ? 'counts' : 'values'
      return `SLI ${quote(row.sli)} has ${here} here but ${there} from line ${sli.firstLine} on; an SLI's rows hold either counts or values`
    }
    sli.rows++
    if (!this.keepRows) return undefined
    if (row.t < sli.lastT) sli.sorted = false
    sli.lastT = row.t
    pushRow(sli, row)
    return undefined
  }

  /** Stops keeping rows (the file has problems and will not be served); kinds are still checked. */
  discardRows(): void {
    this.keepRows = false
    for (const sli of this.slis.values()) {
      sli.t.clear()
      sli.a.clear()
      sli.b.clear()
    }
  }

  /**
   * Sorts every SLI's rows by time, sums event counts that share a time, and settles each SLI's
   * resolution: `resolutionMs` when given, else the smallest gap between its distinct times.
   */
  build(resolutionMs: number | undefined): Map<string, SliIndex> {
    const built = new Map<string, SliIndex>()
    for (const [id, sli] of this.slis) {
      const order = sli.sorted ? undefined : stableOrder(sli.t)
      const t = sli.t.take(order)
      if (sli.kind === 'values') {
        const value = sli.a.take(order)
        built.set(id, {
          kind: 'values',
          rows: sli.rows,
          resolutionMs: resolutionMs ?? inferResolutionMs(t),
          t,
          value,
        })
      } else {
        const merged = sumSameTimes(t, sli.a.take(order), sli.b.take(order))
        built.set(id, {
          kind: 'events',
          rows: sli.rows,
          resolutionMs: resolutionMs ?? inferResolutionMs(merged.t),
          ...merged,
        })
      }
    }
    return built
  }
}

function pushRow(sli: Collecting, row: Row): void {
  sli.t.push(row.t)
  if (row.kind === 'events') {
    sli.a.push(row.good)
    sli.b.push(row.total)
  } else {
    sli.a.push(row.value)
  }
}

/** The event points of `index` with `startMs <= t < endMs`, as fresh objects. */
export function eventPointsIn(index: EventIndex, startMs: number, endMs: number): EventPoint[] {
  const [from, to] = bounds(index.t, startMs, endMs)
  const points: EventPoint[] = []
  for (let i = from; i < to; i++) {
    points.push({ t: index.t[i] as number, good: index.good[i] as number, total: index.total[i] as number })
  }
  return points
}

/** The value points of `index` with `startMs <= t < endMs`, as fresh objects. */
export function valuePointsIn(index: ValueIndex, startMs: number, endMs: number): ValuePoint[] {
  const [from, to] = bounds(index.t, startMs, endMs)
  const points: ValuePoint[] = []
  for (let i = from; i < to; i++) points.push({ t: index.t[i] as number, value: index.value[i] as number })
  return points
}

function bounds(t: Float64Array, startMs: number, endMs: number): [number, number] {
  const from = lowerBound(t, startMs)
  return [from, Math.max(from, lowerBound(t, endMs))]
}

/** Indices that sort `t` ascending, keeping file order among equal times. */
function stableOrder(t: Column): Uint32Array {
  const times = t.take(undefined)
  const order = new Uint32Array(times.length)
  for (let i = 0; i < order.length; i++) order[i] = i
  return order.sort((x, y) => (times[x] as number) - (times[y] as number) || x - y)
}

function sumSameTimes(
  t: Float64Array,
  good: Float64Array,
  total: Float64Array,
): { t: Float64Array; good: Float64Array; total: Float64Array } {
  let n = 0
  for (let i = 0; i < t.length; i++) {
    if (n > 0 && t[i] === t[n - 1]) {
      good[n - 1] = (good[n - 1] as number) + (good[i] as number)
      total[n - 1] = (total[n - 1] as number) + (total[i] as number)
    } else {
      t[n] = t[i] as number
      good[n] = good[i] as number
      total[n] = total[i] as number
      n++
    }
  }
  return n === t.length
    ? { t, good, total }
    : { t: t.slice(0, n), good: good.slice(0, n), total: total.slice(0, n) }
}

/** The smallest positive gap between consecutive times of sorted `t`; one minute for a single time. */
function inferResolutionMs(t: Float64Array): number {
  let smallest = Number.POSITIVE_INFINITY
  for (let i = 1; i < t.length; i++) {
    const gap = (t[i] as number) - (t[i - 1] as number)
    if (gap > 0 && gap < smallest) smallest = gap
  }
  return Number.isFinite(smallest) ? smallest : DEFAULT_RESOLUTION_MS
}

/** Index of the first time `>= time` in sorted `t`. */
function lowerBound(t: Float64Array, time: number): number {
  let lo = 0
  let hi = t.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if ((t[mid] as number) < time) lo = mid + 1
    else hi = mid
  }
  return lo
}
