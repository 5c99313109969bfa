import { durationSchema, PRIORITIES } from '@slokit/core'
import { z } from 'zod'
import { MESSAGE_PLACEHOLDERS, unknownPlaceholders } from './template.js'

/** Change types a deployment may declare; freezes allow some of them through. */
export const CHANGE_TYPES = ['feature', 'fix', 'rollback', 'config', 'security', 'dependency'] as const

// A fraction of the budget: 0.25 or "25%".
const fractionSchema = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const ratio =
    typeof value === 'number'
      ? value
      : /^\s*-?\d+(\.\d+)?\s*%\s*$/.test(value)
        ? Number(value.replace('%', '').trim()) / 100
        : Number.NaN
  if (!Number.isFinite(ratio) || ratio < -10 || ratio > 1) {
    ctx.addIssue({
      code: 'custom',
      message: `must be a fraction of the budget such as 0.25 or "25%", got ${JSON.stringify(value)}`,
    })
    return z.NEVER
  }
  return ratio
})

const templateSchema = z.string().superRefine((template, ctx) => {
  const unknown = unknownPlaceholders(template)
  if (unknown.length > 0) {
    ctx.addIssue({
      code: 'custom',
      message: `unknown placeholder ${unknown.map((u) => `{{${u}}}`).join(', ')}; known: ${Object.keys(
        MESSAGE_PLACEHOLDERS,
      )
        .map((k) => `{{${k}}}`)
        .join(', ')}`,
    })
  }
})

const conditionSchema = z
  .strictObject({
    /** Budget remaining (fraction) below this. */
    budgetRemainingBelow: fractionSchema.optional(),
    /** Burn rate over `window` above `rate`. */
    burnRateAbove: z.strictObject({ rate: z.number().positive(), window: durationSchema }).optional(),
    /** At the burn rate over `window` (default 1d), the budget runs out within `within`. */
    exhaustionWithin: z
      .union([
        durationSchema.transform((within) => ({ within, window: 86_400_000 })),
        z.strictObject({ within: durationSchema, window: durationSchema.prefault('1d') }),
      ])
      .optional(),
    /** The SLO is not met. */
    sloNotMet: z.literal(true).optional(),
  })
  .refine((c) => Object.values(c).some((v) => v !== undefined), {
    error: 'give at least one condition: budgetRemainingBelow, burnRateAbove, exhaustionWithin or sloNotMet',
  })

const actionSchema = z.union([
  z.strictObject({
    notify: z.strictObject({
      channels: z.array(z.string().min(1)).min(1),
      message: templateSchema.optional(),
    }),
  }),
  z.strictObject({
    require_approval: z.strictObject({
      approvers: z.array(z.string().min(1)).default([]),
      reason: templateSchema.optional(),
    }),
  }),
  z.strictObject({
    freeze_deployments: z.strictObject({
      allow: z.array(z.enum(CHANGE_TYPES)).default(['fix', 'rollback']),
      /** Hysteresis: the freeze ends once the budget left is back above this. */
      unfreezeAbove: fractionSchema.optional(),
    }),
  }),
  z.strictObject({
    custom: z.strictObject({
      action: z.string().min(1),
      with: z.record(z.string(), z.unknown()).default({}),
    }),
  }),
])

const stepSchema = z.strictObject({
  name: z.string().min(1).optional(),
  when: conditionSchema,
  actions: z.array(actionSchema).min(1),
})

const policyObjectSchema = z.strictObject({
  description: z.string().optional(),
  /** Which SLOs follow this policy; by default those whose priority is the policy's name. */
  appliesTo: z
    .strictObject({
      priority: z.array(z.enum(PRIORITIES)).optional(),
      service: z.array(z.string().min(1)).optional(),
      slo: z.array(z.string().min(1)).optional(),
      labels: z.record(z.string(), z.string()).optional(),
    })
    .optional(),
  steps: z.array(stepSchema).min(1),
  messages: z.strictObject({ alert: templateSchema.optional(), ok: templateSchema.optional() }).default({}),
})

/** A policy: its steps, or `{ steps, appliesTo?, messages? }`. */
const policySchema = z.union([
  z
    .array(stepSchema)
    .min(1)
    .transform((steps) => ({
      steps,
      messages: {} as { alert?: string | undefined; ok?: string | undefined },
    })),
  policyObjectSchema,
])

/** Deployment gate settings. */
const gateSchema = z.strictObject({
  /** Budget left below this makes an objective `warn`. */
  warnBelow: fractionSchema.default(0.25),
  /** Budget left below this (or the SLO not met) makes an objective `fail`. */
  failBelow: fractionSchema.default(0),
  /** An objective whose burn rate over `window` exceeds `rate` fails, whatever budget is left. */
  failOnBurnRate: z.strictObject({ rate: z.number().positive(), window: durationSchema }).optional(),
  /** Keptn-style scoring: weights, key objectives and the score thresholds (percent). */
  scoring: z
    .strictObject({
      pass: z.number().min(0).max(100).default(90),
      warning: z.number().min(0).max(100).default(75),
      weights: z.record(z.string(), z.number().positive()).default({}),
      key: z.array(z.string().min(1)).default([]),
    })
    .optional(),
})

/** A budget correction: a one-off or recurring time range left out of SLO evaluation. */
const correctionSchema = z
  .strictObject({
    name: z.string().min(1),
    reason: z.string().min(1),
    /** The SLOs it applies to, by id; or `selector`. */
    slos: z.array(z.string().min(1)).optional(),
    selector: z
      .strictObject({
        service: z.array(z.string().min(1)).optional(),
        priority: z.array(z.enum(PRIORITIES)).optional(),
        labels: z.record(z.string(), z.string()).optional(),
      })
      .optional(),
    /** Start (the first occurrence for a recurring correction), ISO 8601 with Z or an offset. */
    start: z.iso.datetime({
      offset: true,
      error: 'must be an ISO 8601 time with Z or an offset, e.g. 2026-11-01T02:00:00Z',
    }),
    end: z.iso.datetime({ offset: true }).optional(),
    duration: durationSchema.optional(),
    /** An iCalendar recurrence rule (RFC 5545 RRULE), e.g. `FREQ=WEEKLY;BYDAY=SU`, in UTC. */
    rrule: z.string().min(1).optional(),
  })
  .superRefine((c, ctx) => {
    if (c.slos === undefined && c.selector === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['slos'],
        message: 'say which SLOs it applies to: `slos` or `selector`',
      })
    }
    if ((c.end === undefined) === (c.duration === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['duration'], message: 'give either `end` or `duration`' })
    }
    if (c.rrule !== undefined && c.end !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['end'],
        message: 'a recurring correction takes `duration`, not `end`',
      })
    }
    if (c.end !== undefined && Date.parse(c.end) <= Date.parse(c.start)) {
      ctx.addIssue({ code: 'custom', path: ['end'], message: '`end` must be after `start`' })
    }
  })

/**
 * The schema of the config's `policies` section:
 *
 * ```yaml
 * policies:
 *   tiers:        # error-budget policies by name; by default an SLO follows the one named by its priority
 *     critical:
 *       - when: { budgetRemainingBelow: 25% }
 *         actions:
 *           - notify: { channels: [slack-sre], message: "{{slo}} has {{budgetRemaining}} left" }
 *           - freeze_deployments: { allow: [fix, rollback], unfreezeAbove: 35% }
 *   gate: { warnBelow: 25%, scoring: { weights: { checkout-availability: 2 }, key: [checkout-availability] } }
 *   corrections:
 *     - { name: sunday-maintenance, reason: Weekly DB maintenance, slos: [checkout-availability],
 *         start: 2026-11-01T02:00:00Z, duration: 1h, rrule: FREQ=WEEKLY;BYDAY=SU }
 * ```
 */
export const policiesSectionSchema = z.strictObject({
  tiers: z.record(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/), policySchema).default({}),
  gate: gateSchema.default({ warnBelow: 0.25, failBelow: 0 }),
  corrections: z.array(correctionSchema).default([]),
})

/** The `policies` section as written. */
export type PoliciesSectionInput = z.input<typeof policiesSectionSchema>
/** The `policies` section, validated. */
export type PoliciesSection = z.output<typeof policiesSectionSchema>
/** One validated error-budget policy. */
export type BudgetPolicy = PoliciesSection['tiers'][string]
/** One step of a policy. */
export type PolicyStep = BudgetPolicy['steps'][number]
/** A step's conditions. */
export type PolicyCondition = PolicyStep['when']
/** An action as written in a step. */
export type PolicyActionSpec = PolicyStep['actions'][number]
/** Deployment gate settings. */
export type GateSettings = PoliciesSection['gate']
/** A validated budget correction. */
export type Correction = PoliciesSection['corrections'][number]
/** One of {@link CHANGE_TYPES}. */
export type ChangeType = (typeof CHANGE_TYPES)[number]
