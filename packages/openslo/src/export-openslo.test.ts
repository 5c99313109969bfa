import {
  AGGREGATIONS,
  COMPARISONS,
  NO_DATA_POLICIES,
  PRIORITIES,
  parseSli,
  parseSlo,
  SLI_KINDS,
  type SloSpec,
  type SloSpecInput,
  sloSpecSchema,
} from '@slokit/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import {
  exportOpenSlo,
  importOpenSlo,
  OpenSloError,
  openSloName,
  sliToInput,
  sloToInput,
  toOpenSloObjects,
  toSlokitConfig,
} from './index.js'
import { strictOpenSloProblems } from './strict-rules.test-support.js'

const reimport = (text: string) => importOpenSlo([{ name: 'exported.yaml', text }])

const LATENCY = parseSlo({
  id: 'checkout-latency',
  name: 'Checkout latency',
  service: 'checkout',
  sli: {
    id: 'checkout-p99',
    kind: 'latency',
    measurement: {
      type: 'threshold',
      query: 'histogram_quantile(0.99, rate(checkout_seconds_bucket[{{window}}]))',
      aggregation: 'p99',
      comparison: '<=',
      threshold: 0.3,
      unit: 's',
    },
  },
  objective: '99%',
  window: { calendar: 'month', timeZone: 'Europe/Berlin' },
  budgetingMethod: 'timeslices',
  timeslice: { length: '5m' },
  priority: 'high',
  runbookUrl: 'https://runbooks.example.com/checkout',
  labels: { team: 'payments' },
})

describe('exportOpenSlo', () => {
  it('writes an SLO with its indicator inline, slokit-only fields as slokit.dev annotations', () => {
    expect(toOpenSloObjects({ slos: [LATENCY] })).toEqual([
      { apiVersion: 'openslo/v1', kind: 'Service', metadata: { name: 'checkout' }, spec: {} },
      {
        apiVersion: 'openslo/v1',
        kind: 'SLO',
        metadata: {
          name: 'checkout-latency',
          displayName: 'Checkout latency',
          labels: { team: 'payments' },
          annotations: {
            'slokit.dev/priority': 'high',
            'slokit.dev/runbook-url': 'https://runbooks.example.com/checkout',
          },
        },
        spec: {
          service: 'checkout',
          indicator: {
            metadata: {
              name: 'checkout-p99',
              annotations: { 'slokit.dev/aggregation': 'p99', 'slokit.dev/unit': 's' },
            },
            spec: {
              thresholdMetric: {
                metricSource: {
                  type: 'Prometheus',
                  spec: { query: 'histogram_quantile(0.99, rate(checkout_seconds_bucket[{{.window}}]))' },
                },
              },
            },
          },
          timeWindow: [
            {
              duration: '1M',
              isRolling: false,
              calendar: { startTime: '2024-01-01 00:00:00', timeZone: 'Europe/Berlin' },
            },
          ],
          budgetingMethod: 'Timeslices',
          // p99 <= 0.3 per slice is "at least 99 % of a slice's values <= 0.3": timeSliceTarget 0.99.
          objectives: [{ target: 0.99, op: 'lte', value: 0.3, timeSliceTarget: 0.99, timeSliceWindow: '5m' }],
        },
      },
    ])
  })

  it('writes a YAML stream that imports back to the same SLOs', () => {
    const text = exportOpenSlo({ slos: [LATENCY] })
    expect(text.split('\n---\n')).toHaveLength(2)
    const back = reimport(text)
    expect(back.slos).toEqual([LATENCY])
    expect(back.warnings).toEqual([])
  })

  it('writes a raw Prometheus ratio back as `raw`, and data sources as metricSourceRef', () => {
    const slo = parseSlo({
      id: 'wifi',
      service: 'wifi',
      sli: {
        id: 'wifi-satisfaction',
        kind: 'quality',
        source: 'thanos',
        measurement: { type: 'ratio', good: 'ratio[{{window}}]', total: '(ratio[{{window}}]) * 0 + 1' },
      },
      objective: 0.95,
      window: '7d',
    })
    const objects = toOpenSloObjects(
      { slos: [slo], dataSources: [{ name: 'thanos', type: 'Prometheus' }] },
      { services: false },
    )
    expect(objects).toHaveLength(1)
    const spec = (objects[0] as { spec: { indicator: { spec: unknown } } }).spec.indicator.spec
    expect(spec).toEqual({
      ratioMetric: {
        rawType: 'success',
        raw: {
          metricSource: {
            metricSourceRef: 'thanos',
            type: 'Prometheus',
            spec: { query: 'ratio[{{.window}}]' },
          },
        },
      },
    })
    expect(reimport(exportOpenSlo({ slos: [slo] })).slos).toEqual([slo])
  })

  it('writes unused ratio SLIs as standalone SLI objects', () => {
    const sli = parseSli({
      id: 'api-requests',
      kind: 'availability',
      measurement: { type: 'ratio', bad: 'errors', total: 'requests' },
      source: 'Datadog',
    })
    const text = exportOpenSlo({ slos: [], slis: [sli] })
    expect(parse(text)).toEqual({
      apiVersion: 'openslo/v1',
      kind: 'SLI',
      metadata: { name: 'api-requests' },
      spec: {
        ratioMetric: {
          bad: { metricSource: { type: 'Datadog', spec: { query: 'errors' } } },
          total: { metricSource: { type: 'Datadog', spec: { query: 'requests' } } },
        },
      },
    })
    expect(reimport(text).slis).toEqual([sli])
  })

  it('refuses what OpenSLO cannot express, naming every SLO and field', () => {
    const inProcess = parseSlo({
      id: 'in-process',
      service: 'api',
      sli: { id: 'in-process', kind: 'availability', measurement: { type: 'ratio' } },
      objective: 0.99,
      window: '1h500ms',
    })
    const threshold = parseSli({
      id: 'lonely',
      kind: 'latency',
      measurement: { type: 'threshold', comparison: '<', threshold: 1 },
    })
    let error: unknown
    try {
      exportOpenSlo({ slos: [LATENCY, inProcess], slis: [threshold] })
    } catch (thrown) {
      error = thrown
    }
    expect(error).toBeInstanceOf(OpenSloError)
    expect((error as OpenSloError).issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['slos.1.sli.measurement', 'no queries: an OpenSLO ratio metric needs good (or bad) and total queries'],
      [
        'slos.1.window',
        'OpenSLO durations are whole minutes in one unit (m, h, d, w): the spec has no seconds',
      ],
      ['slis.0', 'threshold SLI `lonely` has no SLO: OpenSLO gives a threshold on an SLO objective'],
    ])
    expect((error as OpenSloError).message).toMatch(/^\[slokit\/openslo\] Cannot export to OpenSLO: 3 errors/)
  })
})

// Generators of valid slokit SLOs, covering every field the mapping carries.
const word = fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/)
// slokit ids that are not OpenSLO names (`Checkout_API.v2`) too: the export keeps them in annotations.
const anyId = fc.oneof(word, fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,20}$/))
const text = fc.string({ minLength: 1, maxLength: 30 })
const query = fc.oneof(
  fc.stringMatching(/^[a-z_]{1,12}(\{job="[a-z]{1,6}"\})?$/),
  fc.stringMatching(/^sum\(rate\([a-z_]{1,12}\[\{\{window\}\}\]\)\)$/),
)
const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined })
const labels = fc.dictionary(fc.stringMatching(/^[a-z_][a-z0-9_]{0,8}$/), fc.string({ maxLength: 12 }), {
  maxKeys: 3,
})
const measurement = fc.oneof(
  fc.record({ type: fc.constant('ratio' as const), good: query, total: query }),
  fc.record({ type: fc.constant('ratio' as const), bad: query, total: query }),
  query.map((q) => ({ type: 'ratio' as const, good: q, total: `(${q}) * 0 + 1` })),
  fc.record(
    {
      type: fc.constant('threshold' as const),
      query,
      aggregation: fc.constantFrom(...AGGREGATIONS),
      comparison: fc.constantFrom(...COMPARISONS),
      threshold: fc.double({ min: -1e6, max: 1e6, noNaN: true }),
      unit: fc.constantFrom('ms', 's', 'requests'),
    },
    { requiredKeys: ['type', 'query', 'aggregation', 'comparison', 'threshold'] },
  ),
)
const sli = fc.record(
  {
    id: anyId,
    name: text,
    description: text,
    kind: fc.constantFrom(...SLI_KINDS),
    measurement,
    noData: fc.constantFrom(...NO_DATA_POLICIES),
    source: fc.constantFrom('prometheus', 'thanos', 'Datadog', 'my-source'),
    labels,
  },
  { requiredKeys: ['id', 'kind', 'measurement'] },
)
const window = fc.oneof(
  fc.tuple(fc.integer({ min: 1, max: 90 }), fc.constantFrom('m', 'h', 'd', 'w')).map(([n, u]) => `${n}${u}`),
  fc.record({
    calendar: fc.constantFrom('week', 'month', 'quarter', 'year'),
    timeZone: fc.constantFrom('UTC', 'Europe/Berlin', 'America/New_York'),
  }),
)
const sloInput: fc.Arbitrary<SloSpecInput> = fc
  .record({
    id: anyId,
    name: optional(text),
    description: optional(text),
    service: anyId,
    sli,
    objective: fc.integer({ min: 1, max: 99_999 }).map((n) => n / 100_000),
    window,
    budgetingMethod: fc.constantFrom('occurrences', 'timeslices', 'ratio_timeslices'),
    // OpenSLO durations have no seconds: slices of whole minutes.
    sliceMinutes: fc.integer({ min: 1, max: 60 }),
    sliceObjective: fc.integer({ min: 1, max: 999 }).map((n) => n / 1000),
    priority: optional(fc.constantFrom(...PRIORITIES)),
    owner: optional(text),
    rationale: optional(text),
    runbookUrl: optional(word.map((w) => `https://example.com/${w}`)),
    labels,
    annotations: fc.dictionary(
      fc.stringMatching(/^[a-z]{1,8}(\/[a-z]{1,8})?$/),
      fc.string({ maxLength: 20 }),
      {
        maxKeys: 3,
      },
    ),
  })
  .map(({ sliceMinutes, sliceObjective, ...slo }) => {
    const input = Object.fromEntries(Object.entries(slo).filter(([, v]) => v !== undefined)) as Record<
      string,
      unknown
    >
    if (slo.budgetingMethod !== 'occurrences') {
      const ratio = slo.sli.measurement.type === 'ratio' && slo.budgetingMethod === 'timeslices'
      input.timeslice = { length: `${sliceMinutes}m`, ...(ratio ? { objective: sliceObjective } : {}) }
    }
    return input as SloSpecInput
  })
  .filter((input) => sloSpecSchema.safeParse(input).success)
/** Ids of one kind that differ only where OpenSLO names cannot (`A_b`, `a-b`) are an export error. */
function distinctNames(list: readonly SloSpecInput[]): boolean {
  const seen = new Map<string, string>()
  for (const slo of list) {
    for (const [kind, id] of [
      ['slo', slo.id],
      ['sli', slo.sli.id],
      ['service', slo.service],
    ]) {
      const key = `${kind}:${openSloName(id as string)}`
      if ((seen.get(key) ?? id) !== id) return false
      seen.set(key, id as string)
    }
  }
  return true
}
const slos = fc
  .uniqueArray(sloInput, { minLength: 1, maxLength: 4, selector: (s) => s.id })
  .filter(distinctNames)
  .map((list) => list.map((input) => parseSlo(input)))

describe('exportOpenSlo — names', () => {
  const odd = parseSlo({
    id: 'Checkout_API.v2',
    service: 'Payments_Team',
    sli: {
      id: 'Checkout.Requests',
      kind: 'availability',
      measurement: { type: 'ratio', good: 'sum(rate(ok[{{window}}]))', total: 'sum(rate(all[{{window}}]))' },
    },
    objective: 0.999,
    window: '28d',
  })

  it('writes ids that are not DNS labels as OpenSLO names, keeping the ids in annotations', () => {
    const [service, slo] = toOpenSloObjects({ slos: [odd] }) as Array<{
      metadata: unknown
      spec: { service?: string; indicator?: { metadata: unknown } }
    }>
    expect(service?.metadata).toEqual({
      name: 'payments-team',
      annotations: { 'slokit.dev/id': 'Payments_Team' },
    })
    expect(slo?.metadata).toEqual({
      name: 'checkout-api-v2',
      annotations: { 'slokit.dev/id': 'Checkout_API.v2', 'slokit.dev/service': 'Payments_Team' },
    })
    expect(slo?.spec.service).toBe('payments-team')
    expect(slo?.spec.indicator?.metadata).toEqual({
      name: 'checkout-requests',
      annotations: { 'slokit.dev/id': 'Checkout.Requests' },
    })
    const again = reimport(exportOpenSlo({ slos: [odd] }))
    expect(again.slos).toEqual([odd])
    expect(again.services.map((s) => s.name)).toEqual(['Payments_Team'])
  })

  it('maps an id to a lowercase DNS label of at most 63 characters', () => {
    expect(openSloName('checkout')).toBe('checkout')
    expect(openSloName('Checkout_API.v2')).toBe('checkout-api-v2')
    expect(openSloName('a--b__c-')).toBe('a-b-c')
    expect(openSloName(`x${'y'.repeat(80)}`)).toHaveLength(63)
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/), (id) => {
        expect(openSloName(id)).toMatch(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/)
      }),
    )
  })

  it('refuses two ids that become the same OpenSLO name', () => {
    const twin = parseSlo({ ...sloToInput(odd), id: 'checkout-api-v2' })
    expect(() => exportOpenSlo({ slos: [odd, twin] })).toThrow(OpenSloError)
    try {
      exportOpenSlo({ slos: [odd, twin] })
    } catch (error) {
      expect((error as OpenSloError).issues.map((i) => [i.path.join('.'), i.message])).toEqual([
        [
          'slos.1.id',
          'SLO ids `Checkout_API.v2` and `checkout-api-v2` are both written as the OpenSLO name `checkout-api-v2`',
        ],
      ])
    }
  })
})

describe('strictOpenSloProblems (the checker the properties use)', () => {
  it('catches the mistakes exports used to make', () => {
    const [service, slo] = toOpenSloObjects({ slos: [LATENCY] }) as [
      Record<string, unknown>,
      Record<string, unknown>,
    ]
    expect(strictOpenSloProblems([service, slo])).toEqual([])
    const spec = slo.spec as Record<string, unknown>
    const broken = {
      ...slo,
      metadata: { name: 'Checkout_API.v2' },
      spec: {
        ...spec,
        objectives: [{ target: 0.99, op: 'lte', value: 1, timeSliceWindow: '30s' }],
        alertPolicies: [
          {
            kind: 'AlertPolicy',
            metadata: { name: 'burn' },
            spec: { conditions: [{}, {}] },
          },
        ],
      },
    }
    expect(strictOpenSloProblems([broken])).toEqual([
      '[0] SLO.metadata.name: Checkout_API.v2',
      '[0] SLO.timeSliceWindow: duration 30s',
      '[0] SLO.alertPolicies[0].spec.conditions: exactly one, not 2',
      '[0] SLO.alertPolicies[0].condition.metadata.name: undefined',
      '[0] SLO.alertPolicies[0].condition.severity',
      '[0] SLO.alertPolicies[0].condition',
      '[0] SLO.alertPolicies[0].condition.op',
      '[0] SLO.alertPolicies[0].condition.lookbackWindow: duration undefined',
      '[0] SLO.alertPolicies[0].condition.alertAfter: duration undefined',
      '[0] SLO.alertPolicies[0].condition.metadata.name: undefined',
      '[0] SLO.alertPolicies[0].condition.severity',
      '[0] SLO.alertPolicies[0].condition',
      '[0] SLO.alertPolicies[0].condition.op',
      '[0] SLO.alertPolicies[0].condition.lookbackWindow: duration undefined',
      '[0] SLO.alertPolicies[0].condition.alertAfter: duration undefined',
    ])
  })
})

describe('round trips (property)', () => {
  it('import → export → import is the identity on slokit SLOs', () => {
    fc.assert(
      fc.property(slos, (list: SloSpec[]) => {
        expect(reimport(exportOpenSlo({ slos: list })).slos).toEqual(list)
        // …and what it writes is what a strict OpenSLO validator accepts.
        expect(strictOpenSloProblems(toOpenSloObjects({ slos: list }))).toEqual([])
      }),
      { numRuns: 300 },
    )
  })

  it('sloToInput is what parseSlo reads back to the same SLO', () => {
    fc.assert(
      fc.property(slos, (list: SloSpec[]) => {
        for (const slo of list) {
          expect(parseSlo(sloToInput(slo))).toEqual(slo)
          expect(parseSli(sliToInput(slo.sli))).toEqual(slo.sli)
        }
      }),
      { numRuns: 300 },
    )
  })
})

describe('toSlokitConfig', () => {
  it('writes a slokit/v1 document: SLOs with their SLIs inline, unused SLIs under slis', () => {
    const unused = parseSli({ id: 'spare', kind: 'availability', measurement: { type: 'ratio' } })
    expect(toSlokitConfig({ slos: [LATENCY], slis: [LATENCY.sli, unused] })).toEqual({
      apiVersion: 'slokit/v1',
      slis: [{ id: 'spare', kind: 'availability', measurement: { type: 'ratio' } }],
      slos: [
        {
          id: 'checkout-latency',
          name: 'Checkout latency',
          service: 'checkout',
          sli: {
            id: 'checkout-p99',
            kind: 'latency',
            measurement: {
              type: 'threshold',
              query: 'histogram_quantile(0.99, rate(checkout_seconds_bucket[{{window}}]))',
              aggregation: 'p99',
              comparison: '<=',
              threshold: 0.3,
              unit: 's',
            },
          },
          objective: 0.99,
          window: { calendar: 'month', timeZone: 'Europe/Berlin' },
          budgetingMethod: 'timeslices',
          timeslice: { length: '5m' },
          priority: 'high',
          runbookUrl: 'https://runbooks.example.com/checkout',
          labels: { team: 'payments' },
        },
      ],
    })
  })
})
