import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { type BrowserContext, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildReport } from './build-report.js'
import { scenarioData } from './test/scenario.js'
import { toHTML } from './to-html.js'

// The HTML report in a real browser: Debian's Chromium, driven by playwright-core. `.ci/run`
// installs the `chromium` package when it is missing; on a machine without it this file skips.
const CHROMIUM = '/usr/bin/chromium'
const OUTPUT = fileURLToPath(new URL('../test-output/', import.meta.url))
const available = existsSync(CHROMIUM)
if (!available)
  console.warn(`[reporter] skipping the Chromium test: ${CHROMIUM} not found (apt-get install chromium)`)

describe.skipIf(!available)('the HTML report in headless Chromium', () => {
  let context: BrowserContext
  let page: Page
  let profile: string
  let sloCount = 0
  const requests: string[] = []
  const blocked: string[] = []
  const consoleErrors: string[] = []
  let pageUrl: string

  beforeAll(async () => {
    const data = await scenarioData()
    const report = buildReport({ ...data, options: { title: 'Checkout and payments — October 2026' } })
    sloCount = report.slos.length
    await mkdir(OUTPUT, { recursive: true })
    const file = join(OUTPUT, 'report.html')
    await writeFile(file, toHTML(report))
    pageUrl = pathToFileURL(file).href

    profile = await mkdtemp(join(tmpdir(), 'slokit-chromium-'))
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1200, height: 900 },
    })
    page = context.pages()[0] ?? (await context.newPage())
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text())
    })
    page.on('pageerror', (error) => consoleErrors.push(error.message))
    page.on('request', (request) => requests.push(request.url()))
    // Anything but the page itself is refused, and recorded: the report must need nothing else.
    await context.route('**/*', async (route) => {
      const url = route.request().url()
      if (url === pageUrl) await route.continue()
      else {
        blocked.push(url)
        await route.abort()
      }
    })
    await page.goto(pageUrl, { waitUntil: 'load' })
  })

  afterAll(async () => {
    await context?.close()
    if (profile !== undefined) await rm(profile, { recursive: true, force: true })
  })

  it('draws three charts per SLO, each with a non-zero size, a title and a drawn series', async () => {
    const charts = await page.locator('svg.chart').all()
    expect(charts).toHaveLength(3 * sloCount)
    for (const chart of charts) {
      const box = await chart.boundingBox()
      expect(box?.width).toBeGreaterThan(100)
      expect(box?.height).toBeGreaterThan(50)
      expect(await chart.getAttribute('role')).toBe('img')
      expect((await chart.locator('title').textContent())?.length).toBeGreaterThan(0)
      expect((await chart.locator('desc').textContent())?.length).toBeGreaterThan(20)
    }
    // The lines and bars themselves are painted, not only their frames.
    for (const mark of await page.locator('svg.chart path.actual, svg.chart rect.bar').all()) {
      const box = await mark.boundingBox()
      expect((box?.width ?? 0) + (box?.height ?? 0)).toBeGreaterThan(0)
    }
  })

  it('makes no request besides the page itself and logs no console error', () => {
    expect(blocked).toEqual([])
    expect(requests).toEqual([pageUrl])
    expect(consoleErrors).toEqual([])
  })

  it('saves a screenshot, and prints with the charts intact', async () => {
    const screenshot = join(OUTPUT, 'report.png')
    await page.screenshot({ path: screenshot, fullPage: true })
    expect((await stat(screenshot)).size).toBeGreaterThan(10_000)
    await page.emulateMedia({ media: 'print' })
    for (const chart of await page.locator('svg.chart').all()) {
      expect((await chart.boundingBox())?.width).toBeGreaterThan(100)
    }
    const pdf = join(OUTPUT, 'report.pdf')
    await page.pdf({ path: pdf, format: 'A4', printBackground: false })
    expect((await stat(pdf)).size).toBeGreaterThan(10_000)
    expect(consoleErrors).toEqual([])
  })
})
