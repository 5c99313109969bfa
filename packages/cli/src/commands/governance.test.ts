import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import Database from 'better-sqlite3'
import { Command, CommanderError } from 'commander'
import { describe, expect, it } from 'vitest'
import { ExitError } from '../context.js'
import type { CliIo } from '../io.js'
import { colorsFor } from '../output.js'
import { tempFiles } from '../test-support.js'
import { DEFAULT_STORE, registerGovernanceCommands } from './governance.js'

const CONFIG = `apiVersion: slokit/v1
slis:
  - id: checkout-requests
    kind: availability
    measurement: { type: ratio }
slos:
  - id: checkout-availability
    name: Checkout requests succeed
    service: checkout
    sli: checkout-requests
    objective: 99.9% # what the payment provider lets us promise
    window: 30d
    priority: critical
    owner: team-checkout
    rationale: A failed checkout is a lost order.
    runbookUrl: https://runbooks.example.com/checkout
    dashboardUrl: https://grafana.example.com/d/checkout
  - id: search-availability
    service: search
    sli: { id: search-requests, kind: availability, measurement: { type: ratio } }
    objective: 99.5%
    window: 7d
    priority: high
governance:
  actors:
    alice: { roles: [sre] }
    bob: { roles: [sre] }
    carol: { roles: [sre, sre-lead] }
    erin: { roles: [product-owner] }
    dave: { roles: [developer], teams: [team-checkout] }
  reviews:
    cadence: { critical: 30d, high: 90d }
  approvals:
    critical:
      default: { approvers: [sre], minApprovals: 2 }
    default:
      default: { approvers: [owner, sre] }
  documentation:
    critical: { error: [owner, rationale, runbookUrl, dashboardUrl] }
    default: { warning: [owner] }
`

const T0 = Date.UTC(2026, 5, 1)

/** Runs `governance argv…` through commander with a captured io, as `slokit` would. */
async function governance(argv: readonly string[], now = T0) {
  let stdout = ''
  let stderr = ''
  const io: CliIo = {
    stdout: { write: (text: string) => (stdout += text), isTTY: false },
    stderr: { write: (text: string) => (stderr += text), isTTY: false },
    env: {},
    now: () => now,
  }
  const program = new Command().exitOverride().configureOutput({
    writeOut: (text) => {
      io.stdout.write(text)
    },
    writeErr: (text) => {
      io.stderr.write(text)
    },
  })
  registerGovernanceCommands(program, () => ({ io, colors: colorsFor(io, false) }))
  let code = 0
  try {
    await program.parseAsync(['governance', ...argv], { from: 'user' })
  } catch (error) {
    if (error instanceof ExitError) code = error.exitCode
    else if (error instanceof CommanderError) code = error.exitCode === 0 ? 0 : 2
    else throw error
  }
  return { code, stdout, stderr }
}

async function project() {
  const { config } = await tempFiles({ config: CONFIG })
  const path = config as string
  const store = join(dirname(path), DEFAULT_STORE)
  const run = (...argv: string[]) => governance([...argv, '--config', path])
  return { path, store, run }
}

/** A store with a critical change proposed and approved twice (5 entries), and a review (6). */
async function busyProject() {
  const p = await project()
  expect(
    (
      await p.run(
        'propose',
        'checkout-availability',
        '--set',
        'target=99.95',
        '--reason',
        'Two quarters at 99.97 %.',
        '--as',
        'alice',
      )
    ).code,
  ).toBe(0)
  expect((await p.run('approve', 'P-1', '--as', 'bob')).code).toBe(0)
  expect((await p.run('approve', 'P-1', '--as', 'carol')).code).toBe(0)
  expect(
    (
      await p.run(
        'schedule-review',
        'search-availability',
        '2026-07-01',
        '--reviewers',
        'carol',
        '--as',
        'alice',
      )
    ).code,
  ).toBe(0)
  return p
}

describe('slokit governance: the change workflow', () => {
  it('a critical change needs two SRE approvals; self-approval and roles outside the matrix are refused', async () => {
    const { run, store } = await project()
    const opened = await run(
      'propose',
      'checkout-availability',
      '--set',
      'target=99.95',
      '--reason',
      'Two quarters at 99.97 %.',
      '--as',
      'alice',
    )
    expect(opened).toMatchObject({ code: 0, stderr: '' })
    expect(opened.stdout).toBe(
      '✓ opened P-1: checkout-availability\n  objective: 99.9% → 99.95%\n  needs approvals.critical.default: 0 of 2 approvals from sre\n',
    )
    expect(existsSync(store)).toBe(true)

    const self = await run('approve', 'P-1', '--as', 'alice')
    expect(self.code).toBe(1)
    expect(self.stderr).toBe(
      'error: `alice` proposed P-1 and cannot approve it: a change needs approval from someone other than its proposer.\n  hint: ask an approver named by the approval matrix\n',
    )
    const outsider = await run('approve', 'P-1', '--as', 'erin')
    expect(outsider.code).toBe(1)
    expect(outsider.stderr).toContain(
      'error: `erin` (roles: product-owner) may not approve P-1: approvals.critical.default needs sre.',
    )

    const first = await run('approve', 'P-1', '--as', 'bob')
    expect(first.stdout).toBe(
      '✓ approved P-1 as bob; still open\n  needs approvals.critical.default: 1 of 2 approvals from sre\n',
    )
    const second = await run('approve', 'P-1', '--as', 'carol')
    expect(second.stdout).toBe(
      '✓ P-1 approved: version 2 of checkout-availability\n  objective: 99.9% → 99.95%\n  roll it out: slokit governance apply P-1\n',
    )
  })

  it('takes roles from the config only: an unknown actor is refused, and --as cannot carry roles', async () => {
    const { run } = await project()
    const unknown = await run(
      'propose',
      'checkout-availability',
      '--set',
      'target=99.95',
      '--reason',
      'x',
      '--as',
      'mallory',
    )
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toBe(
      'error: Unknown actor `mallory`: governance.actors does not list it.\n  hint: known actors: alice, bob, carol, erin, dave\n',
    )
    const missing = await run('propose', 'checkout-availability', '--set', 'target=99.95', '--reason', 'x')
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain("required option '--as <actor>' not specified")
  })

  it('applies an approved proposal to the YAML file, keeping comments; history then shows it in sync', async () => {
    const { run, path } = await busyProject()
    expect((await run('history', 'checkout-availability', '--json')).stdout).toContain('"status": "pending"')
    const applied = await run('apply', 'P-1')
    expect(applied.code).toBe(0)
    expect(applied.stdout).toContain(`✓ wrote version 2 of checkout-availability to ${path}`)
    expect(readFileSync(path, 'utf8')).toBe(
      CONFIG.replace('objective: 99.9% # what', 'objective: 99.95% # what'),
    )
    expect((await run('apply', 'P-1')).stdout).toBe('✓ P-1 is already in the configuration (version 2)\n')

    const history = await run('history', 'checkout-availability')
    expect(history.stdout).toBe(
      [
        'checkout-availability  in-sync',
        '  v2  2026-06-01T00:00:00Z  P-1 by alice, approved by bob, carol',
        '      why: Two quarters at 99.97 %.',
        '      objective: 99.9% → 99.95%',
        '  v1  baseline: the configuration before any approved change',
        '  P-1  approved  Two quarters at 99.97 %.',
        '',
      ].join('\n'),
    )
    const list = await run('list-slos')
    expect(list.stdout.split('\n')[1]).toMatch(
      /^checkout-availability\s+critical\s+99\.95%\s+v2\s+in-sync\s+never reviewed\s+—\s+ok$/,
    )
  })

  it('prints the updated file with apply --dry-run and refuses proposals that are not approved', async () => {
    const { run, path } = await busyProject()
    const dry = await run('apply', 'P-1', '--dry-run')
    expect(dry.stdout).toContain('objective: 99.95% # what')
    expect(readFileSync(path, 'utf8')).toBe(CONFIG)
    await run(
      'propose',
      'search-availability',
      '--set',
      'owner=team-search',
      '--reason',
      'owned',
      '--as',
      'alice',
    )
    const open = await run('apply', 'P-2')
    expect(open).toMatchObject({
      code: 1,
      stderr: 'error: P-2 is open: only an approved proposal can be applied\n',
    })
  })

  it('rejects and withdraws, and lists proposals by status', async () => {
    const { run } = await project()
    await run('propose', 'search-availability', '--set', 'window=28d', '--reason', 'align', '--as', 'alice')
    await run(
      'propose',
      'search-availability',
      '--set',
      'owner=team-search',
      '--reason',
      'owned',
      '--as',
      'bob',
    )
    expect((await run('reject', 'P-1', '--as', 'carol', '--reason', 'not now')).stdout).toBe(
      '✓ rejected P-1 (search-availability)\n',
    )
    expect((await run('withdraw', 'P-2', '--as', 'alice')).code).toBe(1)
    expect((await run('withdraw', 'P-2', '--as', 'bob')).stdout).toBe(
      '✓ withdrew P-2 (search-availability)\n',
    )
    const listed = await run('proposals', '--status', 'rejected')
    expect(listed.stdout.split('\n')[1]).toMatch(
      /^P-1\s+search-availability\s+rejected\s+window\s+alice\s+—$/,
    )
  })

  it('reports an invalid change with every problem, and an unknown SLO or field', async () => {
    const { run } = await project()
    const invalid = await run(
      'propose',
      'checkout-availability',
      '--set',
      'budgetingMethod=timeslices',
      '--reason',
      'x',
      '--as',
      'alice',
    )
    expect(invalid.code).toBe(1)
    expect(invalid.stderr).toContain('budgetingMethod timeslices needs `timeslice: { length: ... }`')
    expect(
      (await run('propose', 'nope', '--set', 'target=99', '--reason', 'x', '--as', 'alice')).stderr,
    ).toContain('error: No SLO `nope` in the configuration.')
    expect(
      (await run('propose', 'checkout-availability', '--set', 'targt=99', '--reason', 'x', '--as', 'alice'))
        .stderr,
    ).toContain('error: Cannot set `targt`: it is not a field a proposal can change.')
  })
})

describe('slokit governance: reviews and the dashboard', () => {
  it('schedules, lists due and overdue, and completes reviews', async () => {
    const { path } = await project()
    const at = (now: number, ...argv: string[]) => governance([...argv, '--config', path], now)
    const scheduled = await at(
      T0,
      'schedule-review',
      'checkout-availability',
      '2026-06-10',
      '--reviewers',
      'bob,carol',
      '--as',
      'alice',
    )
    expect(scheduled.stdout).toBe(
      '✓ scheduled R-1: review of checkout-availability due 2026-06-10T00:00:00Z, reviewers bob, carol\n',
    )
    expect(
      (
        await at(
          T0,
          'schedule-review',
          'checkout-availability',
          'tomorrow',
          '--reviewers',
          'bob',
          '--as',
          'alice',
        )
      ).code,
    ).toBe(2)
    expect(
      (
        await at(
          T0,
          'schedule-review',
          'search-availability',
          '2026-06-10',
          '--reviewers',
          'zed',
          '--as',
          'alice',
        )
      ).stderr,
    ).toContain('error: Unknown actor `zed`: governance.actors does not list it.')

    const due = await at(Date.UTC(2026, 5, 12), 'reviews')
    expect(due.stdout).toBe(
      [
        'overdue  checkout-availability (critical): review overdue by 2 days (due 2026-06-10T00:00:00Z); reviewers bob, carol',
        'unscheduled  search-availability (high): never reviewed and no review scheduled',
        '',
      ].join('\n'),
    )
    const done = await at(
      Date.UTC(2026, 5, 12),
      'complete-review',
      'R-1',
      '--outcome',
      'confirmed',
      '--notes',
      'Budget fine.',
      '--as',
      'carol',
    )
    expect(done.stdout).toBe('✓ completed R-1 (checkout-availability): confirmed\n')
    expect((await at(Date.UTC(2026, 5, 12), 'reviews', '--all')).stdout.split('\n')[1]).toMatch(
      /^R-1\s+checkout-availability\s+completed\s+2026-06-10\s+bob, carol\s+confirmed$/,
    )
  })

  it('summarises reviews due, open proposals, pending rollouts and missing documentation', async () => {
    const { run } = await busyProject()
    await run(
      'propose',
      'search-availability',
      '--set',
      'target=99.9',
      '--reason',
      'tighter',
      '--as',
      'alice',
    )
    const board = await run('dashboard')
    expect(board.code).toBe(0)
    // search-availability's review is scheduled a month out: not due yet.
    expect(board.stdout).toContain(
      'Reviews (1)\n  unscheduled  checkout-availability (critical): never reviewed and no review scheduled\n',
    )
    expect(board.stdout).toContain(
      'Proposals open (1)\n  P-2  search-availability: objective — approvals.default.default: 0 of 1 approval from owner or sre\n',
    )
    expect(board.stdout).toContain(
      'Approved, not yet in the configuration (1)\n  P-1  checkout-availability: slokit governance apply P-1\n',
    )
    expect(board.stdout).toContain('SLOs missing documentation (1)\n  search-availability: owner\n')
    expect(board.stdout).toMatch(/Audit log: 7 entries, head 7:[0-9a-f]{12}…\n$/)
    const json = JSON.parse((await run('dashboard', '--json')).stdout)
    expect(json.openProposals[0].id).toBe('P-2')
  })

  it('reads without a store yet and without creating one; needs a governance section', async () => {
    const { run, store } = await project()
    expect((await run('list-slos')).code).toBe(0)
    expect(existsSync(store)).toBe(false)
    const { bare } = await tempFiles({ bare: CONFIG.slice(0, CONFIG.indexOf('governance:')) })
    const missing = await governance(['list-slos', '--config', bare as string])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain('has no `governance:` section')
  })

  it('reports an invalid governance section like any config problem, with file and line', async () => {
    const { broken } = await tempFiles({ broken: CONFIG.replace('minApprovals: 2', 'minApprovls: 2') })
    const result = await governance(['list-slos', '--config', broken as string])
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(
      /broken:35:\d+: error: governance\.approvals\.critical\.default\.minApprovls: unknown key \(did you mean `minApprovals`\?\)/,
    )
  })
})

describe('slokit governance audit verify', () => {
  it('exits 0 on an untouched store, printing the head to anchor later runs', async () => {
    const { run } = await busyProject()
    const result = await run('audit', 'verify')
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^✓ audit log intact: 6 entries, head 6:([0-9a-f]{64})\n$/)
    const head = /head (6:[0-9a-f]{64})/.exec(result.stdout)?.[1] as string
    expect((await run('audit', 'verify', '--expect-head', head)).code).toBe(0)
  })

  it('exits 1 naming the entry when any byte of an entry’s stored JSON is changed in the SQLite file', async () => {
    const { store, run } = await busyProject()
    const pristine = readFileSync(store)
    const db = new Database(store, { readonly: true })
    const rows = db
      .prepare('SELECT sequence, entry FROM slokit_governance_audit ORDER BY sequence')
      .all() as Array<{
      sequence: number
      entry: string
    }>
    db.close()
    expect(rows).toHaveLength(6)
    for (const row of rows) {
      const at = pristine.indexOf(Buffer.from(row.entry, 'utf8'))
      expect(at).toBeGreaterThan(0)
      const bytes = Buffer.from(pristine)
      const offset = at + Math.floor(Buffer.byteLength(row.entry) / 3)
      bytes[offset] = (bytes[offset] as number) ^ 0x20
      writeFileSync(store, bytes)
      const result = await run('audit', 'verify')
      expect(result.code, `entry ${row.sequence}`).toBe(1)
      expect(result.stderr).toMatch(new RegExp(`^✗ audit log .*: entry ${row.sequence} (edited|malformed): `))
    }
    writeFileSync(store, pristine)
    expect((await run('audit', 'verify')).code).toBe(0)
  })

  it('exits 1 naming a deleted entry, two swapped entries, and a truncated tail against its anchor', async () => {
    const { store, run } = await busyProject()
    const head = /head (6:[0-9a-f]{64})/.exec((await run('audit', 'verify')).stdout)?.[1] as string
    const pristine = `${store}.pristine`
    copyFileSync(store, pristine)

    let db = new Database(store)
    db.exec(
      'DROP TRIGGER slokit_governance_audit_no_delete; DELETE FROM slokit_governance_audit WHERE sequence = 3',
    )
    db.close()
    let result = await run('audit', 'verify')
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('entry 3 removed: entry 3 is missing: entry 2 is followed by entry 4')

    copyFileSync(pristine, store)
    db = new Database(store)
    db.exec('DROP TRIGGER slokit_governance_audit_no_update')
    const swap = db
      .prepare('SELECT entry FROM slokit_governance_audit WHERE sequence IN (2, 4) ORDER BY sequence')
      .all() as Array<{ entry: string }>
    db.prepare('UPDATE slokit_governance_audit SET entry = ? WHERE sequence = 2').run(swap[1]?.entry)
    db.prepare('UPDATE slokit_governance_audit SET entry = ? WHERE sequence = 4').run(swap[0]?.entry)
    db.close()
    result = await run('audit', 'verify', '--json')
    expect(result.code).toBe(1)
    expect(JSON.parse(result.stdout)).toMatchObject({
      ok: false,
      firstBad: { sequence: 2, reason: 'reordered' },
    })

    copyFileSync(pristine, store)
    db = new Database(store)
    db.exec(
      'DROP TRIGGER slokit_governance_audit_no_delete; DELETE FROM slokit_governance_audit WHERE sequence = 6',
    )
    db.close()
    expect((await run('audit', 'verify')).code).toBe(0)
    result = await run('audit', 'verify', '--expect-head', head)
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('entry 6 removed')
  })

  it('refuses to act on a tampered store, and needs a store to verify', async () => {
    const { store, run, path } = await busyProject()
    const db = new Database(store)
    db.exec(
      'DROP TRIGGER slokit_governance_audit_no_update; UPDATE slokit_governance_audit SET entry = replace(entry, \'"bob"\', \'"eve"\') WHERE sequence = 2',
    )
    db.close()
    const refused = await run('approve', 'P-1', '--as', 'dave')
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('error: The audit log failed verification at entry 2 (edited)')
    const none = await governance(['audit', 'verify', '--store', join(dirname(path), 'elsewhere.db')])
    expect(none).toMatchObject({ code: 1, stderr: expect.stringContaining('error: no governance store at') })
    expect((await governance(['audit', 'verify'])).code).toBe(2)
  })
})
