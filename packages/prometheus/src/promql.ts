import { formatDuration } from '@slokit/core'

/**
 * The placeholder an SLI query writes where the range of its range selectors goes:
 * `sum(rate(http_requests_total{code=~"5.."}[{{window}}]))`. slokit replaces it with a
 * Prometheus duration (`1m`, `5m`, `30d`) for each range it needs. Spaces inside the braces
 * (`{{ window }}`) are accepted too.
 */
export const WINDOW_PLACEHOLDER = '{{window}}'

const PLACEHOLDER = /\{\{\s*window\s*\}\}/g

/** Whether `query` contains the {@link WINDOW_PLACEHOLDER}. */
export function hasWindowPlaceholder(query: string): boolean {
  PLACEHOLDER.lastIndex = 0
  return PLACEHOLDER.test(query)
}

/**
 * `query` with every {@link WINDOW_PLACEHOLDER} replaced by the Prometheus duration of
 * `windowMs` (`formatDuration`: 28 days is `4w`, 30 days `30d`).
 *
 * @example
 * ```ts
 * withWindow('sum(rate(http_requests_total[{{window}}]))', 300_000) // 'sum(rate(http_requests_total[5m]))'
 * ```
 */
export function withWindow(query: string, windowMs: number): string {
  const duration = formatDuration(windowMs)
  return query.replace(PLACEHOLDER, duration)
}

/** A PromQL string literal in double quotes. */
export function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`
}

/** Valid Prometheus label names (not starting with `__`, which Prometheus reserves). */
export const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

/** Valid metric names (recording rule names may contain `:`). */
export const METRIC_NAME = /^[A-Za-z_:][A-Za-z0-9_:]*$/

/** `{a="1", b="2"}` in the order given. */
export function matchers(labels: Readonly<Record<string, string>>): string {
  const parts = Object.entries(labels).map(([name, value]) => `${name}=${quote(value)}`)
  return `{${parts.join(', ')}}`
}

/** A number as PromQL reads it back exactly (the shortest round-trip form). */
export function promNumber(n: number): string {
  if (Number.isNaN(n)) return 'NaN'
  if (n === Number.POSITIVE_INFINITY) return '+Inf'
  if (n === Number.NEGATIVE_INFINITY) return '-Inf'
  return String(n)
}
