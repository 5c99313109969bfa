import { defineConfig } from 'tsup'

export default defineConfig({
  entry: ['src/index.ts', 'src/testing.ts'],
  format: ['esm', 'cjs'],
  dts: { compilerOptions: { ignoreDeprecations: '6.0', customConditions: [] } },
  sourcemap: true,
  clean: true,
  target: 'node20',
  // Peer: the host's copy must be used, so `instanceof SlokitError` holds. The foundation SDK
  // stays a dependency the bundle imports (CommonJS, subpath exports only).
  external: ['@slokit/core', /^@grafana\/grafana-foundation-sdk/],
})
