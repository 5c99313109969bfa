export type { ChangeEventOptions, Deployment, FreezeTransitionLike } from './change-events.js'
export { changeEventFor, deploymentChangeEvent } from './change-events.js'
export type {
  CreatePagerDutyNotifierDeps,
  PagerDutyChannelConfig,
  PagerDutyChannelConfigInput,
} from './config.js'
export { createPagerDutyNotifier, pagerdutyChannelSchema, pagerdutyChannelType } from './config.js'
export type {
  PagerDutyAction,
  PagerDutyChangeEvent,
  PagerDutyEvent,
  PagerDutyEventOptions,
  PagerDutyLink,
  PagerDutyPayload,
  PagerDutySeverity,
} from './event.js'
export {
  DEFAULT_PAGERDUTY_ACTIONS,
  MAX_DEDUP_KEY_LENGTH,
  PAGERDUTY_SEVERITIES,
  PAGERDUTY_SEVERITY_FOR,
  pagerDutyDedupKey,
  toChangeEvent,
  toTriggerEvent,
} from './event.js'
export type { PagerDutyEventsClientOptions, PagerDutyResult } from './events-client.js'
export { MAX_EVENT_BYTES, MAX_SUMMARY_LENGTH, PagerDutyEventsClient } from './events-client.js'
export type { PagerDutyNotifierOptions } from './pagerduty-notifier.js'
export { PagerDutyNotifier } from './pagerduty-notifier.js'
