import { durationSchema, SlokitError, secretSchema } from '@slokit/core'
import { z } from 'zod'
import { SlackPacer } from './pacer.js'
import { SlackNotifier, type SlackNotifierSettings } from './slack-notifier.js'

/**
 * A Slack channel in a configuration's `channels` section: an incoming webhook (`webhookUrl`), or
 * a bot token (`token`) with the `channel` to post to. Secrets are written as `${env:NAME}`;
 * `timeout` is a duration (`10s`) and parses to milliseconds.
 *
 * @example
 * ```yaml
 * channels:
 *   slack-sre:
 *     type: slack
 *     webhookUrl: ${env:SLACK_WEBHOOK_SRE}
 *   slack-incidents:
 *     type: slack
 *     token: ${env:SLACK_BOT_TOKEN}
 *     channel: C0123456789
 * ```
 */
export const slackChannelSchema = z
  .strictObject({
    type: z.literal('slack'),
    /** An incoming webhook URL; the URL is the secret. */
    webhookUrl: secretSchema.optional(),
    /** A bot token (`xoxb-…`) with `chat:write`, used with `channel`. */
    token: secretSchema.optional(),
    /** With `token`: the channel id (`C0123…`) or name (`#sre`). */
    channel: z.string().trim().min(1).optional(),
    /** With `token`: the Web API base URL, e.g. `https://slack-gov.com/api/`. */
    apiUrl: z.url({ protocol: /^https?$/ }).optional(),
    /** With `token`: post resolved messages in the firing message's thread. Default `true`. */
    threadResolved: z.boolean().optional(),
    /** Per request; `10s` by default. */
    timeout: durationSchema.optional(),
  })
  .superRefine((channel, context) => {
    const hasWebhook = channel.webhookUrl !== undefined
    const hasToken = channel.token !== undefined
    if (hasWebhook && hasToken) {
      context.addIssue({
        code: 'custom',
        path: ['token'],
        message:
          'give either `webhookUrl` (an incoming webhook) or `token` with `channel` (chat.postMessage), not both',
      })
    } else if (!hasWebhook && !hasToken) {
      context.addIssue({
        code: 'custom',
        path: ['webhookUrl'],
        message:
          'a Slack channel needs `webhookUrl` (an incoming webhook) or `token` with `channel` (chat.postMessage)',
      })
    }
    if (hasToken && channel.channel === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['channel'],
        message: '`token` needs `channel`: the channel id (C0123…) or name (#sre) to post to',
      })
    }
    if (hasWebhook && !hasToken) {
      for (const key of ['channel', 'apiUrl', 'threadResolved'] as const) {
        if (channel[key] !== undefined) {
          context.addIssue({
            code: 'custom',
            path: [key],
            message: `\`${key}\` applies to \`token\` (chat.postMessage) only: an incoming webhook always posts to the channel it was created for`,
          })
        }
      }
    }
  })

/** A Slack channel as written in a configuration. */
export type SlackChannelConfigInput = z.input<typeof slackChannelSchema>

/** A Slack channel after {@link slackChannelSchema} parsed it (secrets as `Secret`, `timeout` in ms). */
export type SlackChannelConfig = z.output<typeof slackChannelSchema>

/** What {@link createSlackNotifier} takes besides the config: a name and the host's I/O. */
export type CreateSlackNotifierDeps = Omit<SlackNotifierSettings, 'apiUrl' | 'threadResolved' | 'timeoutMs'>

/**
 * Builds a {@link SlackNotifier} from a parsed `channels` entry. Pass the channel's key as
 * `name`, and one `SlackPacer` to every Slack notifier so channels sharing a webhook are paced together.
 *
 * @example
 * ```ts
 * const pacer = new SlackPacer()
 * const config = slackChannelSchema.parse({ type: 'slack', webhookUrl: new Secret('SLACK_WEBHOOK_SRE', process.env.SLACK_WEBHOOK_SRE) })
 * const notifier = createSlackNotifier(config, { name: 'slack-sre', pacer, logger })
 * ```
 * @throws `SlokitError` `INVALID_CONFIG` as {@link SlackNotifier} does (e.g. a secret that is not set).
 */
export function createSlackNotifier(
  config: SlackChannelConfig,
  deps: CreateSlackNotifierDeps = {},
): SlackNotifier {
  const settings: SlackNotifierSettings = {
    ...deps,
    apiUrl: config.apiUrl,
    threadResolved: config.threadResolved,
    timeoutMs: config.timeout,
  }
  if (config.webhookUrl !== undefined && config.token === undefined) {
    return new SlackNotifier({ ...settings, webhookUrl: config.webhookUrl })
  }
  if (config.token !== undefined && config.webhookUrl === undefined) {
    return new SlackNotifier({ ...settings, token: config.token, channel: config.channel ?? '' })
  }
  throw new SlokitError(
    'INVALID_CONFIG',
    `[slokit/slack] Slack channel \`${deps.name ?? 'slack'}\` needs either \`webhookUrl\` or \`token\` with \`channel\`.`,
    { hint: 'parse the channel with slackChannelSchema first' },
  )
}

/**
 * The `slack` channel type for a config's `channels` section: the schema, and a `create` that
 * builds each channel's notifier with the host's I/O and **one shared `SlackPacer`**, so channels
 * that share a webhook are paced together. Shaped like `ChannelType` from `@slokit/alerting`.
 *
 * @example
 * ```ts
 * const channels = channelsSectionSchema({ slack: slackChannelType({ logger }), pagerduty: pagerdutyChannelType({ logger }) })
 * ```
 */
export function slackChannelType(deps: Omit<CreateSlackNotifierDeps, 'name'> = {}): {
  readonly schema: typeof slackChannelSchema
  create(name: string, config: SlackChannelConfig): SlackNotifier
} {
  const pacer = deps.pacer ?? new SlackPacer(deps.clock === undefined ? {} : { clock: deps.clock })
  return {
    schema: slackChannelSchema,
    create: (name, config) => createSlackNotifier(config, { ...deps, pacer, name }),
  }
}
