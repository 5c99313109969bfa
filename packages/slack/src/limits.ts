import type { ActionsBlock, Button, ContextBlock, KnownBlock, SectionBlock } from '@slack/types'
import { truncate } from './text.js'

/**
 * Slack's Block Kit limits (docs.slack.dev, "Blocks"), checked before every send. A message over
 * any of them is rejected whole (`invalid_blocks`, `msg_blocks_too_long`), so
 * {@link fitSlackLimits} cuts it down with a visible marker instead.
 */
export const SLACK_LIMITS = {
  /** Blocks per message. */
  blocks: 50,
  /** Characters of a section's `text`. */
  sectionText: 3000,
  /** Characters of a header's `plain_text`. */
  headerText: 150,
  /** Fields per section. */
  fields: 10,
  /** Characters of each field. */
  fieldText: 2000,
  /** Elements per context block. */
  contextElements: 10,
  /** Elements per actions block. */
  actionsElements: 25,
  /** Characters of a button's label. */
  buttonText: 75,
  /** Characters of a button's URL. */
  buttonUrl: 3000,
  /** Characters of the top-level `text`; Slack truncates beyond it. */
  fallbackText: 40_000,
  /**
   * Characters of text across all blocks. Undocumented: Slack answers `msg_blocks_too_long` at
   * about 12–13k (slackapi/bolt-js #2509, #2867); we stay below.
   */
  totalBlockText: 12_000,
} as const

/** What Slack is sent: the `text` fallback (notifications, screen readers, old clients) and the blocks. */
export interface SlackMessage {
  /** Always set: shown in notifications and wherever blocks cannot be. `mrkdwn`. */
  readonly text: string
  readonly blocks: readonly KnownBlock[]
}

/** The outcome of {@link fitSlackLimits}. */
export interface FittedSlackMessage {
  readonly message: SlackMessage
  /** What had to be cut, in words (for a debug log); empty when the message fit as it was. */
  readonly cuts: readonly string[]
}

const MRKDWN_MARKER = '… _(truncated)_'
const PLAIN_MARKER = '… (truncated)'

type TextObject = { type: 'plain_text' | 'mrkdwn'; text: string }

function fitText<T extends TextObject>(object: T, max: number, what: string, cuts: string[]): T {
  if (object.text.length <= max) return object
  cuts.push(`${what}: ${object.text.length} → ${max} characters`)
  return {
    ...object,
    text: truncate(object.text, max, object.type === 'mrkdwn' ? MRKDWN_MARKER : PLAIN_MARKER),
  }
}

function fitButton(button: Button, what: string, cuts: string[]): Button | undefined {
  if (button.url !== undefined && button.url.length > SLACK_LIMITS.buttonUrl) {
    cuts.push(`${what}: URL longer than ${SLACK_LIMITS.buttonUrl} characters, button dropped`)
    return undefined
  }
  if (button.text.text.length <= SLACK_LIMITS.buttonText) return button
  cuts.push(`${what}: label ${button.text.text.length} → ${SLACK_LIMITS.buttonText} characters`)
  return {
    ...button,
    text: { ...button.text, text: truncate(button.text.text, SLACK_LIMITS.buttonText, '…') },
  }
}

function fitSection(block: SectionBlock, index: number, cuts: string[]): SectionBlock | undefined {
  const at = `block ${index} (section)`
  let fitted: SectionBlock = block
  if (block.text !== undefined) {
    fitted = { ...fitted, text: fitText(block.text, SLACK_LIMITS.sectionText, `${at} text`, cuts) }
  }
  if (block.fields !== undefined) {
    let fields = block.fields.map((field, i) =>
      fitText(field, SLACK_LIMITS.fieldText, `${at} field ${i}`, cuts),
    )
    if (fields.length > SLACK_LIMITS.fields) {
      const hidden = fields.length - (SLACK_LIMITS.fields - 1)
      cuts.push(`${at}: ${fields.length} fields → ${SLACK_LIMITS.fields}`)
      fields = [
        ...fields.slice(0, SLACK_LIMITS.fields - 1),
        { type: 'mrkdwn', text: `_…and ${hidden} more not shown_` },
      ]
    }
    fitted = { ...fitted, fields }
  }
  if (fitted.accessory?.type === 'button') {
    const button = fitButton(fitted.accessory, `${at} accessory`, cuts)
    const { accessory: _, ...rest } = fitted
    fitted = button === undefined ? rest : { ...rest, accessory: button }
  }
  const hasText = fitted.text !== undefined && fitted.text.text.trim() !== ''
  const hasFields = fitted.fields !== undefined && fitted.fields.length > 0
  if (!hasText && !hasFields) {
    cuts.push(`${at}: empty, dropped`)
    return undefined
  }
  return fitted
}

function fitBlock(block: KnownBlock, index: number, cuts: string[]): KnownBlock | undefined {
  switch (block.type) {
    case 'header':
      if (block.text.text.length <= SLACK_LIMITS.headerText) return block
      cuts.push(`block ${index} (header): ${block.text.text.length} → ${SLACK_LIMITS.headerText} characters`)
      return {
        ...block,
        text: { ...block.text, text: truncate(block.text.text, SLACK_LIMITS.headerText, '…') },
      }
    case 'section':
      return fitSection(block, index, cuts)
    case 'context': {
      let elements = block.elements.map((element) =>
        element.type === 'image'
          ? element
          : fitText(element, SLACK_LIMITS.sectionText, `block ${index} (context) element`, cuts),
      )
      if (elements.length > SLACK_LIMITS.contextElements) {
        cuts.push(`block ${index} (context): ${elements.length} elements → ${SLACK_LIMITS.contextElements}`)
        elements = elements.slice(0, SLACK_LIMITS.contextElements)
      }
      return { ...block, elements } satisfies ContextBlock
    }
    case 'actions': {
      const elements: ActionsBlock['elements'] = []
      for (const element of block.elements) {
        if (element.type !== 'button') elements.push(element)
        else {
          const button = fitButton(element, `block ${index} (actions) button`, cuts)
          if (button !== undefined) elements.push(button)
        }
      }
      if (elements.length > SLACK_LIMITS.actionsElements) {
        cuts.push(`block ${index} (actions): ${elements.length} elements → ${SLACK_LIMITS.actionsElements}`)
        elements.length = SLACK_LIMITS.actionsElements
      }
      return elements.length === 0 ? undefined : { ...block, elements }
    }
    default:
      return block
  }
}

function textLength(block: KnownBlock): number {
  switch (block.type) {
    case 'header':
      return block.text.text.length
    case 'section':
      return (block.text?.text.length ?? 0) + (block.fields ?? []).reduce((sum, f) => sum + f.text.length, 0)
    case 'context':
      return block.elements.reduce((sum, e) => sum + ('text' in e ? e.text.length : 0), 0)
    case 'actions':
      return block.elements.reduce((sum, e) => sum + (e.type === 'button' ? e.text.text.length : 0), 0)
    default:
      return 0
  }
}

/**
 * Cuts a message down to Slack's limits ({@link SLACK_LIMITS}) rather than have it rejected:
 * texts end in `… (truncated)`, surplus fields become one `…and N more not shown` field, and when
 * there are too many blocks (or too much text in all) blocks are dropped from the middle — the
 * header and first blocks stay, and so do the trailing buttons and context — and a context block
 * says how many were left out. A message within the limits comes back unchanged.
 *
 * @example
 * ```ts
 * const { message, cuts } = fitSlackLimits({ text: 'Weekly report', blocks: manyBlocks })
 * message.blocks.length // <= 50
 * ```
 */
export function fitSlackLimits(message: SlackMessage): FittedSlackMessage {
  const cuts: string[] = []
  let text = message.text.trim() === '' ? '(no text)' : message.text
  if (text.length > SLACK_LIMITS.fallbackText) {
    cuts.push(`text: ${text.length} → ${SLACK_LIMITS.fallbackText} characters`)
    text = truncate(text, SLACK_LIMITS.fallbackText, MRKDWN_MARKER)
  }
  const blocks: KnownBlock[] = []
  message.blocks.forEach((block, index) => {
    const fitted = fitBlock(block, index, cuts)
    if (fitted !== undefined) blocks.push(fitted)
  })

  // The trailing buttons and context (at most two blocks) carry the runbook and dashboard links
  // and the alert's id: keep them, and drop from the middle instead.
  let tailStart = blocks.length
  while (tailStart > 1 && blocks.length - tailStart < 2) {
    const type = blocks[tailStart - 1]?.type
    if (type !== 'actions' && type !== 'context') break
    tailStart--
  }
  const head = blocks.slice(0, tailStart)
  const tail = blocks.slice(tailStart)
  const before = head.length
  const room = SLACK_LIMITS.blocks - tail.length - 1
  if (head.length + tail.length > SLACK_LIMITS.blocks) head.length = Math.max(1, room)
  const size = (list: readonly KnownBlock[]) => list.reduce((sum, block) => sum + textLength(block), 0)
  const budget = SLACK_LIMITS.totalBlockText - 100 // room for the marker
  while (head.length > 1 && size(head) + size(tail) > budget) head.pop()
  const dropped = before - head.length
  if (dropped > 0) {
    cuts.push(`${dropped} of ${blocks.length} blocks dropped`)
    const marker: ContextBlock = {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `:scissors: _${dropped} more block${dropped === 1 ? '' : 's'} not shown (over Slack's message limits)_`,
        },
      ],
    }
    return { message: { text, blocks: [...head, marker, ...tail] }, cuts }
  }
  return { message: { text, blocks }, cuts }
}
