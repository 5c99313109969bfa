// The SLOs of examples/config/slo-definitions.yaml that get Prometheus rules: what
// `slokit dashboards --config examples/config/slo-definitions.yaml` builds dashboards for.
import { fileURLToPath } from 'node:url'
import { loadConfig } from '@slokit/config'
import type { SloSpec } from '@slokit/core'
import { generateRules } from '@slokit/prometheus'

export const EXAMPLE_CONFIG = fileURLToPath(
  new URL('../../../../examples/config/slo-definitions.yaml', import.meta.url),
)

export async function exampleSlos(): Promise<SloSpec[]> {
  const config = await loadConfig([EXAMPLE_CONFIG], { env: {}, unsetSecrets: 'warn' })
  const { sloIds } = generateRules(config.slos, { skipUnsupported: true })
  return config.slos.filter((slo) => sloIds.includes(slo.id))
}
