import { inspect } from 'node:util'
import { Secret, secretSchema } from '@slokit/core'
import { describe, expect, it } from 'vitest'

describe('Secret', () => {
  const secret = new Secret('SLACK_WEBHOOK', 'https://hooks.slack.com/services/T000/B000/canary')

  it('never shows its value when printed, serialised or interpolated', () => {
    for (const shown of [
      String(secret),
      `${secret}`,
      JSON.stringify({ secret }),
      inspect(secret),
      inspect({ nested: [secret] }),
    ]) {
      expect(shown).not.toContain('canary')
      expect(shown).toContain('[secret SLACK_WEBHOOK]')
    }
  })

  it('keeps the value out of enumerable properties', () => {
    expect(Object.values(secret)).toEqual(['SLACK_WEBHOOK'])
    expect(structuredClone({ ...secret })).toEqual({ name: 'SLACK_WEBHOOK' })
  })

  it('refuses to reveal a secret that is not set', () => {
    const unset = new Secret('PAGERDUTY_KEY', undefined)
    expect(unset.isSet).toBe(false)
    expect(() => unset.reveal()).toThrow('[slokit/core] Secret PAGERDUTY_KEY is not set.')
  })

  it('reveals the value on request', () => {
    expect(secret.reveal()).toBe('https://hooks.slack.com/services/T000/B000/canary')
  })
})

describe('secretSchema', () => {
  it('accepts a Secret as is and wraps a string', () => {
    const secret = new Secret('X', 'v')
    expect(secretSchema.parse(secret)).toBe(secret)
    const wrapped = secretSchema.parse('value')
    expect(wrapped).toBeInstanceOf(Secret)
    expect(wrapped.reveal()).toBe('value')
    expect(wrapped.name).toBe('inline')
  })

  it('rejects empty strings and other types', () => {
    expect(secretSchema.safeParse('').success).toBe(false)
    expect(secretSchema.safeParse(42).success).toBe(false)
  })
})
