import { resolve } from 'node:path'
import { durationSchema } from '@slokit/core'
import { z } from 'zod'
import { FileSource, type FileSourceOptions } from './file-source.js'
import { FILE_FORMATS } from './format.js'

/**
 * A file source in a configuration's `sources` section. `resolution` is a duration string
 * (`1m`, `5m`) and parses to milliseconds.
 *
 * @example
 * ```yaml
 * sources:
 *   october:
 *     type: file
 *     path: exports/checkout-2026-10.csv.gz
 *     resolution: 1m
 * ```
 */
export const fileSourceConfigSchema = z.strictObject({
  type: z.literal('file'),
  path: z.string().min(1),
  format: z.enum(FILE_FORMATS).optional(),
  resolution: durationSchema.optional(),
})

/** A file source's configuration as written (`resolution` a duration string). */
export type FileSourceConfigInput = z.input<typeof fileSourceConfigSchema>

/** A file source's configuration after {@link fileSourceConfigSchema} parsed it (`resolution` in ms). */
export type FileSourceConfig = z.output<typeof fileSourceConfigSchema>

/** Options of {@link createFileSource}. */
export interface CreateFileSourceOptions {
  /** The directory a relative `path` resolves against, usually the configuration file's directory. */
  readonly baseDir: string
  /** The source's name, e.g. its key in the `sources` section; `file` by default. */
  readonly name?: string | undefined
  /** See {@link FileSourceOptions.onProgress}. */
  readonly onProgress?: FileSourceOptions['onProgress']
  /** See {@link FileSourceOptions.openFile}. */
  readonly openFile?: FileSourceOptions['openFile']
}

/**
 * Builds a {@link FileSource} from a parsed configuration entry, resolving a relative `path`
 * against `baseDir`.
 *
 * @example
 * ```ts
 * const config = fileSourceConfigSchema.parse({ type: 'file', path: 'exports/october.csv', resolution: '1m' })
 * const source = createFileSource(config, { baseDir: '/etc/slokit', name: 'october' })
 * source.path // '/etc/slokit/exports/october.csv'
 * ```
 * @throws `SlokitError` `INVALID_ARGUMENT` as {@link FileSource} does.
 */
export function createFileSource(config: FileSourceConfig, options: CreateFileSourceOptions): FileSource {
  return new FileSource({
    path: resolve(options.baseDir, config.path),
    format: config.format,
    resolutionMs: config.resolution,
    name: options.name,
    onProgress: options.onProgress,
    openFile: options.openFile,
  })
}
