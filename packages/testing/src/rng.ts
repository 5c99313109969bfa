import { SlokitError } from '@slokit/core'

/**
 * A seeded pseudo-random number generator (mulberry32): each call returns the next number in
 * `[0, 1)`, and the same seed always gives the same sequence, on every platform. Fast and small,
 * with a period of 2³²; good for simulations and property tests, not for anything secret.
 *
 * @param seed Any integer; it is taken modulo 2³² (so `-1` and `4294967295` give the same sequence).
 * @throws `SlokitError` `INVALID_ARGUMENT` when `seed` is not an integer.
 *
 * @example
 * ```ts
 * const random = createRng(42)
 * const first = random() // always the same number for seed 42
 * const coin = random() < 0.5 ? 'heads' : 'tails'
 * ```
 */
export function createRng(seed: number): () => number {
  if (!Number.isInteger(seed)) {
    throw new SlokitError(
      'INVALID_ARGUMENT',
      `[slokit/testing] createRng(seed): \`seed\` must be an integer, got ${seed}.`,
    )
  }
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
