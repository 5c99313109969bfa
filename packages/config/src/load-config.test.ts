import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  type ConfigCheck,
  type ConfigIssue,
  formatConfigIssue,
  loadConfig,
  parseConfig,
  SlokitConfigError,
} from '@slokit/config'
import { Secret, SlokitError } from '@slokit/core'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'

const yaml = (lines: string[]) => `${lines.join('\n')}\n`

const VALID = yaml([
  'apiVersion: slokit/v1',
  'slis:',
  '  - id: checkout-requests',
  '    kind: availability',
  '    measurement:',
  '      type: ratio',
  '      bad: sum(rate(http_requests_total{code=~"5.."}[{{window}}]))',
  '      total: sum(rate(http_requests_total[{{window}}]))',
  'slos:',
  '  - id: checkout-availability',
  '    service: checkout',
  '    sli: checkout-requests',
  '    objective: 99.9%',
  '    window: 30d',
  '  - id: search-latency',
  '    service: search',
  '    sli:',
  '      id: search-latency',
  '      kind: latency',
  '      measurement: { type: threshold, aggregation: p99, comparison: "<=", threshold: 300 }',
  '    objective: 0.99',
  '    window: { calendar: month, timeZone: Europe/Berlin }',
  '    budgetingMethod: timeslices',
  '    timeslice: { length: 1m }',
])

function problems(texts: Array<[string, string]>, options = {}): ConfigIssue[] {
  try {
    parseConfig(
      texts.map(([name, text]) => ({ name, text })),
      options,
    )
  } catch (error) {
    expect(error).toBeInstanceOf(SlokitConfigError)
    expect(error).toBeInstanceOf(SlokitError)
    expect((error as SlokitError).code).toBe('INVALID_CONFIG')
    return [...(error as SlokitConfigError).issues]
  }
  throw new Error('expected the config to be rejected')
}

const brief = (issues: readonly ConfigIssue[]) => issues.map(formatConfigIssue)

describe('parseConfig — a valid document', () => {
  it('resolves SLI references, keeps inline SLIs, and knows where each SLO was defined', () => {
    const config = parseConfig([{ name: 'slo.yaml', text: VALID }])
    expect(config.slos.map((s) => [s.id, s.sli.id, s.objective])).toEqual([
      ['checkout-availability', 'checkout-requests', 0.999],
      ['search-latency', 'search-latency', 0.99],
    ])
    expect(config.slis.map((s) => s.id)).toEqual(['checkout-requests', 'search-latency'])
    expect(config.slos[1]?.window).toEqual({ type: 'calendar', unit: 'month', timeZone: 'Europe/Berlin' })
    expect(config.originOf('search-latency')).toEqual({ file: 'slo.yaml', line: 15, column: 5 })
    expect(config.originOf('checkout-requests', 'sli')).toEqual({ file: 'slo.yaml', line: 3, column: 5 })
    expect(config.warnings).toEqual([])
  })

  it('merges a multi-document stream and several files', () => {
    const [head, tail] = VALID.split('slos:\n') as [string, string]
    const config = parseConfig([
      { name: 'slis.yaml', text: head },
      {
        name: 'slos.yaml',
        text: `apiVersion: slokit/v1\nslos:\n${tail}---\napiVersion: slokit/v1\nslos: []\n---\n`,
      },
    ])
    expect(config.slos).toHaveLength(2)
    expect(config.originOf('checkout-availability')).toMatchObject({ file: 'slos.yaml', line: 3 })
  })
})

describe('parseConfig — every problem at once, with file, line and column', () => {
  it('reports five independent mistakes in one pass', () => {
    const text = yaml([
      'apiVersion: slokit/v1', //                                     1
      'slis:', //                                                     2
      '  - id: checkout-requests', //                                 3
      '    kind: availability', //                                    4
      '    measurement: { type: ratio }', //                          5
      'slos:', //                                                     6
      '  - id: checkout-availability', //                             7
      '    service: checkout', //                                     8
      '    sli: checkout-requests', //                                9
      '    objective: 1.5', //                                       10  bad objective
      '    window: 30d', //                                          11
      '  - id: checkout-latency', //                                 12
      '    service: checkout', //                                    13
      '    sli: checkout-requests', //                               14
      '    objective: 0.99', //                                      15
      '    windw: 7d', //                                            16  typo → unknown key (and window missing)
      '  - id: search-availability', //                              17
      '    service: search', //                                      18
      '    sli: checkout-request', //                                19  dangling reference
      '    objective: 99.9%', //                                     20
      '    window: 30d', //                                          21
      '  - id: checkout-availability', //                            22  duplicate id
      '    service: checkout', //                                    23
      '    sli: checkout-requests', //                               24
      '    objective: 99%', //                                       25
      '    window: 30d', //                                          26
      '  - id: payments-availability', //                            27
      '    service: payments', //                                    28
      '    sli: checkout-requests', //                               29
      '    objective: 99.9%', //                                     30
      '    window: 30days', //                                       31  malformed duration
    ])
    expect(brief(problems([['bad.yaml', text]]))).toEqual([
      'bad.yaml:10:16: error: slos[0].objective: invalid objective 1.5: must be a ratio between 0 and 1 (e.g. 0.999) or a percent string (e.g. "99.9%")',
      'bad.yaml:16:5: error: slos[1].windw: unknown key (did you mean `window`?)',
      'bad.yaml:19:10: error: slos[2].sli: unknown SLI `checkout-request` (did you mean `checkout-requests`?)',
      'bad.yaml:22:9: error: slos[3].id: duplicate SLO id `checkout-availability` (first defined at bad.yaml:7:5)',
      'bad.yaml:31:13: error: slos[4].window: invalid duration "30days": use a positive duration such as 30s, 5m, 1h30m, 28d or 4w',
    ])
  })

  it('suggests the value meant for a misspelt enum', () => {
    const text = VALID.replace('kind: availability', 'kind: availabilty')
    expect(brief(problems([['a.yaml', text]]))).toEqual([
      'a.yaml:4:11: error: slis[0].kind: must be one of "availability", "latency", "error_rate", "throughput", "quality", "freshness", "correctness", "coverage", "durability", got "availabilty" (did you mean `availability`?)',
    ])
  })

  it('reports YAML syntax errors with their position, along with the other files', () => {
    const issues = problems([
      ['broken.yaml', 'apiVersion: slokit/v1\nslos:\n  - id: x\n    service: [unclosed\n'],
      ['other.yaml', VALID.replace('objective: 0.99', 'objective: 2')],
    ])
    expect(issues.map((i) => [i.file, i.line, i.message.slice(0, 18)])).toEqual([
      ['broken.yaml', 5, 'YAML syntax error:'],
      ['other.yaml', 21, 'invalid objective '],
    ])
  })

  it('explains the YAML error of an unquoted secret reference inside a flow mapping', () => {
    const issues = problems([
      ['a.yaml', `${VALID}channels:\n  sre: { type: slack, webhookUrl: \${env:URL} }\n`],
    ])
    expect(issues[0]?.hint).toBe("inside `{ … }` or `[ … ]`, quote secret references: '${env:NAME}'")
  })

  it('reports unknown top-level keys with the section meant', () => {
    expect(brief(problems([['a.yaml', `${VALID}polices: {}\n`]]))).toEqual([
      'a.yaml:25:1: error: polices: unknown top-level key (did you mean `policies`?)',
    ])
  })

  it('locates problems in merged sections in the document that holds them', () => {
    const schema = z.record(
      z.string(),
      z.strictObject({ type: z.enum(['slack', 'pagerduty']), url: z.string().optional() }),
    )
    const issues = problems(
      [
        ['a.yaml', `${VALID}channels:\n  sre: { type: slack }\n`],
        [
          'b.yaml',
          'apiVersion: slokit/v1\nchannels:\n  oncall:\n    type: pagerdty\n  sre: { type: slack }\n',
        ],
      ],
      { sections: { channels: schema } },
    )
    expect(brief(issues)).toEqual([
      'b.yaml:4:11: error: channels.oncall.type: must be one of "slack", "pagerduty", got "pagerdty" (did you mean `pagerduty`?)',
      'b.yaml:5:3: error: channels.sre: `sre` is defined twice in `channels` (first defined at a.yaml:26:3)',
    ])
  })

  it('runs cross-section checks once the sections are valid, reporting each finding where it is', () => {
    const channels = z.record(z.string(), z.strictObject({ type: z.string() }))
    const alerts = z.strictObject({ routes: z.array(z.strictObject({ channels: z.array(z.string()) })) })
    const check: ConfigCheck = ({ sections }) => {
      const defined = Object.keys(sections.channels as object)
      return (sections.alerts as { routes: Array<{ channels: string[] }> }).routes.flatMap((route, r) =>
        route.channels.flatMap((name, c) =>
          defined.includes(name)
            ? []
            : [
                {
                  path: ['alerts', 'routes', r, 'channels', c] as const,
                  message: `no channel \`${name}\``,
                  hint: 'define it under `channels`',
                },
              ],
        ),
      )
    }
    const text = (routes: string) =>
      [
        ['a.yaml', `${VALID}channels:\n  sre: { type: slack }\n`],
        ['b.yaml', `apiVersion: slokit/v1\nalerts:\n  routes:\n    - channels: [${routes}]\n`],
      ] as Array<[string, string]>
    expect(brief(problems(text('sre, oncall'), { sections: { channels, alerts }, checks: [check] }))).toEqual(
      ['b.yaml:4:23: error: alerts.routes[0].channels[1]: no channel `oncall` (define it under `channels`)'],
    )
    const valid = text('sre').map(([name, t]) => ({ name, text: t }))
    expect(parseConfig(valid, { sections: { channels, alerts }, checks: [check] }).sections.alerts).toEqual({
      routes: [{ channels: ['sre'] }],
    })
    // While a section is invalid, checks that read it do not run (and cannot pile up noise).
    expect(brief(problems(text('7'), { sections: { channels, alerts }, checks: [check] }))).toHaveLength(1)
  })

  it('reports an inline SLI that reuses a listed id', () => {
    const text = VALID.replace('      id: search-latency', '      id: checkout-requests')
    expect(brief(problems([['a.yaml', text]]))).toEqual([
      'a.yaml:18:11: error: slos[1].sli.id: inline SLI id `checkout-requests` is already defined under `slis` (reference it with `sli: checkout-requests`, or give the inline SLI another id)',
    ])
  })

  it('does not repeat an SLI problem on every SLO that references it', () => {
    const issues = problems([['a.yaml', VALID.replace('kind: availability', 'kind: 7')]])
    expect(issues.map((i) => i.path.join('.'))).toEqual(['slis.0.kind'])
  })
})

describe('parseConfig — documents that are not slokit configs', () => {
  it.each([
    [
      'apiVersion: openslo/v1\nkind: SLO\nmetadata: { name: x }\n',
      'not a slokit document: this is an OpenSLO openslo/v1 document (kind SLO)',
    ],
    [
      'version: "prometheus/v1"\nservice: x\nslos: []\n',
      'not a slokit document: this is a Sloth `prometheus/v1` spec',
    ],
    [
      'apiVersion: sloth.slok.dev/v1\nkind: PrometheusServiceLevel\n',
      'not a slokit document: this is a Sloth Kubernetes resource (kind PrometheusServiceLevel)',
    ],
    [
      'apiVersion: pyrra.dev/v1alpha1\nkind: ServiceLevelObjective\n',
      'not a slokit document: this is a Pyrra ServiceLevelObjective',
    ],
    ['slos: []\n', 'not a slokit document: missing `apiVersion: slokit/v1`'],
    ['apiVersion: slokit/v2\n', 'unsupported apiVersion "slokit/v2": expected slokit/v1'],
    [
      '- just\n- a list\n',
      'a slokit config document is a mapping starting with `apiVersion: slokit/v1`, got a list',
    ],
  ])('%j', (text, message) => {
    expect(problems([['x.yaml', text]]).map((i) => i.message)).toEqual([message])
  })

  const corpus = fileURLToPath(new URL('../../../../shared/corpus/', import.meta.url))
  const files = (dir: string): string[] =>
    existsSync(dir)
      ? readdirSync(dir).flatMap((entry) => {
          const path = join(dir, entry)
          return statSync(path).isDirectory() ? files(path) : /\.ya?ml$/.test(entry) ? [path] : []
        })
      : []
  const corpusFiles = [
    ...files(join(corpus, 'openslo-spec')),
    ...files(join(corpus, 'openslo-go-sdk')),
    ...files(join(corpus, 'sloth/examples')),
  ]
  it.skipIf(corpusFiles.length === 0)(
    `every OpenSLO and Sloth file of ../shared/corpus is refused as "not a slokit document", never a crash (${corpusFiles.length} files)`,
    () => {
      for (const path of corpusFiles) {
        let issues: ConfigIssue[] = []
        try {
          parseConfig([{ name: path, text: readFileSync(path, 'utf8') }])
        } catch (error) {
          expect(error, path).toBeInstanceOf(SlokitConfigError)
          issues = [...(error as SlokitConfigError).issues]
        }
        const errors = issues.filter((i) => i.severity === 'error')
        expect(errors.length, path).toBeGreaterThan(0)
        for (const issue of errors)
          expect(issue.message, path).toMatch(
            /^(not a slokit document|YAML syntax error|a slokit config document is a mapping)/,
          )
      }
    },
  )
})

describe('parseConfig — secrets', () => {
  const CANARY = 'canary-7f3a9c-do-not-print'
  const withChannel = (value: string) =>
    `${VALID}channels:\n  sre:\n    type: slack\n    webhookUrl: ${value}\n`

  it('resolves ${env:NAME} into a Secret that never prints its value', () => {
    const config = parseConfig([{ name: 'a.yaml', text: withChannel('${env:SLACK_URL}') }], {
      env: { SLACK_URL: CANARY },
    })
    const channels = config.unvalidated.channels as { sre: { webhookUrl: Secret } }
    expect(channels.sre.webhookUrl).toBeInstanceOf(Secret)
    expect(channels.sre.webhookUrl.reveal()).toBe(CANARY)
    expect(JSON.stringify(config)).not.toContain(CANARY)
    expect(String(config.warnings.map(formatConfigIssue))).not.toContain(CANARY)
  })

  it('reports a variable that is not set, naming the variable only', () => {
    expect(brief(problems([['a.yaml', withChannel('${env:SLACK_URL}')]], { env: {} }))).toEqual(
      [
        'a.yaml:28:17: error: channels.sre.webhookUrl: environment variable SLACK_URL is not set (export SLACK_URL=… before loading)',
        'a.yaml:25:1: warning: channels: section not validated: no schema was given for it (pass the schema of the package that owns `channels` to the loader)',
      ].sort((a, b) => Number(a.split(':')[1]) - Number(b.split(':')[1])),
    )
  })

  it('can report unset variables as warnings, keeping a secret that refuses to reveal', () => {
    const config = parseConfig([{ name: 'a.yaml', text: withChannel('${env:SLACK_URL}') }], {
      env: {},
      unsetSecrets: 'warn',
    })
    expect(config.warnings.map((w) => w.message)).toContain('environment variable SLACK_URL is not set')
    const secret = (config.unvalidated.channels as { sre: { webhookUrl: Secret } }).sre.webhookUrl
    expect(secret.isSet).toBe(false)
    expect(() => secret.reveal()).toThrow(/not set/)
  })

  it('refuses a reference inside a longer string', () => {
    const issues = problems([['a.yaml', withChannel('https://hooks.slack.com/${env:SLACK_PATH}')]], {
      env: { SLACK_PATH: CANARY },
    })
    expect(issues.find((i) => i.severity === 'error')?.message).toBe(
      'a secret reference must be the whole value',
    )
    expect(JSON.stringify(issues)).not.toContain(CANARY)
  })

  it('refuses a secret in a field that is not a secret, without showing it', () => {
    const issues = problems([['a.yaml', VALID.replace('service: checkout', 'service: ${env:TOKEN}')]], {
      env: { TOKEN: CANARY },
    })
    expect(brief(issues)).toEqual([
      'a.yaml:11:14: error: slos[0].service: a secret (${env:TOKEN}) is not allowed here: this field is not a secret',
    ])
    expect(JSON.stringify(issues)).not.toContain(CANARY)
  })

  it('passes secrets to section schemas that accept them', async () => {
    const { secretSchema } = await import('@slokit/core')
    const schema = z.record(
      z.string(),
      z.strictObject({ type: z.literal('slack'), webhookUrl: secretSchema }),
    )
    const config = parseConfig([{ name: 'a.yaml', text: withChannel('${env:SLACK_URL}') }], {
      env: { SLACK_URL: CANARY },
      sections: { channels: schema },
    })
    expect((config.sections.channels as { sre: { webhookUrl: Secret } }).sre.webhookUrl.reveal()).toBe(CANARY)
    expect(config.warnings).toEqual([])
  })
})

describe('parseConfig — sections owned by other packages', () => {
  it('validates a section with the schema handed in and keeps its output', () => {
    const schema = z.strictObject({ weekly: z.strictObject({ format: z.enum(['markdown', 'html']) }) })
    const config = parseConfig(
      [{ name: 'a.yaml', text: `${VALID}reporting:\n  weekly: { format: html }\n` }],
      { sections: { reporting: schema } },
    )
    expect(config.sections.reporting).toEqual({ weekly: { format: 'html' } })
    expect(config.unvalidated).toEqual({})
  })

  it('reports a section without a schema as not validated, never silently accepted', () => {
    const config = parseConfig([{ name: 'a.yaml', text: `${VALID}policies:\n  critical: []\n` }])
    expect(config.unvalidated).toEqual({ policies: { critical: [] } })
    expect(config.warnings.map(formatConfigIssue)).toEqual([
      'a.yaml:25:1: warning: policies: section not validated: no schema was given for it (pass the schema of the package that owns `policies` to the loader)',
    ])
  })

  it('suggests keys from the section schema', () => {
    const schema = z.record(z.string(), z.strictObject({ budgetRemainingBelow: z.number() }))
    expect(
      brief(
        problems([['a.yaml', `${VALID}policies:\n  critical: { budgetRemainingBelo: 0.5 }\n`]], {
          sections: { policies: schema },
        }),
      ),
    ).toEqual([
      'a.yaml:26:15: error: policies.critical.budgetRemainingBelo: unknown key (did you mean `budgetRemainingBelow`?)',
    ])
  })
})

describe('loadConfig', () => {
  it('reads files and reports an unreadable one together with the others', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'slokit-config-'))
    await writeFile(join(dir, 'good.yaml'), VALID)
    await writeFile(join(dir, 'bad.yaml'), VALID.replace('window: 30d', 'window: 30x'))
    const config = await loadConfig(join(dir, 'good.yaml'))
    expect(config.slos).toHaveLength(2)
    await expect(loadConfig([join(dir, 'missing.yaml'), join(dir, 'bad.yaml')])).rejects.toSatisfy(
      (error: SlokitConfigError) => {
        expect(error.issues.map((i) => i.message.slice(0, 22))).toEqual([
          'cannot read the file: ',
          'invalid duration "30x"',
        ])
        return true
      },
    )
  })
})
