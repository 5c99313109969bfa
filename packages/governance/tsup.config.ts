import { defineConfig } from 'tsup'

export default defineConfig({
  entry: ['src/index.ts', 'src/sqlite.ts', 'src/testing.ts'],
  format: ['esm', 'cjs'],
  // The subpaths import the main entry by name, so a host loads one copy of it (one
  // `GovernanceError` class for `instanceof`), ESM or CJS. Declarations resolve it to the sources.
  dts: { compilerOptions: { ignoreDeprecations: '6.0', customConditions: ['@slokit/source'] } },
  sourcemap: true,
  clean: true,
  target: 'node20',
  // Peers: the host's copies must be used. better-sqlite3 is never imported (the host injects it).
  external: ['@slokit/core', '@slokit/governance', 'better-sqlite3'],
})
