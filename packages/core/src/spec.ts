import { z } from 'zod'
import { tryParseDuration } from './duration.js'
import { SlokitSpecError, type SpecIssue } from './errors.js'
import { describeZodIssue } from './spec-issues.js'
import { isValidTimeZone } from './time-zone.js'
import { CALENDAR_UNITS, type SloWindow } from './window.js'

/** The nine kinds of SLI slokit knows. The kind labels what is measured; `measurement` says how. */
export const SLI_KINDS = [
  'availability',
  'latency',
  'error_rate',
  'throughput',
  'quality',
  'freshness',
  'correctness',
  'coverage',
  'durability',
] as const
/** One of {@link SLI_KINDS}. */
export type SliKind = (typeof SLI_KINDS)[number]

/** How a threshold SLI's values are combined within a time slice. `pNN` are nearest-rank percentiles. */
export const AGGREGATIONS = ['avg', 'sum', 'min', 'max', 'p50', 'p90', 'p95', 'p99', 'rate'] as const
/** One of {@link AGGREGATIONS}. */
export type Aggregation = (typeof AGGREGATIONS)[number]

/** Comparison operators for thresholds. */
export const COMPARISONS = ['>=', '<=', '>', '<'] as const
/** One of {@link COMPARISONS}. */
export type Comparison = (typeof COMPARISONS)[number]

/**
 * What a time slice without data counts as: `ignore` leaves it out of the SLI (the default),
 * `good` and `bad` count it as met or missed.
 */
export const NO_DATA_POLICIES = ['ignore', 'good', 'bad'] as const
/** One of {@link NO_DATA_POLICIES}. */
export type NoDataPolicy = (typeof NO_DATA_POLICIES)[number]

/**
 * How the error budget is counted:
 * - `occurrences`: good events / all events;
 * - `timeslices`: good slices / slices with data, a slice being good when its value meets the threshold;
 * - `ratio_timeslices`: the mean of the per-slice good ratios (OpenSLO `RatioTimeslices`).
 */
export const BUDGETING_METHODS = ['occurrences', 'timeslices', 'ratio_timeslices'] as const
/** One of {@link BUDGETING_METHODS}. */
export type BudgetingMethod = (typeof BUDGETING_METHODS)[number]

/** SLO priorities, most urgent first. Policies, reviews and approvals key off them. */
export const PRIORITIES = ['critical', 'high', 'medium', 'low'] as const
/** One of {@link PRIORITIES}. */
export type Priority = (typeof PRIORITIES)[number]

/**
 * A ratio SLI: good events over all events. Give either the good or the bad events; queries are
 * strings a data source understands (PromQL for `@slokit/prometheus`) and may be left out for
 * SLIs recorded in-process.
 */
export interface RatioMeasurement {
  readonly type: 'ratio'
  /** Query for good events. Mutually exclusive with `bad`. */
  readonly good?: string | undefined
  /** Query for bad events. Mutually exclusive with `good`. */
  readonly bad?: string | undefined
  /** Query for all events; required when `good` or `bad` is given. */
  readonly total?: string | undefined
}

/**
 * A threshold SLI: a measured value compared with a threshold, observation by observation
 * (occurrences) or per time slice after `aggregation` (timeslices).
 */
export interface ThresholdMeasurement {
  readonly type: 'threshold'
  /** Query for the value (source-specific); optional for in-process SLIs. */
  readonly query?: string | undefined
  /** How values within a slice are combined; `avg` by default. */
  readonly aggregation: Aggregation
  /** How a value is compared with `threshold`: the value is good when `value <comparison> threshold`. */
  readonly comparison: Comparison
  /** The threshold, in the unit of the value. */
  readonly threshold: number
  /** Unit of the value, for display only (e.g. `ms`). */
  readonly unit?: string | undefined
}

/** How an SLI is measured. */
export type Measurement = RatioMeasurement | ThresholdMeasurement

/** A validated service level indicator. Build one with {@link parseSli}. */
export interface SliSpec {
  /** Unique id: letters, digits, `_`, `.`, `-`; starts with a letter or digit; at most 128 characters. */
  readonly id: string
  /** Human-readable name. */
  readonly name?: string | undefined
  readonly description?: string | undefined
  readonly kind: SliKind
  readonly measurement: Measurement
  /** What a time slice without data counts as; `ignore` by default. */
  readonly noData: NoDataPolicy
  /** Name of the `SliSource` that serves this SLI, when a host wires several. */
  readonly source?: string | undefined
  readonly labels: Readonly<Record<string, string>>
}

/** The time slices of a `timeslices` or `ratio_timeslices` SLO. */
export interface TimesliceSpec {
  /** Length of one slice in milliseconds. */
  readonly lengthMs: number
  /**
   * For ratio SLIs under `timeslices`: the good ratio a slice must reach to count as good
   * (e.g. 0.95). Threshold SLIs compare the aggregated slice value with their own threshold.
   */
  readonly objective?: number | undefined
}

/** A validated service level objective. Build one with {@link parseSlo}. */
export interface SloSpec {
  readonly id: string
  readonly name?: string | undefined
  readonly description?: string | undefined
  /** The service the SLO belongs to. */
  readonly service: string
  readonly sli: SliSpec
  /** The target as a ratio in (0, 1), e.g. 0.999. The SLO is met when SLI ≥ objective. */
  readonly objective: number
  readonly window: SloWindow
  readonly budgetingMethod: BudgetingMethod
  /** Present for `timeslices` and `ratio_timeslices`. */
  readonly timeslice?: TimesliceSpec | undefined
  readonly priority?: Priority | undefined
  readonly owner?: string | undefined
  readonly rationale?: string | undefined
  readonly runbookUrl?: string | undefined
  readonly dashboardUrl?: string | undefined
  readonly labels: Readonly<Record<string, string>>
  /** Free-form metadata carried into alerts and reports. */
  readonly annotations: Readonly<Record<string, string>>
}

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/
const LABEL_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/

const idSchema = z.string().regex(ID_PATTERN, {
  error: 'must be 1–128 letters, digits, `_`, `.` or `-`, starting with a letter or digit',
})

const labelsSchema = z
  .record(
    z.string().regex(LABEL_NAME_PATTERN, { error: 'label names must match [A-Za-z_][A-Za-z0-9_]*' }),
    // `tier: 1` in YAML is a number; labels are strings everywhere they end up, so say it once here.
    z.union([z.string(), z.number(), z.boolean()]).transform(String),
  )
  .default({})

const annotationsSchema = z.record(z.string(), z.string()).default({})

/** A positive duration string (`5m`, `1h30m`, `30d`, `4w`) parsed to milliseconds. */
export const durationSchema = z.string().transform((text, ctx) => {
  const ms = tryParseDuration(text)
  if (ms === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: `invalid duration ${JSON.stringify(text)}: use a positive duration such as 30s, 5m, 1h30m, 28d or 4w`,
    })
    return z.NEVER
  }
  return ms
})

const PERCENT = /^\s*(\d+)(?:\.(\d+))?\s*%\s*$/

// Moves the decimal point two places left in the string, so `99.9%` becomes exactly 0.999
// rather than 99.9 / 100 = 0.9990000000000001.
function percentToRatio(text: string): number | undefined {
  const match = PERCENT.exec(text)
  if (match === null) return undefined
  const whole = match[1] as string
  const digits = whole + (match[2] ?? '')
  const point = whole.length - 2
  const decimal =
    point <= 0 ? `0.${'0'.repeat(-point)}${digits}` : `${digits.slice(0, point)}.${digits.slice(point)}`
  return Number(decimal)
}

/** An objective as a ratio (`0.999`) or a percent string (`'99.9%'`), normalised to a ratio in (0, 1). */
export const objectiveSchema = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const ratio = typeof value === 'number' ? value : percentToRatio(value)
  if (ratio === undefined || !Number.isFinite(ratio) || ratio <= 0 || ratio >= 1) {
    const shown = typeof value === 'number' ? String(value) : JSON.stringify(value)
    const looksLikePercent = typeof value === 'number' && value >= 50 && value < 100
    ctx.addIssue({
      code: 'custom',
      message: `invalid objective ${shown}: must be a ratio between 0 and 1 (e.g. 0.999) or a percent string (e.g. "99.9%")`,
      ...(looksLikePercent ? { params: { hint: `did you mean "${value}%"?` } } : {}),
    })
    return z.NEVER
  }
  return ratio
})

const timeZoneSchema = z.string().refine(isValidTimeZone, {
  error: 'unknown time zone: use an IANA name such as UTC or Europe/Berlin',
})

/**
 * A window: a duration string for a rolling window (`30d`), `{ rolling: '30d' }`, or
 * `{ calendar: 'month', timeZone: 'Europe/Berlin' }` (time zone `UTC` by default).
 */
export const windowSchema = z.union([
  durationSchema.transform((durationMs): SloWindow => ({ type: 'rolling', durationMs })),
  z
    .strictObject({ rolling: durationSchema })
    .transform((w): SloWindow => ({ type: 'rolling', durationMs: w.rolling })),
  z
    .strictObject({ calendar: z.enum(CALENDAR_UNITS), timeZone: timeZoneSchema.default('UTC') })
    .transform((w): SloWindow => ({ type: 'calendar', unit: w.calendar, timeZone: w.timeZone })),
])

const ratioMeasurementSchema = z
  .strictObject({
    type: z.literal('ratio'),
    good: z.string().min(1).optional(),
    bad: z.string().min(1).optional(),
    total: z.string().min(1).optional(),
  })
  .superRefine((m, ctx) => {
    if (m.good !== undefined && m.bad !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['bad'], message: 'give either `good` or `bad`, not both' })
    }
    if ((m.good !== undefined || m.bad !== undefined) && m.total === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['total'],
        message: '`total` is required when `good` or `bad` is given',
      })
    }
    if (m.total !== undefined && m.good === undefined && m.bad === undefined) {
      ctx.addIssue({ code: 'custom', path: ['good'], message: 'give `good` or `bad` alongside `total`' })
    }
  })

const thresholdMeasurementSchema = z.strictObject({
  type: z.literal('threshold'),
  query: z.string().min(1).optional(),
  aggregation: z.enum(AGGREGATIONS).default('avg'),
  comparison: z.enum(COMPARISONS),
  threshold: z.number().refine(Number.isFinite, { error: 'must be a finite number' }),
  unit: z.string().optional(),
})

const measurementSchema = z.discriminatedUnion('type', [ratioMeasurementSchema, thresholdMeasurementSchema])

/** The zod schema of an SLI; its output is a {@link SliSpec}. */
export const sliSpecSchema = z.strictObject({
  id: idSchema,
  name: z.string().optional(),
  description: z.string().optional(),
  kind: z.enum(SLI_KINDS),
  measurement: measurementSchema,
  noData: z.enum(NO_DATA_POLICIES).default('ignore'),
  source: z.string().min(1).optional(),
  labels: labelsSchema,
})

const timesliceSchema = z.strictObject({
  length: durationSchema,
  objective: objectiveSchema.optional(),
})

const urlSchema = z.url({ error: 'must be an absolute URL' })

/** The zod schema of an SLO with its SLI inlined; its output is a {@link SloSpec}. */
export const sloSpecSchema = z
  .strictObject({
    id: idSchema,
    name: z.string().optional(),
    description: z.string().optional(),
    service: z.string().min(1, { error: 'must not be empty' }),
    sli: sliSpecSchema,
    objective: objectiveSchema,
    window: windowSchema,
    budgetingMethod: z.enum(BUDGETING_METHODS).default('occurrences'),
    timeslice: timesliceSchema.optional(),
    priority: z.enum(PRIORITIES).optional(),
    owner: z.string().optional(),
    rationale: z.string().optional(),
    runbookUrl: urlSchema.optional(),
    dashboardUrl: urlSchema.optional(),
    labels: labelsSchema,
    annotations: annotationsSchema,
  })
  .superRefine((slo, ctx) => {
    const sliced = slo.budgetingMethod !== 'occurrences'
    if (sliced && slo.timeslice === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['timeslice'],
        message: `budgetingMethod ${slo.budgetingMethod} needs \`timeslice: { length: ... }\``,
      })
    }
    if (!sliced && slo.timeslice !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['timeslice'],
        message: '`timeslice` only applies to budgetingMethod timeslices or ratio_timeslices',
      })
    }
    if (slo.timeslice === undefined) return
    const isRatio = slo.sli.measurement.type === 'ratio'
    if (slo.timeslice.length < 1000) {
      ctx.addIssue({
        code: 'custom',
        path: ['timeslice', 'length'],
        message: 'a time slice must be at least 1s long',
      })
    }
    if (slo.window.type === 'rolling' && slo.timeslice.length > slo.window.durationMs) {
      ctx.addIssue({
        code: 'custom',
        path: ['timeslice', 'length'],
        message: 'a time slice cannot be longer than the window',
      })
    }
    if (slo.budgetingMethod === 'timeslices' && isRatio && slo.timeslice.objective === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['timeslice', 'objective'],
        message:
          'timeslices on a ratio SLI need `timeslice.objective`: the good ratio a slice must reach (e.g. 0.95)',
      })
    }
    if (slo.timeslice.objective !== undefined && !(slo.budgetingMethod === 'timeslices' && isRatio)) {
      ctx.addIssue({
        code: 'custom',
        path: ['timeslice', 'objective'],
        message: isRatio
          ? '`timeslice.objective` only applies to budgetingMethod timeslices'
          : 'threshold SLIs judge a slice by `measurement.threshold`; remove `timeslice.objective`',
      })
    }
  })
  .transform((slo): SloSpec => {
    const { timeslice, ...rest } = slo
    if (timeslice === undefined) return rest
    return { ...rest, timeslice: { lengthMs: timeslice.length, objective: timeslice.objective } }
  })

/** What {@link parseSli} accepts: the YAML/JSON shape of an SLI. */
export type SliSpecInput = z.input<typeof sliSpecSchema>
/** What {@link parseSlo} accepts: the YAML/JSON shape of an SLO with its SLI inlined. */
export type SloSpecInput = z.input<typeof sloSpecSchema>

// Compile-time proof that the schemas produce exactly the documented interfaces.
type Equal<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
const sliMatches: Equal<z.output<typeof sliSpecSchema>, SliSpec> = true
const sloMatches: Equal<z.output<typeof sloSpecSchema>, SloSpec> = true
void sliMatches
void sloMatches

function parseWith<T>(schema: z.ZodType<T>, subject: string, input: unknown): T {
  const result = schema.safeParse(input, { reportInput: true })
  if (result.success) return result.data
  const issues: SpecIssue[] = result.error.issues.map(describeZodIssue)
  throw new SlokitSpecError(subject, issues)
}

/**
 * Validates an SLI and returns it with defaults applied.
 * @throws {@link SlokitSpecError} listing every problem.
 */
export function parseSli(input: SliSpecInput): SliSpec {
  return parseWith(sliSpecSchema, 'SLI', input)
}

/**
 * Validates an SLO (with its SLI inlined) and returns it normalised: objective as a ratio,
 * durations in milliseconds, defaults applied.
 *
 * @example
 * ```ts
 * const slo = parseSlo({
 *   id: 'checkout-availability',
 *   service: 'checkout',
 *   sli: { id: 'checkout-requests', kind: 'availability', measurement: { type: 'ratio' } },
 *   objective: '99.9%',
 *   window: '30d',
 * })
 * slo.objective // 0.999
 * slo.window    // { type: 'rolling', durationMs: 2_592_000_000 }
 * ```
 * @throws {@link SlokitSpecError} listing every problem.
 */
export function parseSlo(input: SloSpecInput): SloSpec {
  return parseWith(sloSpecSchema, 'SLO', input)
}

/**
 * The fraction of events (or slices) the SLO allows to be bad: `1 − objective`, rounded to 12
 * significant digits so that `1 − 0.999` is exactly `0.001` and budgets come out as people compute
 * them by hand (43.2 minutes, not 43.199999999999996).
 */
export function errorBudgetRatio(objective: number): number {
  let ratio = budgetRatios.get(objective)
  if (ratio === undefined) {
    ratio = Number((1 - objective).toPrecision(12))
    if (budgetRatios.size >= 1024) budgetRatios.clear()
    budgetRatios.set(objective, ratio)
  }
  return ratio
}

// Objectives repeat (99.9 %, 99.5 %…); formatting a number per evaluation is measurable at 10k SLOs.
const budgetRatios = new Map<number, number>()
