import { burnDownChart, burnRateBars, escapeHtml, PALETTE, sliTrendChart } from './charts.js'
import {
  budgetLeftText,
  budgetSentence,
  burnText,
  dataSentence,
  factsText,
  forecastSentence,
  HEALTH_LABELS,
  MAX_LISTED_DECISIONS,
  periodText,
  safeUrl,
  sliText,
  thresholdText,
  trendSentence,
} from './describe.js'
import { formatInstant, humanDuration, percent } from './format.js'
import { type RenderOptions, shows } from './render-options.js'
import type { Report, SloHealth, SloReport } from './report.js'
import { atRiskTable, type CellFormat, healthTable, servicesTable, type TableSpec } from './report-tables.js'

const h = escapeHtml

const HEALTH_SYMBOL: Readonly<Record<SloHealth, string>> = {
  healthy: '✓',
  at_risk: '!',
  breached: '✗',
  no_data: '?',
}

function badge(health: SloHealth): string {
  return `<span class="badge ${health}"><span aria-hidden="true">${HEALTH_SYMBOL[health]}</span> ${HEALTH_LABELS[health]}</span>`
}

/** How the HTML report writes shared cells: escaped, at-risk SLOs linked to their sections. */
const cells: CellFormat = {
  text: (text) => escapeHtml(text),
  instant: (text) => escapeHtml(text),
  sloLink: (sloId) => `<a href="#${anchor(sloId)}">${escapeHtml(sloId)}</a>`,
  sloName: (sloId) => escapeHtml(sloId),
}

/** A shared table, with its caption. */
function spec(caption: string, t: TableSpec): string {
  return table(caption, t.headers, t.rows, t.numeric)
}

function table(
  caption: string,
  header: readonly string[],
  rows: readonly (readonly string[])[],
  numeric: readonly number[] = [],
): string {
  const th = header
    .map((c, i) => `<th scope="col"${numeric.includes(i) ? ' class="num"' : ''}>${c}</th>`)
    .join('')
  const body = rows
    .map(
      (row) =>
        `<tr>${row.map((c, i) => `<td${numeric.includes(i) ? ' class="num"' : ''}>${c}</td>`).join('')}</tr>`,
    )
    .join('')
  return `<table><caption>${caption}</caption><thead><tr>${th}</tr></thead><tbody>${body}</tbody></table>`
}

const STYLE = `
:root{--ink:#1a1a1a;--muted:#5a5a5a;--line:#d0d0d0;--bg:#fff;--panel:#f6f7f9}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);background:var(--bg)}
header,main,footer{max-width:1100px;margin:0 auto;padding:0 20px}
header{padding-top:24px}
h1{font-size:1.7em;margin:0 0 4px}
h2{font-size:1.3em;margin:32px 0 12px;border-bottom:2px solid var(--line);padding-bottom:4px}
h3{font-size:1.12em;margin:0}
.meta{color:var(--muted);margin:0}
.headline{font-size:1.15em;font-weight:600}
table{border-collapse:collapse;width:100%;margin:8px 0 16px;font-size:.92em}
caption{text-align:left;font-weight:600;padding:4px 0;color:var(--muted)}
th,td{border-bottom:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top}
th{background:var(--panel)}
.num{text-align:right;font-variant-numeric:tabular-nums}
.badge{display:inline-block;border-radius:10px;padding:0 9px;font-size:.85em;font-weight:600;border:1.5px solid;white-space:nowrap}
.badge.healthy{color:#00664a;border-color:${PALETTE.green};background:#e6f5f0}
.badge.at_risk{color:#7a5300;border-color:${PALETTE.orange};background:#fdf3dc}
.badge.breached{color:#8f3a00;border-color:${PALETTE.vermillion};background:#fbe9df}
.badge.no_data{color:#444;border-color:${PALETTE.grey};background:#eee}
.slo{border:1px solid var(--line);border-radius:8px;padding:16px;margin:18px 0;break-inside:avoid;page-break-inside:avoid}
.slo header{padding:0;max-width:none;display:flex;gap:12px;align-items:baseline;flex-wrap:wrap}
.facts{margin:8px 0;padding-left:20px}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(480px,1fr));gap:12px;margin:12px 0}
figure{margin:0;background:var(--panel);border-radius:6px;padding:8px}
figcaption{font-size:.85em;color:var(--muted);margin-top:4px}
svg.chart{display:block;width:100%;height:auto;font:13px system-ui,sans-serif}
svg .tick,svg .legend text,svg .value{fill:var(--ink);font-size:12.5px}
svg .grid{stroke:#e2e2e2;stroke-width:1}
svg .axis{stroke:#888;stroke-width:1}
svg .empty{fill:var(--muted);font-size:13px}
a{color:#005a8c}
footer{color:var(--muted);font-size:.85em;padding:24px 20px}
@media print{
  @page{margin:14mm}
  body{font-size:10.5pt}
  header,main,footer{max-width:none;padding:0}
  .slo{border-color:#999}
  figure{background:none;border:1px solid #ccc}
  .charts{grid-template-columns:1fr 1fr}
  a{color:inherit;text-decoration:none}
  h2{break-after:avoid}
}
`

/**
 * The report as one self-contained HTML page: inline CSS and inline SVG only, no script, no font,
 * no image or request of any kind (a `Content-Security-Policy` of `default-src 'none'` makes the
 * browser refuse one if it ever slipped in). Per SLO: an error-budget burn-down chart against the
 * ideal line, an SLI trend chart with the objective, and burn-rate bars with alert thresholds.
 * Charts have titles and text descriptions for screen readers, use the Okabe–Ito colour-blind-safe
 * palette with dash patterns, and the page prints one SLO per block.
 *
 * @example
 * ```ts
 * await writeFile('slo-report.html', toHTML(report))
 * ```
 */
export function toHTML(report: Report, options: RenderOptions = {}): string {
  const tz = report.timeZone
  const parts: string[] = []
  parts.push(
    '<!doctype html><html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="generator" content="slokit reporter, schema ${report.schemaVersion}">`,
    `<title>${h(report.title)}</title><style>${STYLE}</style></head><body>`,
    `<header><h1>${h(report.title)}</h1><p class="meta">${h(periodText(report))} · generated ${h(formatInstant(report.generatedAtMs, tz))}</p></header><main>`,
  )

  if (shows(options, 'summary')) {
    const o = report.overall
    parts.push(
      `<section aria-labelledby="summary"><h2 id="summary">Summary</h2>`,
      `<p class="headline">${badge(report.summary.status)} ${h(report.summary.headline)}</p>`,
    )
    if (report.summary.highlights.length > 0) {
      parts.push(`<ul>${report.summary.highlights.map((x) => `<li>${h(x)}</li>`).join('')}</ul>`)
    }
    parts.push(spec('SLOs by health', healthTable(report)))
    if (o.atRisk.length > 0) {
      parts.push(spec('At risk, soonest exhaustion first', atRiskTable(report, cells)))
    }
    parts.push('</section>')
  }

  if (shows(options, 'services') && report.services.length > 0) {
    parts.push(
      `<section aria-labelledby="services"><h2 id="services">Services</h2>`,
      spec('Roll-up per service', servicesTable(report, cells)),
      '</section>',
    )
  }

  if (shows(options, 'budgets') && report.slos.length > 0) {
    parts.push(
      `<section aria-labelledby="objectives"><h2 id="objectives">Objectives</h2>`,
      table(
        'Every SLO at the end of the period',
        ['SLO', 'Service', 'Health', 'SLI', 'Objective', 'Window', 'Budget left'],
        report.slos.map((s) => [
          `<a href="#${anchor(s.sloId)}">${h(s.sloId)}</a>`,
          h(s.service),
          badge(s.health),
          sliText(s),
          percent(s.objective),
          h(s.window),
          h(budgetLeftText(s)),
        ]),
        [3, 4, 6],
      ),
      '</section>',
    )
  }

  if (report.slos.length > 0) parts.push(`<section aria-labelledby="details"><h2 id="details">Details</h2>`)
  report.slos.forEach((s, i) => {
    parts.push(sloSection(s, i, report, options))
  })
  if (report.slos.length > 0) parts.push('</section>')
  parts.push(
    `</main><footer>slokit report · schema version ${report.schemaVersion} · times in ${h(tz)}</footer></body></html>\n`,
  )
  return parts.join('')
}

function anchor(sloId: string): string {
  return `slo-${sloId.replace(/[^A-Za-z0-9_-]/g, '-')}`
}

function sloSection(s: SloReport, index: number, report: Report, options: RenderOptions): string {
  const tz = report.timeZone
  const out: string[] = []
  out.push(
    `<article class="slo" id="${anchor(s.sloId)}" aria-labelledby="${anchor(s.sloId)}-h"><header>`,
    `<h3 id="${anchor(s.sloId)}-h">${h(s.sloId)}${s.name === null ? '' : ` — ${h(s.name)}`}</h3>${badge(s.health)}</header>`,
    `<p>${h(s.healthReason)}.</p>`,
  )
  const facts = [h(factsText(s)), `SLI ${sliText(s)} · ${h(dataSentence(s))}`]
  const links = [
    safeUrl(s.runbookUrl) === null ? '' : `<a href="${h(s.runbookUrl as string)}">runbook</a>`,
    safeUrl(s.dashboardUrl) === null ? '' : `<a href="${h(s.dashboardUrl as string)}">dashboard</a>`,
  ].filter((l) => l !== '')
  if (links.length > 0) facts.push(links.join(' · '))
  if (s.excluded !== null && s.excluded.ranges.length > 0) {
    facts.push(
      `Left out by budget corrections: ${s.excluded.ranges.map((r) => `${h(r.reason)} (${h(formatInstant(r.startMs, tz))}, ${humanDuration(r.endMs - r.startMs)})`).join('; ')}`,
    )
  }
  if (shows(options, 'budgets')) facts.push(h(budgetSentence(s)))
  if (shows(options, 'trends')) facts.push(h(trendSentence(s)), h(forecastSentence(s, tz)))
  out.push(`<ul class="facts">${facts.map((f) => `<li>${f}</li>`).join('')}</ul>`)

  if (shows(options, 'charts')) {
    const id = `c${index}`
    const figures: string[] = []
    if (shows(options, 'budgets'))
      figures.push(
        `<figure>${burnDownChart(s, report.period, tz, `${id}-burndown`)}<figcaption>Error budget remaining against the ideal burn-down.</figcaption></figure>`,
      )
    if (shows(options, 'trends'))
      figures.push(
        `<figure>${sliTrendChart(s, report.period, tz, `${id}-sli`)}<figcaption>SLI and its objective.</figcaption></figure>`,
      )
    if (shows(options, 'burnRates'))
      figures.push(
        `<figure>${burnRateBars(s, `${id}-burn`)}<figcaption>Burn rate per window, with alert thresholds.</figcaption></figure>`,
      )
    if (figures.length > 0) out.push(`<div class="charts">${figures.join('')}</div>`)
  }

  if (shows(options, 'burnRates') && s.burnRates.length > 0) {
    out.push(
      table(
        'Burn rates',
        ['Window', ...s.burnRates.map((b) => h(b.window))],
        [
          ['now', ...s.burnRates.map((b) => burnText(b))],
          ['alert threshold', ...s.burnRates.map((b) => h(thresholdText(b)))],
        ],
        s.burnRates.map((_, i) => i + 1),
      ),
    )
  }
  if (shows(options, 'breaches') && s.breaches.length > 0) {
    out.push(
      table(
        `Objective missed ${s.breaches.length === 1 ? 'once' : `${s.breaches.length} times`}, ${humanDuration(s.timeNotMetMs)} in all`,
        ['From', 'To', 'For', 'Lowest SLI'],
        s.breaches.map((b) => [
          h(formatInstant(b.startMs, tz)),
          b.endMs === null ? 'still missed' : h(formatInstant(b.endMs, tz)),
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
        table(
          `Policy decisions (changes of verdict${earlier > 0 ? `; the newest ${shown.length}, ${earlier} earlier ones in the JSON report` : ''})`,
          ['When', 'Policy', 'Verdict', 'Actions', 'Message'],
          shown.map((d) => [
            h(formatInstant(d.atMs, tz)),
            h(d.policy),
            d.state,
            d.actions.length === 0 ? '—' : h(d.actions.join(', ')),
            h(d.message),
          ]),
        ),
      )
    }
    if (s.policy.freezes.length > 0) {
      out.push(
        table(
          'Deployment freezes',
          ['When', 'Service', 'Change', 'Reason'],
          s.policy.freezes.map((f) => [
            h(formatInstant(f.atMs, tz)),
            h(f.service),
            h(f.kind.replace(/_/g, ' ')),
            h(f.reason),
          ]),
        ),
      )
    }
  }
  if (shows(options, 'alerts') && s.alerts.length > 0) {
    out.push(
      table(
        'Alerts',
        ['Started', 'Resolved', 'Severity', 'Rule', 'Title'],
        s.alerts.map((a) => [
          h(formatInstant(a.startsAtMs, tz)),
          a.endsAtMs === null ? 'firing' : h(formatInstant(a.endsAtMs, tz)),
          h(a.severity),
          h(a.rule),
          h(a.title),
        ]),
      ),
    )
  }
  out.push('</article>')
  return out.join('')
}
