const BARS = '▁▂▃▄▅▆▇█'

/**
 * A Unicode sparkline (`▁▂▄▆█`) of the values, averaged into at most `width` buckets and scaled
 * between their minimum and maximum. Non-finite values are skipped; a flat series draws a flat
 * line (`▄▄▄▄`), an empty one an empty string. Pair it with the range it spans: the scale is the
 * series' own, so a tiny wobble fills the height.
 *
 * @example
 * ```ts
 * sparkline([1, 2, 3, 4, 5, 6, 7, 8]) // '▁▂▃▄▅▆▇█'
 * ```
 */
export function sparkline(values: readonly number[], width = 24): string {
  const finite = values.filter((v) => Number.isFinite(v))
  if (finite.length === 0 || width < 1) return ''
  const buckets = Math.min(width, finite.length)
  const averaged: number[] = []
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor((b * finite.length) / buckets)
    const to = Math.floor(((b + 1) * finite.length) / buckets)
    let sum = 0
    for (let i = from; i < to; i++) sum += finite[i] as number
    averaged.push(sum / (to - from))
  }
  let min = Number.POSITIVE_INFINITY
  let max = Number.NEGATIVE_INFINITY
  for (const v of averaged) {
    if (v < min) min = v
    if (v > max) max = v
  }
  const span = max - min
  if (!(span > 1e-12 * Math.max(1, Math.abs(max)))) return BARS[3]!.repeat(averaged.length)
  return averaged.map((v) => BARS[Math.min(7, Math.floor(((v - min) / span) * 8))]).join('')
}
