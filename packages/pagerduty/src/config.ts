import { durationSchema, secretSchema } from '@slokit/core'
import { z } from 'zod'
import { PagerDutyNotifier, type PagerDutyNotifierOptions } from './pagerduty-notifier.js'

/**
 * A PagerDuty service in a configuration's `channels` section: the routing key (the 32-character
 * Integration Key of an Events API v2 integration) as `${env:NAME}`, and optionally another
 * Events API base URL (EU accounts, a proxy), the `payload.source` and a request `timeout`
 * (a duration, parsed to ms).
 *
 * @example
 * ```yaml
 * channels:
 *   pagerduty-checkout:
 *     type: pagerduty
 *     routingKey: ${env:PAGERDUTY_ROUTING_KEY_CHECKOUT}
 *     baseUrl: https://events.eu.pagerduty.com
 * ```
 */
export const pagerdutyChannelSchema = z
  .strictObject({
    type: z.literal('pagerduty'),
    routingKey: secretSchema,
    baseUrl: z.url({ protocol: /^https?$/ }).optional(),
    source: z.string().trim().min(1).optional(),
    timeout: durationSchema.optional(),
  })
  .superRefine((channel, context) => {
    // A key from an unset variable is checked when the notifier is built; the value is never shown.
    if (!channel.routingKey.isSet) return
    const key = channel.routingKey.reveal()
    if (/\s/.test(key)) {
      context.addIssue({
        code: 'custom',
        path: ['routingKey'],
        message: 'the routing key contains whitespace (often a trailing newline in an env file)',
      })
    } else if (key.length !== 32) {
      context.addIssue({
        code: 'custom',
        path: ['routingKey'],
        message: `the routing key must be 32 characters, got ${key.length}: use the Integration Key of an Events API v2 integration`,
      })
    }
  })

/** A PagerDuty channel as written in a configuration. */
export type PagerDutyChannelConfigInput = z.input<typeof pagerdutyChannelSchema>

/** A PagerDuty channel after {@link pagerdutyChannelSchema} parsed it (`routingKey` a `Secret`, `timeout` in ms). */
export type PagerDutyChannelConfig = z.output<typeof pagerdutyChannelSchema>

/** What {@link createPagerDutyNotifier} takes besides the config: a name and the host's I/O. */
export type CreatePagerDutyNotifierDeps = Omit<
  PagerDutyNotifierOptions,
  'routingKey' | 'baseUrl' | 'source' | 'timeoutMs'
>

/**
 * Builds a {@link PagerDutyNotifier} from a parsed `channels` entry; pass the channel's key as `name`.
 *
 * @example
 * ```ts
 * const config = pagerdutyChannelSchema.parse(section['pagerduty-checkout'])
 * const notifier = createPagerDutyNotifier(config, { name: 'pagerduty-checkout', logger })
 * ```
 * @throws `SlokitError` `INVALID_CONFIG` as {@link PagerDutyNotifier} does (e.g. a routing key that is not set).
 */
export function createPagerDutyNotifier(
  config: PagerDutyChannelConfig,
  deps: CreatePagerDutyNotifierDeps = {},
): PagerDutyNotifier {
  return new PagerDutyNotifier({
    ...deps,
    routingKey: config.routingKey,
    baseUrl: config.baseUrl,
    source: config.source,
    timeoutMs: config.timeout,
  })
}

/**
 * The `pagerduty` channel type for a config's `channels` section: the schema, and a `create` that
 * builds each channel's notifier with the host's I/O. Shaped like `ChannelType` from `@slokit/alerting`.
 *
 * @example
 * ```ts
 * const channels = channelsSectionSchema({ slack: slackChannelType({ logger }), pagerduty: pagerdutyChannelType({ logger }) })
 * ```
 */
export function pagerdutyChannelType(deps: Omit<CreatePagerDutyNotifierDeps, 'name'> = {}): {
  readonly schema: typeof pagerdutyChannelSchema
  create(name: string, config: PagerDutyChannelConfig): PagerDutyNotifier
} {
  return {
    schema: pagerdutyChannelSchema,
    create: (name, config) => createPagerDutyNotifier(config, { ...deps, name }),
  }
}
