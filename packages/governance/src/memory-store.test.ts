import { GovernanceError, MemoryGovernanceStore } from '@slokit/governance'
import { describeGovernanceStoreContract } from '@slokit/governance/testing'
import { describe, expect, it } from 'vitest'

describeGovernanceStoreContract('MemoryGovernanceStore', () => ({ store: new MemoryGovernanceStore() }), {
  describe,
  it,
})

describe('MemoryGovernanceStore', () => {
  it('starts from records given (an exported log) and refuses use after close', async () => {
    const store = new MemoryGovernanceStore([{ sequence: 1, json: '{}' }])
    expect(await store.append([{ sequence: 2, json: '[]' }])).toBe(true)
    expect((await store.read()).map((r) => r.sequence)).toEqual([1, 2])
    store.close()
    await expect(store.read()).rejects.toBeInstanceOf(GovernanceError)
  })
})
