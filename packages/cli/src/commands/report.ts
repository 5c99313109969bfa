import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, extname } from 'node:path'
import {
  createFreezeController,
  evaluatePolicy,
  type FreezeTransition,
  type PolicyDecision,
  policyFor,
} from '@slokit/budget'
import type { SlokitConfig } from '@slokit/config'
import { DAY_MS, HOUR_MS, SlokitError, type SloSpec, type SloStatus, tryParseDuration } from '@slokit/core'
import type { FileSource } from '@slokit/file-source'
import {
  buildReport,
  REPORT_FORMATS,
  type ReportFormat,
  renderReport,
  type StatusSnapshot,
  toSnapshot,
} from '@slokit/reporter'
import { type CommandContext, ExitError, loadForCommand } from '../context.js'
import { endOfData, loadData } from '../data-file.js'
import { evaluateOne, policiesOf } from '../evaluate-slos.js'
import type { Colors } from '../output.js'
import { parseInstant } from './evaluate.js'

/** Options of `slokit report`. */
export interface ReportCommandOptions {
  readonly config: readonly string[]
  readonly data: string
  /** `json`, `markdown` or `html`; by default from the output file's extension, else `markdown`. */
  readonly format?: string
  /** Days the report covers, ending at `at`; 30 by default. */
  readonly days?: string
  /** End of the report period; the end of the data by default. */
  readonly at?: string
  /** How often the SLOs are evaluated to build the history; `1h` by default. */
  readonly step?: string
  /** Where to write the report; stdout when left out. */
  readonly output?: string
  readonly title?: string
  /** IANA time zone for the times shown; UTC by default. */
  readonly timeZone?: string
}

/** What {@link evaluateHistory} produces: what the engine would have recorded, replayed from a file. */
export interface ReplayedHistory {
  /** The statuses at the end. */
  readonly statuses: SloStatus[]
  readonly history: StatusSnapshot[]
  readonly decisions: PolicyDecision[]
  readonly freezes: FreezeTransition[]
}

const fail = (ctx: CommandContext, message: string, code = 2): never => {
  ctx.io.stderr.write(`${ctx.colors.red('error')}: ${message}\n`)
  throw new ExitError(code)
}

/** Reads `--step`-style durations: `1h`, `15m`. */
export function parseStepOption(
  ctx: CommandContext,
  name: string,
  text: string | undefined,
  fallbackMs: number,
): number {
  if (text === undefined) return fallbackMs
  const ms = tryParseDuration(text)
  if (ms === undefined) fail(ctx, `${name} ${JSON.stringify(text)} is not a duration: use 15m, 1h, 1d`)
  return ms as number
}

/**
 * Replays what the engine would have recorded: every SLO evaluated every `stepMs` over
 * `(endMs − periodMs, endMs]` on the data file (budget corrections applied, as `slokit evaluate`
 * does), each status kept as a snapshot, the config's policies evaluated on it and freezes applied.
 * Alerts need the alerting engine's state and are not replayed.
 */
export async function evaluateHistory(
  slos: readonly SloSpec[],
  source: FileSource,
  config: SlokitConfig,
  endMs: number,
  periodMs: number,
  stepMs: number,
): Promise<ReplayedHistory> {
  const policies = policiesOf(config)
  let now = endMs
  const freezes = createFreezeController({ clock: { now: () => now } })
  const history: StatusSnapshot[] = []
  const decisions: PolicyDecision[] = []
  const transitions: FreezeTransition[] = []
  let statuses: SloStatus[] = []
  const steps = Math.floor(periodMs / stepMs)
  for (let k = steps - 1; k >= 0; k--) {
    now = endMs - k * stepMs
    statuses = []
    for (const slo of slos) statuses.push(await evaluateOne(slo, source, now, config))
    history.push(...statuses.map(toSnapshot))
    if (policies === undefined) continue
    const stepDecisions: PolicyDecision[] = []
    statuses.forEach((status, i) => {
      const slo = slos[i] as SloSpec
      const found = policyFor(slo, policies)
      if (found !== undefined) stepDecisions.push(evaluatePolicy(found.name, found.policy, slo, status))
    })
    decisions.push(...stepDecisions)
    transitions.push(...(await freezes.apply(stepDecisions)))
  }
  return { statuses, history, decisions, freezes: transitions }
}

function formatOf(ctx: CommandContext, options: ReportCommandOptions): ReportFormat {
  if (options.format !== undefined) {
    if (!(REPORT_FORMATS as readonly string[]).includes(options.format)) {
      fail(ctx, `--format ${JSON.stringify(options.format)}: use ${REPORT_FORMATS.join(', ')}`)
    }
    return options.format as ReportFormat
  }
  const ext = options.output === undefined ? '' : extname(options.output).toLowerCase()
  return ext === '.json' ? 'json' : ext === '.html' || ext === '.htm' ? 'html' : 'markdown'
}

function summaryLine(
  c: Colors,
  counts: { slos: number; met: number; atRisk: number; breached: number; noData: number },
): string {
  const parts = [`${counts.slos} SLOs`, `${counts.met} met`]
  if (counts.atRisk > 0) parts.push(c.yellow(`${counts.atRisk} at risk`))
  if (counts.breached > 0) parts.push(c.red(`${counts.breached} breached`))
  if (counts.noData > 0) parts.push(c.yellow(`${counts.noData} without data`))
  return parts.join(', ')
}

/**
 * `slokit report --config … --data … [--format json|markdown|html] [--days 30] [-o file]`: a
 * compliance report over the last `--days` days of a data file. The data file holds counts, not
 * statuses, so the command first replays the history the engine would have kept: every SLO is
 * evaluated every `--step` (1 hour by default: 720 points for 30 days, enough for trends and
 * charts, and quick on hourly exports), policies are applied and freezes tracked. Then it builds
 * the report and writes it to `-o` (the format follows the extension) or stdout.
 */
export async function reportCommand(options: ReportCommandOptions, ctx: CommandContext): Promise<void> {
  const { io, colors: c } = ctx
  const format = formatOf(ctx, options)
  const days = options.days === undefined ? 30 : Number(options.days)
  if (!(Number.isInteger(days) && days >= 1 && days <= 400))
    fail(ctx, '--days must be a whole number of days from 1 to 400')
  const periodMs = days * DAY_MS
  const stepMs = parseStepOption(ctx, '--step', options.step, HOUR_MS)
  if (stepMs > periodMs) fail(ctx, `--step ${options.step} is longer than the report period (${days}d)`)
  if (periodMs / stepMs > 100_000)
    fail(ctx, `--step ${options.step} gives more than 100,000 evaluations per SLO; use a longer step`)
  const at = options.at === undefined ? undefined : parseInstant(options.at)
  if (options.at !== undefined && at === undefined) {
    fail(
      ctx,
      `--at ${JSON.stringify(options.at)} is not a time: use 2026-11-27T00:00:00Z, 2026-11-27 or epoch milliseconds`,
    )
  }
  const config = await loadForCommand(ctx, options.config, true)
  const { source, summary } = await loadData(ctx, options.data)
  const endMs = at ?? endOfData(summary)
  if (endMs === undefined) return fail(ctx, `${options.data} holds no data; nothing to report on`, 1)

  const started = io.now()
  const replay = await evaluateHistory(config.slos, source, config, endMs, periodMs, stepMs)
  let report: ReturnType<typeof buildReport>
  try {
    report = buildReport({
      statuses: replay.statuses,
      history: replay.history,
      period: { startMs: endMs - periodMs, endMs },
      slos: config.slos,
      decisions: replay.decisions,
      freezes: replay.freezes,
      options: {
        ...(options.title === undefined ? {} : { title: options.title }),
        ...(options.timeZone === undefined ? {} : { timeZone: options.timeZone }),
      },
    })
  } catch (error) {
    if (!(error instanceof SlokitError)) throw error
    return fail(ctx, error.message.replace('[slokit/reporter] buildReport(): ', ''))
  }
  const text = renderReport(report, format)
  const o = report.overall
  const counts = {
    slos: o.slos,
    met: o.met,
    atRisk: o.health.atRisk,
    breached: o.health.breached,
    noData: o.health.noData,
  }
  if (options.output === undefined) {
    io.stdout.write(text)
    return
  }
  try {
    await mkdir(dirname(options.output), { recursive: true })
    await writeFile(options.output, text)
  } catch (error) {
    return fail(ctx, `cannot write ${options.output}: ${(error as Error).message}`, 1)
  }
  const seconds = ((io.now() - started) / 1000).toFixed(1)
  io.stderr.write(
    `${c.green('✓')} wrote ${options.output} (${format}, ${(Buffer.byteLength(text) / 1024).toFixed(0)} KiB): ${summaryLine(c, counts)}` +
      ` — ${days}d evaluated every ${options.step ?? '1h'} in ${seconds}s\n`,
  )
}
