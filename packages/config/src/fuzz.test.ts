import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { type ConfigIssue, parseConfig, SlokitConfigError } from '@slokit/config'
import { createRng } from '@slokit/testing'
import { describe, expect, it } from 'vitest'
import { parse, stringify } from 'yaml'

// The example config users start from; a fixture of the same shape stands in if it is missing.
const EXAMPLE = fileURLToPath(new URL('../../../examples/config/slo-definitions.yaml', import.meta.url))
const FALLBACK = `apiVersion: slokit/v1
slis:
  - id: requests
    kind: availability
    measurement: { type: ratio, bad: 'sum(rate(errors[{{window}}]))', total: 'sum(rate(all[{{window}}]))' }
  - id: latency
    kind: latency
    measurement: { type: threshold, aggregation: p99, comparison: '<=', threshold: 300 }
slos:
  - { id: a, service: s, sli: requests, objective: 99.9%, window: 30d, priority: critical }
  - { id: b, service: s, sli: latency, objective: 0.99, window: { calendar: month, timeZone: Europe/Berlin }, budgetingMethod: timeslices, timeslice: { length: 1m } }
channels:
  sre: { type: slack, webhookUrl: '\${env:SLACK_URL}' }
`
const BASE = existsSync(EXAMPLE) ? readFileSync(EXAMPLE, 'utf8') : FALLBACK
const CASES = 2000

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

describe('parseConfig under fuzzing', () => {
  it(`answers ${CASES} mutated versions of the example config with a typed error or a config, never a crash`, () => {
    const random = createRng(20261127)
    const int = (n: number) => Math.floor(random() * n)
    const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T
    const env = { SLACK_URL: 'https://hooks.example/secret-6f1d2e', PROMETHEUS_TOKEN: 'secret-6f1d2e-token' }

    const randomValue = (depth = 0): Json => {
      switch (int(depth > 3 ? 6 : 9)) {
        case 0:
          return pick([
            '',
            'x',
            '30d',
            '99.9%',
            '${env:NOPE}',
            '${env:SLACK_URL}',
            'ü☃'.repeat(int(50)),
            'a'.repeat(int(5000)),
          ])
        case 1:
          return pick([0, -1, 0.5, 1, 99.9, 1e308, -1e308, 2 ** 64, Number.MAX_SAFE_INTEGER, 1e-320])
        case 2:
          return random() < 0.5
        case 3:
          return null
        case 4:
          return pick(['availability', 'ratio', 'threshold', 'timeslices', 'calendar', 'month', 'p99', '<='])
        case 5:
          return int(10)
        case 6:
          return Array.from({ length: int(4) }, () => randomValue(depth + 1))
        case 7:
          return Object.fromEntries(
            Array.from({ length: int(4) }, () => [
              pick(['id', 'type', 'sli', 'window', 'x']),
              randomValue(depth + 1),
            ]),
          )
        default: {
          let nested: Json = 'deep'
          for (let i = 0, n = 50 + int(300); i < n; i++) nested = random() < 0.5 ? [nested] : { k: nested }
          return nested
        }
      }
    }

    const paths = (value: Json, prefix: Array<string | number> = []): Array<Array<string | number>> => {
      if (value === null || typeof value !== 'object') return [prefix]
      const children = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value)
      return [prefix, ...children.flatMap(([k, v]) => paths(v, [...prefix, k]))]
    }
    const at = (root: Json, path: Array<string | number>): Json =>
      path.reduce<Json>((node, key) => (node as Record<string, Json>)[key] as Json, root)

    const parsedBase = parse(BASE) as Json
    const structural = (): string => {
      const doc = structuredClone(parsedBase)
      for (let m = 0, n = 1 + int(3); m < n; m++) {
        const all = paths(doc).filter((p) => p.length > 0)
        const path = pick(all)
        const parent = at(doc, path.slice(0, -1)) as Record<string | number, Json>
        const key = path[path.length - 1] as string | number
        switch (int(4)) {
          case 0:
            if (Array.isArray(parent)) parent.splice(key as number, 1)
            else delete parent[key]
            break
          case 1:
            parent[key] = randomValue()
            break
          case 2:
            if (!Array.isArray(parent)) {
              const value = parent[key] as Json
              delete parent[key]
              parent[`${String(key).slice(0, -1)}${pick(['e', 's', ''])}`] = value
            }
            break
          default:
            if (Array.isArray(parent)) parent.push(structuredClone(parent[key as number] as Json))
        }
      }
      return stringify(doc)
    }

    const textual = (): string => {
      let text = BASE
      for (let m = 0, n = 1 + int(3); m < n; m++) {
        const i = int(text.length)
        switch (int(5)) {
          case 0:
            text =
              text.slice(0, i) +
              pick([
                ':',
                '-',
                '[',
                ']',
                '{',
                '}',
                "'",
                '"',
                '\t',
                '&a ',
                '*a',
                '!!binary ',
                '%',
                '@',
                '\n  ',
                '# ',
                '|',
                '>',
                '?',
                '\u0000',
              ]) +
              text.slice(i)
            break
          case 1:
            text = text.slice(0, i) + text.slice(i + int(40))
            break
          case 2: {
            const lines = text.split('\n')
            const a = int(lines.length)
            const b = int(lines.length)
            ;[lines[a], lines[b]] = [lines[b] as string, lines[a] as string]
            text = lines.join('\n')
            break
          }
          case 3:
            text = text.slice(0, i)
            break
          default: {
            const lines = text.split('\n')
            const a = int(lines.length)
            lines[a] = ' '.repeat(int(7)) + lines[a]
            text = lines.join('\n')
          }
        }
      }
      return text
    }

    let valid = 0
    let rejected = 0
    for (let n = 0; n < CASES; n++) {
      const text = n % 2 === 0 ? structural() : textual()
      let issues: readonly ConfigIssue[] = []
      try {
        parseConfig([{ name: 'fuzz.yaml', text }], { env })
        valid++
        continue
      } catch (error) {
        if (!(error instanceof SlokitConfigError)) {
          throw new Error(
            `case ${n} threw ${(error as Error)?.name}: ${(error as Error)?.message}\n--- input ---\n${text.slice(0, 2000)}`,
          )
        }
        issues = error.issues
        rejected++
      }
      for (const issue of issues) {
        expect(issue.file).toBe('fuzz.yaml')
        expect(issue.message.length).toBeGreaterThan(0)
        expect(issue.message).not.toMatch(/\n\s+at |\.ts:\d+|ZodError|secret-6f1d2e/)
      }
      expect(issues.some((i) => i.severity === 'error')).toBe(true)
    }
    expect(valid + rejected).toBe(CASES)
    // Both outcomes happen, or the mutations are not exercising anything.
    expect(valid).toBeGreaterThan(0)
    expect(rejected).toBeGreaterThan(CASES / 2)
    console.log(`fuzz: ${CASES} cases, ${rejected} rejected with SlokitConfigError, ${valid} valid`)
  }, 120_000)
})
