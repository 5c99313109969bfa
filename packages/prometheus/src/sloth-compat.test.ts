import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseSlo } from '@slokit/core'
import { describe, expect, it } from 'vitest'
import { parseAllDocuments } from 'yaml'
import { generateRules } from './generate-rules.js'
import type { RuleGroup } from './rule-file.js'
import { parseSlothSpec } from './sloth.js'

// Our Sloth-compatible output beside Sloth's own, for the corpus examples slokit can import:
// the same recorded series (name and labels), the same alerts (name, labels, annotations) and the
// same alert semantics (which windows, which thresholds). The intended differences, each checked:
//
// 1. How a window's error ratio is computed. Sloth evaluates the SLI queries over every window
//    from raw series (`rate(x[3d])`) and averages 5-minute ratios for the period; slokit records
//    1-minute tiles of events once and sums them over each window, so the period SLI is
//    event-weighted (Σ bad / Σ total) and long windows never rescan raw series. The extra tile
//    and period-sum series (`slo:sli_bad:increase1m`, `slo:sli_total:increase30d`, …) are ours.
// 2. Groups: the alerts run in the SLI group, right after the windows they read; the period sums
//    have a group of their own (`sloth-slo-period-recordings-…`, every 5 minutes).
// 3. Alert rules carry the SLO's identity labels (sloth_id, sloth_service, sloth_slo). They are
//    on the alerting series anyway; on the rule they keep promtool's duplicate-rule lint quiet
//    when two services use one alert name (Sloth's multifile example).
// 4. Numbers are written exactly: objective 0.999 and budget 0.001, where Sloth writes
//    0.9990000000000001 and 0.0009999999999999432 (checked equal to 1e-12).
// 5. `sloth_slo_info` says who generated the rules: sloth_mode cli-gen-prom, sloth_spec
//    prometheus/v1, sloth_version slokit.

const corpus = join(
  fileURLToPath(new URL('../../../', import.meta.url)),
  '..',
  'shared',
  'corpus',
  'sloth',
  'examples',
)
const present = existsSync(corpus)

const EXAMPLES = [
  'getting-started.yml',
  'home-wifi.yml',
  'k8s-getting-started.yml',
  'k8s-home-wifi.yml',
  'k8s-multifile.yml',
  'kubernetes-apiserver.yml',
  'multifile.yml',
  'no-alerts.yml',
  'raw-home-wifi.yml',
]
const INFO_GENERATOR_LABELS = ['sloth_mode', 'sloth_spec', 'sloth_version']

interface Flat {
  readonly records: Map<string, { expr: string; labels: Record<string, string> }>
  readonly alerts: Array<{
    alert: string
    expr: string
    labels: Record<string, string>
    annotations: Record<string, string>
  }>
}

function flatten(groups: readonly RuleGroup[]): Flat {
  const records = new Map<string, { expr: string; labels: Record<string, string> }>()
  const alerts: Flat['alerts'] = []
  for (const group of groups) {
    for (const rule of group.rules) {
      const labels = { ...(rule.labels ?? {}) }
      if ('record' in rule) {
        const key = `${rule.record} ${JSON.stringify(sorted(labels))}`
        expect(records.has(key), `two rules write ${key}`).toBe(false)
        records.set(key, { expr: rule.expr, labels })
      } else {
        alerts.push({
          alert: rule.alert,
          expr: rule.expr,
          labels,
          annotations: { ...(rule.annotations ?? {}) },
        })
      }
    }
  }
  return { records, alerts }
}

function sorted(labels: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)))
}

function slothGroups(file: string): RuleGroup[] {
  const text = readFileSync(join(corpus, '_gen', file), 'utf8')
  return parseAllDocuments(text).flatMap((doc) => {
    const value = doc.toJS() as { groups?: RuleGroup[]; spec?: { groups: RuleGroup[] } } | null
    return value?.groups ?? value?.spec?.groups ?? []
  })
}

/** The `(short, long, threshold)` conditions of a burn-rate alert expression. */
function conditions(expr: string): string[] {
  const found: string[] = []
  const condition =
    /max\(slo:sli_error:ratio_rate(\w+)\{[^}]*\} > \(([\d.e+-]+) \* ([\d.e+-]+)\)\) without \(sloth_window\)/g
  const pairs = expr.split(/\n\s*or\s*\n/)
  for (const pair of pairs) {
    const parts = [...pair.matchAll(condition)].map((m) => ({
      window: m[1] as string,
      threshold: Number(m[2]) * Number(m[3]),
    }))
    expect(parts, `a pair of windows in ${pair}`).toHaveLength(2)
    const [a, b] = parts as [{ window: string; threshold: number }, { window: string; threshold: number }]
    expect(Math.abs(a.threshold - b.threshold)).toBeLessThan(1e-15)
    found.push(`${a.window}/${b.window} > ${a.threshold.toPrecision(10)}`)
  }
  return found.sort()
}

const vectorValue = (expr: string): number => {
  const inner = /^vector\((.*)\)$/.exec(expr.trim())?.[1] ?? ''
  const parts = inner.split('-')
  return parts.length === 2 ? Number(parts[0]) - Number(parts[1]) : Number(inner)
}

describe.skipIf(!present)('Sloth-compatible output matches Sloth’s generated rules', () => {
  it.each(EXAMPLES)('%s', (file) => {
    const spec = parseSlothSpec(readFileSync(join(corpus, file), 'utf8'), { source: file })
    const ours = flatten(
      generateRules(spec.slos.map(parseSlo), {
        naming: 'sloth',
        alerting: spec.alerting,
        extraLabels: { cmd: 'examplesgen.sh' },
      }).groups,
    )
    const theirs = flatten(slothGroups(file))

    // Every series Sloth records, we record: same name, same labels (5: info's generator labels aside).
    const ourKeys = normalise(ours)
    const theirKeys = normalise(theirs)
    expect(theirKeys.size).toBeGreaterThanOrEqual(15)
    for (const [key, theirRule] of theirKeys) {
      const ourRule = ourKeys.get(key)
      expect(ourRule, `Sloth records ${key}; we do not`).toBeDefined()
      const name = key.split(' ')[0] as string
      // 4: metadata values agree to 1e-12.
      if (['slo:objective:ratio', 'slo:error_budget:ratio', 'slo:time_period:days'].includes(name)) {
        expect(Math.abs(vectorValue(ourRule?.expr ?? '') - vectorValue(theirRule.expr))).toBeLessThan(1e-12)
      }
    }
    // What we record beyond Sloth: tiles and period sums only (1).
    const extra = new Set(
      [...ourKeys.keys()].filter((key) => !theirKeys.has(key)).map((key) => key.split(' ')[0]),
    )
    expect([...extra].sort()).toEqual([
      'slo:sli_bad:increase1m',
      'slo:sli_bad:increase30d',
      'slo:sli_total:increase1m',
      'slo:sli_total:increase30d',
    ])

    // The same alerts: name, labels (3: plus our identity labels), annotations, and conditions.
    expect(ours.alerts).toHaveLength(theirs.alerts.length)
    for (const theirAlert of theirs.alerts) {
      const severity = theirAlert.labels.sloth_severity
      const ourAlert = ours.alerts.find(
        (a) =>
          a.alert === theirAlert.alert &&
          a.labels.sloth_severity === severity &&
          conditions(a.expr).join() === conditions(theirAlert.expr).join() &&
          a.expr.match(/sloth_id="[^"]*"/)?.[0] === theirAlert.expr.match(/sloth_id="[^"]*"/)?.[0],
      )
      expect(ourAlert, `Sloth's ${theirAlert.alert} (${severity}) alert`).toBeDefined()
      const { sloth_id, sloth_service, sloth_slo, ...ourLabels } = ourAlert?.labels ?? {}
      expect(sloth_id).toMatch(/.+/)
      expect(ourLabels).toEqual(theirAlert.labels)
      expect(ourAlert?.annotations).toEqual(theirAlert.annotations)
      void sloth_service
      void sloth_slo
    }
  })
})

function withoutGenerator(labels: Record<string, string>): Record<string, string> {
  const copy = sorted(labels)
  for (const name of INFO_GENERATOR_LABELS) delete copy[name]
  return copy
}

/** Recorded series keyed by name and labels (the generator labels of the info series left out). */
function normalise(flat: Flat): Map<string, { expr: string; labels: Record<string, string> }> {
  return new Map(
    [...flat.records.values()].map((r, i) => {
      const name = ([...flat.records.keys()][i] as string).split(' ')[0]
      return [`${name} ${JSON.stringify(withoutGenerator(r.labels))}`, r]
    }),
  )
}
