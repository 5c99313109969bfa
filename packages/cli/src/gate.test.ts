import {
  createFreezeController,
  evaluatePolicy,
  FileFreezeStore,
  policiesSectionSchema,
} from '@slokit/budget'
import { computeStatus, parseSlo, windowRange } from '@slokit/core'
import { describe, expect, it } from 'vitest'
import { runCli, tempFiles } from './test-support.js'

const CONFIG = `apiVersion: slokit/v1
slis:
  - { id: checkout-requests, kind: availability, measurement: { type: ratio } }
  - { id: search-requests, kind: availability, measurement: { type: ratio } }
slos:
  - { id: checkout-availability, service: checkout, sli: checkout-requests, objective: 99%, window: 1d, priority: critical }
  - { id: search-availability, service: search, sli: search-requests, objective: 99%, window: 1d, priority: high }
policies:
  gate: { warnBelow: 50%, failBelow: 0 }
  corrections:
    - { name: drill, reason: failover drill, slos: [checkout-availability], start: "2026-11-26T05:00:00Z", duration: 1h }
`
const START = Date.UTC(2026, 10, 26)
// checkout: 10 bad of 1,000 an hour except 300 bad in hour 5 (the drill, excluded): 24 % of the
// 1 % budget used → pass. search: 7 bad of 1,000 an hour: 70 % of the budget used → warn.
const DATA = [
  'timestamp,sli,good,total',
  ...Array.from(
    { length: 24 },
    (_, h) =>
      `${new Date(START + h * 3_600_000).toISOString()},checkout-requests,${h === 5 ? 700 : 1000 - (h % 4 === 0 ? 1 : 0)},1000`,
  ),
  ...Array.from(
    { length: 24 },
    (_, h) => `${new Date(START + h * 3_600_000).toISOString()},search-requests,993,1000`,
  ),
].join('\n')
const AT = '2026-11-27T00:00:00Z'

async function files() {
  return tempFiles({ 'slo.yaml': CONFIG, 'data.csv': DATA })
}

describe('slokit gate', () => {
  it('passes (exit 0) and prints the JSON verdict, leaving out the corrected hour', async () => {
    const f = await files()
    const result = await runCli([
      'gate',
      '-c',
      f['slo.yaml']!,
      '-s',
      'checkout',
      '-d',
      f['data.csv']!,
      '--at',
      AT,
    ])
    expect(result.code).toBe(0)
    const verdict = JSON.parse(result.stdout)
    expect(verdict).toMatchObject({
      result: 'pass',
      service: 'checkout',
      changeType: null,
      evaluatedAt: '2026-11-27T00:00:00.000Z',
    })
    expect(verdict.objectives[0]).toMatchObject({ slo: 'checkout-availability', status: 'pass' })
    expect(verdict.objectives[0].value).toBeCloseTo(1 - 6 / 23_000, 12) // 6 bad of 23,000 outside the drill
    expect(result.stderr).toMatch(/^PASS checkout: every objective passes\n$/)
  })

  it('warns with exit code 0, or the code given with --warn-exit-code', async () => {
    const f = await files()
    const args = ['gate', '-c', f['slo.yaml']!, '-s', 'search', '-d', f['data.csv']!, '--at', AT]
    const relaxed = await runCli(args)
    expect(relaxed.code).toBe(0)
    expect(JSON.parse(relaxed.stdout).result).toBe('warn')
    expect((await runCli([...args, '--warn-exit-code', '3'])).code).toBe(3)
  })

  it('fails (exit 1) when the data source cannot be read, unless --fail-open', async () => {
    const f = await files()
    const args = ['gate', '-c', f['slo.yaml']!, '-s', 'checkout', '-d', '/nonexistent/data.csv', '--at', AT]
    const closed = await runCli(args)
    expect(closed.code).toBe(1)
    expect(JSON.parse(closed.stdout).reasons[0]).toMatch(
      /^the data source could not be read: \[slokit\/file-source\] Cannot read/,
    )
    const open = await runCli([...args, '--fail-open'])
    expect(open.code).toBe(0)
    expect(JSON.parse(open.stdout).result).toBe('warn')
  })

  it('refuses changes a freeze does not allow, and lets the allowed ones through', async () => {
    const f = await files()
    const freezeState = `${f['slo.yaml']}.freeze.json`
    const slo = parseSlo({
      id: 'checkout-availability',
      service: 'checkout',
      sli: { id: 'x', kind: 'availability', measurement: { type: 'ratio' } },
      objective: 0.99,
      window: '1d',
    })
    const policy = policiesSectionSchema.parse({
      tiers: {
        critical: [
          {
            when: { budgetRemainingBelow: 0.5 },
            actions: [{ freeze_deployments: { allow: ['fix', 'rollback'] } }],
          },
        ],
      },
    }).tiers.critical!
    const now = Date.UTC(2026, 10, 27)
    const status = computeStatus({
      slo,
      now,
      range: windowRange(slo.window, now),
      window: { good: 980, total: 1000 },
      burnWindowsMs: [],
      burnTallies: [],
      coverage: 1,
      lastDataMs: now,
      staleAfterMs: Number.POSITIVE_INFINITY,
      minCoverage: 0,
    })
    await createFreezeController({
      store: new FileFreezeStore(freezeState),
      clock: { now: () => now },
    }).apply([evaluatePolicy('critical', policy, slo, status)])
    const args = [
      'gate',
      '-c',
      f['slo.yaml']!,
      '-s',
      'checkout',
      '-d',
      f['data.csv']!,
      '--at',
      AT,
      '--freeze-state',
      freezeState,
    ]
    const feature = await runCli([...args, '--change-type', 'feature'])
    expect(feature.code).toBe(1)
    expect(JSON.parse(feature.stdout).reasons[0]).toMatch(
      /^checkout is frozen .*: only fix, rollback changes may ship$/,
    )
    const fix = await runCli([...args, '--change-type', 'fix'])
    expect(fix.code).toBe(0)
    expect(JSON.parse(fix.stdout).reasons[0]).toMatch(/but fix changes are allowed$/)
  })

  it('rejects an unknown change type and a bad warn exit code as usage errors', async () => {
    const f = await files()
    const base = ['gate', '-c', f['slo.yaml']!, '-s', 'checkout', '-d', f['data.csv']!]
    expect((await runCli([...base, '--change-type', 'yolo'])).code).toBe(2)
    expect((await runCli([...base, '--warn-exit-code', 'x'])).code).toBe(2)
  })
})
