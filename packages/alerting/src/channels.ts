import { type Secret, SlokitError } from '@slokit/core'
import { z } from 'zod'
import { ConsoleNotifier } from './console-notifier.js'
import type { Notifier } from './notification.js'
import { WebhookNotifier, webhookChannelSchema } from './webhook-notifier.js'

/** A channel type: its config schema (with a `type` literal) and how to build its notifier. */
export interface ChannelType<Config extends { type: string } = { type: string }> {
  readonly schema: z.ZodType<Config>
  create(name: string, config: Config): Notifier
}

/** The `console` channel type: prints notifications (for the demo and local runs). */
export const consoleChannelType: ChannelType<{ type: 'console' }> = {
  schema: z.strictObject({ type: z.literal('console') }),
  create: (name) => new ConsoleNotifier({ name }),
}

/** The `webhook` channel type: POSTs signed JSON. */
export const webhookChannelType: ChannelType<z.output<typeof webhookChannelSchema>> = {
  schema: webhookChannelSchema,
  create: (name, config) =>
    new WebhookNotifier({
      name,
      url: config.url as Secret,
      signingSecret: config.signingSecret,
      headers: config.headers,
      ...(config.timeout === undefined ? {} : { timeoutMs: config.timeout }),
    }),
}

/** Channel types a config may name that slokit does not deliver to (yet), with what to use instead. */
const NOT_SUPPORTED: Readonly<Record<string, string>> = {
  email:
    'email channels are not supported yet: route to Slack, PagerDuty or a webhook (to your mail relay) instead',
}

/**
 * The schema of the config's `channels` section for a set of channel types: a mapping of channel
 * name → config whose `type` is one of them. A type slokit does not support (such as `email`) is
 * an error that says so — a channel is never silently ignored.
 *
 * @example
 * ```ts
 * const schema = channelsSectionSchema({ console: consoleChannelType, webhook: webhookChannelType, slack: slackChannelType })
 * ```
 */
export function channelsSectionSchema(types: Readonly<Record<string, ChannelType<{ type: string }>>>) {
  const known = Object.keys(types)
  return z.record(
    z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, { error: 'channel names are letters, digits, `_`, `.` or `-`' }),
    z.unknown().transform((value, ctx) => {
      const type = (value as { type?: unknown } | null)?.type
      if (typeof type !== 'string') {
        ctx.addIssue({
          code: 'custom',
          path: ['type'],
          message: `is required: one of ${known.map((k) => `"${k}"`).join(', ')}`,
        })
        return z.NEVER
      }
      const channelType = types[type]
      if (channelType === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['type'],
          message:
            NOT_SUPPORTED[type] ??
            `unknown channel type "${type}": known types are ${known.map((k) => `"${k}"`).join(', ')}`,
        })
        return z.NEVER
      }
      const parsed = channelType.schema.safeParse(value, { reportInput: true })
      if (!parsed.success) {
        for (const issue of parsed.error.issues)
          ctx.addIssue({ ...issue, code: 'custom', path: issue.path, message: issue.message } as never)
        return z.NEVER
      }
      return parsed.data as { type: string }
    }),
  )
}

/** Builds a notifier per configured channel. */
export function createNotifiers(
  channels: Readonly<Record<string, { type: string }>>,
  types: Readonly<Record<string, ChannelType<{ type: string }>>>,
): Record<string, Notifier> {
  const notifiers: Record<string, Notifier> = {}
  for (const [name, config] of Object.entries(channels)) {
    const type = types[config.type]
    if (type === undefined)
      throw new SlokitError(
        'INVALID_CONFIG',
        `[slokit/alerting] Channel ${name} has the unknown type ${config.type}.`,
      )
    notifiers[name] = type.create(name, config)
  }
  return notifiers
}
