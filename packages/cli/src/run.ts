import { CHANGE_TYPES } from '@slokit/budget'
import { PRIORITIES, SLI_KINDS } from '@slokit/core'
import { Command, CommanderError, Option } from 'commander'
import { demoCommand } from './commands/demo.js'
import { evaluateCommand } from './commands/evaluate.js'
import { gateCommand } from './commands/gate.js'
import { listCommand } from './commands/list.js'
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
    .argument('<files...>', 'slokit config files (YAML; several files and multi-document streams are merged)')
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
