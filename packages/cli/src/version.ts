import pkg from '../package.json' with { type: 'json' }

/** The version of this package, for `slokit --version`. */
export const version: string = pkg.version
