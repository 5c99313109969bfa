import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import {
  exportOpenSlo,
  importOpenSlo,
  OpenSloError,
  type OpenSloLimitation,
  toOpenSloObjects,
} from './index.js'
import { strictOpenSloProblems } from './strict-rules.test-support.js'

// The OpenSLO examples of ../shared/corpus (see its SOURCES.md), read in place: never copied.
const corpus = fileURLToPath(new URL('../../../../shared/corpus/', import.meta.url))

type Expectation =
  /** Imports, with this many SLOs (and warnings with these limitations among others). */
  | { readonly slos: number; readonly warnings?: readonly OpenSloLimitation[] }
  /** Valid OpenSLO using something slokit does not model: every error names one of these. */
  | { readonly limitations: readonly OpenSloLimitation[] }
  /** Invalid (or incomplete) OpenSLO: refused with errors matching this. */
  | { readonly invalid: RegExp }

const UNRESOLVED = /^unknown (AlertCondition|AlertNotificationTarget|AlertPolicy|SLI) `/

/** Every file under each folder, with what importing it alone must give. */
const EXPECTED: Readonly<Record<string, Expectation>> = {
  // openslo-go-sdk v1 examples: one file per kind; each file stands alone.
  'openslo-go-sdk/pkg/openslo/v1/examples/alert_conditions.yaml': { slos: 0 },
  // Its policies refer to conditions and targets under other names than the examples define.
  'openslo-go-sdk/pkg/openslo/v1/examples/alert_policies.yaml': { invalid: UNRESOLVED },
  'openslo-go-sdk/pkg/openslo/v1/examples/alert_notification_targets.yaml': { slos: 0 },
  'openslo-go-sdk/pkg/openslo/v1/examples/data_sources.yaml': { slos: 0 },
  'openslo-go-sdk/pkg/openslo/v1/examples/services.yaml': { slos: 0 },
  // AppDynamics metrics are `applicationName` + `metricPath`, not a query.
  'openslo-go-sdk/pkg/openslo/v1/examples/slis.yaml': { limitations: ['METRIC_SOURCE_WITHOUT_QUERY'] },
  'openslo-go-sdk/pkg/openslo/v1/examples/slos.yaml': { slos: 1 },
  // OpenSLO spec examples.
  'openslo-spec/examples/budgeting-method/occurences-slo.yaml': { slos: 1 },
  'openslo-spec/examples/budgeting-method/ratio-timeslices.yaml': { slos: 1 },
  // A calendar window of `1m` (meant as a month) and two objectives (internal target and SLA).
  'openslo-spec/examples/budgeting-method/timeslices-slo.yaml': {
    limitations: ['CALENDAR_DURATION', 'MULTIPLE_OBJECTIVES'],
  },
  'openslo-spec/examples/treat-low-traffic-as-equally-important/timeslices-slo.yaml': { slos: 1 },
  // Sloth's OpenSLO v1alpha examples: one slokit SLO per objective, as Sloth does.
  'sloth/examples/openslo-getting-started.yml': { slos: 1 },
  'sloth/examples/openslo-kubernetes-apiserver.yml': { slos: 3 },
  // go-sdk decoder fixtures.
  'openslo-go-sdk/pkg/openslosdk/test_data/decode/sequence_of_objects.json': { slos: 0 },
  'openslo-go-sdk/pkg/openslosdk/test_data/decode/sequence_of_objects.yaml': { slos: 0 },
  'openslo-go-sdk/pkg/openslosdk/test_data/decode/single_object.json': { slos: 0 },
  'openslo-go-sdk/pkg/openslosdk/test_data/decode/single_object.yaml': { slos: 0 },
  'openslo-go-sdk/pkg/openslosdk/test_data/decode/two_documents.yaml': { slos: 0 },
  // No timeWindow (OpenSLO requires one) and Prometheus `dimensions` beside the query.
  'openslo-go-sdk/pkg/openslosdk/test_data/decode/v1_slos.yaml': {
    invalid: /^missing: slokit SLOs need a time window|slokit keeps only `spec.query`/,
  },
  'openslo-go-sdk/pkg/openslosdk/test_data/decode/v2alpha_data_source.yaml': {
    limitations: ['UNSUPPORTED_API_VERSION'],
  },
  'openslo-go-sdk/pkg/openslosdk/test_data/decode/v2alpha_slos.yaml': {
    limitations: ['UNSUPPORTED_API_VERSION'],
  },
  'openslo-go-sdk/pkg/openslosdk/test_data/encode/v1_slo.json': {
    invalid: /^missing: slokit SLOs need a time window|slokit keeps only `spec.query`/,
  },
  'openslo-go-sdk/pkg/openslosdk/test_data/encode/v1_slo.yaml': {
    invalid: /^missing: slokit SLOs need a time window|slokit keeps only `spec.query`/,
  },
  // Exporter fixtures: fragments whose references point at objects defined elsewhere.
  'openslo-go-sdk/pkg/openslosdk/test_data/export/inputs/custom_config.yaml': { invalid: UNRESOLVED },
  'openslo-go-sdk/pkg/openslosdk/test_data/export/inputs/v1_alert_policies.yaml': { invalid: UNRESOLVED },
  'openslo-go-sdk/pkg/openslosdk/test_data/export/inputs/v1_slo.yaml': { invalid: UNRESOLVED },
  'openslo-go-sdk/pkg/openslosdk/test_data/export/outputs/custom_config.yaml': { invalid: UNRESOLVED },
  'openslo-go-sdk/pkg/openslosdk/test_data/export/outputs/v1_alert_policies.yaml': { invalid: UNRESOLVED },
  'openslo-go-sdk/pkg/openslosdk/test_data/export/outputs/v1_slo.yaml': { invalid: UNRESOLVED },
  // Inliner fixtures: the valid ones import; the `invalid_*` ones are refused.
  'openslo-go-sdk/pkg/openslosdk/test_data/inline/inputs/custom_config.yaml': { invalid: UNRESOLVED },
  'openslo-go-sdk/pkg/openslosdk/test_data/inline/inputs/v1_alert_policies_invalid_condition.yaml': {
    invalid: /^unknown AlertCondition `cpu-usage-breach`$/,
  },
  'openslo-go-sdk/pkg/openslosdk/test_data/inline/inputs/v1_alert_policies_invalid_target.yaml': {
    invalid: /^unknown AlertNotificationTarget `devs-email-notification`$/,
  },
  'openslo-go-sdk/pkg/openslosdk/test_data/inline/inputs/v1_alert_policies_keep_refs.yaml': { slos: 0 },
  'openslo-go-sdk/pkg/openslosdk/test_data/inline/inputs/v1_alert_policies_remove_refs.yaml': { slos: 0 },
  // \`my-slo-2\`'s policy \`single-referenced-object\` uses \`cpu-usage-breach\`, a burn rate \`op: lte\` 2:
  // that condition is skipped with a warning, the rest imports.
  'openslo-go-sdk/pkg/openslosdk/test_data/inline/inputs/v1_slo.yaml': {
    slos: 2,
    warnings: ['BURN_RATE_OP'],
  },
  'openslo-go-sdk/pkg/openslosdk/test_data/inline/inputs/v1_slo_invalid_policy.yaml': {
    invalid: /^unknown AlertPolicy `no-policy`$|needs the objective’s `op` and `value`/,
  },
  'openslo-go-sdk/pkg/openslosdk/test_data/inline/inputs/v1_slo_invalid_sli.yaml': {
    invalid: /^unknown SLI `no-sli`$/,
  },
  'openslo-go-sdk/pkg/openslosdk/test_data/inline/inputs/v1_slo_invalid_target.yaml': {
    invalid:
      /^unknown AlertNotificationTarget `devs-email-notification`$|needs the objective’s `op` and `value`/,
  },
  'openslo-go-sdk/pkg/openslosdk/test_data/inline/outputs/custom_config.yaml': { invalid: UNRESOLVED },
  'openslo-go-sdk/pkg/openslosdk/test_data/inline/outputs/v1_alert_policies_keep_refs.yaml': { slos: 0 },
  'openslo-go-sdk/pkg/openslosdk/test_data/inline/outputs/v1_alert_policies_remove_refs.yaml': { slos: 0 },
  'openslo-go-sdk/pkg/openslosdk/test_data/inline/outputs/v1_slo.yaml': {
    slos: 2,
    warnings: ['BURN_RATE_OP'],
  },
}

const FOLDERS = [
  'openslo-go-sdk/pkg/openslo/v1/examples',
  'openslo-spec/examples',
  'openslo-go-sdk/pkg/openslosdk/test_data',
]

function files(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry)
    return statSync(path).isDirectory() ? files(path) : /\.(ya?ml|json)$/.test(entry) ? [path] : []
  })
}

const found = [
  ...FOLDERS.flatMap((folder) => files(join(corpus, folder))),
  ...files(join(corpus, 'sloth/examples')).filter((f) => /\/examples\/openslo-[^/]+\.ya?ml$/.test(f)),
].map((path) => relative(corpus, path))

function importFile(name: string) {
  return importOpenSlo([{ name, text: readFileSync(join(corpus, name), 'utf8') }])
}

describe.skipIf(found.length === 0)('the OpenSLO corpus in ../shared/corpus', () => {
  it('has an expectation for every file, and every expected file is there', () => {
    expect([...found].sort()).toEqual(Object.keys(EXPECTED).sort())
  })

  it('imports the alert policies of the inliner fixture, skipping its `op: lte` condition with a warning', () => {
    const name = 'openslo-go-sdk/pkg/openslosdk/test_data/inline/inputs/v1_slo.yaml'
    const imported = importFile(name)
    expect(imported.alerts).toEqual({
      rules: [
        {
          name: 'my-slo-2-mix-of-referenced-and-inlined-objects',
          type: 'burn_rate',
          selector: { slo: ['my-slo-2'] },
          for: '5m',
          // Burn rate 2 over 1h of a one-week calendar window: 2 × 1h / 168h of the budget.
          page: {
            severity: 'critical',
            windows: [{ long: '1h', short: '5m', budgetSpent: 0.0119047619048 }],
          },
          ticket: false,
        },
      ],
      routes: [
        {
          match: { rule: ['my-slo-2-mix-of-referenced-and-inlined-objects'] },
          channels: ['pd-on-call-notification'],
        },
      ],
    })
    expect(imported.channels).toEqual({
      'pd-on-call-notification': {
        type: 'pagerduty',
        routingKey: '${env:PAGERDUTY_PD_ON_CALL_NOTIFICATION_ROUTING_KEY}',
      },
    })
    // `single-referenced-object` alerts below a burn rate of 2: said where, and not converted.
    expect(
      imported.warnings
        .filter((w) => w.limitation === 'BURN_RATE_OP')
        .map((w) => [w.line, w.path.join('.'), w.message]),
    ).toEqual([
      [
        106,
        '3.spec.condition.op',
        'op lte: a slokit burn-rate alert fires when the burn rate is above the threshold, so this condition is not converted',
      ],
    ])
    const text = exportOpenSlo(imported)
    // The burn rate written back is the one read (2), not 2 × 1h / 168h × 168h / 1h in floating point.
    expect(text).toContain('threshold: 2\n')
    const again = importOpenSlo([{ name: 'exported.yaml', text }])
    expect(again.alerts).toEqual(imported.alerts)
  })

  it.each(found)('%s', (name) => {
    const expected = EXPECTED[name]
    if (expected === undefined) throw new Error(`no expectation for ${name}`)
    if ('slos' in expected) {
      const imported = importFile(name)
      expect(imported.slos).toHaveLength(expected.slos)
      const limitations = new Set(imported.warnings.map((w) => w.limitation))
      for (const limitation of expected.warnings ?? []) expect(limitations).toContain(limitation)
      // Import → export → import gives back the same SLOs, alert rules and channels.
      if (imported.slos.length > 0) {
        const text = exportOpenSlo(imported)
        const again = importOpenSlo([{ name: 'exported.yaml', text }])
        expect(again.slos).toEqual(imported.slos)
        expect(strictOpenSloProblems(toOpenSloObjects(imported))).toEqual([])
        expect(again.alerts).toEqual(imported.alerts)
        expect(again.channels).toEqual(imported.channels)
      }
      return
    }
    let error: unknown
    try {
      importFile(name)
    } catch (thrown) {
      error = thrown
    }
    expect(error).toBeInstanceOf(OpenSloError)
    const errors = (error as OpenSloError).errors
    expect(errors.length).toBeGreaterThan(0)
    for (const issue of errors) {
      expect(issue.file).toBe(name)
      expect(issue.line).toBeGreaterThan(0)
    }
    if ('limitations' in expected) {
      expect((error as OpenSloError).code).toBe('NOT_SUPPORTED')
      expect([...new Set(errors.map((i) => i.limitation))].sort()).toEqual([...expected.limitations].sort())
    } else {
      expect((error as OpenSloError).code).toBe('INVALID_SPEC')
      for (const issue of errors) expect(issue.message).toMatch(expected.invalid)
    }
  })
})
