/**
 * `@slokit/slack/testing`: a strict local Slack (incoming webhook and `chat.postMessage`) for
 * tests of notifiers, routing and whole pipelines — it enforces Slack's documented contract and
 * pacing, and can be told to fail. Node only; nothing here is needed at run time.
 * @module
 */
export type {
  DeliveredMessage,
  FakeSlack,
  FakeSlackOptions,
  RecordedRequest,
  Scripted,
} from './testing/fake-slack.js'
export { blocksProblem, startFakeSlack } from './testing/fake-slack.js'
