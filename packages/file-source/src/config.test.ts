import { isAbsolute, join, resolve } from 'node:path'
import { createFileSource, type FileSourceConfigInput, fileSourceConfigSchema } from '@slokit/file-source'
import { describe, expect, it } from 'vitest'

describe('fileSourceConfigSchema', () => {
  it('parses a file source, its resolution to milliseconds', () => {
    const input: FileSourceConfigInput = {
      type: 'file',
      path: 'exports/a.csv',
      format: 'csv',
      resolution: '5m',
    }
    expect(fileSourceConfigSchema.parse(input)).toEqual({
      type: 'file',
      path: 'exports/a.csv',
      format: 'csv',
      resolution: 300_000,
    })
    expect(fileSourceConfigSchema.parse({ type: 'file', path: 'a.jsonl' })).toEqual({
      type: 'file',
      path: 'a.jsonl',
    })
  })

  it.each([
    [{ type: 'prometheus', path: 'a.csv' }, ['type']],
    [{ type: 'file', path: '' }, ['path']],
    [{ type: 'file', path: 'a.csv', format: 'tsv' }, ['format']],
    [{ type: 'file', path: 'a.csv', resolution: '5 minutes' }, ['resolution']],
    [{ type: 'file', path: 'a.csv', resolution: '0s' }, ['resolution']],
    [{ type: 'file', path: 'a.csv', resolutionMs: 60_000 }, []],
  ])('refuses %j', (input, path) => {
    const result = fileSourceConfigSchema.safeParse(input)
    expect(result.success).toBe(false)
    expect(result.error?.issues[0]?.path).toEqual(path)
  })
})

describe('createFileSource', () => {
  it('resolves a relative path against baseDir and passes the options on', () => {
    const config = fileSourceConfigSchema.parse({ type: 'file', path: 'exports/a.csv.gz', resolution: '1m' })
    const source = createFileSource(config, { baseDir: '/etc/slokit', name: 'october' })
    expect(source.path).toBe(resolve('/etc/slokit', 'exports/a.csv.gz'))
    expect(isAbsolute(source.path)).toBe(true)
    expect(source.name).toBe('october')
    expect(source.format).toBe('csv')
  })

  it('keeps an absolute path and takes the format from the config', () => {
    const path = join('/', 'data', 'export.txt')
    const source = createFileSource(fileSourceConfigSchema.parse({ type: 'file', path, format: 'jsonl' }), {
      baseDir: '/elsewhere',
    })
    expect(source.path).toBe(path)
    expect(source.format).toBe('jsonl')
    expect(source.name).toBe('file')
  })

  it('serves the file with the configured resolution', async () => {
    const text = '{"timestamp":"2026-11-01T00:00:00Z","sli":"a","value":1}\n'
    const source = createFileSource(
      fileSourceConfigSchema.parse({ type: 'file', path: 'a.jsonl', resolution: '5m' }),
      {
        baseDir: '/exports',
        openFile: async (path) => {
          expect(path).toBe(resolve('/exports', 'a.jsonl'))
          return { size: text.length, chunks: [new TextEncoder().encode(text)] }
        },
      },
    )
    expect((await source.load()).slis[0]?.resolutionMs).toBe(300_000)
  })
})
