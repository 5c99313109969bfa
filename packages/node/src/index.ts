/**
 * `@slokit/node`: in-process SLIs for Node services. {@link httpSli} measures a `node:http`
 * server; `@slokit/node/express`, `@slokit/node/fastify` and `@slokit/node/otel` hold the
 * framework adapters and the OpenTelemetry source, so this entry loads no framework.
 *
 * @module
 */
export type { HttpSli, RequestListener } from './http.js'
export { httpSli } from './http.js'
export type { HttpSliOptions, RouteSlos, SliTracker, StatusClass } from './options.js'
export { RoutePattern } from './route-pattern.js'
