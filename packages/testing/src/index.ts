export { FakeClock } from './fake-clock.js'
export type { MemorySourceOptions, MemorySourceQuery } from './memory-source.js'
export { MemorySource } from './memory-source.js'
export { RecordingNotifier } from './recording-notifier.js'
export { createRng } from './rng.js'
export type { Scenario } from './scenarios.js'
export { checkoutScenario } from './scenarios.js'
export type {
  LatencyProfile,
  TrafficFeedTargets,
  TrafficIncident,
  TrafficOptions,
  TrafficRecorder,
  TrafficSimulation,
  TrafficStep,
  TrafficTotals,
} from './simulator.js'
export { simulateTraffic } from './simulator.js'
