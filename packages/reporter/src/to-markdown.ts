import {
  budgetLeftText,
  budgetSentence,
  burnText,
  dataSentence,
  factsText,
  forecastSentence,
  MAX_LISTED_DECISIONS,
  periodText,
  safeUrl,
  sliText,
  thresholdText,
  trendSentence,
} from './describe.js'
import { budgetPercent, formatInstant, humanDuration, percent } from './format.js'
import { type RenderOptions, shows } from './render-options.js'
import type { Report, SloReport } from './report.js'
import { atRiskTable, type CellFormat, healthTable, servicesTable, type TableSpec } from './report-tables.js'
import { sparkline } from './sparkline.js'

/** Escapes text for GitHub-flavoured Markdown, table cells included; HTML is neutralised. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\`*_[\]#|~]/g, (c) => `\\${c}`)
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r?\n/g, ' ')
}

const e = escapeMarkdown

/** How the Markdown report writes shared cells: escaped, SLO ids as code. */
const cells: CellFormat = {
  text: (text) => escapeMarkdown(text),
  instant: (text) => text,
  sloLink: (sloId) => `\`${sloId}\``,
  sloName: (sloId) => `\`${sloId}\``,
}

/** A shared table. */
function spec(t: TableSpec): string {
  return table(t.headers, t.rows, t.numeric)
}

function table(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  right: readonly number[] = [],
): string {
  const align = header.map((_, i) => (right.includes(i) ? '---:' : '---'))
  return [header, align, ...rows].map((row) => `| ${row.join(' | ')} |`).join('\n')
}

const HEALTH_MARK: Readonly<Record<SloReport['health'], string>> = {
  healthy: '✅ healthy',
  at_risk: '⚠️ at risk',
  breached: '❌ breached',
  no_data: '❔ no data',
}

function sparkCell(points: SloReport['series']['sli'], format: (v: number) => string): string {
  if (points.length < 2) return '—'
  const first = points[0] as readonly [number, number]
  const last = points[points.length - 1] as readonly [number, number]
  return `\`${sparkline(
    points.map((p) => p[1]),
    16,
  )}\` ${format(first[1])} → ${format(last[1])}`
}

/**
 * The report as GitHub-flavoured Markdown: summary, at-risk list, services, a table of every
 * objective with Unicode sparklines of the SLI and the budget (GitHub strips inline SVG), and a
 * section per SLO with budget, burn rates against their alert thresholds, trend, forecast,
 * breaches, policy decisions, freezes and alerts. Every text from the config is escaped.
 *
 * @example
 * ```ts
 * await writeFile('slo-report.md', toMarkdown(report, { include: ['summary', 'budgets', 'trends'] }))
 * ```
 */
export function toMarkdown(report: Report, options: RenderOptions = {}): string {
  const tz = report.timeZone
  const out: string[] = []
  out.push(`# ${e(report.title)}`)
  out.push(`**Period:** ${periodText(report)} · **Generated:** ${formatInstant(report.generatedAtMs, tz)}`)

  if (shows(options, 'summary')) {
    const o = report.overall
    out.push('## Summary')
    out.push(`**${e(report.summary.headline)}** Overall status: ${HEALTH_MARK[report.summary.status]}.`)
    if (report.summary.highlights.length > 0)
      out.push(report.summary.highlights.map((h) => `- ${e(h)}`).join('\n'))
    out.push(spec(healthTable(report)))
    if (o.atRisk.length > 0) {
      out.push('### At risk')
      out.push(spec(atRiskTable(report, cells)))
    }
  }

  if (shows(options, 'services') && report.services.length > 0) {
    out.push('## Services')
    out.push(spec(servicesTable(report, cells)))
  }

  const trends = shows(options, 'trends')
  if (shows(options, 'budgets') && report.slos.length > 0) {
    out.push('## Objectives')
    const header = ['SLO', 'Service', 'Health', 'SLI', 'Objective', 'Window', 'Budget left']
    if (trends) header.push('SLI trend', 'Budget trend')
    out.push(
      table(
        header,
        report.slos.map((s) => {
          const row = [
            `\`${s.sloId}\``,
            e(s.service),
            HEALTH_MARK[s.health],
            sliText(s),
            percent(s.objective),
            e(s.window),
            budgetLeftText(s),
          ]
          if (trends) {
            row.push(
              sparkCell(s.series.sli, (v) => percent(v)),
              sparkCell(s.series.budgetRemaining, budgetPercent),
            )
          }
          return row
        }),
        [3, 4, 6],
      ),
    )
  }

  if (report.slos.length > 0) out.push('## Details')
  for (const s of report.slos) out.push(sloSection(s, report, options))
  return `${out.join('\n\n')}\n`
}

function sloSection(s: SloReport, report: Report, options: RenderOptions): string {
  const tz = report.timeZone
  const out: string[] = []
  out.push(`### \`${s.sloId}\`${s.name === null ? '' : ` — ${e(s.name)}`}`)
  out.push(`**${HEALTH_MARK[s.health]}:** ${e(s.healthReason)}.`)
  const facts = [`- ${e(factsText(s))}`, `- SLI ${sliText(s)} · ${e(dataSentence(s))}`]
  const links = [
    safeUrl(s.runbookUrl) === null ? '' : `[runbook](${s.runbookUrl})`,
    safeUrl(s.dashboardUrl) === null ? '' : `[dashboard](${s.dashboardUrl})`,
  ].filter((l) => l !== '')
  if (links.length > 0) facts.push(`- ${links.join(' · ')}`)
  if (s.excluded !== null && s.excluded.ranges.length > 0) {
    facts.push(
      `- Left out by budget corrections: ${s.excluded.ranges.map((r) => `${e(r.reason)} (${formatInstant(r.startMs, tz)}, ${humanDuration(r.endMs - r.startMs)})`).join('; ')}`,
    )
  }
  if (shows(options, 'budgets')) facts.push(`- ${e(budgetSentence(s))}`)
  if (shows(options, 'trends')) {
    facts.push(`- ${e(trendSentence(s))}`)
    facts.push(`- ${e(forecastSentence(s, tz))}`)
  }
  out.push(facts.join('\n'))

  if (shows(options, 'burnRates') && s.burnRates.length > 0) {
    out.push(
      table(
        ['Burn rate', ...s.burnRates.map((b) => b.window)],
        [
          ['now', ...s.burnRates.map(burnText)],
          ['alert threshold', ...s.burnRates.map(thresholdText)],
        ],
        s.burnRates.map((_, i) => i + 1),
      ),
    )
  }
  if (shows(options, 'breaches') && s.breaches.length > 0) {
    out.push(
      `**Objective missed** ${s.breaches.length === 1 ? 'once' : `${s.breaches.length} times`}, ${humanDuration(s.timeNotMetMs)} in all:`,
    )
    out.push(
      table(
        ['From', 'To', 'For', 'Lowest SLI'],
        s.breaches.map((b) => [
          formatInstant(b.startMs, tz),
          b.endMs === null ? 'still missed' : formatInstant(b.endMs, tz),
          humanDuration(b.durationMs),
          b.worstSli === null ? '—' : percent(b.worstSli),
        ]),
        [2, 3],
      ),
    )
  }
  if (shows(options, 'policyActions')) {
    if (s.policy.decisions.length > 0) {
      const shown = s.policy.decisions.slice(-MAX_LISTED_DECISIONS)
      const earlier = s.policy.decisions.length - shown.length
      out.push(
        `**Policy decisions** (changes of verdict${earlier > 0 ? `; the newest ${shown.length}, ${earlier} earlier ones in the JSON report` : ''}):`,
      )
      out.push(
        table(
          ['When', 'Policy', 'Verdict', 'Actions', 'Message'],
          shown.map((d) => [
            formatInstant(d.atMs, tz),
            e(d.policy),
            d.state,
            d.actions.length === 0 ? '—' : d.actions.map(e).join(', '),
            e(d.message),
          ]),
        ),
      )
    }
    if (s.policy.freezes.length > 0) {
      out.push('**Deployment freezes:**')
      out.push(
        s.policy.freezes
          .map(
            (f) =>
              `- ${formatInstant(f.atMs, tz)} ${e(f.service)} ${f.kind.replace(/_/g, ' ')}: ${e(f.reason)}`,
          )
          .join('\n'),
      )
    }
  }
  if (shows(options, 'alerts') && s.alerts.length > 0) {
    out.push('**Alerts:**')
    out.push(
      table(
        ['Started', 'Resolved', 'Severity', 'Rule', 'Title'],
        s.alerts.map((a) => [
          formatInstant(a.startsAtMs, tz),
          a.endsAtMs === null ? 'firing' : formatInstant(a.endsAtMs, tz),
          e(a.severity),
          e(a.rule),
          e(a.title),
        ]),
      ),
    )
  }
  return out.join('\n\n')
}
