import { type AlertsSection, alertsSectionSchema } from '@slokit/alerting'
import { formatDuration, tryParseDuration } from '@slokit/core'
import { type AlertScore, backtestAlerts } from '@slokit/testing/alerts'
import { type CommandContext, ExitError, loadForCommand } from '../context.js'
import { loadData } from '../data-file.js'
import { parseInstant } from './evaluate.js'

/** Options of `slokit backtest`. */
export interface BacktestOptions {
  readonly config: readonly string[]
  readonly data: string
  readonly from?: string
  readonly to?: string
  readonly warmup?: string
  readonly step?: string
  readonly significant?: string
  readonly json?: boolean
}

/** The rule backtested when a config has no alert rules: the SRE Workbook's page and ticket tiers. */
const DEFAULT_RULES = alertsSectionSchema.parse({ rules: [{ name: 'burn-rate', type: 'burn_rate' }] })

/**
 * `slokit backtest --config … --data …`: runs the config's alert rules through the engine over a
 * data file, evaluating every `--step` of the data's time, and scores them against the significant
 * events in the same data with the SRE Workbook's measures: precision, recall, detection time and
 * reset time. Nothing is sent anywhere.
 */
export async function backtestCommand(options: BacktestOptions, ctx: CommandContext): Promise<void> {
  const { io, colors: c } = ctx
  const json = options.json === true
  const usage = (message: string): never => {
    io.stderr.write(`${c.red('error')}: ${message}\n`)
    throw new ExitError(2)
  }
  const stepMs =
    tryParseDuration(options.step ?? '5m') ??
    usage(`--step ${JSON.stringify(options.step)} is not a duration such as 5m`)
  const warmupMs =
    tryParseDuration(options.warmup ?? '1d') ??
    usage(`--warmup ${JSON.stringify(options.warmup)} is not a duration such as 1d`)
  const significant =
    parsePercent(options.significant ?? '2%') ??
    usage(`--significant ${JSON.stringify(options.significant)} is not a percentage such as 2%`)
  const instant = (flag: string, text: string | undefined) =>
    text === undefined
      ? undefined
      : (parseInstant(text) ??
        usage(
          `${flag} ${JSON.stringify(text)} is not a time: use 2026-11-27T00:00:00Z, 2026-11-27 or epoch milliseconds`,
        ))
  const from = instant('--from', options.from)
  const to = instant('--to', options.to)

  const config = await loadForCommand(ctx, options.config, json)
  const configured = config.sections.alerts as AlertsSection | undefined
  const alerts = configured === undefined || configured.rules.length === 0 ? DEFAULT_RULES : configured
  const { source, summary } = await loadData(ctx, options.data)
  const slis = new Set(config.slos.map((slo) => slo.sli.id))
  const covered = summary.slis.filter((sli) => slis.has(sli.id))
  if (covered.length === 0) {
    io.stderr.write(
      `${c.red('error')}: ${options.data} holds no data for the config's SLIs; nothing to backtest\n`,
    )
    throw new ExitError(1)
  }
  const firstMs = Math.min(...covered.map((sli) => sli.firstMs))
  const lastMs = Math.max(...covered.map((sli) => sli.lastMs + (sli.resolutionMs ?? 0)))
  const range = { startMs: from ?? firstMs + warmupMs, endMs: to ?? lastMs }
  if (!(range.startMs < range.endMs)) {
    usage(
      `nothing to evaluate between ${new Date(range.startMs).toISOString()} and ${new Date(range.endMs).toISOString()}: the data spans ${new Date(firstMs).toISOString()} to ${new Date(lastMs).toISOString()}`,
    )
  }
  const slos = config.slos.filter((slo) => covered.some((sli) => sli.id === slo.sli.id))
  const result = await backtestAlerts({
    slos,
    alerts,
    source,
    range,
    stepMs,
    significant: { minBudgetSpent: significant },
  })
  const events = result.events

  if (json) {
    const { scores, episodes, evaluations } = result
    io.stdout.write(
      `${JSON.stringify({ data: options.data, range, stepMs, significantBudgetSpent: significant, defaultRules: alerts === DEFAULT_RULES, evaluations, events, episodes, scores }, null, 2)}\n`,
    )
    return
  }
  const iso = (ms: number) => new Date(ms).toISOString().replace(':00.000Z', 'Z')
  io.stdout.write(
    `Backtest of ${alerts.rules.length} alert ${alerts.rules.length === 1 ? 'rule' : 'rules'}${alerts === DEFAULT_RULES ? ' (the SRE Workbook defaults: the config has none)' : ''} on ${options.data}\n` +
      `${iso(range.startMs)} → ${iso(range.endMs)}, evaluated every ${formatDuration(stepMs)} (${result.evaluations.toLocaleString('en-US')} evaluations), ${slos.length} SLOs\n` +
      `${events.length} significant ${events.length === 1 ? 'event' : 'events'}: stretches burning faster than allowed that spent ≥ ${formatPct(significant)} of an SLO's budget\n\n`,
  )
  io.stdout.write(`${renderScores(result.scores)}\n`)
}

function parsePercent(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)%$/.exec(text.trim())
  if (match === null) return undefined
  const value = Number(match[1]) / 100
  return value > 0 && value <= 1 ? value : undefined
}

const formatPct = (ratio: number | null) => (ratio === null ? '—' : `${Number((ratio * 100).toFixed(1))}%`)
/** A signed duration to the second: a reset can come before the event ends (the alert resolved during a lull). */
const signed = (ms: number) => {
  const rounded = Math.round(ms / 1000) * 1000
  return rounded < 0 ? `-${formatDuration(-rounded)}` : formatDuration(rounded)
}
const formatTimes = (times: AlertScore['detectionTimeMs']) =>
  times === null ? '—' : `${signed(times.mean)} / ${signed(times.max)}`

/** The scores as an aligned table, one row per rule and tier. */
export function renderScores(scores: readonly AlertScore[]): string {
  if (scores.length === 0) return 'No alert fired.'
  const header = ['rule', 'tier', 'fired', 'precision', 'recall', 'detection mean / max', 'reset mean / max']
  const rows = scores.map((s) => [
    s.rule,
    s.tier ?? '—',
    String(s.episodes),
    formatPct(s.precision),
    `${formatPct(s.recall)}${s.missed > 0 ? ` (${s.missed} missed)` : ''}`,
    formatTimes(s.detectionTimeMs),
    formatTimes(s.resetTimeMs),
  ])
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)))
  return [header, ...rows]
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i] as number))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')
}
