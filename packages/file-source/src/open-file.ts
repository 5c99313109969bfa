import { open } from 'node:fs/promises'

/** A file opened for streaming, as {@link OpenFile} returns it. */
export interface OpenedFile {
  /** Size in bytes, for progress reports; 0 when unknown (a pipe). */
  readonly size: number
  /** The file's bytes, in order; iterated once. */
  readonly chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>
}

/**
 * Opens a file for streaming. `FileSource` uses `node:fs` unless handed another, e.g. a fake in
 * tests or a reader for object storage. Rejections become `SOURCE_FAILED` errors naming the path;
 * `signal` aborts when the load is aborted (honouring it is optional: the reader also stops
 * between chunks).
 */
export type OpenFile = (path: string, options: { readonly signal: AbortSignal }) => Promise<OpenedFile>

const CHUNK_BYTES = 64 * 1024

/** The default {@link OpenFile}: `node:fs`, in 64 KiB chunks. */
export const openNodeFile: OpenFile = async (path, { signal }) => {
  const handle = await open(path, 'r')
  try {
    const { size } = await handle.stat()
    // The stream closes the handle when it ends, fails or is destroyed.
    const stream = handle.createReadStream({ highWaterMark: CHUNK_BYTES })
    const stop = (): void => {
      stream.destroy()
    }
    signal.addEventListener('abort', stop, { once: true })
    stream.once('close', () => signal.removeEventListener('abort', stop))
    return { size, chunks: stream }
  } catch (error) {
    await handle.close()
    throw error
  }
}
