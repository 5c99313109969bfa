import {
  type Alerting,
  type AlertStateStore,
  type AlertsSection,
  type AlertTransition,
  channelsNamed,
  createAlerting,
  createOutbox,
  type DeliveryAttempt,
  type Notification,
  type Notifier,
  type Outbox,
  type OutboxStore,
  type RetryPolicy,
  windowsNeeded,
} from '@slokit/alerting'
import {
  createFreezeController,
  evaluatePolicy,
  exclusionsFor,
  type FreezeController,
  type FreezeStore,
  type FreezeTransition,
  type PoliciesSection,
  type PolicyDecision,
  policyFor,
} from '@slokit/budget'
import {
  type Clock,
  checkSeries,
  DAY_MS,
  defaultBurnRateWindowsMs,
  evaluateSlo,
  formatDuration,
  HOUR_MS,
  type Logger,
  noopLogger,
  type SliSource,
  SlokitError,
  type SloSpec,
  type SloStatus,
  systemClock,
  type TimePoint,
  unavailableStatus,
  windowRange,
} from '@slokit/core'
import { type EngineEventName, type EngineEvents, EventHub } from './events.js'
import { type EngineJob, type JobStateStore, MemoryJobStateStore } from './jobs.js'
import { createLimiter } from './limiter.js'
import { freezeChannels, freezeNotifications, policyNotifications } from './policy-notifications.js'
import { SeriesCache } from './series-cache.js'

/** Timers the engine schedules its loop with; the global ones by default (unref'd). */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

/** Somewhere statuses are kept over time (e.g. `@slokit/reporter`'s history store). */
export interface StatusSink {
  append(statuses: readonly SloStatus[]): Promise<void>
}

/** The part of an in-process `SloTracker` the engine reads. */
export interface TrackedStatuses {
  readonly sloIds: readonly string[]
  status(sloId: string, atMs?: number): SloStatus
}

/** Where the engine keeps state that must survive restarts. In memory when left out. */
export interface EngineStores {
  readonly outbox?: OutboxStore | undefined
  readonly alerts?: AlertStateStore | undefined
  readonly freeze?: FreezeStore | undefined
  readonly history?: StatusSink | undefined
  /** When each job last ran; in memory by default (jobs due run again after a restart). */
  readonly jobs?: JobStateStore | undefined
}

/** Options of {@link createEngine}. */
export interface EngineOptions {
  readonly slos: readonly SloSpec[]
  /** Data sources by name. An SLI reads from `sli.source`, or from `defaultSource`. */
  readonly sources?: Readonly<Record<string, SliSource>> | undefined
  /** The source of SLIs that name none; the only source when there is one. */
  readonly defaultSource?: string | undefined
  /** SLOs tracked in-process: their statuses come from the tracker instead of a source. */
  readonly tracker?: TrackedStatuses | undefined
  /** The validated `alerts` section. */
  readonly alerts?: AlertsSection | undefined
  /** The validated `policies` section. */
  readonly policies?: PoliciesSection | undefined
  /** Notifiers by channel name. */
  readonly notifiers?: Readonly<Record<string, Notifier>> | undefined
  readonly stores?: EngineStores | undefined
  readonly clock?: Clock | undefined
  readonly timers?: Timers | undefined
  readonly logger?: Logger | undefined
  /** How often `start()` evaluates; one minute by default. */
  readonly evaluationIntervalMs?: number | undefined
  /** A source query taking longer is abandoned and its SLOs marked stale; 30 s by default. */
  readonly sourceTimeoutMs?: number | undefined
  /** Queries in flight per source at once; 4 by default. */
  readonly sourceConcurrency?: number | undefined
  /** Scheduled work run after evaluations, such as reports (`reportJobs` of `@slokit/reporter`). */
  readonly jobs?: readonly EngineJob[] | undefined
  /** Custom policy actions the host handles. */
  readonly customActions?: readonly string[] | undefined
  readonly retry?: Partial<RetryPolicy> | undefined
  /** A notifier that has not answered after this long is abandoned and retried later; 30 s by default. */
  readonly sendTimeoutMs?: number | undefined
  /** Random numbers for retry jitter; `Math.random` by default. */
  readonly random?: (() => number) | undefined
  /**
   * Delivered and dead notifications are forgotten this long after they were created (checked
   * once a day), so the outbox and its file do not grow without end; 7 days by default.
   */
  readonly outboxRetentionMs?: number | undefined
}

/** What one evaluation did. */
export interface TickResult {
  readonly atMs: number
  readonly statuses: readonly SloStatus[]
  readonly decisions: readonly PolicyDecision[]
  readonly transitions: readonly AlertTransition[]
  readonly freezes: readonly FreezeTransition[]
  readonly deliveries: readonly DeliveryAttempt[]
  /** The jobs that ran, by name. */
  readonly jobs: readonly string[]
}

/** The running loop of slokit inside a host process. */
export interface Engine {
  /** Evaluates every SLO once at `now` (default: the clock) and delivers what is due. */
  tick(now?: number): Promise<TickResult>
  /** Evaluates every `evaluationIntervalMs` until `stop()`, and retries deliveries when due. */
  start(): void
  /** Stops scheduling, waits for the evaluation and deliveries in flight, and resolves. */
  stop(): Promise<void>
  /** Subscribes to an event; returns the unsubscribe function. */
  on<K extends EngineEventName>(event: K, listener: (payload: EngineEvents[K]) => void): () => void
  /** The latest status of each SLO. */
  statuses(): SloStatus[]
  readonly outbox: Outbox
  readonly freezes: FreezeController
  readonly alerting: Alerting
}

const defaultTimers: Timers = {
  setTimeout: (callback, ms) => {
    const handle = setTimeout(callback, ms)
    handle.unref?.()
    return handle
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
}

/** Rejects when `signal` aborts, whether or not `promise` listens to it. */
function raceSignal<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason)
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason)
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort)
        resolve(value)
      },
      (error) => {
        signal.removeEventListener('abort', onAbort)
        reject(error)
      },
    )
  })
}

/**
 * Creates the engine: every evaluation it asks each SLO's source for the data its windows need
 * (incrementally, batched per source, with a timeout and a concurrency limit), evaluates the
 * SLOs, applies error-budget policies and freezes, runs the alert rules, and hands every
 * notification to the durable outbox. Each source's SLOs are processed as soon as their data
 * arrives: a source that hangs or fails marks only its own SLOs stale, with the reason, and
 * delays no one else. Nothing starts until `start()` or `tick()`.
 *
 * @example
 * ```ts
 * const engine = createEngine({
 *   slos: config.slos,
 *   sources: { prometheus },
 *   alerts: config.sections.alerts,
 *   policies: config.sections.policies,
 *   notifiers: { 'slack-sre': slack, 'pagerduty-platform': pagerduty },
 *   stores: { outbox: new FileOutboxStore('.slokit/outbox.jsonl'), freeze: new FileFreezeStore('.slokit/freeze.json') },
 * })
 * engine.on('alert', (t) => log.info(`${t.state.alertId} ${t.kind}`))
 * engine.start()
 * process.on('SIGTERM', () => engine.stop())
 * ```
 * @throws `SlokitError` `INVALID_CONFIG` when an SLO has no source, or a route or policy names a
 * channel without a notifier.
 */
export function createEngine(options: EngineOptions): Engine {
  const clock = options.clock ?? systemClock
  const logger = options.logger ?? noopLogger
  const timers = options.timers ?? defaultTimers
  const intervalMs = options.evaluationIntervalMs ?? 60_000
  const sourceTimeoutMs = options.sourceTimeoutMs ?? 30_000
  const sources = options.sources ?? {}
  const sourceNames = Object.keys(sources)
  const defaultSource = options.defaultSource ?? (sourceNames.length === 1 ? sourceNames[0] : 'default')
  const tracked = new Set(options.tracker?.sloIds ?? [])
  const alertsSection = options.alerts
  const notifiers = options.notifiers ?? {}
  const events = new EventHub(logger)
  const cache = new SeriesCache(Math.max(5 * 60_000, 2 * intervalMs))
  const limiters = new Map(sourceNames.map((name) => [name, createLimiter(options.sourceConcurrency ?? 4)]))

  validate(options, defaultSource, tracked)

  const alerting = createAlerting({
    section: alertsSection ?? {
      rules: [],
      routes: [],
      cooldown: 600_000,
      groupByService: true,
      inhibitTicketsWhilePaging: true,
    },
    store: options.stores?.alerts,
    clock,
    logger,
  })
  const freezes = createFreezeController({ store: options.stores?.freeze, clock })
  const outbox = createOutbox({
    notifiers,
    store: options.stores?.outbox,
    clock,
    logger,
    retry: options.retry,
    sendTimeoutMs: options.sendTimeoutMs,
    ...(options.random === undefined ? {} : { random: options.random }),
    onAttempt: (attempt) => events.emit('delivery', attempt),
  })

  // Every burn-rate window an SLO's status must carry: the alert table's, the rules', the policies'.
  const windowsFor = new Map<string, number[]>()
  const windowsRead = new Map<string, Set<number>>()
  for (const slo of options.slos) {
    const read = new Set(windowsNeeded(alertsSection?.rules ?? [], slo))
    const policy = options.policies === undefined ? undefined : policyFor(slo, options.policies)
    for (const step of policy?.policy.steps ?? []) {
      if (step.when.burnRateAbove !== undefined) read.add(step.when.burnRateAbove.window)
      if (step.when.exhaustionWithin !== undefined) read.add(step.when.exhaustionWithin.window)
    }
    windowsRead.set(slo.id, read)
    windowsFor.set(
      slo.id,
      [...new Set([...defaultBurnRateWindowsMs(slo), ...read])].sort((a, b) => a - b),
    )
  }

  // A tracked SLO's status carries the tracker's windows only: a rule or policy reading another
  // window would silently never fire. Refuse to start instead.
  if (options.tracker !== undefined) {
    const problems: string[] = []
    for (const slo of options.slos) {
      if (!tracked.has(slo.id)) continue
      const computed = new Set(options.tracker.status(slo.id, clock.now()).burnRates.map((b) => b.windowMs))
      const missing = [...(windowsRead.get(slo.id) ?? [])]
        .filter((w) => !computed.has(w))
        .sort((a, b) => a - b)
      if (missing.length > 0) {
        problems.push(
          `SLO ${slo.id} is tracked in-process, but the alert rules or policies read its burn rate over ${missing.map(formatDuration).join(', ')}, which the tracker does not compute: pass burnRateWindowsMs with ${missing.join(', ')} to createSloTracker`,
        )
      }
    }
    if (problems.length > 0) {
      throw new SlokitError(
        'INVALID_CONFIG',
        `[slokit/engine] The engine cannot start:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
      )
    }
  }

  // SLI history for trend rules: one point per step, as long as the longest lookback.
  const trendLookbackMs = Math.max(
    0,
    ...(alertsSection?.rules ?? []).map((r) => (r.type === 'trend' ? r.lookback : 0)),
  )
  const trendStepMs = Math.max(intervalMs, Math.floor(trendLookbackMs / 1000))
  const trendHistory = new Map<string, TimePoint[]>()
  const recordTrend = (status: SloStatus) => {
    if (trendLookbackMs === 0 || status.sli === null) return
    const points = trendHistory.get(status.sloId) ?? []
    const last = points.at(-1)
    if (last === undefined || status.evaluatedAtMs - last.t >= trendStepMs)
      points.push({ t: status.evaluatedAtMs, value: status.sli })
    while (points.length > 0 && (points[0] as TimePoint).t < status.evaluatedAtMs - trendLookbackMs)
      points.shift()
    trendHistory.set(status.sloId, points)
  }

  const latest = new Map<string, SloStatus>()
  let stopping: AbortController = new AbortController()

  const evaluateFromSource = async (
    sourceName: string,
    slos: readonly SloSpec[],
    now: number,
  ): Promise<SloStatus[]> => {
    const source = sources[sourceName] as SliSource
    const limit = limiters.get(sourceName) as ReturnType<typeof createLimiter>
    const bySli = new Map<string, SloSpec[]>()
    for (const slo of slos) bySli.set(slo.sli.id, [...(bySli.get(slo.sli.id) ?? []), slo])
    const statuses: SloStatus[] = []
    await Promise.all(
      [...bySli.values()].map(async (group) => {
        const sli = (group[0] as SloSpec).sli
        const neededFrom = Math.min(
          ...group.map((slo) =>
            Math.min(
              windowRange(slo.window, now).startMs,
              now - Math.max(0, ...(windowsFor.get(slo.id) ?? [])),
            ),
          ),
        )
        const range = cache.rangeFor(sli.id, neededFrom, now)
        const timeout = AbortSignal.timeout(sourceTimeoutMs)
        const signal = AbortSignal.any([timeout, stopping.signal])
        try {
          const answer = await limit(() => raceSignal(source.query(sli, range, { signal }), signal))
          const problems = checkSeries(sli, range, answer)
          if (problems.length > 0) {
            throw new SlokitError(
              'SOURCE_INVALID_DATA',
              `${source.name} answered with invalid data: ${problems.map((p) => p.message).join('; ')}`,
            )
          }
          const series = cache.merge(sli.id, answer, range, neededFrom)
          for (const slo of group) {
            const exclusions = exclusionsFor(slo, options.policies?.corrections ?? [], {
              startMs: neededFrom,
              endMs: now,
            })
            statuses.push(
              evaluateSlo(slo, series, { now, burnRateWindowsMs: windowsFor.get(slo.id), exclusions }),
            )
          }
        } catch (error) {
          cache.forget(sli.id)
          const timedOut = timeout.aborted
          const message = timedOut
            ? `${source.name} did not answer within ${sourceTimeoutMs} ms`
            : error instanceof Error
              ? (error.message.split('\n')[0] ?? 'failed')
              : String(error)
          events.emit('sourceError', {
            source: sourceName,
            sliId: sli.id,
            sloIds: group.map((s) => s.id),
            error: message,
            timedOut,
          })
          logger.warn(`[slokit/engine] source ${sourceName} failed for SLI ${sli.id}: ${message}`, {
            source: sourceName,
            sliId: sli.id,
          })
          for (const slo of group)
            statuses.push(unavailableStatus(slo, windowRange(slo.window, now), now, message))
        }
      }),
    )
    return statuses
  }

  const process_ = async (
    entries: ReadonlyArray<{ slo: SloSpec; status: SloStatus }>,
    now: number,
    result: MutableTick,
  ): Promise<void> => {
    for (const { status } of entries) {
      latest.set(status.sloId, status)
      recordTrend(status)
      events.emit('status', status)
      result.statuses.push(status)
    }
    const notifications: Notification[] = []
    if (options.policies !== undefined) {
      const decisions: PolicyDecision[] = []
      const policyBySlo = new Map<string, string>()
      for (const { slo, status } of entries) {
        const found = policyFor(slo, options.policies)
        if (found === undefined) continue
        const decision = evaluatePolicy(
          found.name,
          found.policy,
          slo,
          status,
          options.customActions === undefined ? {} : { customActions: options.customActions },
        )
        decisions.push(decision)
        policyBySlo.set(slo.id, found.name)
        events.emit('policyDecision', decision)
        // While deployments are frozen, the freeze's channels hear the freeze and the unfreeze, not daily reminders.
        const hearFreeze = decision.freeze === null ? [] : freezeChannels(options.policies, found.name)
        notifications.push(
          ...policyNotifications(decision, now).filter((n) => !hearFreeze.includes(n.channel)),
        )
      }
      result.decisions.push(...decisions)
      const transitions = await freezes.apply(decisions, now)
      for (const t of transitions) events.emit('freeze', t)
      result.freezes.push(...transitions)
      for (const service of new Set(transitions.map((t) => t.service))) {
        const channels = new Set(
          decisions
            .filter((d) => d.service === service)
            .flatMap((d) => freezeChannels(options.policies, policyBySlo.get(d.sloId) ?? '')),
        )
        const messages = decisions
          .filter((d) => d.service === service && d.freeze !== null)
          .flatMap((d) =>
            d.actions.flatMap((a) =>
              a.type === 'notify' && a.channels.some((c) => channels.has(c)) ? [a.message] : [],
            ),
          )
        notifications.push(
          ...freezeNotifications(
            transitions.filter((t) => t.service === service),
            [...channels],
            messages,
          ),
        )
      }
    }
    if (notifications.length > 0) await outbox.enqueue(notifications, now)
    if (alertsSection !== undefined) {
      // Alert notifications reach the outbox before the alert states are saved: a crash in
      // between re-fires the same notifications (same ids, deduplicated), never loses them.
      const alerts = await alerting.evaluate(
        entries,
        { history: (sloId) => trendHistory.get(sloId) ?? [] },
        now,
        { handOff: (alertNotifications) => outbox.enqueue(alertNotifications, now) },
      )
      for (const t of alerts.transitions) events.emit('alert', t)
      result.transitions.push(...alerts.transitions)
    }
    result.deliveries.push(...(await outbox.drain(now)))
  }

  const jobs = options.jobs ?? []
  const jobStore = options.stores?.jobs ?? new MemoryJobStateStore()
  let lastRuns: Record<string, number> | undefined
  /** Runs the jobs that are due, one after another; a failing job is logged and tried again next tick. */
  const runJobs = async (now: number, result: MutableTick): Promise<void> => {
    if (jobs.length === 0) return
    lastRuns ??= { ...(await jobStore.load()) }
    for (const job of jobs) {
      let dueAtMs: number | null = null
      try {
        const lastRunMs = lastRuns[job.name]
        if (lastRunMs === undefined) {
          // A job the engine has not seen before starts counting now: no run for slots before it existed.
          lastRuns = { ...lastRuns, [job.name]: now }
          await jobStore.save(lastRuns)
          continue
        }
        dueAtMs = job.nextDueAtMs(lastRunMs, now)
        if (dueAtMs === null || dueAtMs > now) continue
        const notifications = await job.run({
          dueAtMs,
          now,
          statuses: [...latest.values()],
          signal: stopping.signal,
        })
        // Notifications first, then the run is recorded: a crash in between repeats the run, with the same ids.
        if (notifications.length > 0) await outbox.enqueue(notifications, now)
        lastRuns = { ...lastRuns, [job.name]: now }
        await jobStore.save(lastRuns)
        result.jobs.push(job.name)
        events.emit('job', { name: job.name, dueAtMs, atMs: now, notifications: notifications.length })
      } catch (error) {
        const message = error instanceof Error ? (error.message.split('\n')[0] ?? 'failed') : String(error)
        events.emit('jobError', { name: job.name, dueAtMs: dueAtMs ?? now, error: message })
        logger.error(`[slokit/engine] job ${job.name} failed: ${message}`, { job: job.name })
      }
    }
    result.deliveries.push(...(await outbox.drain(now)))
  }

  const outboxRetentionMs = options.outboxRetentionMs ?? 7 * DAY_MS
  let lastCompactionMs: number | undefined
  const tick = async (at?: number): Promise<TickResult> => {
    const now = at ?? clock.now()
    const started = clock.now()
    const result: MutableTick = {
      atMs: now,
      statuses: [],
      decisions: [],
      transitions: [],
      freezes: [],
      deliveries: [],
      jobs: [],
    }
    const bySource = new Map<string, SloSpec[]>()
    const trackedSlos: SloSpec[] = []
    for (const slo of options.slos) {
      if (tracked.has(slo.id)) trackedSlos.push(slo)
      else {
        const name = slo.sli.source ?? (defaultSource as string)
        bySource.set(name, [...(bySource.get(name) ?? []), slo])
      }
    }
    const pipelines: Promise<void>[] = []
    if (trackedSlos.length > 0 && options.tracker !== undefined) {
      const tracker = options.tracker
      pipelines.push(
        process_(
          trackedSlos.map((slo) => ({ slo, status: tracker.status(slo.id, now) })),
          now,
          result,
        ),
      )
    }
    for (const [name, slos] of bySource) {
      pipelines.push(
        evaluateFromSource(name, slos, now).then((statuses) => {
          const byId = new Map(statuses.map((s) => [s.sloId, s]))
          return process_(
            slos.map((slo) => ({ slo, status: byId.get(slo.id) as SloStatus })),
            now,
            result,
          )
        }),
      )
    }
    const settled = await Promise.allSettled(pipelines)
    for (const outcome of settled) {
      if (outcome.status === 'rejected') {
        logger.error('[slokit/engine] an evaluation pipeline failed', { error: String(outcome.reason) })
      }
    }
    if (options.stores?.history !== undefined && result.statuses.length > 0) {
      await options.stores.history
        .append(result.statuses)
        .catch((error: unknown) =>
          logger.error('[slokit/engine] writing status history failed', { error: String(error) }),
        )
    }
    await runJobs(now, result).catch((error: unknown) =>
      logger.error('[slokit/engine] running jobs failed', { error: String(error) }),
    )
    if (lastCompactionMs === undefined || now - lastCompactionMs >= DAY_MS) {
      lastCompactionMs = now
      await outbox
        .compact(now - outboxRetentionMs)
        .catch((error: unknown) =>
          logger.error('[slokit/engine] compacting the outbox failed', { error: String(error) }),
        )
    }
    events.emit('tick', {
      atMs: now,
      durationMs: clock.now() - started,
      slos: result.statuses.length,
      stale: result.statuses.filter((s) => s.budget === null).length,
    })
    return result
  }

  let timer: unknown
  let running = false
  let inFlight: Promise<unknown> | undefined
  let nextTickAt = 0
  const schedule = async () => {
    if (!running) return
    const now = clock.now()
    // An unreadable outbox must not stop the loop: log it and keep evaluating on schedule.
    const due = await outbox.nextDueAtMs().catch((error: unknown) => {
      logger.error('[slokit/engine] reading the outbox failed', { error: String(error) })
      return null
    })
    if (!running) return
    const wake = Math.min(nextTickAt, due ?? Number.POSITIVE_INFINITY)
    timer = timers.setTimeout(wakeUp, Math.max(0, wake - now))
  }
  const wakeUp = () => {
    if (!running) return
    const now = clock.now()
    const work = now >= nextTickAt ? tick(now).then(() => undefined) : outbox.drain(now).then(() => undefined)
    if (now >= nextTickAt) nextTickAt = (Math.floor(now / intervalMs) + 1) * intervalMs
    inFlight = work
      .catch((error: unknown) => logger.error('[slokit/engine] evaluation failed', { error: String(error) }))
      .finally(() => {
        inFlight = undefined
        void schedule()
      })
  }

  return {
    tick,
    start() {
      if (running) return
      running = true
      stopping = new AbortController()
      nextTickAt = clock.now()
      wakeUp()
    },
    async stop() {
      running = false
      if (timer !== undefined) timers.clearTimeout(timer)
      timer = undefined
      // Queries in flight give up now (their SLOs go stale); what was computed is still delivered.
      stopping.abort(new SlokitError('ABORTED', '[slokit/engine] the engine is stopping'))
      await inFlight
      stopping = new AbortController()
    },
    on: (event, listener) => events.on(event, listener),
    statuses: () => [...latest.values()],
    outbox,
    freezes,
    alerting,
  }
}

interface MutableTick {
  atMs: number
  statuses: SloStatus[]
  decisions: PolicyDecision[]
  transitions: AlertTransition[]
  freezes: FreezeTransition[]
  deliveries: DeliveryAttempt[]
  jobs: string[]
}

function validate(
  options: EngineOptions,
  defaultSource: string | undefined,
  tracked: ReadonlySet<string>,
): void {
  const problems: string[] = []
  for (const slo of options.slos) {
    if (tracked.has(slo.id)) continue
    const name = slo.sli.source ?? defaultSource
    if (name === undefined || options.sources?.[name] === undefined) {
      problems.push(`SLO ${slo.id} reads from source "${name ?? '(none)'}", which is not configured`)
    }
  }
  const channels = new Set(Object.keys(options.notifiers ?? {}))
  for (const channel of channelsNamed(options.alerts?.routes ?? [])) {
    if (!channels.has(channel))
      problems.push(`alert routes name the channel "${channel}", which has no notifier`)
  }
  for (const [name, policy] of Object.entries(options.policies?.tiers ?? {})) {
    for (const step of policy.steps) {
      for (const action of step.actions) {
        if (!('notify' in action)) continue
        for (const channel of action.notify.channels) {
          if (!channels.has(channel))
            problems.push(`policy ${name} notifies the channel "${channel}", which has no notifier`)
        }
      }
    }
  }
  const jobNames = (options.jobs ?? []).map((job) => job.name)
  for (const name of new Set(jobNames.filter((n, i) => jobNames.indexOf(n) !== i))) {
    problems.push(`two jobs are named "${name}": job names key their state and must be unique`)
  }
  const retention = options.outboxRetentionMs
  if (retention !== undefined && !(Number.isFinite(retention) && retention >= HOUR_MS)) {
    problems.push(`outboxRetentionMs must be at least one hour (3600000), got ${retention}`)
  }
  if (problems.length > 0) {
    throw new SlokitError(
      'INVALID_CONFIG',
      `[slokit/engine] The engine cannot start:\n${[...new Set(problems)].map((p) => `  - ${p}`).join('\n')}`,
    )
  }
}
