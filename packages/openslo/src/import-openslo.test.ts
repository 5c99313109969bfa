import { describe, expect, it } from 'vitest'
import { exportOpenSlo, importOpenSlo, isOpenSloText, OpenSloError, type OpenSloIssue } from './index.js'

const load = (text: string, name = 'slo.yaml') => importOpenSlo([{ name, text }])

function problems(text: string, name = 'slo.yaml'): OpenSloIssue[] {
  try {
    load(text, name)
  } catch (error) {
    expect(error).toBeInstanceOf(OpenSloError)
    return [...(error as OpenSloError).errors]
  }
  throw new Error('expected the import to fail')
}

const RATIO_SLO = `apiVersion: openslo/v1
kind: SLO
metadata:
  name: checkout-availability
  displayName: Checkout availability
  labels:
    team: [payments, checkout]
    tier: "1"
  annotations:
    slokit.dev/priority: critical
    slokit.dev/owner: payments-team
    docs: https://example.com/checkout
spec:
  description: Checkout requests succeed
  service: checkout
  indicator:
    metadata:
      name: checkout-requests
    spec:
      ratioMetric:
        counter: true
        good:
          metricSource:
            type: Prometheus
            spec:
              query: sum(rate(http_requests_total{job="checkout",code!~"5.."}[{{.window}}]))
        total:
          metricSource:
            type: Prometheus
            spec:
              query: sum(rate(http_requests_total{job="checkout"}[{{ .window }}]))
  timeWindow:
    - duration: 28d
      isRolling: true
  budgetingMethod: Occurrences
  objectives:
    - target: 0.999
`

describe('importOpenSlo — openslo/v1', () => {
  it('imports an SLO with an inline ratio indicator into slokit’s model', () => {
    const { slos, slis, warnings } = load(RATIO_SLO)
    expect(warnings).toEqual([])
    expect(slos).toEqual([
      {
        id: 'checkout-availability',
        name: 'Checkout availability',
        description: 'Checkout requests succeed',
        service: 'checkout',
        sli: {
          id: 'checkout-requests',
          kind: 'availability',
          measurement: {
            type: 'ratio',
            good: 'sum(rate(http_requests_total{job="checkout",code!~"5.."}[{{window}}]))',
            total: 'sum(rate(http_requests_total{job="checkout"}[{{window}}]))',
          },
          noData: 'ignore',
          labels: {},
        },
        objective: 0.999,
        window: { type: 'rolling', durationMs: 28 * 86_400_000 },
        budgetingMethod: 'occurrences',
        priority: 'critical',
        owner: 'payments-team',
        labels: { team: 'payments,checkout', tier: '1' },
        annotations: { docs: 'https://example.com/checkout' },
      },
    ])
    expect(slis.map((s) => s.id)).toEqual(['checkout-requests'])
  })

  it('resolves indicatorRef, DataSource types and metricSourceRef across files', () => {
    const sli = `apiVersion: openslo/v1
kind: SLI
metadata:
  name: search-latency
  annotations:
    slokit.dev/aggregation: p99
    slokit.dev/unit: ms
spec:
  thresholdMetric:
    metricSource:
      metricSourceRef: thanos
      spec:
        query: histogram_quantile(0.99, sum by (le) (rate(search_seconds_bucket[{{.window}}])))
---
apiVersion: openslo/v1
kind: DataSource
metadata:
  name: thanos
spec:
  type: Prometheus
  connectionDetails:
    url: http://thanos:9090
`
    const slo = `apiVersion: openslo/v1
kind: SLO
metadata:
  name: search-latency
spec:
  service: search
  indicatorRef: search-latency
  timeWindow:
    - duration: 1M
      isRolling: false
      calendar:
        startTime: "2024-01-01 00:00:00"
        timeZone: Europe/Berlin
  budgetingMethod: Timeslices
  objectives:
    - op: lte
      value: 300
      targetPercent: 99.5
      timeSliceWindow: 5m
`
    const result = importOpenSlo([
      { name: 'slo.yaml', text: slo },
      { name: 'sli.yaml', text: sli },
    ])
    // The connection details are not imported (nor echoed: they are often credentials).
    expect(result.warnings.map((w) => [w.limitation, w.file, w.line, w.message])).toEqual([
      [
        'DATA_SOURCE_CONNECTION',
        'sli.yaml',
        expect.any(Number),
        'connectionDetails are not imported: slokit reads the source through the SliSource the host wires (or the config’s `sources`)',
      ],
    ])
    expect(JSON.stringify(result.warnings)).not.toContain('thanos:9090')
    expect(result.dataSources).toEqual([{ name: 'thanos', type: 'Prometheus' }])
    const [imported] = result.slos
    expect(imported?.sli).toEqual({
      id: 'search-latency',
      kind: 'latency',
      measurement: {
        type: 'threshold',
        query: 'histogram_quantile(0.99, sum by (le) (rate(search_seconds_bucket[{{window}}])))',
        aggregation: 'p99',
        comparison: '<=',
        threshold: 300,
        unit: 'ms',
      },
      noData: 'ignore',
      source: 'thanos',
      labels: {},
    })
    expect(imported?.objective).toBe(0.995)
    expect(imported?.window).toEqual({ type: 'calendar', unit: 'month', timeZone: 'Europe/Berlin' })
    expect(imported?.budgetingMethod).toBe('timeslices')
    expect(imported?.timeslice).toEqual({ lengthMs: 300_000, objective: undefined })
    expect(result.originOf('search-latency')).toEqual({ file: 'slo.yaml', line: 1, column: 1 })
    expect(result.originOf('search-latency', 'sli')).toEqual({ file: 'sli.yaml', line: 1, column: 1 })
  })

  it('maps Timeslices on a ratio SLI to a slice objective, RatioTimeslices to ratio_timeslices', () => {
    const text = (method: string, extra: string) =>
      RATIO_SLO.replace('budgetingMethod: Occurrences', `budgetingMethod: ${method}`).replace(
        '    - target: 0.999\n',
        `    - target: 0.999\n${extra}`,
      )
    const timeslices = load(text('Timeslices', '      timeSliceTarget: 0.95\n      timeSliceWindow: 1m\n'))
      .slos[0]
    expect([timeslices?.budgetingMethod, timeslices?.timeslice]).toEqual([
      'timeslices',
      { lengthMs: 60_000, objective: 0.95 },
    ])
    const ratio = load(text('RatioTimeslices', '      timeSliceWindow: 2m\n')).slos[0]
    expect([ratio?.budgetingMethod, ratio?.timeslice]).toEqual(['ratio_timeslices', { lengthMs: 120_000 }])
    // A bare number is minutes, as the spec reads it.
    const minutes = load(text('RatioTimeslices', '      timeSliceWindow: 5\n')).slos[0]
    expect(minutes?.timeslice).toEqual({ lengthMs: 300_000 })
  })

  it('points at the calendar `timeZone` slokit does not know, not at the window', () => {
    const zoned = RATIO_SLO.replace(
      '    - duration: 28d\n      isRolling: true\n',
      '    - duration: 1M\n      calendar: { startTime: 2024-01-01 00:00:00, timeZone: Mars/Olympus }\n',
    )
    let error: unknown
    try {
      load(zoned)
    } catch (thrown) {
      error = thrown
    }
    expect(error).toBeInstanceOf(OpenSloError)
    const { line, column } = zoned
      .split('\n')
      .reduce(
        (found, text, i) =>
          text.includes('Mars/Olympus') ? { line: i + 1, column: text.indexOf('Mars') + 1 } : found,
        { line: 0, column: 0 },
      )
    expect((error as OpenSloError).errors.map((i) => [i.line, i.column, i.message])).toEqual([
      [line, column, 'unknown time zone "Mars/Olympus"'],
    ])
  })

  it('says a counter query that does not count its window, and a threshold slice target, are not kept', () => {
    const counter = RATIO_SLO.replaceAll('[{{.window}}]', '').replaceAll('[{{ .window }}]', '')
    const warned = load(counter).warnings.map((w) => [w.limitation, w.path.join('.')])
    expect(warned).toEqual([['RATIO_COUNTER', 'spec.indicator.spec.ratioMetric.counter']])
    const threshold = `apiVersion: openslo/v1
kind: SLO
metadata: { name: lag }
spec:
  service: kafka
  indicator:
    metadata: { name: lag }
    spec:
      thresholdMetric: { metricSource: { type: Prometheus, spec: { query: 'max(lag)' } } }
  timeWindow: [{ duration: 7d, isRolling: true }]
  budgetingMethod: Timeslices
  objectives: [{ op: lte, value: 100, target: 0.99, timeSliceTarget: 0.95, timeSliceWindow: 1m }]
`
    // "At least 95 % of a slice's values are <= 100" is exactly slokit's nearest-rank p95 <= 100.
    const exact = load(threshold)
    expect(exact.warnings).toEqual([])
    expect(exact.slos[0]?.sli.measurement).toMatchObject({
      aggregation: 'p95',
      comparison: '<=',
      threshold: 100,
    })
    expect(exact.slos[0]?.timeslice).toEqual({ lengthMs: 60_000, objective: undefined })
    const every = load(threshold.replace('op: lte', 'op: gte').replace('0.95', '1'))
    expect(every.slos[0]?.sli.measurement).toMatchObject({ aggregation: 'min', comparison: '>=' })
    // 0.8 has no slokit aggregation: the slice is judged on its average, and the warning says so.
    const imported = load(threshold.replace('timeSliceTarget: 0.95', 'timeSliceTarget: 0.8'))
    expect(imported.slos[0]?.sli.measurement).toMatchObject({ aggregation: 'avg' })
    expect(imported.warnings.map((w) => [w.limitation, w.line, w.message])).toEqual([
      [
        'THRESHOLD_SLICE_TARGET',
        12,
        'timeSliceTarget 0.8 is not applied: a slokit slice is good when its avg value is lte 100, not when a share of its data points is',
      ],
    ])
    // The export writes timeSliceTarget where an aggregation means one, so it reads back the same.
    expect(exportOpenSlo({ slos: exact.slos })).toContain('timeSliceTarget: 0.95')
    expect(importOpenSlo([{ name: 'x.yaml', text: exportOpenSlo({ slos: exact.slos }) }]).slos).toEqual(
      exact.slos,
    )
  })

  it('imports bad/total and raw Prometheus ratios (raw as the ratio over a constant 1)', () => {
    const bad = RATIO_SLO.replace('        good:\n', '        bad:\n')
    expect(load(bad).slos[0]?.sli.measurement).toEqual({
      type: 'ratio',
      bad: 'sum(rate(http_requests_total{job="checkout",code!~"5.."}[{{window}}]))',
      total: 'sum(rate(http_requests_total{job="checkout"}[{{window}}]))',
    })
    const raw = `apiVersion: openslo/v1
kind: SLI
metadata: { name: wifi }
spec:
  ratioMetric:
    rawType: failure
    raw:
      metricSource:
        type: Prometheus
        spec: { query: "error_ratio[{{.window}}]" }
`
    expect(load(raw).slis[0]?.measurement).toEqual({
      type: 'ratio',
      bad: 'error_ratio[{{window}}]',
      total: '(error_ratio[{{window}}]) * 0 + 1',
    })
  })

  it('keeps a non-Prometheus query as written, the type naming the source', () => {
    const datadog = RATIO_SLO.replaceAll('type: Prometheus', 'type: Datadog')
    const sli = load(datadog).slos[0]?.sli
    expect(sli?.source).toBe('Datadog')
    expect(sli?.measurement).toMatchObject({ good: expect.stringContaining('{{.window}}') })
  })

  it('reports every problem at once, each with file, line, column and path', () => {
    const text = `apiVersion: openslo/v1
kind: SLO
metadata:
  name: broken
spec:
  service: web
  indicatorRef: missing-sli
  timeWindow:
    - duration: 30d
      isRolling: true
  budgetingMethod: Sometimes
  objectives:
    - target: 1.5
      tagret: 0.9
`
    const issues = problems(text)
    expect(issues.map((i) => [i.line, i.column, i.path.join('.'), i.message])).toEqual([
      [7, 17, 'spec.indicatorRef', 'unknown SLI `missing-sli`'],
      [
        11,
        20,
        'spec.budgetingMethod',
        'unknown budgeting method "Sometimes": one of Occurrences, Timeslices, RatioTimeslices',
      ],
      [14, 7, 'spec.objectives.0.tagret', 'unknown key'],
    ])
    expect(issues[0]?.hint).toBe('no SLIs are defined')
  })

  it('reports a core validation problem at the OpenSLO field it came from', () => {
    const issues = problems(RATIO_SLO.replace('target: 0.999', 'target: 99.9'), 'x.yaml')
    expect(issues).toEqual([
      expect.objectContaining({
        file: 'x.yaml',
        line: 37,
        column: 15,
        hint: 'did you mean "99.9%"?',
        path: ['spec', 'objectives', 0, 'target'],
        message: expect.stringContaining('invalid objective 99.9'),
      }),
    ])
  })

  it.each([
    [
      'composite SLOs',
      RATIO_SLO.replace(
        '    - target: 0.999\n',
        '    - target: 0.999\n      indicatorRef: other\n      compositeWeight: 1\n',
      ),
      'COMPOSITE_SLO',
    ],
    [
      'several objectives',
      RATIO_SLO.replace('    - target: 0.999\n', '    - target: 0.999\n    - target: 0.99\n'),
      'MULTIPLE_OBJECTIVES',
    ],
    [
      'several time windows',
      RATIO_SLO.replace(
        '      isRolling: true\n',
        '      isRolling: true\n    - duration: 7d\n      isRolling: true\n',
      ),
      'MULTIPLE_TIME_WINDOWS',
    ],
    [
      'a calendar window of 2 weeks',
      RATIO_SLO.replace(
        '    - duration: 28d\n      isRolling: true',
        '    - duration: 2w\n      isRolling: false\n      calendar: { timeZone: UTC }',
      ),
      'CALENDAR_DURATION',
    ],
    ['a rolling month', RATIO_SLO.replace('duration: 28d', 'duration: 1M'), 'VARIABLE_DURATION'],
    [
      'a metric without a query',
      RATIO_SLO.replace(/query: sum\(rate\(http_requests_total\{job="checkout"\}.*\n/, 'metricPath: a|b\n'),
      'METRIC_SOURCE_WITHOUT_QUERY',
    ],
    [
      'good and total from different sources',
      RATIO_SLO.replace('            type: Prometheus\n', '            type: Datadog\n'),
      'MIXED_METRIC_SOURCES',
    ],
    [
      'a ratio objective met below its target',
      RATIO_SLO.replace('    - target: 0.999\n', '    - target: 0.999\n      op: lt\n'),
      'RATIO_OBJECTIVE_OP',
    ],
    [
      'OpenSLO v2alpha',
      'apiVersion: openslo.com/v2alpha\nkind: SLO\nmetadata: { name: x }\nspec: {}\n',
      'UNSUPPORTED_API_VERSION',
    ],
  ])('refuses %s with a named limitation', (_, text, limitation) => {
    let error: unknown
    try {
      load(text)
    } catch (thrown) {
      error = thrown
    }
    expect(error).toBeInstanceOf(OpenSloError)
    expect((error as OpenSloError).code).toBe('NOT_SUPPORTED')
    expect((error as OpenSloError).errors.map((i) => i.limitation)).toContain(limitation)
    expect((error as OpenSloError).message).toMatch(
      /^\[slokit\/openslo\] Cannot import the OpenSLO documents: \d+ errors?\n/,
    )
  })

  it('reads list files and JSON, and refuses duplicate names', () => {
    const list = `- apiVersion: openslo/v1
  kind: Service
  metadata: { name: web }
- apiVersion: openslo/v1
  kind: DataSource
  metadata: { name: prom }
  spec: { type: Prometheus }
`
    expect(load(list).services).toEqual([{ name: 'web' }])
    expect(
      load(JSON.stringify({ apiVersion: 'openslo/v1', kind: 'Service', metadata: { name: 'api' } })).services,
    ).toEqual([{ name: 'api' }])
    const twice = `${RATIO_SLO}---\n${RATIO_SLO}`
    expect(problems(twice)).toEqual([
      expect.objectContaining({
        line: 42,
        column: 9,
        message: 'duplicate SLO `checkout-availability`',
        hint: 'first defined at slo.yaml:4:9',
      }),
    ])
  })

  it('refuses a standalone SLI and an inline indicator that share a name but differ', () => {
    const sli = `apiVersion: openslo/v1
kind: SLI
metadata: { name: checkout-requests }
spec:
  ratioMetric:
    good: { metricSource: { type: Prometheus, spec: { query: other } } }
    total: { metricSource: { type: Prometheus, spec: { query: all } } }
`
    expect(problems(`${RATIO_SLO}---\n${sli}`).map((i) => [i.line, i.message])).toEqual([
      [41, "SLI `checkout-requests` differs from an SLO's inline indicator of the same name"],
    ])
  })

  it('reports YAML syntax errors with their position', () => {
    expect(problems('apiVersion: openslo/v1\nkind: [SLO\n')).toEqual([
      expect.objectContaining({ line: 3, message: expect.stringMatching(/^YAML syntax error/) }),
    ])
  })
})

describe('importOpenSlo — openslo/v1alpha (the form Sloth reads)', () => {
  const SLOTH = `apiVersion: openslo/v1alpha
kind: SLO
metadata:
  name: requests-availability
  displayName: Requests availability
spec:
  service: my-service
  budgetingMethod: Occurrences
  objectives:
    - ratioMetrics:
        good: { source: prometheus, queryType: promql, query: "sum(rate(ok[{{.window}}]))" }
        total: { source: prometheus, queryType: promql, query: "sum(rate(all[{{.window}}]))" }
      target: 0.999
    - ratioMetrics:
        good: { source: prometheus, queryType: promql, query: "sum(rate(fast[{{.window}}]))" }
        total: { source: prometheus, queryType: promql, query: "sum(rate(all[{{.window}}]))" }
      target: 0.99
  timeWindows:
    - count: 30
      unit: Day
`

  it('makes one SLO per objective, named <name>-<index> as Sloth does', () => {
    const { slos } = load(SLOTH)
    expect(slos.map((s) => [s.id, s.sli.id, s.objective, s.window])).toEqual([
      [
        'requests-availability-0',
        'requests-availability-0',
        0.999,
        { type: 'rolling', durationMs: 30 * 86_400_000 },
      ],
      [
        'requests-availability-1',
        'requests-availability-1',
        0.99,
        { type: 'rolling', durationMs: 30 * 86_400_000 },
      ],
    ])
    expect(slos[0]?.sli.measurement).toEqual({
      type: 'ratio',
      good: 'sum(rate(ok[{{window}}]))',
      total: 'sum(rate(all[{{window}}]))',
    })
  })

  it('imports a threshold indicator with a calendar window', () => {
    const text = `apiVersion: openslo/v1alpha
kind: SLO
metadata: { name: web-latency }
spec:
  service: web
  indicator:
    thresholdMetric: { source: Prometheus, queryType: promql, query: "latency_ms" }
  timeWindows:
    - { unit: Week, count: 1, isRolling: false, calendar: { startTime: "2024-01-01 00:00:00", timeZone: UTC } }
  budgetingMethod: Occurrences
  objectives:
    - { op: lte, value: 200, target: 0.98 }
`
    const [slo] = load(text).slos
    expect(slo?.window).toEqual({ type: 'calendar', unit: 'week', timeZone: 'UTC' })
    expect(slo?.sli.measurement).toEqual({
      type: 'threshold',
      query: 'latency_ms',
      aggregation: 'avg',
      comparison: '<=',
      threshold: 200,
    })
  })

  it('refuses Timeslices, which v1alpha gives no slice length for', () => {
    const issues = problems(SLOTH.replace('Occurrences', 'Timeslices'))
    expect(issues.map((i) => i.limitation)).toEqual(['NO_SLICE_LENGTH', 'NO_SLICE_LENGTH'])
  })
})

describe('isOpenSloText', () => {
  it.each([
    [RATIO_SLO, true],
    ['- apiVersion: openslo/v1\n  kind: Service\n', true],
    ['apiVersion: openslo.com/v2alpha\nkind: SLO\n', true],
    ['apiVersion: slokit/v1\nslos: []\n', false],
    ['version: prometheus/v1\n', false],
    ['{ not yaml', false],
  ])('%#', (text, expected) => {
    expect(isOpenSloText(text)).toBe(expected)
  })
})
