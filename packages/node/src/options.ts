import {
  type Clock,
  type Logger,
  noopLogger,
  SlokitError,
  type SloRecorder,
  type SloTracker,
  systemClock,
} from '@slokit/core'
import { pathEnd, RoutePattern } from './route-pattern.js'

/**
 * The SLOs one route's requests count toward: each request records its availability outcome
 * (`record(good)`) into every `availability` SLO, and its duration into every `latency` SLO.
 * Give an id, several ids, or leave a kind out.
 *
 * Availability SLOs are ratio SLIs. Latency SLOs are either ratio SLIs that receive
 * `durationMs <= latencyThresholdMs` (when this route or the options give a threshold), or
 * threshold SLIs in milliseconds that receive the duration (`observe`; e.g.
 * `{ type: 'threshold', comparison: '<=', threshold: 300, unit: 'ms' }`), which count the share
 * of fast requests under `occurrences` or judge a percentile per slice under `timeslices`.
 */
export interface RouteSlos {
  /** Ratio SLOs that count the request as good or bad. */
  readonly availability?: string | readonly string[] | undefined
  /**
   * Latency SLOs. Without a latency threshold they are threshold SLIs and receive the duration
   * in milliseconds (`observe`); with one (`latencyThresholdMs` here or in the options) they are
   * ratio SLIs and receive whether the request was at least that fast (`record`).
   */
  readonly latency?: string | readonly string[] | undefined
  /**
   * This route's latency threshold in milliseconds: a request taking at most this long is good
   * for the route's latency SLOs (which must then be ratio SLIs). Overrides the options'
   * `latencyThresholdMs`.
   */
  readonly latencyThresholdMs?: number | undefined
}

/** A status-code class for {@link HttpSliOptions.badStatus}. */
export type StatusClass = '4xx' | '5xx'

/** What the middleware needs of a tracker: the SLO ids and a recorder per SLO. */
export type SliTracker = Pick<SloTracker, 'sloIds' | 'recorder'>

/**
 * Options shared by {@link httpSli}, `expressSli` (`@slokit/node/express`) and `fastifySli`
 * (`@slokit/node/fastify`). Validated once, when the middleware is created.
 */
export interface HttpSliOptions {
  /** The tracker to record into (`createSloTracker` from `@slokit/core`). */
  readonly tracker: SliTracker
  /**
   * Route → SLOs, keyed by `"METHOD /template"` or `"/template"` (any method), e.g.
   * `'GET /users/:id'`, `'POST /orders'`, `'/files/*'`. `:name` matches one path segment and a
   * last `*` the rest, so `/users/1` and `/users/2` both count toward `'GET /users/:id'`. The
   * first matching key in insertion order wins; `GET` also matches `HEAD`. `false` leaves a
   * route's requests out (health checks, metrics scrapes).
   */
  readonly routes?: Readonly<Record<string, RouteSlos | false>> | undefined
  /** The SLOs of requests that match no key of `routes`; `false` (the default) leaves them out. */
  readonly default?: RouteSlos | false | undefined
  /**
   * Express and Fastify only: the SLOs of requests no route of the framework handled (its 404s,
   * and with Express, responses sent by middleware before any route) that match no key of
   * `routes`. The same as `default` unless given.
   */
  readonly unmatched?: RouteSlos | false | undefined
  /**
   * Which status codes make a completed request bad: a list of codes and classes, or a function.
   * `['5xx']` by default; `['5xx', 429]` also counts rate-limited requests against the SLO.
   */
  readonly badStatus?: readonly (number | StatusClass)[] | ((statusCode: number) => boolean) | undefined
  /**
   * Paths left out of every SLO, as templates (`'/metrics'`, `'/healthz'`, `'/static/*'`),
   * checked against the request path before `routes` (and, with Express and Fastify, against the
   * route's template too). An ignored request costs that check only: no listener, no clock read.
   */
  readonly ignore?: readonly string[] | undefined
  /**
   * The default latency threshold in milliseconds for routes that give none: latency SLOs then
   * receive `durationMs <= latencyThresholdMs` as a ratio outcome. Without any threshold they
   * receive the duration itself (threshold SLIs, whose spec holds the threshold).
   */
  readonly latencyThresholdMs?: number | undefined
  /**
   * Requests whose connection closed before the response was complete (the client gave up):
   * `'ignore'` (default) leaves them out of every SLO; `'bad'` counts them as bad and observes
   * the time until the client left as their latency.
   */
  readonly aborted?: 'ignore' | 'bad' | undefined
  /** Whose durations latency SLOs receive: every counted request (`'all'`, default) or good ones only. */
  readonly latencyOf?: 'all' | 'good' | undefined
  /** The time events are recorded at; pass the tracker's clock. `systemClock` by default. */
  readonly clock?: Clock | undefined
  /**
   * The monotonic clock durations are measured with, in milliseconds; `performance.now()` by
   * default. Tests pass a `FakeClock` to control durations.
   */
  readonly timer?: Clock | undefined
  /** Receives handler errors caught by `httpSli().wrap()` and a warning if a `badStatus` function throws. Silent by default. */
  readonly logger?: Logger | undefined
}

/** The recorders of one route, resolved from ids once. `null` stands for a route left out. */
export interface Route {
  readonly availability: readonly SloRecorder[]
  readonly latency: readonly SloRecorder[]
  /** Latency outcome threshold; `undefined` to observe durations. */
  readonly latencyThresholdMs: number | undefined
}

interface Entry {
  /** Upper-case method, or undefined for any. */
  readonly method: string | undefined
  readonly pattern: RoutePattern
  readonly route: Route | null
}

const METHOD = /^[A-Z][A-Z0-9_-]*$/
const KEY = /^(?:([A-Za-z][A-Za-z0-9_-]*|\*)\s+)?(\/\S*)$/

/**
 * The validated options: routes compiled to patterns, ids resolved to recorders.
 * @internal
 */
export class CompiledOptions {
  readonly entries: readonly Entry[]
  readonly fallback: Route | null
  readonly unmatched: Route | null
  private readonly badCodes: Uint8Array | undefined
  private readonly isBad: ((statusCode: number) => boolean) | undefined
  readonly countAborted: boolean
  readonly latencyOfAll: boolean
  readonly clock: Clock
  readonly timer: Clock
  /**
   * Whether event times may be derived from the timer (default clock and timer): the clock is
   * `Date.now()` and the timer `performance.now()`, so their difference only drifts slowly.
   */
  readonly derivedTime: boolean
  /** The `ignore` templates, checked against request paths before anything is allocated. */
  private readonly ignored: readonly RoutePattern[]
  readonly logger: Logger
  private warnedClassifier = false

  constructor(options: HttpSliOptions, where: string) {
    const fail = (message: string, hint?: string): never => {
      throw new SlokitError(
        'INVALID_ARGUMENT',
        `[slokit/node] ${where}: ${message}`,
        hint === undefined ? {} : { hint },
      )
    }
    if (options === null || typeof options !== 'object') fail('`options` must be an object.')
    const tracker = options.tracker
    if (
      tracker === null ||
      typeof tracker !== 'object' ||
      typeof tracker.recorder !== 'function' ||
      !Array.isArray(tracker.sloIds)
    ) {
      fail('Missing required option `tracker`.', 'pass the tracker from createSloTracker() in @slokit/core')
    }
    const known = new Set(tracker.sloIds)
    const defaultThresholdMs = checkThreshold(options.latencyThresholdMs, 'latencyThresholdMs', fail)
    const recorders = new Map<string, SloRecorder>()
    const resolve = (slos: RouteSlos | false | undefined, path: string): Route | null => {
      if (slos === undefined || slos === false) return null
      if (slos === null || typeof slos !== 'object') {
        return fail(`\`${path}\` must be { availability?, latency? } or false.`)
      }
      for (const key of Object.keys(slos)) {
        if (key !== 'availability' && key !== 'latency' && key !== 'latencyThresholdMs') {
          fail(
            `\`${path}\` has an unknown key \`${key}\`.`,
            'use `availability`, `latency` and `latencyThresholdMs`',
          )
        }
      }
      const ids = (kind: 'availability' | 'latency'): SloRecorder[] => {
        const value = slos[kind]
        if (value === undefined) return []
        const list = typeof value === 'string' ? [value] : value
        if (!Array.isArray(list) || list.some((id) => typeof id !== 'string')) {
          return fail(`\`${path}.${kind}\` must be an SLO id or a list of SLO ids.`)
        }
        return list.map((id: string) => {
          if (!known.has(id)) {
            fail(
              `\`${path}.${kind}\` names SLO "${id}", which the tracker does not track.`,
              `tracked SLOs: ${tracker.sloIds.join(', ') || '(none)'}`,
            )
          }
          let recorder = recorders.get(id)
          if (recorder === undefined) {
            recorder = tracker.recorder(id)
            recorders.set(id, recorder)
          }
          return recorder
        })
      }
      const latencyThresholdMs =
        checkThreshold(slos.latencyThresholdMs, `${path}.latencyThresholdMs`, fail) ?? defaultThresholdMs
      const route = { availability: ids('availability'), latency: ids('latency'), latencyThresholdMs }
      return route.availability.length + route.latency.length === 0 ? null : route
    }

    const routes = options.routes ?? {}
    if (routes === null || typeof routes !== 'object')
      fail('`routes` must be an object of "METHOD /template" keys.')
    const ignore = options.ignore ?? []
    if (!Array.isArray(ignore) || ignore.some((path) => typeof path !== 'string')) {
      fail('`ignore` must be a list of path templates.', 'e.g. ["/metrics", "/healthz"]')
    }
    const ignored = ignore.map((path: string): [string, false] => [path, false])
    this.entries = [...ignored, ...Object.entries(routes)].map(([key, slos]): Entry => {
      const match = KEY.exec(key.trim())
      if (match === null) {
        return fail(
          `\`routes\` key "${key}" is not "METHOD /template" or "/template".`,
          'e.g. "GET /users/:id", "/health"',
        )
      }
      const method = match[1] === undefined || match[1] === '*' ? undefined : match[1].toUpperCase()
      if (method !== undefined && !METHOD.test(method)) fail(`\`routes\` key "${key}" has an invalid method.`)
      let pattern: RoutePattern
      try {
        pattern = new RoutePattern(match[2] as string)
      } catch (error) {
        const message =
          error instanceof SlokitError ? error.message.replace('[slokit/node] ', '') : String(error)
        return fail(
          `\`routes\` key "${key}": ${message}`,
          error instanceof SlokitError ? error.hint : undefined,
        )
      }
      return { method, pattern, route: resolve(slos, `routes["${key}"]`) }
    })
    this.fallback = resolve(options.default, 'default')
    this.unmatched = options.unmatched === undefined ? this.fallback : resolve(options.unmatched, 'unmatched')
    if (this.entries.every((e) => e.route === null) && this.fallback === null && this.unmatched === null) {
      fail(
        'Nothing to record: no route, `default` or `unmatched` names an SLO.',
        'map routes to SLO ids, or set `default`',
      )
    }

    const badStatus = options.badStatus ?? DEFAULT_BAD_STATUS
    if (typeof badStatus === 'function') {
      this.isBad = badStatus
      this.badCodes = undefined
    } else {
      this.isBad = undefined
      this.badCodes = badStatusTable(badStatus, fail)
    }
    const aborted = options.aborted ?? 'ignore'
    if (aborted !== 'ignore' && aborted !== 'bad') fail('`aborted` must be "ignore" or "bad".')
    this.countAborted = aborted === 'bad'
    const latencyOf = options.latencyOf ?? 'all'
    if (latencyOf !== 'all' && latencyOf !== 'good') fail('`latencyOf` must be "all" or "good".')
    this.latencyOfAll = latencyOf === 'all'
    this.clock = checkClock(options.clock, 'clock', fail) ?? systemClock
    this.timer = checkClock(options.timer, 'timer', fail) ?? performance
    this.derivedTime = this.clock === systemClock && this.timer === performance
    this.ignored = this.entries.slice(0, ignored.length).map((entry) => entry.pattern)
    this.logger = options.logger ?? noopLogger
  }

  /** Whether `ignore` lists any template. */
  get hasIgnore(): boolean {
    return this.ignored.length > 0
  }

  /** Whether the path of `url` matches an `ignore` template. */
  isIgnored(url: string): boolean {
    const ignored = this.ignored
    const end = pathEnd(url)
    for (let i = 0; i < ignored.length; i++)
      if ((ignored[i] as RoutePattern).matchesPath(url, end)) return true
    return false
  }

  /** The route of the first key matching `method` and `path` (a path or a template); `undefined` when none does. */
  find(method: string | undefined, path: string): Route | null | undefined {
    const entries = this.entries
    const end = pathEnd(path)
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i] as Entry
      const wanted = entry.method
      if (
        (wanted === undefined || wanted === method || (wanted === 'GET' && method === 'HEAD')) &&
        entry.pattern.matchesPath(path, end)
      ) {
        return entry.route
      }
    }
    return undefined
  }

  /** Whether a completed response is good; `undefined` when a `badStatus` function throws (warned once). */
  classify(statusCode: number): boolean | undefined {
    const table = this.badCodes
    if (table !== undefined) return table[statusCode] !== 1
    try {
      return (this.isBad as (statusCode: number) => boolean)(statusCode) !== true
    } catch (error) {
      if (!this.warnedClassifier) {
        this.warnedClassifier = true
        this.logger.warn(
          '[slokit/node] `badStatus` threw; requests it throws for are left out of the SLOs.',
          {
            statusCode,
            error,
          },
        )
      }
      return undefined
    }
  }
}

function checkClock(
  clock: Clock | undefined,
  name: string,
  fail: (message: string) => never,
): Clock | undefined {
  if (clock !== undefined && (clock === null || typeof clock.now !== 'function')) {
    fail(`\`${name}\` must be a Clock: { now(): number }.`)
  }
  return clock
}

function checkThreshold(
  value: number | undefined,
  name: string,
  fail: (message: string) => never,
): number | undefined {
  if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value) && value > 0)) {
    fail(`\`${name}\` must be a positive number of milliseconds, got ${String(value)}.`)
  }
  return value
}

const DEFAULT_BAD_STATUS: readonly StatusClass[] = ['5xx']

/**
 * A lookup table: 1 at each bad status code (100–999).
 * @internal
 */
export function badStatusTable(
  list: readonly (number | StatusClass)[],
  fail: (message: string, hint?: string) => never,
): Uint8Array {
  if (!Array.isArray(list)) fail('`badStatus` must be a list of status codes and classes, or a function.')
  const table = new Uint8Array(1000)
  for (const item of list) {
    if (item === '4xx' || item === '5xx') {
      const from = item === '4xx' ? 400 : 500
      table.fill(1, from, from + 100)
    } else if (typeof item === 'number' && Number.isInteger(item) && item >= 100 && item <= 999) {
      table[item] = 1
    } else {
      fail(
        `\`badStatus\` has ${JSON.stringify(item)}, which is not a status code (100–999), "4xx" or "5xx".`,
        'e.g. ["5xx", 429]',
      )
    }
  }
  return table
}
