import { formatDuration, type SloWindow } from '@slokit/core'
import { createColors } from 'picocolors'
import type { CliIo } from './io.js'

/** The colour functions the CLI uses; all identity functions when colour is off. */
export type Colors = ReturnType<typeof createColors>

/**
 * Colour only on a terminal: off when stdout is not a TTY, with `--no-color`, or with `NO_COLOR`
 * set; `FORCE_COLOR` (other than `0`) turns it on anywhere.
 */
export function colorsFor(io: CliIo, flag: boolean | undefined): Colors {
  const force = io.env.FORCE_COLOR
  let enabled = io.stdout.isTTY === true
  if (force !== undefined) enabled = force !== '0' && force !== 'false'
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') enabled = false
  if (flag === false) enabled = false
  return createColors(enabled)
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching ANSI escape sequences is the point
const ANSI = /\u001b\[[0-9;]*m/g

/** The width a string takes on screen, ignoring colour codes. */
export function visibleWidth(text: string): number {
  return [...text.replace(ANSI, '')].length
}

/** Renders rows as aligned columns; the first row is the header. Numbers-like columns align right. */
export function table(rows: readonly (readonly string[])[], alignRight: readonly number[] = []): string {
  const widths: number[] = []
  for (const row of rows) {
    for (const [i, cell] of row.entries()) widths[i] = Math.max(widths[i] ?? 0, visibleWidth(cell))
  }
  return rows
    .map((row) =>
      row
        .map((cell, i) => {
          const pad = ' '.repeat((widths[i] ?? 0) - visibleWidth(cell))
          return alignRight.includes(i) ? pad + cell : i === row.length - 1 ? cell : cell + pad
        })
        .join('  ')
        .trimEnd(),
    )
    .join('\n')
}

/** `30d`, `month (Europe/Berlin)`. */
export function describeWindow(window: SloWindow): string {
  return window.type === 'rolling' ? formatDuration(window.durationMs) : `${window.unit} (${window.timeZone})`
}

/** `99.9%` without trailing zeros beyond what the number needs. */
export function percent(ratio: number, digits = 4): string {
  return `${Number((ratio * 100).toFixed(digits))}%`
}
