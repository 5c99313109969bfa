import { createHmac } from 'node:crypto'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  createDeploymentProtectionRuleHandler,
  createGateHandler,
  evaluateGate,
  type GateResponseBody,
  type GateVerdict,
  type ProtectionRuleOutcome,
  policiesSectionSchema,
} from '@slokit/budget'
import { Secret } from '@slokit/core'
import { afterEach, describe, expect, it } from 'vitest'
import { statusWith, testSlo } from './test-support.js'

const servers: Server[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))))
})

async function listen(
  handler: (req: IncomingMessage, res: import('node:http').ServerResponse) => void,
): Promise<string> {
  const server = createServer(handler)
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

const slo = testSlo()
const settings = policiesSectionSchema.parse({}).gate
const verdictFor =
  (remaining: number) =>
  async (service: string, changeType: string | undefined): Promise<GateVerdict> =>
    evaluateGate({
      service,
      changeType,
      slos: [slo],
      statuses: [statusWith(slo, remaining)],
      settings,
      now: Date.UTC(2026, 10, 1),
    })

describe('createGateHandler', () => {
  it('serves the verdict in the shape Argo Rollouts and Spinnaker read', async () => {
    const base = await listen(createGateHandler({ evaluate: verdictFor(0.1) }))
    const response = await fetch(`${base}/gate?service=checkout&changeType=feature`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8')
    const body = (await response.json()) as GateResponseBody
    expect(body.status).toBe('WARN') // Spinnaker: statusJsonPath $.status
    expect(body.data).toMatchObject({ ok: true, result: 'warn', score: null }) // Argo: jsonPath {$.data}, successCondition result.ok
    expect(body.verdict).toMatchObject({
      service: 'checkout',
      changeType: 'feature',
      objectives: [{ slo: 'checkout-availability', status: 'warn' }],
    })
  })

  it('says FAIL with ok: false for a failing gate', async () => {
    const base = await listen(createGateHandler({ evaluate: verdictFor(-0.5) }))
    const body = await (await fetch(`${base}/gate?service=checkout`)).json()
    expect(body).toMatchObject({ status: 'FAIL', data: { ok: false, result: 'fail' } })
  })

  it('answers 400 without a service, 405 for POST, 404 elsewhere, 503 (FAIL) when evaluation breaks', async () => {
    const base = await listen(
      createGateHandler({
        evaluate: async (service) => {
          if (service === 'broken') throw new Error('prometheus unreachable')
          return verdictFor(0.9)(service, undefined)
        },
      }),
    )
    expect((await fetch(`${base}/gate`)).status).toBe(400)
    expect((await fetch(`${base}/gate?service=checkout`, { method: 'POST' })).status).toBe(405)
    expect((await fetch(`${base}/other`)).status).toBe(404)
    const broken = await fetch(`${base}/gate?service=broken`)
    expect(broken.status).toBe(503)
    expect(await broken.json()).toMatchObject({ status: 'FAIL', data: { ok: false } })
  })
})

describe('createDeploymentProtectionRuleHandler', () => {
  const SECRET = 'webhook-secret-5f1c'
  const TOKEN = 'ghs_installation_token_canary'
  const CALLBACK_PATH = '/repos/acme/shop/actions/runs/4242/deployment_protection_rule'

  /** A strict fake of GitHub's callback endpoint (REST: review custom deployment protection rules). */
  async function fakeGitHub(): Promise<{
    url: string
    received: Array<Record<string, unknown>>
    rejected: string[]
  }> {
    const received: Array<Record<string, unknown>> = []
    const rejected: string[] = []
    const url = await listen((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        const fail = (status: number, message: string) => {
          rejected.push(message)
          res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ message }))
        }
        if (req.method !== 'POST' || req.url !== CALLBACK_PATH) return fail(404, 'Not Found')
        if (req.headers.authorization !== `Bearer ${TOKEN}`) return fail(401, 'Bad credentials')
        if (req.headers.accept !== 'application/vnd.github+json') return fail(415, 'Unsupported Media Type')
        let body: Record<string, unknown>
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8'))
        } catch {
          return fail(400, 'Problems parsing JSON')
        }
        if (
          typeof body.environment_name !== 'string' ||
          !['approved', 'rejected'].includes(body.state as string)
        ) {
          return fail(422, 'Validation Failed')
        }
        if (body.comment !== undefined && (typeof body.comment !== 'string' || body.comment.length > 1024))
          return fail(422, 'Validation Failed')
        received.push(body)
        res.writeHead(204).end()
      })
    })
    return { url, received, rejected }
  }

  async function setup(remaining: number) {
    const github = await fakeGitHub()
    const outcomes: ProtectionRuleOutcome[] = []
    let settle: () => void = () => {}
    const settled = new Promise<void>((resolve) => {
      settle = resolve
    })
    const base = await listen(
      createDeploymentProtectionRuleHandler({
        webhookSecret: new Secret('GITHUB_WEBHOOK_SECRET', SECRET),
        evaluate: verdictFor(remaining),
        installationToken: async () => new Secret('TOKEN', TOKEN),
        maxBodyBytes: 4096,
        onOutcome: (outcome) => {
          outcomes.push(outcome)
          settle()
        },
      }),
    )
    const event = {
      action: 'requested',
      environment: 'production',
      event: 'deployment',
      deployment_callback_url: `${github.url}${CALLBACK_PATH}`,
      deployment: { ref: 'main', payload: { service: 'checkout', changeType: 'feature' } },
      installation: { id: 99 },
      repository: { name: 'shop', full_name: 'acme/shop' },
    }
    const deliver = (body: string, signature?: string, eventName = 'deployment_protection_rule') =>
      fetch(base, {
        method: 'POST',
        body,
        headers: {
          'content-type': 'application/json',
          'x-github-event': eventName,
          ...(signature === undefined ? {} : { 'x-hub-signature-256': signature }),
        },
      })
    const sign = (body: string, secret = SECRET) =>
      `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`
    return { github, outcomes, settled, event, deliver, sign }
  }

  it('answers GitHub with approved for a passing gate', async () => {
    const { github, outcomes, settled, event, deliver, sign } = await setup(0.9)
    const body = JSON.stringify(event)
    const response = await deliver(body, sign(body))
    expect(response.status).toBe(202)
    await settled
    expect(github.rejected).toEqual([])
    expect(github.received).toEqual([
      {
        environment_name: 'production',
        state: 'approved',
        comment: expect.stringMatching(/^slokit gate: PASS for checkout \(feature\)/),
      },
    ])
    expect(outcomes[0]).toMatchObject({ service: 'checkout', state: 'approved', callbackStatus: 204 })
  })

  it('answers rejected, with the reason, for a failing gate', async () => {
    const { github, settled, event, deliver, sign } = await setup(-1)
    const body = JSON.stringify(event)
    await deliver(body, sign(body))
    await settled
    expect(github.received[0]).toMatchObject({
      state: 'rejected',
      comment: expect.stringMatching(/FAIL for checkout.*SLO not met/),
    })
  })

  it.each([
    ['unsigned', undefined],
    ['signed with another secret', 'other-secret'],
    ['with a malformed signature', 'malformed'],
  ])('refuses a webhook %s with 401 and sends no callback', async (_, variant) => {
    const { github, outcomes, event, deliver, sign } = await setup(0.9)
    const body = JSON.stringify(event)
    const signature =
      variant === undefined ? undefined : variant === 'malformed' ? 'sha1=abc' : sign(body, variant)
    const response = await deliver(body, signature)
    expect(response.status).toBe(401)
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(github.received).toEqual([])
    expect(outcomes).toEqual([])
  })

  it('refuses a body over the limit with 413', async () => {
    const { github, deliver, sign } = await setup(0.9)
    const body = JSON.stringify({ action: 'requested', padding: 'x'.repeat(10_000) })
    const response = await deliver(body, sign(body))
    expect(response.status).toBe(413)
    expect(github.received).toEqual([])
  })

  it('ignores other events and actions without calling back', async () => {
    const { github, event, deliver, sign } = await setup(0.9)
    const other = JSON.stringify({ ...event, action: 'completed' })
    expect((await deliver(other, sign(other))).status).toBe(202)
    const push = JSON.stringify(event)
    expect((await deliver(push, sign(push), 'push')).status).toBe(202)
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(github.received).toEqual([])
  })
})
