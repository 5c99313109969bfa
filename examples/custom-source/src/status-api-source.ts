import { abortedError, type SliSource, SlokitError } from '@slokit/core'

/**
 * Ratio SLIs from a JSON API: `GET {url}/v1/counts/{sli id}?from=…&to=…` answers the minutes in
 * `[from, to)`, oldest first, as `[{ minute, ok, all }]` (`minute` in epoch ms); 404 for an unknown SLI.
 */
export function statusApiSource(options: { url: string; fetch?: typeof fetch }): SliSource {
  const get = options.fetch ?? fetch
  return {
    name: 'status-api',
    async query(sli, { startMs, endMs }, opts) {
      const what = `[status-api] query for SLI "${sli.id}"`
      const fail = (cause: unknown): never => {
        if (opts?.signal?.aborted) throw abortedError(opts.signal, what)
        throw new SlokitError('SOURCE_FAILED', `${what} failed.`, { cause })
      }
      if (opts?.signal?.aborted) fail(opts.signal.reason)
      if (sli.measurement.type !== 'ratio')
        throw new SlokitError('NOT_SUPPORTED', `${what}: not a ratio SLI.`)
      const url = `${options.url}/v1/counts/${encodeURIComponent(sli.id)}?from=${startMs}&to=${endMs}`
      const response = await get(url, { signal: opts?.signal ?? null }).catch(fail)
      if (response.status === 404) throw new SlokitError('UNKNOWN_SLO', `${what}: the API does not know it.`)
      if (!response.ok) fail(new Error(`HTTP ${response.status}`))
      const rows = (await response.json().catch(fail)) as Array<{ minute: number; ok: number; all: number }>
      const points = rows.map((row) => ({ t: row.minute, good: row.ok, total: row.all }))
      return { kind: 'events', resolutionMs: 60_000, points }
    },
  }
}
