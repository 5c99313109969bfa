/**
 * `@slokit/prometheus/testing`: helpers for integration tests against a real Prometheus — start
 * Prometheus or a Pushgateway on 127.0.0.1 (free ports, temporary data directories, stopped by
 * PID), run `promtool`, backfill synthetic series and the results of recording rules into a TSDB,
 * and query it. For tests of packages that read what the generated rules record (dashboards,
 * gates); they need the `prometheus` and `promtool` binaries, and {@link missingBinaries} says
 * when to skip. Node only; nothing here is needed at run time.
 *
 * @example
 * ```ts
 * import { backfill, missingBinaries, startPrometheus } from '@slokit/prometheus/testing'
 *
 * describe.skipIf(missingBinaries() !== undefined)('against a real Prometheus', () => { … })
 * ```
 * @module
 */
export type {
  BackfillRulesOptions,
  PlacedRule,
  RunningPrometheus,
  RunningServer,
  StartPrometheusOptions,
  SyntheticSeries,
  ToolResult,
} from './test-support.js'
export {
  backfill,
  backfillRecordingRules,
  freePort,
  hasBinary,
  missingBinaries,
  promtool,
  queryProm,
  recordingLevels,
  startPrometheus,
  startPushgateway,
  toOpenMetrics,
} from './test-support.js'
