import { execFile } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { parseInstant } from '@slokit/cli'
import { describe, expect, it } from 'vitest'
import { runCli, tempFiles } from './test-support.js'

const CONFIG = `apiVersion: slokit/v1
slis:
  - id: checkout-requests
    kind: availability
    measurement: { type: ratio }
  - id: checkout-latency
    kind: latency
    measurement: { type: threshold, aggregation: p99, comparison: "<=", threshold: 300, unit: ms }
slos:
  - id: checkout-availability
    service: checkout
    sli: checkout-requests
    objective: 99.9%
    window: 1d
    priority: critical
    owner: payments-team
  - id: checkout-latency
    service: checkout
    sli: checkout-latency
    objective: 95%
    window: 1d
    budgetingMethod: timeslices
    timeslice: { length: 1h }
    priority: high
  - id: search-availability
    service: search
    sli: { id: search-requests, kind: availability, measurement: { type: ratio } }
    objective: 99.5%
    window: 7d
    priority: high
channels:
  sre: { type: slack, webhookUrl: '\${env:SLACK_WEBHOOK}' }
`

// 24 hours of data with counts chosen by hand: 1,000 requests an hour, 1 bad each hour except
// 10 bad in hour 5 → 33 bad of 24,000; hourly p99 latency 200 ms except 450 and 900 in two hours.
const START = Date.UTC(2026, 10, 26)
const DATA = [
  'timestamp,sli,good,total,value',
  ...Array.from(
    { length: 24 },
    (_, h) =>
      `${new Date(START + h * 3_600_000).toISOString()},checkout-requests,${h === 5 ? 990 : 999},1000,`,
  ),
  ...Array.from(
    { length: 24 },
    (_, h) =>
      `${new Date(START + h * 3_600_000).toISOString()},checkout-latency,,,${h === 3 ? 450 : h === 17 ? 900 : 200}`,
  ),
].join('\n')

const CANARY = 'https://hooks.slack.com/services/T0/B0/canary-2b7e151628aed2a6'
const ENV = { SLACK_WEBHOOK: CANARY }

describe('slokit validate', () => {
  it('exits 0 on a valid file, naming what it holds', async () => {
    const { config } = await tempFiles({ config: CONFIG })
    const result = await runCli(['validate', config as string], { env: ENV })
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^✓ .*config: valid — 3 SLIs, 3 SLOs\n$/)
  })

  it('validates the sections other packages own: channels, alerts, policies', async () => {
    const broken = `${CONFIG.replace("sre: { type: slack, webhookUrl: '${env:SLACK_WEBHOOK}' }", 'sre: { type: email, to: [sre@example.com] }')}alerts:
  rules: [{ name: burn, type: burn_rate, page: { severity: urgent } }]
`
    const { config } = await tempFiles({ config: broken })
    const result = await runCli(['validate', config as string], { env: ENV })
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/channels\.sre.*email channels are not supported yet/)
    expect(result.stdout).toMatch(
      /:34:48: error: alerts\.rules\[0\]\.page: must be one of "critical", "high", "warning", "info", got "urgent"/,
    )
  })

  it('checks that every channel a route or policy names is defined', async () => {
    const config = `${CONFIG}alerts:
  routes:
    - { channels: [sre, oncall] }
policies:
  tiers:
    critical:
      - { name: freeze, when: { budgetRemainingBelow: 25% }, actions: [{ notify: { channels: [slack-sre] } }] }
`
    const { config: file } = await tempFiles({ config })
    const result = await runCli(['validate', file as string], { env: ENV })
    expect(result.code).toBe(1)
    expect(
      result.stdout
        .split('\n')
        .filter((l) => l.includes(': error: '))
        .map((l) => l.replace(/^.*?config:/, '')),
    ).toEqual([
      '35:25: error: alerts.routes[0].channels[1]: route sends to channel `oncall`, which is not defined under `channels` (define it, or use one of `sre`)',
      '39:7: error: policies.tiers.critical: policy step `freeze` notifies channel `slack-sre`, which is not defined under `channels` (define it, or use one of `sre`)',
    ])
  })

  it('lists every problem with line numbers and exits 1', async () => {
    const broken = CONFIG.replace('objective: 99.9%', 'objective: 1.5')
      .replace('    window: 7d', '    windw: 7d')
      .replace('sli: checkout-latency\n', 'sli: checkout-latncy\n')
      .replace('id: search-availability', 'id: checkout-availability')
      .replace('window: 1d\n    budgetingMethod', 'window: 1 day\n    budgetingMethod')
    const { config } = await tempFiles({ config: broken })
    const result = await runCli(['validate', config as string], { env: ENV })
    expect(result.code).toBe(1)
    const lines = result.stdout.split('\n').filter((l) => l.includes(': error: '))
    expect(lines.map((l) => l.replace(/^.*?config:/, ''))).toEqual([
      '13:16: error: slos[0].objective: invalid objective 1.5: must be a ratio between 0 and 1 (e.g. 0.999) or a percent string (e.g. "99.9%")',
      '19:10: error: slos[1].sli: unknown SLI `checkout-latncy` (did you mean `checkout-latency`?)',
      '21:13: error: slos[1].window: invalid duration "1 day": use a positive duration such as 30s, 5m, 1h30m, 28d or 4w',
      '25:9: error: slos[2].id: duplicate SLO id `checkout-availability` (first defined at CONFIG:10:5)'.replace(
        'CONFIG',
        config as string,
      ),
      '29:5: error: slos[2].windw: unknown key (did you mean `window`?)',
    ])
    expect(result.stdout).toMatch(/✗ .*: 5 errors\n$/)
  })

  it('warns about unset secrets by default, and fails on them with --require-secrets', async () => {
    const { config } = await tempFiles({ config: CONFIG })
    const relaxed = await runCli(['validate', config as string], { env: {} })
    expect(relaxed.code).toBe(0)
    expect(relaxed.stdout).toContain(
      'warning: channels.sre.webhookUrl: environment variable SLACK_WEBHOOK is not set',
    )
    const strict = await runCli(['validate', '--require-secrets', config as string], { env: {} })
    expect(strict.code).toBe(1)
    expect(strict.stdout).toContain(
      'error: channels.sre.webhookUrl: environment variable SLACK_WEBHOOK is not set',
    )
  })

  it('prints JSON with --json', async () => {
    const { config } = await tempFiles({ config: CONFIG.replace('objective: 95%', 'objective: 950') })
    const result = await runCli(['validate', '--json', config as string], { env: ENV })
    expect(result.code).toBe(1)
    const report = JSON.parse(result.stdout)
    expect(report.valid).toBe(false)
    expect(report.errors).toEqual([
      expect.objectContaining({ severity: 'error', line: 20, column: 16, path: ['slos', 1, 'objective'] }),
    ])
    expect(report.warnings).toEqual([])
  })

  const corpus = fileURLToPath(new URL('../../../../shared/corpus/', import.meta.url))
  const yamlFiles = (dir: string): string[] =>
    existsSync(dir)
      ? readdirSync(dir).flatMap((e) => {
          const p = join(dir, e)
          return statSync(p).isDirectory() ? yamlFiles(p) : /\.ya?ml$/.test(e) ? [p] : []
        })
      : []
  const foreign = [
    ...yamlFiles(join(corpus, 'openslo-spec/examples')),
    ...yamlFiles(join(corpus, 'sloth/examples')),
  ]
  it.skipIf(foreign.length === 0)(
    `refuses every Sloth example of ../shared/corpus as not a slokit document, and checks the OpenSLO ones with @slokit/openslo (${foreign.length} files)`,
    async () => {
      for (const file of foreign) {
        const result = await runCli(['validate', file])
        expect(result.stderr, file).toBe('')
        if (/apiVersion:\s*openslo\//.test(readFileSync(file, 'utf8'))) {
          // Valid, or refused with every problem located in the file (see @slokit/openslo's corpus test).
          if (result.code === 0) expect(result.stdout, file).toMatch(/: valid — \d+ SLIs?, \d+ SLOs?/)
          else {
            expect(result.code, file).toBe(1)
            expect(result.stdout, file).toContain(`${file}:`)
            expect(result.stdout, file).not.toMatch(/not a slokit document/)
          }
          continue
        }
        expect(result.code, file).toBe(1)
        expect(result.stdout, file).toMatch(/not a slokit document|YAML syntax error/)
      }
    },
  )
})

describe('slokit list', () => {
  it('prints the SLOs as a table, filtered', async () => {
    const { config } = await tempFiles({ config: CONFIG })
    const all = await runCli(['list', '--config', config as string], { env: ENV })
    expect(all.code).toBe(0)
    expect(all.stdout.split('\n')[0]).toMatch(
      /^ID\s+SERVICE\s+KIND\s+OBJECTIVE\s+WINDOW\s+METHOD\s+PRIORITY\s+OWNER$/,
    )
    expect(all.stdout).toMatch(
      /checkout-availability\s+checkout\s+availability\s+99\.9%\s+1d\s+occurrences\s+critical\s+payments-team/,
    )
    const high = await runCli(['list', '--config', config as string, '--priority', 'high', '--json'], {
      env: ENV,
    })
    expect(JSON.parse(high.stdout).map((s: { id: string }) => s.id)).toEqual([
      'checkout-latency',
      'search-availability',
    ])
    const latency = await runCli(
      ['list', '-c', config as string, '--kind', 'latency', '--service', 'checkout', '--json'],
      { env: ENV },
    )
    expect(JSON.parse(latency.stdout)).toEqual([
      expect.objectContaining({ id: 'checkout-latency', window: '1d', objective: 0.95 }),
    ])
  })

  it('rejects an unknown priority as a usage error', async () => {
    const result = await runCli(['list', '--config', 'x.yaml', '--priority', 'urgent'])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/Allowed choices are critical, high, medium, low/)
  })

  it('reports config problems on stderr and exits 1', async () => {
    const result = await runCli(['list', '--config', '/nonexistent/slo.yaml'])
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('/nonexistent/slo.yaml: error: cannot read the file: no such file')
  })
})

describe('slokit evaluate', () => {
  it('prints the hand-computed SLI and budget figures as JSON', async () => {
    const { config, 'data.csv': data } = await tempFiles({ config: CONFIG, 'data.csv': DATA })
    const result = await runCli(
      ['evaluate', '--config', config as string, '--data', data as string, '--json'],
      { env: ENV },
    )
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    const report = JSON.parse(result.stdout)
    expect(report.evaluatedAt).toBe('2026-11-27T00:00:00.000Z') // the end of the data
    const [availability, latency, search] = report.statuses
    expect(availability).toMatchObject({
      sloId: 'checkout-availability',
      counts: { good: 23_967, total: 24_000 },
    })
    expect(availability.sli).toBeCloseTo(23_967 / 24_000, 12) // 0.998625
    expect(availability.budget.allowed).toBeCloseTo(24, 9) // 0.1 % of 24,000
    expect(availability.budget.consumed).toBeCloseTo(33 / 24, 9)
    expect(availability.budget.remaining).toBeCloseTo(-0.375, 9)
    expect(availability.met).toBe(false)
    expect(latency).toMatchObject({ sloId: 'checkout-latency', counts: { good: 22, total: 24 }, met: false })
    expect(latency.budget.allowedMs).toBeCloseTo(0.05 * 86_400_000, 6) // 72 minutes
    expect(latency.budget.remainingMs).toBeCloseTo(0.05 * 86_400_000 - 2 * 3_600_000, 6)
    expect(search).toMatchObject({
      sloId: 'search-availability',
      sli: null,
      budget: null,
      data: { state: 'stale' },
    })
    expect(search.data.reason).toBe(`no data for SLI search-requests in ${data}`)
  })

  it('evaluates at --at and prints a table', async () => {
    const { config, 'data.csv': data } = await tempFiles({ config: CONFIG, 'data.csv': DATA })
    const result = await runCli(
      ['evaluate', '-c', config as string, '-d', data as string, '--at', '2026-11-26T12:00:00Z'],
      { env: ENV },
    )
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('Evaluated 3 SLOs at 2026-11-26T12:00:00.000Z on')
    // The first 12 hours: 11 × 1 + 10 = 21 bad of 12,000, half the window covered.
    expect(result.stdout).toMatch(
      /checkout-availability\s+99\.825%\s+99\.9%\s+✗\s+-75\.0%.*partial: data covers 50% of the window/,
    )
  })

  it('refuses an ambiguous --at as a usage error', async () => {
    const result = await runCli(['evaluate', '-c', 'x', '-d', 'y', '--at', '2026-11-26 12:00'])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('is not a time')
  })

  it('reports malformed data with its line numbers and exits 1', async () => {
    const { config, 'data.csv': data } = await tempFiles({
      config: CONFIG,
      'data.csv': `${DATA}\nnot-a-time,checkout-requests,1,2,\n`,
    })
    const result = await runCli(['evaluate', '-c', config as string, '-d', data as string], { env: ENV })
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/data\.csv:50: /)
  })

  it('draws a progress bar on a terminal when loading takes more than a second', async () => {
    const { config, 'data.csv': data } = await tempFiles({ config: CONFIG, 'data.csv': DATA })
    let t = 0
    const result = await runCli(['evaluate', '-c', config as string, '-d', data as string], {
      env: ENV,
      tty: true,
      now: () => (t += 2000),
    })
    expect(result.code).toBe(0)
    expect(result.stderr).toMatch(/reading .*data\.csv \[#+\.*\] 100%/)
  })
})

describe('the example configuration (examples/config)', () => {
  const example = fileURLToPath(new URL('../../../examples/config/slo-definitions.yaml', import.meta.url))
  const sample = fileURLToPath(new URL('../../../examples/config/sample-data.csv', import.meta.url))

  it('validates cleanly: 12 SLIs, 15 SLOs, only warnings', async () => {
    const result = await runCli(['validate', example])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/valid — 12 SLIs, 15 SLOs \(\d+ warnings\)\n$/)
    expect(result.stdout).not.toContain(': error: ')
  })

  it('evaluates on the sample data shipped beside it', async () => {
    const result = await runCli(['evaluate', '-c', example, '-d', sample, '--json'])
    expect(result.code).toBe(0)
    const report = JSON.parse(result.stdout)
    expect(report.evaluatedAt).toBe('2026-11-27T00:00:00.000Z')
    expect(report.statuses).toHaveLength(15)
    expect(report.statuses.every((s: { sli: number | null }) => s.sli !== null)).toBe(true)
  })
})

describe('slokit demo', () => {
  it('plays the simulated service through the engine: alerts and freezes as they happen, then its three SLOs', async () => {
    const result = await runCli(['demo'])
    expect(result.code).toBe(0)
    for (const id of ['checkout-availability', 'checkout-latency', 'checkout-availability-monthly'])
      expect(result.stdout).toContain(id)
    expect(result.stdout).toContain('2,594,825 requests, 2,190 failed')
    expect(result.stdout).toMatch(
      /\[\+19d14h\d+m\] FIRING critical → console: checkout-availability is burning/,
    )
    expect(result.stdout).toContain('FROZEN high → console: Deployments to checkout are frozen')
    expect(result.stdout).toContain('UNFROZEN info → console: Deployments to checkout are unfrozen')
  })
})

describe('output and secrets', () => {
  it('colours only on a terminal, and never with --no-color or NO_COLOR', async () => {
    const { config } = await tempFiles({ config: CONFIG })
    // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for ANSI colour codes
    const ansi = /\u001b\[/
    expect((await runCli(['list', '-c', config as string], { env: ENV })).stdout).not.toMatch(ansi)
    expect((await runCli(['list', '-c', config as string], { env: ENV, tty: true })).stdout).toMatch(ansi)
    expect(
      (await runCli(['--no-color', 'list', '-c', config as string], { env: ENV, tty: true })).stdout,
    ).not.toMatch(ansi)
    expect(
      (await runCli(['list', '-c', config as string], { env: { ...ENV, NO_COLOR: '1' }, tty: true })).stdout,
    ).not.toMatch(ansi)
    expect(
      (await runCli(['list', '-c', config as string], { env: { ...ENV, FORCE_COLOR: '1' } })).stdout,
    ).toMatch(ansi)
  })

  it('never prints a secret from ${env:…}, whatever the command', async () => {
    const {
      config,
      'data.csv': data,
      broken,
    } = await tempFiles({
      config: CONFIG,
      'data.csv': DATA,
      broken: CONFIG.replace('service: search', 'service: ${env:SLACK_WEBHOOK}').replace(
        'objective: 95%',
        'objective: 9',
      ),
    })
    const commands = [
      ['validate', config],
      ['validate', '--json', config],
      ['validate', broken],
      ['validate', '--json', broken],
      ['list', '-c', config],
      ['list', '-c', config, '--json'],
      ['list', '-c', broken],
      ['evaluate', '-c', config, '-d', data],
      ['evaluate', '-c', config, '-d', data, '--json'],
      ['evaluate', '-c', broken, '-d', data, '--json'],
      ['demo'],
      ['--help'],
      ['validate', '--help'],
    ] as string[][]
    for (const argv of commands) {
      const result = await runCli(argv, { env: ENV, tty: true })
      expect(`${result.stdout}${result.stderr}`, argv.join(' ')).not.toContain('canary-2b7e151628aed2a6')
    }
  })

  it('answers --help on every command and a usage error with exit 2', async () => {
    for (const command of ['validate', 'list', 'evaluate', 'demo']) {
      const help = await runCli([command, '--help'])
      expect(help.code, command).toBe(0)
      expect(help.stdout, command).toMatch(/^Usage: slokit /)
    }
    expect((await runCli(['frobnicate'])).code).toBe(2)
    expect((await runCli(['validate'])).stderr).toMatch(/missing required argument 'files'/)
  })
})

describe('parseInstant', () => {
  it.each([
    ['2026-11-27T00:00:00Z', Date.UTC(2026, 10, 27)],
    ['2026-11-27T01:30:00+01:00', Date.UTC(2026, 10, 27, 0, 30)],
    ['2026-11-27', Date.UTC(2026, 10, 27)],
    ['1795737600000', 1_795_737_600_000],
    ['2026-11-27T00:00', undefined],
    ['yesterday', undefined],
  ])('%s', (text, ms) => {
    expect(parseInstant(text)).toBe(ms)
  })
})

const bin = fileURLToPath(new URL('../dist/cli.js', import.meta.url))
describe('the installed bin', () => {
  it('runs as `slokit` with a shebang and exit codes', async () => {
    expect(readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node')).toBe(true)
    const { config } = await tempFiles({ config: CONFIG })
    const ok = await promisify(execFile)(process.execPath, [bin, 'validate', config as string], {
      env: { ...process.env, ...ENV },
    })
    expect(ok.stdout).toContain('valid — 3 SLIs, 3 SLOs')
    const failed = await promisify(execFile)(process.execPath, [bin, 'validate', '/nonexistent.yaml']).catch(
      (error) => error,
    )
    expect(failed.code).toBe(1)
  })
})
