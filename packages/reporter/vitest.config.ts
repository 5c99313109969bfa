import { defineConfig } from 'vitest/config'

export default defineConfig({
  resolve: { conditions: ['@slokit/source'] },
  ssr: { resolve: { conditions: ['@slokit/source'] } },
  // The Chromium test starts a browser: give it room on a loaded 2-core machine.
  test: { include: ['src/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 60_000 },
})
