import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

const srcDir = new URL('./', import.meta.url)
const sources = readdirSync(srcDir).filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))

describe('entry points', () => {
  it('load no framework and no OpenTelemetry package: they are optional peers, read structurally', () => {
    expect(sources).toContain('index.ts')
    for (const name of sources) {
      const source = readFileSync(new URL(name, srcDir), 'utf8')
      const runtimeImports = [...source.matchAll(/^import\s+(?!type\b)[^'"]*from\s+'([^']+)'/gm)].map(
        (m) => m[1],
      )
      expect(
        runtimeImports.filter((spec) => /^(express|fastify|@opentelemetry\/)/.test(spec ?? '')),
        `${name} imports a peer at runtime`,
      ).toEqual([])
    }
  })

  it('the root entry exports the node:http middleware only', async () => {
    const root = await import('./index.js')
    expect(Object.keys(root).sort()).toEqual(['RoutePattern', 'httpSli'])
  })
})
