import type { AlertRoute } from './alert-schema.js'
import type { Severity } from './notification.js'

/** What routing needs to know about an alert. */
export interface RoutableAlert {
  readonly severity: Severity
  readonly service: string
  readonly rule: string
  readonly labels: Readonly<Record<string, string>>
}

/** Where an alert goes: channels now, and channels to escalate to after a while. */
export interface RouteDecision {
  readonly channels: readonly string[]
  readonly escalations: ReadonlyArray<{ readonly afterMs: number; readonly channels: readonly string[] }>
}

/**
 * Routes an alert: the first route whose `match` it satisfies (all given criteria), and the
 * following ones too while routes say `continue: true`. Channels are deduplicated in order.
 */
export function routeAlert(routes: readonly AlertRoute[], alert: RoutableAlert): RouteDecision {
  const channels: string[] = []
  const escalations: Array<{ afterMs: number; channels: readonly string[] }> = []
  for (const route of routes) {
    const m = route.match
    const matched =
      m === undefined ||
      ((m.severity === undefined || m.severity.includes(alert.severity)) &&
        (m.service === undefined || m.service.includes(alert.service)) &&
        (m.rule === undefined || m.rule.includes(alert.rule)) &&
        Object.entries(m.labels ?? {}).every(([k, v]) => alert.labels[k] === v))
    if (!matched) continue
    for (const channel of route.channels) if (!channels.includes(channel)) channels.push(channel)
    if (route.escalate !== undefined)
      escalations.push({ afterMs: route.escalate.after, channels: route.escalate.channels })
    if (!route.continue) break
  }
  return { channels, escalations }
}

/** Every channel a set of routes names, to check against the configured channels at start-up. */
export function channelsNamed(routes: readonly AlertRoute[]): string[] {
  return [...new Set(routes.flatMap((r) => [...r.channels, ...(r.escalate?.channels ?? [])]))]
}
