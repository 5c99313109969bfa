import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { beforeAll, describe, expect, it } from 'vitest'
import { buildReport } from './build-report.js'
import { dashboardData } from './dashboard-data.js'
import type { Report } from './report.js'
import { scenarioData } from './test/scenario.js'
import { toJSON } from './to-json.js'
import { toMarkdown } from './to-markdown.js'

// Golden files: the JSON and Markdown of a fixed scenario, compared byte for byte. After a change
// that is meant to alter them, regenerate with `UPDATE_GOLDEN=1 pnpm vitest run src/golden.test.ts`
// (from packages/reporter) and review the diff like code.
const GOLDEN = new URL('./__golden__/', import.meta.url)
const update = process.env.UPDATE_GOLDEN === '1'

async function matchGolden(name: string, actual: string): Promise<void> {
  // `.golden` keeps formatters away: the files must stay exactly as the renderers wrote them.
  const file = new URL(`${name}.golden`, GOLDEN)
  if (update) {
    await mkdir(GOLDEN, { recursive: true })
    await writeFile(file, actual)
    return
  }
  let expected: string
  try {
    expected = await readFile(file, 'utf8')
  } catch {
    throw new Error(`golden file ${name} is missing: run UPDATE_GOLDEN=1 vitest run src/golden.test.ts`)
  }
  // One assertion on the whole text: vitest prints a line diff on mismatch.
  expect(actual, `${name} differs from the golden file (UPDATE_GOLDEN=1 to accept the change)`).toBe(expected)
}

describe('golden report of the October scenario', () => {
  let report: Report
  beforeAll(async () => {
    const data = await scenarioData()
    report = buildReport({
      ...data,
      options: { title: 'Checkout and payments — October 2026', chartPoints: 48 },
    })
  })

  it('JSON is stable', async () => {
    await matchGolden('report.json', toJSON(report))
  })

  it('Markdown is stable', async () => {
    await matchGolden('report.md', toMarkdown(report))
  })

  it('dashboard data is stable', async () => {
    await matchGolden('dashboard.json', `${JSON.stringify(dashboardData(report), null, 2)}\n`)
  })

  it('says what happened in the scenario', () => {
    const byId = new Map(report.slos.map((s) => [s.sloId, s]))
    expect(report.summary.status).toBe('breached')
    expect(byId.get('checkout-availability-strict')?.health).toBe('breached')
    expect(byId.get('checkout-availability')).toMatchObject({ health: 'at_risk', met: true })
    expect(byId.get('checkout-availability')?.forecast?.confidence).toBeGreaterThan(0.9)
    expect(byId.get('payments-authorizations')).toMatchObject({ health: 'healthy', forecast: null })
    expect(byId.get('checkout-latency')?.budget?.allowedMinutes).toBeCloseTo(432, 9)
    expect(report.overall.atRisk.map((a) => a.sloId)).toEqual(['checkout-availability'])
    expect(report.services.map((s) => [s.service, s.frozen])).toEqual([
      ['checkout', true],
      ['payments', null],
    ])
    // The JSON form is the model: it parses back to the same data (numbers to 10 digits).
    const parsed = JSON.parse(toJSON(report)) as Report
    expect(parsed.slos.map((s) => s.sloId)).toEqual(report.slos.map((s) => s.sloId))
    expect(parsed.kind).toBe('slokit.report')
    expect(parsed.schemaVersion).toBe(1)
  })
})
