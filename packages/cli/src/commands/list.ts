import type { SloSpec } from '@slokit/core'
import { type CommandContext, loadForCommand } from '../context.js'
import { describeWindow, percent, table } from '../output.js'

/** Options of `slokit list`. */
export interface ListOptions {
  readonly config: readonly string[]
  readonly service?: string
  readonly priority?: string
  readonly kind?: string
  readonly json?: boolean
}

/** `slokit list`: the SLOs of a config as a table (or JSON), filtered by service, priority or SLI kind. */
export async function listCommand(options: ListOptions, ctx: CommandContext): Promise<void> {
  const config = await loadForCommand(ctx, options.config, options.json === true)
  const slos = config.slos.filter(
    (slo) =>
      (options.service === undefined || slo.service === options.service) &&
      (options.priority === undefined || slo.priority === options.priority) &&
      (options.kind === undefined || slo.sli.kind === options.kind),
  )
  if (options.json === true) {
    ctx.io.stdout.write(`${JSON.stringify(slos.map(summary), null, 2)}\n`)
    return
  }
  if (slos.length === 0) {
    ctx.io.stdout.write('no SLOs match\n')
    return
  }
  const c = ctx.colors
  const rows = [
    ['ID', 'SERVICE', 'KIND', 'OBJECTIVE', 'WINDOW', 'METHOD', 'PRIORITY', 'OWNER'].map((h) => c.bold(h)),
    ...slos.map((slo) => [
      slo.id,
      slo.service,
      slo.sli.kind,
      percent(slo.objective),
      describeWindow(slo.window),
      slo.budgetingMethod,
      slo.priority ?? '—',
      slo.owner ?? '—',
    ]),
  ]
  ctx.io.stdout.write(`${table(rows, [3])}\n`)
}

function summary(slo: SloSpec) {
  return {
    id: slo.id,
    name: slo.name ?? null,
    service: slo.service,
    sli: slo.sli.id,
    kind: slo.sli.kind,
    objective: slo.objective,
    window: describeWindow(slo.window),
    budgetingMethod: slo.budgetingMethod,
    priority: slo.priority ?? null,
    owner: slo.owner ?? null,
  }
}
