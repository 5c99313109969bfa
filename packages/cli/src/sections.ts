import {
  type AlertsSection,
  alertsSectionSchema,
  channelsSectionSchema,
  consoleChannelType,
  webhookChannelType,
} from '@slokit/alerting'
import { type PoliciesSection, policiesSectionSchema } from '@slokit/budget'
import type { ConfigCheck, ConfigCheckFinding, ConfigOptions } from '@slokit/config'
import { fileSourceConfigSchema } from '@slokit/file-source'
import { governanceSectionSchema } from '@slokit/governance'
import { pagerdutyChannelType } from '@slokit/pagerduty'
import { prometheusSourceConfigSchema } from '@slokit/prometheus'
import { type ReportingSection, reportingSectionSchema } from '@slokit/reporter'
import { slackChannelType } from '@slokit/slack'
import { z } from 'zod'

/** The channel types the CLI knows: the `type` of each entry under `channels`. */
export const CHANNEL_TYPES = {
  console: consoleChannelType,
  webhook: webhookChannelType,
  slack: slackChannelType(),
  pagerduty: pagerdutyChannelType(),
}

/**
 * The schemas of the config sections other packages own, as far as this CLI knows them. Each
 * package that validates a section registers its schema here; a section without one is reported
 * by the loader as "not validated".
 */
export const SECTION_SCHEMAS: NonNullable<ConfigOptions['sections']> = {
  alerts: alertsSectionSchema,
  channels: channelsSectionSchema(CHANNEL_TYPES),
  governance: governanceSectionSchema,
  policies: policiesSectionSchema,
  reporting: reportingSectionSchema,
  sources: z.record(
    z.string(),
    z.discriminatedUnion('type', [prometheusSourceConfigSchema, fileSourceConfigSchema]),
  ),
}

/**
 * Every channel named by a route, an escalation, a policy step or a report must be defined under
 * `channels` — or, in a config without a `channels` section, be registered by the host in code
 * (then only a warning).
 */
export const channelReferences: ConfigCheck = ({ sections }) => {
  const defined =
    sections.channels === undefined ? undefined : new Set(Object.keys(sections.channels as object))
  const findings: ConfigCheckFinding[] = []
  const check = (name: string, path: ConfigCheckFinding['path'], what: string) => {
    if (defined?.has(name) === true) return
    findings.push(
      defined === undefined
        ? {
            path,
            severity: 'warning',
            message: `${what} channel \`${name}\`, and the config has no \`channels\` section`,
            hint: 'the host must register a notifier for it',
          }
        : {
            path,
            message: `${what} channel \`${name}\`, which is not defined under \`channels\``,
            hint: `define it, or use one of ${[...defined].map((d) => `\`${d}\``).join(', ') || 'none'}`,
          },
    )
  }
  const alerts = sections.alerts as AlertsSection | undefined
  for (const [r, route] of (alerts?.routes ?? []).entries()) {
    for (const [c, name] of route.channels.entries())
      check(name, ['alerts', 'routes', r, 'channels', c], 'route sends to')
    for (const [c, name] of (route.escalate?.channels ?? []).entries()) {
      check(name, ['alerts', 'routes', r, 'escalate', 'channels', c], 'route escalates to')
    }
  }
  const policies = sections.policies as PoliciesSection | undefined
  for (const [tier, policy] of Object.entries(policies?.tiers ?? {})) {
    for (const step of policy.steps) {
      for (const action of step.actions) {
        if (!('notify' in action)) continue
        for (const name of action.notify.channels)
          check(
            name,
            ['policies', 'tiers', tier],
            `policy step ${step.name === undefined ? '' : `\`${step.name}\` `}notifies`,
          )
      }
    }
  }
  const reporting = sections.reporting as ReportingSection | undefined
  for (const [job, settings] of Object.entries(reporting ?? {})) {
    for (const [n, name] of settings.output.notify.entries()) {
      check(name, ['reporting', job, 'output', 'notify', n], `report \`${job}\` goes to`)
    }
  }
  return findings
}

/** The cross-section checks the CLI runs on every config it loads. */
export const SECTION_CHECKS: readonly ConfigCheck[] = [channelReferences]
