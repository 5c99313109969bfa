import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { checkArchitecture, importsOf, type PackageFacts, readPackages } from './architecture.js'

const packagesDir = fileURLToPath(new URL('../packages', import.meta.url))

describe('architecture', () => {
  it('every package depends and imports only in the direction of the design', () => {
    expect(checkArchitecture(readPackages(packagesDir))).toEqual([])
  })
})

describe('the architecture check itself', () => {
  const core = (files: Record<string, string> = {}): PackageFacts => ({
    dir: 'core',
    manifest: { name: '@slokit/core', dependencies: { zod: '4.6.7' } },
    files: new Map(Object.entries(files)),
  })
  const alerting = (
    files: Record<string, string>,
    manifest: Partial<PackageFacts['manifest']> = {},
  ): PackageFacts => ({
    dir: 'alerting',
    manifest: { name: '@slokit/alerting', peerDependencies: { '@slokit/core': 'workspace:^' }, ...manifest },
    files: new Map(Object.entries(files)),
  })

  it('finds import specifiers in every form', () => {
    const source = [
      "import { a } from '@slokit/core'",
      "import type { B } from './b.js'",
      "export { c } from '../c.js'",
      "import 'side-effect'",
      "const d = await import('dynamic')",
      "const e = require('cjs')",
      'import {\n  f,\n  g,\n} from "multi-line"',
    ].join('\n')
    expect(importsOf(source)).toEqual([
      '@slokit/core',
      './b.js',
      '../c.js',
      'side-effect',
      'dynamic',
      'cjs',
      'multi-line',
    ])
  })

  it('accepts a clean adapter', () => {
    expect(
      checkArchitecture([core(), alerting({ 'src/a.ts': "import { parseSlo } from '@slokit/core'" })]),
    ).toEqual([])
  })

  it('catches core importing an adapter', () => {
    const bad = core({ 'src/x.ts': "import { createEngine } from '@slokit/engine'" })
    expect(checkArchitecture([bad])).toEqual([
      'packages/core/src/x.ts: imports @slokit/engine, which is not a dependency or peer dependency in package.json',
    ])
    const declared = {
      ...bad,
      manifest: { ...bad.manifest, dependencies: { zod: '4', '@slokit/engine': '1' } },
    }
    expect(checkArchitecture([declared])).toContain(
      'packages/core: depends on @slokit/engine, against the dependency direction',
    )
  })

  it("catches a reach into another package's internals, by path or by subpath", () => {
    const problems = checkArchitecture([
      core(),
      alerting({
        'src/a.ts': "import { x } from '../../core/src/tracker.js'",
        'src/b.ts': "import { y } from '@slokit/core/src/tracker'",
      }),
    ])
    expect(problems).toEqual([
      'packages/alerting/src/a.ts: imports ../../core/src/tracker.js, outside its own package',
      'packages/alerting/src/b.ts: imports @slokit/core/src/tracker; import @slokit/core by its entry points, never its internals',
    ])
  })

  it('accepts a subpath the target package publishes in its exports map', () => {
    const testing: PackageFacts = {
      dir: 'testing',
      manifest: {
        name: '@slokit/testing',
        exports: { '.': './dist/index.js', './vitest': './dist/vitest.js' },
        peerDependencies: { '@slokit/core': 'workspace:^' },
      },
      files: new Map(),
    }
    const user = alerting(
      {
        'src/a.test.ts':
          "import { d } from '@slokit/testing/vitest'\nimport { e } from '@slokit/testing/src/x'",
      },
      {
        devDependencies: { '@slokit/testing': 'workspace:^' },
      },
    )
    expect(checkArchitecture([core(), testing, user])).toEqual([
      'packages/alerting/src/a.test.ts: imports @slokit/testing/src/x; import @slokit/testing by its entry points, never its internals',
    ])
  })

  it('catches an undeclared third-party import and a disallowed dependency', () => {
    const problems = checkArchitecture([
      core({ 'src/a.ts': "import { parse } from 'yaml'" }),
      alerting({}, { dependencies: { 'left-pad': '1' } }),
    ])
    expect([...problems].sort()).toEqual([
      'packages/alerting: depends on left-pad, which the design does not allow it',
      'packages/core/src/a.ts: imports yaml, which is not a dependency or peer dependency in package.json',
    ])
  })

  it('insists adapters take core as a peer dependency', () => {
    expect(
      checkArchitecture([
        core(),
        alerting({}, { peerDependencies: {}, dependencies: { '@slokit/core': '1' } }),
      ]),
    ).toEqual([
      'packages/alerting: takes @slokit/core as a dependency; make it a peer dependency so hosts have one copy',
    ])
  })

  it('catches a dependency cycle, including through devDependencies', () => {
    const cyclic = core()
    cyclic.manifest.devDependencies = { '@slokit/alerting': 'workspace:^' }
    expect(checkArchitecture([cyclic, alerting({})])).toContain(
      'dependency cycle: @slokit/core → @slokit/alerting → @slokit/core',
    )
  })

  it('reports a package missing from the table', () => {
    expect(
      checkArchitecture([{ dir: 'mystery', manifest: { name: '@slokit/mystery' }, files: new Map() }]),
    ).toEqual([
      'packages/mystery: not in the architecture table (.ci/architecture.ts): add it with its allowed dependencies',
    ])
  })
})
