import { defineConfig, type Options } from 'tsup'

const shared: Options = {
  dts: { compilerOptions: { ignoreDeprecations: '6.0', customConditions: [] } },
  sourcemap: true,
  target: 'node20',
  // Peers: the host's copy must be used (one `SlokitError` class, one vitest runner).
  external: ['@slokit/core', 'vitest'],
}

export default defineConfig([
  { ...shared, entry: ['src/index.ts'], format: ['esm', 'cjs'] },
  // vitest is ESM only, and so are the suites that register tests with it.
  { ...shared, entry: ['src/vitest.ts'], format: ['esm'] },
])
