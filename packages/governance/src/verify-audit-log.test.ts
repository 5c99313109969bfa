import { createHash } from 'node:crypto'
import {
  type AuditEntry,
  type AuditRecord,
  canonicalJson,
  GENESIS_HASH,
  hashAuditEntry,
  parseAuditRecord,
  sealAuditEntry,
  toAuditRecord,
  verifyAuditLog,
} from '@slokit/governance'
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { sampleLog } from './test/chain.js'

let log: readonly AuditRecord[]
beforeAll(async () => {
  log = await sampleLog()
})

const entries = () => log.map((r) => (parseAuditRecord(r) as { entry: AuditEntry }).entry)
const bad = (items: readonly (AuditEntry | AuditRecord)[], options = {}) => {
  const result = verifyAuditLog(items, options)
  if (result.ok) expect.fail('expected verification to fail')
  return result.firstBad
}

describe('verifyAuditLog', () => {
  it('passes an untouched log, as records or as entries, and returns its head', () => {
    expect(log).toHaveLength(12)
    const last = entries()[11] as AuditEntry
    expect(verifyAuditLog(log)).toEqual({ ok: true, entries: 12, head: { sequence: 12, hash: last.hash } })
    expect(verifyAuditLog(entries())).toEqual({
      ok: true,
      entries: 12,
      head: { sequence: 12, hash: last.hash },
    })
    expect(verifyAuditLog([])).toEqual({ ok: true, entries: 0, head: null })
  })

  it('chains each entry to the one before: hash = SHA-256(prevHash + canonical JSON without hash)', () => {
    const [first, second] = entries() as [AuditEntry, AuditEntry]
    expect(first.prevHash).toBe(GENESIS_HASH)
    expect(second.prevHash).toBe(first.hash)
    const { hash, ...body } = first
    expect(hash).toBe(
      createHash('sha256')
        .update(GENESIS_HASH + canonicalJson(body))
        .digest('hex'),
    )
    expect(hashAuditEntry(first)).toBe(hash)
  })

  it('names an edited entry', () => {
    const records = log.map((r) =>
      r.sequence === 7 ? { ...r, json: r.json.replace('"not now"', '"ok now"') } : r,
    )
    expect(records[6]?.json).toContain('"ok now"')
    expect(bad(records)).toEqual({
      sequence: 7,
      reason: 'edited',
      detail: 'entry 7: its content does not match its hash',
    })
  })

  it('names an entry whose stored bytes differ from its canonical form, even when they mean the same', () => {
    const spaced = log.map((r) => (r.sequence === 3 ? { ...r, json: r.json.replace('{', '{ ') } : r))
    expect(bad(spaced)).toMatchObject({
      sequence: 3,
      reason: 'edited',
      detail: expect.stringContaining('not the canonical JSON'),
    })
    const reordered = log.map((r) => {
      if (r.sequence !== 3) return r
      const value = JSON.parse(r.json) as Record<string, unknown>
      const { action, ...rest } = value
      return { ...r, json: JSON.stringify({ ...rest, action }) }
    })
    expect(bad(reordered)).toMatchObject({ sequence: 3, reason: 'edited' })
  })

  it('names an unreadable entry as malformed', () => {
    const broken = log.map((r) => (r.sequence === 7 ? { ...r, json: r.json.slice(0, -1) } : r))
    expect(bad(broken)).toEqual({
      sequence: 7,
      reason: 'malformed',
      detail: 'entry 7: its stored text is not valid JSON',
    })
    const shape = log.map((r) =>
      r.sequence === 7 ? { ...r, json: canonicalJson({ ...JSON.parse(r.json), extra: 1 }) } : r,
    )
    expect(bad(shape)).toMatchObject({ sequence: 7, reason: 'malformed' })
  })

  it('names an entry whose content JSON cannot represent exactly as malformed, without throwing', () => {
    const overflow = log.map((r) =>
      r.sequence === 1 ? { ...r, json: r.json.replace('"objective":0.999', '"objective":1e999') } : r,
    )
    expect(overflow[0]?.json).toContain('1e999')
    expect(bad(overflow)).toMatchObject({
      sequence: 1,
      reason: 'malformed',
      detail: expect.stringContaining('cannot be hashed'),
    })
  })

  it('names a removed entry: the first, one in the middle, several', () => {
    expect(bad(log.slice(1))).toMatchObject({
      sequence: 1,
      reason: 'removed',
      detail: 'entry 1 is missing: entry 0 is followed by entry 2',
    })
    expect(bad(log.filter((r) => r.sequence !== 6))).toMatchObject({ sequence: 6, reason: 'removed' })
    expect(bad(log.filter((r) => r.sequence < 4 || r.sequence > 8))).toMatchObject({
      sequence: 4,
      reason: 'removed',
      detail: 'entries 4–8 are missing: entry 3 is followed by entry 9',
    })
  })

  it('cannot see entries removed from the end on its own, but can against an anchor', () => {
    const head = verifyAuditLog(log)
    if (!head.ok || head.head === null) return expect.fail()
    expect(verifyAuditLog(log.slice(0, 10)).ok).toBe(true)
    expect(bad(log.slice(0, 10), { expectedHead: head.head })).toMatchObject({
      sequence: 11,
      reason: 'removed',
    })
    expect(bad([], { expectedHead: head.head })).toMatchObject({ sequence: 1, reason: 'removed' })
    expect(verifyAuditLog(log, { expectedHead: head.head }).ok).toBe(true)
    // A log that grew since the anchor still verifies against it.
    const earlier = verifyAuditLog(log.slice(0, 6))
    if (!earlier.ok || earlier.head === null) return expect.fail()
    expect(verifyAuditLog(log, { expectedHead: earlier.head }).ok).toBe(true)
  })

  it('names re-ordered entries: two swapped, one moved', () => {
    const swapped = [...log]
    ;[swapped[2], swapped[4]] = [swapped[4] as AuditRecord, swapped[2] as AuditRecord]
    expect(bad(swapped)).toMatchObject({
      sequence: 3,
      reason: 'reordered',
      detail: expect.stringContaining('entry 5 stands where it belongs'),
    })
    const moved = [...log.slice(0, 3), ...log.slice(4), log[3] as AuditRecord]
    expect(bad(moved)).toMatchObject({ sequence: 4, reason: 'reordered' })
  })

  it('names a duplicated entry', () => {
    const doubled = [...log.slice(0, 5), log[2] as AuditRecord, ...log.slice(5)]
    expect(bad(doubled)).toMatchObject({
      sequence: 6,
      reason: 'duplicated',
      detail: 'a second copy of entry 3 stands where entry 6 belongs',
    })
  })

  it('names the rewritten entry when its hash was recomputed (the link to the next one breaks)', () => {
    const list = entries()
    const forged = sealAuditEntry({ ...(list[4] as AuditEntry), actor: { id: 'mallory', roles: ['sre'] } })
    const records = list.map((e) => toAuditRecord(e.sequence === 5 ? forged : e))
    expect(bad(records)).toMatchObject({
      sequence: 5,
      reason: 'unlinked',
      detail: expect.stringContaining('entry 6 does not carry the hash of entry 5'),
    })
  })

  it('catches a whole tail rewritten with recomputed hashes only against an anchor', () => {
    const list = entries()
    const anchor = { sequence: 12, hash: (list[11] as AuditEntry).hash }
    let prevHash = (list[7] as AuditEntry).hash
    const rewritten = list.map((entry) => {
      if (entry.sequence <= 8) return entry
      const sealed = sealAuditEntry({ ...entry, atMs: entry.atMs + 1, prevHash })
      prevHash = sealed.hash
      return sealed
    })
    expect(verifyAuditLog(rewritten).ok).toBe(true)
    expect(bad(rewritten, { expectedHead: anchor })).toMatchObject({ sequence: 12, reason: 'unlinked' })
  })

  it('names a record stored under another sequence number than its content says', () => {
    const records = log.map((r) => (r.sequence === 12 ? { ...r, sequence: 40 } : r))
    expect(bad(records)).toMatchObject({
      sequence: 12,
      reason: 'edited',
      detail: 'entry 12 is stored under sequence number 40',
    })
  })

  it('verifies a continuation after an already verified head', () => {
    const list = entries()
    const after = { sequence: 4, hash: (list[3] as AuditEntry).hash }
    expect(verifyAuditLog(log.slice(4), { after })).toMatchObject({ ok: true, entries: 8 })
    expect(bad(log.slice(5), { after })).toMatchObject({ sequence: 5, reason: 'removed' })
    expect(bad(log.slice(4), { after: { sequence: 4, hash: GENESIS_HASH } })).toMatchObject({
      sequence: 5,
      reason: 'unlinked',
    })
  })

  it('names the changed entry whatever single byte of whatever entry is changed (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 11 }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (index, at, delta) => {
          const target = log[index] as AuditRecord
          const bytes = Buffer.from(target.json, 'utf8')
          const position = at % bytes.length
          bytes[position] = ((bytes[position] as number) + delta) % 256
          const records = log.map((r, i) => (i === index ? { ...r, json: bytes.toString('utf8') } : r))
          const result = verifyAuditLog(records)
          return !result.ok && result.firstBad.sequence === target.sequence
        },
      ),
      { numRuns: 1000, seed: 20260101 },
    )
  })

  it('names the first bad entry when several are bad', () => {
    const records = log
      .filter((r) => r.sequence !== 9)
      .map((r) => (r.sequence === 4 ? { ...r, json: r.json.replace('"bob"', '"eve"') } : r))
    expect(bad(records)).toMatchObject({ sequence: 4, reason: 'edited' })
  })
})
