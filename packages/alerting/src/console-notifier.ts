import { formatDuration } from '@slokit/core'
import type { DeliveryResult, Notification, Notifier } from './notification.js'

/** Options of {@link ConsoleNotifier}. */
export interface ConsoleNotifierOptions {
  /** Where lines go; `process.stdout` by default. */
  readonly write?: (text: string) => void
  /** Name in logs; `console` by default. */
  readonly name?: string
  /** Epoch ms to show times relative to, e.g. the start of a simulation; absolute ISO times by default. */
  readonly epochMs?: number
}

const ICON: Readonly<Record<Notification['kind'], string>> = {
  alert_firing: 'FIRING',
  alert_resolved: 'RESOLVED',
  policy: 'POLICY',
  freeze: 'FROZEN',
  unfreeze: 'UNFROZEN',
  review_due: 'REVIEW',
  report: 'REPORT',
}

/**
 * Prints notifications as readable lines — for demos, local development and CI logs. It writes
 * to a stream it is given (never through `console`), and always delivers.
 */
export class ConsoleNotifier implements Notifier {
  readonly name: string
  readonly #write: (text: string) => void
  readonly #epochMs: number | undefined

  constructor(options: ConsoleNotifierOptions = {}) {
    this.name = options.name ?? 'console'
    this.#write = options.write ?? ((text) => void process.stdout.write(text))
    this.#epochMs = options.epochMs
  }

  async send(notification: Notification): Promise<DeliveryResult> {
    const when =
      this.#epochMs === undefined
        ? new Date(notification.createdAtMs).toISOString()
        : `+${elapsed(Math.max(0, Math.round((notification.createdAtMs - this.#epochMs) / 1000) * 1000))}`
    const lines = [
      `[${when}] ${ICON[notification.kind]} ${notification.severity} → ${notification.channel}: ${oneLine(notification.title)}`,
    ]
    if (notification.body !== '') for (const line of notification.body.split('\n')) lines.push(`    ${line}`)
    this.#write(`${lines.join('\n')}\n`)
    return { ok: true, retryable: false }
  }
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/g

/** Days, then the rest: `19d14h10m`, `21d` — never weeks, so a timeline reads in one unit. */
function elapsed(ms: number): string {
  const days = Math.floor(ms / 86_400_000)
  const rest = ms - days * 86_400_000
  if (days === 0) return formatDuration(rest)
  return rest === 0 ? `${days}d` : `${days}d${formatDuration(rest)}`
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').replace(CONTROL, '')
}
