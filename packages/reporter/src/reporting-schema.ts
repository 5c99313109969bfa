import { isValidTimeZone } from '@slokit/core'
import { z } from 'zod'
import { REPORT_PARTS, type ReportPart } from './render-options.js'
import { cronProblem, type ReportSchedule } from './schedule.js'

/** The formats a report renders to. */
export const REPORT_FORMATS = ['json', 'markdown', 'html'] as const
/** One of {@link REPORT_FORMATS}. */
export type ReportFormat = (typeof REPORT_FORMATS)[number]

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/

const timeZoneSchema = z
  .string()
  .refine(isValidTimeZone, { error: 'must be an IANA time zone such as UTC or Europe/Berlin' })

const atSchema = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'must be a time of day as HH:MM, e.g. "08:00"' })

const cronSchema = z.string().superRefine((cron, ctx) => {
  const problem = cronProblem(cron)
  if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem })
})

/** Shorthands and their cron form; weekly reports go out on Mondays. */
const SHORTHAND: Readonly<Record<'daily' | 'weekly', string>> = { daily: '0 0 * * *', weekly: '0 0 * * 1' }

const scheduleSchema = z.union([
  z.enum(['daily', 'weekly']).transform((every): ReportSchedule & { every: 'daily' | 'weekly' | 'cron' } => ({
    every,
    cron: SHORTHAND[every],
    timeZone: 'UTC',
  })),
  z
    .strictObject({
      every: z.enum(['daily', 'weekly']),
      at: atSchema.default('00:00'),
      on: z.enum(WEEKDAYS).optional(),
      timeZone: timeZoneSchema.default('UTC'),
    })
    .superRefine((s, ctx) => {
      if (s.every === 'daily' && s.on !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['on'], message: 'only weekly schedules take a weekday' })
      }
    })
    .transform((s): ReportSchedule & { every: 'daily' | 'weekly' | 'cron' } => {
      const [hour, minute] = s.at.split(':').map(Number) as [number, number]
      const weekday = s.every === 'weekly' ? WEEKDAYS.indexOf(s.on ?? 'monday') : '*'
      return { every: s.every, cron: `${minute} ${hour} * * ${weekday}`, timeZone: s.timeZone }
    }),
  z
    .strictObject({ cron: cronSchema, timeZone: timeZoneSchema.default('UTC') })
    .transform((s): ReportSchedule & { every: 'daily' | 'weekly' | 'cron' } => ({ every: 'cron', ...s })),
])

const outputSchema = z
  .strictObject({
    /** A file path; the host resolves it (the engine: against the config file's folder). */
    file: z.string().min(1).optional(),
    /** Channel names from the config's `channels` section. */
    notify: z
      .array(z.string().regex(NAME, { error: 'must be a channel name' }))
      .min(1)
      .optional(),
  })
  .refine((o) => o.file !== undefined || o.notify !== undefined, {
    error: 'needs `file`, `notify`, or both',
  })

const jobSchema = z
  .strictObject({
    schedule: scheduleSchema,
    format: z.enum(REPORT_FORMATS).default('markdown'),
    output: outputSchema,
    days: z.int().min(1).max(400).optional(),
    include: z.array(z.enum(REPORT_PARTS)).min(1).optional(),
    title: z.string().min(1).max(200).optional(),
    timeZone: timeZoneSchema.optional(),
  })
  .transform(
    (job): ReportJob => ({
      schedule: { cron: job.schedule.cron, timeZone: job.schedule.timeZone },
      format: job.format,
      output: { file: job.output.file ?? null, notify: job.output.notify ?? [] },
      days: job.days ?? (job.schedule.every === 'daily' ? 1 : 7),
      include: job.include ?? null,
      title: job.title ?? null,
      timeZone: job.timeZone ?? job.schedule.timeZone,
    }),
  )

/** One scheduled report, validated and normalised by {@link reportingSectionSchema}. */
export interface ReportJob {
  /** When it is due; pass to `nextReportDue`. */
  readonly schedule: ReportSchedule
  readonly format: ReportFormat
  /** Where it goes: a file (written whole, replacing the last one), channels to notify, or both. */
  readonly output: { readonly file: string | null; readonly notify: readonly string[] }
  /** The report covers the `days` days before it runs; 1 for daily schedules and 7 otherwise by default. */
  readonly days: number
  /** The parts to render (`toMarkdown`/`toHTML` option `include`); `null` for all. */
  readonly include: readonly ReportPart[] | null
  readonly title: string | null
  /** The time zone times are shown in: the job's `timeZone`, else the schedule's. */
  readonly timeZone: string
}

/**
 * The zod schema of the config's `reporting` section: named report jobs. Hand it to the config
 * loader (`sections: { reporting: reportingSectionSchema }`).
 *
 * ```yaml
 * reporting:
 *   weekly-slo-review:
 *     schedule: { cron: "0 8 * * MON", timeZone: Europe/Berlin }   # or: daily | weekly |
 *     format: markdown                                             #   { every: weekly, on: monday, at: "08:00", timeZone: … }
 *     output: { file: reports/weekly-slo-review.md, notify: [slack-sre] }
 *     days: 7
 *     include: [summary, budgets, burnRates, policyActions, trends]
 * ```
 */
export const reportingSectionSchema = z.record(
  z.string().regex(NAME, { error: 'must be a report name: letters, digits, `_`, `.`, `-`' }),
  jobSchema,
)

/** The `reporting` section after validation: report jobs by name. */
export type ReportingSection = z.output<typeof reportingSectionSchema>
/** The `reporting` section as written. */
export type ReportingSectionInput = z.input<typeof reportingSectionSchema>
