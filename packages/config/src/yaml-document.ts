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
import type { ConfigIssue } from './config-error.js'

/** One YAML document of a config source, with what is needed to point at its nodes. */
export interface YamlDocument {
  /** The file name (or label) the document came from. */
  readonly file: string
  /** Position of the document in its file's stream, from 0. */
  readonly index: number
  readonly doc: Document
  readonly lines: LineCounter
}

/** Where a node (or the deepest existing ancestor of a missing one) starts. */
export interface Position {
  readonly line: number
  readonly column: number
}

/** Most aliases a document may expand, against "billion laughs" documents. */
const MAX_ALIASES = 100

/**
 * Parses a YAML stream into documents. Syntax problems become issues with their position; a
 * document with syntax errors is left out (its content cannot be trusted).
 */
export function parseYamlStream(
  file: string,
  text: string,
): { documents: YamlDocument[]; issues: ConfigIssue[] } {
  const lines = new LineCounter()
  const issues: ConfigIssue[] = []
  const documents: YamlDocument[] = []
  let parsed: ReturnType<typeof parseAllDocuments>
  try {
    parsed = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true })
  } catch {
    // The parser recurses per nesting level; pathological input can exhaust the stack.
    issues.push({
      severity: 'error',
      file,
      line: 0,
      column: 0,
      path: [],
      message: 'cannot parse the file: it is nested too deeply',
    })
    return { documents, issues }
  }
  const list = Array.isArray(parsed) ? parsed : []
  list.forEach((doc, index) => {
    for (const error of doc.errors) {
      const at = lines.linePos(error.pos[0])
      const hint = hintFor(text.split('\n')[at.line - 1] ?? '')
      issues.push({
        severity: 'error',
        file,
        line: at.line,
        column: at.col,
        path: [],
        message: `YAML syntax error: ${firstLine(error.message)}`,
        ...(hint === undefined ? {} : { hint }),
      })
    }
    for (const warning of doc.warnings) {
      const at = lines.linePos(warning.pos[0])
      issues.push({
        severity: 'warning',
        file,
        line: at.line,
        column: at.col,
        path: [],
        message: `YAML: ${firstLine(warning.message)}`,
      })
    }
    if (doc.errors.length === 0) documents.push({ file, index, doc, lines })
  })
  return { documents, issues }
}

// `{` opens a flow mapping in YAML, so `{ url: ${env:URL} }` is a syntax error: say how to fix it.
function hintFor(line: string): string | undefined {
  return /[[{].*[^'"]\$\{env:/.test(line)
    ? "inside `{ … }` or `[ … ]`, quote secret references: '${env:NAME}'"
    : undefined
}

// yaml's messages carry a code excerpt after the first line; the position is reported separately.
function firstLine(message: string): string {
  return message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? message
}

/** The document's content as plain JavaScript, or an issue when it cannot be converted. */
export function toPlain(document: YamlDocument): { value: unknown } | { issue: ConfigIssue } {
  try {
    return { value: document.doc.toJS({ maxAliasCount: MAX_ALIASES }) }
  } catch (error) {
    const message = error instanceof Error ? firstLine(error.message) : 'cannot read the document'
    return {
      issue: { severity: 'error', file: document.file, ...positionOf(document, []), path: [], message },
    }
  }
}

function keyOf(node: unknown): unknown {
  return isScalar(node) ? node.value : node
}

/**
 * Where `path` points in the document: the key of the last segment when `atKey` (so an unknown
 * key is reported on the key itself), else the value; for a path that does not exist (a missing
 * key), the deepest node that does.
 */
export function positionOf(
  document: YamlDocument,
  path: ReadonlyArray<string | number>,
  atKey = false,
): Position {
  const { doc, lines } = document
  let node: unknown = doc.contents
  let offset = isNode(node) ? (node.range?.[0] ?? 0) : 0
  for (let i = 0; i < path.length; i++) {
    if (isAlias(node)) node = node.resolve(doc)
    const segment = path[i]
    if (isMap(node)) {
      const pair = node.items.find((item) => keyOf(item.key) === segment)
      if (pair === undefined) break
      const last = i === path.length - 1
      const keyNode = pair.key as Node | null
      if ((last && atKey) || pair.value === null) {
        offset = keyNode?.range?.[0] ?? offset
        if (pair.value === null) break
        node = pair.value
        continue
      }
      node = pair.value
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
