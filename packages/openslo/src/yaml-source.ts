import {
  type Document,
  isAlias,
  isMap,
  isNode,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseAllDocuments,
} from 'yaml'
import type { OpenSloIssue } from './errors.js'

/** A named piece of OpenSLO text (YAML or JSON), for {@link importOpenSlo}. */
export interface OpenSloText {
  /** Shown in every issue: a file path, or a label such as `<stdin>`. */
  readonly name: string
  readonly text: string
}

/** One OpenSLO object read from a file, and how to point at its parts. */
export interface SourceObject {
  readonly value: unknown
  readonly file: string
  /** Path of the object from the root of its YAML document (`[]`, or `[i]` in a list file). */
  readonly base: ReadonlyArray<string | number>
  /** Line and column of `path` (relative to the object); the key itself when `atKey`. */
  readonly locate: (path: ReadonlyArray<string | number>, atKey?: boolean) => { line: number; column: number }
}

const MAX_ALIASES = 100

/**
 * Reads every OpenSLO object of a text: each YAML document is one object or a list of objects
 * (the form the OpenSLO SDKs write). Syntax problems become issues with their position.
 */
export function readObjects(source: OpenSloText): { objects: SourceObject[]; issues: OpenSloIssue[] } {
  const lines = new LineCounter()
  const issues: OpenSloIssue[] = []
  const objects: SourceObject[] = []
  const fail = (line: number, column: number, message: string) =>
    issues.push({ severity: 'error', file: source.name, line, column, path: [], message })
  let documents: Document[]
  try {
    const parsed = parseAllDocuments(source.text, {
      lineCounter: lines,
      prettyErrors: false,
      uniqueKeys: true,
    })
    documents = Array.isArray(parsed) ? parsed : []
  } catch {
    fail(0, 0, 'cannot parse the file: it is nested too deeply')
    return { objects, issues }
  }
  for (const doc of documents) {
    if (doc.errors.length > 0) {
      for (const error of doc.errors) {
        const at = lines.linePos(error.pos[0])
        fail(at.line, at.col, `YAML syntax error: ${firstLine(error.message)}`)
      }
      continue
    }
    let value: unknown
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIASES })
    } catch (error) {
      fail(0, 0, error instanceof Error ? firstLine(error.message) : 'cannot read the document')
      continue
    }
    if (value === null || value === undefined) continue
    const make = (item: unknown, base: Array<string | number>): SourceObject => ({
      value: item,
      file: source.name,
      base,
      locate: (path, atKey = false) => positionOf(doc, lines, [...base, ...path], atKey),
    })
    if (Array.isArray(value)) for (const [i, item] of value.entries()) objects.push(make(item, [i]))
    else objects.push(make(value, []))
  }
  return { objects, issues }
}

function firstLine(message: string): string {
  return message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? message
}

const keyOf = (node: unknown): unknown => (isScalar(node) ? node.value : node)

// Where `path` points: the key of the last segment when `atKey`, else the value; for a path that
// does not exist (a missing key), the deepest node that does.
function positionOf(
  doc: Document,
  lines: LineCounter,
  path: ReadonlyArray<string | number>,
  atKey: boolean,
): { line: number; column: number } {
  let node: unknown = doc.contents
  let offset = isNode(node) ? (node.range?.[0] ?? 0) : 0
  for (let i = 0; i < path.length; i++) {
    if (isAlias(node)) node = node.resolve(doc)
    const segment = path[i]
    if (isMap(node)) {
      const pair = node.items.find((item) => keyOf(item.key) === segment)
      if (pair === undefined) break
      const keyNode = pair.key as Node | null
      if ((i === path.length - 1 && atKey) || pair.value === null) {
        offset = keyNode?.range?.[0] ?? offset
        if (pair.value === null) break
      }
      node = pair.value
      if (i === path.length - 1 && atKey) break
    } else if (isSeq(node) && typeof segment === 'number' && node.items[segment] !== undefined) {
      node = node.items[segment]
    } else {
      break
    }
    if (isNode(node) && node.range !== undefined && node.range !== null) offset = node.range[0]
  }
  const { line, col } = lines.linePos(offset)
  return { line, column: col }
}
