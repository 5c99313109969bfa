/**
 * `@slokit/testing/alerts`: run alert policies through the engine on fake time, and score them.
 * Needs `@slokit/alerting`, `@slokit/budget` and `@slokit/engine` (optional peer dependencies of
 * this package).
 * @module
 */
export type { AlertScore, FiringEpisode, ScoreOptions, SignificantEvent } from './backtest.js'
export { episodesFrom, scoreAlerts } from './backtest.js'
export type { BacktestOptions, BacktestResult, SignificantEventOptions } from './backtest-run.js'
export { backtestAlerts, significantEvents } from './backtest-run.js'
export type { AlertConfig, AlertScenario, AlertTimeline } from './expect-alerts.js'
export { expectAlerts } from './expect-alerts.js'
export type { PlayableScenario, PlayScenarioOptions, ScenarioRun } from './play-scenario.js'
export { playScenario } from './play-scenario.js'
