/** Structured fields attached to a log line. Values must never contain secrets. */
export type LogFields = Readonly<Record<string, unknown>>

/**
 * The logging seam. slokit packages never write to the console; they log through a `Logger` the
 * host passes in, so the host decides where lines go (pino, winston, OpenTelemetry logs, nothing).
 *
 * @example
 * ```ts
 * const logger: Logger = {
 *   debug: (message, fields) => pino.debug(fields, message),
 *   info: (message, fields) => pino.info(fields, message),
 *   warn: (message, fields) => pino.warn(fields, message),
 *   error: (message, fields) => pino.error(fields, message),
 * }
 * ```
 */
export interface Logger {
  debug(message: string, fields?: LogFields): void
  info(message: string, fields?: LogFields): void
  warn(message: string, fields?: LogFields): void
  error(message: string, fields?: LogFields): void
}

const noop = (): void => {}

/** A logger that drops every line; the default wherever a logger is optional. */
export const noopLogger: Logger = Object.freeze({ debug: noop, info: noop, warn: noop, error: noop })
