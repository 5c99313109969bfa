// The internal link checker behind `.ci/docs.test.ts`: every relative link and `#anchor` in the
// Markdown a reader browses (on GitHub or in the typedoc site) must resolve.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'

/** A link found in a Markdown file. */
export interface MarkdownLink {
  readonly target: string
  readonly line: number
  /** The alt text, for an image. */
  readonly alt?: string
}

/** A link that does not resolve, with the reason. */
export interface BrokenLink {
  readonly file: string
  readonly line: number
  readonly target: string
  readonly problem: string
}

/** Blanks fenced code blocks and inline code, keeping line numbers, so links inside code are not checked. */
export function withoutCode(markdown: string): string {
  const lines = markdown.split('\n')
  let fence: string | undefined
  const kept = lines.map((line) => {
    const opening = /^\s*(`{3,}|~{3,})/.exec(line)
    if (fence !== undefined) {
      if (opening !== null && opening[1]!.startsWith(fence)) fence = undefined
      return ''
    }
    if (opening !== null) {
      fence = opening[1]!
      return ''
    }
    return line.replace(/(`+)[\s\S]*?\1/g, '')
  })
  return kept.join('\n')
}

/** Inline links and images, reference definitions, and `src`/`href` of HTML tags. */
export function linksIn(markdown: string): MarkdownLink[] {
  const links: MarkdownLink[] = []
  for (const [index, line] of withoutCode(markdown).split('\n').entries()) {
    for (const match of line.matchAll(/(!?)\[([^\]]*)\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      links.push({
        target: match[3]!,
        line: index + 1,
        ...(match[1] === '!' ? { alt: match[2]! } : {}),
      })
    }
    const definition = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/.exec(line)
    if (definition !== null) links.push({ target: definition[1]!, line: index + 1 })
    for (const match of line.matchAll(/<(img|a)\b[^>]*?\s(src|href)="([^"]+)"[^>]*>/g)) {
      const alt = /\salt="([^"]*)"/.exec(match[0])
      links.push({
        target: match[3]!,
        line: index + 1,
        ...(match[1] === 'img' ? { alt: alt?.[1] ?? '' } : {}),
      })
    }
  }
  return links
}

/** GitHub's heading slug (github-slugger): lower case, punctuation dropped, spaces to `-`. */
export function slug(heading: string): string {
  const text = heading
    .replace(/<[^>]+>/g, '')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[`*]/g, '')
    .trim()
    .toLowerCase()
  return text.replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-')
}

/** Every anchor a Markdown file defines: its headings' slugs (numbered when repeated) and `id`/`name` attributes. */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>()
  const seen = new Map<string, number>()
  const outsideCode = withoutCode(markdown).split('\n')
  for (const [index, line] of markdown.split('\n').entries()) {
    // A line blanked by `withoutCode` but not blank itself is inside a code block.
    if (outsideCode[index] === '' && line.trim() !== '') continue
    const heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)
    if (heading !== null) {
      const base = slug(heading[1]!)
      const count = seen.get(base) ?? 0
      seen.set(base, count + 1)
      anchors.add(count === 0 ? base : `${base}-${count}`)
    }
    for (const match of line.matchAll(/<a\s[^>]*(?:id|name)="([^"]+)"/g)) anchors.add(match[1]!)
  }
  return anchors
}

/** The Markdown files whose links are checked, relative to `root`. */
export function markdownFiles(root: string): string[] {
  const files = ['README.md']
  const list = (dir: string) =>
    existsSync(join(root, dir)) ? readdirSync(join(root, dir)).sort() : ([] as string[])
  for (const name of list('docs')) if (name.endsWith('.md')) files.push(`docs/${name}`)
  for (const group of ['packages', 'examples']) {
    for (const name of list(group)) {
      if (existsSync(join(root, group, name, 'README.md'))) files.push(`${group}/${name}/README.md`)
    }
  }
  return files.filter((file) => existsSync(join(root, file)))
}

/** Paths that a build writes (ignored by git), so a link into them cannot be checked from a clone. */
const GENERATED = ['docs/api/']

/** Every broken relative link or anchor in `files` (relative to `root`). */
export function brokenLinks(root: string, files: readonly string[]): BrokenLink[] {
  const broken: BrokenLink[] = []
  const anchorCache = new Map<string, Set<string>>()
  const anchors = (file: string) => {
    let found = anchorCache.get(file)
    if (found === undefined) {
      found = anchorsOf(readFileSync(file, 'utf8'))
      anchorCache.set(file, found)
    }
    return found
  }
  for (const file of files) {
    const absolute = resolve(root, file)
    for (const link of linksIn(readFileSync(absolute, 'utf8'))) {
      const report = (problem: string) => broken.push({ file, line: link.line, target: link.target, problem })
      if (link.alt !== undefined && link.alt.trim() === '') report('image without alt text')
      if (/^[a-z][a-z0-9+.-]*:/i.test(link.target) || link.target.startsWith('//')) continue
      const hashAt = link.target.indexOf('#')
      const pathPart = decodeURI(hashAt === -1 ? link.target : link.target.slice(0, hashAt))
      const anchor = hashAt === -1 ? undefined : decodeURIComponent(link.target.slice(hashAt + 1))
      const target = pathPart === '' ? absolute : resolve(dirname(absolute), pathPart)
      const inRepo = relative(root, target).replaceAll('\\', '/')
      if (inRepo.startsWith('..')) {
        report('points outside the repository')
        continue
      }
      if (!existsSync(target)) {
        if (!GENERATED.some((prefix) => `${inRepo}/`.startsWith(prefix)))
          report(`\`${inRepo}\` does not exist`)
        continue
      }
      if (anchor === undefined || anchor === '') continue
      if (statSync(target).isDirectory() || !target.endsWith('.md')) {
        report(`anchor #${anchor} on a file that is not Markdown`)
        continue
      }
      if (!anchors(target).has(anchor)) report(`\`${inRepo}\` has no heading with anchor #${anchor}`)
    }
  }
  return broken
}
