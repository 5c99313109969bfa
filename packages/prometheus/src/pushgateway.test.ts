import { Counter, Gauge, Registry } from 'prom-client'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { FetchInit, FetchLike } from './http.js'
import { groupingPath, Pushgateway, PushgatewayError } from './pushgateway.js'
import { missingBinaries, type RunningServer, startPushgateway } from './test-support.js'

describe('Pushgateway: requests (fake fetch)', () => {
  const recording = () => {
    const seen: Array<{ url: string; init: FetchInit }> = []
    const fetch: FetchLike = async (url, init) => {
      seen.push({ url, init })
      return {
        status: init.method === 'DELETE' ? 202 : 200,
        headers: { get: () => null },
        text: async () => '',
      }
    }
    return { fetch, seen }
  }

  it('builds the grouping key path, base64url-encoding values with a slash and empty values', () => {
    expect(groupingPath('x', 'nightly report', { instance: 'batch-7' })).toBe(
      '/metrics/job/nightly%20report/instance/batch-7',
    )
    expect(groupingPath('x', 'backup', { path: '/var/tmp', empty: '' })).toBe(
      '/metrics/job/backup/path@base64/L3Zhci90bXA/empty@base64/=',
    )
    expect(groupingPath('x', 'a/b', {})).toBe('/metrics/job@base64/YS9i')
    expect(() => groupingPath('x', '', {})).toThrow(/`job` must be a non-empty string/)
    expect(() => groupingPath('x', 'j', { job: 'k' })).toThrow(/give the job as `job`/)
    expect(() => groupingPath('x', 'j', { 'bad-name': 'v' })).toThrow(/invalid label name/)
  })

  it('PUTs, POSTs and DELETEs the group, text format 0.0.4 ending with a newline, CR line ends removed', async () => {
    const { fetch, seen } = recording()
    const gateway = new Pushgateway({
      url: 'http://pushgateway:9091/',
      job: 'slo',
      groupingKey: { env: 'prod' },
      fetch,
    })
    expect(await gateway.push('a 1\r\nb 2')).toEqual({ ok: true, status: 200 })
    expect(await gateway.pushAdd({ metrics: async () => 'c 3\n' })).toEqual({ ok: true, status: 200 })
    expect(await gateway.delete()).toEqual({ ok: true, status: 202 })
    expect(seen.map((s) => [s.init.method, s.url, s.init.body])).toEqual([
      ['PUT', 'http://pushgateway:9091/metrics/job/slo/env/prod', 'a 1\nb 2\n'],
      ['POST', 'http://pushgateway:9091/metrics/job/slo/env/prod', 'c 3\n'],
      ['DELETE', 'http://pushgateway:9091/metrics/job/slo/env/prod', undefined],
    ])
    expect(seen[0]?.init.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8')
  })

  it('returns failures as results, never throws: unreachable, refused registry format', async () => {
    const down: FetchLike = async () => {
      throw new TypeError('fetch failed', {
        cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      })
    }
    const result = await new Pushgateway({ url: 'http://127.0.0.1:9', job: 'j', fetch: down }).push('a 1\n')
    expect(result.ok).toBe(false)
    if (!result.ok) {
      expect(result.retryable).toBe(true)
      expect(result.error).toBeInstanceOf(PushgatewayError)
      expect(result.error.message).toContain('the connection was refused (ECONNREFUSED)')
    }
    const openMetrics = {
      metrics: () => 'a 1\n',
      contentType: 'application/openmetrics-text; version=1.0.0; charset=utf-8',
    }
    const refused = await new Pushgateway({ url: 'http://x:9091', job: 'j', fetch: recording().fetch }).push(
      openMetrics,
    )
    expect(refused).toMatchObject({ ok: false, retryable: false })
  })
})

const skip = missingBinaries(['prometheus-pushgateway'])

describe.skipIf(skip !== undefined)('Pushgateway 1.5 (real): push, replace, delete', () => {
  let gateway: RunningServer | undefined
  beforeAll(async () => {
    gateway = await startPushgateway()
  })
  afterAll(async () => {
    await gateway?.stop()
  })
  beforeEach(async () => {
    const wiped = await fetch(`${gateway?.url}/api/v1/admin/wipe`, { method: 'PUT' })
    expect(wiped.status).toBe(202)
    for (let i = 0; i < 50 && (await groups()).length > 0; i++) await new Promise((r) => setTimeout(r, 20))
  })

  /** The groups the Pushgateway holds: grouping labels → metric names. */
  async function groups(): Promise<Array<{ labels: Record<string, string>; metrics: string[] }>> {
    const response = await fetch(`${gateway?.url}/api/v1/metrics`)
    const json = (await response.json()) as {
      data: Array<Record<string, unknown> & { labels: Record<string, string> }>
    }
    return json.data.map((group) => ({
      labels: group.labels,
      metrics: Object.keys(group)
        .filter((key) => key !== 'labels' && key !== 'last_push_successful' && !key.startsWith('push_'))
        .sort(),
    }))
  }

  const registryWith = (...names: string[]): Registry => {
    const registry = new Registry()
    for (const name of names) new Gauge({ name, help: `${name} help`, registers: [registry] }).set(1)
    return registry
  }

  it('PUT replaces the group, POST replaces only the metrics it names', async () => {
    const client = new Pushgateway({
      url: gateway?.url as string,
      job: 'slo-report',
      groupingKey: { env: 'prod' },
    })
    expect(await client.push(registryWith('slo_a', 'slo_b'))).toEqual({ ok: true, status: 200 })
    expect((await groups())[0]).toEqual({
      labels: { job: 'slo-report', env: 'prod' },
      metrics: ['slo_a', 'slo_b'],
    })
    expect(await client.pushAdd(registryWith('slo_c'))).toMatchObject({ ok: true })
    expect((await groups())[0]?.metrics).toEqual(['slo_a', 'slo_b', 'slo_c'])
    expect(await client.push(registryWith('slo_d'))).toMatchObject({ ok: true })
    expect((await groups())[0]?.metrics).toEqual(['slo_d'])
  })

  it('sends a grouping value with a slash as @base64, which the Pushgateway decodes', async () => {
    const client = new Pushgateway({
      url: gateway?.url as string,
      job: 'backup',
      groupingKey: { path: '/var/backups' },
    })
    const registry = new Registry()
    new Counter({ name: 'backup_runs_total', help: 'Runs.', registers: [registry] }).inc()
    expect(await client.push(registry)).toMatchObject({ ok: true })
    expect((await groups())[0]?.labels).toEqual({ job: 'backup', path: '/var/backups' })
  })

  it('a body with a timestamp comes back as a 400 failure with the Pushgateway’s reason', async () => {
    const client = new Pushgateway({ url: gateway?.url as string, job: 'ts' })
    const result = await client.push('# TYPE slo_x gauge\nslo_x 1 1700000000000\n')
    expect(result.ok).toBe(false)
    if (!result.ok) {
      expect(result.error.status).toBe(400)
      expect(result.retryable).toBe(false)
      expect(result.error.message).toContain('pushed metrics must not have timestamps')
    }
  })

  it('DELETE answers 202 and removes the group', async () => {
    const client = new Pushgateway({ url: gateway?.url as string, job: 'gone' })
    await client.push(registryWith('slo_tmp'))
    expect(await client.delete()).toEqual({ ok: true, status: 202 })
    // The delete is queued, in order with pushes: the group goes shortly after.
    for (let i = 0; i < 50 && (await groups()).length > 0; i++) await new Promise((r) => setTimeout(r, 20))
    expect(await groups()).toEqual([])
  })
})
