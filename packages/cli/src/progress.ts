import type { Output } from './io.js'

/** A progress bar on stderr for work that takes a while. */
export interface Progress {
  update(done: number, total: number): void
  finish(): void
}

/**
 * A progress bar that appears only on a terminal and only once the work has taken longer than
 * `delayMs` (one second by default), so quick runs and piped output stay clean.
 */
export function createProgress(out: Output, label: string, now: () => number, delayMs = 1000): Progress {
  const started = now()
  let drawn = false
  let lastDraw = 0
  return {
    update(done, total) {
      if (out.isTTY !== true) return
      const t = now()
      if (t - started < delayMs || t - lastDraw < 100) return
      lastDraw = t
      drawn = true
      const fraction = total > 0 ? Math.min(1, done / total) : 0
      const width = 30
      const filled = Math.round(fraction * width)
      const mb = (n: number) => (n / 1_048_576).toFixed(1)
      out.write(
        `\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.round(fraction * 100)}% ${mb(done)}/${mb(total)} MB`,
      )
    },
    finish() {
      if (drawn) out.write('\r\u001b[2K')
    },
  }
}
