// The examples of docs/core.md, kept as tests so the page cannot drift from the code.
import { evaluateSlo, MINUTE_MS, parseSlo } from '@slokit/core'
import { expect, it } from 'vitest'

it('docs/core.md: a runnable example', () => {
  const slo = parseSlo({
    id: 'checkout-availability',
    service: 'checkout',
    sli: { id: 'checkout-requests', kind: 'availability', measurement: { type: 'ratio' } },
    objective: '99.9%',
    window: '30d',
  })

  const now = Date.UTC(2026, 5, 30)
  // 1,000,000 requests over the last 30 days, 500 of them failed
  const points = [{ t: now - 20 * 86_400_000, good: 999_500, total: 1_000_000 }]
  const status = evaluateSlo(
    slo,
    { kind: 'events', resolutionMs: MINUTE_MS, points },
    { now, minCoverage: 0 },
  )

  expect(status.sli).toBe(0.9995)
  expect(status.met).toBe(true)
  expect(status.budget).toEqual({
    allowed: 1000,
    spent: 500,
    consumed: 0.5,
    remaining: 0.5,
    allowedMs: null,
    remainingMs: null,
  })
})
