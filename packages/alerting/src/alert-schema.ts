import { durationSchema, PRIORITIES, type SloSpec } from '@slokit/core'
import { z } from 'zod'
import { SEVERITIES } from './notification.js'
import { ALERT_FIELDS, unknownFields } from './template.js'

const fractionSchema = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const ratio =
    typeof value === 'number'
      ? value
      : /^\s*-?\d+(\.\d+)?\s*%\s*$/.test(value)
        ? Number(value.replace('%', '')) / 100
        : Number.NaN
  if (!Number.isFinite(ratio)) {
    ctx.addIssue({
      code: 'custom',
      message: `must be a fraction such as 0.1 or a percent such as "10%", got ${JSON.stringify(value)}`,
    })
    return z.NEVER
  }
  return ratio
})

const templateSchema = z.string().superRefine((template, ctx) => {
  const unknown = unknownFields(template)
  if (unknown.length > 0) {
    ctx.addIssue({
      code: 'custom',
      message: `unknown field ${unknown.map((u) => `{{${u}}}`).join(', ')}; known: ${Object.keys(ALERT_FIELDS)
        .map((k) => `{{${k}}}`)
        .join(', ')}`,
    })
  }
})

/** Which SLOs a rule applies to; every given criterion must hold, and none selects everything. */
export const sloSelectorSchema = z.strictObject({
  slo: z.array(z.string().min(1)).optional(),
  service: z.array(z.string().min(1)).optional(),
  priority: z.array(z.enum(PRIORITIES)).optional(),
  labels: z.record(z.string(), z.string()).optional(),
})
/** A validated SLO selector. */
export type SloSelector = z.output<typeof sloSelectorSchema>

/** Whether `slo` matches `selector` (an absent selector matches every SLO). */
export function selects(selector: SloSelector | undefined, slo: SloSpec): boolean {
  if (selector === undefined) return true
  return (
    (selector.slo === undefined || selector.slo.includes(slo.id)) &&
    (selector.service === undefined || selector.service.includes(slo.service)) &&
    (selector.priority === undefined ||
      (slo.priority !== undefined && selector.priority.includes(slo.priority))) &&
    Object.entries(selector.labels ?? {}).every(([k, v]) => slo.labels[k] === v)
  )
}

const windowRowSchema = z
  .strictObject({
    long: durationSchema,
    short: durationSchema,
    /** Share of the period's budget spent within the long window: `2%` (or 0.02) for the 1h page row. */
    budgetSpent: fractionSchema,
  })
  .superRefine((row, ctx) => {
    if (!(row.short < row.long))
      ctx.addIssue({ code: 'custom', path: ['short'], message: 'must be shorter than `long`' })
    if (!(row.budgetSpent > 0 && row.budgetSpent <= 1)) {
      ctx.addIssue({
        code: 'custom',
        path: ['budgetSpent'],
        message: 'must be a share of the budget above 0 and at most 100% (e.g. 2%)',
      })
    }
  })

const tierSchema = z.strictObject({
  severity: z.enum(SEVERITIES),
  /** Rows that fire this tier; the SRE Workbook's rows for the tier by default. */
  windows: z.array(windowRowSchema).min(1).optional(),
})

const common = {
  name: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, { error: 'must be letters, digits, `_`, `.` or `-`' }),
  selector: sloSelectorSchema.optional(),
  /** The condition must hold this long before the alert fires. */
  for: durationSchema.optional(),
  /**
   * A firing alert resolves only once its condition has not held for this long (Prometheus's
   * `keep_firing_for`): a burn hovering at the threshold pages once, not every few minutes.
   */
  keepFiringFor: durationSchema.optional(),
  labels: z.record(z.string(), z.string()).default({}),
  annotations: z.record(z.string(), z.string()).default({}),
  title: templateSchema.optional(),
  body: templateSchema.optional(),
}

const burnRateRuleSchema = z.strictObject({
  ...common,
  type: z.literal('burn_rate'),
  /** The page tier; `false` disables it. */
  page: z.union([tierSchema, z.literal(false)]).default({ severity: 'critical' }),
  /** The ticket tier; `false` disables it. */
  ticket: z.union([tierSchema, z.literal(false)]).default({ severity: 'warning' }),
  /** Low-traffic guard: fewer events than this in the long window never fire (and the alert state says so). */
  minEvents: z.number().int().nonnegative().default(0),
  /** Low-traffic guard: fewer events per second than this over the long window never fire. */
  minRequestRate: z.number().nonnegative().default(0),
})

const budgetRuleSchema = z.strictObject({
  ...common,
  type: z.literal('budget_remaining'),
  below: fractionSchema,
  severity: z.enum(SEVERITIES),
})
const notMetRuleSchema = z.strictObject({
  ...common,
  type: z.literal('slo_not_met'),
  severity: z.enum(SEVERITIES),
})
const trendRuleSchema = z.strictObject({
  ...common,
  type: z.literal('trend'),
  severity: z.enum(SEVERITIES),
  /** The history the trend is judged on. */
  lookback: durationSchema.prefault('7d'),
  /** Fewer statuses than this in the lookback give no verdict. */
  minPoints: z.number().int().min(3).default(12),
})
const noDataRuleSchema = z.strictObject({
  ...common,
  type: z.literal('no_data'),
  severity: z.enum(SEVERITIES),
  /** No data (or stale data) for longer than this fires. */
  after: durationSchema,
})

/** One alert rule. */
export const alertRuleSchema = z.discriminatedUnion('type', [
  burnRateRuleSchema,
  budgetRuleSchema,
  notMetRuleSchema,
  trendRuleSchema,
  noDataRuleSchema,
])

const routeSchema = z.strictObject({
  /** Alerts matching every given criterion take this route; no `match` matches everything. */
  match: z
    .strictObject({
      severity: z.array(z.enum(SEVERITIES)).optional(),
      service: z.array(z.string().min(1)).optional(),
      rule: z.array(z.string().min(1)).optional(),
      labels: z.record(z.string(), z.string()).optional(),
    })
    .optional(),
  channels: z.array(z.string().min(1)).min(1),
  /** When an alert stays firing past `after`, notify `channels` as well (once per firing). */
  escalate: z.strictObject({ after: durationSchema, channels: z.array(z.string().min(1)).min(1) }).optional(),
  /** Keep looking for more matching routes after this one. */
  continue: z.boolean().default(false),
})

/**
 * The schema of the config's `alerts` section.
 *
 * ```yaml
 * alerts:
 *   rules:
 *     - { name: slo-burn-rate, type: burn_rate, selector: { priority: [critical, high] }, minEvents: 100 }
 *     - { name: budget-low, type: budget_remaining, below: 10%, severity: high }
 *     - { name: no-data, type: no_data, after: 15m, severity: warning }
 *   routes:
 *     - { match: { severity: [critical], service: [checkout] }, channels: [pagerduty-checkout], escalate: { after: 30m, channels: [pagerduty-platform] } }
 *     - { channels: [slack-sre] }
 *   cooldown: 10m
 * ```
 */
export const alertsSectionSchema = z
  .strictObject({
    rules: z.array(alertRuleSchema).default([]),
    routes: z.array(routeSchema).default([]),
    /** After an alert resolves, it may not fire again for this long (no flapping). */
    cooldown: durationSchema.prefault('10m'),
    /** Alerts of one service that fire in the same evaluation go out as one notification. */
    groupByService: z.boolean().default(true),
    /** While a page-tier alert fires for an SLO, its ticket-tier alerts stay quiet. */
    inhibitTicketsWhilePaging: z.boolean().default(true),
  })
  .superRefine((section, ctx) => {
    const seen = new Set<string>()
    section.rules.forEach((rule, index) => {
      if (seen.has(rule.name))
        ctx.addIssue({
          code: 'custom',
          path: ['rules', index, 'name'],
          message: `duplicate rule name \`${rule.name}\``,
        })
      seen.add(rule.name)
      if (rule.type === 'burn_rate' && rule.page === false && rule.ticket === false) {
        ctx.addIssue({
          code: 'custom',
          path: ['rules', index],
          message: 'both tiers are disabled: the rule can never fire',
        })
      }
    })
  })

/** The `alerts` section as written. */
export type AlertsSectionInput = z.input<typeof alertsSectionSchema>
/** The `alerts` section, validated. */
export type AlertsSection = z.output<typeof alertsSectionSchema>
/** One validated alert rule. */
export type AlertRule = AlertsSection['rules'][number]
/** One validated route. */
export type AlertRoute = AlertsSection['routes'][number]
