import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  alertsSectionSchema,
  channelsSectionSchema,
  consoleChannelType,
  createAlerting,
  evaluateConditions,
  FileAlertStateStore,
  routeAlert,
  webhookChannelType,
} from '@slokit/alerting'
import {
  computeStatus,
  describeZodIssue,
  parseSlo,
  type SloSpec,
  type SloStatus,
  windowRange,
} from '@slokit/core'
import { describe, expect, it } from 'vitest'

const MINUTE = 60_000
const HOUR = 3_600_000
const t0 = Date.UTC(2026, 10, 1, 12)

const slo = (overrides: Record<string, unknown> = {}): SloSpec =>
  parseSlo({
    id: 'checkout-availability',
    service: 'checkout',
    priority: 'critical',
    sli: { id: 'checkout-requests', kind: 'availability', measurement: { type: 'ratio' } },
    objective: '99.9%',
    window: '30d',
    runbookUrl: 'https://runbooks.example.com/checkout',
    ...overrides,
  })

/** A status whose burn rates over each window are given, with `events` in every window. */
function status(
  target: SloSpec,
  burns: Record<number, number>,
  now = t0,
  events = 100_000,
  remaining = 0.5,
): SloStatus {
  const windows = Object.keys(burns)
    .map(Number)
    .sort((a, b) => a - b)
  const total = 1_000_000
  const bad = Math.round((1 - remaining) * 0.001 * total)
  return computeStatus({
    slo: target,
    now,
    range: windowRange(target.window, now),
    window: { good: total - bad, total },
    burnWindowsMs: windows,
    burnTallies: windows.flatMap((w) => [events - (burns[w] as number) * 0.001 * events, events]),
    coverage: 1,
    lastDataMs: now,
    staleAfterMs: Number.POSITIVE_INFINITY,
    minCoverage: 0,
  })
}
const paging = {
  [5 * MINUTE]: 20,
  [HOUR]: 20,
  [30 * MINUTE]: 1,
  [6 * HOUR]: 1,
  [2 * HOUR]: 1,
  [24 * HOUR]: 1,
  [72 * HOUR]: 1,
}
const quiet = {
  [5 * MINUTE]: 0,
  [HOUR]: 0,
  [30 * MINUTE]: 0,
  [6 * HOUR]: 0,
  [2 * HOUR]: 0,
  [24 * HOUR]: 0,
  [72 * HOUR]: 0,
}

describe('evaluateConditions', () => {
  const rules = alertsSectionSchema.parse({
    rules: [{ name: 'burn', type: 'burn_rate', minEvents: 500 }],
  }).rules

  it('fires a tier when both windows of a row burn faster than its factor', () => {
    const [page, ticket] = evaluateConditions(rules, slo(), status(slo(), paging))
    expect(page).toMatchObject({
      alertId: 'burn/checkout-availability/page',
      active: true,
      suppressed: null,
      burn: { longWindowMs: HOUR, factor: 14.4 },
    })
    expect(page?.reason).toBe('burn rate 20 over 1h and 20 over 5m, threshold 14.4')
    expect(ticket?.active).toBe(false)
  })

  it('suppresses a burn on low traffic, and says why in the state', () => {
    const [page] = evaluateConditions(rules, slo(), status(slo(), paging, t0, 200))
    expect(page).toMatchObject({
      active: false,
      suppressed: 'low traffic: 200 events in 1h, fewer than minEvents 500',
    })
  })

  it('judges nothing without data: a source outage never resolves an alert', () => {
    const unknown = { ...status(slo(), quiet), budget: null, sli: null }
    expect(evaluateConditions(rules, slo(), unknown).map((c) => c.active)).toEqual([null, null])
  })

  it('applies budget, not-met and no-data rules, and only to the SLOs a selector picks', () => {
    const section = alertsSectionSchema.parse({
      rules: [
        { name: 'budget', type: 'budget_remaining', below: '25%', severity: 'high' },
        { name: 'missed', type: 'slo_not_met', severity: 'high' },
        {
          name: 'silent',
          type: 'no_data',
          after: '15m',
          severity: 'warning',
          selector: { service: ['search'] },
        },
      ],
    })
    const conditions = evaluateConditions(section.rules, slo(), status(slo(), quiet, t0, 1000, 0.2))
    expect(conditions.map((c) => [c.alertId, c.active])).toEqual([
      ['budget/checkout-availability', true],
      ['missed/checkout-availability', false],
    ])
    expect(conditions[0]?.reason).toBe('20% of the error budget left (alert below 25%)')
  })
})

describe('alertsSectionSchema', () => {
  it('refuses a template field that does not exist, at load time', () => {
    const result = alertsSectionSchema.safeParse({
      rules: [{ name: 'x', type: 'slo_not_met', severity: 'high', title: '{{slo}} down, see {{runbok}}' }],
    })
    expect(result.success).toBe(false)
    expect(describeZodIssue(result.error!.issues[0]!).message).toMatch(
      /^unknown field \{\{runbok\}\}; known: \{\{slo\}\}/,
    )
  })

  it('refuses burn-rate rows that cannot work: a short window not shorter, a share outside (0, 100 %]', () => {
    const result = alertsSectionSchema.safeParse({
      rules: [
        {
          name: 'burn',
          type: 'burn_rate',
          page: {
            severity: 'critical',
            windows: [
              { long: '1h', short: '1h', budgetSpent: 2 },
              { long: '6h', short: '30m', budgetSpent: '5%' },
            ],
          },
        },
      ],
    })
    expect(result.success).toBe(false)
    expect(result.error!.issues.map((i) => [i.path.join('.'), describeZodIssue(i).message])).toEqual([
      ['rules.0.page.windows.0.short', 'must be shorter than `long`'],
      [
        'rules.0.page.windows.0.budgetSpent',
        'must be a share of the budget above 0 and at most 100% (e.g. 2%)',
      ],
    ])
  })

  it('refuses duplicate rule names and a burn-rate rule with both tiers off', () => {
    const result = alertsSectionSchema.safeParse({
      rules: [
        { name: 'x', type: 'slo_not_met', severity: 'high' },
        { name: 'x', type: 'burn_rate', page: false, ticket: false },
      ],
    })
    expect(result.error?.issues.map((i) => i.message)).toEqual([
      'duplicate rule name `x`',
      'both tiers are disabled: the rule can never fire',
    ])
  })
})

describe('createAlerting', () => {
  const section = alertsSectionSchema.parse({
    rules: [
      { name: 'burn', type: 'burn_rate', for: '2m', labels: { team: 'payments' } },
      { name: 'budget', type: 'budget_remaining', below: 0.25, severity: 'high' },
    ],
    routes: [
      {
        match: { severity: ['critical'] },
        channels: ['pager'],
        escalate: { after: '30m', channels: ['manager'] },
      },
      { channels: ['chat'] },
    ],
    cooldown: '10m',
  })

  it('waits for `for`, fires, escalates after the route says, resolves, and keeps quiet through the cooldown', async () => {
    const alerting = createAlerting({ section })
    const target = slo()
    const run = (burns: Record<number, number>, now: number) =>
      alerting.evaluate([{ slo: target, status: status(target, burns, now) }], {}, now)
    expect((await run(paging, t0)).notifications).toEqual([]) // pending
    const fired = await run(paging, t0 + 2 * MINUTE)
    expect(fired.notifications.map((n) => [n.id, n.kind, n.channel])).toEqual([
      ['burn/checkout-availability/page:1:pager', 'alert_firing', 'pager'],
    ])
    expect(fired.notifications[0]?.alerts[0]).toMatchObject({
      labels: { team: 'payments' },
      runbookUrl: 'https://runbooks.example.com/checkout',
    })
    const escalated = await run(paging, t0 + 33 * MINUTE)
    expect(escalated.notifications.map((n) => [n.id, n.channel, n.title.slice(0, 11)])).toEqual([
      ['burn/checkout-availability/page:2:escalated:manager', 'manager', 'Escalated: '],
    ])
    const resolved = await run(quiet, t0 + 40 * MINUTE)
    expect(resolved.notifications.map((n) => [n.id, n.kind, n.channel])).toEqual([
      ['burn/checkout-availability/page:3:pager', 'alert_resolved', 'pager'],
      ['burn/checkout-availability/page:3:manager', 'alert_resolved', 'manager'],
    ])
    const flapping = await run(paging, t0 + 45 * MINUTE)
    expect(flapping.notifications).toEqual([])
    expect(flapping.states.find((s) => s.tier === 'page')?.suppressed).toBe(
      'cooldown until 2026-11-01T12:50:00.000Z',
    )
  })

  it('keepFiringFor: a burn hovering at the threshold pages once, and resolves after a lull that long', async () => {
    // Above and below the page factor every other 5-minute evaluation, for an hour, then quiet.
    const hovering = (keepFiringFor?: string) => async () => {
      const alerting = createAlerting({
        section: alertsSectionSchema.parse({
          rules: [
            { name: 'burn', type: 'burn_rate', ticket: false, ...(keepFiringFor ? { keepFiringFor } : {}) },
          ],
          routes: [{ channels: ['pager'] }],
          cooldown: '1m',
        }),
      })
      const target = slo()
      const kinds: string[] = []
      for (let minute = 0; minute <= 120; minute += 5) {
        const now = t0 + minute * MINUTE
        const burns = minute <= 60 && minute % 10 === 0 ? paging : quiet
        const result = await alerting.evaluate([{ slo: target, status: status(target, burns, now) }], {}, now)
        kinds.push(...result.notifications.map((n) => `${minute}m ${n.kind}`))
      }
      return kinds
    }
    expect(await hovering()()).toHaveLength(14) // 7 pages, 7 resolves
    // The last burn is at 60m; the lull is seen from 65m, so it resolves at 80m.
    expect(await hovering('15m')()).toEqual(['0m alert_firing', '80m alert_resolved'])
  })

  it('fires a no-data rule only once data has been missing for `after`', async () => {
    const alerting = createAlerting({
      section: alertsSectionSchema.parse({
        rules: [{ name: 'silent', type: 'no_data', after: '15m', severity: 'warning' }],
        routes: [{ channels: ['chat'] }],
      }),
    })
    const stale = (now: number): SloStatus => ({
      ...status(slo(), quiet, now),
      data: { state: 'stale', coverage: 1, lastDataMs: t0, reason: 'the source failed: HTTP 503' },
    })
    const phases: string[] = []
    for (const minutes of [0, 5, 10, 15, 20]) {
      const now = t0 + minutes * MINUTE
      const result = await alerting.evaluate([{ slo: slo(), status: stale(now) }], {}, now)
      phases.push(
        `${minutes}m ${result.states[0]?.phase}${result.notifications.length > 0 ? ' notified' : ''}`,
      )
    }
    expect(phases).toEqual(['0m pending', '5m pending', '10m pending', '15m firing notified', '20m firing'])
  })

  it('groups alerts of one service that fire together into one notification per channel', async () => {
    const alerting = createAlerting({
      section: alertsSectionSchema.parse({
        rules: [{ name: 'budget', type: 'budget_remaining', below: 0.25, severity: 'high' }],
        routes: [{ channels: ['chat'] }],
      }),
    })
    const a = slo()
    const b = slo({ id: 'checkout-latency' })
    const result = await alerting.evaluate(
      [
        { slo: a, status: status(a, quiet, t0, 1000, 0.1) },
        { slo: b, status: status(b, quiet, t0, 1000, 0.2) },
      ],
      {},
      t0,
    )
    expect(result.notifications).toHaveLength(1)
    expect(result.notifications[0]).toMatchObject({
      channel: 'chat',
      severity: 'high',
      title: '2 alerts for checkout: budget on checkout-availability, budget on checkout-latency',
    })
    expect(result.notifications[0]?.alerts.map((x) => x.alertId)).toEqual([
      'budget/checkout-availability',
      'budget/checkout-latency',
    ])
  })

  it('keeps alert states across a restart with a file store: no second page', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'slokit-alerts-'))
    const immediate = alertsSectionSchema.parse({
      rules: [{ name: 'burn', type: 'burn_rate' }],
      routes: [{ channels: ['pager'] }],
    })
    const target = slo()
    const first = createAlerting({
      section: immediate,
      store: new FileAlertStateStore(join(dir, 'alerts.json')),
    })
    expect(
      (await first.evaluate([{ slo: target, status: status(target, paging, t0) }], {}, t0)).notifications,
    ).toHaveLength(1)
    const second = createAlerting({
      section: immediate,
      store: new FileAlertStateStore(join(dir, 'alerts.json')),
    })
    expect(
      (await second.evaluate([{ slo: target, status: status(target, paging, t0 + MINUTE) }], {}, t0 + MINUTE))
        .notifications,
    ).toEqual([])
    expect((await second.states()).find((s) => s.tier === 'page')?.phase).toBe('firing')
  })
})

describe('routeAlert', () => {
  const routes = alertsSectionSchema.parse({
    routes: [
      { match: { service: ['checkout'], severity: ['critical'] }, channels: ['pd-checkout'], continue: true },
      { match: { labels: { team: 'payments' } }, channels: ['slack-payments'] },
      { channels: ['slack-sre'] },
    ],
  }).routes
  it('takes the first matching route, and the next ones while routes say continue', () => {
    expect(
      routeAlert(routes, {
        severity: 'critical',
        service: 'checkout',
        rule: 'r',
        labels: { team: 'payments' },
      }).channels,
    ).toEqual(['pd-checkout', 'slack-payments'])
    expect(
      routeAlert(routes, { severity: 'warning', service: 'checkout', rule: 'r', labels: {} }).channels,
    ).toEqual(['slack-sre'])
  })
})

describe('channelsSectionSchema', () => {
  const schema = channelsSectionSchema({ console: consoleChannelType, webhook: webhookChannelType })
  it('validates each channel by its type, and refuses email with a clear not-supported error', () => {
    expect(schema.parse({ local: { type: 'console' } })).toEqual({ local: { type: 'console' } })
    const result = schema.safeParse({ mail: { type: 'email', to: ['a@b.c'] }, chat: { type: 'msteams' } })
    expect(result.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      [
        'mail.type',
        'email channels are not supported yet: route to Slack, PagerDuty or a webhook (to your mail relay) instead',
      ],
      ['chat.type', 'unknown channel type "msteams": known types are "console", "webhook"'],
    ])
  })
})
