import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

// The whole suite in one run (every package's own vitest.config.ts plus the repository checks
// here), so CI gets one summary line. Per-package runs (`pnpm --filter @slokit/core test`) use
// the package's config alone.
export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    projects: [
      'packages/*',
      'examples/*',
      {
        // The docs checks import the packages' schemas: read them from source, like the packages' tests.
        resolve: { conditions: ['@slokit/source'] },
        ssr: { resolve: { conditions: ['@slokit/source'] } },
        test: {
          name: 'repository',
          root: fileURLToPath(new URL('.', import.meta.url)),
          include: ['*.test.ts'],
        },
      },
    ],
    reporters: ['default', fileURLToPath(new URL('./summary-reporter.ts', import.meta.url))],
  },
})
