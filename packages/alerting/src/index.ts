export type { ConsoleNotifierOptions } from './console-notifier.js'
export { ConsoleNotifier } from './console-notifier.js'
export type {
  AlertSummary,
  BurnRateValue,
  DeliveryResult,
  Notification,
  NotificationKind,
  Notifier,
  SendOptions,
  Severity,
} from './notification.js'
export { NOTIFICATION_KINDS, SEVERITIES } from './notification.js'
export { sampleNotification } from './sample-notification.js'
export type { WebhookBody, WebhookNotifierOptions } from './webhook-notifier.js'
export { parseRetryAfter, signWebhook, WebhookNotifier, webhookChannelSchema } from './webhook-notifier.js'
