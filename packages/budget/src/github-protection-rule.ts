import { createHmac, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { type Logger, noopLogger, type Secret } from '@slokit/core'
import type { GateVerdict } from './gate.js'
import { BodyTooLargeError, readBody } from './http-body.js'

/** The fields of GitHub's `deployment_protection_rule` webhook slokit reads. */
export interface DeploymentProtectionRuleEvent {
  readonly action: string
  readonly environment: string
  readonly event?: string
  readonly deployment_callback_url: string
  readonly deployment?: {
    readonly ref?: string
    readonly task?: string
    readonly payload?: unknown
    readonly environment?: string
  }
  readonly installation?: { readonly id: number }
  readonly repository?: { readonly name?: string; readonly full_name?: string }
}

/** What happened to one webhook delivery, for logs and tests. */
export interface ProtectionRuleOutcome {
  readonly environment: string
  readonly service: string
  readonly state: 'approved' | 'rejected'
  readonly comment: string
  /** The HTTP status GitHub answered the callback with (204 expected), or `null` when it could not be sent. */
  readonly callbackStatus: number | null
  readonly error?: string
}

/** Options of {@link createDeploymentProtectionRuleHandler}. */
export interface DeploymentProtectionRuleOptions {
  /** The GitHub App's webhook secret: requests whose `X-Hub-Signature-256` does not match get 401. */
  readonly webhookSecret: Secret | string
  /** Computes the verdict for a service and change type. */
  readonly evaluate: (service: string, changeType: string | undefined) => Promise<GateVerdict>
  /** An installation access token for the callback (from your GitHub App authentication). */
  readonly installationToken: (installationId: number | undefined) => Promise<Secret | string>
  /**
   * Which service (and change type) a deployment is for. By default `deployment.payload.service`
   * and `deployment.payload.changeType` when the workflow sets them, else the repository name.
   */
  readonly resolve?: (event: DeploymentProtectionRuleEvent) => {
    service: string
    changeType?: string | undefined
  }
  /** Bodies larger than this get 413; 1 MiB by default (GitHub caps payloads at 25 MB). */
  readonly maxBodyBytes?: number
  readonly fetch?: typeof fetch
  readonly logger?: Logger
  /** Called after each callback attempt. */
  readonly onOutcome?: (outcome: ProtectionRuleOutcome) => void
}

function verifySignature(secret: string, body: Buffer, header: string | undefined): boolean {
  if (header === undefined || !header.startsWith('sha256=')) return false
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(body).digest('hex')}`)
  const given = Buffer.from(header)
  return given.length === expected.length && timingSafeEqual(given, expected)
}

function defaultResolve(event: DeploymentProtectionRuleEvent): { service: string; changeType?: string } {
  const payload = (event.deployment?.payload ?? {}) as { service?: unknown; changeType?: unknown }
  const service =
    typeof payload.service === 'string' ? payload.service : (event.repository?.name ?? event.environment)
  return typeof payload.changeType === 'string' ? { service, changeType: payload.changeType } : { service }
}

/**
 * A Node request handler for GitHub's custom deployment protection rules: verifies the webhook's
 * `X-Hub-Signature-256` (401 when missing or wrong, and nothing else happens), refuses bodies over
 * `maxBodyBytes` (413), acknowledges with 202, then evaluates the gate and answers GitHub at
 * `deployment_callback_url` with `{ environment_name, state: approved | rejected, comment }`.
 *
 * @example
 * ```ts
 * http.createServer(createDeploymentProtectionRuleHandler({
 *   webhookSecret: new Secret('GITHUB_WEBHOOK_SECRET', process.env.GITHUB_WEBHOOK_SECRET),
 *   evaluate: (service, changeType) => gate(service, changeType),
 *   installationToken: (id) => app.getInstallationToken(id),
 * })).listen(3000)
 * ```
 */
export function createDeploymentProtectionRuleHandler(
  options: DeploymentProtectionRuleOptions,
): (request: IncomingMessage, response: ServerResponse) => void {
  const secret =
    typeof options.webhookSecret === 'string' ? options.webhookSecret : options.webhookSecret.reveal()
  const limit = options.maxBodyBytes ?? 1_048_576
  const logger = options.logger ?? noopLogger
  const fetchFn = options.fetch ?? fetch
  const resolve = options.resolve ?? defaultResolve

  const answer = async (event: DeploymentProtectionRuleEvent): Promise<void> => {
    const { service, changeType } = resolve(event)
    let state: 'approved' | 'rejected' = 'rejected'
    let comment: string
    try {
      const verdict = await options.evaluate(service, changeType)
      state = verdict.result === 'fail' ? 'rejected' : 'approved'
      comment = `slokit gate: ${verdict.result.toUpperCase()} for ${service}${changeType === undefined ? '' : ` (${changeType})`} — ${verdict.reasons.join('; ')}`
    } catch (error) {
      comment = `slokit gate could not evaluate ${service}, so the deployment is rejected: ${error instanceof Error ? error.message : String(error)}`
    }
    comment = comment.slice(0, 1000)
    let callbackStatus: number | null = null
    let failure: string | undefined
    try {
      const token = await options.installationToken(event.installation?.id)
      const response = await fetchFn(event.deployment_callback_url, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${typeof token === 'string' ? token : token.reveal()}`,
          accept: 'application/vnd.github+json',
          'x-github-api-version': '2022-11-28',
          'content-type': 'application/json',
        },
        body: JSON.stringify({ environment_name: event.environment, state, comment }),
      })
      callbackStatus = response.status
      if (response.status !== 204) failure = `GitHub answered the callback with ${response.status}`
    } catch (error) {
      failure = `the callback could not be sent: ${error instanceof Error ? error.message : String(error)}`
    }
    if (failure !== undefined)
      logger.error(`[slokit/budget] deployment protection rule: ${failure}`, {
        service,
        environment: event.environment,
      })
    else
      logger.info(`[slokit/budget] deployment ${state} for ${service}`, {
        service,
        environment: event.environment,
      })
    options.onOutcome?.({
      environment: event.environment,
      service,
      state,
      comment,
      callbackStatus,
      ...(failure === undefined ? {} : { error: failure }),
    })
  }

  return (request, response) => {
    const reply = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' })
      response.end(JSON.stringify(body))
    }
    if (request.method !== 'POST') return reply(405, { error: 'use POST' })
    readBody(request, limit).then(
      (body) => {
        const signature = request.headers['x-hub-signature-256']
        if (!verifySignature(secret, body, Array.isArray(signature) ? signature[0] : signature)) {
          logger.warn(
            '[slokit/budget] deployment protection rule: rejected a webhook with a missing or wrong signature',
          )
          return reply(401, { error: 'invalid signature' })
        }
        if (request.headers['x-github-event'] !== 'deployment_protection_rule')
          return reply(202, { ignored: 'not a deployment_protection_rule event' })
        let event: DeploymentProtectionRuleEvent
        try {
          event = JSON.parse(body.toString('utf8')) as DeploymentProtectionRuleEvent
        } catch {
          return reply(400, { error: 'the body is not JSON' })
        }
        if (event.action !== 'requested') return reply(202, { ignored: `action ${event.action}` })
        if (typeof event.deployment_callback_url !== 'string' || typeof event.environment !== 'string') {
          return reply(400, { error: 'deployment_callback_url and environment are required' })
        }
        reply(202, { accepted: true })
        void answer(event)
      },
      (error: unknown) => {
        if (error instanceof BodyTooLargeError)
          return reply(413, { error: `the body exceeds ${limit} bytes` })
        return reply(400, { error: 'cannot read the body' })
      },
    )
  }
}
