import { defineConfig } from 'vitest/config'

// Examples run against the built packages, exactly as a user's project would.
export default defineConfig({
  test: { include: ['src/**/*.test.ts'], testTimeout: 30_000 },
})
