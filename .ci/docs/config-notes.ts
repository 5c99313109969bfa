// Short explanations of config keys, shown in the "notes" column of
// docs/configuration-reference.md. The schemas carry no descriptions; these notes add the meaning.
// `.ci/docs.test.ts` fails when a note names a key the schemas do not have, so a renamed key
// cannot leave a stale note behind. Keys are the paths the reference shows.

/** A note per key path of the reference. */
export const CONFIG_NOTES: Readonly<Record<string, string>> = {
  // slis
  'slis[].id': 'referenced by `slos[].sli` and by the `sli` column of data files',
  'slis[].kind': 'a label for people and reports; the maths depends on `measurement` only',
  'slis[].measurement':
    'how the SLI is measured: `ratio` (event counts) or `threshold` (a value per interval)',
  'slis[].measurement.good': 'query for good events; give `good` or `bad`, not both',
  'slis[].measurement.bad': 'query for bad events; give `good` or `bad`, not both',
  'slis[].measurement.total':
    'query for all events; required with `good` or `bad`. PromQL: write `{{window}}` in every range selector',
  'slis[].measurement.query': 'query for the value; optional for SLIs measured in-process',
  'slis[].measurement.aggregation': 'how the values within a time slice are combined before the comparison',
  'slis[].measurement.comparison': 'how a value is compared with `threshold`; quote it in YAML (`">="`)',
  'slis[].noData': 'what a time slice without data counts as: not at all, good, or bad',
  'slis[].source': "the name of a source under `sources`; when left out, the host's default source",
  // slos
  'slos[].service':
    'the service the SLO belongs to: alert routing, policies and the deployment gate select by it',
  'slos[].objective':
    'the target: a ratio (`0.999`) or a percent string (`"99.9%"`), strictly between 0 and 1',
  'slos[].window':
    'a rolling duration (`30d`, `{ rolling: 28d }`) or a calendar period (`{ calendar: month }`)',
  'slos[].window.timeZone': 'IANA time zone the calendar period is aligned in',
  'slos[].budgetingMethod': 'what one unit of budget is: an event, or a time slice (see concepts.md)',
  'slos[].timeslice': 'required for `timeslices` and `ratio_timeslices`, refused otherwise',
  'slos[].timeslice.length': 'duration of one slice, at least 1s and at most the window',
  'slos[].timeslice.objective':
    'for a ratio SLI under `timeslices`: the good ratio a slice must reach to be good',
  'slos[].priority': 'selects the policy tier of the same name, alert rules and governance rules',
  'slos[].runbookUrl': 'available to alert templates',
  // policies
  'policies.tiers':
    'policy tiers by name; an SLO follows the tier named like its `priority` unless a tier selects it with `appliesTo`',
  'policies.tiers.<name>.steps[].when': 'the conditions of the step; all must hold',
  'policies.tiers.<name>.steps[].when.budgetRemainingBelow':
    'the budget left is below this fraction (`25%` or `0.25`)',
  'policies.tiers.<name>.steps[].when.exhaustionWithin':
    'at the burn rate over `window` the budget runs out within this duration',
  'policies.tiers.<name>.steps[].actions[].freeze_deployments.allow':
    'change types that still pass the gate during the freeze',
  'policies.tiers.<name>.steps[].actions[].freeze_deployments.unfreezeAbove':
    'the freeze ends only once the budget left is back above this fraction (hysteresis)',
  'policies.tiers.<name>.messages.alert': 'the message of a decision in which a step matched',
  'policies.tiers.<name>.messages.ok': 'the message of a decision in which no step matched',
  'policies.gate': 'the deployment gate (`slokit gate`, the HTTP handler)',
  'policies.gate.warnBelow': 'warn when the budget left is below this fraction',
  'policies.gate.failBelow': 'fail when the budget left is below this fraction',
  'policies.corrections': 'periods whose bad events do not count against the budget (planned maintenance)',
  'policies.corrections[].rrule': 'an RFC 5545 recurrence rule, e.g. `FREQ=WEEKLY;BYDAY=SU`',
  // alerts
  'alerts.rules[].type': 'the kind of rule; the other keys depend on it',
  'alerts.rules[].selector': 'the SLOs the rule applies to; every SLO when left out',
  'alerts.rules[].for': 'the condition must hold this long before the alert fires',
  'alerts.rules[].keepFiringFor':
    'a firing alert resolves only once its condition has not held for this long (like Prometheus keep_firing_for)',
  'alerts.rules[].page':
    'the page tier: `false` to disable it; without `windows`, the default rows for the SLO period',
  'alerts.rules[].ticket':
    'the ticket tier: `false` to disable it; without `windows`, the default rows for the SLO period',
  'alerts.rules[].page.windows[].budgetSpent':
    'share of the period budget the row stands for: `2%` or `0.02`, not `2`',
  'alerts.rules[].ticket.windows[].budgetSpent':
    'share of the period budget the row stands for: `10%` or `0.1`',
  'alerts.rules[].minEvents': 'low-traffic guard: fewer events than this in the long window never fire a row',
  'alerts.rules[].minRequestRate':
    'low-traffic guard: events per second over the long window a row needs to fire',
  'alerts.rules[].below': 'fire when the budget left is below this fraction',
  'alerts.rules[].after': 'fire when the SLO has had no data for this long',
  'alerts.routes': 'first matching route wins, unless it says `continue: true`',
  'alerts.routes[].escalate': 'also send to these channels when the alert is still firing after `after`',
  'alerts.cooldown': 'a resolved alert stays quiet this long before it may fire again',
  'alerts.groupByService': 'alerts of one service that fire together go out as one notification',
  'alerts.inhibitTicketsWhilePaging': 'hold back the ticket tier of an SLO while its page tier fires',
  // sources
  'sources.<name>.type': 'the adapter: `prometheus` (`@slokit/prometheus`) or `file` (`@slokit/file-source`)',
  'sources.<name>.url': 'base URL of the Prometheus HTTP API; no credentials in it',
  'sources.<name>.token': 'bearer token; give `token` or `basicAuth`, not both',
  'sources.<name>.timeout': 'how long one request may take',
  'sources.<name>.step': 'resolution of range queries; at least 1s',
  'sources.<name>.path':
    "CSV or JSON Lines data file; a relative path resolves against the config file's directory",
  // channels
  channels: 'channels by name; the keys of each depend on its `type`: see the channel types below',
  'channels.<name>.type': 'the notifier: `console`, `webhook`, `slack` or `pagerduty`',
  'channels.<name>.routingKey': 'the PagerDuty Events API v2 integration key',
  // governance
  'governance.actors':
    'people and bots by id, with their roles and teams; used to check the approval rules can be met',
  'governance.reviews.cadence.{critical,high,medium,low,default}':
    'the longest time between two reviews of an SLO of that priority',
  'governance.reviews.dueSoon': 'how long before its due date a review is listed as due',
  'governance.approvals.{critical,high,medium,low,default}.{target,window,sli,budgeting,priority,ownership,metadata,default}':
    'who approves a change of this type to an SLO of this priority',
  'governance.approvals.{critical,high,medium,low,default}.{target,window,sli,budgeting,priority,ownership,metadata,default}.approvers':
    'roles that may approve',
  'governance.approvals.{critical,high,medium,low,default}.{target,window,sli,budgeting,priority,ownership,metadata,default}.minApprovals':
    'distinct approvers needed',
  'governance.approvals.{critical,high,medium,low,default}.{target,window,sli,budgeting,priority,ownership,metadata,default}.requiredRoles':
    'roles of which one holder must approve; each must be among `approvers`',
  'governance.documentation.{critical,high,medium,low,default}.error':
    'SLO fields that must be filled in (`owner`, `runbookUrl`, …); missing ones are errors',
  'governance.documentation.{critical,high,medium,low,default}.warning':
    'SLO fields whose absence is a warning',
  // reporting
  'reporting.<name>.schedule': 'when the report runs (by the engine)',
  'reporting.<name>.output.notify': 'channels the report is sent to',
  'reporting.<name>.days': 'days the report covers',
}
