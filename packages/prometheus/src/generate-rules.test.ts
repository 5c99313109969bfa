import { parseSlo, type SlokitError, type SloSpec, type SloSpecInput } from '@slokit/core'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { generateRules } from './generate-rules.js'
import { type AlertingRule, type RecordingRule, type RuleGroup, rulesToYaml } from './rule-file.js'

const ratio = (overrides: Partial<SloSpecInput> = {}, measurement: Record<string, string> = {}): SloSpec =>
  parseSlo({
    id: 'checkout-availability',
    service: 'checkout',
    objective: '99.9%',
    window: '30d',
    sli: {
      id: 'checkout-requests',
      kind: 'availability',
      measurement: {
        type: 'ratio',
        bad: 'sum(rate(http_requests_total{job="checkout",code=~"5.."}[{{window}}]))',
        total: 'sum(rate(http_requests_total{job="checkout"}[{{window}}]))',
        ...measurement,
      },
    },
    labels: { team: 'checkout' },
    runbookUrl: 'https://runbooks.example.com/checkout',
    ...overrides,
  } as SloSpecInput)

const records = (group: RuleGroup | undefined): RecordingRule[] =>
  (group?.rules ?? []).filter((r): r is RecordingRule => 'record' in r)
const alerts = (group: RuleGroup | undefined): AlertingRule[] =>
  (group?.rules ?? []).filter((r): r is AlertingRule => 'alert' in r)

describe('generateRules, slokit naming', () => {
  const rules = generateRules([ratio()])
  const [sli, period, meta] = rules.groups

  it('writes three groups per SLO: SLI tiles, windows and alerts every minute; period sums every 5 minutes; metadata', () => {
    expect(rules.groups.map((g) => [g.name, g.interval])).toEqual([
      ['slokit-slo-sli-recordings-checkout-availability', '1m'],
      ['slokit-slo-period-recordings-checkout-availability', '5m'],
      ['slokit-slo-meta-recordings-checkout-availability', '1m'],
    ])
    expect(rules.sloIds).toEqual(['checkout-availability'])
    expect(rules.skipped).toEqual([])
    expect(rules.warnings).toEqual([])
  })

  it('records the events of each 1-minute tile from the raw series, once', () => {
    const [total, bad] = records(sli)
    expect(total).toEqual({
      record: 'slo:sli_total:increase1m',
      expr: '(sum(rate(http_requests_total{job="checkout"}[1m]))) * 60 > -Inf < +Inf',
      labels: { slo: 'checkout-availability', slo_service: 'checkout', slo_window: '1m', team: 'checkout' },
    })
    expect(bad?.record).toBe('slo:sli_bad:increase1m')
    // No bad series where the total has one counts 0 bad events; no total, no tile.
    expect(bad?.expr).toBe(
      [
        '(',
        '  (sum(rate(http_requests_total{job="checkout",code=~"5.."}[1m]))) * 60 > -Inf < +Inf',
        '  or ignoring(slo, slo_service, slo_window, team) 0 * slo:sli_total:increase1m{slo="checkout-availability", slo_service="checkout"}',
        ')',
        'and ignoring(slo, slo_service, slo_window, team) slo:sli_total:increase1m{slo="checkout-availability", slo_service="checkout"}',
      ].join('\n'),
    )
  })

  it('reads at least four scrapes per tile when given the scrape interval: rate() needs two samples in its range', () => {
    const scraped = generateRules([ratio()], { scrapeIntervalMs: 60_000 })
    const [total, bad] = records(scraped.groups[0])
    // Still a 1-minute tile (the average rate over the last 4 minutes, times 60 s).
    expect(total?.record).toBe('slo:sli_total:increase1m')
    expect(total?.expr).toBe('(sum(rate(http_requests_total{job="checkout"}[4m]))) * 60 > -Inf < +Inf')
    expect(bad?.expr).toContain('(sum(rate(http_requests_total{job="checkout",code=~"5.."}[4m]))) * 60')
    expect(scraped.warnings).toEqual([
      '1m tiles read {{window}} = 4m (4 × the 1m scrape interval): each tile is the average rate over the last 4m, so windows are smoothed and lag by up to 3m',
    ])
    // Scrapes every 15 s fit four to a 1-minute tile: nothing changes.
    expect(generateRules([ratio()], { scrapeIntervalMs: 15_000 })).toEqual(generateRules([ratio()]))
    expect(() => generateRules([ratio()], { scrapeIntervalMs: 1500 })).toThrow(/scrapeIntervalMs/)
  })

  it('sums the tiles over every burn-rate window of the period (exactly n tiles: half a tile short of the window)', () => {
    const windows = records(sli).slice(2)
    expect(windows.map((r) => [r.record, r.labels?.slo_window])).toEqual([
      ['slo:sli_error:ratio_increase5m', '5m'],
      ['slo:sli_error:ratio_increase30m', '30m'],
      ['slo:sli_error:ratio_increase1h', '1h'],
      ['slo:sli_error:ratio_increase2h', '2h'],
      ['slo:sli_error:ratio_increase6h', '6h'],
      ['slo:sli_error:ratio_increase1d', '1d'],
      ['slo:sli_error:ratio_increase3d', '3d'],
    ])
    expect(windows[2]?.expr).toBe(
      'sum_over_time(slo:sli_bad:increase1m{slo="checkout-availability", slo_service="checkout"}[59m30s])\n/\nsum_over_time(slo:sli_total:increase1m{slo="checkout-availability", slo_service="checkout"}[59m30s])',
    )
    // Never the raw series over a long window.
    for (const rule of windows) expect(rule.expr).not.toContain('http_requests_total')
  })

  it('pages when 1h and 5m (or 6h and 30m) burn above 14.4 (6), tickets on 1d/2h above 3 and 3d/6h above 1', () => {
    const [page, ticket] = alerts(sli)
    expect(page?.alert).toBe('SLOErrorBudgetBurn')
    expect(page?.labels).toEqual({ severity: 'page', slo: 'checkout-availability', slo_service: 'checkout' })
    expect(page?.expr).toContain(
      'max(slo:sli_error:ratio_increase5m{slo="checkout-availability", slo_service="checkout"} > (14.4 * 0.001)) without (slo_window)\n    and\n    max(slo:sli_error:ratio_increase1h{',
    )
    expect(page?.expr).toContain(
      'ratio_increase30m{slo="checkout-availability", slo_service="checkout"} > (6 * 0.001)',
    )
    expect(ticket?.labels?.severity).toBe('ticket')
    expect(ticket?.expr).toMatch(
      /ratio_increase2h\{.*\} > \(3 \* 0\.001\)[\s\S]*ratio_increase3d\{.*\} > \(1 \* 0\.001\)/,
    )
    expect(page?.annotations?.runbook_url).toBe('https://runbooks.example.com/checkout')
    expect(page?.annotations?.summary).toBe(
      'SLO {{ $labels.slo }} ({{ $labels.slo_service }}) is burning its error budget too fast (page)',
    )
    expect(page?.annotations?.description).toContain(
      '14.4× the budget over both 1h and 5m, or 6× the budget over both 6h and 30m',
    )
  })

  it('uses the 7-day table for a 7-day SLO, as the in-process alerts do: 13.44, 3.5, 1.4, 0.98', () => {
    const [sli7] = generateRules([ratio({ window: '7d' })]).groups
    const [page7, ticket7] = alerts(sli7)
    expect(page7?.expr).toContain(
      'ratio_increase5m{slo="checkout-availability", slo_service="checkout"} > (13.44 * 0.001)',
    )
    expect(page7?.expr).toContain(
      'ratio_increase30m{slo="checkout-availability", slo_service="checkout"} > (3.5 * 0.001)',
    )
    expect(ticket7?.expr).toMatch(
      /ratio_increase2h\{.*\} > \(1\.4 \* 0\.001\)[\s\S]*ratio_increase3d\{.*\} > \(0\.98 \* 0\.001\)/,
    )
  })

  it('sums the whole period every 5 minutes, and derives SLI and budget from the latest sums every minute', () => {
    expect(records(period).map((r) => [r.record, r.expr])).toEqual([
      [
        'slo:sli_bad:increase30d',
        'sum_over_time(slo:sli_bad:increase1m{slo="checkout-availability", slo_service="checkout"}[29d23h59m30s])',
      ],
      [
        'slo:sli_total:increase30d',
        'sum_over_time(slo:sli_total:increase1m{slo="checkout-availability", slo_service="checkout"}[29d23h59m30s])',
      ],
    ])
    expect(records(meta).map((r) => [r.record, r.expr])).toEqual([
      [
        'slo:sli_error:ratio_increase30d',
        'last_over_time(slo:sli_bad:increase30d{slo="checkout-availability", slo_service="checkout"}[10m])\n/\nlast_over_time(slo:sli_total:increase30d{slo="checkout-availability", slo_service="checkout"}[10m])',
      ],
      ['slo:objective:ratio', 'vector(0.999)'],
      ['slo:error_budget:ratio', 'vector(0.001)'],
      ['slo:period:seconds', 'vector(2592000)'],
      [
        'slo:compliance:ratio',
        '1 - slo:sli_error:ratio_increase30d{slo="checkout-availability", slo_service="checkout"}',
      ],
      [
        'slo:error_budget_remaining:ratio',
        '1 - slo:sli_error:ratio_increase30d{slo="checkout-availability", slo_service="checkout"} / 0.001',
      ],
      ['slokit_slo_info', 'vector(1)'],
    ])
    expect(records(meta).at(-1)?.labels).toEqual({
      slo: 'checkout-availability',
      slo_budgeting_method: 'occurrences',
      slo_objective: '0.999',
      slo_period: '30d',
      slo_service: 'checkout',
      team: 'checkout',
    })
  })

  it('computes the period sums in the SLI group when asked to run them per tile', () => {
    const exact = generateRules([ratio()], { periodEvaluationIntervalMs: 60_000 })
    expect(exact.groups.map((g) => g.name)).toEqual([
      'slokit-slo-sli-recordings-checkout-availability',
      'slokit-slo-meta-recordings-checkout-availability',
    ])
    expect(records(exact.groups[0]).map((r) => r.record)).toContain('slo:sli_total:increase30d')
    expect(records(exact.groups[1])[0]?.expr).toBe(
      'last_over_time(slo:sli_bad:increase30d{slo="checkout-availability", slo_service="checkout"}[2m])\n/\nlast_over_time(slo:sli_total:increase30d{slo="checkout-availability", slo_service="checkout"}[2m])',
    )
  })

  it('turns a good query into bad tiles by subtraction (a missing good series counts 0 good events)', () => {
    const good = generateRules([
      ratio(
        {},
        {
          bad: undefined as unknown as string,
          good: 'sum(rate(http_requests_total{job="checkout",code!~"5.."}[{{window}}]))',
        },
      ),
    ])
    const bad = records(good.groups[0])[1]
    expect(bad?.expr.split('\n')[0]).toBe(
      'slo:sli_total:increase1m{slo="checkout-availability", slo_service="checkout"}',
    )
    expect(bad?.expr).toContain('- ignoring(slo, slo_service, slo_window, team) (')
  })
})

describe('generateRules, Sloth naming', () => {
  it('uses Sloth’s names, labels and durations (28 days is 4w), and its metadata series', () => {
    const rules = generateRules([ratio({ window: '28d' })], {
      naming: 'sloth',
      extraLabels: { cmd: 'slokit' },
    })
    expect(rules.groups.map((g) => g.name)).toEqual([
      'sloth-slo-sli-recordings-checkout-availability',
      'sloth-slo-period-recordings-checkout-availability',
      'sloth-slo-meta-recordings-checkout-availability',
    ])
    const sli = records(rules.groups[0])
    expect(sli.map((r) => r.record)).toEqual([
      'slo:sli_total:increase1m',
      'slo:sli_bad:increase1m',
      'slo:sli_error:ratio_rate5m',
      'slo:sli_error:ratio_rate30m',
      'slo:sli_error:ratio_rate1h',
      'slo:sli_error:ratio_rate2h',
      'slo:sli_error:ratio_rate6h',
      'slo:sli_error:ratio_rate1d',
      'slo:sli_error:ratio_rate3d',
      'slo:current_burn_rate:ratio',
    ])
    expect(sli[2]?.labels).toEqual({
      cmd: 'slokit',
      sloth_id: 'checkout-availability',
      sloth_service: 'checkout',
      sloth_slo: 'availability',
      sloth_window: '5m',
      team: 'checkout',
    })
    const meta = records(rules.groups[2])
    expect(meta.map((r) => r.record)).toEqual([
      'slo:sli_error:ratio_rate4w',
      'slo:objective:ratio',
      'slo:error_budget:ratio',
      'slo:time_period:days',
      'slo:period_burn_rate:ratio',
      'slo:period_error_budget_remaining:ratio',
      'sloth_slo_info',
    ])
    expect(meta[3]?.expr).toBe('vector(28)')
    expect(meta[0]?.labels?.sloth_window).toBe('4w')
    const [page, ticket] = alerts(rules.groups[0])
    expect(page?.labels).toEqual({
      sloth_id: 'checkout-availability',
      sloth_service: 'checkout',
      sloth_severity: 'page',
      sloth_slo: 'availability',
    })
    expect(page?.annotations?.title).toBe(
      '(page) {{$labels.sloth_service}} {{$labels.sloth_slo}} SLO error budget burn rate is too fast.',
    )
    expect(page?.expr).toContain('> (13.44 * 0.001)) without (sloth_window)')
    expect(ticket?.expr).toContain('> (0.9333333333333333 * 0.001)')
  })

  it('takes alert names, labels, annotations and disabled tiers per SLO', () => {
    const rules = generateRules([ratio()], {
      naming: 'sloth',
      alerting: {
        'checkout-availability': {
          name: 'CheckoutErrors',
          labels: { category: 'availability' },
          annotations: { summary: 'Checkout fails' },
          page: { labels: { severity: 'critical' } },
          ticket: { disabled: true },
        },
      },
    })
    const found = alerts(rules.groups[0])
    expect(found).toHaveLength(1)
    expect(found[0]?.alert).toBe('CheckoutErrors')
    expect(found[0]?.labels).toMatchObject({
      category: 'availability',
      severity: 'critical',
      sloth_severity: 'page',
    })
    expect(found[0]?.annotations?.summary).toBe('Checkout fails')
  })
})

describe('generateRules, sliced SLOs', () => {
  it('judges one tile per slice for a threshold SLI, the query evaluated over the slice', () => {
    const slo = parseSlo({
      id: 'search-quality',
      service: 'search',
      objective: '95%',
      window: '7d',
      budgetingMethod: 'timeslices',
      timeslice: { length: '5m' },
      sli: {
        id: 'relevance',
        kind: 'quality',
        noData: 'bad',
        measurement: {
          type: 'threshold',
          query: 'avg(avg_over_time(search_relevance_score[{{window}}]))',
          aggregation: 'avg',
          comparison: '>=',
          threshold: 0.7,
        },
      },
    })
    const rules = generateRules([slo])
    expect(rules.groups[0]?.interval).toBe('5m')
    const [value, total, bad] = records(rules.groups[0])
    expect(value).toMatchObject({
      record: 'slo:sli_value:5m',
      expr: 'avg((avg(avg_over_time(search_relevance_score[5m]))) > -Inf < +Inf)',
    })
    const v = 'slo:sli_value:5m{slo="search-quality", slo_service="search"}'
    expect(total?.expr).toBe(`(${v} * 0 + 1) or on() vector(1)`)
    // A slice without data counts as bad under noData: bad.
    expect(bad?.expr).toBe(`(${v} < bool 0.7) or on() vector(1)`)
    // A bad slice spends its length out of 5 % of the whole 7 days. The 5-minute tiles run as
    // often as the period group would, so the period sums join the SLI group.
    expect(rules.groups.map((g) => g.name)).toEqual([
      'slokit-slo-sli-recordings-search-quality',
      'slokit-slo-meta-recordings-search-quality',
    ])
    const remaining = records(rules.groups[1]).find((r) => r.record === 'slo:error_budget_remaining:ratio')
    expect(remaining?.expr).toBe(
      '1 - last_over_time(slo:sli_bad:increase1w{slo="search-quality", slo_service="search"}[10m]) / (0.05 * 2016)',
    )
  })

  it('judges a ratio SLI’s slices against the slice objective, and averages ratios for ratio_timeslices', () => {
    const sliced = ratio({ budgetingMethod: 'timeslices', timeslice: { length: '5m', objective: '95%' } })
    const [eventsTotal, eventsBad, total, bad] = records(generateRules([sliced]).groups[0])
    expect([eventsTotal?.record, eventsBad?.record, total?.record, bad?.record]).toEqual([
      'slo:sli_total_events:increase5m',
      'slo:sli_bad_events:increase5m',
      'slo:sli_total:increase5m',
      'slo:sli_bad:increase5m',
    ])
    const t = 'slo:sli_total_events:increase5m{slo="checkout-availability", slo_service="checkout"}'
    const b = 'slo:sli_bad_events:increase5m{slo="checkout-availability", slo_service="checkout"}'
    expect(total?.expr).toBe(`(${t} > 0) * 0 + 1`)
    expect(bad?.expr).toBe(`(${t} - ${b}) / (${t} > 0) < bool 0.95`)
    const averaged = ratio({ budgetingMethod: 'ratio_timeslices', timeslice: { length: '1h' } })
    const rules = generateRules([averaged])
    expect(records(rules.groups[0])[3]?.expr).toBe(
      'slo:sli_bad_events:increase1h{slo="checkout-availability", slo_service="checkout"} / (slo:sli_total_events:increase1h{slo="checkout-availability", slo_service="checkout"} > 0)',
    )
    expect(rules.warnings).toEqual([
      'checkout-availability: the 5m burn-rate window is not a whole number of 1h tiles; the rules use 1',
      'checkout-availability: the 30m burn-rate window is not a whole number of 1h tiles; the rules use 1',
    ])
  })
})

describe('generateRules, options and problems', () => {
  it('adds the optional alerts: budget exhausted, SLI data absent, collection health', () => {
    const rules = generateRules([ratio()], {
      budgetExhaustedAlert: true,
      dataAbsentAlertAfterMs: 15 * 60_000,
      collectionHealthAlert: { windowMs: 10 * 60_000 },
    })
    const names = alerts(rules.groups[0]).map((a) => [a.alert, a.expr])
    expect(names).toContainEqual([
      'SLOErrorBudgetExhausted',
      'slo:error_budget_remaining:ratio{slo="checkout-availability", slo_service="checkout"} <= 0',
    ])
    expect(names).toContainEqual([
      'SLOSliDataAbsent',
      'absent_over_time(slo:sli_total:increase1m{slo="checkout-availability", slo_service="checkout"}[15m])',
    ])
    const health = rules.groups.at(-1)
    expect(health?.name).toBe('slokit-slo-collection-health')
    expect(alerts(health)[0]?.expr).toContain('increase(sli_collection_total{result="failure"}[10m])')
  })

  it('refuses SLOs without PromQL, listing all of them, or leaves them out under skipUnsupported', () => {
    const inProcess = parseSlo({
      id: 'in-process',
      service: 's',
      objective: 0.99,
      window: '30d',
      sli: { id: 'x', kind: 'availability', measurement: { type: 'ratio' } },
    })
    const noWindow = ratio({ id: 'no-window' }, { total: 'sum(http_requests_total)' })
    expect(() => generateRules([inProcess, noWindow, ratio()])).toThrow(
      /2 SLOs cannot get Prometheus rules:\n {2}- in-process: SLI "x" has no PromQL[\s\S]*- no-window: SLI "checkout-requests": measurement.total has no \{\{window\}\}/,
    )
    const partial = generateRules([inProcess, ratio()], { skipUnsupported: true })
    expect(partial.sloIds).toEqual(['checkout-availability'])
    expect(partial.skipped.map((s) => s.sloId)).toEqual(['in-process'])
  })

  it('refuses duplicate SLO ids and bad options with INVALID_ARGUMENT', () => {
    const invalid = (f: () => unknown) => {
      try {
        f()
      } catch (error) {
        return (error as SlokitError).code
      }
      return undefined
    }
    expect(invalid(() => generateRules([ratio(), ratio()]))).toBe('INVALID_ARGUMENT')
    expect(invalid(() => generateRules([ratio()], { evaluationIntervalMs: 1500 }))).toBe('INVALID_ARGUMENT')
    expect(invalid(() => generateRules([ratio()], { naming: 'pyrra' as never }))).toBe('INVALID_ARGUMENT')
    expect(invalid(() => generateRules([ratio()], { extraLabels: { 'bad-name': 'x' } }))).toBe(
      'INVALID_ARGUMENT',
    )
    expect(invalid(() => generateRules([ratio()], { alerting: { x: { name: 'Bad name' } } }))).toBe(
      'INVALID_ARGUMENT',
    )
  })

  it('warns about calendar windows (tracked as rolling) and alerts that can never fire', () => {
    const rules = generateRules([
      ratio({ id: 'monthly', window: { calendar: 'month', timeZone: 'Europe/Berlin' } }),
      ratio({ id: 'loose', objective: '90%' }),
    ])
    expect(rules.warnings[0]).toBe(
      'monthly: its window is the calendar month (Europe/Berlin); Prometheus rules track it as a rolling 30d window',
    )
    expect(rules.warnings[1]).toContain(
      'loose: the page row 1h/5m needs an error ratio above 14.4 × 0.1 ≥ 1, so it can never fire',
    )
  })

  it('drops rows whose long window exceeds the period, and reuses the window series equal to the period', () => {
    const rules = generateRules([ratio({ id: 'canary', window: '1h' })])
    expect(alerts(rules.groups[0]).map((a) => a.labels?.severity)).toEqual(['page'])
    const meta = records(rules.groups.at(-1))
    expect(meta.map((r) => r.record)).not.toContain('slo:sli_error:ratio_increase1h')
    expect(meta.find((r) => r.record === 'slo:compliance:ratio')?.expr).toBe(
      '1 - last_over_time(slo:sli_error:ratio_increase1h{slo="canary", slo_service="checkout"}[2m])',
    )
  })
})

describe('rulesToYaml', () => {
  it('writes a rule file Prometheus reads back: keys in order, expressions as literal blocks, a header', () => {
    const rules = generateRules([ratio()])
    const text = rulesToYaml(rules, { header: ['Generated by slokit.', 'Do not edit.'] })
    expect(
      text.startsWith(
        '# Generated by slokit.\n# Do not edit.\n\ngroups:\n- name: slokit-slo-sli-recordings-checkout-availability\n  interval: 1m\n  rules:\n  - record: slo:sli_total:increase1m\n    expr: ',
      ),
    ).toBe(true)
    expect(text).toContain('    expr: |-\n      sum_over_time(')
    const back = parse(text) as { groups: RuleGroup[] }
    expect(back.groups).toEqual(rules.groups.map((g) => JSON.parse(JSON.stringify(g))))
    expect(rulesToYaml(generateRules([ratio()]))).toBe(rulesToYaml(rules)) // deterministic
  })
})
