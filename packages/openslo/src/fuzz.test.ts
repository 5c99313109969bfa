import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { stringify } from 'yaml'
import { exportOpenSlo, importOpenSlo, OpenSloError } from './index.js'

const KINDS = [
  'Service',
  'SLI',
  'SLO',
  'AlertPolicy',
  'AlertCondition',
  'AlertNotificationTarget',
  'DataSource',
]

const VALID = {
  apiVersion: 'openslo/v1',
  kind: 'SLO',
  metadata: { name: 'web', labels: { team: ['a', 'b'] } },
  spec: {
    service: 'web',
    indicator: {
      metadata: { name: 'web-requests' },
      spec: {
        ratioMetric: {
          good: { metricSource: { type: 'Prometheus', spec: { query: 'good[{{.window}}]' } } },
          total: { metricSource: { type: 'Prometheus', spec: { query: 'total[{{.window}}]' } } },
        },
      },
    },
    timeWindow: [{ duration: '28d', isRolling: true }],
    budgetingMethod: 'Timeslices',
    objectives: [{ target: 0.99, timeSliceTarget: 0.9, timeSliceWindow: '1m' }],
    alertPolicies: [
      {
        kind: 'AlertPolicy',
        metadata: { name: 'fast-burn' },
        spec: {
          alertWhenNoData: true,
          alertWhenResolved: true,
          alertWhenBreaching: true,
          conditions: [
            {
              kind: 'AlertCondition',
              metadata: { name: 'fast' },
              spec: {
                severity: 'page',
                condition: {
                  kind: 'burnrate',
                  op: 'gt',
                  threshold: 14.4,
                  lookbackWindow: '1h',
                  alertAfter: '5m',
                },
              },
            },
          ],
          notificationTargets: [
            { kind: 'AlertNotificationTarget', metadata: { name: 'pager' }, spec: { target: 'pagerduty' } },
            { kind: 'AlertNotificationTarget', metadata: { name: 'chat' }, spec: { target: 'slack' } },
          ],
        },
      },
    ],
  },
}

/** Every path to a value inside `value`. */
function paths(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (value === null || typeof value !== 'object') return [prefix]
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value)
  return [prefix, ...entries.flatMap(([k, v]) => paths(v, [...prefix, k]))]
}

function replaced(root: unknown, path: ReadonlyArray<string | number>, value: unknown): unknown {
  if (path.length === 0) return value
  const [head, ...rest] = path
  const copy = (Array.isArray(root) ? [...root] : { ...(root as object) }) as Record<string | number, unknown>
  copy[head as string] = replaced(copy[head as string], rest, value)
  return copy
}

/** Importing either succeeds or throws an OpenSloError with located issues; never anything else. */
function importsOrExplains(text: string): void {
  try {
    const result = importOpenSlo([{ name: 'fuzz.yaml', text }])
    // Whatever imports can be exported, or the export explains why not.
    try {
      exportOpenSlo(result)
    } catch (error) {
      expect(error).toBeInstanceOf(OpenSloError)
    }
  } catch (error) {
    expect(error).toBeInstanceOf(OpenSloError)
    const issues = (error as OpenSloError).errors
    expect(issues.length).toBeGreaterThan(0)
    for (const issue of issues) expect(issue.message.length).toBeGreaterThan(0)
  }
}

describe('importOpenSlo on arbitrary input (property)', () => {
  it('never fails with anything but an OpenSloError on a valid SLO with one part replaced', () => {
    const all = paths(VALID)
    fc.assert(
      fc.property(fc.constantFrom(...all), fc.jsonValue({ maxDepth: 3 }), (path, value) => {
        importsOrExplains(stringify(replaced(VALID, path, value)))
      }),
      { numRuns: 500 },
    )
  }, 30_000)

  it('reads `constructor` and `toString` as plain names and values, not object keys', () => {
    const target = ['spec', 'alertPolicies', 0, 'spec', 'notificationTargets', 1, 'metadata', 'name']
    for (const name of ['constructor', 'toString', 'hasOwnProperty']) {
      const imported = importOpenSlo([{ name: 'f.yaml', text: stringify(replaced(VALID, target, name)) }])
      expect(imported.channels[name]).toEqual({
        type: 'slack',
        webhookUrl: expect.stringMatching(/^\$\{env:/),
      })
      expect(Object.getPrototypeOf(imported.channels)).toBe(Object.prototype)
    }
    const condition = ['spec', 'alertPolicies', 0, 'spec', 'conditions', 0, 'spec']
    for (const [path, value] of [
      [['spec', 'budgetingMethod'], 'constructor'],
      [['spec', 'timeWindow', 0], { duration: 'constructor', isRolling: false, calendar: {} }],
      [[...condition, 'condition', 'op'], 'toString'],
    ] as const) {
      expect(() =>
        importOpenSlo([{ name: 'f.yaml', text: stringify(replaced(VALID, path, value)) }]),
      ).toThrow(OpenSloError)
    }
    // An unknown severity is a ticket (`warning`), never an undefined severity.
    const odd = importOpenSlo([
      { name: 'f.yaml', text: stringify(replaced(VALID, [...condition, 'severity'], 'constructor')) },
    ])
    expect(odd.alerts?.rules[0]).toMatchObject({ page: false, ticket: { severity: 'warning' } })
  })

  it('never fails with anything but an OpenSloError on random objects of every kind', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...KINDS),
        fc.constantFrom('openslo/v1', 'openslo/v1alpha'),
        fc.jsonValue({ maxDepth: 4 }),
        (kind, apiVersion, spec) => {
          importsOrExplains(stringify({ apiVersion, kind, metadata: { name: 'x' }, spec }))
        },
      ),
      { numRuns: 300 },
    )
  })

  it('never fails with anything but an OpenSloError on random text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => importsOrExplains(text)),
      { numRuns: 300 },
    )
  })
})
