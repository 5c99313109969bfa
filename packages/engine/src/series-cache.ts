import type { EventPoint, SliSeries, ValuePoint } from '@slokit/core'

interface Cached {
  series: SliSeries
  fetchedUntilMs: number
}

/**
 * Keeps each SLI's series between evaluations so the engine fetches only what is new: the range
 * since the last fetch, plus a re-fetch margin for data that arrives late (a scrape that lands a
 * minute after its timestamp). Points older than what any SLO needs are dropped.
 */
export class SeriesCache {
  readonly #entries = new Map<string, Cached>()

  constructor(private readonly refetchMs: number) {}

  /** The range to query for an SLI that needs data from `neededFromMs` up to `now`. */
  rangeFor(sliId: string, neededFromMs: number, now: number): { startMs: number; endMs: number } {
    const cached = this.#entries.get(sliId)
    if (cached === undefined || cached.fetchedUntilMs - this.refetchMs <= neededFromMs)
      return { startMs: neededFromMs, endMs: now }
    return { startMs: cached.fetchedUntilMs - this.refetchMs, endMs: now }
  }

  /** Merges an answer for `range` and returns the full series from `neededFromMs`. */
  merge(
    sliId: string,
    answer: SliSeries,
    range: { startMs: number; endMs: number },
    neededFromMs: number,
  ): SliSeries {
    const cached = this.#entries.get(sliId)
    let merged: SliSeries
    if (cached === undefined || cached.series.kind !== answer.kind || range.startMs <= neededFromMs) {
      merged = answer
    } else if (answer.kind === 'events') {
      const kept = (cached.series.points as readonly EventPoint[]).filter(
        (p) => p.t >= neededFromMs && p.t < range.startMs,
      )
      merged = { ...answer, points: [...kept, ...answer.points] }
    } else {
      const kept = (cached.series.points as readonly ValuePoint[]).filter(
        (p) => p.t >= neededFromMs && p.t < range.startMs,
      )
      merged = { ...answer, points: [...kept, ...answer.points] }
    }
    this.#entries.set(sliId, { series: merged, fetchedUntilMs: range.endMs })
    return merged
  }

  /** Forgets an SLI (after a failed fetch, so the next one starts over). */
  forget(sliId: string): void {
    this.#entries.delete(sliId)
  }
}
