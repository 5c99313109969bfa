import { defineConfig, type Options } from 'tsup'

const shared: Options = {
  sourcemap: true,
  target: 'node20',
  // Workspace packages stay external: a host installs them once, alongside the CLI.
  external: [/^@slokit\//],
}

export default defineConfig([
  {
    ...shared,
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: { compilerOptions: { ignoreDeprecations: '6.0', customConditions: [] } },
  },
  { ...shared, entry: ['src/cli.ts'], format: ['esm'], banner: { js: '#!/usr/bin/env node' } },
])
