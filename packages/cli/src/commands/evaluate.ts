import { formatDuration, type SloSpec, type SloStatus } from '@slokit/core'
import type { FileSourceSummary } from '@slokit/file-source'
import { type CommandContext, ExitError, loadForCommand } from '../context.js'
import { endOfData, loadData } from '../data-file.js'
import { evaluateOne } from '../evaluate-slos.js'
import { renderStatuses } from '../render-status.js'

/** Options of `slokit evaluate`. */
export interface EvaluateOptions {
  readonly config: readonly string[]
  readonly data: string
  readonly at?: string
  readonly json?: boolean
}

/**
 * Reads an instant: ISO 8601 with `Z` or an offset, a date (UTC midnight), or epoch
 * milliseconds. Local times without an offset are refused: they would mean different instants
 * on different machines.
 */
export function parseInstant(text: string): number | undefined {
  if (/^\d{10,16}$/.test(text)) return Number(text)
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return Date.parse(`${text}T00:00:00Z`)
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(text)) {
    const ms = Date.parse(text)
    return Number.isNaN(ms) ? undefined : ms
  }
  return undefined
}

/**
 * `slokit evaluate --config … --data …`: evaluates every SLO of the config on an exported data
 * file at one instant (`--at`, by default the end of the data) and prints the status table, or
 * the statuses as JSON. An SLO whose SLI has no data in the file is reported as such, never as met.
 */
export async function evaluateCommand(options: EvaluateOptions, ctx: CommandContext): Promise<void> {
  const { io, colors: c } = ctx
  const json = options.json === true
  let at: number | undefined
  if (options.at !== undefined) {
    at = parseInstant(options.at)
    if (at === undefined) {
      io.stderr.write(
        `${c.red('error')}: --at ${JSON.stringify(options.at)} is not a time: use 2026-11-27T00:00:00Z, 2026-11-27 or epoch milliseconds\n`,
      )
      throw new ExitError(2)
    }
  }
  const config = await loadForCommand(ctx, options.config, json)
  const { source, summary } = await loadData(ctx, options.data)
  const evaluatedAt = at ?? endOfData(summary)
  if (evaluatedAt === undefined) {
    io.stderr.write(`${c.red('error')}: ${options.data} holds no data; nothing to evaluate\n`)
    throw new ExitError(1)
  }

  const statuses: SloStatus[] = []
  const warnings: string[] = []
  for (const slo of config.slos) {
    statuses.push(await evaluateOne(slo, source, evaluatedAt, config))
    const coarse = coarseData(slo, summary)
    if (coarse !== undefined) warnings.push(coarse)
  }

  if (json) {
    const report = {
      evaluatedAtMs: evaluatedAt,
      evaluatedAt: new Date(evaluatedAt).toISOString(),
      data: options.data,
      warnings,
      statuses,
    }
    io.stdout.write(`${JSON.stringify(report, null, 2)}\n`)
    return
  }
  for (const warning of warnings) io.stderr.write(`${c.yellow('warning')}: ${warning}\n`)
  const when = new Date(evaluatedAt).toISOString()
  io.stdout.write(
    `Evaluated ${statuses.length} SLOs at ${when}${at === undefined ? ' (the end of the data)' : ''} on ${options.data}\n\n`,
  )
  io.stdout.write(`${renderStatuses(statuses, config.slos, c)}\n`)
}

/**
 * A timeslice SLO on data coarser than its slices stands on a fraction of its slices: say so
 * rather than let "SLO missed, most of the budget left" puzzle the reader.
 */
function coarseData(slo: SloSpec, summary: FileSourceSummary): string | undefined {
  const sliceMs = slo.timeslice?.lengthMs
  const resolutionMs = summary.slis.find((s) => s.id === slo.sli.id)?.resolutionMs
  if (sliceMs === undefined || resolutionMs === undefined || resolutionMs <= sliceMs) return undefined
  return (
    `${slo.id}: the data for ${slo.sli.id} comes every ${formatDuration(resolutionMs)} but the SLO judges ` +
    `${formatDuration(sliceMs)} slices, so only 1 slice in ${Math.round(resolutionMs / sliceMs)} has data`
  )
}
