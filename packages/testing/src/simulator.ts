import {
  DAY_MS,
  type EventPoint,
  HOUR_MS,
  MINUTE_MS,
  SlokitError,
  type SloTracker,
  type ValuePoint,
} from '@slokit/core'
import { createRng } from './rng.js'

/** A stretch of time during which requests fail more often and/or get slower. */
export interface TrafficIncident {
  /** Start of the incident, epoch milliseconds. */
  readonly startMs: number
  /** Length of the incident; it covers `[startMs, startMs + durationMs)`. */
  readonly durationMs: number
  /** Probability (0–1) that a request fails during the incident; the baseline `errorRate` if left out. */
  readonly errorRate?: number | undefined
  /** Factor (> 0) every latency is multiplied by during the incident; 1 if left out. */
  readonly latencyFactor?: number | undefined
}

/** A lognormal latency distribution, given by two of its quantiles. */
export interface LatencyProfile {
  /** The median (p50) latency in milliseconds; > 0. */
  readonly medianMs: number
  /** The 99th-percentile latency in milliseconds; >= `medianMs`. */
  readonly p99Ms: number
}

/** Options of {@link simulateTraffic}. Times are epoch milliseconds; every duration is in ms. */
export interface TrafficOptions {
  /** Seed of the random generator: the same options and seed always give the same traffic. */
  readonly seed: number
  /** Start of the simulated period. */
  readonly startMs: number
  /** Length of the simulated period, `[startMs, startMs + durationMs)`; >= 0. */
  readonly durationMs: number
  /** Length of one {@link TrafficStep}; one minute by default. The last step may be shorter. */
  readonly stepMs?: number | undefined
  /** Mean request rate over a day, per minute; >= 0. */
  readonly requestsPerMinute: number
  /**
   * Relative size of the daily swing (0–1); 0.3 by default. The rate at time `t` is
   * `requestsPerMinute × (1 + dailyAmplitude × cos(2π (t − peak) / 1 day))`, so 0.3 means
   * 30 % above the mean at the peak and 30 % below it twelve hours later.
   */
  readonly dailyAmplitude?: number | undefined
  /** Hour of the day (UTC, 0 ≤ h < 24, fractions allowed) at which traffic peaks; 15 by default. */
  readonly peakHourUtc?: number | undefined
  /** Baseline probability (0–1) that a request fails; 0.0005 by default. */
  readonly errorRate?: number | undefined
  /** Latency distribution outside incidents; `{ medianMs: 50, p99Ms: 250 }` by default. */
  readonly latency?: LatencyProfile | undefined
  /**
   * Incidents. Where several overlap, the highest error rate and the largest latency factor apply.
   * Incidents change only errors and latencies, never the request count or the random stream,
   * so traffic outside an incident is identical to the same seed without it.
   */
  readonly incidents?: readonly TrafficIncident[] | undefined
}

/**
 * The simulated requests of one step, `[startMs, endMs)`. Request `i` of `n` happens at
 * `startMs + floor((i + ½) × (endMs − startMs) / n)`: spread evenly over the step.
 */
export interface TrafficStep {
  readonly startMs: number
  readonly endMs: number
  /** Number of requests in the step. */
  readonly requests: number
  /** How many of the requests failed (counted among `requests`). */
  readonly errors: number
  /** One latency per request, in request order. */
  readonly latenciesMs: Float64Array
  /** One flag per request, in request order: 1 when the request failed, 0 when it succeeded. */
  readonly errorFlags: Uint8Array
}

/** Request and error counts of a whole simulation. */
export interface TrafficTotals {
  readonly requests: number
  readonly errors: number
}

/** Which tracked SLOs {@link TrafficSimulation.feed} records into. */
export interface TrafficFeedTargets {
  /** Ratio SLO that gets `record(id, !failed, atMs)` for every request. */
  readonly availability?: string | undefined
  /** Threshold SLO that gets `observe(id, latencyMs, atMs)` for every request. */
  readonly latency?: string | undefined
}

/** The part of an `SloTracker` that {@link TrafficSimulation.feed} needs. */
export type TrafficRecorder = Pick<SloTracker, 'record' | 'observe'>

/**
 * Simulated traffic, produced by {@link simulateTraffic}. Every method re-runs the simulation from
 * its seed, so they all see the same requests and can be called in any order, any number of times.
 */
export interface TrafficSimulation {
  /** Start of the simulated period, epoch milliseconds. */
  readonly startMs: number
  /** End (exclusive) of the simulated period. */
  readonly endMs: number
  /** Length of one step. */
  readonly stepMs: number
  /** The simulated steps, oldest first. Each step's arrays are fresh: keep them if you like. */
  steps(): Generator<TrafficStep, void, undefined>
  /**
   * The traffic as event counts for `MemorySource.addEvents`: one point per bucket of `bucketMs`
   * (the step length by default) from `startMs`, with `good = requests − errors`. Buckets without
   * requests are included with `total: 0` ("measured, no traffic").
   */
  events(bucketMs?: number): EventPoint[]
  /**
   * Every request's latency as a value for `MemorySource.addValues`, at the request's time. One
   * object per request: meant for hours of traffic, not months.
   */
  latencyValues(): ValuePoint[]
  /**
   * Records every request into an in-process tracker: `record(availability, !failed, atMs)` and
   * `observe(latency, latencyMs, atMs)`, in time order, without allocating per request.
   * @returns The totals fed.
   */
  feed(tracker: TrafficRecorder, slos: TrafficFeedTargets): TrafficTotals
  /**
   * Like {@link TrafficSimulation.feed}, one step at a time, into any number of targets: records
   * a step's requests, then yields the step's end. Lets a test or demo act between steps — tick
   * an engine every five minutes of simulated time, say — without holding the traffic in memory.
   *
   * @example
   * ```ts
   * for (const atMs of traffic.feedSteps(tracker, scenario.feeds)) {
   *   if (atMs % (5 * MINUTE_MS) === 0) await engine.tick(atMs)
   * }
   * ```
   */
  feedSteps(
    tracker: TrafficRecorder,
    targets: TrafficFeedTargets | readonly TrafficFeedTargets[],
  ): Generator<number, TrafficTotals, undefined>
  /** Total requests and errors over the whole period. */
  totals(): TrafficTotals
}

/** The 99th percentile of the standard normal distribution: `p99 = median × e^(σ × Z99)`. */
const Z99 = 2.3263478740408408

interface Incident {
  readonly startMs: number
  readonly endMs: number
  readonly errorRate: number | undefined
  readonly latencyFactor: number
}

interface Config {
  readonly seed: number
  readonly startMs: number
  readonly endMs: number
  readonly stepMs: number
  readonly perMs: number
  readonly amplitude: number
  readonly peakOffsetMs: number
  readonly errorRate: number
  readonly medianMs: number
  readonly sigma: number
  readonly incidents: readonly Incident[]
}

/**
 * Simulates the requests of a service: a daily traffic curve with Poisson noise, random errors at
 * a baseline rate, lognormal latencies, and incidents that raise the error rate or slow requests
 * down. Deterministic: the same options give the same requests, on every run and platform; it
 * never reads the wall clock. Fast enough for months of traffic (30 days at 60 requests per minute,
 * 2.6 M requests, feed a tracker in about a second).
 *
 * Per step: the expected request count is the integral of the daily curve over the step; the
 * actual count adds Poisson noise (exact below 30 expected requests, normal approximation above).
 * Each request then fails with the error rate in force at its time and gets a latency drawn from
 * the lognormal distribution with the given median and p99 (`σ = ln(p99 / median) / 2.3263`),
 * times the latency factor of any incident.
 *
 * @throws `SlokitError` `INVALID_ARGUMENT` naming the first invalid option.
 *
 * @example Feed a month of traffic with an outage into a tracker
 * ```ts
 * const start = Date.UTC(2026, 0, 1)
 * const traffic = simulateTraffic({
 *   seed: 1,
 *   startMs: start,
 *   durationMs: 30 * DAY_MS,
 *   requestsPerMinute: 60,
 *   errorRate: 0.0005,
 *   latency: { medianMs: 80, p99Ms: 400 },
 *   incidents: [{ startMs: start + 10 * DAY_MS, durationMs: HOUR_MS, errorRate: 0.25, latencyFactor: 3 }],
 * })
 * const tracker = createSloTracker({ slos: [availabilitySlo, latencySlo], clock: new FakeClock(start) })
 * traffic.feed(tracker, { availability: 'api-availability', latency: 'api-latency' })
 * tracker.status('api-availability', traffic.endMs).budget?.remaining
 * ```
 *
 * @example Serve the same traffic from a MemorySource
 * ```ts
 * const source = new MemorySource().addEvents('api-requests', traffic.events())
 * ```
 */
export function simulateTraffic(options: TrafficOptions): TrafficSimulation {
  const config = resolve(options)
  const { startMs, endMs, stepMs } = config
  return {
    startMs,
    endMs,
    stepMs,
    steps: () => generate(config),
    events(bucketMs = stepMs) {
      check(
        Number.isFinite(bucketMs) && bucketMs > 0,
        'events(bucketMs)',
        '`bucketMs` must be a positive number',
        bucketMs,
      )
      const buckets = Math.ceil((endMs - startMs) / bucketMs)
      const good = new Float64Array(buckets)
      const total = new Float64Array(buckets)
      for (const step of generate(config)) {
        const { requests, errorFlags } = step
        for (let i = 0; i < requests; i++) {
          const k = Math.floor((requestTime(step, i) - startMs) / bucketMs)
          total[k]! += 1
          if (errorFlags[i] === 0) good[k]! += 1
        }
      }
      return Array.from({ length: buckets }, (_, k) => ({
        t: startMs + k * bucketMs,
        good: good[k]!,
        total: total[k]!,
      }))
    },
    latencyValues() {
      const values: ValuePoint[] = []
      for (const step of generate(config)) {
        for (let i = 0; i < step.requests; i++) {
          values.push({ t: requestTime(step, i), value: step.latenciesMs[i]! })
        }
      }
      return values
    },
    feed(tracker, slos) {
      const steps = feedSteps(config, tracker, [slos])
      for (let next = steps.next(); ; next = steps.next()) if (next.done === true) return next.value
    },
    feedSteps: (tracker, targets) =>
      feedSteps(config, tracker, Array.isArray(targets) ? targets : [targets as TrafficFeedTargets]),
    totals() {
      let requests = 0
      let errors = 0
      for (const step of generate(config)) {
        requests += step.requests
        errors += step.errors
      }
      return { requests, errors }
    },
  }
}

function* feedSteps(
  config: Config,
  tracker: TrafficRecorder,
  targets: readonly TrafficFeedTargets[],
): Generator<number, TrafficTotals, undefined> {
  const availability = targets.flatMap((t) => (t.availability === undefined ? [] : [t.availability]))
  const latency = targets.flatMap((t) => (t.latency === undefined ? [] : [t.latency]))
  let requests = 0
  let errors = 0
  for (const step of generate(config)) {
    const { errorFlags, latenciesMs } = step
    for (let i = 0; i < step.requests; i++) {
      const atMs = requestTime(step, i)
      for (const id of availability) tracker.record(id, errorFlags[i] === 0, atMs)
      for (const id of latency) tracker.observe(id, latenciesMs[i]!, atMs)
    }
    requests += step.requests
    errors += step.errors
    yield step.endMs
  }
  return { requests, errors }
}

function requestTime(
  step: { readonly startMs: number; readonly endMs: number; readonly requests: number },
  i: number,
): number {
  return step.startMs + Math.floor(((2 * i + 1) * (step.endMs - step.startMs)) / (2 * step.requests))
}

function* generate(config: Config): Generator<TrafficStep, void, undefined> {
  const random = createRng(config.seed)
  const normal = normalSampler(random)
  const { startMs, endMs, stepMs, medianMs, sigma } = config
  const steps = Math.ceil((endMs - startMs) / stepMs)
  for (let k = 0; k < steps; k++) {
    const stepStart = startMs + k * stepMs
    const stepEnd = Math.min(startMs + (k + 1) * stepMs, endMs)
    const requests = poisson(expectedRequests(config, stepStart, stepEnd), random, normal)
    const latenciesMs = new Float64Array(requests)
    const errorFlags = new Uint8Array(requests)
    const active = config.incidents.filter(
      (incident) => incident.startMs < stepEnd && incident.endMs > stepStart,
    )
    const step = { startMs: stepStart, endMs: stepEnd, requests }
    let errors = 0
    for (let i = 0; i < requests; i++) {
      let errorRate = config.errorRate
      let latencyFactor = 1
      if (active.length > 0) {
        const atMs = requestTime(step, i)
        let inIncident = false
        let incidentRate = 0
        for (const incident of active) {
          if (atMs < incident.startMs || atMs >= incident.endMs) continue
          inIncident = true
          incidentRate = Math.max(incidentRate, incident.errorRate ?? config.errorRate)
          latencyFactor = Math.max(latencyFactor, incident.latencyFactor)
        }
        if (inIncident) errorRate = incidentRate
      }
      // Both draws happen for every request, whatever the rates, so incidents never shift the stream.
      if (random() < errorRate) {
        errorFlags[i] = 1
        errors++
      }
      latenciesMs[i] = medianMs * Math.exp(sigma * normal()) * latencyFactor
    }
    yield { startMs: stepStart, endMs: stepEnd, requests, errors, latenciesMs, errorFlags }
  }
}

/** The integral of the daily rate curve over `[fromMs, toMs)`. */
function expectedRequests(config: Config, fromMs: number, toMs: number): number {
  const { perMs, amplitude, peakOffsetMs } = config
  if (amplitude === 0) return perMs * (toMs - fromMs)
  const omega = (2 * Math.PI) / DAY_MS
  // Reduce to a phase within one day before the sine: keeps full precision at epoch-sized times.
  const phase = (t: number): number => omega * ((((t - peakOffsetMs) % DAY_MS) + DAY_MS) % DAY_MS)
  const swing = (Math.sin(phase(toMs)) - Math.sin(phase(fromMs))) / omega
  return Math.max(0, perMs * (toMs - fromMs + amplitude * swing))
}

/** Standard normal draws (Box–Muller), using both numbers of each pair. */
function normalSampler(random: () => number): () => number {
  let spare = 0
  let hasSpare = false
  return () => {
    if (hasSpare) {
      hasSpare = false
      return spare
    }
    const radius = Math.sqrt(-2 * Math.log(1 - random()))
    const angle = 2 * Math.PI * random()
    spare = radius * Math.sin(angle)
    hasSpare = true
    return radius * Math.cos(angle)
  }
}

/** A Poisson draw with mean `lambda`: exact (Knuth) for small means, normal approximation above. */
function poisson(lambda: number, random: () => number, normal: () => number): number {
  if (lambda >= 30) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * normal()))
  const limit = Math.exp(-lambda)
  let count = 0
  let product = random()
  while (product > limit) {
    count++
    product *= random()
  }
  return count
}

function check(ok: boolean, where: string, requirement: string, got: unknown): asserts ok {
  if (ok) return
  throw new SlokitError(
    'INVALID_ARGUMENT',
    `[slokit/testing] ${where}: ${requirement}, got ${JSON.stringify(got)}.`,
  )
}

const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value)
const isRate = (value: unknown): value is number => isNumber(value) && value >= 0 && value <= 1

function resolve(options: TrafficOptions): Config {
  const where = 'simulateTraffic(options)'
  const {
    seed,
    startMs,
    durationMs,
    stepMs = MINUTE_MS,
    requestsPerMinute,
    dailyAmplitude = 0.3,
    peakHourUtc = 15,
    errorRate = 0.0005,
    latency = { medianMs: 50, p99Ms: 250 },
    incidents = [],
  } = options
  check(Number.isInteger(seed), where, '`seed` must be an integer', seed)
  check(isNumber(startMs), where, '`startMs` must be a finite epoch time in ms', startMs)
  check(
    isNumber(durationMs) && durationMs >= 0,
    where,
    '`durationMs` must be a finite number >= 0',
    durationMs,
  )
  check(isNumber(stepMs) && stepMs > 0, where, '`stepMs` must be a positive number', stepMs)
  check(
    isNumber(requestsPerMinute) && requestsPerMinute >= 0,
    where,
    '`requestsPerMinute` must be >= 0',
    requestsPerMinute,
  )
  check(isRate(dailyAmplitude), where, '`dailyAmplitude` must be between 0 and 1', dailyAmplitude)
  check(
    isNumber(peakHourUtc) && peakHourUtc >= 0 && peakHourUtc < 24,
    where,
    '`peakHourUtc` must be in [0, 24)',
    peakHourUtc,
  )
  check(isRate(errorRate), where, '`errorRate` must be between 0 and 1', errorRate)
  const { medianMs, p99Ms } = latency
  check(isNumber(medianMs) && medianMs > 0, where, '`latency.medianMs` must be a positive number', medianMs)
  check(
    isNumber(p99Ms) && p99Ms >= medianMs,
    where,
    '`latency.p99Ms` must be a number >= `latency.medianMs`',
    p99Ms,
  )
  const resolvedIncidents = incidents.map((incident, index): Incident => {
    const at = `\`incidents[${index}]\``
    const { startMs: from, durationMs: length, errorRate: rate, latencyFactor = 1 } = incident
    check(isNumber(from), where, `${at}.startMs must be a finite epoch time in ms`, from)
    check(isNumber(length) && length >= 0, where, `${at}.durationMs must be a finite number >= 0`, length)
    check(rate === undefined || isRate(rate), where, `${at}.errorRate must be between 0 and 1`, rate)
    check(
      isNumber(latencyFactor) && latencyFactor > 0,
      where,
      `${at}.latencyFactor must be a positive number`,
      latencyFactor,
    )
    return { startMs: from, endMs: from + length, errorRate: rate, latencyFactor }
  })
  return {
    seed,
    startMs,
    endMs: startMs + durationMs,
    stepMs,
    perMs: requestsPerMinute / MINUTE_MS,
    amplitude: dailyAmplitude,
    peakOffsetMs: peakHourUtc * HOUR_MS,
    errorRate,
    medianMs,
    sigma: Math.log(p99Ms / medianMs) / Z99,
    incidents: resolvedIncidents,
  }
}
