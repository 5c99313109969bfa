import type { AlertSummary, Notification, NotificationKind } from './notification.js'

/**
 * A realistic notification of any kind, for tests of notifiers and routing. Everything can be
 * overridden.
 *
 * @example
 * ```ts
 * const result = await notifier.send(sampleNotification('alert_firing', { channel: 'slack-sre' }))
 * ```
 */
export function sampleNotification(
  kind: NotificationKind = 'alert_firing',
  overrides: Partial<Notification> = {},
): Notification {
  const at = Date.UTC(2026, 10, 20, 14, 5)
  const alert: AlertSummary = {
    alertId: 'slo-burn-rate/checkout-availability/page',
    rule: 'slo-burn-rate',
    sloId: 'checkout-availability',
    service: 'checkout',
    severity: 'critical',
    state: kind === 'alert_resolved' ? 'resolved' : 'firing',
    title: 'checkout-availability is burning its error budget 14.4× too fast',
    body: 'Burn rate 21.3 over 1h and 19.8 over 5m (page above 14.4). 71.2 % of the 30-day budget left.',
    startsAtMs: at - 5 * 60_000,
    endsAtMs: kind === 'alert_resolved' ? at : null,
    sli: 0.9787,
    objective: 0.999,
    budgetRemaining: 0.712,
    burnRates: [
      { windowMs: 300_000, burnRate: 19.8 },
      { windowMs: 3_600_000, burnRate: 21.3 },
    ],
    labels: { team: 'payments', tier: '1' },
    annotations: { summary: 'Checkout requests are failing' },
    runbookUrl: 'https://runbooks.example.com/checkout/availability',
    dashboardUrl: 'https://grafana.example.com/d/checkout-slo',
  }
  const alerting = kind === 'alert_firing' || kind === 'alert_resolved'
  return {
    id: `${alert.alertId}:1:${overrides.channel ?? 'test-channel'}`,
    dedupKey: alert.alertId,
    kind,
    channel: 'test-channel',
    severity: alerting ? 'critical' : 'info',
    title: alerting ? alert.title : `${kind.replace('_', ' ')} for checkout`,
    body: alerting ? alert.body : 'Details follow.',
    service: 'checkout',
    createdAtMs: at,
    alerts: alerting ? [alert] : [],
    links: { runbook: alert.runbookUrl as string, dashboard: alert.dashboardUrl as string },
    details: {},
    ...overrides,
  }
}
