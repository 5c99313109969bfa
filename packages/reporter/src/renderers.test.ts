import { computeStatus, DAY_MS, HOUR_MS, parseSlo, type SloStatus, windowRange } from '@slokit/core'
import { describe, expect, it } from 'vitest'
import { buildReport } from './build-report.js'
import { dashboardData } from './dashboard-data.js'
import { lttb } from './downsample.js'
import { renderReport, reportDigest } from './render-report.js'
import type { SeriesPoint } from './report.js'
import type { StatusSnapshot } from './snapshot.js'
import { sparkline } from './sparkline.js'
import { toHTML } from './to-html.js'
import { toJSON } from './to-json.js'
import { toMarkdown } from './to-markdown.js'

const NOW = Date.UTC(2026, 10, 1)
const hostile = parseSlo({
  id: 'evil',
  name: '<script>alert(1)</script> | *bold* [link](javascript:x)',
  service: 'svc<img src=x onerror=alert(1)>',
  sli: { id: 'evil-requests', kind: 'availability', measurement: { type: 'ratio' } },
  objective: '99%',
  window: '30d',
  runbookUrl: 'javascript:alert(1)',
  dashboardUrl: 'https://grafana.example.com/d/x?a=1&b=2',
})

function status(good: number, total: number, now = NOW): SloStatus {
  return computeStatus({
    slo: hostile,
    now,
    range: windowRange(hostile.window, now),
    window: { good, total },
    burnWindowsMs: [HOUR_MS],
    burnTallies: [good, total],
    coverage: 1,
    lastDataMs: now,
    staleAfterMs: 300_000,
    minCoverage: 0.95,
  })
}

const history: StatusSnapshot[] = Array.from({ length: 48 }, (_, i) => ({
  sloId: 'evil',
  atMs: NOW - (48 - i) * HOUR_MS,
  sli: 0.995 - i * 0.00001,
  objective: 0.99,
  budgetRemaining: 0.5 - i * 0.001,
  state: 'ok',
}))
const report = buildReport({
  statuses: [status(995, 1000)],
  history,
  period: { startMs: NOW - 2 * DAY_MS, endMs: NOW },
  slos: [hostile],
  options: { timeZone: 'Europe/Berlin' },
})

describe('renderers', () => {
  it('HTML escapes everything from the config and links only http(s) URLs', () => {
    const html = toHTML(report)
    expect(html).not.toContain('<script>')
    expect(html).not.toContain('<img')
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(html).not.toContain('javascript:alert')
    expect(html).toContain('href="https://grafana.example.com/d/x?a=1&amp;b=2"')
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`)
    expect(html).not.toMatch(/<(script|img|link|iframe|object|embed)\b|@import|url\(/i)
  })

  it('Markdown escapes table pipes, emphasis and HTML', () => {
    const md = toMarkdown(report)
    expect(md).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(md).not.toContain('<script>')
    expect(md).toContain('\\| \\*bold\\* \\[link\\](javascript:x)')
    expect(md).not.toContain('[runbook](javascript')
    expect(md).toContain('[dashboard](https://grafana.example.com/d/x?a=1&b=2)')
    // Every table row has as many cells as its header.
    for (const block of md.split('\n\n').filter((b) => b.startsWith('| '))) {
      const rows = block
        .trim()
        .split('\n')
        .map((row) => row.replace(/\\\|/g, '').split('|').length)
      expect(new Set(rows).size).toBe(1)
    }
  })

  it('shows times in the report time zone', () => {
    expect(toMarkdown(report)).toContain(
      '**Period:** 2026-10-30 01:00 Europe/Berlin – 2026-11-01 01:00 Europe/Berlin (2d)',
    )
  })

  it('leaves out the parts not included', () => {
    const md = toMarkdown(report, { include: ['summary'] })
    expect(md).toContain('## Summary')
    expect(md).not.toContain('## Objectives')
    expect(md).not.toContain('| Burn rate |')
    const html = toHTML(report, { include: ['summary', 'budgets'] })
    expect(html.match(/<svg class="chart"/g)).toBeNull() // no `charts` part
    expect(toHTML(report, { include: ['budgets', 'charts'] }).match(/<svg class="chart"/g)).toHaveLength(1)
  })

  it('renderReport dispatches on the format, and the digest reads as a message', () => {
    expect(renderReport(report, 'json')).toBe(toJSON(report))
    expect(renderReport(report, 'markdown')).toBe(toMarkdown(report))
    expect(renderReport(report, 'html')).toBe(toHTML(report))
    const digest = reportDigest(report)
    expect(digest.title).toBe(
      'SLO compliance report: 2026-10-30 01:00 Europe/Berlin – 2026-11-01 01:00 Europe/Berlin (2d)',
    )
    expect(digest.body.split('\n')[0]).toBe(report.summary.headline)
    expect(digest.details).toMatchObject({ slos: 1, met: 1 })
  })

  it('dashboard data is flat and small', () => {
    const data = dashboardData(report, { sparklinePoints: 12 })
    expect(data.slos[0]).toMatchObject({
      id: 'evil',
      health: report.slos[0]?.health,
      burnRates: { '1h': 0.5 },
    })
    expect(data.slos[0]?.budgetSparkline).toHaveLength(12)
    expect(data.slos[0]?.budgetSparkline.every((v) => v === null || (v > 0.4 && v <= 0.5))).toBe(true)
    expect(JSON.stringify(data).length).toBeLessThan(1500)
  })
})

describe('sparkline', () => {
  it('scales values into eight levels', () => {
    expect(sparkline([1, 2, 3, 4, 5, 6, 7, 8])).toBe('▁▂▃▄▅▆▇█')
    expect(sparkline([5, 5, 5])).toBe('▄▄▄')
    expect(sparkline([])).toBe('')
    expect(sparkline([0, Number.NaN, 1])).toBe('▁█')
    expect(
      sparkline(
        Array.from({ length: 100 }, (_, i) => i),
        10,
      ),
    ).toHaveLength(10)
  })
})

describe('lttb', () => {
  it('keeps the ends and the spikes, and at most the threshold', () => {
    const points: SeriesPoint[] = Array.from({ length: 10_000 }, (_, i) => [
      i,
      i === 5_000 ? -100 : Math.sin(i / 500),
    ])
    const out = lttb(points, 100)
    expect(out).toHaveLength(100)
    expect(out[0]).toEqual(points[0])
    expect(out[99]).toEqual(points[9_999])
    expect(out).toContainEqual([5_000, -100])
    expect(lttb(points.slice(0, 50), 100)).toHaveLength(50)
  })
})
