export type { CreateSlackNotifierDeps, SlackChannelConfig, SlackChannelConfigInput } from './config.js'
export { createSlackNotifier, slackChannelSchema, slackChannelType } from './config.js'
export type { FittedSlackMessage, SlackMessage } from './limits.js'
export { fitSlackLimits, SLACK_LIMITS } from './limits.js'
export { buildSlackMessage } from './message.js'
export type { PacerSlot, SlackPacerOptions } from './pacer.js'
export { SlackPacer } from './pacer.js'
export type {
  SlackDestination,
  SlackDisabledEvent,
  SlackNotifierOptions,
  SlackNotifierSettings,
  Sleep,
} from './slack-notifier.js'
export { SlackNotifier } from './slack-notifier.js'
export { escapeMrkdwn } from './text.js'
export type { SlackThreadStore } from './thread-store.js'
export { MemorySlackThreadStore } from './thread-store.js'
