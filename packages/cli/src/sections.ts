import type { ConfigOptions } from '@slokit/config'

/**
 * The schemas of the config sections other packages own, as far as this CLI knows them. Each
 * package that validates a section (`@slokit/budget` for `policies`, …) registers its schema
 * here; until then the loader reports the section as "not validated".
 */
export const SECTION_SCHEMAS: NonNullable<ConfigOptions['sections']> = {}
