import { evaluatePolicy, policiesSectionSchema, policyFor } from '@slokit/budget'
import { describeZodIssue, HOUR_MS, SlokitError } from '@slokit/core'
import { describe, expect, it } from 'vitest'
import { statusWith, testSlo } from './test-support.js'

const section = policiesSectionSchema.parse({
  tiers: {
    critical: [
      {
        name: 'half',
        when: { budgetRemainingBelow: '50%' },
        actions: [{ notify: { channels: ['slack-sre'], message: '{{slo}}: {{budgetRemaining}} left' } }],
      },
      {
        name: 'freeze',
        when: { budgetRemainingBelow: 0.25 },
        actions: [
          { notify: { channels: ['pagerduty'] } },
          { freeze_deployments: { allow: ['fix', 'rollback'] } },
        ],
      },
      {
        name: 'fast-burn',
        when: { burnRateAbove: { rate: 14.4, window: '1h' } },
        actions: [{ require_approval: { approvers: ['sre'] } }],
      },
    ],
    payments: {
      appliesTo: { service: ['payments'] },
      steps: [
        {
          when: { exhaustionWithin: '3d' },
          actions: [
            { freeze_deployments: { allow: ['rollback'], unfreezeAbove: 0.5 } },
            { custom: { action: 'open-incident', with: { severity: 2 } } },
          ],
        },
      ],
      messages: { ok: '{{slo}} is fine', alert: 'ALERT {{slo}}: {{reasons}}' },
    },
  },
})

describe('policiesSectionSchema', () => {
  it('accepts the step-list shorthand and fills defaults', () => {
    expect(section.tiers.critical?.steps).toHaveLength(3)
    expect(section.gate).toEqual({ warnBelow: 0.25, failBelow: 0 })
    expect(section.corrections).toEqual([])
  })

  it('refuses an unknown placeholder in a message: a config error, not an empty string at 3 a.m.', () => {
    const result = policiesSectionSchema.safeParse({
      tiers: {
        critical: [
          {
            when: { budgetRemainingBelow: 0.5 },
            actions: [{ notify: { channels: ['x'], message: '{{sloo}} is burning' } }],
          },
        ],
      },
    })
    expect(result.success).toBe(false)
    const issue = describeZodIssue(result.error!.issues[0]!)
    expect(issue.path).toEqual(['tiers', 'critical', 0, 'actions', 0, 'notify', 'message'])
    expect(issue.message).toMatch(/^unknown placeholder \{\{sloo\}\}; known: \{\{slo\}\}/)
  })

  it('refuses a step without conditions and an unknown change type', () => {
    expect(
      policiesSectionSchema.safeParse({
        tiers: { x: [{ when: {}, actions: [{ notify: { channels: ['a'] } }] }] },
      }).success,
    ).toBe(false)
    expect(
      policiesSectionSchema.safeParse({
        tiers: { x: [{ when: { sloNotMet: true }, actions: [{ freeze_deployments: { allow: ['yolo'] } }] }] },
      }).success,
    ).toBe(false)
  })
})

describe('policyFor', () => {
  it('picks a policy by selector first, else by the SLO priority', () => {
    expect(policyFor(testSlo(), section)?.name).toBe('critical')
    expect(policyFor(testSlo({ service: 'payments' }), section)?.name).toBe('payments')
    expect(policyFor(testSlo({ priority: 'low' }), section)).toBeUndefined()
  })
})

describe('evaluatePolicy', () => {
  const slo = testSlo()
  const critical = section.tiers.critical!

  it('is ok with budget to spare, and says so', () => {
    const decision = evaluatePolicy('critical', critical, slo, statusWith(slo, 0.8))
    expect(decision).toMatchObject({
      state: 'ok',
      matchedSteps: [],
      actions: [],
      freeze: null,
      budgetRemaining: 0.8,
    })
    expect(decision.message).toBe('checkout-availability (checkout) is within its error budget: 80% left')
  })

  it('matches every step whose conditions hold and renders the messages', () => {
    const decision = evaluatePolicy('critical', critical, slo, statusWith(slo, 0.2))
    expect(decision.state).toBe('alert')
    expect(decision.matchedSteps.map((s) => s.name)).toEqual(['half', 'freeze'])
    expect(decision.actions).toEqual([
      { type: 'notify', channels: ['slack-sre'], message: 'checkout-availability: 20% left' },
      {
        type: 'notify',
        channels: ['pagerduty'],
        message: 'checkout-availability (checkout): budget remaining 20% < 25%',
      },
      { type: 'freeze_deployments', allow: ['fix', 'rollback'], unfreezeAbove: 0.35 },
    ])
    expect(decision.freeze).toEqual({
      type: 'freeze_deployments',
      allow: ['fix', 'rollback'],
      unfreezeAbove: 0.35,
    })
    expect(decision.reasons).toEqual(['budget remaining 20% < 50%', 'budget remaining 20% < 25%'])
  })

  it('judges burn rates over the named window', () => {
    const decision = evaluatePolicy('critical', critical, slo, statusWith(slo, 0.9, { [HOUR_MS]: 20 }))
    expect(decision.actions).toEqual([
      {
        type: 'require_approval',
        approvers: ['sre'],
        reason: 'checkout-availability: burn rate 20 over 1h > 14.4',
      },
    ])
  })

  it('forecasts exhaustion at the current burn rate', () => {
    const payments = testSlo({ service: 'payments' })
    const policy = section.tiers.payments!
    // 30 % left burning 5× a 30-day budget runs out in 0.3 × 30 d / 5 = 1.8 days.
    const decision = evaluatePolicy('payments', policy, payments, statusWith(payments, 0.3, { 86400000: 5 }))
    expect(decision.reasons).toEqual(['budget runs out in 1d19h12m at the 1d burn rate'])
    expect(decision.message).toBe(
      'ALERT checkout-availability: budget runs out in 1d19h12m at the 1d burn rate',
    )
    expect(decision.freeze).toMatchObject({ allow: ['rollback'], unfreezeAbove: 0.5 })
    expect(
      evaluatePolicy('payments', policy, payments, statusWith(payments, 0.3, { 86400000: 1 })).state,
    ).toBe('ok')
  })

  it('refuses a custom action the host did not register', () => {
    const payments = testSlo({ service: 'payments' })
    const status = statusWith(payments, 0.1, { 86400000: 5 })
    expect(() =>
      evaluatePolicy('payments', section.tiers.payments!, payments, status, { customActions: ['page-cto'] }),
    ).toThrow(SlokitError)
    const decision = evaluatePolicy('payments', section.tiers.payments!, payments, status, {
      customActions: ['open-incident'],
    })
    expect(decision.actions).toContainEqual({
      type: 'custom',
      action: 'open-incident',
      with: { severity: 2 },
    })
  })

  it('decides nothing without data: unknown, never ok', () => {
    const decision = evaluatePolicy('critical', critical, slo, statusWith(slo, null))
    expect(decision).toMatchObject({ state: 'unknown', actions: [], freeze: null, budgetRemaining: null })
    expect(decision.reasons[0]).toMatch(/^no data to judge/)
  })
})
