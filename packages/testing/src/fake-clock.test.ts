import { SlokitError } from '@slokit/core'
import { FakeClock } from '@slokit/testing'
import { describe, expect, it } from 'vitest'

const invalidArgument = expect.objectContaining({ name: 'SlokitError', code: 'INVALID_ARGUMENT' })

describe('FakeClock', () => {
  it('starts at 2026-01-01T00:00:00Z by default and at the given time otherwise', () => {
    expect(new FakeClock().now()).toBe(Date.parse('2026-01-01T00:00:00Z'))
    expect(new FakeClock(1234).now()).toBe(1234)
  })

  it('moves only when advanced, and returns the new time', () => {
    const clock = new FakeClock(1_000)
    expect(clock.now()).toBe(1_000)
    expect(clock.now()).toBe(1_000)
    expect(clock.advance(500)).toBe(1_500)
    expect(clock.advance(0)).toBe(1_500)
    expect(clock.now()).toBe(1_500)
  })

  it('jumps forward with set() and allows setting the current time', () => {
    const clock = new FakeClock(1_000)
    clock.set(5_000)
    expect(clock.now()).toBe(5_000)
    clock.set(5_000)
    expect(clock.now()).toBe(5_000)
  })

  it('rejects negative and non-finite steps without moving', () => {
    const clock = new FakeClock(1_000)
    for (const ms of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => clock.advance(ms)).toThrow(invalidArgument)
    }
    expect(() => clock.advance(-1)).toThrow(SlokitError)
    expect(() => clock.advance(-1)).toThrow(/FakeClock\.advance\(ms\).*>= 0/)
    expect(clock.now()).toBe(1_000)
  })

  it('refuses to go backwards or to a non-finite time with set()', () => {
    const clock = new FakeClock(1_000)
    expect(() => clock.set(999)).toThrow(invalidArgument)
    expect(() => clock.set(Number.NaN)).toThrow(invalidArgument)
    expect(clock.now()).toBe(1_000)
  })

  it('rejects a non-finite start time', () => {
    expect(() => new FakeClock(Number.NaN)).toThrow(invalidArgument)
  })
})
