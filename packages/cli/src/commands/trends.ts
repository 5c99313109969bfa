import { DAY_MS, formatDuration, HOUR_MS, tryParseDuration } from '@slokit/core'
import { buildReport, type SloReport, sparkline } from '@slokit/reporter'
import { type CommandContext, ExitError, loadForCommand } from '../context.js'
import { endOfData, loadData } from '../data-file.js'
import { describeWindow, percent, table } from '../output.js'
import { parseInstant } from './evaluate.js'
import { evaluateHistory, parseStepOption } from './report.js'

/** Options of `slokit trends <slo>`. */
export interface TrendsOptions {
  readonly config: readonly string[]
  readonly data: string
  /** How far back to look: `7d`, or `rolling_7d` as the issue spells it. 7 days by default. */
  readonly window?: string
  readonly at?: string
  /** Evaluation step; 1 hour by default. */
  readonly step?: string
  readonly json?: boolean
}

/** Reads `7d`, `36h`, `rolling_7d` or `rolling:7d` into milliseconds. */
export function parseTrendWindow(text: string): number | undefined {
  const match = /^(?:rolling[_:])?(.+)$/.exec(text.trim())
  return match === null ? undefined : tryParseDuration(match[1] as string)
}

function humanDuration(ms: number): string {
  if (ms < 60_000) return '< 1m'
  const rounded = ms >= DAY_MS ? Math.round(ms / HOUR_MS) * HOUR_MS : Math.round(ms / 60_000) * 60_000
  return formatDuration(rounded)
}

function isoMinute(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`
}

/**
 * `slokit trends <slo> --config … --data … [--window 7d]`: the trend analysis of one SLO over the
 * window — its SLI and error budget as terminal sparklines, the least-squares trend (slope per day,
 * direction, volatility, R²), the exhaustion forecast with its confidence, and breaches. Like
 * `slokit report`, it evaluates the SLO every `--step` (1 hour) over the window on the data file.
 */
export async function trendsCommand(
  sloId: string,
  options: TrendsOptions,
  ctx: CommandContext,
): Promise<void> {
  const { io, colors: c } = ctx
  const windowMs = parseTrendWindow(options.window ?? '7d')
  if (windowMs === undefined) {
    io.stderr.write(
      `${c.red('error')}: --window ${JSON.stringify(options.window)} is not a duration: use 7d, 36h or rolling_7d\n`,
    )
    throw new ExitError(2)
  }
  const stepMs = parseStepOption(ctx, '--step', options.step, HOUR_MS)
  if (windowMs / stepMs < 3) {
    io.stderr.write(
      `${c.red('error')}: a trend needs at least 3 evaluations: make --window longer or --step shorter\n`,
    )
    throw new ExitError(2)
  }
  const at = options.at === undefined ? undefined : parseInstant(options.at)
  if (options.at !== undefined && at === undefined) {
    io.stderr.write(`${c.red('error')}: --at ${JSON.stringify(options.at)} is not a time\n`)
    throw new ExitError(2)
  }
  const json = options.json === true
  const config = await loadForCommand(ctx, options.config, json)
  const slo = config.slos.find((s) => s.id === sloId)
  if (slo === undefined) {
    const known = config.slos.map((s) => s.id)
    io.stderr.write(
      `${c.red('error')}: no SLO ${JSON.stringify(sloId)} in the config; known: ${known.slice(0, 20).join(', ')}${known.length > 20 ? ', …' : ''}\n`,
    )
    throw new ExitError(1)
  }
  const { source, summary } = await loadData(ctx, options.data)
  const endMs = at ?? endOfData(summary)
  if (endMs === undefined) {
    io.stderr.write(`${c.red('error')}: ${options.data} holds no data\n`)
    throw new ExitError(1)
  }
  const replay = await evaluateHistory([slo], source, config, endMs, windowMs, stepMs)
  const report = buildReport({
    statuses: replay.statuses,
    history: replay.history,
    period: { startMs: endMs - windowMs, endMs },
    slos: [slo],
    decisions: replay.decisions,
    freezes: replay.freezes,
  })
  const r = report.slos[0] as SloReport
  if (json) {
    const out = {
      slo: r.sloId,
      window: formatDuration(windowMs),
      stepMs,
      periodStartMs: report.period.startMs,
      periodEndMs: report.period.endMs,
      evaluations: r.historyPoints,
      health: r.health,
      healthReason: r.healthReason,
      sli: r.sli,
      objective: r.objective,
      budgetRemaining: r.budget?.remaining ?? null,
      trend: r.trend,
      forecast: r.forecast,
      breaches: r.breaches,
    }
    io.stdout.write(`${JSON.stringify(out, null, 2)}\n`)
    return
  }
  printTrends(r, ctx, windowMs, stepMs, endMs, describeWindow(slo.window))
}

function printTrends(
  r: SloReport,
  ctx: CommandContext,
  windowMs: number,
  stepMs: number,
  endMs: number,
  sloWindow: string,
): void {
  const { io, colors: c } = ctx
  const width = Math.max(16, Math.min(60, (io.stdout.columns ?? 80) - 40))
  const range = (points: SloReport['series']['sli'], format: (v: number) => string) =>
    points.length < 2
      ? c.dim('not enough data')
      : `${format(points[0]![1])} → ${format(points[points.length - 1]![1])}`
  const line = (points: SloReport['series']['sli']) =>
    sparkline(
      points.map((p) => p[1]),
      width,
    )
  const budget = (v: number) => `${(v * 100).toFixed(1)}%`
  const out: string[] = []
  out.push(
    `${c.bold(r.sloId)}${r.name === null ? '' : ` — ${r.name}`} ${c.dim(`(${r.service}, ${percent(r.objective)} over ${sloWindow})`)}`,
  )
  out.push(
    c.dim(
      `last ${formatDuration(windowMs)} to ${isoMinute(endMs)}, evaluated every ${formatDuration(stepMs)} (${r.historyPoints} points)`,
    ),
  )
  out.push('')
  out.push(
    table(
      [
        ['SLI', c.blue(line(r.series.sli)), range(r.series.sli, (v) => percent(v))],
        ['budget', c.blue(line(r.series.budgetRemaining)), range(r.series.budgetRemaining, budget)],
      ],
      [],
    ),
  )
  out.push('')
  const t = r.trend
  const direction = (d: string) => (d === 'degrading' ? c.red(d) : d === 'improving' ? c.green(d) : d)
  const trend =
    t === null
      ? c.dim('not enough data (fewer than 3 evaluations with an SLI)')
      : `${direction(t.direction)}: ${(t.slopePerDay * 100).toPrecision(2)} pp/day, change ${(t.change * 100).toPrecision(2)} pp over ${humanDuration(t.spanMs)}, volatility ${(t.volatility * 100).toPrecision(2)} pp, R² ${t.rSquared.toFixed(2)}`
  const f = r.forecast
  const forecast =
    r.budget === null
      ? c.dim('budget unknown')
      : f === null
        ? c.dim('none: the error budget is not shrinking beyond its noise, or no longer burning')
        : f.timeToExhaustionMs === 0
          ? c.red('the error budget is spent')
          : `budget runs out ${isoMinute(f.exhaustsAtMs)}, in ${humanDuration(f.timeToExhaustionMs)} (confidence ${f.confidence.toFixed(2)}, fitted over ${formatDuration(f.lookbackMs)})`
  const health =
    r.health === 'healthy'
      ? c.green('healthy')
      : r.health === 'at_risk'
        ? c.yellow('at risk')
        : r.health === 'breached'
          ? c.red('breached')
          : c.yellow('no data')
  const breaches =
    r.breaches.length === 0
      ? 'none'
      : `${r.breaches.length}, ${humanDuration(r.timeNotMetMs)} in all; lowest SLI ${percent(Math.min(...r.breaches.map((b) => b.worstSli ?? 1)))}`
  out.push(
    table([
      ['trend', trend],
      ['forecast', forecast],
      ['health', `${health}: ${r.healthReason}`],
      ['breaches', breaches],
    ]),
  )
  io.stdout.write(`${out.join('\n')}\n`)
}
