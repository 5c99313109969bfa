import { spawnSync } from 'node:child_process'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  createFreezeController,
  evaluatePolicy,
  FileFreezeStore,
  type PolicyDecision,
  policiesSectionSchema,
} from '@slokit/budget'
import { HOUR_MS, SlokitError } from '@slokit/core'
import { describe, expect, it } from 'vitest'
import { manualClock, statusWith, testSlo } from './test-support.js'

const slo = testSlo()
const section = policiesSectionSchema.parse({
  tiers: {
    critical: [
      {
        name: 'notify',
        when: { budgetRemainingBelow: 0.5 },
        actions: [{ notify: { channels: ['slack-sre'] } }],
      },
      {
        name: 'freeze',
        when: { budgetRemainingBelow: 0.25 },
        actions: [{ freeze_deployments: { allow: ['fix', 'rollback'], unfreezeAbove: 0.4 } }],
      },
    ],
  },
})
const policy = section.tiers.critical!
const decide = (remaining: number | null, target = slo): PolicyDecision =>
  evaluatePolicy('critical', policy, target, statusWith(target, remaining))

describe('createFreezeController', () => {
  it('freezes on a policy decision and lets only the allowed change types through', async () => {
    const freezes = createFreezeController({ clock: manualClock() })
    const transitions = await freezes.apply([decide(0.2)])
    expect(transitions.map((t) => [t.kind, t.frozen])).toEqual([
      ['cause_added', true],
      ['entered', true],
    ])
    expect(transitions[1]?.reason).toBe(
      'deployments frozen: checkout-availability: budget remaining 20% < 50%; budget remaining 20% < 25%',
    )
    expect(await freezes.isAllowed('checkout', 'fix')).toMatchObject({ allowed: true })
    expect(await freezes.isAllowed('checkout', 'feature')).toEqual({
      allowed: false,
      reason:
        'checkout is frozen (checkout-availability: budget remaining 20% < 50%; budget remaining 20% < 25%): only fix, rollback changes may ship',
    })
    expect(await freezes.isAllowed('search', 'feature')).toEqual({
      allowed: true,
      reason: 'search is not frozen',
    })
  })

  it('unfreezes only once the budget is back above the hysteresis level', async () => {
    const clock = manualClock()
    const freezes = createFreezeController({ clock })
    await freezes.apply([decide(0.2)])
    clock.advance(HOUR_MS)
    expect(await freezes.apply([decide(0.3)])).toEqual([]) // above the freeze threshold, below 40 %: still frozen
    expect(await freezes.apply([decide(null)])).toEqual([]) // no data never unfreezes
    clock.advance(HOUR_MS)
    const left = await freezes.apply([decide(0.45)])
    expect(left.map((t) => t.kind)).toEqual(['cause_removed', 'left'])
    expect(left[0]?.reason).toBe('checkout-availability: budget recovered to 45% (above 40%) after 2h frozen')
    expect((await freezes.state('checkout')).frozen).toBe(false)
  })

  it('allows only what every cause allows, and stays frozen until the last cause leaves', async () => {
    const freezes = createFreezeController({ clock: manualClock() })
    const strict = policiesSectionSchema.parse({
      tiers: {
        x: [
          {
            when: { budgetRemainingBelow: 0.1 },
            actions: [{ freeze_deployments: { allow: ['rollback'], unfreezeAbove: 0.2 } }],
          },
        ],
      },
    }).tiers.x!
    const latency = testSlo({ id: 'checkout-latency' })
    await freezes.apply([decide(0.2), evaluatePolicy('x', strict, latency, statusWith(latency, 0.05))])
    expect((await freezes.state('checkout')).allow).toEqual(['rollback'])
    const transitions = await freezes.apply([decide(0.9)])
    expect(transitions.map((t) => t.kind)).toEqual(['cause_removed'])
    expect((await freezes.state('checkout')).frozen).toBe(true)
  })

  it('lets a manual override win until it expires, with who and why', async () => {
    const clock = manualClock()
    const freezes = createFreezeController({ clock })
    await freezes.apply([decide(0.2)])
    const set = await freezes.override('checkout', {
      frozen: false,
      by: 'alice',
      reason: 'security patch must ship',
      expiresAtMs: clock.now() + HOUR_MS,
    })
    expect(set.map((t) => t.kind)).toEqual(['override_set', 'left'])
    expect(set[0]).toMatchObject({
      by: 'alice',
      reason: 'unfrozen by alice until 2026-11-01T01:00:00.000Z: security patch must ship',
    })
    expect((await freezes.isAllowed('checkout', 'feature')).allowed).toBe(true)
    clock.advance(2 * HOUR_MS)
    expect((await freezes.isAllowed('checkout', 'feature')).allowed).toBe(false) // the override expired; the policy freeze holds
    expect((await freezes.history('checkout')).map((t) => t.kind)).toEqual([
      'cause_added',
      'entered',
      'override_set',
      'left',
      'override_expired',
      'entered',
    ])
  })
})

describe('FileFreezeStore', () => {
  it('keeps freezes and overrides across a process restart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'slokit-freeze-'))
    const path = join(dir, 'freeze.json')
    const child = fileURLToPath(new URL('./freeze-restart.fixture.ts', import.meta.url))
    const run = (step: string) =>
      spawnSync(process.execPath, ['--import', 'tsx', '--conditions', '@slokit/source', child, path, step], {
        encoding: 'utf8',
        cwd: fileURLToPath(new URL('..', import.meta.url)),
      })
    const written = run('write')
    expect(written.stderr).toBe('')
    expect(written.status).toBe(0)
    const read = run('read')
    expect(read.status).toBe(0)
    expect(JSON.parse(read.stdout)).toEqual({
      checkout: { frozen: true, allow: ['fix', 'rollback'], causes: ['checkout-availability'] },
      search: { frozen: true, allow: ['rollback'], override: { by: 'bob', reason: 'vendor outage' } },
      history: ['cause_added', 'entered', 'override_set', 'entered'],
    })
  }, 60_000)

  it('reports a corrupt file instead of starting from nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'slokit-freeze-'))
    const path = join(dir, 'freeze.json')
    await writeFile(path, '{"version": 1, "services": ')
    const freezes = createFreezeController({ store: new FileFreezeStore(path) })
    await expect(freezes.state('checkout')).rejects.toThrow(SlokitError)
    await expect(freezes.state('checkout')).rejects.toThrow(/not valid JSON/)
  })

  it('writes atomically: the file is always a whole snapshot', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'slokit-freeze-'))
    const store = new FileFreezeStore(join(dir, 'freeze.json'))
    const freezes = createFreezeController({ store, clock: manualClock() })
    await Promise.all([
      freezes.apply([decide(0.2)]),
      freezes.override('search', { frozen: true, by: 'a', reason: 'b' }),
      freezes.apply([decide(0.9)]),
    ])
    const saved = JSON.parse(await readFile(store.path, 'utf8'))
    expect(saved.version).toBe(1)
    expect(Object.keys(saved.services).sort()).toEqual(['checkout', 'search'])
  })
})
