import type { AlertTransition, DeliveryAttempt } from '@slokit/alerting'
import type { FreezeTransition, PolicyDecision } from '@slokit/budget'
import type { Logger, SloStatus } from '@slokit/core'

/** A data source that could not answer. */
export interface SourceErrorEvent {
  readonly source: string
  readonly sliId: string
  /** The SLOs marked stale because of it. */
  readonly sloIds: readonly string[]
  readonly error: string
  readonly timedOut: boolean
}

/** A completed evaluation. */
export interface TickEvent {
  readonly atMs: number
  readonly durationMs: number
  readonly slos: number
  readonly stale: number
}

/** A scheduled job that ran. */
export interface JobEvent {
  readonly name: string
  readonly dueAtMs: number
  readonly atMs: number
  /** Notifications it handed to the outbox. */
  readonly notifications: number
}

/** A scheduled job that failed; it is tried again at the next evaluation. */
export interface JobErrorEvent {
  readonly name: string
  readonly dueAtMs: number
  readonly error: string
}

/** The events an engine emits, by name. */
export interface EngineEvents {
  readonly status: SloStatus
  readonly alert: AlertTransition
  readonly policyDecision: PolicyDecision
  readonly freeze: FreezeTransition
  readonly sourceError: SourceErrorEvent
  readonly delivery: DeliveryAttempt
  readonly tick: TickEvent
  readonly job: JobEvent
  readonly jobError: JobErrorEvent
}

/** The name of an engine event. */
export type EngineEventName = keyof EngineEvents

/** A minimal typed emitter: listeners that throw are logged and never break the loop. */
export class EventHub {
  readonly #listeners = new Map<EngineEventName, Set<(payload: never) => void>>()

  constructor(private readonly logger: Logger) {}

  on<K extends EngineEventName>(event: K, listener: (payload: EngineEvents[K]) => void): () => void {
    const set = this.#listeners.get(event) ?? new Set()
    set.add(listener as (payload: never) => void)
    this.#listeners.set(event, set)
    return () => set.delete(listener as (payload: never) => void)
  }

  emit<K extends EngineEventName>(event: K, payload: EngineEvents[K]): void {
    for (const listener of this.#listeners.get(event) ?? []) {
      try {
        ;(listener as (payload: EngineEvents[K]) => void)(payload)
      } catch (error) {
        this.logger.error(`[slokit/engine] a ${event} listener threw`, {
          error: error instanceof Error ? error.message : String(error),
        })
      }
    }
  }
}
