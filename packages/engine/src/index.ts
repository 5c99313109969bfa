export type {
  Engine,
  EngineOptions,
  EngineStores,
  StatusSink,
  TickResult,
  Timers,
  TrackedStatuses,
} from './engine.js'
export { createEngine } from './engine.js'
export type { EngineEventName, EngineEvents, SourceErrorEvent, TickEvent } from './events.js'
export { freezeChannels, freezeNotifications, policyNotifications } from './policy-notifications.js'
