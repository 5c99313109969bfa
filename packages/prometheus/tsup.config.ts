import { defineConfig } from 'tsup'

export default defineConfig({
  // Two entries so that reading Prometheus and generating rules never loads prom-client: only
  // `@slokit/prometheus/exporter` needs it (an optional peer dependency). `/testing` holds the
  // integration-test helpers (real Prometheus, promtool, backfill) for other packages' tests.
  entry: ['src/index.ts', 'src/exporter.ts', 'src/testing.ts'],
  format: ['esm', 'cjs'],
  dts: { compilerOptions: { ignoreDeprecations: '6.0', customConditions: [] } },
  sourcemap: true,
  clean: true,
  target: 'node20',
  // Peers: the host's copies must be used, so `instanceof SlokitError` holds and metrics land in
  // the host's prom-client registry.
  external: ['@slokit/core', 'prom-client'],
})
