/**
 * The example's slokit config: `checkout-availability` (99.9 % of requests over 7 days, read from
 * Prometheus's `http_requests_total`), the multi-window burn-rate alert (pages to PagerDuty and
 * Slack, tickets to Slack), an error-budget policy that freezes deployments once half the budget
 * is gone (and tells Slack), and the two channels. Secrets are only ever `${env:NAME}`.
 *
 * @param pagerdutyBaseUrl The Events API base URL (a local fake here); PagerDuty's own when left out.
 */
export function pipelineConfig(pagerdutyBaseUrl?: string): string {
  const baseUrl = pagerdutyBaseUrl === undefined ? '' : `\n    baseUrl: ${JSON.stringify(pagerdutyBaseUrl)}`
  return `apiVersion: slokit/v1

slos:
  - id: checkout-availability
    name: Checkout API requests succeed
    service: checkout
    objective: 99.9%
    window: 7d
    priority: critical
    sli:
      id: checkout-requests
      kind: availability
      measurement:
        type: ratio
        bad: sum(rate(http_requests_total{job="checkout",code=~"5.."}[{{window}}]))
        total: sum(rate(http_requests_total{job="checkout"}[{{window}}]))

alerts:
  rules:
    # Page at 14.4x over 1h and 5m (or 6x over 6h and 30m), ticket for slower burns.
    - name: slo-burn-rate
      type: burn_rate
      minEvents: 100
  routes:
    - match: { severity: [critical] }
      channels: [pagerduty-checkout, slack-sre]
    - channels: [slack-sre]
  cooldown: 10m

policies:
  tiers:
    # SLOs with priority critical follow this policy.
    critical:
      - name: freeze
        when: { budgetRemainingBelow: 50% }
        actions:
          - notify: { channels: [slack-sre], message: "{{slo}} has {{budgetRemaining}} of its budget left: deployments frozen" }
          - freeze_deployments: { allow: [fix, rollback] }

channels:
  slack-sre:
    type: slack
    webhookUrl: \${env:SLACK_WEBHOOK_URL}
  pagerduty-checkout:
    type: pagerduty
    routingKey: \${env:PAGERDUTY_ROUTING_KEY}${baseUrl}
`
}
