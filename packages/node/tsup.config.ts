import { defineConfig } from 'tsup'

export default defineConfig({
  entry: ['src/index.ts', 'src/express.ts', 'src/fastify.ts', 'src/otel.ts'],
  format: ['esm', 'cjs'],
  dts: { compilerOptions: { ignoreDeprecations: '6.0', customConditions: [] } },
  sourcemap: true,
  clean: true,
  target: 'node20',
  // Peers: the host's copies must be used (one `SlokitError`, the host's OpenTelemetry SDK).
  external: ['@slokit/core', '@opentelemetry/sdk-metrics', '@opentelemetry/api'],
})
