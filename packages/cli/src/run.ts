import { CHANGE_TYPES } from '@slokit/budget'
import { PRIORITIES, SLI_KINDS } from '@slokit/core'
import { REPORT_FORMATS } from '@slokit/reporter'
import { Command, CommanderError, Option } from 'commander'
import { backtestCommand } from './commands/backtest.js'
import { CONVERT_FORMATS, convertCommand } from './commands/convert.js'
import { dashboardsCommand } from './commands/dashboards.js'
import { demoCommand } from './commands/demo.js'
import { evaluateCommand } from './commands/evaluate.js'
import { gateCommand } from './commands/gate.js'
import { registerGovernanceCommands } from './commands/governance.js'
import { listCommand } from './commands/list.js'
import { reportCommand } from './commands/report.js'
import { rulesCommand } from './commands/rules.js'
import { runEngineCommand } from './commands/run-engine.js'
import { trendsCommand } from './commands/trends.js'
import { validateCommand } from './commands/validate.js'
import { type CommandContext, ExitError } from './context.js'
import type { CliIo } from './io.js'
import { colorsFor } from './output.js'
import { version } from './version.js'

/** Exit codes of the `slokit` command. */
export const EXIT_CODES = {
  /** Success. */
  ok: 0,
  /** The input is invalid (config errors, unreadable data) or a check failed. */
  failed: 1,
  /** The command line is wrong (unknown option, missing argument). */
  usage: 2,
  /** slokit itself failed; a bug to report. */
  internal: 70,
} as const

/**
 * Runs the `slokit` command with `argv` (without `node` and the script) against `io`, and
 * resolves to the exit code. Never calls `process.exit`, so it runs in-process in tests.
 *
 * @example
 * ```ts
 * const code = await run(['validate', 'slo.yaml'], processIo())
 * ```
 */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode: number = EXIT_CODES.ok
  const program = new Command()
  const context = (command: Command): CommandContext => ({
    io,
    colors: colorsFor(io, command.optsWithGlobals<{ color?: boolean }>().color),
  })
  const action =
    <A extends unknown[]>(handler: (...args: [...A, CommandContext]) => Promise<void>) =>
    async (...args: unknown[]) => {
      const command = args[args.length - 1] as Command
      await handler(...([...args.slice(0, -1), context(command)] as unknown as [...A, CommandContext]))
    }

  program
    .name('slokit')
    .description(
      'SLIs, SLOs, error budgets and burn rates: validate, inspect and evaluate slokit configurations.',
    )
    .version(version, '-v, --version')
    .option('--no-color', 'never colour the output (colour is used on terminals only)')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => void io.stdout.write(text),
      writeErr: (text) => void io.stderr.write(text),
    })

  program
    .command('validate')
    .description('check config files like a compiler: every problem at once, with file, line and column')
    .argument(
      '<files...>',
      'slokit config files (YAML; several files and multi-document streams are merged) or OpenSLO files',
    )
    .option('--json', 'print the result as JSON')
    .option('--require-secrets', 'fail when a ${env:NAME} secret is not set (by default a warning)')
    .action(
      action<[string[], { json?: boolean; requireSecrets?: boolean }]>((files, opts, ctx) =>
        validateCommand(files, opts, ctx),
      ),
    )

  program
    .command('list')
    .description('list the SLOs of a config')
    .requiredOption('-c, --config <files...>', 'slokit config files')
    .option('--service <name>', 'only SLOs of this service')
    .addOption(new Option('--priority <priority>', 'only SLOs of this priority').choices(PRIORITIES))
    .addOption(new Option('--kind <kind>', 'only SLOs whose SLI is of this kind').choices(SLI_KINDS))
    .option('--json', 'print the SLOs as JSON')
    .action(action<[Parameters<typeof listCommand>[0]]>((opts, ctx) => listCommand(opts, ctx)))

  program
    .command('evaluate')
    .description('evaluate every SLO of a config on an exported data file (CSV or JSON Lines)')
    .requiredOption('-c, --config <files...>', 'slokit config files')
    .requiredOption(
      '-d, --data <file>',
      'data file: CSV or JSON Lines with timestamp, sli, good/total or value',
    )
    .option(
      '--at <time>',
      'evaluate at this instant (ISO 8601 with Z or offset, a date, or epoch ms); default: the end of the data',
    )
    .option('--json', 'print the statuses as JSON')
    .action(action<[Parameters<typeof evaluateCommand>[0]]>((opts, ctx) => evaluateCommand(opts, ctx)))

  program
    .command('gate')
    .description('the deployment gate: may a change ship to this service now? Exit 0 pass, 1 fail')
    .requiredOption('-c, --config <files...>', 'slokit config files')
    .requiredOption('-s, --service <name>', 'the service being deployed')
    .addOption(
      new Option('--change-type <type>', 'the kind of change; a freeze lets some through').choices(
        CHANGE_TYPES,
      ),
    )
    .requiredOption('-d, --data <file>', 'data file (CSV or JSON Lines) the SLOs are evaluated on')
    .option('--at <time>', 'evaluate at this instant (default: now)')
    .option('--warn-exit-code <code>', 'exit code for a warn verdict', '0')
    .option('--fail-open', 'pass with a warning when the data source cannot be read (default: fail closed)')
    .option(
      '--freeze-state <file>',
      'freeze state file: a frozen service refuses changes its freeze does not allow',
    )
    .option('--json', 'print only the JSON verdict, no summary line')
    .action(action<[Parameters<typeof gateCommand>[0]]>((opts, ctx) => gateCommand(opts, ctx)))

  program
    .command('demo')
    .description('simulate 30 days of a service with one incident and show its SLOs (no config needed)')
    .option('--seed <n>', 'random seed of the simulation', '42')
    .option('--json', 'print the statuses as JSON')
    .action(action<[Parameters<typeof demoCommand>[0]]>((opts, ctx) => demoCommand(opts, ctx)))

  program
    .command('backtest')
    .description(
      "score the config's alert rules over a data file: precision, recall, detection and reset time",
    )
    .requiredOption('-c, --config <files...>', 'slokit config files')
    .requiredOption('-d, --data <file>', 'data file (CSV or JSON Lines) to replay')
    .option('--from <time>', 'first evaluation (default: the start of the data plus --warmup)')
    .option('--to <time>', 'last evaluation (default: the end of the data)')
    .option('--warmup <duration>', 'data before the first evaluation, so windows have history', '1d')
    .option('--step <duration>', 'how often the engine evaluates', '5m')
    .option('--significant <percent>', 'budget a stretch of errors must spend to count as an incident', '2%')
    .option('--json', 'print the scores, episodes and events as JSON')
    .action(action<[Parameters<typeof backtestCommand>[0]]>((opts, ctx) => backtestCommand(opts, ctx)))

  program
    .command('rules')
    .description(
      'generate Prometheus recording and multi-window burn-rate alert rules for the SLOs with PromQL queries',
    )
    .option('-c, --config <files...>', 'slokit config files')
    .option(
      '--from-sloth <files...>',
      'Sloth specs (prometheus/v1 or PrometheusServiceLevel) instead of a config',
    )
    .option(
      '--sloth-compatible',
      'name rules and labels the way Sloth does (slo:sli_error:ratio_rate5m, sloth_id, …)',
    )
    .option('-o, --output <file>', 'write the rules to this file (default: standard output)')
    .option('--period <duration>', 'SLO period of Sloth specs (default 30d; Sloth sets it per run)')
    .option('--label <name=value...>', 'extra label on every rule, like Sloth --extra-labels')
    .option('--budget-exhausted-alert', 'also alert when the period error budget is spent')
    .option('--absent-for <duration>', 'also alert when the SLI has had no data for this long')
    .option('--collection-health-alert', "also alert when slokit's own SLI collection keeps failing")
    .option(
      '--scrape-interval <duration>',
      'how often Prometheus scrapes the SLI series; tiles read at least 4 scrapes (needed from 30s up)',
    )
    .action(action<[Parameters<typeof rulesCommand>[0]]>((opts, ctx) => rulesCommand(opts, ctx)))

  program
    .command('convert')
    .description('convert SLOs between OpenSLO (v1; v1alpha as Sloth reads it) and slokit config files')
    .argument('<files...>', 'OpenSLO and/or slokit config files (YAML or JSON)')
    .addOption(
      new Option('--to <format>', 'the format to write').choices(CONVERT_FORMATS).makeOptionMandatory(),
    )
    .option('-o, --output <file>', 'write to this file (default: standard output)')
    .action(
      action<[string[], Parameters<typeof convertCommand>[1]]>((files, opts, ctx) =>
        convertCommand(files, opts, ctx),
      ),
    )

  program
    .command('dashboards')
    .description(
      'build Grafana dashboards (SLO overview + one per SLO) on the recording rules: write them to files or push them',
    )
    .option('-c, --config <files...>', 'slokit config files')
    .option('-o, --output <dir>', 'write <uid>.json files here, for Grafana file-based provisioning')
    .option('--push', "push the dashboards through Grafana's HTTP API")
    .option('--grafana-url <url>', 'Grafana base URL (with --push)')
    .option('--token <token>', "service-account token, as '${env:NAME}' (default: '${env:GRAFANA_TOKEN}')")
    .option('--folder <title>', 'folder for the dashboards (uid slokit)', 'SLOs')
    .option('--overwrite', 'replace dashboards even when someone changed them in Grafana')
    .addOption(
      new Option('--naming <naming>', 'naming of the recording rules the queries read')
        .choices(['slokit', 'sloth'])
        .default('slokit'),
    )
    .option('--datasource-uid <uid>', 'uid of the Prometheus data source selected by default')
    .option('--org-id <id>', 'Grafana organisation id (X-Grafana-Org-Id)')
    .option('--alert-rules', 'also provision Grafana-managed burn-rate alert rules (needs --datasource-uid)')
    .action(action<[Parameters<typeof dashboardsCommand>[0]]>((opts, ctx) => dashboardsCommand(opts, ctx)))

  program
    .command('report')
    .description(
      'a compliance report (JSON, Markdown or self-contained HTML with charts) over the last days of a data file',
    )
    .requiredOption('-c, --config <files...>', 'slokit config files')
    .requiredOption('-d, --data <file>', 'data file (CSV or JSON Lines) the SLOs are evaluated on')
    .addOption(
      new Option(
        '-f, --format <format>',
        'output format (default: from the -o extension, else markdown)',
      ).choices(REPORT_FORMATS),
    )
    .option('--days <n>', 'days the report covers, ending at --at', '30')
    .option('--at <time>', 'end of the period (default: the end of the data)')
    .option('--step <duration>', 'how often SLOs are evaluated to build the history', '1h')
    .option('-o, --output <file>', 'write the report here (default: stdout)')
    .option('--title <text>', 'report title')
    .option('--time-zone <zone>', 'IANA time zone for times shown (default: UTC)')
    .action(action<[Parameters<typeof reportCommand>[0]]>((opts, ctx) => reportCommand(opts, ctx)))

  program
    .command('trends')
    .description("one SLO's trend: SLI and budget sparklines, slope, volatility, exhaustion forecast")
    .argument('<slo>', 'SLO id')
    .requiredOption('-c, --config <files...>', 'slokit config files')
    .requiredOption('-d, --data <file>', 'data file the SLO is evaluated on')
    .option('-w, --window <duration>', 'how far back to look: 7d, 36h or rolling_7d', '7d')
    .option('--at <time>', 'end of the window (default: the end of the data)')
    .option('--step <duration>', 'evaluation step', '1h')
    .option('--json', 'print the analysis as JSON')
    .action(
      action<[string, Parameters<typeof trendsCommand>[1]]>((slo, opts, ctx) =>
        trendsCommand(slo, opts, ctx),
      ),
    )

  program
    .command('run')
    .description(
      'run the engine from the config: evaluate SLOs on schedule, alert, apply policies, send reports; state kept in files',
    )
    .requiredOption('-c, --config <files...>', 'slokit config files (needs a `sources` section)')
    .option(
      '--state-dir <dir>',
      'where the outbox, alert states, freezes, job runs and history are kept',
      '.slokit',
    )
    .option('--interval <duration>', 'how often to evaluate', '1m')
    .option('--once', 'evaluate once, deliver what is due, print the statuses and exit (for cron)')
    .option('--at <time>', 'with --once: evaluate at this time instead of now')
    .option('--listen <[host:]port>', 'serve /healthz, /status and /gate on this port')
    .option('--history-interval <duration>', 'keep one status per SLO per this interval for reports', '5m')
    .action(action<[Parameters<typeof runEngineCommand>[0]]>((opts, ctx) => runEngineCommand(opts, ctx)))

  registerGovernanceCommands(program, context)

  try {
    await program.parseAsync([...argv], { from: 'user' })
  } catch (error) {
    if (error instanceof ExitError) exitCode = error.exitCode
    else if (error instanceof CommanderError) {
      exitCode = error.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.usage
    } else {
      const message = error instanceof Error ? error.message : String(error)
      io.stderr.write(`slokit: internal error: ${message}\n`)
      if (io.env.SLOKIT_DEBUG !== undefined && error instanceof Error && error.stack !== undefined)
        io.stderr.write(`${error.stack}\n`)
      exitCode = EXIT_CODES.internal
    }
  }
  return exitCode
}
