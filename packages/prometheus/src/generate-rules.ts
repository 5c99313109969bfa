import {
  type BurnRateWindow,
  type BurnRateWindowSpec,
  burnRateWindowDurations,
  burnRateWindows,
  DAY_MS,
  errorBudgetRatio,
  formatDuration,
  MINUTE_MS,
  nominalPeriodMs,
  SlokitError,
  type SloSpec,
} from '@slokit/core'
import { hasWindowPlaceholder, LABEL_NAME, METRIC_NAME, matchers, promNumber, withWindow } from './promql.js'
import type { AlertingRule, PrometheusRule, RecordingRule, RuleFile, RuleGroup } from './rule-file.js'

/**
 * How generated rules are named:
 * - `slokit`: `slo:sli_error:ratio_increase5m` and friends, labels `slo`, `slo_service`,
 *   `slo_window`;
 * - `sloth`: Sloth's names and labels (`slo:sli_error:ratio_rate5m`, `sloth_id`, `sloth_service`,
 *   `sloth_slo`, `sloth_window`, `slo:period_error_budget_remaining:ratio`, `sloth_slo_info`), so
 *   dashboards and alert routes built for Sloth keep working.
 */
export const RULE_NAMINGS = ['slokit', 'sloth'] as const
/** One of {@link RULE_NAMINGS}. */
export type RuleNaming = (typeof RULE_NAMINGS)[number]

/** Settings of one alert tier (page or ticket) of one SLO. */
export interface AlertTierSettings {
  /** Leave this tier's alert out. */
  readonly disabled?: boolean | undefined
  readonly labels?: Readonly<Record<string, string>> | undefined
  readonly annotations?: Readonly<Record<string, string>> | undefined
}

/** How an SLO's burn-rate alerts look: Sloth's `alerting` block, in slokit's words. */
export interface SloAlerting {
  /** The alert name of both tiers; `SLOErrorBudgetBurn` by default. */
  readonly name?: string | undefined
  /** Labels of both tiers' alerts (routing: `team`, `category`, …). */
  readonly labels?: Readonly<Record<string, string>> | undefined
  /** Annotations of both tiers' alerts. */
  readonly annotations?: Readonly<Record<string, string>> | undefined
  /** The fast-burn tier (1h/5m and 6h/30m for 30 days). */
  readonly page?: AlertTierSettings | undefined
  /** The slow-burn tier (1d/2h and 3d/6h for 30 days). */
  readonly ticket?: AlertTierSettings | undefined
}

/** Options of {@link generateRules}. */
export interface GenerateRulesOptions {
  /** Rule names and labels: `slokit` (the default) or `sloth`. */
  readonly naming?: RuleNaming | undefined
  /**
   * How often the SLI rules and alerts run, and the length of one recorded tile of events for
   * `occurrences` SLOs (sliced SLOs use their slice length): 1 minute by default. Every alert
   * window should be a multiple of it.
   */
  readonly evaluationIntervalMs?: number | undefined
  /**
   * How often the period sums (the 30-day SLI and budget) are recomputed: 5 minutes by default.
   * Those rules read a whole period of tiles, so running them less often is most of the saving.
   * Give the tile length to compute them in the SLI group instead (exact to the tile, costlier).
   */
  readonly periodEvaluationIntervalMs?: number | undefined
  /**
   * How often Prometheus scrapes the SLIs' series. `rate()` needs two samples in its range, so a
   * tile's query reads `{{window}}` = the tile, or 4 × the scrape interval when that is longer:
   * with 1-minute scrapes, a 1-minute tile reads `rate(x[4m])` (the average rate over the last 4
   * minutes, times the tile) instead of a range that holds one sample and records nothing. Unset:
   * the tile, which needs scrapes every 15 seconds (Prometheus's own default is 1 minute).
   */
  readonly scrapeIntervalMs?: number | undefined
  /**
   * The multi-window multi-burn-rate table; by default the one `defaultBurnRateTable` picks for
   * each SLO's period (the SRE Workbook's from 28 days up, the 7-day table below), the same the
   * in-process alerts of `@slokit/alerting` use.
   */
  readonly burnRateTable?: readonly BurnRateWindowSpec[] | undefined
  /** Alert settings per SLO id (names, labels, annotations, disabled tiers). */
  readonly alerting?: Readonly<Record<string, SloAlerting>> | undefined
  /** Labels added to every rule, like Sloth's `--extra-labels` (e.g. `{ cmd: 'slokit' }`). */
  readonly extraLabels?: Readonly<Record<string, string>> | undefined
  /** Also alert when an SLO's period error budget is spent (remaining ≤ 0). Off by default. */
  readonly budgetExhaustedAlert?: boolean | undefined
  /** Also alert when an SLO's SLI data has been missing for this long (at least one tile). Off by default. */
  readonly dataAbsentAlertAfterMs?: number | undefined
  /**
   * Also alert when slokit's own collection fails: every `sli_collection_total` of an SLO over
   * the last `windowMs` (15 minutes by default) was a failure. Off by default.
   */
  readonly collectionHealthAlert?: boolean | { readonly windowMs?: number | undefined } | undefined
  /**
   * SLOs that cannot be turned into rules (no PromQL, an SLI query without `{{window}}`) are left
   * out and listed in `skipped` instead of failing the whole call. Off by default.
   */
  readonly skipUnsupported?: boolean | undefined
}

/** An SLO {@link generateRules} left out, and why. */
export interface SkippedSlo {
  readonly sloId: string
  readonly reason: string
}

/** What {@link generateRules} returns: a rule file, plus what it left out and what to look at. */
export interface GeneratedRules extends RuleFile {
  /** The SLOs that got rules, in input order. */
  readonly sloIds: readonly string[]
  /** SLOs left out under `skipUnsupported`. */
  readonly skipped: readonly SkippedSlo[]
  /** Things that work but deserve a look (calendar windows tracked as rolling, alerts that can never fire, …). */
  readonly warnings: readonly string[]
}

const DEFAULTS = {
  evaluationIntervalMs: MINUTE_MS,
  periodEvaluationIntervalMs: 5 * MINUTE_MS,
  collectionHealthWindowMs: 15 * MINUTE_MS,
}

const DEFAULT_ALERT_NAME = 'SLOErrorBudgetBurn'

/** The names of one naming mode. */
interface Names {
  readonly prefix: string
  readonly windowLabel: string
  identity(slo: SloSpec): Record<string, string>
  windowRatio(windowMs: number): string
  readonly severityLabel: string
}

const SLOKIT: Names = {
  prefix: 'slokit-slo',
  windowLabel: 'slo_window',
  identity: (slo) => ({ slo: slo.id, slo_service: slo.service }),
  windowRatio: (ms) => `slo:sli_error:ratio_increase${formatDuration(ms)}`,
  severityLabel: 'severity',
}

const SLOTH: Names = {
  prefix: 'sloth-slo',
  windowLabel: 'sloth_window',
  identity: (slo) => ({ sloth_id: slo.id, sloth_service: slo.service, sloth_slo: slothSloName(slo) }),
  windowRatio: (ms) => `slo:sli_error:ratio_rate${formatDuration(ms)}`,
  severityLabel: 'sloth_severity',
}

/** Sloth's `sloth_slo`: the SLO name without the `<service>-` prefix of its id (Sloth's `sloth_id` is `<service>-<name>`). */
export function slothSloName(slo: Pick<SloSpec, 'id' | 'service'>): string {
  const prefix = `${slo.service}-`
  return slo.id.startsWith(prefix) && slo.id.length > prefix.length ? slo.id.slice(prefix.length) : slo.id
}

/** Tile names: the recorded building blocks every window is summed from. */
const TILE = {
  total: (ms: number) => `slo:sli_total:increase${formatDuration(ms)}`,
  bad: (ms: number) => `slo:sli_bad:increase${formatDuration(ms)}`,
  totalEvents: (ms: number) => `slo:sli_total_events:increase${formatDuration(ms)}`,
  badEvents: (ms: number) => `slo:sli_bad_events:increase${formatDuration(ms)}`,
  value: (ms: number) => `slo:sli_value:${formatDuration(ms)}`,
}

const NEGATED = { '>=': '<', '<=': '>', '>': '<=', '<': '>=' } as const

const finite = (expr: string): string => `(${expr}) > -Inf < +Inf`

/** The rules of one SLO, before they are put into groups. */
interface SloRules {
  readonly sli: PrometheusRule[]
  readonly period: RecordingRule[]
  readonly meta: RecordingRule[]
}

/**
 * Generates Prometheus rules for SLOs: per SLO, a group of SLI recording rules (the events of
 * every tile, then the error ratio over each burn-rate window, summed from the tiles) with the
 * multi-window multi-burn-rate alerts of the page and ticket tiers; a group of period sums; and a
 * group of metadata (objective, error budget, period, the period SLI and the budget remaining).
 * Optionally: budget-exhausted, SLI-data-absent and collection-health alerts.
 *
 * - **Cheap at scale.** Raw series are read once per tile (`{{window}}` = 1 minute by default);
 *   every longer window is `sum_over_time` of the recorded tiles, never `rate(x[3d])` of raw
 *   series. The period sums run every 5 minutes.
 * - **Event-weighted.** Every window, the 30-day one included, is Σ bad / Σ total events over
 *   its tiles: the same number `evaluateSlo` computes from the same data. (Sloth averages
 *   5-minute ratios over the period, which weighs a quiet night like a busy afternoon.)
 * - **Windows** come from `burnRateWindows(nominalPeriodMs(slo.window), burnRateTable)`; a
 *   calendar window is tracked as a rolling window of its nominal length (a warning says so).
 * - **Sliced SLOs** (`timeslices`, `ratio_timeslices`) record one tile per slice, judged the way
 *   `evaluateSlo` judges slices, with the query's `{{window}}` set to the slice length.
 *
 * Pure: no I/O, deterministic output. Render with {@link rulesToYaml}.
 *
 * @example
 * ```ts
 * const rules = generateRules(config.slos, { naming: 'sloth', extraLabels: { cmd: 'slokit' } })
 * writeFileSync('slo-rules.yml', rulesToYaml(rules))
 * ```
 * @throws `SlokitError` `INVALID_ARGUMENT` for bad options or duplicate SLO ids; `NOT_SUPPORTED`
 * listing every SLO that cannot get rules (unless `skipUnsupported`).
 */
export function generateRules(slos: readonly SloSpec[], options: GenerateRulesOptions = {}): GeneratedRules {
  const settings = checkOptions(options)
  const names = settings.naming === 'sloth' ? SLOTH : SLOKIT
  const groups: RuleGroup[] = []
  const skipped: SkippedSlo[] = []
  const warnings: string[] = []
  const sloIds: string[] = []
  const seen = new Set<string>()
  for (const slo of slos) {
    if (seen.has(slo.id)) {
      throw new SlokitError(
        'INVALID_ARGUMENT',
        `[slokit/prometheus] generateRules(): SLO id "${slo.id}" appears twice.`,
        {
          hint: 'SLO ids name the rule groups and series, so they must be unique',
        },
      )
    }
    seen.add(slo.id)
    const reason = unsupportedReason(slo)
    if (reason !== undefined) {
      skipped.push({ sloId: slo.id, reason })
      continue
    }
    const built = buildSlo(slo, names, settings, warnings)
    sloIds.push(slo.id)
    groups.push({
      name: `${names.prefix}-sli-recordings-${slo.id}`,
      interval: formatDuration(tileOf(slo, settings)),
      rules: built.sli,
    })
    if (built.period.length > 0) {
      groups.push({
        name: `${names.prefix}-period-recordings-${slo.id}`,
        interval: formatDuration(settings.periodEvaluationIntervalMs),
        rules: built.period,
      })
    }
    groups.push({
      name: `${names.prefix}-meta-recordings-${slo.id}`,
      interval: formatDuration(settings.evaluationIntervalMs),
      rules: built.meta,
    })
  }
  if (skipped.length > 0 && !settings.skipUnsupported) {
    const lines = skipped.map((s) => `  - ${s.sloId}: ${s.reason}`)
    throw new SlokitError(
      'NOT_SUPPORTED',
      `[slokit/prometheus] generateRules(): ${skipped.length} ${skipped.length === 1 ? 'SLO cannot' : 'SLOs cannot'} get Prometheus rules:\n${lines.join('\n')}`,
      {
        hint: 'give the SLIs PromQL queries with {{window}}, or pass `skipUnsupported: true` to leave them out',
      },
    )
  }
  if (settings.collectionHealth !== undefined && sloIds.length > 0) {
    groups.push(collectionHealthGroup(names, settings, settings.collectionHealth))
  }
  return { groups, sloIds, skipped, warnings }
}

interface Settings {
  readonly naming: RuleNaming
  readonly evaluationIntervalMs: number
  readonly periodEvaluationIntervalMs: number
  readonly scrapeIntervalMs: number | undefined
  readonly table: readonly BurnRateWindowSpec[] | undefined
  readonly alerting: Readonly<Record<string, SloAlerting>>
  readonly extraLabels: Readonly<Record<string, string>>
  readonly budgetExhaustedAlert: boolean
  readonly dataAbsentAfterMs: number | undefined
  readonly collectionHealth: { readonly windowMs: number } | undefined
  readonly skipUnsupported: boolean
}

function checkOptions(options: GenerateRulesOptions): Settings {
  const where = '[slokit/prometheus] generateRules(slos, options)'
  const fail = (message: string, hint?: string): never => {
    throw new SlokitError('INVALID_ARGUMENT', `${where}: ${message}`, hint === undefined ? {} : { hint })
  }
  const naming = options.naming ?? 'slokit'
  if (!(RULE_NAMINGS as readonly string[]).includes(naming))
    fail(`\`naming\` must be "slokit" or "sloth", got ${JSON.stringify(naming)}.`)
  const wholeSeconds = (key: string, value: number): number => {
    if (!(Number.isSafeInteger(value) && value >= 1000 && value % 1000 === 0)) {
      fail(`\`${key}\` must be a whole number of seconds in milliseconds, got ${value}.`)
    }
    return value
  }
  const evaluationIntervalMs = wholeSeconds(
    'evaluationIntervalMs',
    options.evaluationIntervalMs ?? DEFAULTS.evaluationIntervalMs,
  )
  const periodEvaluationIntervalMs = wholeSeconds(
    'periodEvaluationIntervalMs',
    options.periodEvaluationIntervalMs ?? DEFAULTS.periodEvaluationIntervalMs,
  )
  const scrapeIntervalMs =
    options.scrapeIntervalMs === undefined
      ? undefined
      : wholeSeconds('scrapeIntervalMs', options.scrapeIntervalMs)
  const extraLabels = options.extraLabels ?? {}
  for (const [name, value] of Object.entries(extraLabels)) {
    if (!LABEL_NAME.test(name) || name.startsWith('__'))
      fail(`\`extraLabels\` has an invalid label name ${JSON.stringify(name)}.`)
    if (typeof value !== 'string') fail(`\`extraLabels.${name}\` must be a string.`)
  }
  const dataAbsentAfterMs = options.dataAbsentAlertAfterMs
  if (dataAbsentAfterMs !== undefined) wholeSeconds('dataAbsentAlertAfterMs', dataAbsentAfterMs)
  let collectionHealth: { windowMs: number } | undefined
  const health = options.collectionHealthAlert
  if (health === true) collectionHealth = { windowMs: DEFAULTS.collectionHealthWindowMs }
  else if (health !== undefined && health !== false) {
    collectionHealth = {
      windowMs: wholeSeconds(
        'collectionHealthAlert.windowMs',
        health.windowMs ?? DEFAULTS.collectionHealthWindowMs,
      ),
    }
  }
  for (const [id, alerting] of Object.entries(options.alerting ?? {})) {
    if (alerting.name !== undefined && !/^[A-Za-z_][A-Za-z0-9_:]*$/.test(alerting.name)) {
      fail(
        `\`alerting["${id}"].name\` must be a valid alert name (letters, digits, _ and :), got ${JSON.stringify(alerting.name)}.`,
      )
    }
    const labelSets = [alerting.labels, alerting.page?.labels, alerting.ticket?.labels]
    for (const labels of labelSets) {
      for (const name of Object.keys(labels ?? {})) {
        if (!LABEL_NAME.test(name))
          fail(`\`alerting["${id}"]\` has an invalid label name ${JSON.stringify(name)}.`)
      }
    }
  }
  return {
    naming,
    evaluationIntervalMs,
    periodEvaluationIntervalMs,
    scrapeIntervalMs,
    // Undefined: burnRateWindows picks the table for each SLO's period, as the in-process alerts do.
    table: options.burnRateTable,
    alerting: options.alerting ?? {},
    extraLabels,
    budgetExhaustedAlert: options.budgetExhaustedAlert === true,
    dataAbsentAfterMs,
    collectionHealth,
    skipUnsupported: options.skipUnsupported === true,
  }
}

/** Why an SLO cannot get rules, or `undefined` when it can. */
function unsupportedReason(slo: SloSpec): string | undefined {
  const m = slo.sli.measurement
  if (m.type === 'ratio') {
    if (m.total === undefined || (m.good === undefined && m.bad === undefined)) {
      return `SLI "${slo.sli.id}" has no PromQL (measurement.good or .bad, and .total): it is measured in-process`
    }
    if (!hasWindowPlaceholder(m.total)) {
      return `SLI "${slo.sli.id}": measurement.total has no {{window}} placeholder, so it cannot be evaluated per tile`
    }
  } else if (m.query === undefined) {
    return `SLI "${slo.sli.id}" is a threshold SLI without measurement.query: it is measured in-process`
  }
  if (slo.timeslice !== undefined && slo.timeslice.lengthMs % 1000 !== 0) {
    return `its time slice (${slo.timeslice.lengthMs} ms) is not a whole number of seconds, which rule intervals need`
  }
  return undefined
}

/** The tile length: the evaluation interval for occurrences, the slice for sliced SLOs. */
function tileOf(slo: SloSpec, settings: Settings): number {
  return slo.budgetingMethod === 'occurrences'
    ? settings.evaluationIntervalMs
    : (slo.timeslice?.lengthMs ?? MINUTE_MS)
}

/** `sum_over_time` range covering the last `n` tiles exactly, read at a tile's own evaluation time. */
function tilesRange(windowMs: number, tileMs: number): { tiles: number; range: string } {
  const tiles = Math.max(1, Math.floor(windowMs / tileMs))
  // Half a tile short of n tiles: Prometheus 2 ranges include both ends, Prometheus 3 only the
  // end; either way exactly the n tiles ending now are summed, never n + 1.
  return { tiles, range: formatDuration(tiles * tileMs - tileMs / 2) }
}

function buildSlo(slo: SloSpec, names: Names, settings: Settings, warnings: string[]): SloRules {
  const tileMs = tileOf(slo, settings)
  const periodMs = nominalPeriodMs(slo.window)
  const rows = burnRateWindows(periodMs, settings.table)
  const windows = burnRateWindowDurations(rows)
  const budget = errorBudgetRatio(slo.objective)
  const identity = names.identity(slo)
  const base = sortedLabels({ ...settings.extraLabels, ...slo.labels, ...identity })
  const labelsFor = (ms: number) => sortedLabels({ ...base, [names.windowLabel]: formatDuration(ms) })
  const sel = matchers(identity)
  // Labels rules set: matching a query's raw result with a recorded series must ignore them.
  const ignoring = `ignoring(${Object.keys({ ...base, [names.windowLabel]: '' })
    .sort()
    .join(', ')})`

  if (slo.window.type === 'calendar') {
    warnings.push(
      `${slo.id}: its window is the calendar ${slo.window.unit} (${slo.window.timeZone}); Prometheus rules track it as a rolling ${formatDuration(periodMs)} window`,
    )
  }
  for (const windowMs of windows) {
    if (windowMs % tileMs !== 0) {
      warnings.push(
        `${slo.id}: the ${formatDuration(windowMs)} burn-rate window is not a whole number of ${formatDuration(tileMs)} tiles; the rules use ${tilesRange(windowMs, tileMs).tiles}`,
      )
    }
  }
  for (const row of rows) {
    if (row.factor * budget >= 1) {
      warnings.push(
        `${slo.id}: the ${row.severity} row ${formatDuration(row.longWindowMs)}/${formatDuration(row.shortWindowMs)} needs an error ratio above ${promNumber(row.factor)} × ${promNumber(budget)} ≥ 1, so it can never fire; lower the objective or use a table for this period`,
      )
    }
  }

  const sli: PrometheusRule[] = []
  const tileLabels = labelsFor(tileMs)
  const totalTile = TILE.total(tileMs)
  const badTile = TILE.bad(tileMs)
  const seconds = tileMs / 1000
  // The range a tile's query reads: the tile, unless that holds too few scrapes for rate().
  const queryMs = Math.max(tileMs, 4 * (settings.scrapeIntervalMs ?? 0))
  const smoothing = `${formatDuration(tileMs)} tiles read {{window}} = ${formatDuration(queryMs)} (4 × the ${formatDuration(settings.scrapeIntervalMs ?? 0)} scrape interval): each tile is the average rate over the last ${formatDuration(queryMs)}, so windows are smoothed and lag by up to ${formatDuration(queryMs - tileMs)}`
  if (queryMs > tileMs && !warnings.includes(smoothing)) warnings.push(smoothing)
  const m = slo.sli.measurement
  const noData = slo.sli.noData
  const fallback = (expr: string, value: 0 | 1): string => `(${expr}) or on() vector(${value})`
  let dataTile: string

  if (m.type === 'ratio') {
    const eventsTotal = slo.budgetingMethod === 'occurrences' ? totalTile : TILE.totalEvents(tileMs)
    const eventsBad = slo.budgetingMethod === 'occurrences' ? badTile : TILE.badEvents(tileMs)
    const total = `${eventsTotal}${sel}`
    sli.push(
      record(
        eventsTotal,
        `(${withWindow(m.total as string, queryMs)}) * ${seconds} > -Inf < +Inf`,
        tileLabels,
      ),
    )
    // A numerator without a value where the total has one counts 0 events: error counters
    // usually appear with the first error. Without a total there is no tile at all.
    const counted = (q: string) =>
      `(\n  (${withWindow(q, queryMs)}) * ${seconds} > -Inf < +Inf\n  or ${ignoring} 0 * ${total}\n)`
    const badExpr =
      m.bad !== undefined
        ? `${counted(m.bad)}\nand ${ignoring} ${total}`
        : `${total}\n- ${ignoring} ${counted(m.good as string)}`
    sli.push(record(eventsBad, badExpr, tileLabels))
    dataTile = eventsTotal
    if (slo.budgetingMethod !== 'occurrences')
      sli.push(...sliceTiles(slo, eventsTotal, eventsBad, sel, tileMs, tileLabels))
  } else {
    const valueTile = TILE.value(tileMs)
    const value = `${valueTile}${sel}`
    dataTile = valueTile
    if (slo.budgetingMethod === 'timeslices') {
      sli.push(
        record(
          valueTile,
          aggregate(m.aggregation, finite(withWindow(m.query as string, queryMs)), seconds),
          tileLabels,
        ),
      )
      const totalExpr = `${value} * 0 + 1`
      const badExpr = `${value} ${NEGATED[m.comparison]} bool ${promNumber(m.threshold)}`
      sli.push(record(totalTile, noData === 'ignore' ? totalExpr : fallback(totalExpr, 1), tileLabels))
      sli.push(
        record(
          badTile,
          noData === 'ignore' ? badExpr : fallback(badExpr, noData === 'bad' ? 1 : 0),
          tileLabels,
        ),
      )
    } else {
      // Every finite value of every series is one observation, judged on its own.
      sli.push(record(valueTile, finite(withWindow(m.query as string, queryMs)), tileLabels))
      const eventsTotal = slo.budgetingMethod === 'occurrences' ? totalTile : TILE.totalEvents(tileMs)
      const eventsBad = slo.budgetingMethod === 'occurrences' ? badTile : TILE.badEvents(tileMs)
      sli.push(record(eventsTotal, `count(${value})`, tileLabels))
      sli.push(
        record(
          eventsBad,
          `count(${value} ${NEGATED[m.comparison]} ${promNumber(m.threshold)}) or on() 0 * ${eventsTotal}${sel}`,
          tileLabels,
        ),
      )
      if (slo.budgetingMethod === 'ratio_timeslices') {
        sli.push(...sliceTiles(slo, eventsTotal, eventsBad, sel, tileMs, tileLabels))
      }
    }
  }

  // Error ratio over every burn-rate window, from the tiles.
  for (const windowMs of windows) {
    const { range } = tilesRange(windowMs, tileMs)
    sli.push(
      record(
        names.windowRatio(windowMs),
        `sum_over_time(${badTile}${sel}[${range}])\n/\nsum_over_time(${totalTile}${sel}[${range}])`,
        labelsFor(windowMs),
      ),
    )
  }

  const alerting = settings.alerting[slo.id] ?? {}
  for (const severity of ['page', 'ticket'] as const) {
    const tierRows = rows.filter((row) => row.severity === severity)
    const tier = alerting[severity]
    if (tierRows.length === 0 || tier?.disabled === true) continue
    sli.push(burnRateAlert(slo, names, severity, tierRows, budget, sel, alerting, periodMs))
  }

  if (settings.naming === 'sloth' && windows[0] !== undefined) {
    // Sloth's "current" burn rate: the shortest window, written with the windows it reads.
    sli.push(
      record(
        'slo:current_burn_rate:ratio',
        `${names.windowRatio(windows[0])}${sel}\n/ on(${Object.keys(identity).join(', ')}) group_left\nslo:error_budget:ratio${sel}`,
        base,
      ),
    )
  }

  // Period sums: every tile of the period. In their own, slower group unless asked to run per tile.
  const sumsInSliGroup = settings.periodEvaluationIntervalMs === tileMs
  const period: RecordingRule[] = []
  const periodTotal = TILE.total(periodMs)
  const periodBad = TILE.bad(periodMs)
  const { range: periodRange } = tilesRange(periodMs, tileMs)
  const periodLabels = labelsFor(periodMs)
  const sums = [
    record(periodBad, `sum_over_time(${badTile}${sel}[${periodRange}])`, periodLabels),
    record(periodTotal, `sum_over_time(${totalTile}${sel}[${periodRange}])`, periodLabels),
  ]
  if (sumsInSliGroup) sli.push(...sums)
  else period.push(...sums)
  // The meta group runs every minute, the sums every tile or every few minutes: read the latest
  // within two of their intervals, never a series gone stale between two writes.
  const sumsIntervalMs = sumsInSliGroup ? tileMs : settings.periodEvaluationIntervalMs
  const latest = (metric: string) => `last_over_time(${metric}${sel}[${formatDuration(2 * sumsIntervalMs)}])`

  const meta: RecordingRule[] = []
  const periodRatio = names.windowRatio(periodMs)
  // The period is one of the burn-rate windows (a 1-hour SLO): the SLI group records its ratio.
  const periodIsWindow = windows.includes(periodMs)
  const ratioOfPeriod = periodIsWindow
    ? `last_over_time(${periodRatio}${sel}[${formatDuration(2 * tileMs)}])`
    : `${periodRatio}${sel}`
  if (!periodIsWindow) {
    meta.push(record(periodRatio, `${latest(periodBad)}\n/\n${latest(periodTotal)}`, periodLabels))
  }
  // Budget spent: for timeslices a bad slice spends its length out of (1 − objective) of the whole period.
  const remainingExpr =
    slo.budgetingMethod === 'timeslices'
      ? `1 - ${latest(periodBad)} / (${promNumber(budget)} * ${promNumber(periodMs / tileMs)})`
      : undefined
  if (settings.naming === 'sloth') {
    const ids = Object.keys(identity).join(', ')
    meta.push(record('slo:objective:ratio', `vector(${promNumber(slo.objective)})`, base))
    meta.push(record('slo:error_budget:ratio', `vector(${promNumber(budget)})`, base))
    meta.push(record('slo:time_period:days', `vector(${promNumber(periodMs / DAY_MS)})`, base))
    meta.push(
      record(
        'slo:period_burn_rate:ratio',
        `${ratioOfPeriod}\n/ on(${ids}) group_left\nslo:error_budget:ratio${sel}`,
        base,
      ),
    )
    meta.push(
      record(
        'slo:period_error_budget_remaining:ratio',
        remainingExpr ?? `1 - slo:period_burn_rate:ratio${sel}`,
        base,
      ),
    )
    meta.push(
      record(
        'sloth_slo_info',
        'vector(1)',
        sortedLabels({
          ...base,
          sloth_mode: 'cli-gen-prom',
          sloth_objective: promNumber(Number((slo.objective * 100).toPrecision(12))),
          sloth_spec: 'prometheus/v1',
          sloth_version: 'slokit',
        }),
      ),
    )
  } else {
    meta.push(record('slo:objective:ratio', `vector(${promNumber(slo.objective)})`, base))
    meta.push(record('slo:error_budget:ratio', `vector(${promNumber(budget)})`, base))
    meta.push(record('slo:period:seconds', `vector(${periodMs / 1000})`, base))
    meta.push(record('slo:compliance:ratio', `1 - ${ratioOfPeriod}`, base))
    meta.push(
      record(
        'slo:error_budget_remaining:ratio',
        remainingExpr ?? `1 - ${ratioOfPeriod} / ${promNumber(budget)}`,
        base,
      ),
    )
    meta.push(
      record(
        'slokit_slo_info',
        'vector(1)',
        sortedLabels({
          ...base,
          slo_objective: promNumber(slo.objective),
          slo_period: formatDuration(periodMs),
          slo_budgeting_method: slo.budgetingMethod,
        }),
      ),
    )
  }

  const remainingMetric =
    settings.naming === 'sloth'
      ? 'slo:period_error_budget_remaining:ratio'
      : 'slo:error_budget_remaining:ratio'
  if (settings.budgetExhaustedAlert) {
    sli.push(
      alert(
        'SLOErrorBudgetExhausted',
        `${remainingMetric}${sel} <= 0`,
        undefined,
        { [names.severityLabel]: 'ticket', ...identity },
        {
          summary: `SLO ${slo.id} (${slo.service}) has spent its error budget for the ${formatDuration(periodMs)} period`,
          ...linkAnnotations(slo),
        },
      ),
    )
  }
  if (settings.dataAbsentAfterMs !== undefined) {
    const after = Math.max(settings.dataAbsentAfterMs, 2 * tileMs)
    sli.push(
      alert(
        'SLOSliDataAbsent',
        `absent_over_time(${dataTile}${sel}[${formatDuration(after)}])`,
        undefined,
        { [names.severityLabel]: 'ticket', ...identity },
        {
          summary: `SLO ${slo.id} (${slo.service}) has had no SLI data for ${formatDuration(after)}`,
          description: `The SLI queries of ${slo.sli.id} return nothing: a renamed metric, a broken exporter or a scrape failure. Burn-rate alerts cannot fire without data.`,
          ...linkAnnotations(slo),
        },
      ),
    )
  }
  return { sli, period, meta }
}

function sliceTiles(
  slo: SloSpec,
  eventsTotal: string,
  eventsBad: string,
  sel: string,
  tileMs: number,
  labels: Record<string, string>,
): RecordingRule[] {
  const total = `${eventsTotal}${sel}`
  const bad = `${eventsBad}${sel}`
  const withTraffic = `(${total} > 0)`
  const noData = slo.sli.noData
  const fallback = (expr: string, value: 0 | 1): string =>
    noData === 'ignore' ? expr : `(${expr}) or on() vector(${value})`
  const badFallback: 0 | 1 = noData === 'bad' ? 1 : 0
  const totalExpr = fallback(`${withTraffic} * 0 + 1`, 1)
  const badExpr =
    slo.budgetingMethod === 'timeslices'
      ? `(${total} - ${bad}) / ${withTraffic} < bool ${promNumber(slo.timeslice?.objective ?? 1)}`
      : `${bad} / ${withTraffic}`
  return [
    record(TILE.total(tileMs), totalExpr, labels),
    record(TILE.bad(tileMs), fallback(badExpr, badFallback), labels),
  ]
}

function aggregate(aggregation: string, expr: string, seconds: number): string {
  const percentile = /^p(\d\d)$/.exec(aggregation)?.[1]
  if (percentile !== undefined) return `quantile(0.${percentile}, ${expr})`
  if (aggregation === 'rate') return `sum(${expr}) / ${seconds}`
  return `${aggregation}(${expr})`
}

function burnRateAlert(
  slo: SloSpec,
  names: Names,
  severity: 'page' | 'ticket',
  rows: readonly BurnRateWindow[],
  budget: number,
  sel: string,
  alerting: SloAlerting,
  periodMs: number,
): AlertingRule {
  const condition = (windowMs: number, factor: number) =>
    `max(${names.windowRatio(windowMs)}${sel} > (${promNumber(factor)} * ${promNumber(budget)})) without (${names.windowLabel})`
  const expr = rows
    .map(
      (row) =>
        `(\n    ${condition(row.shortWindowMs, row.factor)}\n    and\n    ${condition(row.longWindowMs, row.factor)}\n)`,
    )
    .join('\nor\n')
  const tier = alerting[severity]
  const defaults: Record<string, string> =
    names === SLOTH
      ? {
          summary:
            '{{$labels.sloth_service}} {{$labels.sloth_slo}} SLO error budget burn rate is over expected.',
          title: `(${severity}) {{$labels.sloth_service}} {{$labels.sloth_slo}} SLO error budget burn rate is too fast.`,
        }
      : {
          summary: `SLO {{ $labels.slo }} ({{ $labels.slo_service }}) is burning its error budget too fast (${severity})`,
          description: `The error ratio is above ${rows
            .map(
              (row) =>
                `${promNumber(Number(row.factor.toPrecision(4)))}× the budget over both ${formatDuration(row.longWindowMs)} and ${formatDuration(row.shortWindowMs)}`,
            )
            .join(
              ', or ',
            )}: at this pace the SLO spends ${rows.map((row) => `${row.budgetPercent} %`).join(' / ')} of its ${formatDuration(periodMs)} error budget within the long window.`,
          ...linkAnnotations(slo),
          ...slo.annotations,
        }
  // The SLO's identity labels are on the alert's series anyway; on the rule they keep two SLOs'
  // alerts of one name apart for promtool's duplicate-rule check.
  const identity = names.identity(slo)
  const labels: Record<string, string> =
    names === SLOTH
      ? { ...alerting.labels, ...tier?.labels, sloth_severity: severity, ...identity }
      : { severity, ...alerting.labels, ...tier?.labels, ...identity }
  return alert(alerting.name ?? DEFAULT_ALERT_NAME, expr, undefined, labels, {
    ...defaults,
    ...alerting.annotations,
    ...tier?.annotations,
  })
}

function collectionHealthGroup(names: Names, settings: Settings, health: { windowMs: number }): RuleGroup {
  const window = formatDuration(health.windowMs)
  return {
    name: `${names.prefix}-collection-health`,
    interval: formatDuration(settings.evaluationIntervalMs),
    rules: [
      alert(
        'SlokitSliCollectionFailing',
        `sum by (slo, slo_service) (increase(sli_collection_total{result="failure"}[${window}])) > 0\nunless on(slo, slo_service)\nsum by (slo, slo_service) (increase(sli_collection_total{result="success"}[${window}])) > 0`,
        undefined,
        sortedLabels({ ...settings.extraLabels, [names.severityLabel]: 'ticket' }),
        {
          summary: `slokit could not collect the SLI of SLO {{ $labels.slo }} ({{ $labels.slo_service }}) for ${window}`,
          description: `Every collection of the SLO's SLI failed over the last ${window} (see sli_collection_total and the engine's logs): its status is stale, and its budget and alerts are not being updated.`,
        },
      ),
    ],
  }
}

function linkAnnotations(slo: SloSpec): Record<string, string> {
  return {
    ...(slo.runbookUrl === undefined ? {} : { runbook_url: slo.runbookUrl }),
    ...(slo.dashboardUrl === undefined ? {} : { dashboard_url: slo.dashboardUrl }),
  }
}

function record(name: string, expr: string, labels: Record<string, string>): RecordingRule {
  if (!METRIC_NAME.test(name)) {
    throw new SlokitError(
      'INVALID_ARGUMENT',
      `[slokit/prometheus] generated an invalid rule name ${JSON.stringify(name)}.`,
    )
  }
  return { record: name, expr, labels }
}

function alert(
  name: string,
  expr: string,
  forDuration: string | undefined,
  labels: Record<string, string>,
  annotations: Record<string, string>,
): AlertingRule {
  return {
    alert: name,
    expr,
    ...(forDuration === undefined ? {} : { for: forDuration }),
    labels: sortedLabels(labels),
    annotations: sortedLabels(annotations),
  }
}

function sortedLabels(labels: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const key of Object.keys(labels).sort()) out[key] = labels[key] as string
  return out
}
