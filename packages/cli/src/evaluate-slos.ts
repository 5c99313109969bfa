import { exclusionsFor, type PoliciesSection } from '@slokit/budget'
import type { SlokitConfig } from '@slokit/config'
import {
  defaultBurnRateWindowsMs,
  evaluateSlo,
  type SliSource,
  SlokitError,
  type SloSpec,
  type SloStatus,
  unavailableStatus,
  windowRange,
} from '@slokit/core'

/** The validated `policies` section of a config, when it has one. */
export function policiesOf(config: SlokitConfig): PoliciesSection | undefined {
  return config.sections.policies as PoliciesSection | undefined
}

/**
 * Evaluates one SLO on a source at `now`, leaving out the budget corrections that apply to it.
 * A source that cannot answer turns into an unavailable status with the reason — never a number.
 */
export async function evaluateOne(
  slo: SloSpec,
  source: SliSource,
  now: number,
  config: SlokitConfig,
): Promise<SloStatus> {
  const range = windowRange(slo.window, now)
  const startMs = Math.min(range.startMs, now - Math.max(0, ...defaultBurnRateWindowsMs(slo)))
  try {
    const series = await source.query(slo.sli, { startMs, endMs: now })
    const exclusions = exclusionsFor(slo, policiesOf(config)?.corrections ?? [], { startMs, endMs: now })
    return evaluateSlo(slo, series, { now, exclusions })
  } catch (error) {
    if (!(error instanceof SlokitError) || error.code === 'INVALID_CONFIG') throw error
    const reason =
      error.code === 'UNKNOWN_SLO' ? `no data for SLI ${slo.sli.id} in ${source.name}` : error.message
    return unavailableStatus(slo, range, now, reason)
  }
}
