import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createSloTracker, type SloRecorder, type SloTracker, type Tally } from '@slokit/core'
import { FakeClock } from '@slokit/testing'
import type { SliTracker } from '../options.js'

const ratio = (id: string) => ({
  id,
  service: 'api',
  sli: { id, kind: 'availability' as const, measurement: { type: 'ratio' as const } },
  objective: '99%',
  window: '1d',
})

/** The SLOs the middleware tests record into. */
export const SLOS = [
  ratio('users-availability'),
  ratio('orders-availability'),
  ratio('api-availability'),
  ratio('missed-availability'),
  ratio('orders-fast'),
  {
    id: 'users-latency',
    service: 'api',
    sli: {
      id: 'users-latency',
      kind: 'latency' as const,
      measurement: { type: 'threshold' as const, comparison: '<=' as const, threshold: 300, unit: 'ms' },
    },
    objective: '99%',
    window: '1d',
  },
]

/** A tracker on fake time that counts the recorder calls, so a test can wait for them. */
export class TestTracker implements SliTracker {
  readonly clock = new FakeClock(Date.UTC(2026, 0, 1))
  /** The monotonic timer the middleware measures durations with. */
  readonly timer = new FakeClock(1_000)
  readonly inner: SloTracker = createSloTracker({ slos: SLOS, clock: this.clock })
  readonly sloIds = this.inner.sloIds
  /** Every recorder call: `[sloId, 'record' | 'observe', value]`. */
  readonly calls: [string, 'record' | 'observe', boolean | number][] = []
  private waiters: { n: number; resolve: () => void }[] = []

  recorder(sloId: string): SloRecorder {
    const inner = this.inner.recorder(sloId)
    return {
      record: (outcome, atMs) => {
        inner.record(outcome, atMs)
        this.note([sloId, 'record', outcome as boolean])
      },
      observe: (value, atMs) => {
        inner.observe(value, atMs)
        this.note([sloId, 'observe', value])
      },
    }
  }

  /** Resolves once at least `n` recorder calls happened in total. */
  waitForCalls(n: number): Promise<void> {
    if (this.calls.length >= n) return Promise.resolve()
    return new Promise((resolve) => this.waiters.push({ n, resolve }))
  }

  counts(sloId: string): Tally {
    return this.inner.status(sloId).counts
  }

  private note(call: [string, 'record' | 'observe', boolean | number]): void {
    this.calls.push(call)
    this.waiters = this.waiters.filter((w) => {
      if (this.calls.length < w.n) return true
      w.resolve()
      return false
    })
  }
}

/** Starts `server` on an ephemeral loopback port; returns its base URL and a closer. */
export async function listen(server: Server): Promise<{ url: string; close: () => Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** Sends one request and returns its status code (the body is read to the end). */
export async function send(url: string, method = 'GET'): Promise<number> {
  const response = await fetch(url, { method })
  await response.arrayBuffer()
  return response.status
}
