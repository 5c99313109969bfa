import { sampleNotification } from '@slokit/alerting'
import { pagerDutyDedupKey, toChangeEvent, toTriggerEvent } from '@slokit/pagerduty'
import { eventProblems } from '@slokit/pagerduty/testing'
import { describe, expect, it } from 'vitest'

describe('toTriggerEvent', () => {
  it('maps a firing alert: summary, source, severity, component, group, class, details with burn rates and budget, links', () => {
    expect(toTriggerEvent(sampleNotification('alert_firing'))).toEqual({
      event_action: 'trigger',
      dedup_key: 'slo-burn-rate/checkout-availability/page',
      payload: {
        summary: 'checkout-availability is burning its error budget 14.4× too fast',
        source: 'checkout',
        severity: 'critical',
        timestamp: '2026-11-20T14:00:00.000Z',
        component: 'checkout-availability',
        group: 'checkout',
        class: 'slo-burn-rate',
        custom_details: {
          body: 'Burn rate 21.3 over 1h and 19.8 over 5m (page above 14.4). 71.2 % of the 30-day budget left.',
          kind: 'alert_firing',
          slo: 'checkout-availability',
          service: 'checkout',
          rule: 'slo-burn-rate',
          severity: 'critical',
          state: 'firing',
          sli: 0.9787,
          objective: 0.999,
          budget_remaining: 0.712,
          burn_rates: { '5m': 19.8, '1h': 21.3 },
          started_at: '2026-11-20T14:00:00.000Z',
          labels: { team: 'payments', tier: '1' },
          annotations: { summary: 'Checkout requests are failing' },
        },
      },
      client: 'slokit',
      links: [
        { href: 'https://runbooks.example.com/checkout/availability', text: 'Runbook' },
        { href: 'https://grafana.example.com/d/checkout-slo', text: 'Dashboard' },
      ],
    })
  })

  it('lists every alert of a group under custom_details.alerts', () => {
    const base = sampleNotification('alert_firing')
    const alerts = [base.alerts[0]!, { ...base.alerts[0]!, alertId: 'b', sloId: 'checkout-latency' }]
    const details = toTriggerEvent({ ...base, alerts }).payload.custom_details as {
      alerts: Array<{ slo: string }>
    }
    expect(details.alerts.map((a) => a.slo)).toEqual(['checkout-availability', 'checkout-latency'])
  })

  it('takes source and client_url from options, and skips links that are not http(s)', () => {
    const event = toTriggerEvent(
      sampleNotification('policy', { links: { runbook: 'javascript:alert(1)' } }),
      {
        source: 'slo-platform',
        clientUrl: 'https://slo.example.com',
      },
    )
    expect(event).toMatchObject({
      payload: { source: 'slo-platform', class: 'policy', severity: 'info' },
      client_url: 'https://slo.example.com',
    })
    expect(event.links).toBeUndefined()
  })

  it('every kind yields an event the strict fake accepts', () => {
    for (const kind of ['alert_firing', 'policy', 'review_due'] as const) {
      expect(
        eventProblems({
          routing_key: 'k'.repeat(32),
          ...toTriggerEvent(sampleNotification(kind, { title: '' })),
        }),
      ).toEqual([])
    }
  })
})

describe('toChangeEvent', () => {
  it('puts the kind, service, body and details in custom_details', () => {
    expect(toChangeEvent(sampleNotification('freeze', { details: { allow: ['fix'] } }))).toEqual({
      payload: {
        summary: 'freeze for checkout',
        source: 'checkout',
        timestamp: '2026-11-20T14:05:00.000Z',
        custom_details: { kind: 'freeze', service: 'checkout', body: 'Details follow.', allow: ['fix'] },
      },
      links: [
        { href: 'https://runbooks.example.com/checkout/availability', text: 'Runbook' },
        { href: 'https://grafana.example.com/d/checkout-slo', text: 'Dashboard' },
      ],
    })
  })
})

describe('pagerDutyDedupKey', () => {
  it('keeps keys up to 255 characters and hashes longer ones to a stable key that fits', () => {
    expect(pagerDutyDedupKey('k'.repeat(255))).toBe('k'.repeat(255))
    const long = 'g'.repeat(1000)
    expect(pagerDutyDedupKey(long)).toBe(pagerDutyDedupKey(long))
    expect(pagerDutyDedupKey(long).length).toBeLessThanOrEqual(255)
    expect(pagerDutyDedupKey(long)).not.toBe(pagerDutyDedupKey(`${long}x`))
  })
})
