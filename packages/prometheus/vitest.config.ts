import { defineConfig } from 'vitest/config'

export default defineConfig({
  resolve: { conditions: ['@slokit/source'] },
  ssr: { resolve: { conditions: ['@slokit/source'] } },
  test: {
    include: ['src/**/*.test.ts'],
    // The integration tests start real Prometheus and Pushgateway processes; give them room on a
    // small CI machine without letting a hung process stall the run.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
})
