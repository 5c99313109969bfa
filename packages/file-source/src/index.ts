export type { CreateFileSourceOptions, FileSourceConfig, FileSourceConfigInput } from './config.js'
export { createFileSource, fileSourceConfigSchema } from './config.js'
export type { FileDataProblem } from './data-error.js'
export { FileSourceDataError, MAX_LISTED_PROBLEMS } from './data-error.js'
export type {
  FileSliSummary,
  FileSourceLoadOptions,
  FileSourceOptions,
  FileSourceSummary,
} from './file-source.js'
export { FileSource } from './file-source.js'
export type { FileFormat } from './format.js'
export { FILE_FORMATS, formatOfPath } from './format.js'
export type { OpenedFile, OpenFile } from './open-file.js'
