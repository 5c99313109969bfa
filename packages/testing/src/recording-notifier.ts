import type { DeliveryResult, Notification, Notifier, SendOptions } from '@slokit/alerting'

/**
 * A notifier for tests: records every notification it is sent and answers as scripted (delivered
 * by default). Script failures to test retries: `notifier.failNext({ retryable: true, error: 'HTTP 503' }, 3)`.
 *
 * @example
 * ```ts
 * const pager = new RecordingNotifier('pager')
 * const engine = createEngine({ slos, sources, alerts, notifiers: { pager } })
 * await engine.tick(now)
 * expect(pager.sent.map((n) => n.kind)).toEqual(['alert_firing'])
 * ```
 */
export class RecordingNotifier implements Notifier {
  readonly name: string
  /** Every notification received, in order, including failed attempts. */
  readonly sent: Notification[] = []
  /** Only the notifications answered with success. */
  readonly delivered: Notification[] = []
  readonly #scripted: DeliveryResult[] = []

  constructor(name = 'recording') {
    this.name = name
  }

  /** Answers the next `times` sends with this failure. */
  failNext(failure: Omit<DeliveryResult, 'ok'> & { retryable: boolean }, times = 1): this {
    for (let i = 0; i < times; i++) this.#scripted.push({ ...failure, ok: false })
    return this
  }

  async send(notification: Notification, options: SendOptions = {}): Promise<DeliveryResult> {
    this.sent.push(notification)
    if (options.signal?.aborted === true) return { ok: false, retryable: true, error: 'aborted' }
    const scripted = this.#scripted.shift()
    if (scripted !== undefined) return scripted
    this.delivered.push(notification)
    return { ok: true, retryable: false }
  }
}
