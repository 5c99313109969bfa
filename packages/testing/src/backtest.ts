import type { AlertState } from '@slokit/alerting'

/** A period when something significant happened (an incident), as the truth alerts are scored against. */
export interface SignificantEvent {
  readonly sloId: string
  readonly startMs: number
  readonly endMs: number
}

/** One stretch during which an alert fired. */
export interface FiringEpisode {
  readonly alertId: string
  readonly sloId: string
  readonly rule: string
  readonly tier: string | null
  readonly severity: string
  readonly firedAtMs: number
  /** `null` when it was still firing at the end. */
  readonly resolvedAtMs: number | null
}

/** The SRE Workbook's four measures of an alerting policy, for one rule (and tier). */
export interface AlertScore {
  readonly rule: string
  readonly tier: string | null
  /** Firing episodes that matched a significant event, over all episodes; `null` when nothing fired. */
  readonly precision: number | null
  /** Significant events some episode matched, over all significant events; `null` without events. */
  readonly recall: number | null
  /** From the start of each detected event to the first episode that matched it. */
  readonly detectionTimeMs: { readonly mean: number; readonly max: number } | null
  /** From the end of each detected event to the end of the last episode that matched it. */
  readonly resetTimeMs: { readonly mean: number; readonly max: number } | null
  readonly episodes: number
  readonly events: number
  readonly falsePositives: number
  readonly missed: number
}

/** Options of {@link scoreAlerts}. */
export interface ScoreOptions {
  /** An episode that starts up to this long after an event ends still counts as detecting it; 0 by default. */
  readonly graceMs?: number
}

const stats = (values: number[]) =>
  values.length === 0
    ? null
    : { mean: values.reduce((a, b) => a + b, 0) / values.length, max: Math.max(...values) }

/**
 * Scores firing episodes against significant events with the SRE Workbook's measures
 * ("Alerting on SLOs"): **precision** (how many alerts were about something significant),
 * **recall** (how many significant events were alerted on), **detection time** and **reset
 * time**. An episode matches an event of the same SLO when their spans overlap (episodes still
 * firing at the end are open-ended). One score per rule and tier.
 *
 * @example
 * ```ts
 * const [page] = scoreAlerts(timeline.episodes, [{ sloId: 'api', startMs: outageStart, endMs: outageEnd }])
 * page.recall // 1: the outage paged
 * ```
 */
export function scoreAlerts(
  episodes: readonly FiringEpisode[],
  events: readonly SignificantEvent[],
  options: ScoreOptions = {},
): AlertScore[] {
  const grace = options.graceMs ?? 0
  const groups = new Map<string, FiringEpisode[]>()
  for (const e of episodes)
    groups.set(`${e.rule}\u0000${e.tier ?? ''}`, [...(groups.get(`${e.rule}\u0000${e.tier ?? ''}`) ?? []), e])
  const overlaps = (episode: FiringEpisode, event: SignificantEvent) =>
    episode.sloId === event.sloId &&
    episode.firedAtMs < event.endMs + grace &&
    (episode.resolvedAtMs ?? Number.POSITIVE_INFINITY) > event.startMs
  return [...groups.entries()].map(([key, group]) => {
    const [rule, tier] = key.split('\u0000') as [string, string]
    const relevant = events.filter((ev) => group.some((ep) => ep.sloId === ev.sloId))
    const truePositives = group.filter((ep) => events.some((ev) => overlaps(ep, ev)))
    const detected = relevant.filter((ev) => group.some((ep) => overlaps(ep, ev)))
    const detection = detected.map(
      (ev) => Math.min(...group.filter((ep) => overlaps(ep, ev)).map((ep) => ep.firedAtMs)) - ev.startMs,
    )
    const reset = detected.flatMap((ev) => {
      const ends = group.filter((ep) => overlaps(ep, ev)).map((ep) => ep.resolvedAtMs)
      return ends.some((end) => end === null) ? [] : [Math.max(...(ends as number[])) - ev.endMs]
    })
    return {
      rule,
      tier: tier === '' ? null : tier,
      precision: group.length === 0 ? null : truePositives.length / group.length,
      recall: relevant.length === 0 ? null : detected.length / relevant.length,
      detectionTimeMs: stats(detection),
      resetTimeMs: stats(reset),
      episodes: group.length,
      events: relevant.length,
      falsePositives: group.length - truePositives.length,
      missed: relevant.length - detected.length,
    }
  })
}

/** Turns a sequence of alert states (one array per evaluation) into firing episodes. */
export function episodesFrom(
  timeline: ReadonlyArray<{ readonly atMs: number; readonly states: readonly AlertState[] }>,
): FiringEpisode[] {
  const open = new Map<string, { state: AlertState; firedAtMs: number }>()
  const episodes: FiringEpisode[] = []
  for (const { atMs, states } of timeline) {
    for (const state of states) {
      const current = open.get(state.alertId)
      if (state.phase === 'firing' && current === undefined)
        open.set(state.alertId, { state, firedAtMs: state.firingSinceMs ?? atMs })
      if (state.phase !== 'firing' && current !== undefined) {
        episodes.push(toEpisode(current.state, current.firedAtMs, state.resolvedAtMs ?? atMs))
        open.delete(state.alertId)
      }
    }
  }
  for (const { state, firedAtMs } of open.values()) episodes.push(toEpisode(state, firedAtMs, null))
  return episodes.sort((a, b) => a.firedAtMs - b.firedAtMs)
}

function toEpisode(state: AlertState, firedAtMs: number, resolvedAtMs: number | null): FiringEpisode {
  return {
    alertId: state.alertId,
    sloId: state.sloId,
    rule: state.rule,
    tier: state.tier,
    severity: state.severity,
    firedAtMs,
    resolvedAtMs,
  }
}
