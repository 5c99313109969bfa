import { defineConfig } from 'vitest/config'

export default defineConfig({
  resolve: { conditions: ['@slokit/source'] },
  ssr: { resolve: { conditions: ['@slokit/source'] } },
  test: { include: ['src/**/*.test.ts'] },
})
