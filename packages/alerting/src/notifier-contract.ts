import { inspect } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { NOTIFICATION_KINDS, type Notifier } from './notification.js'
import { sampleNotification } from './sample-notification.js'

/** What {@link describeNotifierContract} needs from an implementation's test. */
export interface NotifierContractFixture {
  /** A notifier whose destination accepts everything (a fake server, a recording transport). */
  readonly notifier: Notifier
  /** A notifier whose destination fails (e.g. answers 500), to check failures resolve, never reject. */
  readonly failing?: Notifier
  /** Secret values (tokens, webhook URLs) that must never show up in names, errors or printouts. */
  readonly secrets?: readonly string[]
  readonly cleanup?: () => void | Promise<void>
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const item of Object.values(value)) deepFreeze(item)
    Object.freeze(value)
  }
  return value
}

/**
 * The conformance suite for a `Notifier`, ours or yours. Registers vitest tests:
 *
 * - `name` is a non-empty string;
 * - every notification kind is delivered (`ok: true`);
 * - the notification is not mutated;
 * - a failing destination resolves `{ ok: false, retryable, error }` — `send` never rejects;
 * - an aborted signal resolves as a retryable failure rather than hanging or rejecting;
 * - no secret appears in the name, `String(notifier)`, `inspect(notifier)` or any error text.
 *
 * @example
 * ```ts
 * import { describeNotifierContract } from '@slokit/alerting/vitest'
 *
 * describeNotifierContract('TeamsNotifier', async () => {
 *   const server = await startFakeTeams()
 *   return { notifier: new TeamsNotifier({ url: server.url }), secrets: [server.url], cleanup: () => server.close() }
 * })
 * ```
 */
export function describeNotifierContract(
  name: string,
  factory: () => NotifierContractFixture | Promise<NotifierContractFixture>,
): void {
  describe(`Notifier contract: ${name}`, () => {
    let fixture: NotifierContractFixture
    beforeAll(async () => {
      fixture = await factory()
    })
    afterAll(async () => {
      await fixture?.cleanup?.()
    })

    const secretsIn = (text: string): string[] =>
      (fixture.secrets ?? []).filter((secret) => secret !== '' && text.includes(secret))

    it('has a non-empty name', () => {
      expect(typeof fixture.notifier.name).toBe('string')
      expect(fixture.notifier.name.trim()).not.toBe('')
    })

    it.each(NOTIFICATION_KINDS)('delivers a %s notification', async (kind) => {
      const result = await fixture.notifier.send(sampleNotification(kind))
      expect(result, result.error).toMatchObject({ ok: true })
    })

    it('does not mutate the notification', async () => {
      const notification = deepFreeze(sampleNotification('alert_firing'))
      const result = await fixture.notifier.send(notification)
      expect(result.ok).toBe(true)
    })

    it('resolves a failure as { ok: false, retryable, error } and never rejects', async (context) => {
      if (fixture.failing === undefined) return context.skip()
      const result = await fixture.failing.send(sampleNotification('alert_firing'))
      expect(result.ok).toBe(false)
      expect(typeof result.retryable).toBe('boolean')
      expect(typeof result.error).toBe('string')
      expect(secretsIn(result.error ?? '')).toEqual([])
    })

    it('resolves an aborted send as a retryable failure', async () => {
      const controller = new AbortController()
      controller.abort()
      const result = await fixture.notifier.send(sampleNotification('alert_firing'), {
        signal: controller.signal,
      })
      if (!result.ok) expect(result.retryable).toBe(true)
    })

    it('keeps its secrets out of its name and printouts', () => {
      for (const text of [
        fixture.notifier.name,
        String(fixture.notifier),
        inspect(fixture.notifier, { depth: 5 }),
        JSON.stringify(fixture.notifier) ?? '',
      ]) {
        expect(secretsIn(text)).toEqual([])
      }
    })
  })
}
