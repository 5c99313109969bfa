import { createRng } from '@slokit/testing'
import { describe, expect, it } from 'vitest'

const draw = (seed: number, n: number): number[] => {
  const random = createRng(seed)
  return Array.from({ length: n }, () => random())
}

describe('createRng', () => {
  it('gives the same sequence for the same seed, and a different one for another seed', () => {
    expect(draw(42, 100)).toEqual(draw(42, 100))
    expect(draw(43, 100)).not.toEqual(draw(42, 100))
  })

  it('pins the mulberry32 sequence, so simulations stay reproducible across releases', () => {
    // Reference values of mulberry32 for seed 1 (the published algorithm).
    expect(draw(1, 3)).toEqual([0.6270739405881613, 0.002735721180215478, 0.5274470399599522])
  })

  it('takes the seed modulo 2^32', () => {
    expect(draw(-1, 10)).toEqual(draw(4294967295, 10))
  })

  it('stays in [0, 1) and is roughly uniform', () => {
    const values = draw(7, 100_000)
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0)
    expect(Math.max(...values)).toBeLessThan(1)
    // The mean of n uniforms has sd 1/sqrt(12 n) ≈ 0.0009 here; 5 sd is 0.0046.
    const mean = values.reduce((sum, v) => sum + v, 0) / values.length
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.0046)
    // Each decile should hold 10% ± 5 sd of a binomial(100_000, 0.1) (sd ≈ 95 values).
    const deciles = new Array<number>(10).fill(0)
    for (const v of values) deciles[Math.floor(v * 10)]! += 1
    for (const count of deciles) expect(Math.abs(count - 10_000)).toBeLessThan(475)
  })

  it('rejects a non-integer seed', () => {
    expect(() => createRng(1.5)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }))
    expect(() => createRng(Number.NaN)).toThrow(/seed/)
  })
})
