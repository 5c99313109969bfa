import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseSlo, SlokitError } from '@slokit/core'
import { describe, expect, it } from 'vitest'
import { parseSlothSpec, SlothSpecError } from './sloth.js'

const PLAIN = `
version: "prometheus/v1"
service: "myservice"
labels:
  owner: "myteam"
  tier: 2
slos:
  - name: "requests-availability"
    objective: 99.9
    description: "Availability of HTTP requests."
    labels:
      category: availability
    sli:
      events:
        error_query: sum(rate(http_requests_total{job="myservice",code=~"(5..|429)"}[{{.window}}]))
        total_query: sum(rate(http_requests_total{job="myservice"}[{{ .window }}]))
    alerting:
      name: MyServiceHighErrorRate
      labels:
        category: "availability"
      annotations:
        summary: "High error rate"
      page_alert:
        labels:
          severity: pageteam
      ticket_alert:
        disable: true
  - name: "requests-latency"
    objective: 99
    sli:
      raw:
        error_ratio_query: 1 - avg(avg_over_time(satisfaction_ratio[{{.window}}]))
`

const K8S = `
apiVersion: sloth.slok.dev/v1
kind: PrometheusServiceLevel
metadata:
  name: my-service
spec:
  service: "myservice"
  slos:
    - name: "requests-availability"
      objective: 99.95
      sli:
        events:
          errorQuery: sum(rate(errors_total[{{.window}}]))
          totalQuery: sum(rate(requests_total[{{.window}}]))
      alerting:
        name: Burn
        pageAlert:
          disable: true
        ticketAlert:
          labels:
            severity: ticket
`

function issuesOf(text: string): { code: string; paths: string[]; message: string } {
  try {
    parseSlothSpec(text, { source: 'spec.yml' })
  } catch (error) {
    expect(error).toBeInstanceOf(SlothSpecError)
    const e = error as SlothSpecError
    return { code: e.code, paths: e.issues.map((i) => i.path.join('.')), message: e.message }
  }
  throw new Error('expected the spec to be refused')
}

describe('parseSlothSpec', () => {
  it('reads a prometheus/v1 spec into slokit SLOs with ids <service>-<name> and Sloth labels', () => {
    const { slos, alerting } = parseSlothSpec(PLAIN)
    expect(slos.map((s) => s.id)).toEqual(['myservice-requests-availability', 'myservice-requests-latency'])
    const availability = parseSlo(slos[0] as (typeof slos)[number])
    expect(availability.objective).toBe(0.999) // exactly, from "99.9%"
    expect(availability.window).toEqual({ type: 'rolling', durationMs: 30 * 86_400_000 })
    expect(availability.labels).toEqual({ owner: 'myteam', tier: '2', category: 'availability' })
    expect(availability.description).toBe('Availability of HTTP requests.')
    expect(availability.sli.measurement).toEqual({
      type: 'ratio',
      bad: 'sum(rate(http_requests_total{job="myservice",code=~"(5..|429)"}[{{window}}]))',
      total: 'sum(rate(http_requests_total{job="myservice"}[{{window}}]))',
    })
    expect(alerting['myservice-requests-availability']).toEqual({
      name: 'MyServiceHighErrorRate',
      labels: { category: 'availability' },
      annotations: { summary: 'High error rate' },
      page: { labels: { severity: 'pageteam' }, annotations: {} },
      ticket: { disabled: true, labels: {}, annotations: {} },
    })
  })

  it('reads a raw SLI as the error ratio over one event per step, and guesses latency SLIs by name', () => {
    const latency = parseSlo(parseSlothSpec(PLAIN).slos[1] as never)
    expect(latency.sli.kind).toBe('latency')
    expect(latency.sli.measurement).toEqual({
      type: 'ratio',
      bad: '1 - avg(avg_over_time(satisfaction_ratio[{{window}}]))',
      total: '(1 - avg(avg_over_time(satisfaction_ratio[{{window}}]))) * 0 + 1',
    })
  })

  it('reads the Kubernetes PrometheusServiceLevel form (camelCase fields), and the period option', () => {
    const { slos, alerting } = parseSlothSpec(K8S, { window: '28d' })
    const slo = parseSlo(slos[0] as never)
    expect(slo.id).toBe('myservice-requests-availability')
    expect(slo.window).toEqual({ type: 'rolling', durationMs: 28 * 86_400_000 })
    expect(slo.sli.measurement).toMatchObject({ bad: 'sum(rate(errors_total[{{window}}]))' })
    expect(alerting[slo.id]?.page?.disabled).toBe(true)
    expect(alerting[slo.id]?.ticket?.labels).toEqual({ severity: 'ticket' })
  })

  it('reads every document of a multi-document file', () => {
    const { slos } = parseSlothSpec(`${PLAIN}\n---\n${K8S.replace('"myservice"', '"other"')}`)
    expect(slos.map((s) => s.id)).toEqual([
      'myservice-requests-availability',
      'myservice-requests-latency',
      'other-requests-availability',
    ])
  })

  it('refuses SLI plugins and SLO plugin chains with NOT_SUPPORTED, naming each field', () => {
    const text = `
version: prometheus/v1
service: svc
slo_plugins:
  chain: [{ id: "sloth.dev/contrib/denominator_corrected_rules/v1" }]
slos:
  - name: a
    objective: 99
    plugins: { chain: [{ id: x }] }
    sli:
      plugin:
        id: getting_started_availability
`
    const { code, paths, message } = issuesOf(text)
    expect(code).toBe('NOT_SUPPORTED')
    expect(paths).toEqual(['slo_plugins', 'slos.0.plugins', 'slos.0.sli.plugin'])
    expect(message).toContain(
      'slos[0].sli.plugin: SLI plugins "getting_started_availability" are not supported',
    )
    expect(message).toContain('spec.yml')
  })

  it('refuses OpenSLO documents, pointing elsewhere', () => {
    const { code, message } = issuesOf(
      'apiVersion: openslo/v1alpha\nkind: SLO\nmetadata: { name: x }\nspec: {}\n',
    )
    expect(code).toBe('NOT_SUPPORTED')
    expect(message).toContain('OpenSLO documents (openslo/v1alpha) are not Sloth specs')
  })

  it('lists every problem at once: unknown fields (with a suggestion), bad objectives, missing queries', () => {
    const text = `
version: prometheus/v1
service: svc
slos:
  - name: a
    objective: 100
    sli:
      events:
        errorQuery: x[{{.window}}]
        total_query: sum(rate(y[5m]))
  - name: b
    objectiv: 99
    sli: { raw: { error_ratio_query: "z[{{.window}}] / {{.service}}" } }
`
    const { code, paths, message } = issuesOf(text)
    expect(code).toBe('NOT_SUPPORTED') // the template {{.service}}
    expect(paths).toEqual([
      'slos.0.objective',
      'slos.0.sli.events.errorQuery',
      'slos.0.sli.events.error_query',
      'slos.0.sli.events.total_query',
      'slos.1.objectiv',
      'slos.1.objective',
      'slos.1.sli.raw.error_ratio_query',
    ])
    expect(message).toContain('did you mean `error_query`?')
    expect(message).toContain('did you mean `objective`?')
    expect(message).toContain('the query has no {{.window}}')
  })

  it('refuses YAML errors, documents that are not specs, duplicate SLOs and an empty file', () => {
    expect(issuesOf('version: [').message).toContain('YAML')
    expect(issuesOf('foo: bar').message).toContain('not a Sloth spec')
    expect(issuesOf('').message).toContain('holds no document')
    const twice = `version: prometheus/v1\nservice: s\nslos:\n  - { name: a, objective: 99, sli: { events: { error_query: "a[{{.window}}]", total_query: "b[{{.window}}]" } } }\n  - { name: a, objective: 98, sli: { events: { error_query: "a[{{.window}}]", total_query: "b[{{.window}}]" } } }\n`
    expect(issuesOf(twice).message).toContain('"s-a" (service-name) appears 2 times')
  })

  it('throws SlokitErrors (the host can branch on code)', () => {
    expect(() => parseSlothSpec('foo: 1')).toThrow(SlokitError)
  })
})

const corpus = join(
  fileURLToPath(new URL('../../../', import.meta.url)),
  '..',
  'shared',
  'corpus',
  'sloth',
  'examples',
)

describe.skipIf(!existsSync(corpus))('parseSlothSpec on the Sloth corpus', () => {
  const files = existsSync(corpus) ? readdirSync(corpus).filter((f) => /\.ya?ml$/.test(f)) : []
  const unsupported: Record<string, RegExp> = {
    'contrib-denominator-corrected.yaml': /spec\.sloPlugins: SLO plugin chains are not supported/,
    'contrib-slo-plugins.yml': /slos\[0\]\.plugins: SLO plugin chains/,
    'openslo-getting-started.yml': /OpenSLO documents/,
    'openslo-kubernetes-apiserver.yml': /OpenSLO documents/,
    'plugin-getting-started.yml': /slos\[0\]\.sli\.plugin: SLI plugins "getting_started_availability"/,
    'plugin-k8s-getting-started.yml': /spec\.slos\[0\]\.sli\.plugin/,
    'slo-plugin-getting-started.yml': /slo_plugins: SLO plugin chains/,
    'slo-plugin-k8s-getting-started.yml': /spec\.sloPlugins/,
    'victoria-metrics.yml': /slo_plugins: SLO plugin chains/,
  }

  it.each(files)('%s: imports, or is refused with a typed error naming the unsupported field', (file) => {
    const text = readFileSync(join(corpus, file), 'utf8')
    const expected = unsupported[file]
    if (expected === undefined) {
      const spec = parseSlothSpec(text, { source: file })
      expect(spec.slos.length).toBeGreaterThan(0)
      for (const slo of spec.slos) expect(() => parseSlo(slo)).not.toThrow()
    } else {
      expect(() => parseSlothSpec(text, { source: file })).toThrow(expected)
    }
  })
})
