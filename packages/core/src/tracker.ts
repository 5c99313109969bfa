import { type Clock, systemClock } from './clock.js'
import { SlokitError } from './errors.js'
import { defaultBurnRateWindowsMs } from './evaluate.js'
import { type Logger, noopLogger } from './logger.js'
import { parseSlo, type SloSpec, type SloSpecInput } from './spec.js'
import { computeStatus, type SloStatus } from './status.js'
import { foldInto, type SliceRule, sliceRule } from './timeslice.js'
import { maxPeriodMs, type SloWindow, type WindowRange, windowRange } from './window.js'
import { type ChannelSums, WindowedCounter } from './windowed-counter.js'

/** The outcome of one event: `true` good, `false` bad, or counts of several events at once. */
export type Outcome = boolean | { readonly good: number; readonly total: number }

/** Why the tracker dropped an event instead of counting it. */
export const DROP_REASONS = ['unknown_slo', 'wrong_method', 'invalid_value', 'too_old'] as const
/** One of {@link DROP_REASONS}. */
export type DropReason = (typeof DROP_REASONS)[number]

/** Options of {@link createSloTracker}. */
export interface SloTrackerOptions {
  /** The SLOs to track: specs from `parseSlo`/config, or inputs that are validated here. */
  readonly slos: ReadonlyArray<SloSpec | SloSpecInput>
  /** Where "now" comes from; `systemClock` by default. */
  readonly clock?: Clock | undefined
  /** Receives a warning the first time each SLO drops an event for each reason. */
  readonly logger?: Logger | undefined
  /** Burn-rate windows reported in every status; by default those of each SLO's alert table. */
  readonly burnRateWindowsMs?: readonly number[] | undefined
}

/** Records events of one SLO without looking it up by id on every call. */
export interface SloRecorder {
  /** Records a ratio SLI's outcome at `atMs` (default: now). */
  record(outcome: Outcome, atMs?: number): void
  /** Records a threshold SLI's value at `atMs` (default: now). */
  observe(value: number, atMs?: number): void
}

/** Counts of events the tracker dropped, by reason. */
export type DroppedEvents = Readonly<Record<DropReason, number>>

/**
 * Tracks SLOs in-process from events a service records as they happen, and answers their status
 * for any window from bounded memory. See {@link createSloTracker}.
 */
export interface SloTracker {
  /** Ids of the tracked SLOs, in the order given. */
  readonly sloIds: readonly string[]
  /**
   * Records the outcome of one or more events of a ratio SLI. Never throws: an unknown id, a
   * threshold SLO or invalid counts drop the event, count it in {@link SloTracker.dropped} and log
   * one warning per SLO and reason.
   */
  record(sloId: string, outcome: Outcome, atMs?: number): void
  /** Records one measured value of a threshold SLI (e.g. a latency in ms). Never throws. */
  observe(sloId: string, value: number, atMs?: number): void
  /** A recorder bound to one SLO, for hot paths such as HTTP middleware. */
  recorder(sloId: string): SloRecorder
  /**
   * The status of one SLO now (or at `atMs`, not earlier than the newest recorded event).
   * @throws {@link SlokitError} `UNKNOWN_SLO` for an id that is not tracked.
   */
  status(sloId: string, atMs?: number): SloStatus
  /** The status of every tracked SLO. */
  statuses(atMs?: number): SloStatus[]
  /** Events dropped so far, by reason. */
  dropped(): DroppedEvents
  /** Approximate bytes held by one SLO's buffers. */
  memoryBytes(sloId: string): number
}

/** Latest time an event may carry: the largest valid `Date`. */
const MAX_TIME_MS = 8.64e15

/**
 * Window ranges shared by every SLO with the same window evaluated at the same instant: they are
 * immutable, and one object instead of thousands keeps evaluating many SLOs light on the GC.
 * Calendar periods are also reused while `now` stays inside them (no `Intl` call per status).
 */
class RangeCache {
  private readonly latest = new Map<string, WindowRange>()

  /** The cache key of a window: SLOs with equal windows share ranges. */
  static keyOf(window: SloWindow): string {
    return window.type === 'rolling' ? `r${window.durationMs}` : `c${window.unit}/${window.timeZone}`
  }

  at(window: SloWindow, key: string, now: number): WindowRange {
    const cached = this.latest.get(key)
    if (cached !== undefined && cached.endMs === now) return cached
    let range: WindowRange
    if (
      window.type === 'calendar' &&
      cached !== undefined &&
      now >= cached.periodStartMs &&
      now < cached.periodEndMs
    ) {
      range = Object.freeze({ ...cached, endMs: now })
    } else {
      range = Object.freeze(windowRange(window, now))
    }
    this.latest.set(key, range)
    return range
  }
}

interface Reporter {
  drop(slo: string, reason: DropReason): void
}

abstract class Entry implements SloRecorder {
  readonly counter: WindowedCounter
  readonly burnWindowsMs: readonly number[]
  /** The longest span any answer reads: the window's maximum length or the longest burn window. */
  readonly horizonMs: number
  coverageStartMs: number
  private readonly sums: ChannelSums = { a: 0, b: 0 }
  private readonly rangeKey: string
  /** Scratch for burn-window tallies, reused by every status: `[good, total]` per window. */
  private readonly burnTallies: Float64Array

  constructor(
    readonly slo: SloSpec,
    protected readonly clock: Clock,
    protected readonly reporter: Reporter,
    burnWindowsMs: readonly number[],
    private readonly ranges: RangeCache,
  ) {
    this.burnWindowsMs = burnWindowsMs
    this.burnTallies = new Float64Array(2 * burnWindowsMs.length)
    this.rangeKey = RangeCache.keyOf(slo.window)
    this.horizonMs = Math.max(maxPeriodMs(slo.window), ...burnWindowsMs)
    this.counter = new WindowedCounter(WindowedCounter.levelsFor(this.horizonMs))
    this.coverageStartMs = clock.now()
  }

  /** The counts of the outcome last read by {@link Entry.readOutcome}; fields, so reading allocates nothing. */
  protected good = 0
  protected total = 0

  /** Reads an outcome into `good`/`total`; false (and a drop) for invalid counts. */
  protected readOutcome(outcome: Outcome): boolean {
    if (outcome === true || outcome === false) {
      this.good = outcome ? 1 : 0
      this.total = 1
      return true
    }
    const { good, total } = outcome
    if (!(good >= 0 && total >= good && Number.isFinite(total))) {
      this.reporter.drop(this.slo.id, 'invalid_value')
      return false
    }
    this.good = good
    this.total = total
    return true
  }

  abstract record(outcome: Outcome, atMs?: number): void
  abstract observe(value: number, atMs?: number): void
  /** Books every slice that has ended by `now`; a no-op for occurrences. */
  abstract closeUpTo(now: number): void

  /**
   * Validates an event time and widens coverage to it when it is older than anything seen.
   * Called only off the fast path: when `atMs` is not a plain time at or after the coverage start.
   */
  protected noteTime(atMs: number): boolean {
    if (!(atMs >= 0 && atMs <= MAX_TIME_MS)) {
      this.reporter.drop(this.slo.id, 'invalid_value')
      return false
    }
    if (atMs < this.coverageStartMs) {
      // Older than any window the tracker answers: it could only ever widen coverage falsely.
      if (atMs < this.clock.now() - this.horizonMs) {
        this.reporter.drop(this.slo.id, 'too_old')
        return false
      }
      this.coverageStartMs = atMs
    }
    return true
  }

  status(now: number): SloStatus {
    this.closeUpTo(now)
    const range = this.rangeAt(now)
    // Buckets are included by their start time; `now + 1` keeps an event recorded at `now`.
    const end = now + 1
    const sums = this.counter.sumInto(range.startMs, end, this.sums)
    const window = { good: sums.a, total: sums.b }
    const burnTallies = this.burnTallies
    for (let i = 0; i < this.burnWindowsMs.length; i++) {
      this.counter.sumInto(now - (this.burnWindowsMs[i] as number), end, sums)
      burnTallies[2 * i] = sums.a
      burnTallies[2 * i + 1] = sums.b
    }
    const elapsed = now - range.startMs
    const observed = now - Math.max(range.startMs, this.coverageStartMs)
    return computeStatus({
      slo: this.slo,
      now,
      range,
      window,
      burnWindowsMs: this.burnWindowsMs,
      burnTallies,
      coverage: elapsed > 0 ? Math.min(1, Math.max(0, observed / elapsed)) : 0,
      // The tracker sees events as they happen: silence is no traffic, never staleness.
      lastDataMs: now,
      staleAfterMs: Number.POSITIVE_INFINITY,
      minCoverage: 0.95,
    })
  }

  private rangeAt(now: number): WindowRange {
    return this.ranges.at(this.slo.window, this.rangeKey, now)
  }
}

/** `occurrences`: every event (ratio) or observation (threshold) lands in the counter directly. */
class OccurrenceEntry extends Entry {
  private readonly rule: SliceRule = sliceRule(this.slo)
  private readonly isRatio = this.slo.sli.measurement.type === 'ratio'

  record(outcome: Outcome, atMs: number = this.clock.now()): void {
    if (!this.isRatio) {
      this.reporter.drop(this.slo.id, 'wrong_method')
      return
    }
    if (!this.readOutcome(outcome)) return
    if (!(atMs >= this.coverageStartMs && atMs <= MAX_TIME_MS) && !this.noteTime(atMs)) return
    if (!this.counter.add(atMs, this.good, this.total)) this.reporter.drop(this.slo.id, 'too_old')
  }

  observe(value: number, atMs: number = this.clock.now()): void {
    if (this.isRatio) {
      this.reporter.drop(this.slo.id, 'wrong_method')
      return
    }
    if (!Number.isFinite(value)) {
      this.reporter.drop(this.slo.id, 'invalid_value')
      return
    }
    if (!(atMs >= this.coverageStartMs && atMs <= MAX_TIME_MS) && !this.noteTime(atMs)) return
    if (!this.counter.add(atMs, this.rule.contribution(value), 1)) this.reporter.drop(this.slo.id, 'too_old')
  }

  closeUpTo(): void {}
}

/**
 * `timeslices` and `ratio_timeslices`: events fold into the open slice; when a slice ends, its
 * verdict (good or not, or its good ratio) is booked into the counter as one weighted slice.
 * Events for a slice that has already been booked are dropped as `too_old`.
 */
class SliceEntry extends Entry {
  private readonly rule: SliceRule = sliceRule(this.slo)
  private readonly isRatio = this.slo.sli.measurement.type === 'ratio'
  private readonly sliceMs = this.slo.timeslice?.lengthMs ?? 60_000
  private readonly useRatio = this.slo.budgetingMethod === 'ratio_timeslices'
  private readonly maxSlices = Math.ceil(maxPeriodMs(this.slo.window) / this.sliceMs) + 1
  private openIndex = Math.floor(this.coverageStartMs / this.sliceMs)
  private openA = this.rule.initial
  private openB = 0

  record(outcome: Outcome, atMs: number = this.clock.now()): void {
    if (!this.isRatio) {
      this.reporter.drop(this.slo.id, 'wrong_method')
      return
    }
    if (!this.readOutcome(outcome) || !this.enter(atMs)) return
    this.openA += this.good
    this.openB += this.total
  }

  observe(value: number, atMs: number = this.clock.now()): void {
    if (this.isRatio) {
      this.reporter.drop(this.slo.id, 'wrong_method')
      return
    }
    if (!Number.isFinite(value)) {
      this.reporter.drop(this.slo.id, 'invalid_value')
      return
    }
    if (!this.enter(atMs)) return
    this.openA = foldInto(this.rule, this.openA, value)
    this.openB += 1
  }

  /** Makes the slice of `atMs` the open one; false when that slice is already booked. */
  private enter(atMs: number): boolean {
    const index = Math.floor(atMs / this.sliceMs)
    if (index === this.openIndex) return true
    if (index < this.openIndex) {
      this.reporter.drop(this.slo.id, Number.isFinite(atMs) ? 'too_old' : 'invalid_value')
      return false
    }
    if (!this.noteTime(atMs)) return false
    this.closeThrough(index - 1)
    return true
  }

  closeUpTo(now: number): void {
    this.closeThrough(Math.floor(now / this.sliceMs) - 1)
  }

  private closeThrough(lastIndex: number): void {
    if (lastIndex < this.openIndex) return
    this.book(this.openIndex, this.openA, this.openB)
    const noData = this.slo.sli.noData
    if (noData !== 'ignore') {
      const from = Math.max(this.openIndex + 1, lastIndex - this.maxSlices + 1)
      const weight = noData === 'good' ? 1 : 0
      for (let k = from; k <= lastIndex; k++) this.counter.add(k * this.sliceMs, weight, 1)
    }
    this.openIndex = lastIndex + 1
    this.openA = this.rule.initial
    this.openB = 0
  }

  private book(index: number, a: number, b: number): void {
    const verdict = this.useRatio ? this.rule.ratio(a, b) : this.rule.good(a, b)
    let weight: number
    if (verdict === null) {
      if (this.slo.sli.noData === 'ignore') return
      weight = this.slo.sli.noData === 'good' ? 1 : 0
    } else {
      weight = typeof verdict === 'number' ? verdict : verdict ? 1 : 0
    }
    this.counter.add(index * this.sliceMs, weight, 1)
  }
}

function isParsed(slo: SloSpec | SloSpecInput): slo is SloSpec {
  const window = (slo as { window?: unknown }).window
  return typeof window === 'object' && window !== null && 'type' in window
}

/**
 * Creates an in-process SLO tracker. A service calls `record()` (ratio SLIs) or `observe()`
 * (threshold SLIs) as requests complete and asks `status()` whenever it wants the SLI, budget and
 * burn rates. Memory per SLO is fixed at creation (about 31 KiB for a 30-day window) and
 * recording is O(1) without allocation.
 *
 * Precision: windows up to 6 h are exact to the minute; up to 3 days to 5 minutes; longer windows
 * to the hour. At the start edge a window includes whole buckets only, so a 30-day window may
 * leave out up to one hour of its oldest events (and the 1-day window up to 5 minutes).
 *
 * @example
 * ```ts
 * const tracker = createSloTracker({
 *   slos: [{
 *     id: 'api-availability', service: 'api', objective: '99.9%', window: '30d',
 *     sli: { id: 'api-requests', kind: 'availability', measurement: { type: 'ratio' } },
 *   }],
 * })
 * tracker.record('api-availability', response.statusCode < 500)
 * tracker.status('api-availability').budget?.remaining
 * ```
 * @throws {@link SlokitSpecError} when an SLO input is invalid, or {@link SlokitError}
 * `INVALID_ARGUMENT` when two SLOs share an id.
 */
export function createSloTracker(options: SloTrackerOptions): SloTracker {
  const clock = options.clock ?? systemClock
  const logger = options.logger ?? noopLogger
  const dropped: Record<DropReason, number> = {
    unknown_slo: 0,
    wrong_method: 0,
    invalid_value: 0,
    too_old: 0,
  }
  const warned = new Set<string>()
  const reporter: Reporter = {
    drop(sloId, reason) {
      dropped[reason]++
      const key = `${reason}\u0000${sloId}`
      if (warned.has(key)) return
      warned.add(key)
      logger.warn(`[slokit/core] tracker dropped an event for SLO "${sloId}": ${DROP_MESSAGES[reason]}`, {
        sloId,
        reason,
      })
    },
  }

  const entries = new Map<string, Entry>()
  const ranges = new RangeCache()
  for (const input of options.slos) {
    const slo = isParsed(input) ? input : parseSlo(input)
    if (entries.has(slo.id)) {
      throw new SlokitError(
        'INVALID_ARGUMENT',
        `[slokit/core] createSloTracker(): SLO id "${slo.id}" is given twice.`,
      )
    }
    const burnWindowsMs = options.burnRateWindowsMs ?? defaultBurnRateWindowsMs(slo)
    const entry =
      slo.budgetingMethod === 'occurrences'
        ? new OccurrenceEntry(slo, clock, reporter, burnWindowsMs, ranges)
        : new SliceEntry(slo, clock, reporter, burnWindowsMs, ranges)
    entries.set(slo.id, entry)
  }

  const lookup = (sloId: string): Entry => {
    const entry = entries.get(sloId)
    if (entry === undefined) {
      throw new SlokitError('UNKNOWN_SLO', `[slokit/core] The tracker has no SLO "${sloId}".`, {
        hint: `tracked SLOs: ${[...entries.keys()].join(', ') || '(none)'}`,
      })
    }
    return entry
  }

  return {
    sloIds: [...entries.keys()],
    record(sloId, outcome, atMs) {
      const entry = entries.get(sloId)
      if (entry === undefined) {
        reporter.drop(sloId, 'unknown_slo')
        return
      }
      entry.record(outcome, atMs)
    },
    observe(sloId, value, atMs) {
      const entry = entries.get(sloId)
      if (entry === undefined) {
        reporter.drop(sloId, 'unknown_slo')
        return
      }
      entry.observe(value, atMs)
    },
    recorder(sloId) {
      const entry = entries.get(sloId)
      if (entry !== undefined) return entry
      return {
        record: () => reporter.drop(sloId, 'unknown_slo'),
        observe: () => reporter.drop(sloId, 'unknown_slo'),
      }
    },
    status(sloId, atMs) {
      return lookup(sloId).status(atMs ?? clock.now())
    },
    statuses(atMs) {
      const now = atMs ?? clock.now()
      return [...entries.values()].map((entry) => entry.status(now))
    },
    dropped: () => ({ ...dropped }),
    memoryBytes: (sloId) => lookup(sloId).counter.byteLength,
  }
}

const DROP_MESSAGES: Readonly<Record<DropReason, string>> = {
  unknown_slo: 'no SLO with this id is tracked',
  wrong_method: 'record() is for ratio SLIs and observe() for threshold SLIs',
  invalid_value: 'the value, counts or time are not valid (need finite numbers, 0 <= good <= total)',
  too_old: 'the event is older than the tracker keeps (or its time slice was already booked)',
}
