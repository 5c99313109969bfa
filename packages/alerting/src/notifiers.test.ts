import { createHmac } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  ConsoleNotifier,
  parseRetryAfter,
  sampleNotification,
  signWebhook,
  WebhookNotifier,
  webhookChannelSchema,
} from '@slokit/alerting'
import { describeNotifierContract } from '@slokit/alerting/vitest'
import { Secret } from '@slokit/core'
import { describe, expect, it } from 'vitest'

interface Received {
  headers: Record<string, string | string[] | undefined>
  body: string
}

async function fakeReceiver(
  status = 204,
  extraHeaders: Record<string, string> = {},
): Promise<{ url: string; received: Received[]; close: () => Promise<void> }> {
  const received: Received[] = []
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') })
      res.writeHead(status, extraHeaders).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/secret-path-7d1e`
  return { url, received, close: () => new Promise((resolve) => server.close(() => resolve())) }
}

describeNotifierContract('ConsoleNotifier', () => ({ notifier: new ConsoleNotifier({ write: () => {} }) }))

describeNotifierContract('WebhookNotifier', async () => {
  const ok = await fakeReceiver(204)
  const failing = await fakeReceiver(500)
  return {
    notifier: new WebhookNotifier({ url: new Secret('WEBHOOK_URL', ok.url), signingSecret: 'signing-7d1e' }),
    failing: new WebhookNotifier({ url: new Secret('WEBHOOK_URL', failing.url) }),
    secrets: [ok.url, failing.url, 'signing-7d1e', 'secret-path-7d1e'],
    cleanup: async () => {
      await ok.close()
      await failing.close()
    },
  }
})

describe('ConsoleNotifier', () => {
  it('prints one readable line per notification, relative to an epoch when given', async () => {
    let out = ''
    const notification = sampleNotification('alert_firing')
    await new ConsoleNotifier({
      write: (t) => (out += t),
      epochMs: notification.createdAtMs - 3_600_000,
    }).send(notification)
    expect(out.split('\n')[0]).toBe(
      '[+1h] FIRING critical → test-channel: checkout-availability is burning its error budget 14.4× too fast',
    )
  })

  it('counts elapsed time in days and never in weeks, so a timeline reads in one unit', async () => {
    const lines: string[] = []
    const notification = sampleNotification('alert_firing')
    const at = (offsetMs: number) =>
      new ConsoleNotifier({
        write: (t) => lines.push(t.slice(0, t.indexOf(']') + 1)),
        epochMs: notification.createdAtMs - offsetMs,
      }).send(notification)
    await at(21 * 86_400_000)
    await at(19 * 86_400_000 + 14 * 3_600_000 + 10 * 60_000)
    await at(0)
    expect(lines).toEqual(['[+21d]', '[+19d14h10m]', '[+0s]'])
  })
})

describe('WebhookNotifier', () => {
  it('posts the versioned JSON body, signed, with an idempotency key', async () => {
    const receiver = await fakeReceiver(204)
    const now = Date.UTC(2026, 10, 20)
    const notifier = new WebhookNotifier({
      url: receiver.url,
      signingSecret: 'shh',
      clock: { now: () => now },
    })
    const notification = sampleNotification('alert_firing')
    expect(await notifier.send(notification)).toEqual({ ok: true, retryable: false })
    const [request] = receiver.received
    expect(JSON.parse(request!.body)).toEqual({ version: 1, notification })
    expect(request!.headers['idempotency-key']).toBe(notification.id)
    const timestamp = request!.headers['x-slokit-timestamp'] as string
    const expected = createHmac('sha256', 'shh').update(`${timestamp}.${request!.body}`).digest('hex')
    expect(request!.headers['x-slokit-signature-256']).toBe(`sha256=${expected}`)
    expect(signWebhook('shh', request!.body, Number(timestamp))['x-slokit-signature-256']).toBe(
      `sha256=${expected}`,
    )
    await receiver.close()
  })

  it.each([
    [
      429,
      { 'retry-after': '7' },
      { ok: false, retryable: true, retryAfterMs: 7000, error: 'webhook: HTTP 429' },
    ],
    [503, {}, { ok: false, retryable: true, error: 'webhook: HTTP 503' }],
    [400, {}, { ok: false, retryable: false, error: 'webhook: HTTP 400' }],
    [404, {}, { ok: false, retryable: false, error: 'webhook: HTTP 404' }],
  ])('maps HTTP %d to a delivery result', async (status, headers, expected) => {
    const receiver = await fakeReceiver(status, headers)
    expect(await new WebhookNotifier({ url: receiver.url }).send(sampleNotification())).toEqual(expected)
    await receiver.close()
  })

  it('never follows a redirect: the signed body would go to an address nobody configured', async () => {
    const elsewhere = await fakeReceiver(204)
    const redirecting = await fakeReceiver(307, { location: elsewhere.url })
    const notifier = new WebhookNotifier({ url: redirecting.url, signingSecret: 'shh' })
    const result = await notifier.send(sampleNotification('alert_firing'))
    expect(result).toMatchObject({ ok: false, retryable: false })
    expect(result.error).toContain('HTTP 307: redirects are not followed')
    expect(elsewhere.received).toHaveLength(0)
    await Promise.all([elsewhere.close(), redirecting.close()])
  })

  it('takes its timeout as a duration in the channels section', () => {
    expect(
      webhookChannelSchema.parse({ type: 'webhook', url: 'https://example.com/hook', timeout: '5s' }).timeout,
    ).toBe(5000)
    expect(
      webhookChannelSchema.safeParse({ type: 'webhook', url: 'https://example.com/hook', timeout: 5000 })
        .success,
    ).toBe(false)
  })

  it('reports an unreachable receiver as retryable, without its URL', async () => {
    const result = await new WebhookNotifier({ url: 'http://127.0.0.1:1/hooks/secret-path-7d1e' }).send(
      sampleNotification(),
    )
    expect(result).toMatchObject({ ok: false, retryable: true })
    expect(result.error).not.toContain('secret-path')
  })
})

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    const now = Date.UTC(2026, 10, 20)
    expect(parseRetryAfter('3', now)).toBe(3000)
    expect(parseRetryAfter(new Date(now + 5000).toUTCString(), now)).toBe(5000)
    expect(parseRetryAfter(null, now)).toBeUndefined()
    expect(parseRetryAfter('soon', now)).toBeUndefined()
  })
})
