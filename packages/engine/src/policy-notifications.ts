import type { Notification } from '@slokit/alerting'
import type { FreezeTransition, PoliciesSection, PolicyDecision } from '@slokit/budget'

const DAY_MS = 86_400_000

/**
 * Notifications for a policy decision: one per `notify` action of each matched step, per channel.
 * Ids are deterministic for the step and the day, so a step that keeps matching reminds at most
 * once a day — and a restart does not repeat a reminder the outbox already holds.
 */
export function policyNotifications(
  decision: PolicyDecision,
  now: number,
  remindEveryMs = DAY_MS,
): Notification[] {
  if (decision.state !== 'alert') return []
  const bucket = Math.floor(now / remindEveryMs)
  const out: Notification[] = []
  decision.matchedSteps.forEach((step) => {
    const stepKey = step.name ?? `step-${step.index}`
    for (const action of decision.actions) {
      if (action.type !== 'notify') continue
      for (const channel of action.channels) {
        const dedupKey = `policy/${decision.sloId}/${stepKey}`
        out.push({
          id: `${dedupKey}:${bucket}:${channel}`,
          dedupKey,
          kind: 'policy',
          channel,
          severity: 'warning',
          title: action.message,
          body: decision.reasons.join('\n'),
          service: decision.service,
          createdAtMs: now,
          alerts: [],
          links: {},
          details: {
            policy: decision.policy,
            sloId: decision.sloId,
            step: stepKey,
            budgetRemaining: decision.budgetRemaining,
          },
        })
      }
    }
  })
  // Each action belongs to exactly one matched step; keep one notification per (step, channel, message).
  const seen = new Set<string>()
  return out.filter((n) => {
    const key = `${n.channel}|${n.title}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

/** The channels that hear about freezes of SLOs under a policy: those of its freezing steps. */
export function freezeChannels(section: PoliciesSection | undefined, policyName: string): string[] {
  const policy = section?.tiers[policyName]
  if (policy === undefined) return []
  const channels = new Set<string>()
  for (const step of policy.steps) {
    if (!step.actions.some((a) => 'freeze_deployments' in a)) continue
    for (const action of step.actions)
      if ('notify' in action) for (const c of action.notify.channels) channels.add(c)
  }
  return [...channels]
}

/**
 * Notifications for freeze transitions that people should hear about: entered and left. A freeze
 * entered carries the messages of the freezing steps' `notify` actions, which it replaces.
 */
export function freezeNotifications(
  transitions: readonly FreezeTransition[],
  channels: readonly string[],
  messages: readonly string[] = [],
): Notification[] {
  const out: Notification[] = []
  for (const t of transitions) {
    if (t.kind !== 'entered' && t.kind !== 'left') continue
    for (const channel of channels) {
      const dedupKey = `freeze/${t.service}`
      out.push({
        id: `${dedupKey}:${t.kind}:${t.atMs}:${channel}`,
        dedupKey,
        kind: t.kind === 'entered' ? 'freeze' : 'unfreeze',
        channel,
        severity: t.kind === 'entered' ? 'high' : 'info',
        title:
          t.kind === 'entered'
            ? `Deployments to ${t.service} are frozen`
            : `Deployments to ${t.service} are unfrozen`,
        body:
          t.kind === 'entered' && messages.length > 0
            ? `${[...new Set(messages)].join('\n')}\n${t.reason}`
            : t.reason,
        service: t.service,
        createdAtMs: t.atMs,
        alerts: [],
        links: {},
        details: { transition: t },
      })
    }
  }
  return out
}
