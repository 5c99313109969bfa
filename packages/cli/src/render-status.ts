import { DAY_MS, formatDuration, HOUR_MS, type SloSpec, type SloStatus } from '@slokit/core'
import type { Colors } from './output.js'
import { percent, table } from './output.js'

/** The burn-rate windows the status table shows: the long windows of the SRE Workbook tiers. */
const SHOWN_WINDOWS_MS = [HOUR_MS, 6 * HOUR_MS, DAY_MS, 3 * DAY_MS]

/** A status table: one row per SLO with SLI, target, met, budget left, burn rates and data state. */
export function renderStatuses(statuses: readonly SloStatus[], slos: readonly SloSpec[], c: Colors): string {
  const byId = new Map(slos.map((slo) => [slo.id, slo]))
  const header = [
    'SLO',
    'SLI',
    'TARGET',
    'MET',
    'BUDGET LEFT',
    ...SHOWN_WINDOWS_MS.map((ms) => `BURN ${formatDuration(ms)}`),
    'DATA',
  ]
  const rows = statuses.map((status) => {
    const slo = byId.get(status.sloId)
    const met = status.met === null ? c.dim('—') : status.met ? c.green('✓') : c.red('✗')
    const remaining = status.budget?.remaining
    const budget =
      remaining === undefined
        ? c.dim('unknown')
        : colourBudget(
            remaining,
            c,
          )(
            `${(remaining * 100).toFixed(1)}%${status.budget?.remainingMs != null ? ` (${formatDuration(Math.max(0, Math.round(status.budget.remainingMs)))})` : ''}`,
          )
    const burns = SHOWN_WINDOWS_MS.map((windowMs) => {
      const reading = status.burnRates.find((b) => b.windowMs === windowMs)
      if (reading === undefined || reading.burnRate === null) return c.dim('—')
      const text = reading.burnRate.toFixed(reading.burnRate >= 10 ? 1 : 2)
      return reading.burnRate >= 6 ? c.red(text) : reading.burnRate >= 1 ? c.yellow(text) : text
    })
    const data =
      status.data.state === 'ok' ? c.dim('ok') : c.yellow(`${status.data.state}: ${status.data.reason ?? ''}`)
    return [
      status.sloId,
      status.sli === null ? c.dim('no data') : percent(status.sli),
      percent(slo?.objective ?? status.objective),
      met,
      budget,
      ...burns,
      data,
    ]
  })
  return table([header.map((h) => c.bold(h)), ...rows], [1, 2, 4, 5, 6, 7, 8])
}

function colourBudget(remaining: number, c: Colors): (text: string) => string {
  if (remaining < 0) return c.red
  if (remaining < 0.25) return c.yellow
  return (text) => text
}
