import type { SloSpec, SloStatus } from '@slokit/core'
import type { ChangeVerdict } from './freeze.js'
import type { GateSettings } from './policy-schema.js'

/** A gate's answer. `warn` passes unless the caller decides otherwise. */
export type GateResult = 'pass' | 'warn' | 'fail'

/** How one objective fared in the gate. */
export interface GateObjective {
  readonly slo: string
  readonly status: GateResult
  /** The SLI, or `null` without data. */
  readonly value: number | null
  readonly target: number
  readonly budgetRemaining: number | null
  /** Burn rate over the last hour, when known. */
  readonly burnRate: number | null
  readonly weight: number
  /** A key objective fails the whole gate when it fails. */
  readonly key: boolean
  readonly reason: string
}

/**
 * The one verdict every gate adapter renders: CLI exit code, `/gate` JSON for Argo Rollouts and
 * Spinnaker, the GitHub deployment protection rule answer.
 */
export interface GateVerdict {
  readonly result: GateResult
  readonly service: string
  readonly changeType: string | null
  readonly reasons: readonly string[]
  readonly objectives: readonly GateObjective[]
  /** Keptn-style score in percent, when scoring is configured. */
  readonly score: number | null
  /** ISO 8601. */
  readonly evaluatedAt: string
  readonly evaluatedAtMs: number
}

/** Inputs of {@link evaluateGate}. */
export interface GateInputs {
  readonly service: string
  readonly changeType?: string | undefined
  /** The service's SLOs (for weights and targets) and their statuses. */
  readonly slos: readonly SloSpec[]
  readonly statuses: readonly SloStatus[]
  readonly settings: GateSettings
  /** The freeze verdict for this change, from the freeze controller. */
  readonly freeze?: ChangeVerdict | undefined
  /** Treat objectives without data as `warn` instead of `fail` (fail closed by default). */
  readonly failOpen?: boolean | undefined
  readonly now: number
}

const pct = (ratio: number) => `${Number((ratio * 100).toFixed(3))}%`
const SCORE: Record<GateResult, number> = { pass: 1, warn: 0.5, fail: 0 }
const WORST: Record<GateResult, number> = { pass: 0, warn: 1, fail: 2 }

/**
 * Decides whether a change may ship to a service. Each objective passes, warns (budget left below
 * `warnBelow`) or fails (SLO not met, budget left below `failBelow`, burning faster than
 * `failOnBurnRate`, or no data unless `failOpen`). With `scoring`, Keptn's rules apply: pass =
 * weight, warn = half, fail = 0, the total in percent against `pass`/`warning`, and any failed key
 * objective fails the gate; without, the worst objective decides. A freeze fails every change it
 * does not allow, and lets through the ones it does.
 *
 * @example
 * ```ts
 * const verdict = evaluateGate({ service: 'checkout', changeType: 'feature', slos, statuses, settings, now })
 * if (verdict.result === 'fail') process.exitCode = 1
 * ```
 */
export function evaluateGate(inputs: GateInputs): GateVerdict {
  const { service, settings } = inputs
  const scoring = settings.scoring
  const statuses = new Map(inputs.statuses.map((s) => [s.sloId, s]))
  const objectives: GateObjective[] = inputs.slos
    .filter((slo) => slo.service === service)
    .map((slo) => judge(slo, statuses.get(slo.id), settings, inputs.failOpen === true))
    .map((o) => ({ ...o, weight: scoring?.weights[o.slo] ?? 1, key: scoring?.key.includes(o.slo) ?? false }))
  const verdict = (result: GateResult, reasons: string[], score: number | null): GateVerdict => ({
    result,
    service,
    changeType: inputs.changeType ?? null,
    reasons,
    objectives,
    score,
    evaluatedAt: new Date(inputs.now).toISOString(),
    evaluatedAtMs: inputs.now,
  })

  if (inputs.freeze !== undefined) {
    if (!inputs.freeze.allowed) return verdict('fail', [inputs.freeze.reason], null)
    if (inputs.freeze.reason.includes('is frozen')) return verdict('pass', [inputs.freeze.reason], null)
  }
  if (objectives.length === 0)
    return verdict('fail', [`no SLOs for service ${service}: nothing to judge the change by`], null)

  const failing = objectives.filter((o) => o.status !== 'pass').map((o) => `${o.slo}: ${o.reason}`)
  if (scoring === undefined) {
    const result = objectives.reduce<GateResult>(
      (worst, o) => (WORST[o.status] > WORST[worst] ? o.status : worst),
      'pass',
    )
    return verdict(result, result === 'pass' ? ['every objective passes'] : failing, null)
  }
  const totalWeight = objectives.reduce((sum, o) => sum + o.weight, 0)
  const score = (100 * objectives.reduce((sum, o) => sum + o.weight * SCORE[o.status], 0)) / totalWeight
  const rounded = Number(score.toFixed(2))
  const keyFailed = objectives.filter((o) => o.key && o.status === 'fail')
  if (keyFailed.length > 0) {
    return verdict(
      'fail',
      [...keyFailed.map((o) => `key objective ${o.slo} failed: ${o.reason}`), `score ${rounded}%`],
      rounded,
    )
  }
  const result: GateResult = score >= scoring.pass ? 'pass' : score >= scoring.warning ? 'warn' : 'fail'
  const summary = `score ${rounded}% (pass ≥ ${scoring.pass}%, warn ≥ ${scoring.warning}%)`
  return verdict(result, [summary, ...failing], rounded)
}

function judge(
  slo: SloSpec,
  status: SloStatus | undefined,
  settings: GateSettings,
  failOpen: boolean,
): Omit<GateObjective, 'weight' | 'key'> {
  const hour = status?.burnRates.find((b) => b.windowMs === 3_600_000)?.burnRate ?? null
  const base = {
    slo: slo.id,
    value: status?.sli ?? null,
    target: slo.objective,
    budgetRemaining: status?.budget?.remaining ?? null,
    burnRate: hour,
  }
  const noData = failOpen ? 'warn' : 'fail'
  if (status === undefined) return { ...base, status: noData, reason: 'not evaluated' }
  if (status.budget === null || status.sli === null) {
    return {
      ...base,
      status: noData,
      reason: `no data: ${status.data.reason ?? status.data.state}${failOpen ? ' (failing open)' : ''}`,
    }
  }
  if (status.met === false)
    return { ...base, status: 'fail', reason: `SLO not met: ${pct(status.sli)} < ${pct(slo.objective)}` }
  const remaining = status.budget.remaining
  if (remaining < settings.failBelow) {
    return {
      ...base,
      status: 'fail',
      reason: `error budget ${remaining < 0 ? 'exhausted' : 'nearly spent'}: ${pct(remaining)} left`,
    }
  }
  const burn = settings.failOnBurnRate
  if (burn !== undefined) {
    const reading = status.burnRates.find((b) => b.windowMs === burn.window)
    if (reading?.burnRate != null && reading.burnRate > burn.rate) {
      return {
        ...base,
        status: 'fail',
        reason: `burning ${Number(reading.burnRate.toFixed(2))}× the budget (limit ${burn.rate}×)`,
      }
    }
  }
  if (remaining < settings.warnBelow)
    return { ...base, status: 'warn', reason: `error budget low: ${pct(remaining)} left` }
  return { ...base, status: 'pass', reason: `${pct(remaining)} of the error budget left` }
}
