import { createInterface } from 'node:readline'
import { pipeline, Readable } from 'node:stream'
import { createGunzip } from 'node:zlib'
import type { OpenedFile } from './open-file.js'

/** Bytes between two progress reports. */
export const PROGRESS_STEP_BYTES = 64 * 1024

/** Options of {@link readLines}. */
export interface ReadLinesOptions {
  /** Gunzip the bytes before splitting them into lines. */
  readonly gzip: boolean
  /** Stops reading between chunks once aborted (the caller turns that into its own error). */
  readonly signal: AbortSignal
  /** Called with the bytes read so far (of the file, before gunzip) and the file's size. */
  readonly onProgress?: ((bytesRead: number, totalBytes: number) => void) | undefined
}

/**
 * Streams a file's lines (without their `\n` or `\r\n`) through `node:readline`, never holding
 * more than a chunk and a line in memory. Progress is reported at most every
 * {@link PROGRESS_STEP_BYTES} and once at the end, with `bytesRead === totalBytes`.
 */
export async function* readLines(file: OpenedFile, options: ReadLinesOptions): AsyncGenerator<string> {
  const { gzip, signal, onProgress } = options
  let bytesRead = 0
  let reportedBytes = 0
  async function* counted(): AsyncGenerator<Uint8Array> {
    for await (const chunk of file.chunks) {
      if (signal.aborted) throw signal.reason
      bytesRead += chunk.byteLength
      if (onProgress !== undefined && bytesRead - reportedBytes >= PROGRESS_STEP_BYTES) {
        reportedBytes = bytesRead
        onProgress(bytesRead, Math.max(file.size, bytesRead))
      }
      yield chunk
    }
  }
  const bytes = Readable.from(counted(), { objectMode: false })
  // pipeline() passes a failure of either stream on to the gunzip stream readline reads from.
  const input = gzip ? pipeline(bytes, createGunzip(), () => {}) : bytes
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })
  try {
    for await (const line of lines) {
      if (signal.aborted) throw signal.reason
      yield line
    }
  } finally {
    lines.close()
    input.destroy()
    bytes.destroy()
  }
  // A reader that ends early when aborted must not pass for the whole file.
  if (signal.aborted) throw signal.reason
  if (onProgress !== undefined && !(bytesRead > 0 && reportedBytes === bytesRead && file.size <= bytesRead)) {
    onProgress(bytesRead, bytesRead)
  }
}
