import { periodText } from './describe.js'
import type { RenderOptions } from './render-options.js'
import type { Report, SloHealth } from './report.js'
import type { ReportFormat } from './reporting-schema.js'
import { toHTML } from './to-html.js'
import { toJSON } from './to-json.js'
import { toMarkdown } from './to-markdown.js'

/**
 * Renders a report in one of {@link REPORT_FORMATS}: what a scheduled job writes to its file.
 *
 * @example
 * ```ts
 * await writeFile(job.output.file, renderReport(report, job.format, { include: job.include ?? undefined }))
 * ```
 */
export function renderReport(report: Report, format: ReportFormat, options: RenderOptions = {}): string {
  switch (format) {
    case 'json':
      return toJSON(report)
    case 'markdown':
      return toMarkdown(report, options)
    case 'html':
      return toHTML(report, options)
  }
}

/** A report in a few lines of plain text, for a notification (a Slack message, an e-mail subject). */
export interface ReportDigest {
  readonly title: string
  /** Plain text; a notifier escapes it for its medium. */
  readonly body: string
  /** The worst health: map it to the notification's severity. */
  readonly status: SloHealth
  /** Facts for the notification's `details`. */
  readonly details: {
    readonly periodStartMs: number
    readonly periodEndMs: number
    readonly slos: number
    readonly met: number
    readonly atRisk: number
    readonly breached: number
    readonly noData: number
  }
}

/**
 * The digest of a report for channels that take a message rather than a file: the title and
 * period, the headline and the highlights. The engine turns it into a `report` notification.
 *
 * @example
 * ```ts
 * const digest = reportDigest(report)
 * outbox.enqueue({ kind: 'report', channel, title: digest.title, body: digest.body, details: digest.details, … })
 * ```
 */
export function reportDigest(report: Report): ReportDigest {
  const o = report.overall
  const lines = [report.summary.headline, ...report.summary.highlights.map((h) => `• ${h}`)]
  return {
    title: `${report.title}: ${periodText(report)}`,
    body: lines.join('\n'),
    status: report.summary.status,
    details: {
      periodStartMs: report.period.startMs,
      periodEndMs: report.period.endMs,
      slos: o.slos,
      met: o.met,
      atRisk: o.health.atRisk,
      breached: o.health.breached,
      noData: o.health.noData,
    },
  }
}
