/** Placeholders a policy message may use, and what each becomes. */
export const MESSAGE_PLACEHOLDERS = {
  slo: 'the SLO id',
  service: 'the service',
  policy: 'the policy name',
  objective: 'the objective as a percent, e.g. 99.9%',
  sli: 'the SLI as a percent, or "no data"',
  budgetRemaining: 'the error budget left as a percent, e.g. 23.5%',
  reasons: 'why the policy acted, e.g. "budget remaining 23.5% < 25%"',
} as const

/** A placeholder name of {@link MESSAGE_PLACEHOLDERS}. */
export type MessagePlaceholder = keyof typeof MESSAGE_PLACEHOLDERS

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g

/** The placeholders a template uses that are not known, so a typo is a config error, not an empty string at 3 a.m. */
export function unknownPlaceholders(template: string): string[] {
  const unknown: string[] = []
  for (const match of template.matchAll(PLACEHOLDER)) {
    const name = match[1] as string
    if (!(name in MESSAGE_PLACEHOLDERS)) unknown.push(name)
  }
  return unknown
}

/** Fills a validated template. */
export function renderMessage(
  template: string,
  values: Readonly<Record<MessagePlaceholder, string>>,
): string {
  return template.replace(PLACEHOLDER, (whole, name: string) =>
    name in values ? values[name as MessagePlaceholder] : whole,
  )
}
