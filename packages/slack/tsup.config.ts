import { defineConfig } from 'tsup'

export default defineConfig({
  entry: ['src/index.ts', 'src/testing.ts'],
  format: ['esm', 'cjs'],
  dts: { compilerOptions: { ignoreDeprecations: '6.0', customConditions: [] } },
  sourcemap: true,
  clean: true,
  target: 'node20',
  // Peers: the host's copies must be used, so `instanceof SlokitError` holds.
  external: ['@slokit/core', '@slokit/alerting'],
})
