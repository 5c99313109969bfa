import type { KnownBlock } from '@slack/types'
import { fitSlackLimits, SLACK_LIMITS } from '@slokit/slack'
import { blocksProblem } from '@slokit/slack/testing'
import { describe, expect, it } from 'vitest'

const section = (text: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text } })
type Loose = {
  type: string
  text?: { text: string }
  fields?: Array<{ text: string }>
  elements?: Array<{ text?: { text: string } | string; url?: string }>
}
const loose = (blocks: readonly KnownBlock[]) => blocks as unknown as Loose[]

describe('fitSlackLimits', () => {
  it('leaves a message within the limits as it is', () => {
    const message = { text: 'hi', blocks: [section('hello')] }
    expect(fitSlackLimits(message)).toEqual({ message, cuts: [] })
  })

  it('cuts a header to 150 characters, ending in …', () => {
    const { message, cuts } = fitSlackLimits({
      text: 't',
      blocks: [{ type: 'header', text: { type: 'plain_text', text: 'H'.repeat(151) } }],
    })
    const text = loose(message.blocks)[0]?.text?.text ?? ''
    expect([text.length, text.endsWith('…')]).toEqual([SLACK_LIMITS.headerText, true])
    expect(cuts).toEqual(['block 0 (header): 151 → 150 characters'])
  })

  it('cuts a section to 3000 characters with a visible marker', () => {
    const text =
      loose(fitSlackLimits({ text: 't', blocks: [section('s'.repeat(3001))] }).message.blocks)[0]?.text
        ?.text ?? ''
    expect(text.length).toBe(3000)
    expect(text.endsWith('… _(truncated)_')).toBe(true)
  })

  it('keeps 10 fields, the last saying how many more there were, and cuts each to 2000', () => {
    const fields = Array.from({ length: 12 }, (_, i) => ({
      type: 'mrkdwn' as const,
      text: i === 0 ? 'f'.repeat(2001) : `field ${i}`,
    }))
    const fitted =
      loose(fitSlackLimits({ text: 't', blocks: [{ type: 'section', fields }] }).message.blocks)[0]?.fields ??
      []
    expect(fitted).toHaveLength(10)
    expect(fitted[0]?.text.length).toBe(2000)
    expect(fitted[9]?.text).toBe('_…and 3 more not shown_')
  })

  it('drops blocks from the middle past 50, keeping the header, the buttons and the context, and says so', () => {
    const blocks: KnownBlock[] = [
      { type: 'header', text: { type: 'plain_text', text: 'Report' } },
      ...Array.from({ length: 60 }, (_, i) => section(`block ${i}`)),
      {
        type: 'actions',
        elements: [
          { type: 'button', text: { type: 'plain_text', text: 'Runbook' }, url: 'https://r.example' },
        ],
      },
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'id' }] },
    ]
    const fitted = loose(fitSlackLimits({ text: 't', blocks }).message.blocks)
    expect(fitted).toHaveLength(50)
    expect(fitted[0]?.type).toBe('header')
    expect(fitted.slice(-3).map((b) => b.type)).toEqual(['context', 'actions', 'context'])
    expect(JSON.stringify(fitted.at(-3))).toContain('14 more blocks not shown')
  })

  it('keeps the text of all blocks under the undocumented ~12k total', () => {
    const blocks = Array.from({ length: 8 }, () => section('x'.repeat(2900)))
    const { message } = fitSlackLimits({ text: 't', blocks })
    expect(blocksProblem(message.blocks)).toBeUndefined()
    expect(JSON.stringify(message.blocks)).toContain('more blocks not shown')
  })

  it('cuts button labels, drops buttons whose URL is too long, and drops empty blocks', () => {
    const { message } = fitSlackLimits({
      text: 't',
      blocks: [
        section('   '),
        {
          type: 'actions',
          elements: [
            { type: 'button', text: { type: 'plain_text', text: 'B'.repeat(80) }, url: 'https://ok.example' },
            {
              type: 'button',
              text: { type: 'plain_text', text: 'Long' },
              url: `https://x.example/${'p'.repeat(3000)}`,
            },
          ],
        },
      ],
    })
    const fitted = loose(message.blocks)
    expect(fitted).toHaveLength(1)
    expect(fitted[0]?.elements).toHaveLength(1)
    const label = fitted[0]?.elements?.[0]?.text as { text: string } | undefined
    expect(label?.text).toHaveLength(75)
  })

  it('never cuts inside an entity, a <…> token or a surrogate pair', () => {
    const date = '<!date^1795183200^{time}|14:00 UTC>'
    for (let pad = 2975; pad < 3000; pad++) {
      for (const tail of [date, '&amp;&lt;&gt;'.repeat(3), '😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀']) {
        const text =
          loose(fitSlackLimits({ text: 't', blocks: [section('a'.repeat(pad) + tail)] }).message.blocks)[0]
            ?.text?.text ?? ''
        const kept = text.replace(/… _\(truncated\)_$/, '')
        expect(kept.length).toBeLessThanOrEqual(3000)
        expect(kept).toMatch(/^a*(?:(?:&amp;|&lt;|&gt;)*|<!date[^<]*>)?(?:😀)*$/u)
      }
    }
  })

  it('always sends a text fallback', () => {
    expect(fitSlackLimits({ text: '  ', blocks: [] }).message.text).toBe('(no text)')
  })
})
