import type { AlertsSection, AlertTransition, Notification, Notifier } from '@slokit/alerting'
import { policiesSectionSchema } from '@slokit/budget'
import { createSloTracker, type SloSpec, type SloSpecInput, type SloStatus } from '@slokit/core'
import { createEngine, type EngineOptions, type TickResult } from '@slokit/engine'
import { FakeClock } from './fake-clock.js'
import { RecordingNotifier } from './recording-notifier.js'
import type { Scenario } from './scenarios.js'
import { alertsOf, sloOf } from './sections.js'
import { simulateTraffic, type TrafficTotals } from './simulator.js'

/** Options of {@link playScenario}. */
export interface PlayScenarioOptions {
  /** Validated error-budget policies in place of the scenario's own; `false` for none. */
  readonly policies?: EngineOptions['policies'] | false
  /**
   * Notifiers by channel name. Channels left out get a `RecordingNotifier`; everything delivered
   * is in the result's `notifications` whichever notifier sent it.
   */
  readonly notifiers?: Readonly<Record<string, Notifier>>
  /** How often the engine evaluates, in simulated time; five minutes by default. */
  readonly tickEveryMs?: number
  /**
   * Traffic before the first evaluation, so the SLOs have history as a long-running service's
   * would (a budget computed on minutes of data swings wildly); 3 days by default.
   */
  readonly warmupMs?: number
  /** Called after each evaluation, e.g. to print progress. */
  readonly onTick?: (result: TickResult) => void
}

/** What happened when a scenario played through the engine. */
export interface ScenarioRun {
  /** Every SLO's status at the end of the traffic. */
  readonly statuses: readonly SloStatus[]
  /** Alert transitions in order: firing, escalated, resolved. */
  readonly transitions: readonly AlertTransition[]
  /** Freeze transitions in order. */
  readonly freezes: TickResult['freezes']
  /** Every notification delivered, in delivery order. */
  readonly notifications: readonly Notification[]
  /** Requests and errors simulated. */
  readonly totals: TrafficTotals
  /** Evaluations run. */
  readonly ticks: number
}

/**
 * A {@link Scenario} whose SLOs and `alerts` section may also be the validated ones (the config
 * loader's `slos` and `sections.alerts`): a test can play the config its service deploys.
 */
export type PlayableScenario = Omit<Scenario, 'slos' | 'alerts'> & {
  readonly slos: ReadonlyArray<SloSpecInput | SloSpec>
  readonly alerts: Scenario['alerts'] | AlertsSection
}

/**
 * Plays a scenario the way a service would live it: its simulated requests go into an in-process
 * tracker one step at a time, on fake time, and the real engine evaluates every `tickEveryMs` —
 * burn-rate alerts fire and resolve, policies freeze and unfreeze deployments, and notifications
 * go through the outbox to the notifiers. Deterministic for a scenario's seed.
 *
 * @example
 * ```ts
 * const run = await playScenario(checkoutScenario(), { notifiers: { console: new ConsoleNotifier() } })
 * run.transitions.map((t) => `${t.kind} ${t.state.alertId}`)
 * ```
 */
export async function playScenario(
  scenario: PlayableScenario,
  options: PlayScenarioOptions = {},
): Promise<ScenarioRun> {
  const slos = scenario.slos.map(sloOf)
  const traffic = simulateTraffic(scenario.traffic)
  const clock = new FakeClock(traffic.startMs)
  const tracker = createSloTracker({ slos, clock })
  const alerts = alertsOf(scenario.alerts)
  const policies =
    options.policies === false
      ? undefined
      : (options.policies ?? policiesSectionSchema.parse(scenario.policies))
  const recorder = new RecordingNotifier('recording')
  const channels = [
    ...alerts.routes.flatMap((route) => [...route.channels, ...(route.escalate?.channels ?? [])]),
    ...Object.values(policies?.tiers ?? {}).flatMap((policy) =>
      policy.steps.flatMap((step) =>
        step.actions.flatMap((action) => ('notify' in action ? action.notify.channels : [])),
      ),
    ),
  ]
  const notifiers: Record<string, Notifier> = {}
  for (const channel of channels) notifiers[channel] = options.notifiers?.[channel] ?? recorder
  const engine = createEngine({
    slos,
    tracker,
    alerts,
    ...(policies === undefined ? {} : { policies }),
    notifiers,
    clock,
  })
  const tickEveryMs = options.tickEveryMs ?? 300_000
  const warmupMs = options.warmupMs ?? 3 * 86_400_000
  const transitions: AlertTransition[] = []
  const freezes: Array<TickResult['freezes'][number]> = []
  const notifications: Notification[] = []
  let ticks = 0
  const steps = traffic.feedSteps(tracker, scenario.feeds)
  for (let next = steps.next(); ; next = steps.next()) {
    if (next.done === true) {
      return { statuses: engine.statuses(), transitions, freezes, notifications, totals: next.value, ticks }
    }
    const atMs = next.value
    clock.set(atMs)
    if (atMs - traffic.startMs < warmupMs) continue
    if ((atMs - traffic.startMs) % tickEveryMs !== 0 && atMs !== traffic.endMs) continue
    const result = await engine.tick(atMs)
    ticks++
    transitions.push(...result.transitions)
    freezes.push(...result.freezes)
    for (const delivery of result.deliveries)
      if (delivery.result.ok) notifications.push(delivery.entry.notification)
    options.onTick?.(result)
  }
}
