import type { Report } from './report.js'

/**
 * Numbers in the JSON form keep at most 10 significant digits (integers, such as epoch times,
 * stay exact): enough for any SLI, and free of the last-bit noise that would make two runs of
 * the same report differ on paper.
 */
export function roundNumber(value: number): number {
  if (Number.isInteger(value) || !Number.isFinite(value)) return value
  const rounded = Number(value.toPrecision(10))
  return Object.is(rounded, -0) ? 0 : rounded
}

/**
 * Serialises JSON-ready data with two-space indentation, except that arrays of numbers (chart
 * points) stay on one line, and non-integers are rounded with {@link roundNumber}. Key order is
 * the objects' own, so a model built in a fixed order prints in a fixed order.
 */
export function stableStringify(value: unknown, indent = ''): string {
  if (value === null || value === undefined) return 'null'
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(roundNumber(value)) : 'null'
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value)
  const inner = `${indent}  `
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]'
    if (value.every((v) => typeof v === 'number' || v === null)) {
      return `[${value.map((v) => stableStringify(v)).join(', ')}]`
    }
    return `[\n${value.map((v) => inner + stableStringify(v, inner)).join(',\n')}\n${indent}]`
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined)
    if (entries.length === 0) return '{}'
    return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${stableStringify(v, inner)}`).join(',\n')}\n${indent}}`
  }
  return 'null'
}

/**
 * The report as JSON: the {@link Report} model itself (`kind: "slokit.report"`,
 * `schemaVersion: 1`), two-space indented, chart points on one line each, numbers to 10
 * significant digits, times as epoch milliseconds. The schema is documented in `docs/reporter.md`;
 * fields are only added within a schema version, never removed or changed in meaning.
 *
 * @example
 * ```ts
 * await writeFile('slo-report.json', toJSON(report))
 * ```
 */
export function toJSON(report: Report): string {
  return `${stableStringify(report)}\n`
}
