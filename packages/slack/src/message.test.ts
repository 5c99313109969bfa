import { NOTIFICATION_KINDS, type Notification, sampleNotification } from '@slokit/alerting'
import { buildSlackMessage } from '@slokit/slack'
import { blocksProblem } from '@slokit/slack/testing'
import { describe, expect, it } from 'vitest'

type AnyBlock = {
  type: string
  text?: { text: string }
  fields?: Array<{ text: string }>
  elements?: Array<Record<string, unknown>>
}
const blocksOf = (n: Notification) => buildSlackMessage(n).blocks as unknown as AnyBlock[]
const fieldTexts = (blocks: AnyBlock[]) => blocks.flatMap((b) => b.fields ?? []).map((f) => f.text)
const contextText = (blocks: AnyBlock[]) =>
  blocks
    .filter((b) => b.type === 'context')
    .flatMap((b) => (b.elements ?? []).map((e) => e.text))
    .join(' ')

describe('buildSlackMessage', () => {
  it.each(NOTIFICATION_KINDS)(
    'lays out a %s notification as blocks Slack accepts, with a text fallback',
    (kind) => {
      const message = buildSlackMessage(sampleNotification(kind))
      expect(message.text.trim()).not.toBe('')
      expect(blocksProblem(message.blocks)).toBeUndefined()
      expect(message.blocks[0]?.type).toBe('header')
    },
  )

  it('firing: severity in the header, the facts as fields, buttons to runbook and dashboard, the start time', () => {
    const notification = sampleNotification('alert_firing')
    const message = buildSlackMessage(notification)
    const blocks = message.blocks as unknown as AnyBlock[]
    expect(message.text).toBe(
      ':red_circle: FIRING (critical): checkout-availability is burning its error budget 14.4× too fast (checkout)',
    )
    expect(blocks[0]?.text?.text).toBe(
      ':red_circle: Firing: checkout-availability is burning its error budget 14.4× too fast',
    )
    expect(fieldTexts(blocks)).toEqual([
      '*SLO*\ncheckout-availability',
      '*Service*\ncheckout',
      '*Severity*\n:red_circle: critical',
      '*SLI*\n97.87% (objective 99.9%)',
      '*Burn rate*\n5m: *19.8×* · 1h: *21.3×*',
      '*Budget remaining*\n71.2%',
    ])
    const actions = blocks.find((b) => b.type === 'actions')
    expect(actions?.elements?.map((e) => [e.action_id, e.url])).toEqual([
      ['slokit_runbook', 'https://runbooks.example.com/checkout/availability'],
      ['slokit_dashboard', 'https://grafana.example.com/d/checkout-slo'],
    ])
    expect(contextText(blocks)).toContain(
      'Firing since <!date^1795183200^{date_short_pretty} {time}|2026-11-20 14:00 UTC>',
    )
    expect(contextText(blocks)).toContain('`slo-burn-rate/checkout-availability/page`')
  })

  it('resolved: a distinct header, how long it lasted instead of burn rates, when it resolved', () => {
    const blocks = blocksOf(sampleNotification('alert_resolved'))
    expect(blocks[0]?.text?.text).toMatch(/^:white_check_mark: Resolved: /)
    expect(fieldTexts(blocks)).toContain('*Duration*\n5m')
    expect(fieldTexts(blocks).some((f) => f.startsWith('*Burn rate*'))).toBe(false)
    expect(contextText(blocks)).toMatch(/^Resolved <!date\^\d+\^/)
  })

  it('shows missing data as "no data", never as 0 or 100 %', () => {
    const base = sampleNotification('alert_firing')
    const alert = {
      ...base.alerts[0]!,
      sli: null,
      budgetRemaining: null,
      burnRates: [{ windowMs: 300_000, burnRate: null }],
    }
    expect(fieldTexts(blocksOf({ ...base, alerts: [alert] }))).toEqual(
      expect.arrayContaining([
        '*SLI*\nno data (objective 99.9%)',
        '*Burn rate*\n5m: no data',
        '*Budget remaining*\nno data',
      ]),
    )
  })

  it.each([
    ['policy', ':clipboard:', 'Error-budget policy'],
    ['freeze', ':snowflake:', 'Deployments frozen'],
    ['unfreeze', ':sunny:', 'Deployments unfrozen'],
    ['review_due', ':calendar:', 'SLO review due'],
    ['report', ':bar_chart:', 'SLO report'],
  ] as const)('%s has its own header and label', (kind, emoji, label) => {
    const message = buildSlackMessage(sampleNotification(kind))
    const blocks = message.blocks as unknown as AnyBlock[]
    expect(blocks[0]?.text?.text.startsWith(`${emoji} `)).toBe(true)
    expect(contextText(blocks)).toContain(`*${label}*`)
    expect(message.text.startsWith(`${emoji} ${label}: `)).toBe(true)
  })

  it('renders details as fields by the unit their names carry', () => {
    const at = Date.UTC(2026, 11, 1, 9)
    const blocks = blocksOf(
      sampleNotification('freeze', {
        details: {
          sloId: 'checkout-availability',
          allow: ['fix', 'rollback'],
          expiresAtMs: at,
          frozenForMs: 5_400_000,
          budgetRemaining: 0.1834,
          nested: { ignored: true },
        },
      }),
    )
    expect(fieldTexts(blocks)).toEqual([
      '*Service*\ncheckout',
      '*SLO*\ncheckout-availability',
      '*Still allowed*\nfix, rollback',
      `*Until*\n<!date^${at / 1000}^{date_short_pretty} {time}|2026-12-01 09:00 UTC>`,
      '*Frozen for*\n1h30m',
      '*Budget remaining*\n18.34%',
    ])
  })

  it('escapes text so it can never ping a channel or forge a link', () => {
    const message = buildSlackMessage(
      sampleNotification('alert_firing', {
        title: 'p99 <300ms & <!channel>',
        body: 'see <https://evil.example|your bank> & <!here>',
      }),
    )
    // mrkdwn is where Slack parses `<…>`: the text fallback and every block but the plain_text header.
    const json = JSON.stringify({ text: message.text, blocks: message.blocks.slice(1) })
    expect(json).not.toContain('<!channel>')
    expect(json).not.toContain('<!here>')
    expect(json).not.toContain('<https://evil')
    expect(message.text).toContain('p99 &lt;300ms &amp; &lt;!channel&gt;')
    // plain_text is shown as is, on one line.
    expect((message.blocks[0] as AnyBlock).text?.text).toBe(':red_circle: Firing: p99 <300ms & <!channel>')
  })

  it('keeps the header on one line and skips links that are not http(s)', () => {
    const blocks = blocksOf(
      sampleNotification('policy', {
        title: 'line one\nline two',
        links: { runbook: 'javascript:alert(1)', dashboard: 'not a url' },
      }),
    )
    expect(blocks[0]?.text?.text).toBe(':clipboard: line one line two')
    expect(blocks.some((b) => b.type === 'actions')).toBe(false)
  })

  it('groups alerts: one section per alert under its title, at most 10, the rest counted', () => {
    const base = sampleNotification('alert_firing')
    const alerts = Array.from({ length: 13 }, (_, i) => ({
      ...base.alerts[0]!,
      alertId: `a${i}`,
      title: `SLO ${i} is burning`,
    }))
    const blocks = blocksOf({ ...base, alerts })
    const sections = blocks.filter((b) => b.type === 'section' && b.fields !== undefined)
    expect(sections).toHaveLength(10)
    expect(sections[0]?.text?.text).toBe('*SLO 0 is burning*')
    expect(contextText(blocks)).toContain('…and 3 more alerts')
  })

  it('splits a long report body into sections at line breaks', () => {
    const body = Array.from({ length: 200 }, (_, i) => `line ${i} ${'x'.repeat(30)}`).join('\n')
    const blocks = blocksOf(sampleNotification('report', { body }))
    const sections = blocks.filter((b) => b.type === 'section' && b.text !== undefined)
    expect(sections.length).toBeGreaterThan(2)
    expect(sections.every((s) => (s.text?.text.length ?? 0) <= 3000)).toBe(true)
    expect(sections.map((s) => s.text?.text).join('\n')).toBe(body)
  })
})
