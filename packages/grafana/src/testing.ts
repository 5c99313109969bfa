/**
 * `@slokit/grafana/testing`: a strict local Grafana for tests of dashboards-as-code pipelines —
 * it enforces the documented contract of the folder, dashboard and alert-rule provisioning APIs
 * (auth, status codes, the 412 version flow, required fields, dashboard grid and targets). Node
 * only; nothing here is needed at run time.
 * @module
 */
export type {
  FakeGrafana,
  FakeGrafanaOptions,
  FakeGrafanaRequest,
  StoredFakeAlertRule,
  StoredFakeDashboard,
} from './testing/fake-grafana.js'
export { alertRuleProblem, dashboardProblems, startFakeGrafana } from './testing/fake-grafana.js'
