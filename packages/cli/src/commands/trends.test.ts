import { describe, expect, it } from 'vitest'
import type { CliIo } from '../io.js'
import { colorsFor } from '../output.js'
import { tempFiles } from '../test-support.js'
import { parseTrendWindow, trendsCommand } from './trends.js'

const CONFIG = `apiVersion: slokit/v1
slos:
  - id: api-availability
    service: api
    sli: { id: api-requests, kind: availability, measurement: { type: ratio } }
    objective: 99%
    window: 7d
`
const START = Date.UTC(2026, 10, 1)
/** 14 days of hourly counts: clean, then a steady 2 % errors (2× burn) over the last 3 days. */
const DATA = [
  'timestamp,sli,good,total',
  ...Array.from(
    { length: 14 * 24 },
    (_, h) =>
      `${new Date(START + h * 3_600_000).toISOString()},api-requests,${h >= 11 * 24 ? 980 : 1000},1000`,
  ),
].join('\n')

function captureIo(): { io: CliIo; out: () => string; err: () => string } {
  let stdout = ''
  let stderr = ''
  const io: CliIo = {
    stdout: { write: (text: string) => (stdout += text), isTTY: false },
    stderr: { write: (text: string) => (stderr += text), isTTY: false },
    env: {},
    now: () => 0,
  }
  return { io, out: () => stdout, err: () => stderr }
}

async function run(slo: string, options: Record<string, string | boolean> = {}) {
  const files = await tempFiles({ 'slo.yaml': CONFIG, 'data.csv': DATA })
  const { io, out, err } = captureIo()
  let code = 0
  try {
    await trendsCommand(
      slo,
      { config: [files['slo.yaml']!], data: files['data.csv']!, ...options },
      { io, colors: colorsFor(io, false) },
    )
  } catch (error) {
    if (!(error instanceof Error && 'exitCode' in error)) throw error
    code = (error as { exitCode: number }).exitCode
  }
  return { code, stdout: out(), stderr: err() }
}

describe('slokit trends', () => {
  it('prints sparklines, the trend and a forecast for a steady burn', async () => {
    const result = await run('api-availability', { window: '3d' })
    expect(result.code).toBe(0)
    const lines = result.stdout.split('\n')
    expect(lines[0]).toBe('api-availability (api, 99% over 1w)')
    expect(lines[1]).toBe('last 3d to 2026-11-15 00:00 UTC, evaluated every 1h (72 points)')
    // By hand: after 72 hours at 2 % errors the 7-day window (168,000 requests) holds 1,440 bad
    // ones: SLI 99.1429 %, 85.7 % of the 1 % budget spent. Each hour spends 20 / 1,680 = 1.19 %
    // more, so the 14.3 % left last 12 hours.
    expect(result.stdout).toMatch(/^SLI {5}[▁▂▃▄▅▆▇█]+ {2}99\.9881% → 99\.1429%$/m)
    expect(result.stdout).toMatch(/^budget {2}[▁▂▃▄▅▆▇█]+ {2}98\.8% → 14\.3%$/m)
    expect(result.stdout).toMatch(/^trend {5}degrading: -0\.29 pp\/day/m)
    expect(result.stdout).toMatch(
      /^forecast {2}budget runs out 2026-11-15 12:00 UTC, in 12h \(confidence 1\.00, fitted over 1d\)$/m,
    )
    expect(result.stdout).toMatch(/^health {4}at risk: /m)
  })

  it('accepts the seed spelling rolling_7d, and prints JSON with --json', async () => {
    const result = await run('api-availability', { window: 'rolling_7d', json: true })
    expect(result.code).toBe(0)
    const out = JSON.parse(result.stdout)
    expect(out).toMatchObject({ slo: 'api-availability', window: '1w', evaluations: 168, health: 'at_risk' })
    expect(out.trend.direction).toBe('degrading')
    expect(out.forecast.confidence).toBeGreaterThan(0.95)
  })

  it('names the known SLOs for an unknown one, and refuses a bad window', async () => {
    const unknown = await run('api')
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toBe('error: no SLO "api" in the config; known: api-availability\n')
    const bad = await run('api-availability', { window: 'last week' })
    expect(bad.code).toBe(2)
    expect((await run('api-availability', { window: '2h' })).code).toBe(2)
  })

  it('parses windows in both spellings', () => {
    expect(parseTrendWindow('7d')).toBe(7 * 86_400_000)
    expect(parseTrendWindow('rolling_7d')).toBe(7 * 86_400_000)
    expect(parseTrendWindow('rolling:36h')).toBe(36 * 3_600_000)
    expect(parseTrendWindow('weekly')).toBeUndefined()
  })
})
