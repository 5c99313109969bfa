import { budgetPercent, formatInstant, humanDuration } from './format.js'
import type { Report } from './report.js'

/** How a renderer writes the cells the tables share: escaping and SLO references are its own. */
export interface CellFormat {
  /** Text from the report or the config, escaped for the output. */
  text(text: string): string
  /** A formatted instant. */
  instant(text: string): string
  /** An SLO id that points to the SLO's section, where the output can link. */
  sloLink(sloId: string): string
  /** An SLO id named in passing. */
  sloName(sloId: string): string
}

/** A table both renderers draw: headers, cells already formatted, and the columns of numbers (right-aligned). */
export interface TableSpec {
  readonly headers: readonly string[]
  readonly rows: readonly (readonly string[])[]
  readonly numeric: readonly number[]
}

/** The overall roll-up: SLOs, met, and how many are in each health. */
export function healthTable(report: Report): TableSpec {
  const o = report.overall
  return {
    headers: ['SLOs', 'Met', 'Healthy', 'At risk', 'Breached', 'No data', 'Alerts fired'],
    rows: [
      [
        o.slos,
        o.met,
        o.health.healthy,
        o.health.atRisk,
        o.health.breached,
        o.health.noData,
        o.alertsFired,
      ].map(String),
    ],
    numeric: [0, 1, 2, 3, 4, 5, 6],
  }
}

/** The SLOs at risk, soonest exhaustion first. */
export function atRiskTable(report: Report, f: CellFormat): TableSpec {
  return {
    headers: ['SLO', 'Service', 'Budget left', 'Exhausts', 'In', 'Confidence', 'Why'],
    rows: report.overall.atRisk.map((a) => [
      f.sloLink(a.sloId),
      f.text(a.service),
      a.budgetRemaining === null ? '—' : budgetPercent(a.budgetRemaining),
      a.exhaustsAtMs === null ? '—' : f.instant(formatInstant(a.exhaustsAtMs, report.timeZone)),
      a.timeToExhaustionMs === null ? '—' : humanDuration(a.timeToExhaustionMs),
      a.confidence === null ? '—' : a.confidence.toFixed(2),
      f.text(a.reason),
    ]),
    numeric: [2, 4, 5],
  }
}

/** The roll-up per service. */
export function servicesTable(report: Report, f: CellFormat): TableSpec {
  return {
    headers: ['Service', 'SLOs', 'Met', 'At risk', 'Breached', 'No data', 'Least budget left', 'Frozen'],
    rows: report.services.map((s) => [
      f.text(s.service),
      String(s.slos),
      String(s.met),
      String(s.health.atRisk),
      String(s.health.breached),
      String(s.health.noData),
      s.worstBudget === null
        ? '—'
        : `${budgetPercent(s.worstBudget.remaining)} (${f.sloName(s.worstBudget.sloId)})`,
      s.frozen === null ? '—' : s.frozen ? 'yes' : 'no',
    ]),
    numeric: [1, 2, 3, 4, 5, 6],
  }
}
