import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

/** One minute of counts, as the made-up status API answers them. */
export interface CountRow {
  /** Start of the minute, epoch ms. */
  readonly minute: number
  readonly ok: number
  readonly all: number
}

/** A running {@link startFakeStatusApi}. */
export interface FakeStatusApi {
  /** `http://127.0.0.1:PORT`, to hand to `statusApiSource({ url })`. */
  readonly url: string
  /** Request paths it received, in order. */
  readonly requests: readonly string[]
  /** Answers the next request with this HTTP status and no body. */
  failNext(status: number): void
  close(): Promise<void>
}

/**
 * The made-up status API, in-process on 127.0.0.1: `GET /v1/counts/{sli id}?from=…&to=…` answers
 * the rows of that SLI whose `minute` is in `[from, to)`, oldest first; 404 for an SLI it does not
 * hold; 400 for a missing or inverted range. This is what the adapter is written against.
 */
export async function startFakeStatusApi(
  data: Readonly<Record<string, readonly CountRow[]>>,
): Promise<FakeStatusApi> {
  const requests: string[] = []
  const failures: number[] = []
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost')
    requests.push(`${url.pathname}${url.search}`)
    const failure = failures.shift()
    const match = /^\/v1\/counts\/([^/]+)$/.exec(url.pathname)
    const from = Number(url.searchParams.get('from'))
    const to = Number(url.searchParams.get('to'))
    const rows = match === null ? undefined : data[decodeURIComponent(match[1] as string)]
    let status = failure ?? 200
    if (failure === undefined && rows === undefined) status = 404
    else if (failure === undefined && !(Number.isFinite(from) && Number.isFinite(to) && from <= to))
      status = 400
    if (status !== 200) {
      response.writeHead(status).end()
      return
    }
    const answer = [...(rows ?? [])].filter((row) => row.minute >= from && row.minute < to)
    answer.sort((a, b) => a.minute - b.minute)
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    failNext: (status) => void failures.push(status),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((error) => (error ? reject(error) : resolve()))
      }),
  }
}

/**
 * A day of minutes for one SLI, deterministic: `perMinute` requests a minute, and every
 * `failEvery`-th minute has `failed` of them fail.
 */
export function dayOfCounts(dayStartMs: number, perMinute = 100, failEvery = 60, failed = 3): CountRow[] {
  return Array.from({ length: 1440 }, (_, i) => ({
    minute: dayStartMs + i * 60_000,
    ok: i % failEvery === 0 ? perMinute - failed : perMinute,
    all: perMinute,
  }))
}
