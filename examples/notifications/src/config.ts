/** Options of {@link notificationsConfig}. */
export interface NotificationsConfigOptions {
  /**
   * The Events API base URL for the PagerDuty channel (EU accounts, a proxy, a local fake). Left
   * out, the channel uses PagerDuty's default, `https://events.pagerduty.com`.
   */
  readonly pagerdutyBaseUrl?: string | undefined
}

/**
 * The example's slokit config: one SLO (`checkout-availability`, 99.9 % over 30 days), the
 * multi-window burn-rate rule, pages to PagerDuty and Slack, tickets to Slack, and the two
 * channels. The secrets are only ever `${env:NAME}`: the Slack webhook URL and the PagerDuty
 * routing key come from the environment `startNotifications` is given.
 *
 * @example
 * ```ts
 * const text = notificationsConfig({ pagerdutyBaseUrl: 'https://events.eu.pagerduty.com' })
 * ```
 */
export function notificationsConfig(options: NotificationsConfigOptions = {}): string {
  const baseUrl =
    options.pagerdutyBaseUrl === undefined ? '' : `\n    baseUrl: ${JSON.stringify(options.pagerdutyBaseUrl)}`
  return `apiVersion: slokit/v1

slos:
  - id: checkout-availability
    name: Checkout API requests succeed
    service: checkout
    objective: 99.9%
    window: 30d
    priority: critical
    runbookUrl: https://runbooks.example.com/checkout/availability
    sli:
      id: checkout-requests
      kind: availability
      measurement: { type: ratio }

alerts:
  rules:
    # The SRE Workbook's multi-window, multi-burn-rate alert: a page (critical) when the budget
    # burns 14.4x over 1h and 5m (or 6x over 6h and 30m), a ticket (warning) for slower burns.
    - name: slo-burn-rate
      type: burn_rate
      minEvents: 100
  routes:
    # Pages wake someone up and show in the team channel; nothing else pages.
    - match: { severity: [critical] }
      channels: [pagerduty-checkout, slack-sre]
    - channels: [slack-sre]
  cooldown: 10m

channels:
  slack-sre:
    type: slack
    webhookUrl: \${env:SLACK_WEBHOOK_URL}
  pagerduty-checkout:
    type: pagerduty
    routingKey: \${env:PAGERDUTY_ROUTING_KEY}${baseUrl}
`
}
