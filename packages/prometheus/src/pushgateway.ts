import { SlokitError, type SlokitErrorCode } from '@slokit/core'
import { RETRYABLE_STATUSES } from './errors.js'
import {
  checkConnection,
  defaultFetch,
  excerpt,
  type FetchLike,
  type HttpAuth,
  HttpClient,
  NoAnswer,
  type Timers,
} from './http.js'
import { LABEL_NAME } from './promql.js'

/** Options of {@link Pushgateway}. */
export interface PushgatewayOptions extends HttpAuth {
  /** Base URL of the Pushgateway, e.g. `http://pushgateway:9091`. */
  readonly url: string
  /** The `job` of the grouping key. */
  readonly job: string
  /**
   * The rest of the grouping key, e.g. `{ instance: 'batch-7' }`. Values with a `/` and empty
   * values are sent base64url-encoded (`<label>@base64/<value>`), as the Pushgateway requires.
   */
  readonly groupingKey?: Readonly<Record<string, string>> | undefined
  /** Time allowed per request, body included; 10 s by default. */
  readonly timeoutMs?: number | undefined
  /** `fetch` to send requests with; `globalThis.fetch` by default. */
  readonly fetch?: FetchLike | undefined
  /** Timers for timeouts; the global ones by default. */
  readonly timers?: Timers | undefined
}

/**
 * Metrics to push: the text exposition format (0.0.4) as a string, or anything with a
 * `metrics()` method that returns it, such as a prom-client `Registry`.
 */
export type PushBody = string | { metrics(): string | Promise<string>; readonly contentType?: string }

/** Options of one push or delete. */
export interface PushOptions {
  /** Stops waiting; the result is then a failure with code `ABORTED`. */
  readonly signal?: AbortSignal | undefined
}

/** What a push or delete returns: never an exception, so a failing Pushgateway never breaks the job. */
export type PushResult =
  | { readonly ok: true; readonly status: number }
  | { readonly ok: false; readonly error: PushgatewayError; readonly retryable: boolean }

/** A push or delete the Pushgateway refused or never answered. */
export class PushgatewayError extends SlokitError {
  /** The HTTP status; absent when no answer arrived. */
  readonly status: number | undefined
  /** Whether trying again later may succeed (timeouts, resets, 5xx, 429). */
  readonly retryable: boolean

  constructor(
    code: SlokitErrorCode,
    message: string,
    options: { status?: number | undefined; retryable: boolean; cause?: unknown; hint?: string | undefined },
  ) {
    super(code, message, {
      cause: options.cause,
      ...(options.hint === undefined ? {} : { hint: options.hint }),
    })
    this.name = 'PushgatewayError'
    this.status = options.status
    this.retryable = options.retryable
  }
}

const TEXT_FORMAT = 'text/plain; version=0.0.4; charset=utf-8'

/**
 * Pushes metrics to a Prometheus Pushgateway (1.x) for one grouping key: for batch jobs and cron
 * evaluations that do not live long enough to be scraped.
 *
 * - {@link Pushgateway.push} (`PUT`) replaces every metric of the group;
 * - {@link Pushgateway.pushAdd} (`POST`) replaces only the metrics named in the body;
 * - {@link Pushgateway.delete} (`DELETE`) removes the group (202: queued, in order with pushes).
 *
 * Bodies are sent as text format 0.0.4 with `\n` line ends and a final newline. slokit never adds
 * timestamps (the Pushgateway refuses them); a body that has some comes back as a 400 failure.
 * Results are returned, never thrown: a push that fails says why and whether to retry.
 *
 * @example
 * ```ts
 * const gateway = new Pushgateway({ url: 'http://pushgateway:9091', job: 'slo-report', groupingKey: { env: 'prod' } })
 * const result = await gateway.push(registry)
 * if (!result.ok) logger.warn('push failed', { error: result.error.message, retryable: result.retryable })
 * ```
 */
export class Pushgateway {
  /** The group's path under the base URL, e.g. `/metrics/job/slo-report/env/prod`. */
  readonly path: string
  readonly #http: HttpClient

  /**
   * Checks the options; sends nothing yet.
   * @throws `SlokitError` `INVALID_ARGUMENT` naming the first invalid option.
   */
  constructor(options: PushgatewayOptions) {
    const where = '[slokit/prometheus] new Pushgateway(options)'
    if (options === null || typeof options !== 'object') {
      throw new SlokitError(
        'INVALID_ARGUMENT',
        `${where}: options must be an object with \`url\` and \`job\`.`,
      )
    }
    const baseUrl = checkConnection(where, options)
    this.path = groupingPath(where, options.job, options.groupingKey ?? {})
    this.#http = new HttpClient(
      baseUrl,
      options.timeoutMs ?? 10_000,
      { bearerToken: options.bearerToken, basicAuth: options.basicAuth, headers: options.headers },
      options.fetch ?? defaultFetch(where),
      options.timers,
      'slokit-prometheus',
    )
  }

  /** `PUT`: replaces every metric of the group with `body`. An empty body empties the group. */
  push(body: PushBody, options: PushOptions = {}): Promise<PushResult> {
    return this.send('PUT', body, options)
  }

  /** `POST`: replaces the metrics of the group that `body` names, and keeps the others. */
  pushAdd(body: PushBody, options: PushOptions = {}): Promise<PushResult> {
    return this.send('POST', body, options)
  }

  /** `DELETE`: removes every metric of the group. */
  delete(options: PushOptions = {}): Promise<PushResult> {
    return this.send('DELETE', undefined, options)
  }

  private async send(
    method: 'PUT' | 'POST' | 'DELETE',
    body: PushBody | undefined,
    options: PushOptions,
  ): Promise<PushResult> {
    const what = `Pushgateway ${method} ${this.path}`
    try {
      const text = body === undefined ? undefined : await bodyText(body)
      const answer = await this.#http.send(
        {
          method,
          url: this.#http.urlOf(this.path),
          body: text,
          contentType: text === undefined ? undefined : TEXT_FORMAT,
        },
        options.signal,
        `[slokit/prometheus] ${what}`,
      )
      if (answer.status >= 200 && answer.status < 300) return { ok: true, status: answer.status }
      const retryable = RETRYABLE_STATUSES.has(answer.status)
      const error = new PushgatewayError(
        'SOURCE_FAILED',
        `[slokit/prometheus] ${what}: ${this.#http.where} answered ${answer.status}: ${excerpt(answer.body, 300)}`,
        {
          status: answer.status,
          retryable,
          hint:
            answer.status === 400
              ? 'the Pushgateway refused the body: no timestamps, no type clash with other groups, valid text format'
              : undefined,
        },
      )
      return { ok: false, error, retryable }
    } catch (caught) {
      const error =
        caught instanceof PushgatewayError
          ? caught
          : caught instanceof NoAnswer
            ? new PushgatewayError(
                caught.kind === 'timeout' ? 'SOURCE_TIMEOUT' : 'SOURCE_FAILED',
                `[slokit/prometheus] ${what}: ${this.#http.where}: ${caught.message}.`,
                { retryable: true, cause: caught.cause ?? caught },
              )
            : new PushgatewayError(
                caught instanceof SlokitError ? caught.code : 'SOURCE_FAILED',
                caught instanceof SlokitError
                  ? caught.message
                  : `[slokit/prometheus] ${what}: ${String(caught)}`,
                { retryable: false, cause: caught },
              )
      return { ok: false, error, retryable: error.retryable }
    }
  }
}

async function bodyText(body: PushBody): Promise<string> {
  let text: string
  if (typeof body === 'string') text = body
  else {
    if (body.contentType !== undefined && !body.contentType.startsWith('text/plain')) {
      throw new PushgatewayError(
        'INVALID_ARGUMENT',
        `[slokit/prometheus] Pushgateway: the registry exposes ${body.contentType}, but the Pushgateway reads text format 0.0.4.`,
        { retryable: false, hint: 'push a registry with the default (Prometheus text) content type' },
      )
    }
    text = await body.metrics()
  }
  if (typeof text !== 'string') {
    throw new PushgatewayError(
      'INVALID_ARGUMENT',
      '[slokit/prometheus] Pushgateway: the body must be text.',
      {
        retryable: false,
      },
    )
  }
  // The Pushgateway refuses CR line ends and a last line without its newline.
  const normalised = text.replace(/\r\n?/g, '\n')
  return normalised === '' || normalised.endsWith('\n') ? normalised : `${normalised}\n`
}

/** `/metrics/job/<job>{/<label>/<value>}`, with `@base64` where a value needs it. */
export function groupingPath(
  where: string,
  job: string,
  groupingKey: Readonly<Record<string, string>>,
): string {
  if (typeof job !== 'string' || job === '') {
    throw new SlokitError('INVALID_ARGUMENT', `${where}: \`job\` must be a non-empty string.`)
  }
  const parts = [segment('job', job)]
  for (const [name, value] of Object.entries(groupingKey)) {
    if (!LABEL_NAME.test(name) || name.startsWith('__') || name === 'job') {
      throw new SlokitError(
        'INVALID_ARGUMENT',
        `${where}: \`groupingKey\` has an invalid label name ${JSON.stringify(name)}${name === 'job' ? ' (give the job as `job`)' : ''}.`,
      )
    }
    if (typeof value !== 'string') {
      throw new SlokitError('INVALID_ARGUMENT', `${where}: \`groupingKey.${name}\` must be a string.`)
    }
    parts.push(segment(name, value))
  }
  return `/metrics/${parts.join('/')}`
}

function segment(name: string, value: string): string {
  if (value === '') return `${name}@base64/=`
  if (value.includes('/')) return `${name}@base64/${Buffer.from(value, 'utf8').toString('base64url')}`
  return `${name}/${encodeURIComponent(value)}`
}
