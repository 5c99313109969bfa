import { stringify } from 'yaml'

/** A Prometheus recording rule. */
export interface RecordingRule {
  /** The series the rule writes (a metric name, `:` allowed). */
  readonly record: string
  /** The PromQL it evaluates. */
  readonly expr: string
  /** Labels set on every series it writes. */
  readonly labels?: Readonly<Record<string, string>> | undefined
}

/** A Prometheus alerting rule. */
export interface AlertingRule {
  /** The alert name (the `alertname` label). */
  readonly alert: string
  readonly expr: string
  /** How long the condition must hold before the alert fires, as a Prometheus duration. */
  readonly for?: string | undefined
  readonly labels?: Readonly<Record<string, string>> | undefined
  readonly annotations?: Readonly<Record<string, string>> | undefined
}

/** A recording or alerting rule. */
export type PrometheusRule = RecordingRule | AlertingRule

/** A rule group: rules evaluated in order, at the same time, every `interval`. */
export interface RuleGroup {
  readonly name: string
  /** A Prometheus duration; the server's `evaluation_interval` when absent. */
  readonly interval?: string | undefined
  readonly rules: readonly PrometheusRule[]
}

/** A Prometheus rule file: what `rule_files` loads and `promtool check rules` checks. */
export interface RuleFile {
  readonly groups: readonly RuleGroup[]
}

/** Options of {@link rulesToYaml}. */
export interface RulesToYamlOptions {
  /** Comment lines put at the top of the file (without `#`). */
  readonly header?: readonly string[] | undefined
}

/**
 * A rule file as YAML, keys in Prometheus's documented order (`record`/`alert`, `expr`, `for`,
 * `labels`, `annotations`), multi-line expressions as literal blocks, never folded.
 *
 * @example
 * ```ts
 * writeFileSync('slo-rules.yml', rulesToYaml(generateRules(slos)))
 * ```
 */
export function rulesToYaml(file: RuleFile, options: RulesToYamlOptions = {}): string {
  const plain = {
    groups: file.groups.map((group) => ({
      name: group.name,
      ...(group.interval === undefined ? {} : { interval: group.interval }),
      rules: group.rules.map((rule) => {
        const head = 'record' in rule ? { record: rule.record } : { alert: rule.alert }
        const { labels } = rule
        const alerting = 'alert' in rule ? rule : undefined
        return {
          ...head,
          expr: rule.expr,
          ...(alerting?.for === undefined ? {} : { for: alerting.for }),
          ...(labels === undefined || Object.keys(labels).length === 0 ? {} : { labels: { ...labels } }),
          ...(alerting?.annotations === undefined || Object.keys(alerting.annotations).length === 0
            ? {}
            : { annotations: { ...alerting.annotations } }),
        }
      }),
    })),
  }
  const header = (options.header ?? []).map((line) => `# ${line}`.trimEnd()).join('\n')
  const body = stringify(plain, { lineWidth: 0, indentSeq: false, aliasDuplicateObjects: false })
  return header === '' ? body : `${header}\n\n${body}`
}
