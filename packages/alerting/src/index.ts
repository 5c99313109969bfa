export type { AlertRoute, AlertRule, AlertsSection, AlertsSectionInput, SloSelector } from './alert-schema.js'
export { alertRuleSchema, alertsSectionSchema, selects, sloSelectorSchema } from './alert-schema.js'
export type { AlertPhase, AlertState, AlertStateSnapshot, AlertStateStore } from './alert-state-store.js'
export { ALERT_PHASES, FileAlertStateStore, MemoryAlertStateStore } from './alert-state-store.js'
export type {
  Alerting,
  AlertingOptions,
  AlertingResult,
  AlertTransition,
  EvaluateOptions,
} from './alerting.js'
export { createAlerting } from './alerting.js'
export type { ChannelType } from './channels.js'
export { channelsSectionSchema, consoleChannelType, createNotifiers, webhookChannelType } from './channels.js'
export type { AlertCondition, AlertTier, ConditionContext } from './conditions.js'
export { evaluateConditions, tierRows, windowsNeeded } from './conditions.js'
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
export type { DeliveryAttempt, Outbox, OutboxOptions, RetryPolicy } from './outbox.js'
export { createOutbox } from './outbox.js'
export type { OutboxEntry, OutboxStatus, OutboxStore } from './outbox-store.js'
export { FileOutboxStore, MemoryOutboxStore, OUTBOX_STATUSES } from './outbox-store.js'
export type { RoutableAlert, RouteDecision } from './routing.js'
export { channelsNamed, routeAlert } from './routing.js'
export { sampleNotification } from './sample-notification.js'
export type { AlertField } from './template.js'
export { ALERT_FIELDS, renderAlertTemplate, unknownFields } from './template.js'
export type { WebhookBody, WebhookNotifierOptions } from './webhook-notifier.js'
export { parseRetryAfter, signWebhook, WebhookNotifier, webhookChannelSchema } from './webhook-notifier.js'
