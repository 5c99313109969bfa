import {
  createFreezeController,
  evaluateGate,
  FileFreezeStore,
  type GateVerdict,
  policiesSectionSchema,
} from '@slokit/budget'
import { SlokitError, type SloStatus } from '@slokit/core'
import { FileSource } from '@slokit/file-source'
import { type CommandContext, ExitError, loadForCommand } from '../context.js'
import { evaluateOne, policiesOf } from '../evaluate-slos.js'
import { parseInstant } from './evaluate.js'

/** Options of `slokit gate`. */
export interface GateOptions {
  readonly config: readonly string[]
  readonly service: string
  readonly changeType?: string
  readonly data: string
  readonly at?: string
  /** Exit code for a `warn` verdict; 0 by default (warn passes). */
  readonly warnExitCode?: string
  /** An unreachable data source warns instead of failing. */
  readonly failOpen?: boolean
  /** A freeze state file (from the engine or `FileFreezeStore`): frozen services refuse what the freeze does not allow. */
  readonly freezeState?: string
  readonly json?: boolean
}

/**
 * `slokit gate --service S`: the deployment gate for CI/CD. Prints the JSON verdict on stdout
 * (and a one-line summary on stderr) and exits 0 on pass, 1 on fail, and `--warn-exit-code`
 * (default 0) on warn. A data source that cannot be read fails the gate unless `--fail-open`.
 */
export async function gateCommand(options: GateOptions, ctx: CommandContext): Promise<void> {
  const { io, colors: c } = ctx
  const warnExit = options.warnExitCode === undefined ? 0 : Number(options.warnExitCode)
  if (!Number.isInteger(warnExit) || warnExit < 0 || warnExit > 125) {
    io.stderr.write(`${c.red('error')}: --warn-exit-code must be an integer from 0 to 125\n`)
    throw new ExitError(2)
  }
  const at = options.at === undefined ? io.now() : parseInstant(options.at)
  if (at === undefined) {
    io.stderr.write(`${c.red('error')}: --at ${JSON.stringify(options.at)} is not a time\n`)
    throw new ExitError(2)
  }
  const config = await loadForCommand(ctx, options.config, true)
  const settings = policiesOf(config)?.gate ?? policiesSectionSchema.parse({}).gate
  const slos = config.slos.filter((slo) => slo.service === options.service)

  const source = new FileSource({ path: options.data, name: options.data })
  let statuses: SloStatus[]
  let sourceProblem: string | undefined
  try {
    await source.load()
    statuses = []
    for (const slo of slos) statuses.push(await evaluateOne(slo, source, at, config))
  } catch (error) {
    if (!(error instanceof SlokitError)) throw error
    sourceProblem = error.message.split('\n')[0]
    statuses = []
  }

  let freeze: Awaited<ReturnType<ReturnType<typeof createFreezeController>['isAllowed']>> | undefined
  if (options.freezeState !== undefined) {
    const freezes = createFreezeController({
      store: new FileFreezeStore(options.freezeState),
      clock: { now: () => at },
    })
    freeze = await freezes.isAllowed(options.service, options.changeType)
  }
  let verdict: GateVerdict = evaluateGate({
    service: options.service,
    changeType: options.changeType,
    slos,
    statuses,
    settings,
    freeze,
    failOpen: options.failOpen === true,
    now: at,
  })
  if (sourceProblem !== undefined && !(freeze !== undefined && !freeze.allowed)) {
    const result = options.failOpen === true ? 'warn' : 'fail'
    verdict = {
      ...verdict,
      result,
      reasons: [
        `the data source could not be read${options.failOpen === true ? ' (failing open)' : ''}: ${sourceProblem}`,
      ],
    }
  }

  io.stdout.write(`${JSON.stringify(verdict, null, 2)}\n`)
  if (options.json !== true) {
    const colour = verdict.result === 'pass' ? c.green : verdict.result === 'warn' ? c.yellow : c.red
    io.stderr.write(
      `${colour(verdict.result.toUpperCase())} ${options.service}${options.changeType === undefined ? '' : ` (${options.changeType})`}: ${verdict.reasons.join('; ')}\n`,
    )
  }
  const code = verdict.result === 'pass' ? 0 : verdict.result === 'warn' ? warnExit : 1
  if (code !== 0) throw new ExitError(code)
}
