import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { SECTION_SCHEMAS } from '../packages/cli/src/sections.js'
import { CONFIG_NOTES } from './docs/config-notes.js'
import {
  channelTypeSchemas,
  INLINED,
  REFERENCE_FILE,
  REGENERATE_COMMAND,
  referenceRows,
  renderConfigReference,
  sectionSchemas,
} from './docs/config-reference.js'
import { anchorsOf, brokenLinks, linksIn, markdownFiles, slug, withoutCode } from './docs/links.js'

const root = fileURLToPath(new URL('..', import.meta.url))

interface ZodNode {
  readonly _zod: { readonly def: Record<string, unknown>; readonly values?: Set<unknown> }
}

/**
 * Every key path a zod schema accepts, found by walking zod's own definitions, independently of
 * the JSON Schema conversion the generator uses.
 */
function zodKeys(path: string, schema: ZodNode, out: Set<string>): Set<string> {
  if (INLINED[path] !== undefined) return out
  const def = schema._zod.def
  const walk = (next: string, inner: unknown) => zodKeys(next, inner as ZodNode, out)
  switch (def.type) {
    case 'object':
      for (const [key, value] of Object.entries(def.shape as Record<string, ZodNode>)) {
        out.add(`${path}.${key}`)
        walk(`${path}.${key}`, value)
      }
      break
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      walk(path, def.innerType)
      break
    case 'pipe':
      walk(path, def.in)
      break
    case 'union':
      for (const option of def.options as ZodNode[]) walk(path, option)
      break
    case 'intersection':
      walk(path, def.left)
      walk(path, def.right)
      break
    case 'array':
      walk(`${path}[]`, def.element)
      break
    case 'lazy':
      walk(path, (def.getter as () => unknown)())
      break
    case 'record': {
      const keys = (def.keyType as ZodNode)._zod.values
      if (keys !== undefined && [...keys].every((key) => typeof key === 'string')) {
        for (const key of keys) {
          out.add(`${path}.${String(key)}`)
          walk(`${path}.${String(key)}`, def.valueType)
        }
      } else walk(`${path}.<name>`, def.valueType)
      break
    }
  }
  return out
}

/** `a.{b,c}.d` → `a.b.d`, `a.c.d`. */
function expand(path: string): string[] {
  const match = /\{([^}]+)\}/.exec(path)
  if (match === null) return [path]
  return match[1]!
    .split(',')
    .flatMap((key) => expand(path.slice(0, match.index) + key + path.slice(match.index + match[0].length)))
}

describe('the configuration reference', () => {
  it(`is up to date with the schemas (${REFERENCE_FILE})`, async () => {
    const committed = readFileSync(join(root, REFERENCE_FILE), 'utf8')
    const generated = await renderConfigReference()
    expect(
      committed === generated,
      `${REFERENCE_FILE} differs from what the schemas generate: run \`${REGENERATE_COMMAND}\` and commit the result`,
    ).toBe(true)
  })

  it('lists every key the schemas accept, and no key they refuse', async () => {
    const accepted = new Set<string>()
    for (const [name, schema] of sectionSchemas()) {
      accepted.add(name)
      const isList = name === 'slis' || name === 'slos'
      zodKeys(isList ? `${name}[]` : name, schema as unknown as ZodNode, accepted)
    }
    for (const [, schema] of await channelTypeSchemas())
      zodKeys('channels.<name>', schema as unknown as ZodNode, accepted)
    const listed = new Set((await referenceRows()).flatMap((row) => expand(row.path)))
    // The section lists themselves (`slis[]`) and map values (`sources.<name>`) are containers, not keys.
    const keysOnly = (paths: Set<string>) => [...paths].filter((path) => !/(\[\]|<name>)$/.test(path)).sort()
    expect(keysOnly(listed)).toEqual(keysOnly(accepted))
    expect(accepted.size).toBeGreaterThan(150)
  })

  it('has notes only for keys the schemas have', async () => {
    const paths = new Set((await referenceRows()).map((row) => row.path))
    expect(Object.keys(CONFIG_NOTES).filter((path) => !paths.has(path))).toEqual([])
  })

  it('documents exactly the channel types the CLI accepts', async () => {
    const channels = SECTION_SCHEMAS.channels as {
      safeParse(value: unknown): { error?: { issues: ReadonlyArray<{ message: string }> } }
    }
    const message = channels.safeParse({ probe: { type: 'no-such-type' } }).error?.issues[0]?.message ?? ''
    expect(message).toMatch(/known types are/)
    const known = [...message.replace(/^.*known types are/, '').matchAll(/"([^"]+)"/g)].map(
      (match) => match[1]!,
    )
    const documented = (await channelTypeSchemas()).map(([type]) => type)
    expect(known.sort()).toEqual([...documented].sort())
  })
})

describe('internal links in the docs', () => {
  it('every relative link and #anchor in docs/, README.md and the package and example READMEs resolves', () => {
    const files = markdownFiles(root)
    expect(files).toContain('docs/configuration-reference.md')
    const broken = brokenLinks(root, files).map(
      (link) => `${link.file}:${link.line}: (${link.target}) ${link.problem}`,
    )
    expect(broken).toEqual([])
  })
})

describe('the link checker itself', () => {
  it('makes GitHub heading slugs', () => {
    expect(slug('Error budget')).toBe('error-budget')
    expect(slug('`slokit rules --sloth-compatible`')).toBe('slokit-rules---sloth-compatible')
    expect(slug('Budget over 100% (or negative)')).toBe('budget-over-100-or-negative')
    expect(slug('SLI, SLO & error budget')).toBe('sli-slo--error-budget')
    expect(slug('[Sloth](https://sloth.dev) specs')).toBe('sloth-specs')
  })

  it('numbers repeated headings and ignores headings inside code blocks', () => {
    const markdown = [
      '# A',
      '## Options',
      '```sh',
      '# not a heading',
      '```',
      '## Options',
      '<a id="x"></a>',
    ].join('\n')
    expect([...anchorsOf(markdown)]).toEqual(['a', 'options', 'options-1', 'x'])
  })

  it('finds links and images outside code, with line numbers and alt text', () => {
    const markdown = [
      'See [core](core.md#windows) and `[not](a-link.md)`.',
      '![Burn-down](images/burn-down.svg)',
      '```md',
      '[inside](code.md)',
      '```',
      '[ref]: ./other.md',
      '<img src="images/x.svg" alt="">',
    ].join('\n')
    expect(linksIn(markdown)).toEqual([
      { target: 'core.md#windows', line: 1 },
      { target: 'images/burn-down.svg', line: 2, alt: 'Burn-down' },
      { target: './other.md', line: 6 },
      { target: 'images/x.svg', line: 7, alt: '' },
    ])
    expect(withoutCode('a `b` c')).toBe('a  c')
  })

  it('reports missing files, missing anchors and images without alt text', () => {
    const files = ['docs/README.md']
    expect(brokenLinks(root, files)).toEqual([])
    const broken = brokenLinks(join(root, '.ci/docs/fixtures'), ['broken.md']).map((link) => link.problem)
    expect(broken).toEqual([
      '`missing.md` does not exist',
      '`broken.md` has no heading with anchor #nowhere',
      'image without alt text',
    ])
  })
})
