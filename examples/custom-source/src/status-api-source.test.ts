import { readFileSync } from 'node:fs'
import { DAY_MS, evaluateSlo, HOUR_MS, parseSli, parseSlo, SlokitError } from '@slokit/core'
import { describeSliSourceContract } from '@slokit/testing/vitest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dayOfCounts, type FakeStatusApi, startFakeStatusApi } from './fake-status-api.js'
import { statusApiSource } from './status-api-source.js'

const day = { startMs: Date.UTC(2026, 0, 1), endMs: Date.UTC(2026, 0, 1) + DAY_MS }
const requests = parseSli({ id: 'checkout-requests', kind: 'availability', measurement: { type: 'ratio' } })
const unknown = parseSli({ id: 'nobody-knows', kind: 'availability', measurement: { type: 'ratio' } })

// The same conformance suite slokit's own sources (Prometheus, files) pass. 1,440 minutes of 100
// requests, 3 of them failing every 60th minute: 144,000 requests, 72 failures.
describeSliSourceContract('statusApiSource', async () => {
  const api = await startFakeStatusApi({ 'checkout-requests': dayOfCounts(day.startMs) })
  return {
    source: statusApiSource({ url: api.url }),
    ratio: { sli: requests, range: day, expected: { good: 144_000 - 72, total: 144_000 } },
    empty: { sli: requests, range: { startMs: day.endMs, endMs: day.endMs + HOUR_MS } },
    unknownSli: unknown,
    cleanup: () => api.close(),
  }
})

describe('statusApiSource beyond the contract', () => {
  let api: FakeStatusApi
  beforeAll(async () => {
    api = await startFakeStatusApi({ 'checkout-requests': dayOfCounts(day.startMs) })
  })
  afterAll(() => api.close())

  it('is under 30 lines, comments and blank lines included', () => {
    const text = readFileSync(new URL('./status-api-source.ts', import.meta.url), 'utf8')
    expect(text.trimEnd().split('\n').length).toBeLessThan(30)
  })

  it('asks for exactly the range it was given, and its answer evaluates like any other source', async () => {
    const slo = parseSlo({
      id: 'checkout',
      service: 'checkout',
      objective: '99.9%',
      window: '1d',
      sli: requests,
    })
    const series = await statusApiSource({ url: api.url }).query(requests, day)
    expect(api.requests.at(-1)).toBe(`/v1/counts/checkout-requests?from=${day.startMs}&to=${day.endMs}`)
    const status = evaluateSlo(slo, series, { now: day.endMs })
    expect(status.sli).toBeCloseTo(1 - 72 / 144_000, 12)
    // 72 bad of 144 allowed: half the budget left.
    expect(status.budget?.remaining).toBeCloseTo(0.5, 12)
  })

  it('turns a server error into SOURCE_FAILED, and an unknown SLI into UNKNOWN_SLO', async () => {
    const source = statusApiSource({ url: api.url })
    api.failNext(503)
    await expect(source.query(requests, day)).rejects.toMatchObject({ code: 'SOURCE_FAILED' })
    await expect(source.query(unknown, day)).rejects.toMatchObject({ code: 'UNKNOWN_SLO' })
  })

  it('turns an unreachable API into SOURCE_FAILED, and refuses threshold SLIs', async () => {
    const down = statusApiSource({ url: 'http://127.0.0.1:9' })
    await expect(down.query(requests, day)).rejects.toBeInstanceOf(SlokitError)
    await expect(down.query(requests, day)).rejects.toMatchObject({ code: 'SOURCE_FAILED' })
    const latency = parseSli({
      id: 'latency',
      kind: 'latency',
      measurement: { type: 'threshold', comparison: '<=', threshold: 300 },
    })
    await expect(statusApiSource({ url: api.url }).query(latency, day)).rejects.toMatchObject({
      code: 'NOT_SUPPORTED',
    })
  })
})
