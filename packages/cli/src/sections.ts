import { policiesSectionSchema } from '@slokit/budget'
import type { ConfigOptions } from '@slokit/config'

/**
 * The schemas of the config sections other packages own, as far as this CLI knows them. Each
 * package that validates a section registers its schema here; a section without one is reported
 * by the loader as "not validated".
 */
export const SECTION_SCHEMAS: NonNullable<ConfigOptions['sections']> = {
  policies: policiesSectionSchema,
}
