/**
 * `@slokit/pagerduty/testing`: a strict local PagerDuty Events API v2 for tests of notifiers,
 * routing and whole pipelines — it refuses what PagerDuty refuses, keeps incidents by dedup key,
 * and can be told to fail. Node only; nothing here is needed at run time.
 * @module
 */
export type {
  FakeAlert,
  FakeChange,
  FakePagerDuty,
  RecordedRequest,
  Scripted,
} from './testing/fake-pagerduty.js'
export { eventProblems, startFakePagerDuty } from './testing/fake-pagerduty.js'
