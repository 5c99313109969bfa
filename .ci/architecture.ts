import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { join, relative, resolve } from 'node:path'

/**
 * The dependency direction of the design's package table: which `@slokit/*` packages each
 * package may depend on and import, and which third-party packages it may use at run time.
 * Everything points towards `core`; adapters never depend on each other.
 */
export const ALLOWED: Readonly<Record<string, { slokit: readonly string[]; thirdParty: readonly string[] }>> =
  {
    core: { slokit: [], thirdParty: ['zod'] },
    config: { slokit: ['core'], thirdParty: ['yaml', 'zod'] },
    openslo: { slokit: ['core'], thirdParty: ['yaml', 'zod'] },
    budget: { slokit: ['core'], thirdParty: ['zod', 'rrule'] },
    // vitest: the optional peer of the `/vitest` subpath (the Notifier conformance suite).
    alerting: { slokit: ['core'], thirdParty: ['zod', 'vitest'] },
    reporter: { slokit: ['core'], thirdParty: ['zod'] },
    governance: { slokit: ['core'], thirdParty: ['zod', 'yaml', 'better-sqlite3'] },
    engine: { slokit: ['core', 'budget', 'alerting'], thirdParty: ['zod'] },
    prometheus: { slokit: ['core'], thirdParty: ['prom-client', 'yaml', 'zod'] },
    grafana: { slokit: ['core'], thirdParty: ['@grafana/grafana-foundation-sdk'] },
    slack: { slokit: ['core', 'alerting'], thirdParty: ['@slack/types', 'zod'] },
    pagerduty: { slokit: ['core', 'alerting'], thirdParty: ['zod'] },
    node: { slokit: ['core'], thirdParty: ['@opentelemetry/api', 'express', 'fastify'] },
    testing: { slokit: ['core', 'alerting', 'budget', 'engine'], thirdParty: ['vitest'] },
    'file-source': { slokit: ['core'], thirdParty: ['zod'] },
    cli: { slokit: ['*'], thirdParty: ['*'] },
  }

export interface Manifest {
  name: string
  exports?: Record<string, unknown> | string
  dependencies?: Record<string, string>
  peerDependencies?: Record<string, string>
  optionalDependencies?: Record<string, string>
  devDependencies?: Record<string, string>
}

export interface PackageFacts {
  /** Folder name under packages/, e.g. `core`. */
  dir: string
  manifest: Manifest
  /** Source files as path (relative to the package) → contents. */
  files: ReadonlyMap<string, string>
}

const IMPORT =
  /(?:^|[^\w.])(?:import|export)\s[^'"`]*?from\s*['"]([^'"]+)['"]|(?:^|[^\w.])import\s*\(\s*['"]([^'"]+)['"]\s*\)|(?:^|[^\w.])import\s+['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)/gm

const COMMENTS = /\/\*[\s\S]*?\*\/|(^|[^:'"`\\])\/\/[^\n]*/g

/** Every module specifier a TypeScript file imports, re-exports or requires (comments ignored). */
export function importsOf(source: string): string[] {
  const found: string[] = []
  const code = source.replace(COMMENTS, (_, before: string | undefined) => before ?? '')
  for (const match of code.matchAll(IMPORT)) {
    const spec = match[1] ?? match[2] ?? match[3] ?? match[4]
    if (spec !== undefined) found.push(spec)
  }
  return found
}

function packageNameOf(spec: string): string {
  const parts = spec.split('/')
  return spec.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] as string)
}

const isTestFile = (path: string): boolean => /\.test\.ts$|(^|\/)test\//.test(path)

/** Checks the packages against {@link ALLOWED} and the import rules; returns one line per violation. */
export function checkArchitecture(packages: readonly PackageFacts[]): string[] {
  const problems: string[] = []
  const workspace = new Set(packages.map((p) => p.manifest.name))
  // Subpaths a package publishes in its `exports` map are entry points, not internals.
  const entryPoints = new Map(
    packages.map((p) => [
      p.manifest.name,
      new Set(typeof p.manifest.exports === 'object' ? Object.keys(p.manifest.exports) : ['.']),
    ]),
  )
  for (const pkg of packages) {
    const rules = ALLOWED[pkg.dir]
    const where = `packages/${pkg.dir}`
    if (rules === undefined) {
      problems.push(
        `${where}: not in the architecture table (.ci/architecture.ts): add it with its allowed dependencies`,
      )
      continue
    }
    const runtime = {
      ...pkg.manifest.dependencies,
      ...pkg.manifest.peerDependencies,
      ...pkg.manifest.optionalDependencies,
    }
    const allowedSlokit = (name: string) =>
      rules.slokit.includes('*') || rules.slokit.includes(name.replace('@slokit/', ''))
    const allowedThirdParty = (name: string) =>
      rules.thirdParty.includes('*') || rules.thirdParty.includes(name) || name.startsWith('@types/')
    for (const name of Object.keys(runtime)) {
      if (name === pkg.manifest.name) continue
      if (name.startsWith('@slokit/')) {
        if (!allowedSlokit(name))
          problems.push(`${where}: depends on ${name}, against the dependency direction`)
      } else if (!allowedThirdParty(name)) {
        problems.push(`${where}: depends on ${name}, which the design does not allow it`)
      }
    }
    if (pkg.dir !== 'core' && pkg.dir !== 'cli' && '@slokit/core' in (pkg.manifest.dependencies ?? {})) {
      problems.push(
        `${where}: takes @slokit/core as a dependency; make it a peer dependency so hosts have one copy`,
      )
    }
    for (const [file, source] of pkg.files) {
      const test = isTestFile(file)
      for (const spec of importsOf(source)) {
        const at = `${where}/${file}`
        if (spec.startsWith('.')) {
          const target = resolve('/pkg', file, '..', spec)
          if (!target.startsWith('/pkg/')) problems.push(`${at}: imports ${spec}, outside its own package`)
          continue
        }
        if (spec.startsWith('node:') || builtinModules.includes(spec)) continue
        const name = packageNameOf(spec)
        if (
          name.startsWith('@slokit/') &&
          spec !== name &&
          !entryPoints.get(name)?.has(`.${spec.slice(name.length)}`)
        ) {
          problems.push(`${at}: imports ${spec}; import ${name} by its entry points, never its internals`)
          continue
        }
        if (name === pkg.manifest.name) continue
        if (test) {
          const declared = name in runtime || name in (pkg.manifest.devDependencies ?? {})
          if (!declared) problems.push(`${at}: imports ${name}, which is not declared in package.json`)
          continue
        }
        if (!(name in runtime)) {
          problems.push(
            `${at}: imports ${name}, which is not a dependency or peer dependency in package.json`,
          )
        } else if (name.startsWith('@slokit/') && workspace.has(name) && !allowedSlokit(name)) {
          problems.push(`${at}: imports ${name}, against the dependency direction`)
        }
      }
    }
  }
  const cycle = findCycle(packages)
  if (cycle !== undefined) problems.push(`dependency cycle: ${cycle.join(' → ')}`)
  return problems
}

function findCycle(packages: readonly PackageFacts[]): string[] | undefined {
  const edges = new Map<string, string[]>()
  for (const p of packages) {
    const all = { ...p.manifest.dependencies, ...p.manifest.peerDependencies, ...p.manifest.devDependencies }
    edges.set(
      p.manifest.name,
      Object.keys(all).filter((n) => n.startsWith('@slokit/') && n !== p.manifest.name),
    )
  }
  const state = new Map<string, 'visiting' | 'done'>()
  const stack: string[] = []
  const visit = (node: string): string[] | undefined => {
    if (state.get(node) === 'done') return undefined
    if (state.get(node) === 'visiting') return [...stack.slice(stack.indexOf(node)), node]
    state.set(node, 'visiting')
    stack.push(node)
    for (const next of edges.get(node) ?? []) {
      const found = visit(next)
      if (found !== undefined) return found
    }
    stack.pop()
    state.set(node, 'done')
    return undefined
  }
  for (const node of edges.keys()) {
    const found = visit(node)
    if (found !== undefined) return found
  }
  return undefined
}

function sourceFiles(dir: string, root: string, out: Map<string, string>): void {
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry === 'dist') continue
    const path = join(dir, entry)
    if (statSync(path).isDirectory()) sourceFiles(path, root, out)
    else if (/\.(ts|mts|cts|tsx)$/.test(entry)) out.set(relative(root, path), readFileSync(path, 'utf8'))
  }
}

/** Reads every package under `packagesDir` (its manifest and the TypeScript under src/). */
export function readPackages(packagesDir: string): PackageFacts[] {
  return readdirSync(packagesDir)
    .filter((dir) => existsSync(join(packagesDir, dir, 'package.json')))
    .map((dir) => {
      const root = join(packagesDir, dir)
      const files = new Map<string, string>()
      if (existsSync(join(root, 'src'))) sourceFiles(join(root, 'src'), root, files)
      return {
        dir,
        manifest: JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest,
        files,
      }
    })
}
