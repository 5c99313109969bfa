/** The file formats {@link FileSource} reads. */
export const FILE_FORMATS = ['csv', 'jsonl'] as const

/** One of {@link FILE_FORMATS}: CSV with a header row, or JSON Lines. */
export type FileFormat = (typeof FILE_FORMATS)[number]

const EXTENSION = /\.(csv|jsonl|ndjson)(\.gz)?$/i

/**
 * What a file's name says about it: its format (`.csv`, `.jsonl`, `.ndjson`) and whether it is
 * gzip-compressed (a further `.gz`). The format is `undefined` for any other name.
 *
 * @example
 * ```ts
 * formatOfPath('exports/requests.ndjson.gz') // { format: 'jsonl', gzip: true }
 * formatOfPath('requests.tsv')               // { format: undefined, gzip: false }
 * ```
 */
export function formatOfPath(path: string): { format: FileFormat | undefined; gzip: boolean } {
  const match = EXTENSION.exec(path)
  if (match === null) return { format: undefined, gzip: /\.gz$/i.test(path) }
  const extension = (match[1] as string).toLowerCase()
  return { format: extension === 'csv' ? 'csv' : 'jsonl', gzip: match[2] !== undefined }
}
