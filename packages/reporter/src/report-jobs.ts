import { mkdir, open, rename } from 'node:fs/promises'
import { dirname, isAbsolute, resolve } from 'node:path'
import { DAY_MS, type SloSpec, type SloStatus } from '@slokit/core'
import { buildReport } from './build-report.js'
import { renderReport, reportDigest } from './render-report.js'
import type { SloHealth } from './report.js'
import type { ReportingSection } from './reporting-schema.js'
import { nextReportDue } from './schedule.js'
import { toSnapshot } from './snapshot.js'
import type { StatusHistory } from './status-history.js'

/**
 * A report notification, shaped like `@slokit/alerting`'s `Notification` of kind `report` (this
 * package does not depend on alerting; the engine checks the shape where the two meet).
 */
export interface ReportNotification {
  readonly id: string
  readonly dedupKey: string
  readonly kind: 'report'
  readonly channel: string
  readonly severity: 'critical' | 'high' | 'warning' | 'info'
  readonly title: string
  readonly body: string
  readonly service: null
  readonly createdAtMs: number
  readonly alerts: readonly never[]
  readonly links: Readonly<Record<string, never>>
  readonly details: Readonly<Record<string, unknown>>
}

/** A scheduled report, shaped like `@slokit/engine`'s `EngineJob`. */
export interface ReportEngineJob {
  readonly name: string
  nextDueAtMs(lastRunMs: number, now: number): number | null
  run(context: {
    readonly dueAtMs: number
    readonly now: number
    readonly statuses: readonly SloStatus[]
  }): Promise<readonly ReportNotification[]>
}

/** Options of {@link reportJobs}. */
export interface ReportJobsOptions {
  /** Where the report's history comes from: the store the engine appends to (see {@link historySink}). */
  readonly history: StatusHistory
  /** The SLO specs: names, owners and priorities in the reports. */
  readonly slos?: readonly SloSpec[] | undefined
  /** Relative `output.file` paths are resolved against this folder (the config's); the working directory by default. */
  readonly baseDir?: string | undefined
  /** Writes a report file; an atomic write (temporary file, then rename) by default. */
  readonly writeFile?: ((path: string, content: string) => Promise<void>) | undefined
}

const SEVERITY: Readonly<Record<SloHealth, ReportNotification['severity']>> = {
  healthy: 'info',
  at_risk: 'warning',
  breached: 'high',
  no_data: 'warning',
}

/**
 * The config's `reporting` section as engine jobs (`createEngine({ jobs })`): each job is due on
 * its schedule, builds the report over the `days` before its slot from the history and the
 * latest statuses, writes it to `output.file` (whole, atomically) and sends a digest to each
 * `output.notify` channel. A slot missed while the engine was down runs once when it is back.
 *
 * @example
 * ```ts
 * const history = new FileStatusHistory('.slokit/history.jsonl')
 * const engine = createEngine({
 *   slos, sources, notifiers,
 *   stores: { history: historySink(history), jobs: new FileJobStateStore('.slokit/jobs.json') },
 *   jobs: reportJobs(config.sections.reporting, { history, slos, baseDir: dirname(configPath) }),
 * })
 * ```
 */
export function reportJobs(
  section: ReportingSection | undefined,
  options: ReportJobsOptions,
): ReportEngineJob[] {
  const write = options.writeFile ?? writeAtomically
  return Object.entries(section ?? {}).map(([name, job]) => ({
    name: `report/${name}`,
    nextDueAtMs: (lastRunMs, now) => nextReportDue(job.schedule, lastRunMs, now),
    async run({ dueAtMs, now, statuses }) {
      const period = { startMs: dueAtMs - job.days * DAY_MS, endMs: dueAtMs }
      const history = await options.history.read({ startMs: period.startMs, endMs: period.endMs })
      const report = buildReport({
        statuses,
        history,
        period,
        slos: options.slos,
        options: {
          generatedAtMs: now,
          timeZone: job.timeZone,
          ...(job.title === null ? {} : { title: job.title }),
        },
      })
      if (job.output.file !== null) {
        const path = isAbsolute(job.output.file)
          ? job.output.file
          : resolve(options.baseDir ?? '.', job.output.file)
        await write(
          path,
          renderReport(report, job.format, job.include === null ? {} : { include: job.include }),
        )
      }
      const digest = reportDigest(report)
      return job.output.notify.map(
        (channel): ReportNotification => ({
          id: `report/${name}:${dueAtMs}:${channel}`,
          dedupKey: `report/${name}`,
          kind: 'report',
          channel,
          severity: SEVERITY[digest.status],
          title: digest.title,
          body: job.output.file === null ? digest.body : `${digest.body}\nFull report: ${job.output.file}`,
          service: null,
          createdAtMs: now,
          alerts: [],
          links: {},
          details: { report: name, ...digest.details },
        }),
      )
    },
  }))
}

/**
 * A status history as the engine's status sink (`stores.history`): each evaluation's statuses
 * are appended as snapshots.
 */
export function historySink(history: StatusHistory): {
  append(statuses: readonly SloStatus[]): Promise<void>
} {
  return { append: (statuses) => history.append(statuses.map(toSnapshot)) }
}

/** Writes a whole file so a reader never sees half of it: a temporary file flushed to disk, renamed over the old one. */
async function writeAtomically(path: string, content: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true })
  const temporary = `${path}.${process.pid}.tmp`
  const file = await open(temporary, 'w')
  try {
    await file.writeFile(content)
    await file.sync()
  } finally {
    await file.close()
  }
  await rename(temporary, path)
}
