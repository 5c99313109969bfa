export type { BurnRateSeverity, BurnRateWindow, BurnRateWindowSpec } from './burn-rate.js'
export {
  BURN_RATE_SEVERITIES,
  burnRate,
  burnRateWindowDurations,
  burnRateWindows,
  defaultBurnRateTable,
  describeBurnRateWindow,
  SEVEN_DAY_BURN_RATE_TABLE,
  SRE_WORKBOOK_BURN_RATE_TABLE,
  timeToExhaustionMs,
} from './burn-rate.js'
export type { Clock } from './clock.js'
export { systemClock } from './clock.js'
export { DAY_MS, formatDuration, HOUR_MS, MINUTE_MS, parseDuration, tryParseDuration } from './duration.js'
export type { SlokitErrorCode, SlokitErrorOptions, SpecIssue } from './errors.js'
export { formatSpecPath, SLOKIT_ERROR_CODES, SlokitError, SlokitSpecError } from './errors.js'
export type { EvaluateOptions } from './evaluate.js'
export { defaultBurnRateWindowsMs, evaluateSlo } from './evaluate.js'
export type { LogFields, Logger } from './logger.js'
export { noopLogger } from './logger.js'
export { Secret, secretSchema } from './secret.js'
export type {
  EventPoint,
  EventSeries,
  SeriesProblem,
  SliQueryOptions,
  SliSeries,
  SliSource,
  TimeRange,
  ValuePoint,
  ValueSeries,
} from './sli-source.js'
export { abortedError, checkSeries } from './sli-source.js'
export type {
  Aggregation,
  BudgetingMethod,
  Comparison,
  Measurement,
  NoDataPolicy,
  Priority,
  RatioMeasurement,
  SliKind,
  SliSpec,
  SliSpecInput,
  SloSpec,
  SloSpecInput,
  ThresholdMeasurement,
  TimesliceSpec,
} from './spec.js'
export {
  AGGREGATIONS,
  BUDGETING_METHODS,
  COMPARISONS,
  durationSchema,
  errorBudgetRatio,
  NO_DATA_POLICIES,
  objectiveSchema,
  PRIORITIES,
  parseSli,
  parseSlo,
  SLI_KINDS,
  sliSpecSchema,
  sloSpecSchema,
  windowSchema,
} from './spec.js'
export { describeZodIssue } from './spec-issues.js'
export type {
  BurnRateReading,
  DataQuality,
  DataState,
  ErrorBudget,
  ExcludedData,
  Exclusion,
  SloStatus,
  StatusInputs,
  Tally,
} from './status.js'
export { computeStatus, DATA_STATES, unavailableStatus } from './status.js'
export type { ZonedDateTime } from './time-zone.js'
export { fromZoned, isValidTimeZone, timeZoneOffsetMs, toZoned } from './time-zone.js'
export type { SliceRule } from './timeslice.js'
export { compare, foldInto, sliceRule } from './timeslice.js'
export type {
  DroppedEvents,
  DropReason,
  Outcome,
  SloRecorder,
  SloTracker,
  SloTrackerOptions,
} from './tracker.js'
export { createSloTracker, DROP_REASONS } from './tracker.js'
export type {
  ExhaustionForecast,
  ForecastOptions,
  LinearFit,
  TimePoint,
  Trend,
  TrendDirection,
  TrendOptions,
} from './trend.js'
export {
  analyzeTrend,
  fittedValue,
  forecastExhaustion,
  linearFit,
  TREND_DIRECTIONS,
  volatility,
} from './trend.js'
export type { CalendarUnit, CalendarWindow, RollingWindow, SloWindow, WindowRange } from './window.js'
export { CALENDAR_UNITS, calendarPeriod, maxPeriodMs, nominalPeriodMs, windowRange } from './window.js'
export type { ChannelSums, CounterLevel } from './windowed-counter.js'
export { WindowedCounter } from './windowed-counter.js'
