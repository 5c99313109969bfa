// Child process of outbox.test.ts: an outbox that keeps draining until it is killed.
import { createOutbox, FileOutboxStore, sampleNotification, WebhookNotifier } from '@slokit/alerting'

const [storePath, url, mode] = process.argv.slice(2) as [string, string, string]
const outbox = createOutbox({
  notifiers: { hook: new WebhookNotifier({ url, timeoutMs: 2000 }) },
  store: new FileOutboxStore(storePath),
  retry: { initialDelayMs: 10, maxDelayMs: 40, jitter: 0.5, maxAgeMs: 600_000 },
})
// Ten alerts, each firing then resolving: twenty notifications whose order per alert matters.
const notifications = Array.from({ length: 10 }, (_, i) =>
  (['alert_firing', 'alert_resolved'] as const).map((kind, seq) =>
    sampleNotification(kind, { id: `alert-${i}:${seq + 1}:hook`, dedupKey: `alert-${i}`, channel: 'hook' }),
  ),
).flat()
// Both runs enqueue the same notifications: after a restart, known ids are ignored.
await outbox.enqueue(notifications)
process.stdout.write(`${mode} ready\n`)
for (;;) {
  await outbox.drain()
  await new Promise((resolve) => setTimeout(resolve, 5))
}
