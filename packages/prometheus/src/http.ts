import { abortedError, Secret, SlokitError } from '@slokit/core'

/** The request options slokit passes to {@link FetchLike}. */
export interface FetchInit {
  readonly method: string
  readonly headers: Record<string, string>
  readonly body?: string | undefined
  readonly signal: AbortSignal
}

/** The part of a `fetch` response slokit reads. */
export interface FetchResponse {
  readonly status: number
  readonly statusText?: string | undefined
  readonly headers: { get(name: string): string | null }
  text(): Promise<string>
}

/**
 * The part of `fetch` the Prometheus and Pushgateway clients use: `globalThis.fetch` fits, so does
 * undici's, a proxy-aware wrapper, or a fake in tests.
 */
export type FetchLike = (url: string, init: FetchInit) => Promise<FetchResponse>

/**
 * Timers for request timeouts and retry pauses; `globalThis.setTimeout`/`clearTimeout` by default.
 * Hand in fakes to test timeouts without waiting.
 */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

/** Credentials and headers sent with every request. Secrets are revealed only when sent. */
export interface HttpAuth {
  /** Sent as `Authorization: Bearer <token>`. */
  readonly bearerToken?: Secret | string | undefined
  /** Sent as `Authorization: Basic …`. Mutually exclusive with `bearerToken`. */
  readonly basicAuth?: { readonly username: string; readonly password: Secret | string } | undefined
  /** Extra headers, e.g. `X-Scope-OrgID` for Mimir or Cortex. Values may be secrets. */
  readonly headers?: Readonly<Record<string, string | Secret>> | undefined
}

/** What {@link HttpClient.send} answers. */
export interface HttpAnswer {
  readonly status: number
  readonly statusText: string
  readonly contentType: string | null
  readonly body: string
}

/** Why a request got no answer: our timeout, or the network (reset, refused, DNS, TLS). */
export class NoAnswer extends Error {
  constructor(
    readonly kind: 'timeout' | 'network',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
    this.name = 'NoAnswer'
  }
}

const defaultTimers: Timers = {
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
}

/** `globalThis.fetch`, checked once. */
export function defaultFetch(where: string): FetchLike {
  const fetch = globalThis.fetch as unknown as FetchLike | undefined
  if (typeof fetch !== 'function') {
    throw new SlokitError('INVALID_ARGUMENT', `${where}: this runtime has no global \`fetch\`.`, {
      hint: 'pass `fetch` explicitly (Node.js 20 and later have one built in)',
    })
  }
  return fetch
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/

/**
 * Checks the connection options shared by the Prometheus and Pushgateway clients and returns the
 * parsed base URL (without a trailing slash). Throws `INVALID_ARGUMENT` naming the option.
 */
export function checkConnection(
  where: string,
  options: {
    readonly url: unknown
    readonly timeoutMs?: unknown
    readonly fetch?: unknown
    readonly timers?: unknown
  } & HttpAuth,
): URL {
  const { url, timeoutMs, bearerToken, basicAuth, headers } = options
  if (typeof url !== 'string' || url.trim() === '') {
    throw new SlokitError('INVALID_ARGUMENT', `${where}: \`url\` must be a non-empty string.`, {
      hint: 'pass the base URL, e.g. http://prometheus:9090',
    })
  }
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new SlokitError('INVALID_ARGUMENT', `${where}: \`url\` is not a valid URL.`, {
      hint: 'pass an absolute http(s) URL, e.g. http://prometheus:9090',
    })
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new SlokitError(
      'INVALID_ARGUMENT',
      `${where}: \`url\` must use http or https, got ${parsed.protocol}`,
    )
  }
  if (parsed.username !== '' || parsed.password !== '') {
    // Credentials in a URL end up in logs and error messages; keep them in options that redact.
    throw new SlokitError('INVALID_ARGUMENT', `${where}: \`url\` must not contain credentials.`, {
      hint: 'pass them as `basicAuth: { username, password }` (or `bearerToken`) instead',
    })
  }
  if (parsed.search !== '' || parsed.hash !== '') {
    throw new SlokitError('INVALID_ARGUMENT', `${where}: \`url\` must not have a query string or fragment.`)
  }
  if (
    timeoutMs !== undefined &&
    !(typeof timeoutMs === 'number' && Number.isFinite(timeoutMs) && timeoutMs > 0)
  ) {
    throw new SlokitError(
      'INVALID_ARGUMENT',
      `${where}: \`timeoutMs\` must be a positive number of milliseconds, got ${String(timeoutMs)}.`,
    )
  }
  if (bearerToken !== undefined && basicAuth !== undefined) {
    throw new SlokitError('INVALID_ARGUMENT', `${where}: give \`bearerToken\` or \`basicAuth\`, not both.`)
  }
  if (bearerToken !== undefined && !(bearerToken instanceof Secret) && !nonEmpty(bearerToken)) {
    throw new SlokitError(
      'INVALID_ARGUMENT',
      `${where}: \`bearerToken\` must be a Secret or a non-empty string.`,
    )
  }
  if (basicAuth !== undefined) {
    if (!nonEmpty(basicAuth?.username) || String(basicAuth.username).includes(':')) {
      throw new SlokitError(
        'INVALID_ARGUMENT',
        `${where}: \`basicAuth.username\` must be a non-empty string without ":".`,
      )
    }
    if (!(basicAuth.password instanceof Secret) && !nonEmpty(basicAuth.password)) {
      throw new SlokitError(
        'INVALID_ARGUMENT',
        `${where}: \`basicAuth.password\` must be a Secret or a non-empty string.`,
      )
    }
  }
  if (headers !== undefined) {
    if (headers === null || typeof headers !== 'object') {
      throw new SlokitError(
        'INVALID_ARGUMENT',
        `${where}: \`headers\` must be an object of header names to values.`,
      )
    }
    for (const [name, value] of Object.entries(headers)) {
      if (!HEADER_NAME.test(name)) {
        throw new SlokitError(
          'INVALID_ARGUMENT',
          `${where}: \`headers\` has an invalid header name ${JSON.stringify(name)}.`,
        )
      }
      if (!(value instanceof Secret) && typeof value !== 'string') {
        throw new SlokitError(
          'INVALID_ARGUMENT',
          `${where}: header \`${name}\` must be a string or a Secret.`,
        )
      }
    }
  }
  for (const key of ['fetch', 'timers'] as const) {
    const value = options[key]
    if (
      value !== undefined &&
      (value === null || (typeof value !== 'function' && typeof value !== 'object'))
    ) {
      throw new SlokitError('INVALID_ARGUMENT', `${where}: \`${key}\` has the wrong type.`)
    }
  }
  return new URL(parsed.href.replace(/\/+$/, ''))
}

function nonEmpty(value: unknown): value is string {
  return typeof value === 'string' && value !== ''
}

const reveal = (value: Secret | string): string => (value instanceof Secret ? value.reveal() : value)

/**
 * A small HTTP client: one base URL, credentials added per request, a timeout per request that
 * also covers reading the body, and the caller's abort signal. It never retries and never throws
 * for an HTTP status: callers judge the answer.
 */
export class HttpClient {
  readonly #auth: HttpAuth
  readonly #fetch: FetchLike
  readonly #timers: Timers

  constructor(
    /** The base URL, without a trailing slash; paths are appended to it. */
    readonly baseUrl: URL,
    readonly timeoutMs: number,
    auth: HttpAuth,
    fetch: FetchLike,
    timers: Timers | undefined,
    private readonly userAgent: string,
  ) {
    this.#auth = auth
    this.#fetch = fetch
    this.#timers = timers ?? defaultTimers
  }

  /** The URL of `path` (which starts with `/`) under the base URL. */
  urlOf(path: string): string {
    return `${this.baseUrl.href.replace(/\/+$/, '')}${path}`
  }

  /** Where requests go, for messages: the base URL (never credentials, which it cannot hold). */
  get where(): string {
    return this.baseUrl.href.replace(/\/+$/, '')
  }

  /** Waits `ms`, or rejects with `ABORTED` when `signal` aborts first. */
  pause(ms: number, signal: AbortSignal | undefined, what: string): Promise<void> {
    if (ms <= 0) return Promise.resolve()
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(abortedError(signal, what))
        return
      }
      const onAbort = (): void => {
        this.#timers.clearTimeout(handle)
        reject(abortedError(signal, what))
      }
      const handle = this.#timers.setTimeout(() => {
        signal?.removeEventListener('abort', onAbort)
        resolve()
      }, ms)
      signal?.addEventListener('abort', onAbort, { once: true })
    })
  }

  /**
   * Sends one request. Resolves with any HTTP answer; rejects with `SlokitError` `ABORTED` when
   * `signal` aborts, with {@link NoAnswer} when the timeout passes or the network fails, and with
   * `SlokitError` `INVALID_CONFIG` when a secret is not set.
   */
  async send(
    request: {
      readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE'
      readonly url: string
      readonly body?: string | undefined
      readonly contentType?: string | undefined
      readonly accept?: string | undefined
    },
    signal: AbortSignal | undefined,
    what: string,
  ): Promise<HttpAnswer> {
    if (signal?.aborted) throw abortedError(signal, what)
    const headers = this.headers()
    if (request.contentType !== undefined) headers['content-type'] = request.contentType
    if (request.accept !== undefined) headers.accept = request.accept
    const controller = new AbortController()
    let timedOut = false
    const timer = this.#timers.setTimeout(() => {
      timedOut = true
      controller.abort(new Error(`timed out after ${this.timeoutMs} ms`))
    }, this.timeoutMs)
    const onAbort = (): void => controller.abort(signal?.reason)
    signal?.addEventListener('abort', onAbort, { once: true })
    try {
      const stopped = new Promise<never>((_, reject) => {
        controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true })
      })
      stopped.catch(() => {})
      // The race makes a fake or odd `fetch` that ignores the signal stop all the same.
      const response = await Promise.race([
        this.#fetch(request.url, {
          method: request.method,
          headers,
          body: request.body,
          signal: controller.signal,
        }),
        stopped,
      ])
      const body = await Promise.race([response.text(), stopped])
      return {
        status: response.status,
        statusText: response.statusText ?? '',
        contentType: response.headers.get('content-type'),
        body,
      }
    } catch (error) {
      if (signal?.aborted) throw abortedError(signal, what)
      if (timedOut) throw new NoAnswer('timeout', `no answer within ${this.timeoutMs} ms`)
      if (error instanceof SlokitError) throw error
      throw new NoAnswer('network', describeNetworkError(error), { cause: error })
    } finally {
      this.#timers.clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
    }
  }

  private headers(): Record<string, string> {
    const headers: Record<string, string> = { 'user-agent': this.userAgent }
    for (const [name, value] of Object.entries(this.#auth.headers ?? {}))
      headers[name.toLowerCase()] = reveal(value)
    const { bearerToken, basicAuth } = this.#auth
    if (bearerToken !== undefined) headers.authorization = `Bearer ${reveal(bearerToken)}`
    if (basicAuth !== undefined) {
      const pair = `${basicAuth.username}:${reveal(basicAuth.password)}`
      headers.authorization = `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`
    }
    return headers
  }
}

const NETWORK_REASONS: Readonly<Record<string, string>> = {
  ECONNRESET: 'the connection was reset',
  ECONNREFUSED: 'the connection was refused',
  EPIPE: 'the connection broke',
  ETIMEDOUT: 'the connection timed out',
  ENOTFOUND: 'the host name was not found',
  EAI_AGAIN: 'the host name could not be resolved (DNS)',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  UND_ERR_SOCKET: 'the connection was closed by the other side',
  UND_ERR_CONNECT_TIMEOUT: 'connecting timed out',
  UND_ERR_HEADERS_TIMEOUT: 'no response headers in time',
  UND_ERR_BODY_TIMEOUT: 'the response body stalled',
}

/** A network failure in words: `fetch failed` alone says nothing, its `cause` does. */
export function describeNetworkError(error: unknown): string {
  let current: unknown = error
  for (let depth = 0; depth < 4 && current !== null && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code
    if (typeof code === 'string' && NETWORK_REASONS[code] !== undefined)
      return `${NETWORK_REASONS[code]} (${code})`
    current = (current as { cause?: unknown }).cause
  }
  const message = error instanceof Error ? error.message : String(error)
  return message === '' ? 'the request failed' : message
}

/** A short, single-line excerpt of a body for an error message: an HTML page's title, or its text. */
export function excerpt(body: string, max = 120): string {
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(body)?.[1]
  const text = (title ?? body)
    .replace(/<script[\s\S]*?<\/script>|<style[\s\S]*?<\/style>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
  if (text === '') return body.trim() === '' ? '(empty body)' : '(no readable text)'
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}
