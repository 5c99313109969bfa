import type { SeriesPoint } from './report.js'

/**
 * Downsamples a time series to at most `threshold` points with largest-triangle-three-buckets
 * (Steinarsson, 2013): it keeps the first and last points and, from each bucket in between, the
 * point that spans the largest triangle with its neighbours, so spikes and dips survive where
 * averaging would flatten them. Points must be in time order.
 *
 * @example
 * ```ts
 * lttb(points, 240).length // <= 240
 * ```
 */
export function lttb(points: readonly SeriesPoint[], threshold: number): SeriesPoint[] {
  const n = points.length
  if (threshold >= n || threshold < 3)
    return threshold < 3 ? points.slice(0, Math.max(0, threshold)) : [...points]
  const out: SeriesPoint[] = [points[0] as SeriesPoint]
  const every = (n - 2) / (threshold - 2)
  let a = 0
  for (let i = 0; i < threshold - 2; i++) {
    // The average of the next bucket is the third corner of the triangle.
    const nextStart = Math.floor((i + 1) * every) + 1
    const nextEnd = Math.min(Math.floor((i + 2) * every) + 1, n)
    let avgT = 0
    let avgV = 0
    for (let j = nextStart; j < nextEnd; j++) {
      const p = points[j] as SeriesPoint
      avgT += p[0]
      avgV += p[1]
    }
    const span = nextEnd - nextStart
    avgT /= span
    avgV /= span
    const start = Math.floor(i * every) + 1
    const end = Math.floor((i + 1) * every) + 1
    const [at, av] = points[a] as SeriesPoint
    let best = start
    let bestArea = -1
    for (let j = start; j < end; j++) {
      const [t, v] = points[j] as SeriesPoint
      const area = Math.abs((at - avgT) * (v - av) - (at - t) * (avgV - av))
      if (area > bestArea) {
        bestArea = area
        best = j
      }
    }
    out.push(points[best] as SeriesPoint)
    a = best
  }
  out.push(points[n - 1] as SeriesPoint)
  return out
}
