import { mkdir, open, readFile, rename } from 'node:fs/promises'
import { dirname } from 'node:path'
import { SlokitError } from '@slokit/core'
import type { AlertTier } from './conditions.js'
import type { Severity } from './notification.js'

/** The phases of an alert. */
export const ALERT_PHASES = ['inactive', 'pending', 'firing', 'resolved'] as const
/** One of {@link ALERT_PHASES}. `resolved` lasts the cooldown, then the alert is `inactive` again. */
export type AlertPhase = (typeof ALERT_PHASES)[number]

/** What the alerting state machine remembers about one alert. */
export interface AlertState {
  readonly alertId: string
  readonly rule: string
  readonly sloId: string
  readonly service: string
  readonly tier: AlertTier | null
  readonly severity: Severity
  readonly phase: AlertPhase
  /** When the current phase began. */
  readonly sinceMs: number
  /** When the current (or last) firing began. */
  readonly firingSinceMs: number | null
  readonly resolvedAtMs: number | null
  /** Counts firing, escalation and resolve transitions: part of each notification's id. */
  readonly sequence: number
  readonly escalated: boolean
  /** The channels the firing notification went to (resolves go to the same ones). */
  readonly notifiedChannels: readonly string[]
  /** Why the alert is quiet although its condition holds: low traffic, inhibition, cooldown. */
  readonly suppressed: string | null
  /**
   * While firing: since when the condition has not held, when the rule's `keepFiringFor` keeps
   * the alert firing through a lull. Absent or `null` otherwise (states saved before it existed
   * lack it).
   */
  readonly quietSinceMs?: number | null
  readonly reason: string
}

/** Everything an alert state store keeps. */
export interface AlertStateSnapshot {
  readonly version: 1
  readonly alerts: Readonly<Record<string, AlertState>>
}

/** Where alert states live between restarts, so a restart neither re-pages nor forgets a firing alert. */
export interface AlertStateStore {
  load(): Promise<AlertStateSnapshot | undefined>
  save(snapshot: AlertStateSnapshot): Promise<void>
}

/** Alert states in memory. */
export class MemoryAlertStateStore implements AlertStateStore {
  #snapshot: AlertStateSnapshot | undefined
  async load(): Promise<AlertStateSnapshot | undefined> {
    return this.#snapshot === undefined ? undefined : structuredClone(this.#snapshot)
  }
  async save(snapshot: AlertStateSnapshot): Promise<void> {
    this.#snapshot = structuredClone(snapshot)
  }
}

/** Alert states in a JSON file, replaced atomically (temporary file, flush, rename) on each save. */
export class FileAlertStateStore implements AlertStateStore {
  constructor(readonly path: string) {}

  async load(): Promise<AlertStateSnapshot | undefined> {
    let text: string
    try {
      text = await readFile(this.path, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
      throw new SlokitError(
        'SOURCE_FAILED',
        `[slokit/alerting] Cannot read the alert state file ${this.path}.`,
        { cause: error },
      )
    }
    try {
      const parsed = JSON.parse(text) as AlertStateSnapshot
      if (parsed.version !== 1 || typeof parsed.alerts !== 'object') throw new Error('unexpected shape')
      return parsed
    } catch (cause) {
      throw new SlokitError(
        'INVALID_CONFIG',
        `[slokit/alerting] The alert state file ${this.path} is corrupt.`,
        {
          cause,
          hint: 'move it away to start with every alert inactive',
        },
      )
    }
  }

  async save(snapshot: AlertStateSnapshot): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true })
    const temporary = `${this.path}.${process.pid}.tmp`
    const handle = await open(temporary, 'w')
    try {
      await handle.writeFile(JSON.stringify(snapshot), 'utf8')
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(temporary, this.path)
  }
}
