import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { CliIo } from '../io.js'
import { colorsFor } from '../output.js'
import { tempFiles } from '../test-support.js'
import { reportCommand } from './report.js'

const CONFIG = `apiVersion: slokit/v1
slis:
  - { id: api-requests, kind: availability, measurement: { type: ratio } }
  - { id: web-requests, kind: availability, measurement: { type: ratio } }
slos:
  - { id: api-availability, name: API answers, service: api, sli: api-requests, objective: 99%, window: 7d, priority: critical }
  - { id: web-availability, service: web, sli: web-requests, objective: 99%, window: 7d }
policies:
  tiers:
    critical:
      - { when: { budgetRemainingBelow: 50% }, actions: [ { freeze_deployments: { allow: [fix] } } ] }
`
const START = Date.UTC(2026, 10, 1)
/**
 * 14 days of hourly counts. api: 0.2 % errors, then 4 % errors over the last 2 days (a burn that
 * spends the 1 % budget of its 7-day window); web: 0.1 % errors throughout.
 */
const DATA = [
  'timestamp,sli,good,total',
  ...Array.from({ length: 14 * 24 }, (_, h) => {
    const t = new Date(START + h * 3_600_000).toISOString()
    const apiBad = h >= 12 * 24 ? 40 : 2
    return `${t},api-requests,${1000 - apiBad},1000\n${t},web-requests,999,1000`
  }),
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

async function run(options: Partial<Parameters<typeof reportCommand>[0]>) {
  const files = await tempFiles({ 'slo.yaml': CONFIG, 'data.csv': DATA })
  const { io, out, err } = captureIo()
  let code = 0
  try {
    await reportCommand(
      { config: [files['slo.yaml']!], data: files['data.csv']!, ...options },
      { io, colors: colorsFor(io, false) },
    )
  } catch (error) {
    if (!(error instanceof Error && 'exitCode' in error)) throw error
    code = (error as { exitCode: number }).exitCode
  }
  return { code, stdout: out(), stderr: err(), dir: join(files['slo.yaml']!, '..') }
}

describe('slokit report', () => {
  it('writes a self-contained HTML report to -o, the format following the extension', async () => {
    const first = await run({ days: '7' })
    const output = join(first.dir, 'out', 'report.html')
    const result = await run({ days: '7', output })
    expect(result.code).toBe(0)
    const html = await readFile(output, 'utf8')
    expect(html.startsWith('<!doctype html>')).toBe(true)
    expect(html.match(/<svg class="chart"/g)).toHaveLength(6)
    expect(result.stderr).toMatch(
      /^✓ wrote .*report\.html \(html, \d+ KiB\): 2 SLOs, 1 met, 1 breached — 7d evaluated every 1h in 0\.0s\n$/,
    )
  })

  it('replays the history hourly and the config policies into a JSON report', async () => {
    const result = await run({ days: '7', format: 'json' })
    expect(result.code).toBe(0)
    const report = JSON.parse(result.stdout)
    expect(report).toMatchObject({ kind: 'slokit.report', schemaVersion: 1 })
    expect(report.period).toEqual({ startMs: START + 7 * 86_400_000, endMs: START + 14 * 86_400_000 })
    const api = report.slos.find((s: { sloId: string }) => s.sloId === 'api-availability')
    expect(api.historyPoints).toBe(7 * 24)
    expect(api.met).toBe(false)
    expect(api.breaches).toHaveLength(1)
    expect(api.policy.decisions.map((d: { state: string }) => d.state)).toEqual(['alert'])
    expect(report.services.find((s: { service: string }) => s.service === 'api').frozen).toBe(true)
    expect(report.slos.find((s: { sloId: string }) => s.sloId === 'web-availability').health).toBe('healthy')
  })

  it('prints Markdown to stdout by default', async () => {
    const result = await run({ days: '7', step: '6h', title: 'Weekly review' })
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^# Weekly review\n/)
    expect(result.stdout).toContain('| `api-availability` | api | ❌ breached |')
    expect(result.stderr).toBe('')
  })

  it('refuses bad options with exit code 2, and unreadable data with 1', async () => {
    expect((await run({ format: 'pdf' })).stderr).toBe('error: --format "pdf": use json, markdown, html\n')
    expect((await run({ days: '0' })).code).toBe(2)
    expect((await run({ step: 'hourly' })).stderr).toContain('--step "hourly" is not a duration')
    expect((await run({ days: '1', step: '2d' })).code).toBe(2)
    expect((await run({ at: 'yesterday' })).code).toBe(2)
    expect((await run({ timeZone: 'Mars/Base' })).stderr).toContain(
      '`options.timeZone` "Mars/Base" is not an IANA time zone',
    )
    const missing = await run({ data: '/nonexistent/data.csv' })
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain('[slokit/file-source] Cannot read /nonexistent/data.csv')
  })

  it('reports on the example configuration and its sample data', async () => {
    const examples = fileURLToPath(new URL('../../../../examples/config/', import.meta.url))
    const { io, out } = captureIo()
    await reportCommand(
      {
        config: [join(examples, 'slo-definitions.yaml')],
        data: join(examples, 'sample-data.csv'),
        days: '7',
        format: 'json',
      },
      { io, colors: colorsFor(io, false) },
    )
    const report = JSON.parse(out())
    expect(report.slos.length).toBeGreaterThan(5)
    expect(report.summary.headline).toMatch(/SLOs? meets? /)
  })
})
