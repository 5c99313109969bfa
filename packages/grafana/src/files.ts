import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { SlokitError } from '@slokit/core'
import type { GrafanaDashboard } from './dashboards.js'
import { checkUid } from './uid.js'

/** A dashboard as JSON text: two-space indentation, a final newline, stable for diffs and golden files. */
export function dashboardToJson(dashboard: GrafanaDashboard): string {
  return `${JSON.stringify(dashboard, null, 2)}\n`
}

/**
 * Writes each dashboard to `<dir>/<uid>.json`, creating `dir`, for Grafana's file-based
 * provisioning (a `providers` entry of type `file` whose `options.path` is `dir`). Files of
 * dashboards no longer generated are left alone; returns the paths written.
 *
 * @example
 * ```ts
 * const { overview, details } = buildSloDashboards(config.slos)
 * await writeDashboardFiles([overview, ...details], '/etc/grafana/provisioning/dashboards/slo')
 * ```
 * @throws `SlokitError` `INVALID_ARGUMENT` for a dashboard without a valid uid, or two with the
 * same uid; the file system's error when `dir` cannot be written.
 */
export async function writeDashboardFiles(
  dashboards: readonly GrafanaDashboard[],
  dir: string,
): Promise<string[]> {
  const seen = new Set<string>()
  for (const dashboard of dashboards) {
    const uid = checkUid(dashboard.uid ?? '', 'dashboard.uid')
    if (seen.has(uid)) {
      throw new SlokitError(
        'INVALID_ARGUMENT',
        `[slokit/grafana] writeDashboardFiles(): two dashboards have uid "${uid}".`,
      )
    }
    seen.add(uid)
  }
  await mkdir(dir, { recursive: true })
  const paths: string[] = []
  for (const dashboard of dashboards) {
    const path = join(dir, `${dashboard.uid as string}.json`)
    await writeFile(path, dashboardToJson(dashboard))
    paths.push(path)
  }
  return paths
}
