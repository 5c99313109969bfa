import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadConfig } from '@slokit/config'
import { Secret } from '@slokit/core'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { createPrometheusSource, prometheusSourceConfigSchema } from './config.js'
import type { FetchLike } from './http.js'

describe('prometheusSourceConfigSchema', () => {
  it('parses the example config’s source: durations to ms, the token a Secret', () => {
    const token = new Secret('PROMETHEUS_TOKEN', 't0k3n')
    const config = prometheusSourceConfigSchema.parse({
      type: 'prometheus',
      url: 'http://prometheus.monitoring:9090',
      token,
      timeout: '20s',
      step: '2m',
      headers: { 'X-Scope-OrgID': 'shop' },
    })
    expect(config).toEqual({
      type: 'prometheus',
      url: 'http://prometheus.monitoring:9090',
      token,
      timeout: 20_000,
      step: 120_000,
      headers: { 'X-Scope-OrgID': 'shop' },
    })
  })

  it('wraps a plain string token into a Secret, so it never prints', () => {
    const config = prometheusSourceConfigSchema.parse({ type: 'prometheus', url: 'https://p', token: 'abc' })
    expect(String(config.token)).toBe('[secret inline]')
    expect(JSON.stringify(config)).not.toContain('abc')
  })

  it('refuses unknown keys, bad URLs, credentials in the URL, both token and basicAuth, and sub-second steps', () => {
    const bad = [
      { type: 'prometheus', url: 'http://p', tokn: 'x' },
      { type: 'prometheus', url: 'not a url' },
      { type: 'prometheus', url: 'ftp://p' },
      { type: 'prometheus', url: 'http://u:pw@p' },
      { type: 'prometheus', url: 'http://p', token: 'x', basicAuth: { username: 'u', password: 'p' } },
      { type: 'prometheus', url: 'http://p', step: '1500ms' },
      { type: 'file', url: 'http://p' },
    ]
    for (const input of bad)
      expect(prometheusSourceConfigSchema.safeParse(input).success, JSON.stringify(input)).toBe(false)
    const issue = prometheusSourceConfigSchema.safeParse({ type: 'prometheus', url: 'http://u:pw@p' })
    expect(JSON.stringify(issue.error?.issues)).not.toContain('pw@')
  })
})

describe('the sources section of the example configuration', () => {
  it('validates with the schema, the token resolved from the environment into a Secret', async () => {
    const example = join(
      fileURLToPath(new URL('../../../', import.meta.url)),
      'examples',
      'config',
      'slo-definitions.yaml',
    )
    const config = await loadConfig([example], {
      env: { PROMETHEUS_TOKEN: 'from-env' },
      unsetSecrets: 'warn',
      // How a host (the CLI) registers it: every entry of `sources` by its `type`.
      sections: {
        sources: z.record(z.string(), z.discriminatedUnion('type', [prometheusSourceConfigSchema])),
      },
    })
    const sources = config.sections.sources as Record<
      string,
      ReturnType<typeof prometheusSourceConfigSchema.parse>
    >
    expect(sources.prometheus?.url).toBe('http://prometheus.monitoring:9090')
    expect(sources.prometheus?.token?.reveal()).toBe('from-env')
    expect(createPrometheusSource(sources.prometheus as never, { name: 'prometheus' }).url).toBe(
      'http://prometheus.monitoring:9090',
    )
  })
})

describe('createPrometheusSource', () => {
  it('builds a source that sends the token and uses the step', async () => {
    const seen: Array<Record<string, string>> = []
    const fetch: FetchLike = async (url, init) => {
      seen.push({ ...init.headers, step: new URL(url).searchParams.get('step') ?? '' })
      const body = JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [] } })
      return { status: 200, headers: { get: () => 'application/json' }, text: async () => body }
    }
    const config = prometheusSourceConfigSchema.parse({
      type: 'prometheus',
      url: 'http://p:9090',
      token: 'abc',
      step: '5m',
    })
    const source = createPrometheusSource(config, { name: 'main', fetch })
    expect(source.name).toBe('main')
    const sli = {
      id: 'x',
      kind: 'latency',
      noData: 'ignore',
      labels: {},
      measurement: {
        type: 'threshold',
        query: 'q[{{window}}]',
        aggregation: 'avg',
        comparison: '<=',
        threshold: 1,
      },
    } as const
    await source.query(sli, { startMs: 0, endMs: 3_600_000 })
    expect(seen[0]).toMatchObject({ authorization: 'Bearer abc', step: '300' })
  })
})
