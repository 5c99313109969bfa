/** Fields an alert's title and body templates may use, and what each becomes. */
export const ALERT_FIELDS = {
  slo: 'the SLO id',
  sloName: 'the SLO name, or its id',
  service: 'the service',
  rule: 'the alert rule name',
  tier: 'page or ticket (burn-rate rules), else empty',
  severity: 'critical, high, warning or info',
  sli: 'the SLI as a percent, or "no data"',
  objective: 'the objective as a percent',
  budgetRemaining: 'the error budget left as a percent',
  burnRate: 'the burn rate over the long window that fired (burn-rate rules)',
  burnRateShort: 'the burn rate over the short window that fired (burn-rate rules)',
  factor: 'the burn-rate threshold that was exceeded (burn-rate rules)',
  window: 'the long and short windows that fired, e.g. 1h/5m (burn-rate rules)',
  reason: 'why the alert fires, in words',
  runbook: 'the SLO runbook URL, or empty',
  dashboard: 'the SLO dashboard URL, or empty',
} as const

/** A field name of {@link ALERT_FIELDS}. */
export type AlertField = keyof typeof ALERT_FIELDS

const FIELD = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g

/** Fields a template uses that do not exist — a config error at load time, not an empty string at 3 a.m. */
export function unknownFields(template: string): string[] {
  return [...template.matchAll(FIELD)].map((m) => m[1] as string).filter((name) => !(name in ALERT_FIELDS))
}

/** Fills a template whose fields were checked with {@link unknownFields}. */
export function renderAlertTemplate(template: string, values: Readonly<Record<AlertField, string>>): string {
  return template.replace(FIELD, (whole, name: string) =>
    name in values ? values[name as AlertField] : whole,
  )
}
