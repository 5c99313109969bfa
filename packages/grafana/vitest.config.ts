import { defineConfig } from 'vitest/config'

export default defineConfig({
  resolve: { conditions: ['@slokit/source'] },
  ssr: { resolve: { conditions: ['@slokit/source'] } },
  test: {
    include: ['src/**/*.test.ts'],
    // The PromQL acceptance test starts a real Prometheus and backfills a month of data; give it
    // room on a small CI machine without letting a hung process stall the run.
    testTimeout: 60_000,
    hookTimeout: 240_000,
  },
})
