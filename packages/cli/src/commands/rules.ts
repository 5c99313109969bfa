import { readFile, writeFile } from 'node:fs/promises'
import { parseDuration, parseSlo, SlokitError, type SloSpec } from '@slokit/core'
import {
  type GenerateRulesOptions,
  generateRules,
  parseSlothSpec,
  rulesToYaml,
  type SloAlerting,
} from '@slokit/prometheus'
import { type CommandContext, ExitError, loadForCommand } from '../context.js'

/** Options of `slokit rules`. */
export interface RulesOptions {
  /** slokit config files to read the SLOs from. */
  readonly config?: readonly string[] | undefined
  /** Sloth spec files (`prometheus/v1` or `PrometheusServiceLevel`) to read the SLOs from instead. */
  readonly fromSloth?: readonly string[] | undefined
  /** Name rules and labels the way Sloth does. */
  readonly slothCompatible?: boolean | undefined
  /** Where to write the rules; standard output when absent or `-`. */
  readonly output?: string | undefined
  /** The SLO period of Sloth specs (Sloth sets it per run): `30d` by default. */
  readonly period?: string | undefined
  /** Extra labels on every rule, as `name=value`. */
  readonly label?: readonly string[] | undefined
  /** Add the budget-exhausted alert. */
  readonly budgetExhaustedAlert?: boolean | undefined
  /** Add the SLI-data-absent alert, firing after this long without data (e.g. `15m`). */
  readonly absentFor?: string | undefined
  /** Add the collection-health alert on `sli_collection_total`. */
  readonly collectionHealthAlert?: boolean | undefined
  /** How often Prometheus scrapes the SLIs' series (e.g. `1m`): tiles then read at least 4 scrapes. */
  readonly scrapeInterval?: string | undefined
}

/**
 * `slokit rules --config … [--sloth-compatible] [-o rules.yml]`: Prometheus recording and
 * multi-window multi-burn-rate alerting rules for every SLO whose SLI has PromQL queries, from a
 * slokit config or (`--from-sloth`) from Sloth specs. SLOs measured elsewhere (no PromQL, or an SLI
 * read from a non-Prometheus source) are listed on stderr and left out; anything that stops the
 * rules from being right (a broken spec, an unsupported Sloth plugin) ends with exit code 1.
 */
export async function rulesCommand(options: RulesOptions, ctx: CommandContext): Promise<void> {
  const { io, colors: c } = ctx
  const fail = (message: string, code = 1): never => {
    io.stderr.write(`${c.red('error')}: ${message}\n`)
    throw new ExitError(code)
  }
  const fromConfig = options.config !== undefined && options.config.length > 0
  const fromSloth = options.fromSloth !== undefined && options.fromSloth.length > 0
  if (fromConfig === fromSloth) fail('give either --config <files…> or --from-sloth <files…>', 2)
  if (fromConfig && options.period !== undefined) {
    fail('--period applies to --from-sloth only: a slokit config gives each SLO its window', 2)
  }

  const extraLabels: Record<string, string> = {}
  for (const pair of options.label ?? []) {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(pair)
    if (match === null) fail(`--label ${JSON.stringify(pair)} is not name=value (a Prometheus label name)`, 2)
    extraLabels[match?.[1] as string] = match?.[2] as string
  }
  let absentMs: number | undefined
  if (options.absentFor !== undefined) {
    try {
      absentMs = parseDuration(options.absentFor)
    } catch {
      fail(`--absent-for ${JSON.stringify(options.absentFor)} is not a duration such as 10m or 1h`, 2)
    }
  }

  let scrapeIntervalMs: number | undefined
  if (options.scrapeInterval !== undefined) {
    try {
      scrapeIntervalMs = parseDuration(options.scrapeInterval)
    } catch {
      fail(
        `--scrape-interval ${JSON.stringify(options.scrapeInterval)} is not a duration such as 15s or 1m`,
        2,
      )
    }
  }

  const skippedBySource: string[] = []
  let slos: SloSpec[]
  let alerting: Record<string, SloAlerting> = {}
  let inputs: readonly string[]
  if (fromConfig) {
    inputs = options.config as readonly string[]
    const config = await loadForCommand(ctx, inputs)
    const sources = (config.sections.sources ?? config.unvalidated.sources ?? {}) as Record<
      string,
      { type?: unknown }
    >
    slos = config.slos.filter((slo) => {
      const type = slo.sli.source === undefined ? undefined : sources[slo.sli.source]?.type
      if (type === undefined || type === 'prometheus') return true
      skippedBySource.push(
        `${slo.id}: its SLI is read from source "${slo.sli.source}" (type ${String(type)}), not Prometheus`,
      )
      return false
    })
  } else {
    inputs = options.fromSloth as readonly string[]
    slos = []
    for (const file of inputs) {
      let text: string
      try {
        text = await readFile(file, 'utf8')
      } catch (error) {
        fail(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`)
        return
      }
      try {
        const spec = parseSlothSpec(text, { source: file, window: options.period })
        slos.push(...spec.slos.map((slo) => parseSlo(slo)))
        alerting = { ...alerting, ...spec.alerting }
      } catch (error) {
        if (!(error instanceof SlokitError)) throw error
        fail(error.message)
      }
    }
  }

  const generateOptions: GenerateRulesOptions = {
    naming: options.slothCompatible === true ? 'sloth' : 'slokit',
    alerting,
    extraLabels,
    budgetExhaustedAlert: options.budgetExhaustedAlert === true,
    dataAbsentAlertAfterMs: absentMs,
    collectionHealthAlert: options.collectionHealthAlert === true,
    scrapeIntervalMs,
    skipUnsupported: true,
  }
  let rules: ReturnType<typeof generateRules>
  try {
    rules = generateRules(slos, generateOptions)
  } catch (error) {
    if (!(error instanceof SlokitError)) throw error
    return fail(error.message)
  }
  for (const line of [...skippedBySource, ...rules.skipped.map((s) => `${s.sloId}: ${s.reason}`)]) {
    io.stderr.write(`${c.yellow('skipped')} ${line}\n`)
  }
  for (const warning of rules.warnings) io.stderr.write(`${c.yellow('warning')}: ${warning}\n`)
  if (rules.sloIds.length === 0) fail('no SLO has Prometheus queries: no rules to write')

  const yaml = rulesToYaml(rules, {
    header: [
      `Generated by \`slokit rules\` (@slokit/prometheus) from ${inputs.join(', ')}.`,
      `Naming: ${generateOptions.naming}. Do not edit: change the SLOs and generate again.`,
    ],
  })
  const ruleCount = rules.groups.reduce((n, group) => n + group.rules.length, 0)
  const summary = `${ruleCount} rules in ${rules.groups.length} groups for ${rules.sloIds.length} ${rules.sloIds.length === 1 ? 'SLO' : 'SLOs'}`
  if (options.output === undefined || options.output === '-') {
    io.stdout.write(yaml)
    io.stderr.write(`${c.green('✓')} ${summary}\n`)
    return
  }
  try {
    await writeFile(options.output, yaml)
  } catch (error) {
    fail(`cannot write ${options.output}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`)
  }
  io.stderr.write(`${c.green('✓')} wrote ${summary} to ${options.output}\n`)
}
