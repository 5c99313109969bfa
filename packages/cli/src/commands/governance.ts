import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import type { SlokitConfig } from '@slokit/config'
import { PRIORITIES, SlokitError } from '@slokit/core'
import {
  type AuditHead,
  configuredActor,
  createGovernance,
  describeProgress,
  type Governance,
  type GovernanceSection,
  type GovernanceStore,
  MemoryGovernanceStore,
  PROPOSAL_STATUSES,
  type Proposal,
  parseSloPatch,
  REVIEW_OUTCOMES,
  type ReviewNotice,
  type SloChange,
  updateSloInYaml,
  verifyAuditLog,
} from '@slokit/governance'
import { openSqliteGovernanceStore, type SqliteDatabaseConstructor } from '@slokit/governance/sqlite'
import { type Command, Option } from 'commander'
import { type CommandContext, ExitError, loadForCommand } from '../context.js'
import { percent, table } from '../output.js'
import { parseInstant } from './evaluate.js'

/** Where the governance store lives unless `--store` says otherwise: next to the (first) config file. */
export const DEFAULT_STORE = join('.slokit', 'governance.db')

/** Options every governance subcommand takes. */
interface CommonOptions {
  readonly config?: readonly string[]
  readonly store?: string
  readonly json?: boolean
}

interface Session {
  readonly config: SlokitConfig
  readonly section: GovernanceSection
  readonly governance: Governance
  readonly storePath: string
}

/**
 * Adds `slokit governance …` to a program: the SLO registry, reviews, change proposals and
 * the audit log, kept in a SQLite file (`--store`, by default `.slokit/governance.db` next to
 * the first config file). Actors are named with `--as <id>` and get the roles and teams the
 * config's `governance.actors` gives them — never roles from the command line.
 *
 * @example
 * ```ts
 * registerGovernanceCommands(program, (command) => ({ io, colors: colorsFor(io, …) }))
 * ```
 */
export function registerGovernanceCommands(
  program: Command,
  contextFor: (command: Command) => CommandContext,
): Command {
  const action =
    <A extends unknown[]>(handler: (ctx: CommandContext, ...args: A) => Promise<void>) =>
    async (...args: unknown[]) => {
      const command = args[args.length - 1] as Command
      const ctx = contextFor(command)
      await guard(ctx, () => handler(ctx, ...(args.slice(0, -1) as A)))
    }
  const group = program
    .command('governance')
    .description('SLO reviews, change proposals and approvals, with a hash-chained audit log')
  const common = (command: Command, configRequired = true): Command => {
    const config = new Option('-c, --config <files...>', 'slokit config files (with a `governance:` section)')
    if (configRequired) config.makeOptionMandatory()
    return command
      .addOption(config)
      .option(
        '--store <path>',
        `the governance store (default: ${DEFAULT_STORE} next to the first config file)`,
      )
      .option('--json', 'print the result as JSON')
  }
  const as = (command: Command): Command =>
    command.requiredOption('--as <actor>', 'who acts: an id listed under governance.actors')

  common(
    group
      .command('list-slos')
      .description('the SLO registry: version, status, next review, open proposals, documentation')
      .addOption(new Option('--priority <priority>', 'only SLOs of this priority').choices(PRIORITIES)),
  ).action(action<[CommonOptions & { priority?: (typeof PRIORITIES)[number] }]>(listSlos))

  common(
    as(
      group
        .command('schedule-review')
        .description('schedule a review of an SLO')
        .argument('<slo>', 'the SLO id')
        .argument(
          '<date>',
          'when it is due: 2026-06-01 (00:00 UTC), ISO 8601 with Z or an offset, or epoch ms',
        )
        .requiredOption('--reviewers <ids>', 'comma-separated actor ids; one of them completes it')
        .option('--notes <text>', 'what to look at'),
    ),
  ).action(
    action<[string, string, CommonOptions & { as: string; reviewers: string; notes?: string }]>(
      scheduleReview,
    ),
  )

  common(
    as(
      group
        .command('complete-review')
        .description('complete a scheduled review with its outcome and notes')
        .argument('<review>', 'the review id, e.g. R-3')
        .addOption(
          new Option('--outcome <outcome>', 'how it ended').choices(REVIEW_OUTCOMES).makeOptionMandatory(),
        )
        .requiredOption('--notes <text>', 'what was looked at and decided'),
    ),
  ).action(
    action<
      [string, CommonOptions & { as: string; outcome: (typeof REVIEW_OUTCOMES)[number]; notes: string }]
    >(completeReview),
  )

  common(
    as(
      group
        .command('cancel-review')
        .description('cancel a scheduled review')
        .argument('<review>', 'the review id')
        .requiredOption('--reason <text>', 'why'),
    ),
  ).action(action<[string, CommonOptions & { as: string; reason: string }]>(cancelReview))

  common(
    group
      .command('reviews')
      .description('reviews overdue, due soon or never scheduled (with --all: every review)')
      .option('--all', 'list every review, scheduled, completed and cancelled'),
  ).action(action<[CommonOptions & { all?: boolean }]>(reviews))

  common(
    as(
      group
        .command('propose')
        .description('propose a change to an SLO')
        .argument('<slo>', 'the SLO id')
        .requiredOption(
          '--set <key=value>',
          'a field to change, repeatable: target=99.95, window=28d, sli=<sli id>, owner=team-x, dashboardUrl=null',
          (value: string, previous: string[]) => [...previous, value],
          [] as string[],
        )
        .requiredOption('--reason <text>', 'why: recorded with the proposal and the version it produces'),
    ),
  ).action(action<[string, CommonOptions & { as: string; set: string[]; reason: string }]>(propose))

  common(
    as(
      group
        .command('approve')
        .description('approve a proposal; the last approval the matrix needs produces the new version')
        .argument('<proposal>', 'the proposal id, e.g. P-3')
        .option('--comment <text>', 'a note with the approval'),
    ),
  ).action(action<[string, CommonOptions & { as: string; comment?: string }]>(approve))

  common(
    as(
      group
        .command('reject')
        .description('reject a proposal (anyone who may approve it)')
        .argument('<proposal>', 'the proposal id')
        .requiredOption('--reason <text>', 'why'),
    ),
  ).action(action<[string, CommonOptions & { as: string; reason: string }]>(reject))

  common(
    as(
      group
        .command('withdraw')
        .description('withdraw your own proposal')
        .argument('<proposal>', 'the proposal id')
        .option('--reason <text>', 'why'),
    ),
  ).action(action<[string, CommonOptions & { as: string; reason?: string }]>(withdraw))

  common(
    group
      .command('proposals')
      .description('list proposals')
      .addOption(new Option('--status <status>', 'only proposals of this status').choices(PROPOSAL_STATUSES))
      .option('--slo <id>', 'only proposals for this SLO'),
  ).action(action<[CommonOptions & { status?: (typeof PROPOSAL_STATUSES)[number]; slo?: string }]>(proposals))

  common(
    group
      .command('apply')
      .description(
        'write an approved proposal into the config file that defines the SLO (for a git-based flow)',
      )
      .argument('<proposal>', 'the proposal id')
      .option('--dry-run', 'print the updated file instead of writing it'),
  ).action(action<[string, CommonOptions & { dryRun?: boolean }]>(apply))

  common(
    group
      .command('history')
      .description('every version of an SLO (who, when, why, what changed), its proposals and reviews')
      .argument('<slo>', 'the SLO id'),
  ).action(action<[string, CommonOptions]>(history))

  const audit = group.command('audit').description('the audit log')
  common(
    audit
      .command('verify')
      .description('check the hash chain; exits 1 naming the first edited, removed or re-ordered entry')
      .option(
        '--expect-head <sequence:hash>',
        'the head of an earlier verification: also detects a truncated or rewritten tail',
      ),
    false,
  ).action(action<[CommonOptions & { expectHead?: string }]>(auditVerify))

  common(
    group
      .command('dashboard')
      .description('reviews due, proposals open or awaiting rollout, drift, missing documentation'),
  ).action(action<[CommonOptions]>(dashboard))

  return group
}

// --- commands ----------------------------------------------------------------------------------

async function listSlos(
  ctx: CommandContext,
  options: CommonOptions & { priority?: (typeof PRIORITIES)[number] },
) {
  await withSession(ctx, options, false, async ({ governance }) => {
    const records = await governance.listSlos({ priority: options.priority })
    if (options.json === true) return printJson(ctx, records)
    const c = ctx.colors
    if (records.length === 0) return void ctx.io.stdout.write('no SLOs match\n')
    const rows = [
      ['ID', 'PRIORITY', 'TARGET', 'VERSION', 'STATUS', 'NEXT REVIEW', 'PROPOSALS', 'DOCS'].map((h) =>
        c.bold(h),
      ),
      ...records.map((r) => {
        const errors = r.documentation.filter((i) => i.severity === 'error').length
        const warnings = r.documentation.length - errors
        const docs =
          errors > 0
            ? c.red(`${errors} missing`)
            : warnings > 0
              ? c.yellow(`${warnings} ${warnings === 1 ? 'warning' : 'warnings'}`)
              : c.green('ok')
        const review =
          r.review === undefined
            ? r.nextReviewDueMs === null
              ? c.dim('—')
              : day(r.nextReviewDueMs)
            : noticeCell(r.review, c)
        return [
          r.slo.id,
          r.slo.priority ?? '—',
          percent(r.slo.objective),
          `v${r.version}`,
          r.status === 'in-sync' || r.status === 'baseline' ? r.status : c.yellow(r.status),
          review,
          r.openProposals.join(', ') || c.dim('—'),
          docs,
        ]
      }),
    ]
    ctx.io.stdout.write(`${table(rows)}\n`)
  })
}

async function scheduleReview(
  ctx: CommandContext,
  sloId: string,
  date: string,
  options: CommonOptions & { as: string; reviewers: string; notes?: string },
) {
  const dueMs = parseInstant(date)
  if (dueMs === undefined) {
    usage(
      ctx,
      `<date> ${JSON.stringify(date)} is not a time: use 2026-06-01, 2026-06-01T09:00:00Z or epoch milliseconds`,
    )
  }
  await withSession(ctx, options, true, async ({ governance, section }) => {
    const actor = configuredActor(section, options.as)
    const reviewers = options.reviewers
      .split(',')
      .map((id) => id.trim())
      .filter((id) => id !== '')
    for (const id of reviewers) configuredActor(section, id)
    const review = await governance.scheduleReview(actor, {
      sloId,
      dueMs: dueMs as number,
      reviewers,
      notes: options.notes,
    })
    if (options.json === true) return printJson(ctx, review)
    ctx.io.stdout.write(
      `${ctx.colors.green('✓')} scheduled ${review.id}: review of ${review.sloId} due ${iso(review.dueMs)}, reviewers ${review.reviewers.join(', ')}\n`,
    )
  })
}

async function completeReview(
  ctx: CommandContext,
  reviewId: string,
  options: CommonOptions & { as: string; outcome: (typeof REVIEW_OUTCOMES)[number]; notes: string },
) {
  await withSession(ctx, options, true, async ({ governance, section }) => {
    const review = await governance.completeReview(configuredActor(section, options.as), reviewId, {
      outcome: options.outcome,
      notes: options.notes,
    })
    if (options.json === true) return printJson(ctx, review)
    const next =
      options.outcome === 'changes-needed'
        ? ` — propose the change: slokit governance propose ${review.sloId} --set …`
        : ''
    ctx.io.stdout.write(
      `${ctx.colors.green('✓')} completed ${review.id} (${review.sloId}): ${options.outcome}${next}\n`,
    )
  })
}

async function cancelReview(
  ctx: CommandContext,
  reviewId: string,
  options: CommonOptions & { as: string; reason: string },
) {
  await withSession(ctx, options, true, async ({ governance, section }) => {
    const review = await governance.cancelReview(configuredActor(section, options.as), reviewId, {
      reason: options.reason,
    })
    if (options.json === true) return printJson(ctx, review)
    ctx.io.stdout.write(`${ctx.colors.green('✓')} cancelled ${review.id} (${review.sloId})\n`)
  })
}

async function reviews(ctx: CommandContext, options: CommonOptions & { all?: boolean }) {
  await withSession(ctx, options, false, async ({ governance }) => {
    if (options.all === true) {
      const all = await governance.reviews()
      if (options.json === true) return printJson(ctx, all)
      if (all.length === 0) return void ctx.io.stdout.write('no reviews yet\n')
      const rows = [
        ['ID', 'SLO', 'STATUS', 'DUE', 'REVIEWERS', 'OUTCOME'].map((h) => ctx.colors.bold(h)),
        ...all.map((r) => [
          r.id,
          r.sloId,
          r.status,
          day(r.dueMs),
          r.reviewers.join(', '),
          r.completed?.outcome ?? '—',
        ]),
      ]
      return void ctx.io.stdout.write(`${table(rows)}\n`)
    }
    const notices = await governance.reviewsDue()
    if (options.json === true) return printJson(ctx, notices)
    if (notices.length === 0) return void ctx.io.stdout.write(`${ctx.colors.green('✓')} no review is due\n`)
    for (const notice of notices) ctx.io.stdout.write(`${noticeLine(notice, ctx)}\n`)
  })
}

async function propose(
  ctx: CommandContext,
  sloId: string,
  options: CommonOptions & { as: string; set: string[]; reason: string },
) {
  await withSession(ctx, options, true, async ({ governance, section, config }) => {
    const actor = configuredActor(section, options.as)
    const set = parseSloPatch(options.set, { slis: config.slis })
    const proposal = await governance.propose(actor, { sloId, set, reason: options.reason })
    if (options.json === true) return printJson(ctx, proposal)
    ctx.io.stdout.write(
      `${ctx.colors.green('✓')} opened ${proposal.id}: ${proposal.sloId}\n${describeChanges(proposal.changes)}`,
    )
    ctx.io.stdout.write(progressLines(proposal))
  })
}

async function approve(
  ctx: CommandContext,
  proposalId: string,
  options: CommonOptions & { as: string; comment?: string },
) {
  await withSession(ctx, options, true, async ({ governance, section }) => {
    const proposal = await governance.approve(configuredActor(section, options.as), proposalId, {
      comment: options.comment,
    })
    if (options.json === true) return printJson(ctx, proposal)
    const c = ctx.colors
    if (proposal.status === 'approved') {
      ctx.io.stdout.write(
        `${c.green('✓')} ${proposal.id} approved: version ${proposal.version?.version} of ${proposal.sloId}\n` +
          `${describeChanges(proposal.version?.changes ?? proposal.changes)}` +
          `  roll it out: slokit governance apply ${proposal.id}\n`,
      )
      return
    }
    ctx.io.stdout.write(
      `${c.green('✓')} approved ${proposal.id} as ${options.as}; still open\n${progressLines(proposal)}`,
    )
  })
}

async function reject(
  ctx: CommandContext,
  proposalId: string,
  options: CommonOptions & { as: string; reason: string },
) {
  await withSession(ctx, options, true, async ({ governance, section }) => {
    const proposal = await governance.reject(configuredActor(section, options.as), proposalId, {
      reason: options.reason,
    })
    if (options.json === true) return printJson(ctx, proposal)
    ctx.io.stdout.write(`${ctx.colors.green('✓')} rejected ${proposal.id} (${proposal.sloId})\n`)
  })
}

async function withdraw(
  ctx: CommandContext,
  proposalId: string,
  options: CommonOptions & { as: string; reason?: string },
) {
  await withSession(ctx, options, true, async ({ governance, section }) => {
    const proposal = await governance.withdraw(configuredActor(section, options.as), proposalId, {
      reason: options.reason,
    })
    if (options.json === true) return printJson(ctx, proposal)
    ctx.io.stdout.write(`${ctx.colors.green('✓')} withdrew ${proposal.id} (${proposal.sloId})\n`)
  })
}

async function proposals(
  ctx: CommandContext,
  options: CommonOptions & { status?: (typeof PROPOSAL_STATUSES)[number]; slo?: string },
) {
  await withSession(ctx, options, false, async ({ governance }) => {
    const list = await governance.proposals({ status: options.status, sloId: options.slo })
    if (options.json === true) return printJson(ctx, list)
    if (list.length === 0) return void ctx.io.stdout.write('no proposals match\n')
    const rows = [
      ['ID', 'SLO', 'STATUS', 'CHANGES', 'PROPOSER', 'APPROVALS'].map((h) => ctx.colors.bold(h)),
      ...list.map((p) => [
        p.id,
        p.sloId,
        p.status === 'approved' && p.rollout === 'pending'
          ? ctx.colors.yellow('approved, not applied')
          : p.status,
        p.changes.map((change) => change.field).join(', '),
        p.proposer.id,
        p.approvals.map((a) => a.actor.id).join(', ') || '—',
      ]),
    ]
    ctx.io.stdout.write(`${table(rows)}\n`)
  })
}

async function apply(ctx: CommandContext, proposalId: string, options: CommonOptions & { dryRun?: boolean }) {
  await withSession(ctx, options, false, async ({ governance, config }) => {
    const proposal = await governance.proposal(proposalId)
    const c = ctx.colors
    if (proposal.status !== 'approved' || proposal.version === undefined) {
      fail(ctx, `${proposal.id} is ${proposal.status}: only an approved proposal can be applied`)
    }
    const version = proposal.version
    if (proposal.rollout === 'applied') {
      return void ctx.io.stdout.write(
        `${c.green('✓')} ${proposal.id} is already in the configuration (version ${version.version})\n`,
      )
    }
    if (proposal.rollout === 'superseded') {
      fail(
        ctx,
        `${proposal.id} was superseded by a later version of ${proposal.sloId}: apply the latest instead`,
      )
    }
    if (proposal.rollout === 'drifted') {
      fail(
        ctx,
        `${proposal.sloId} in the configuration differs from both version ${version.version - 1} and version ${version.version}: it was changed outside governance; edit it by hand (slokit governance history ${proposal.sloId})`,
      )
    }
    const file = config.originOf(proposal.sloId)?.file
    if (file === undefined) fail(ctx, `cannot tell which config file defines ${proposal.sloId}`)
    const text = updateSloInYaml(readFileSync(file, 'utf8'), proposal.sloId, version.changes)
    if (options.dryRun === true) return void ctx.io.stdout.write(text)
    writeFileSync(file, text)
    ctx.io.stdout.write(
      `${c.green('✓')} wrote version ${version.version} of ${proposal.sloId} to ${file}\n${describeChanges(version.changes)}` +
        `  review the diff and commit it, e.g. git commit -m "${proposal.sloId}: ${proposal.id}"\n`,
    )
  })
}

async function history(ctx: CommandContext, sloId: string, options: CommonOptions) {
  await withSession(ctx, options, false, async ({ governance }) => {
    const result = await governance.history(sloId)
    if (options.json === true) return printJson(ctx, result)
    const c = ctx.colors
    const out = [`${c.bold(sloId)}  ${result.status}`]
    for (const version of [...result.versions].reverse()) {
      if (version.source === 'baseline') {
        out.push(`  v1  baseline: the configuration before any approved change`)
        continue
      }
      out.push(
        `  v${version.version}  ${iso(version.atMs ?? 0)}  ${version.proposalId} by ${version.proposedBy?.id ?? '?'}, approved by ${(version.approvedBy ?? []).join(', ')}`,
        `      why: ${version.reason ?? ''}`,
        describeChanges(version.changes, '      ').trimEnd(),
      )
      if (version.outsideChanges.length > 0) {
        out.push(
          c.yellow('      changed outside governance before this version:'),
          describeChanges(version.outsideChanges, '        ').trimEnd(),
        )
      }
    }
    if (result.configChanges.length > 0) {
      out.push(
        c.yellow(`  the configuration differs from the latest version (${result.status}):`),
        describeChanges(result.configChanges, '    ').trimEnd(),
      )
    }
    for (const p of result.proposals) out.push(`  ${p.id}  ${p.status}  ${p.reason}`)
    for (const r of result.reviews)
      out.push(
        `  ${r.id}  ${r.status}  due ${day(r.dueMs)}${r.completed === undefined ? '' : `, ${r.completed.outcome}: ${r.completed.notes}`}`,
      )
    ctx.io.stdout.write(`${out.join('\n')}\n`)
  })
}

async function auditVerify(ctx: CommandContext, options: CommonOptions & { expectHead?: string }) {
  let expectedHead: AuditHead | undefined
  if (options.expectHead !== undefined) {
    const match = /^(\d+):([0-9a-f]{64})$/.exec(options.expectHead)
    if (match === null)
      usage(ctx, '--expect-head takes <sequence>:<sha-256 hex>, as `audit verify` prints it')
    expectedHead = { sequence: Number(match[1]), hash: match[2] as string }
  }
  if (options.config === undefined && options.store === undefined)
    usage(ctx, 'give --store <path>, or --config to find the store next to it')
  const path = storePathOf(options)
  if (!existsSync(path)) fail(ctx, `no governance store at ${path}`)
  const store = openSqliteGovernanceStore({ Database: await sqliteDriver(), path, readOnly: true })
  try {
    const result = verifyAuditLog(await store.read(), { expectedHead })
    if (options.json === true) printJson(ctx, { store: path, ...result })
    const c = ctx.colors
    if (result.ok) {
      if (options.json !== true) {
        const head = result.head === null ? 'empty' : `head ${result.head.sequence}:${result.head.hash}`
        ctx.io.stdout.write(
          `${c.green('✓')} audit log intact: ${result.entries} ${result.entries === 1 ? 'entry' : 'entries'}, ${head}\n`,
        )
      }
      return
    }
    const bad = result.firstBad
    if (options.json !== true) {
      ctx.io.stderr.write(
        `${c.red('✗')} audit log ${path}: entry ${bad.sequence} ${bad.reason}: ${bad.detail}\n` +
          `  ${result.entries} ${result.entries === 1 ? 'entry' : 'entries'} before it verify; restore the store from a backup and investigate\n`,
      )
    }
    throw new ExitError(1)
  } finally {
    store.close()
  }
}

async function dashboard(ctx: CommandContext, options: CommonOptions) {
  await withSession(ctx, options, false, async ({ governance }) => {
    const board = await governance.dashboard()
    if (options.json === true) return printJson(ctx, board)
    const c = ctx.colors
    const out: string[] = []
    out.push(c.bold(`Reviews (${board.reviews.length})`))
    for (const notice of board.reviews) out.push(`  ${noticeLine(notice, ctx)}`)
    if (board.reviews.length === 0) out.push(c.dim('  none due'))
    out.push(c.bold(`Proposals open (${board.openProposals.length})`))
    for (const p of board.openProposals) {
      const needs = p.progress.rules
        .filter((r) => !r.satisfied)
        .map(describeProgress)
        .join('; ')
      out.push(`  ${p.id}  ${p.sloId}: ${p.changes.map((ch) => ch.field).join(', ')} — ${needs || 'ready'}`)
    }
    if (board.pendingRollout.length > 0) {
      out.push(c.bold(`Approved, not yet in the configuration (${board.pendingRollout.length})`))
      for (const p of board.pendingRollout) out.push(`  ${p.id}  ${p.sloId}: slokit governance apply ${p.id}`)
    }
    if (board.drifted.length > 0) {
      out.push(c.bold(c.yellow(`Changed outside governance (${board.drifted.length})`)))
      for (const id of board.drifted) out.push(`  ${id}: slokit governance history ${id}`)
    }
    const bySlo = new Map<string, string[]>()
    for (const issue of board.documentation) {
      bySlo.set(issue.sloId, [
        ...(bySlo.get(issue.sloId) ?? []),
        issue.severity === 'error' ? c.red(issue.field) : c.yellow(issue.field),
      ])
    }
    out.push(c.bold(`SLOs missing documentation (${bySlo.size})`))
    for (const [id, fields] of bySlo) out.push(`  ${id}: ${fields.join(', ')}`)
    const head =
      board.audit.head === null
        ? 'empty'
        : `${board.audit.entries} entries, head ${board.audit.head.sequence}:${board.audit.head.hash.slice(0, 12)}…`
    out.push(c.dim(`Audit log: ${head}`))
    ctx.io.stdout.write(`${out.join('\n')}\n`)
  })
}

// --- helpers -----------------------------------------------------------------------------------

/** Loads the config (with the governance schema), opens the store, runs, closes. */
async function withSession(
  ctx: CommandContext,
  options: CommonOptions,
  write: boolean,
  body: (session: Session) => Promise<void>,
): Promise<void> {
  const files = options.config ?? []
  const config = await loadForCommand(ctx, files, options.json === true)
  const section = config.sections.governance as GovernanceSection | undefined
  if (section === undefined) {
    fail(
      ctx,
      `${files.join(', ')} has no \`governance:\` section: add one with actors, reviews, approvals and documentation rules (see docs/governance.md)`,
    )
  }
  const storePath = storePathOf(options)
  let store: GovernanceStore
  if (write || existsSync(storePath)) {
    store = openSqliteGovernanceStore({ Database: await sqliteDriver(), path: storePath, readOnly: !write })
  } else {
    // Nothing recorded yet: read an empty log rather than create a file on a read.
    store = new MemoryGovernanceStore()
  }
  try {
    const governance = createGovernance({
      store,
      config: section,
      slos: config.slos,
      clock: { now: ctx.io.now },
    })
    await body({ config, section, governance, storePath })
  } finally {
    await store.close?.()
  }
}

function storePathOf(options: CommonOptions): string {
  if (options.store !== undefined) return resolve(options.store)
  const first = options.config?.[0] ?? '.'
  return resolve(dirname(first), DEFAULT_STORE)
}

async function sqliteDriver(): Promise<SqliteDatabaseConstructor> {
  try {
    const module = (await import('better-sqlite3')) as { default: SqliteDatabaseConstructor }
    return module.default
  } catch (error) {
    throw new SlokitError(
      'NOT_SUPPORTED',
      'slokit governance keeps its record in SQLite and needs better-sqlite3: install it next to @slokit/cli (npm install better-sqlite3@12)',
      { cause: error },
    )
  }
}

/** Runs a command, printing slokit's refusals (not authorised, conflicts, invalid input) and exiting 1. */
async function guard(ctx: CommandContext, run: () => Promise<void>): Promise<void> {
  try {
    await run()
  } catch (error) {
    if (error instanceof ExitError || !(error instanceof SlokitError)) throw error
    const message = error.message.replace(/^\[slokit\/[a-z-]+\] /, '')
    ctx.io.stderr.write(`${ctx.colors.red('error')}: ${message}\n`)
    if (error.hint !== undefined) ctx.io.stderr.write(`  ${ctx.colors.dim(`hint: ${error.hint}`)}\n`)
    throw new ExitError(1)
  }
}

function fail(ctx: CommandContext, message: string): never {
  ctx.io.stderr.write(`${ctx.colors.red('error')}: ${message}\n`)
  throw new ExitError(1)
}

function usage(ctx: CommandContext, message: string): never {
  ctx.io.stderr.write(`${ctx.colors.red('error')}: ${message}\n`)
  throw new ExitError(2)
}

function printJson(ctx: CommandContext, value: unknown): void {
  ctx.io.stdout.write(`${JSON.stringify(value, null, 2)}\n`)
}

function describeChanges(changes: readonly SloChange[], indent = '  '): string {
  return changes
    .map(
      (change) =>
        `${indent}${change.field}: ${show(change.field, change.from)} → ${show(change.field, change.to)}\n`,
    )
    .join('')
}

function show(field: string, value: unknown): string {
  if (value === null) return '(unset)'
  if (field === 'objective' && typeof value === 'number') return percent(value)
  if (field === 'sli' && typeof value === 'object') return (value as { id: string }).id
  return typeof value === 'string' ? value : JSON.stringify(value)
}

function progressLines(proposal: Proposal): string {
  const open = proposal.progress.rules.filter((rule) => !rule.satisfied)
  return open.map((rule) => `  needs ${describeProgress(rule)}\n`).join('')
}

function noticeCell(notice: ReviewNotice, c: CommandContext['colors']): string {
  if (notice.state === 'unscheduled') return c.yellow('never reviewed')
  const when = day(notice.dueMs ?? 0)
  return notice.state === 'overdue' ? c.red(`overdue (${when})`) : c.yellow(`due ${when}`)
}

function noticeLine(notice: ReviewNotice, ctx: CommandContext): string {
  const c = ctx.colors
  const mark =
    notice.state === 'overdue'
      ? c.red('overdue')
      : notice.state === 'due'
        ? c.yellow('due')
        : c.yellow('unscheduled')
  return `${mark}  ${notice.message}`
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z')
}

function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10)
}
