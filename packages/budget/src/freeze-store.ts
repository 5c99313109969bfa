import { mkdir, open, readFile, rename } from 'node:fs/promises'
import { dirname } from 'node:path'
import { SlokitError } from '@slokit/core'
import { z } from 'zod'

/** Why a service is frozen: one SLO whose policy asked for a freeze. */
export interface FreezeCause {
  readonly sloId: string
  readonly policy: string
  readonly sinceMs: number
  readonly allow: readonly string[]
  /** The freeze this cause holds ends once the SLO's budget left is back above this. */
  readonly unfreezeAbove: number
  readonly reason: string
}

/** A manual freeze or unfreeze that wins over policy decisions until it expires or is cleared. */
export interface FreezeOverride {
  readonly frozen: boolean
  readonly by: string
  readonly reason: string
  readonly sinceMs: number
  /** Epoch ms; `null` for an override that stays until cleared. */
  readonly expiresAtMs: number | null
  /** Change types allowed while a manual freeze holds. */
  readonly allow: readonly string[]
}

/** Kinds of freeze transitions recorded in the history. */
export const FREEZE_TRANSITION_KINDS = [
  'entered',
  'left',
  'cause_added',
  'cause_removed',
  'override_set',
  'override_cleared',
  'override_expired',
] as const

/** One change of a service's freeze state, as kept in the history. */
export interface FreezeTransition {
  readonly service: string
  readonly kind: (typeof FREEZE_TRANSITION_KINDS)[number]
  readonly atMs: number
  readonly reason: string
  /** The SLO whose decision caused it, when one did. */
  readonly sloId?: string | undefined
  /** Who, for manual overrides. */
  readonly by?: string | undefined
  /** Whether the service is frozen after the transition. */
  readonly frozen: boolean
}

/** The freeze state of one service as stored. */
export interface ServiceFreezeRecord {
  readonly causes: readonly FreezeCause[]
  readonly override: FreezeOverride | null
  /** When the service last became frozen; `null` while it is not. */
  readonly frozenSinceMs: number | null
}

/** Everything a freeze store keeps. */
export interface FreezeSnapshot {
  readonly version: 1
  readonly services: Readonly<Record<string, ServiceFreezeRecord>>
  readonly history: readonly FreezeTransition[]
}

/**
 * Where freeze state lives between restarts. Two methods: implement them over a database to let
 * several engine replicas share one state.
 */
export interface FreezeStore {
  /** The last saved snapshot, or `undefined` when nothing was saved yet. */
  load(): Promise<FreezeSnapshot | undefined>
  /** Saves the whole snapshot atomically: after a crash, either the old or the new one is there. */
  save(snapshot: FreezeSnapshot): Promise<void>
}

/** Keeps freeze state in memory: for tests and hosts that do not need it to survive a restart. */
export class MemoryFreezeStore implements FreezeStore {
  #snapshot: FreezeSnapshot | undefined

  async load(): Promise<FreezeSnapshot | undefined> {
    return this.#snapshot === undefined ? undefined : structuredClone(this.#snapshot)
  }

  async save(snapshot: FreezeSnapshot): Promise<void> {
    this.#snapshot = structuredClone(snapshot)
  }
}

const causeSchema = z.object({
  sloId: z.string(),
  policy: z.string(),
  sinceMs: z.number(),
  allow: z.array(z.string()),
  unfreezeAbove: z.number(),
  reason: z.string(),
})
const snapshotSchema = z.object({
  version: z.literal(1),
  services: z.record(
    z.string(),
    z.object({
      causes: z.array(causeSchema),
      override: z
        .object({
          frozen: z.boolean(),
          by: z.string(),
          reason: z.string(),
          sinceMs: z.number(),
          expiresAtMs: z.number().nullable(),
          allow: z.array(z.string()),
        })
        .nullable(),
      frozenSinceMs: z.number().nullable(),
    }),
  ),
  history: z.array(
    z.object({
      service: z.string(),
      kind: z.enum(FREEZE_TRANSITION_KINDS),
      atMs: z.number(),
      reason: z.string(),
      sloId: z.string().optional(),
      by: z.string().optional(),
      frozen: z.boolean(),
    }),
  ),
})

/**
 * Keeps freeze state in a JSON file that survives restarts. Each save writes a temporary file,
 * flushes it to disk and renames it over the old one, so a crash mid-write leaves the previous
 * state intact, never half a file.
 */
export class FileFreezeStore implements FreezeStore {
  constructor(readonly path: string) {}

  async load(): Promise<FreezeSnapshot | undefined> {
    let text: string
    try {
      text = await readFile(this.path, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
      throw new SlokitError(
        'SOURCE_FAILED',
        `[slokit/budget] Cannot read the freeze state file ${this.path}.`,
        { cause: error },
      )
    }
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch (cause) {
      throw new SlokitError(
        'INVALID_CONFIG',
        `[slokit/budget] The freeze state file ${this.path} is not valid JSON.`,
        {
          cause,
          hint: 'restore it from a backup, or move it away to start with no freezes',
        },
      )
    }
    const result = snapshotSchema.safeParse(parsed)
    if (!result.success) {
      throw new SlokitError(
        'INVALID_CONFIG',
        `[slokit/budget] The freeze state file ${this.path} does not hold freeze state.`,
        {
          hint: 'restore it from a backup, or move it away to start with no freezes',
        },
      )
    }
    return result.data as FreezeSnapshot
  }

  async save(snapshot: FreezeSnapshot): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true })
    const temporary = `${this.path}.${process.pid}.tmp`
    const handle = await open(temporary, 'w')
    try {
      await handle.writeFile(`${JSON.stringify(snapshot, null, 2)}\n`, 'utf8')
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(temporary, this.path)
  }
}
