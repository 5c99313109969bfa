import type { IncomingMessage, ServerResponse } from 'node:http'
import { type Logger, noopLogger } from '@slokit/core'
import type { GateVerdict } from './gate.js'

/** Options of {@link createGateHandler}. */
export interface GateHandlerOptions {
  /** Computes the verdict for a service and change type (evaluate SLOs, ask the freeze controller). */
  readonly evaluate: (service: string, changeType: string | undefined) => Promise<GateVerdict>
  /** The path served; `/gate` by default. */
  readonly path?: string
  readonly logger?: Logger
}

/**
 * The body of `GET /gate`: one JSON document both Argo Rollouts' web provider (`jsonPath:
 * "{$.data}"`, `successCondition: result.ok`) and Spinnaker's webhook stage (`statusJsonPath:
 * $.status`, `successStatuses: PASS`, `terminalStatuses: FAIL`) read, plus the full verdict.
 */
export interface GateResponseBody {
  readonly status: 'PASS' | 'WARN' | 'FAIL'
  readonly data: {
    readonly ok: boolean
    readonly result: GateVerdict['result']
    readonly score: number | null
    /** The highest 1-hour burn rate among the objectives, when known. */
    readonly burnRate: number | null
    readonly reasons: readonly string[]
  }
  readonly verdict: GateVerdict
}

/** The response body for a verdict (`warn` counts as ok: it does not block a rollout). */
export function gateResponseBody(verdict: GateVerdict): GateResponseBody {
  const burns = verdict.objectives.map((o) => o.burnRate).filter((b): b is number => b !== null)
  const burnRate = burns.length === 0 ? null : Math.max(...burns)
  return {
    status: verdict.result === 'pass' ? 'PASS' : verdict.result === 'warn' ? 'WARN' : 'FAIL',
    data: {
      ok: verdict.result !== 'fail',
      result: verdict.result,
      score: verdict.score,
      burnRate,
      reasons: verdict.reasons,
    },
    verdict,
  }
}

function send(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body)
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    ...headers,
  })
  response.end(text)
}

/**
 * A framework-free Node request handler serving the deployment gate as `GET /gate?service=…
 * [&changeType=fix]`. Use it with `http.createServer`, or mount it in Express or Fastify (it only
 * needs `req.url`, `req.method` and a Node `ServerResponse`). Answers 200 with
 * {@link GateResponseBody} whatever the verdict (the body says pass or fail), 400 without a
 * service, 405 for other methods, 404 for other paths, and 503 when the verdict cannot be computed
 * — with `status: FAIL`, so a rollout that reads the body fails closed.
 *
 * @example
 * ```ts
 * http.createServer(createGateHandler({ evaluate: (service, changeType) => gate(service, changeType) })).listen(8080)
 * ```
 */
export function createGateHandler(
  options: GateHandlerOptions,
): (request: IncomingMessage, response: ServerResponse) => void {
  const path = options.path ?? '/gate'
  const logger = options.logger ?? noopLogger
  return (request, response) => {
    const url = new URL(request.url ?? '/', 'http://gate.local')
    if (url.pathname !== path) return send(response, 404, { error: `not found: the gate is at ${path}` })
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return send(response, 405, { error: 'use GET' }, { allow: 'GET, HEAD' })
    }
    const service = url.searchParams.get('service')
    if (service === null || service === '')
      return send(response, 400, { error: 'the service query parameter is required: /gate?service=checkout' })
    const changeType = url.searchParams.get('changeType') ?? url.searchParams.get('change_type') ?? undefined
    options.evaluate(service, changeType).then(
      (verdict) => send(response, 200, gateResponseBody(verdict)),
      (error: unknown) => {
        const message = error instanceof Error ? error.message : String(error)
        logger.error('[slokit/budget] gate evaluation failed', { service, error: message })
        send(response, 503, {
          status: 'FAIL',
          data: { ok: false, result: 'fail', reasons: [`the gate could not be evaluated: ${message}`] },
        })
      },
    )
  }
}
