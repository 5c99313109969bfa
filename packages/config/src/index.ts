export type { ConfigIssue } from './config-error.js'
export { formatConfigIssue, SlokitConfigError } from './config-error.js'
export type { ReferenceProblem } from './env-references.js'
export { MAX_DEPTH, resolveEnvReferences } from './env-references.js'
export type { ForeignDocument } from './foreign-formats.js'
export { identifyForeignDocument } from './foreign-formats.js'
export type {
  ConfigCheck,
  ConfigCheckFinding,
  ConfigCheckInput,
  ConfigOptions,
  ConfigOrigin,
  ConfigSection,
  ConfigText,
  ExternalSection,
  SlokitConfig,
} from './load-config.js'
export { CONFIG_API_VERSION, CONFIG_SECTIONS, loadConfig, parseConfig } from './load-config.js'
export { closest, didYouMean, editDistance, knownKeysAt } from './suggest.js'
