import { createFreezeController, type FreezeTransition } from '@slokit/budget'
import { changeEventFor, deploymentChangeEvent, PagerDutyNotifier } from '@slokit/pagerduty'
import { type FakePagerDuty, startFakePagerDuty } from '@slokit/pagerduty/testing'
import { afterEach, describe, expect, it } from 'vitest'
import { FakeClock } from './test/helpers.js'

const KEY = 'e93facc04764012d7bfb002500d5d1a6'
let fake: FakePagerDuty | undefined
afterEach(async () => {
  await fake?.close()
  fake = undefined
})

describe('changeEventFor', () => {
  it('summarises as `<service>: <reason>`, the rest in custom_details', () => {
    const transition: FreezeTransition = {
      service: 'checkout',
      kind: 'entered',
      atMs: Date.UTC(2026, 10, 20),
      reason: 'deployments frozen: budget below 25%',
      sloId: 'checkout-availability',
      frozen: true,
    }
    expect(changeEventFor(transition, { links: [{ href: 'https://grafana.example.com/d/budget' }] })).toEqual(
      {
        payload: {
          summary: 'checkout: deployments frozen: budget below 25%',
          source: 'checkout',
          timestamp: '2026-11-20T00:00:00.000Z',
          custom_details: {
            service: 'checkout',
            transition: 'entered',
            frozen: true,
            reason: 'deployments frozen: budget below 25%',
            slo: 'checkout-availability',
          },
        },
        links: [{ href: 'https://grafana.example.com/d/budget' }],
      },
    )
  })

  it('takes @slokit/budget freeze transitions as they are, and PagerDuty takes the change events', async () => {
    fake = await startFakePagerDuty()
    const clock = new FakeClock()
    const freezes = createFreezeController({ clock })
    const transitions = await freezes.override('checkout', {
      frozen: true,
      by: 'alice',
      reason: 'incident INC-42',
    })
    const pagerduty = new PagerDutyNotifier({ routingKey: KEY, baseUrl: fake.baseUrl })
    for (const transition of transitions) {
      expect(await pagerduty.sendChangeEvent(changeEventFor(transition))).toMatchObject({
        ok: true,
        status: 202,
      })
    }
    expect(fake.changes.map((c) => c.payload.summary)).toEqual([
      'checkout: frozen by alice: incident INC-42',
      'checkout: deployments frozen: frozen by alice: incident INC-42',
    ])
    expect(fake.changes[0]?.payload).toMatchObject({
      source: 'checkout',
      timestamp: new Date(clock.now()).toISOString(),
      custom_details: { service: 'checkout', frozen: true, by: 'alice' },
    })
  })
})

describe('deploymentChangeEvent', () => {
  it('marks a deploy on the service timeline, linking to the pipeline run', () => {
    expect(
      deploymentChangeEvent({
        service: 'checkout',
        version: 'v1.42.0',
        environment: 'production',
        atMs: Date.UTC(2026, 10, 20, 9),
        by: 'ci',
        url: 'https://ci.example.com/runs/991',
        details: { commit: 'a1b2c3d' },
      }),
    ).toEqual({
      payload: {
        summary: 'Deployed checkout v1.42.0 to production',
        source: 'checkout',
        timestamp: '2026-11-20T09:00:00.000Z',
        custom_details: {
          service: 'checkout',
          version: 'v1.42.0',
          environment: 'production',
          by: 'ci',
          commit: 'a1b2c3d',
        },
      },
      links: [{ href: 'https://ci.example.com/runs/991', text: 'Deployment' }],
    })
  })

  it('is taken by PagerDuty with only a service', async () => {
    fake = await startFakePagerDuty()
    const pagerduty = new PagerDutyNotifier({ routingKey: KEY, baseUrl: fake.baseUrl })
    expect(await pagerduty.sendChangeEvent(deploymentChangeEvent({ service: 'checkout' }))).toMatchObject({
      ok: true,
    })
    expect(fake.changes[0]?.payload.summary).toBe('Deployed checkout')
  })
})
