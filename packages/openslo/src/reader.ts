import type { OpenSloIssue, OpenSloLimitation } from './errors.js'
import type { SourceObject } from './yaml-source.js'

/** A path inside one OpenSLO object. */
export type Path = ReadonlyArray<string | number>

/** Extra details of a reported issue. */
export interface ReportExtra {
  readonly hint?: string | undefined
  readonly limitation?: OpenSloLimitation | undefined
  /** Point at the key of the last path segment rather than its value (unknown keys). */
  readonly atKey?: boolean | undefined
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date)
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing'
  if (Array.isArray(value)) return 'a list'
  return typeof value === 'object' ? 'a mapping' : `a ${typeof value}`
}

/** Reads one OpenSLO object, reporting every problem at its place in the file. */
export class ObjectReader {
  /** How many errors were reported on this object so far. */
  errors = 0
  private readonly errorPaths: Path[] = []

  constructor(
    readonly object: SourceObject,
    private readonly issues: OpenSloIssue[],
  ) {}

  report(severity: 'error' | 'warning', path: Path, message: string, extra: ReportExtra = {}): void {
    if (severity === 'error') {
      this.errors++
      this.errorPaths.push(path)
    }
    this.issues.push({
      severity,
      file: this.object.file,
      ...this.object.locate(path, extra.atKey ?? false),
      path: [...this.object.base, ...path],
      message,
      ...(extra.hint === undefined ? {} : { hint: extra.hint }),
      ...(extra.limitation === undefined ? {} : { limitation: extra.limitation }),
    })
  }

  error(path: Path, message: string, extra: ReportExtra = {}): void {
    this.report('error', path, message, extra)
  }

  warn(path: Path, message: string, extra: ReportExtra = {}): void {
    this.report('warning', path, message, extra)
  }

  /** The value at `path` as a mapping; reports and returns `undefined` otherwise. */
  record(value: unknown, path: Path, required = true): Record<string, unknown> | undefined {
    if (isRecord(value)) return value
    if (value === undefined || value === null) {
      if (required) this.error(path, 'missing: expected a mapping')
      return undefined
    }
    this.error(path, `expected a mapping, got ${describe(value)}`)
    return undefined
  }

  list(value: unknown, path: Path, required = true): unknown[] | undefined {
    if (Array.isArray(value)) return value
    if (value === undefined || value === null) {
      if (required) this.error(path, 'missing: expected a list')
      return undefined
    }
    this.error(path, `expected a list, got ${describe(value)}`)
    return undefined
  }

  string(value: unknown, path: Path, required = false): string | undefined {
    if (typeof value === 'string' && value.length > 0) return value
    if (value === undefined || value === null) {
      if (required) this.error(path, 'missing: expected a string')
      return undefined
    }
    this.error(path, `expected a non-empty string, got ${describe(value)}`)
    return undefined
  }

  number(value: unknown, path: Path): number | undefined {
    if (typeof value === 'number' && Number.isFinite(value)) return value
    if (value === undefined || value === null) return undefined
    this.error(path, `expected a number, got ${describe(value)}`)
    return undefined
  }

  boolean(value: unknown, path: Path): boolean | undefined {
    if (typeof value === 'boolean') return value
    if (value === undefined || value === null) return undefined
    this.error(path, `expected true or false, got ${describe(value)}`)
    return undefined
  }

  /**
   * Whether an error was already reported at `path`, above it or below it: a follow-on problem
   * there (a value missing because reading it failed) is not worth a second line.
   */
  hasErrorNear(path: Path): boolean {
    return this.errorPaths.some((seen) => {
      const n = Math.min(seen.length, path.length)
      for (let i = 0; i < n; i++) if (seen[i] !== path[i]) return false
      return true
    })
  }

  /** Reports every key of `record` not in `known`. */
  keys(record: Record<string, unknown>, path: Path, known: readonly string[]): void {
    for (const key of Object.keys(record)) {
      if (known.includes(key)) continue
      this.error([...path, key], 'unknown key', { atKey: true, hint: `known keys: ${known.join(', ')}` })
    }
  }
}
