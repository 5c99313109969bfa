import { describe, expect, it } from 'vitest'
import { runCli, tempFiles } from '../test-support.js'

const CONFIG = `apiVersion: slokit/v1
slos:
  - id: api-availability
    service: api
    sli: { id: api-requests, kind: availability, measurement: { type: ratio } }
    objective: 99.9%
    window: 30d
alerts:
  rules:
    - { name: burn, type: burn_rate }
`
const START = Date.UTC(2026, 10, 1)
const OUTAGE = START + 2 * 86_400_000 + 6 * 3_600_000
/** Three days of 5-minute counts (6,000 requests each, 0.02 % errors) with a one-hour total outage on day 3. */
const DATA = [
  'timestamp,sli,good,total',
  ...Array.from({ length: 3 * 288 }, (_, i) => {
    const t = START + i * 300_000
    const good = t >= OUTAGE && t < OUTAGE + 3_600_000 ? 0 : 5999
    return `${new Date(t).toISOString()},api-requests,${good},6000`
  }),
].join('\n')

async function backtest(...extra: string[]) {
  const files = await tempFiles({ 'slo.yaml': CONFIG, 'data.csv': DATA })
  return runCli(['backtest', '-c', files['slo.yaml']!, '-d', files['data.csv']!, ...extra])
}

describe('slokit backtest', () => {
  it("scores the config's rules against the outage in the data: the page detects it within one evaluation", async () => {
    const result = await backtest()
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    const lines = result.stdout.split('\n')
    expect(lines[0]).toMatch(/^Backtest of 1 alert rule on .*data\.csv$/)
    expect(lines[1]).toBe(
      '2026-11-02T00:00Z → 2026-11-04T00:00Z, evaluated every 5m (577 evaluations), 1 SLOs',
    )
    expect(lines[2]).toBe(
      "1 significant event: stretches burning faster than allowed that spent ≥ 2% of an SLO's budget",
    )
    expect(lines[4]).toMatch(
      /^rule +tier +fired +precision +recall +detection mean \/ max +reset mean \/ max$/,
    )
    expect(lines.find((l) => l.startsWith('burn  page'))).toMatch(/^burn +page +1 +100% +100% +5m \/ 5m /)
  })

  it('prints the scores, episodes and events as JSON', async () => {
    const result = await backtest('--json', '--step', '1m')
    const report = JSON.parse(result.stdout)
    expect(report.events).toEqual([{ sloId: 'api-availability', startMs: OUTAGE, endMs: OUTAGE + 3_600_000 }])
    const page = report.scores.find((s: { tier: string }) => s.tier === 'page')
    expect(page).toMatchObject({ rule: 'burn', precision: 1, recall: 1 })
    // The data comes in 5-minute points: the first point of the outage shows at OUTAGE + 5m.
    expect(page.detectionTimeMs.max).toBeLessThanOrEqual(5 * 60_000)
    expect(report.defaultRules).toBe(false)
  })

  it('backtests the SRE Workbook rules when the config has none, and says so', async () => {
    const files = await tempFiles({
      'slo.yaml': CONFIG.slice(0, CONFIG.indexOf('alerts:')),
      'data.csv': DATA,
    })
    const result = await runCli(['backtest', '-c', files['slo.yaml']!, '-d', files['data.csv']!])
    expect(result.stdout).toContain('(the SRE Workbook defaults: the config has none)')
    expect(result.stdout).toMatch(/burn-rate +page +1 +100% +100%/)
  })

  it('refuses bad options with exit code 2 and a reason', async () => {
    for (const [flag, value, message] of [
      ['--step', 'often', '--step "often" is not a duration'],
      ['--significant', '200%', '--significant "200%" is not a percentage'],
      ['--from', 'yesterday', '--from "yesterday" is not a time'],
      ['--from', '2027-01-01', 'nothing to evaluate between'],
    ] as const) {
      const result = await backtest(flag, value)
      expect(result.code).toBe(2)
      expect(result.stderr).toContain(message)
    }
  })
})
