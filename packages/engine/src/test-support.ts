import type { DeliveryResult, Notification, Notifier } from '@slokit/alerting'
import { alertsSectionSchema } from '@slokit/alerting'
import {
  type EventPoint,
  parseSlo,
  type SliSeries,
  type SliSource,
  type SloSpec,
  type SloSpecInput,
} from '@slokit/core'

/** A source that answers from a function of time: requests per point and the error ratio at that time. */
export function syntheticSource(
  name: string,
  options: {
    resolutionMs: number
    requestsPerPoint: number
    errorRatio: (t: number) => number
    fromMs: number
  },
): SliSource & { queries: number } {
  const source = {
    name,
    queries: 0,
    async query(_sli: unknown, range: { startMs: number; endMs: number }): Promise<SliSeries> {
      source.queries++
      const points: EventPoint[] = []
      const first = Math.max(
        options.fromMs,
        Math.ceil(range.startMs / options.resolutionMs) * options.resolutionMs,
      )
      for (let t = first; t + options.resolutionMs <= range.endMs; t += options.resolutionMs) {
        const bad = Math.round(options.requestsPerPoint * options.errorRatio(t))
        points.push({ t, good: options.requestsPerPoint - bad, total: options.requestsPerPoint })
      }
      return { kind: 'events', resolutionMs: options.resolutionMs, points }
    },
  }
  return source
}

/** A source that never answers (until aborted, and it ignores that too). */
export function hungSource(name: string): SliSource {
  return { name, query: () => new Promise<never>(() => {}) }
}

/** A notifier that records what it was sent and answers as scripted. */
export function recordingNotifier(
  name = 'recording',
  answer: (n: Notification) => DeliveryResult = () => ({ ok: true, retryable: false }),
): Notifier & {
  sent: Notification[]
} {
  const sent: Notification[] = []
  return {
    name,
    sent,
    async send(notification) {
      sent.push(notification)
      return answer(notification)
    },
  }
}

export const availabilitySlo = (overrides: Partial<SloSpecInput> = {}): SloSpec =>
  parseSlo({
    id: 'checkout-availability',
    service: 'checkout',
    priority: 'critical',
    sli: { id: 'checkout-requests', kind: 'availability', measurement: { type: 'ratio' } },
    objective: '99.9%',
    window: '30d',
    ...overrides,
  })

/** The SRE Workbook's page and ticket tiers, routed to one channel. */
export const workbookAlerts = (channel = 'oncall') =>
  alertsSectionSchema.parse({
    rules: [
      {
        name: 'slo-burn-rate',
        type: 'burn_rate',
        page: { severity: 'critical' },
        ticket: { severity: 'warning' },
      },
    ],
    routes: [{ channels: [channel] }],
    cooldown: '10m',
  })
