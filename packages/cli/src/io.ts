/** Something text can be written to: `process.stdout`, or a buffer in tests. */
export interface Output {
  write(text: string): unknown
  /** True when connected to a terminal: colour and progress bars only then. */
  readonly isTTY?: boolean | undefined
  /** Terminal width, when known. */
  readonly columns?: number | undefined
}

/** Everything the CLI touches outside itself, injected so tests run it in-process. */
export interface CliIo {
  readonly stdout: Output
  readonly stderr: Output
  readonly env: Readonly<Record<string, string | undefined>>
  /** Epoch milliseconds; `Date.now` in the real CLI. */
  now(): number
  /**
   * Calls `listener` once when the process is asked to stop (SIGINT, SIGTERM) and returns a
   * function that stops listening. Only long-running commands (`slokit run`) use it.
   */
  onShutdown?(listener: () => void): () => void
}

/** The real process: its streams, environment and clock. */
export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    now: () => Date.now(),
    onShutdown: (listener) => {
      const once = () => {
        process.off('SIGINT', once)
        process.off('SIGTERM', once)
        listener()
      }
      process.once('SIGINT', once)
      process.once('SIGTERM', once)
      return () => {
        process.off('SIGINT', once)
        process.off('SIGTERM', once)
      }
    },
  }
}
