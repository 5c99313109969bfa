import { objectiveSchema, type SliSpec } from '@slokit/core'
import {
  isCollection,
  isMap,
  isScalar,
  isSeq,
  type Node,
  type Pair,
  parseAllDocuments,
  stringify,
  type YAMLMap,
} from 'yaml'
import { GovernanceError } from './errors.js'
import type { SloChange } from './slo-definition.js'

interface Edit {
  readonly start: number
  readonly end: number
  readonly text: string
}

/**
 * Writes an SLO's changes into the YAML text of a configuration file — the git-based flow:
 * approve in slokit, apply to the file, review the diff, commit. Only the changed values of that
 * one SLO are rewritten, as text edits: every other byte of the file — comments (including one
 * after a changed value), blank lines, quoting, the other documents of the stream — stays as it
 * was, so the diff shows the change and nothing else. Objectives are written as percent strings
 * (`99.95%`), durations as `30d`, new mappings on one line (`{ calendar: month, timeZone: UTC }`);
 * an SLO whose `sli` names an SLI by id keeps naming it by id; a removed field loses its line.
 *
 * It does not check that the file still holds the values the changes were made from: a
 * proposal's `rollout` says whether the configuration is `pending` (safe to apply).
 *
 * @example
 * ```ts
 * const text = await readFile('slo.yaml', 'utf8')
 * await writeFile('slo.yaml', updateSloInYaml(text, proposal.sloId, proposal.version.changes))
 * ```
 * @throws {@link GovernanceError} `INVALID_INPUT` when the text is not valid YAML or the SLO is
 * written as a one-line mapping, and `UNKNOWN_SLO` when no document of it lists the SLO under
 * `slos`.
 */
export function updateSloInYaml(text: string, sloId: string, changes: readonly SloChange[]): string {
  const slo = findSlo(text, sloId)
  const edits: Edit[] = []
  const added: string[] = []
  const pairs = slo.items as Pair<Node, Node | null>[]
  const indent = columnOf(text, (pairs[0]?.key?.range?.[0] as number) ?? 0)
  for (const change of changes) {
    const pair = pairs.find((p) => isScalar(p.key) && p.key.value === change.field)
    const value = pair?.value ?? undefined
    if (change.to === null) {
      if (pair !== undefined) edits.push(removeLine(text, pair))
      continue
    }
    let written = yamlValue(change)
    if (change.field === 'sli' && isScalar(value)) written = (change.to as unknown as SliSpec).id
    const valueText = toYaml(written)
    if (pair === undefined || value === undefined || value === null || value.range == null) {
      added.push(`${' '.repeat(indent)}${change.field}: ${valueText}\n`)
      continue
    }
    const [start, valueEnd] = value.range
    if (isCollection(value) && value.flow !== true) {
      // A block mapping below its key: replace from the key's end, on one line.
      const keyEnd = (pair.key as Node).range?.[1] as number
      edits.push({
        start: keyEnd,
        end: valueEnd,
        text: `: ${valueText}${text[valueEnd - 1] === '\n' ? '\n' : ''}`,
      })
    } else {
      edits.push({ start, end: valueEnd, text: valueText })
    }
  }
  if (added.length > 0) {
    const last = pairs[pairs.length - 1] as Pair<Node, Node | null>
    const end = lineEnd(text, (last.value?.range?.[2] ?? last.key?.range?.[2] ?? 0) as number)
    const newline = end > 0 && text[end - 1] !== '\n' ? '\n' : ''
    edits.push({ start: end, end, text: newline + added.join('') })
  }
  let out = text
  for (const edit of edits.sort((a, b) => b.start - a.start)) {
    out = out.slice(0, edit.start) + edit.text + out.slice(edit.end)
  }
  return out
}

function findSlo(text: string, sloId: string): YAMLMap {
  const documents = parseAllDocuments(text)
  if (!Array.isArray(documents))
    throw new GovernanceError('UNKNOWN_SLO', `No SLO \`${sloId}\`: the text is empty.`)
  let found: YAMLMap | undefined
  for (const document of documents) {
    if (document.errors.length > 0) {
      throw new GovernanceError(
        'INVALID_INPUT',
        `Cannot update the YAML: ${document.errors[0]?.message ?? 'syntax error'}`,
      )
    }
    const slos = document.get('slos', true)
    if (!isSeq(slos)) continue
    for (const item of slos.items) if (isMap(item) && item.get('id') === sloId) found = item
  }
  if (found === undefined) {
    throw new GovernanceError('UNKNOWN_SLO', `No SLO \`${sloId}\` under \`slos\` in this YAML text.`, {
      hint: 'update the file that defines it: `originOf(id)` of the loaded configuration names it',
    })
  }
  if (found.flow === true) {
    throw new GovernanceError(
      'INVALID_INPUT',
      `SLO \`${sloId}\` is written on one line (\`{ … }\`): edit it by hand.`,
    )
  }
  return found
}

function removeLine(text: string, pair: Pair<Node, Node | null>): Edit {
  const keyStart = pair.key?.range?.[0] as number
  const start = text.lastIndexOf('\n', keyStart - 1) + 1
  const end = lineEnd(text, (pair.value?.range?.[2] ?? pair.key?.range?.[2] ?? keyStart) as number)
  // The first key of a sequence item shares its line with the `- `: keep the dash.
  const lead = text.slice(start, keyStart)
  if (lead.trim() === '-') return { start: keyStart, end, text: '' }
  return { start, end, text: '' }
}

/** The offset just past the newline ending the line that `offset` is on (or touches the end of). */
function lineEnd(text: string, offset: number): number {
  if (offset > 0 && text[offset - 1] === '\n') return offset
  const newline = text.indexOf('\n', offset)
  return newline < 0 ? text.length : newline + 1
}

function columnOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1)
}

function toYaml(value: unknown): string {
  if (typeof value === 'string' && value.includes('\n')) return JSON.stringify(value)
  const written = stringify(value, { collectionStyle: 'flow', lineWidth: 0 }).trimEnd()
  return written.includes('\n') ? JSON.stringify(value) : written
}

function yamlValue(change: SloChange): unknown {
  const value = change.to
  if (change.field === 'objective' && typeof value === 'number') return percent(value)
  if (change.field === 'timeslice' && typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const slice = value as { readonly objective?: unknown }
    return typeof slice.objective === 'number'
      ? { ...slice, objective: percent(slice.objective) }
      : { ...slice }
  }
  return value
}

/** `99.95%` when that reads back as exactly the same ratio, else the ratio. */
function percent(ratio: number): string | number {
  const text = `${Number((ratio * 100).toPrecision(12))}%`
  const back = objectiveSchema.safeParse(text)
  return back.success && back.data === ratio ? text : ratio
}
