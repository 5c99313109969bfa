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
export type {
  EngineEventName,
  EngineEvents,
  JobErrorEvent,
  JobEvent,
  SourceErrorEvent,
  TickEvent,
} from './events.js'
export type { EngineJob, JobContext, JobStateStore } from './jobs.js'
export { FileJobStateStore, MemoryJobStateStore } from './jobs.js'
export { freezeChannels, freezeNotifications, policyNotifications } from './policy-notifications.js'
