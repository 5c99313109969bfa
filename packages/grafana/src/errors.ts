import { SlokitError, type SlokitErrorCode } from '@slokit/core'

/**
 * Why a request to Grafana failed, with what it means. The table is the single source of truth:
 * {@link GrafanaErrorReason} is derived from it. Each reason maps to the nearest `SlokitErrorCode`
 * of `@slokit/core` (see {@link GrafanaError.code}); branch on `reason` for the precise cause.
 */
export const GRAFANA_ERROR_REASONS = {
  /** 400: Grafana refused the request (an empty title, a uid over 40 characters, a bad alert rule…). */
  BAD_REQUEST: 'Grafana refused the request as invalid.',
  /** 401: no token, a wrong or expired token (`messageId` `auth.unauthorized` or `api-key.invalid`). */
  UNAUTHORIZED: 'Grafana did not accept the credentials.',
  /** 403: the service account lacks a permission (RBAC); `accessErrorId` and the message say which. */
  FORBIDDEN: 'The service account lacks a permission.',
  /** 404: the dashboard, folder or alert rule does not exist. */
  NOT_FOUND: 'The object does not exist in Grafana.',
  /** 409: the object already exists, or another writer changed it at the same time. */
  CONFLICT: 'The object already exists or changed concurrently.',
  /** 412 `version-mismatch`: the dashboard changed in Grafana while we wrote it, twice in a row. */
  VERSION_MISMATCH: 'The dashboard was changed by someone else.',
  /** 412 `name-exists` (Grafana ≤ 11.2): another dashboard of the folder has the same title. */
  NAME_EXISTS: 'Another dashboard in the folder has the same title.',
  /** 412 `plugin-dashboard`: the dashboard belongs to a plugin and cannot be overwritten. */
  PLUGIN_DASHBOARD: 'The dashboard belongs to a plugin.',
  /** 5xx or 429: Grafana failed or is overloaded; trying again later may work. */
  SERVER_ERROR: 'Grafana failed to handle the request.',
  /** No answer: the connection failed or was reset. */
  NETWORK: 'Grafana could not be reached.',
  /** No answer within `timeoutMs`. */
  TIMEOUT: 'Grafana did not answer in time.',
  /** A success status with a body that is not the JSON Grafana documents (a proxy's HTML page…). */
  INVALID_RESPONSE: 'Grafana answered with something that is not its API JSON.',
} as const

/** A reason from {@link GRAFANA_ERROR_REASONS}. */
export type GrafanaErrorReason = keyof typeof GRAFANA_ERROR_REASONS

// `@slokit/core` has no codes for HTTP APIs we write to: use the nearest.
const CODE_OF: Readonly<Record<GrafanaErrorReason, SlokitErrorCode>> = {
  BAD_REQUEST: 'INVALID_ARGUMENT',
  UNAUTHORIZED: 'INVALID_CONFIG',
  FORBIDDEN: 'INVALID_CONFIG',
  NOT_FOUND: 'INVALID_ARGUMENT',
  CONFLICT: 'SOURCE_FAILED',
  VERSION_MISMATCH: 'SOURCE_FAILED',
  NAME_EXISTS: 'INVALID_ARGUMENT',
  PLUGIN_DASHBOARD: 'NOT_SUPPORTED',
  SERVER_ERROR: 'SOURCE_FAILED',
  NETWORK: 'SOURCE_FAILED',
  TIMEOUT: 'SOURCE_TIMEOUT',
  INVALID_RESPONSE: 'SOURCE_INVALID_DATA',
}

/** Options of {@link GrafanaError}. */
export interface GrafanaErrorOptions {
  /** The HTTP status; absent when no answer arrived. */
  readonly status?: number | undefined
  /** The request, as `METHOD /path` (never with credentials). */
  readonly request?: string | undefined
  /** What Grafana said: its `message` field, as sent. */
  readonly grafanaMessage?: string | undefined
  /** Grafana's `status` field (`version-mismatch`, `name-exists`, `empty-name`, `not-found`…). */
  readonly grafanaStatus?: string | undefined
  /** Grafana's `messageId` (`auth.unauthorized`, `api-key.invalid`…). */
  readonly messageId?: string | undefined
  /** The `accessErrorId` of a 403 (`ACE…`), to look up in Grafana's server log. */
  readonly accessErrorId?: string | undefined
  readonly cause?: unknown
  readonly hint?: string | undefined
}

/**
 * A request to Grafana's HTTP API that failed. Keeps what Grafana said — the HTTP status, its
 * `message`, `status` (`version-mismatch`, `empty-name`…), `messageId` and a 403's
 * `accessErrorId` — and whether a retry may help. Messages name the request and the object
 * (dashboard uid, folder, rule), never the token.
 *
 * @example
 * ```ts
 * try {
 *   await client.upsertDashboard(dashboard, { folderUid: 'slo' })
 * } catch (error) {
 *   if (error instanceof GrafanaError && error.reason === 'FORBIDDEN') {
 *     console.error(error.message) // names the missing permission, e.g. dashboards:write
 *   }
 * }
 * ```
 */
export class GrafanaError extends SlokitError {
  /** Why the request failed; see {@link GRAFANA_ERROR_REASONS}. */
  readonly reason: GrafanaErrorReason
  /** The HTTP status; `undefined` when no answer arrived. */
  readonly status: number | undefined
  /** The request, as `METHOD /path`. */
  readonly request: string | undefined
  /** Grafana's own `message`, unchanged. */
  readonly grafanaMessage: string | undefined
  /** Grafana's `status` field, e.g. `version-mismatch`. */
  readonly grafanaStatus: string | undefined
  /** Grafana's `messageId`, e.g. `auth.unauthorized`. */
  readonly messageId: string | undefined
  /** The `accessErrorId` of a 403. */
  readonly accessErrorId: string | undefined
  /** Whether trying again later may succeed (5xx, 429, network failures, timeouts). */
  readonly retryable: boolean

  constructor(reason: GrafanaErrorReason, message: string, options: GrafanaErrorOptions = {}) {
    super(CODE_OF[reason], `[slokit/grafana] ${message}`, {
      cause: options.cause,
      ...(options.hint === undefined ? {} : { hint: options.hint }),
    })
    this.name = 'GrafanaError'
    this.reason = reason
    this.status = options.status
    this.request = options.request
    this.grafanaMessage = options.grafanaMessage
    this.grafanaStatus = options.grafanaStatus
    this.messageId = options.messageId
    this.accessErrorId = options.accessErrorId
    this.retryable = reason === 'SERVER_ERROR' || reason === 'NETWORK' || reason === 'TIMEOUT'
  }
}
