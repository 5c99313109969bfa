import type {
  ActionsBlock,
  Button,
  ContextBlock,
  KnownBlock,
  MrkdwnElement,
  SectionBlock,
} from '@slack/types'
import type { AlertSummary, BurnRateValue, Notification, NotificationKind, Severity } from '@slokit/alerting'
import { formatDuration } from '@slokit/core'
import { fitSlackLimits, type SlackMessage } from './limits.js'
import { escapeMrkdwn, oneLine, truncate } from './text.js'

/** Alerts of a grouped notification shown in full; the rest are counted. */
const MAX_ALERTS_SHOWN = 10
/** Body text is split into sections of at most this many characters, at line breaks. */
const BODY_CHUNK = 2900

const SEVERITY_EMOJI: Readonly<Record<Severity, string>> = {
  critical: ':red_circle:',
  high: ':large_orange_circle:',
  warning: ':large_yellow_circle:',
  info: ':large_blue_circle:',
}

interface KindLayout {
  readonly emoji: string
  readonly label: string
  /** `details` keys shown first, in this order, with these labels. */
  readonly fields: ReadonlyArray<readonly [key: string, label: string]>
}

const LAYOUT: Readonly<Record<Exclude<NotificationKind, 'alert_firing' | 'alert_resolved'>, KindLayout>> = {
  policy: {
    emoji: ':clipboard:',
    label: 'Error-budget policy',
    fields: [
      ['sloId', 'SLO'],
      ['policy', 'Policy'],
      ['budgetRemaining', 'Budget remaining'],
      ['actions', 'Actions'],
    ],
  },
  freeze: {
    emoji: ':snowflake:',
    label: 'Deployments frozen',
    fields: [
      ['sloId', 'SLO'],
      ['allow', 'Still allowed'],
      ['by', 'By'],
      ['expiresAtMs', 'Until'],
    ],
  },
  unfreeze: {
    emoji: ':sunny:',
    label: 'Deployments unfrozen',
    fields: [
      ['sloId', 'SLO'],
      ['by', 'By'],
      ['frozenForMs', 'Frozen for'],
    ],
  },
  review_due: {
    emoji: ':calendar:',
    label: 'SLO review due',
    fields: [
      ['sloId', 'SLO'],
      ['owner', 'Owner'],
      ['dueAtMs', 'Due'],
      ['lastReviewedAtMs', 'Last reviewed'],
    ],
  },
  report: {
    emoji: ':bar_chart:',
    label: 'SLO report',
    fields: [
      ['period', 'Period'],
      ['slosMet', 'SLOs met'],
      ['slosMissed', 'SLOs missed'],
    ],
  },
}

const mrkdwn = (text: string): MrkdwnElement => ({ type: 'mrkdwn', text, verbatim: true })
const field = (label: string, value: string): MrkdwnElement => mrkdwn(`*${label}*\n${value}`)
const pct = (ratio: number): string => `${Number((ratio * 100).toFixed(2))}%`

/** A time every reader sees in their own time zone, with a UTC fallback for old clients. */
function slackDate(ms: number): string {
  const iso = new Date(ms).toISOString()
  return `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} {time}|${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC>`
}

function burnRates(rates: readonly BurnRateValue[]): string {
  if (rates.length === 0) return 'no data'
  return [...rates]
    .sort((a, b) => a.windowMs - b.windowMs)
    .map(({ windowMs, burnRate }) =>
      burnRate === null
        ? `${formatDuration(windowMs)}: no data`
        : `${formatDuration(windowMs)}: *${Number(burnRate.toFixed(2))}×*`,
    )
    .join(' · ')
}

function isWebUrl(value: string | null | undefined): value is string {
  if (value === null || value === undefined) return false
  try {
    const { protocol } = new URL(value)
    return protocol === 'https:' || protocol === 'http:'
  } catch {
    return false
  }
}

function buttons(notification: Notification): ActionsBlock | undefined {
  const first = notification.alerts[0]
  const runbook = notification.links.runbook ?? first?.runbookUrl
  const dashboard = notification.links.dashboard ?? first?.dashboardUrl
  const elements: Button[] = []
  if (isWebUrl(runbook)) {
    elements.push({
      type: 'button',
      action_id: 'slokit_runbook',
      text: { type: 'plain_text', text: 'Runbook', emoji: true },
      url: runbook,
      ...(notification.kind === 'alert_firing' ? { style: 'primary' as const } : {}),
    })
  }
  if (isWebUrl(dashboard)) {
    elements.push({
      type: 'button',
      action_id: 'slokit_dashboard',
      text: { type: 'plain_text', text: 'Dashboard', emoji: true },
      url: dashboard,
    })
  }
  return elements.length === 0 ? undefined : { type: 'actions', elements }
}

/** Splits text into mrkdwn sections of at most {@link BODY_CHUNK} characters, at line breaks where it can. */
function bodySections(text: string): SectionBlock[] {
  const escaped = escapeMrkdwn(text.trim())
  if (escaped === '') return []
  const chunks: string[] = []
  let current = ''
  for (const line of escaped.split('\n')) {
    const next = current === '' ? line : `${current}\n${line}`
    if (next.length <= BODY_CHUNK) current = next
    else {
      if (current !== '') chunks.push(current)
      current = line
      while (current.length > BODY_CHUNK) {
        const piece = truncate(current, BODY_CHUNK, '')
        chunks.push(piece)
        current = current.slice(piece.length)
      }
    }
  }
  if (current.trim() !== '') chunks.push(current)
  return chunks.map((chunk) => ({ type: 'section', text: mrkdwn(chunk) }))
}

function alertFields(alert: AlertSummary, resolved: boolean): MrkdwnElement[] {
  const fields = [
    field('SLO', escapeMrkdwn(alert.sloId)),
    field('Service', escapeMrkdwn(alert.service)),
    field('Severity', `${SEVERITY_EMOJI[alert.severity]} ${alert.severity}`),
    field('SLI', `${alert.sli === null ? 'no data' : pct(alert.sli)} (objective ${pct(alert.objective)})`),
  ]
  if (resolved && alert.endsAtMs !== null) {
    fields.push(field('Duration', formatDuration(Math.max(0, alert.endsAtMs - alert.startsAtMs))))
  } else {
    fields.push(field('Burn rate', burnRates(alert.burnRates)))
  }
  fields.push(
    field('Budget remaining', alert.budgetRemaining === null ? 'no data' : pct(alert.budgetRemaining)),
  )
  return fields
}

function alertBlocks(notification: Notification, resolved: boolean): KnownBlock[] {
  const blocks: KnownBlock[] = []
  const { alerts } = notification
  const grouped = alerts.length > 1
  for (const alert of alerts.slice(0, MAX_ALERTS_SHOWN)) {
    blocks.push({
      type: 'section',
      ...(grouped ? { text: mrkdwn(`*${escapeMrkdwn(oneLine(alert.title))}*`) } : {}),
      fields: alertFields(alert, resolved),
    })
  }
  if (alerts.length > MAX_ALERTS_SHOWN) {
    blocks.push({
      type: 'context',
      elements: [mrkdwn(`_…and ${alerts.length - MAX_ALERTS_SHOWN} more alerts_`)],
    })
  }
  return blocks
}

function humanize(key: string): string {
  const words = key
    .replace(/(?<=.)Ms$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase()
  return words.charAt(0).toUpperCase() + words.slice(1)
}

/** A `details` value as mrkdwn, by the unit its key names (`…AtMs` a time, `…Ms` a duration, ratios in %). */
function detailValue(key: string, value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : escapeMrkdwn(value)
  if (typeof value === 'boolean') return value ? 'yes' : 'no'
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return String(value)
    if (/AtMs$/.test(key)) return slackDate(value)
    if (/Ms$/.test(key)) return formatDuration(Math.max(0, Math.round(value / 1000) * 1000))
    if (/^(budgetRemaining|sli|objective|compliance)$|Ratio$/.test(key)) return pct(value)
    return String(value)
  }
  if (Array.isArray(value) && value.every((item) => ['string', 'number', 'boolean'].includes(typeof item))) {
    return value.length === 0 ? 'none' : escapeMrkdwn(value.join(', '))
  }
  return undefined
}

function detailFields(notification: Notification, layout: KindLayout): MrkdwnElement[] {
  const fields: MrkdwnElement[] = []
  if (notification.service !== null) fields.push(field('Service', escapeMrkdwn(notification.service)))
  const shown = new Set<string>(['service'])
  for (const [key, label] of layout.fields) {
    const value = detailValue(key, notification.details[key])
    shown.add(key)
    if (value !== undefined) fields.push(field(label, value))
  }
  for (const [key, raw] of Object.entries(notification.details)) {
    if (shown.has(key)) continue
    const value = detailValue(key, raw)
    if (value !== undefined) fields.push(field(escapeMrkdwn(humanize(key)), value))
  }
  return fields
}

function header(text: string): KnownBlock {
  return { type: 'header', text: { type: 'plain_text', text: oneLine(text) || 'slokit', emoji: true } }
}

function context(parts: readonly string[]): ContextBlock {
  return { type: 'context', elements: [mrkdwn(parts.join('  ·  '))] }
}

function fallback(prefix: string, notification: Notification): string {
  const service = notification.service === null ? '' : ` (${notification.service})`
  return truncate(
    `${prefix}: ${escapeMrkdwn(oneLine(notification.title))}${escapeMrkdwn(service)}`,
    3000,
    '…',
  )
}

/**
 * Lays a notification out as a Block Kit message, one layout per kind, always with a `text`
 * fallback, within Slack's limits (see `fitSlackLimits`). Text from the notification is escaped,
 * so it can never ping a channel or forge a link.
 *
 * - `alert_firing`: header with the severity, the body, per alert the SLO, service, severity,
 *   SLI against the objective, burn rate per window and budget remaining; buttons to the runbook
 *   and dashboard; when it started.
 * - `alert_resolved`: the same facts with how long it lasted instead of burn rates.
 * - `policy`, `freeze`, `unfreeze`, `review_due`, `report`: a header naming the kind, the body
 *   (split into sections at line breaks), the service and the notification's `details` as fields
 *   (keys ending `AtMs` shown as dates, `Ms` as durations), links as buttons.
 *
 * @example
 * ```ts
 * const message = buildSlackMessage(sampleNotification('alert_firing'))
 * message.text // ':red_circle: FIRING (critical): checkout-availability is burning … (checkout)'
 * ```
 */
export function buildSlackMessage(notification: Notification): SlackMessage {
  const blocks: KnownBlock[] = []
  const links = buttons(notification)
  let text: string
  if (notification.kind === 'alert_firing' || notification.kind === 'alert_resolved') {
    const resolved = notification.kind === 'alert_resolved'
    const emoji = resolved ? ':white_check_mark:' : SEVERITY_EMOJI[notification.severity]
    const state = resolved ? 'Resolved' : 'Firing'
    blocks.push(header(`${emoji} ${state}: ${notification.title}`))
    blocks.push(...bodySections(notification.body))
    blocks.push(...alertBlocks(notification, resolved))
    if (links !== undefined) blocks.push(links)
    const first = notification.alerts[0]
    const times =
      first === undefined
        ? [slackDate(notification.createdAtMs)]
        : resolved && first.endsAtMs !== null
          ? [`Resolved ${slackDate(first.endsAtMs)}`, `firing since ${slackDate(first.startsAtMs)}`]
          : [`Firing since ${slackDate(first.startsAtMs)}`]
    blocks.push(context([...times, `\`${escapeMrkdwn(notification.dedupKey)}\``]))
    text = fallback(
      resolved ? `${emoji} RESOLVED` : `${emoji} FIRING (${notification.severity})`,
      notification,
    )
  } else {
    const layout = LAYOUT[notification.kind]
    blocks.push(header(`${layout.emoji} ${notification.title}`))
    blocks.push(...bodySections(notification.body))
    const fields = detailFields(notification, layout)
    if (fields.length > 0) blocks.push({ type: 'section', fields })
    if (links !== undefined) blocks.push(links)
    blocks.push(context([`*${layout.label}*`, slackDate(notification.createdAtMs), 'slokit']))
    text = fallback(`${layout.emoji} ${layout.label}`, notification)
  }
  return fitSlackLimits({ text, blocks }).message
}
