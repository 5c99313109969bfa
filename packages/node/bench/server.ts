/**
 * Child process of the load benchmark: serves the app in each variant (none, noop, sli) on a port
 * of its own, and answers `cpu` messages with its CPU time so far, in microseconds.
 */
import type { AddressInfo } from 'node:net'
import { createApp, type Variant } from './app.js'

const listen = (variant: Variant) =>
  new Promise<number>((resolve) => {
    const server = createApp(variant).listen(0, '127.0.0.1', () =>
      resolve((server.address() as AddressInfo).port),
    )
  })

const ports = { none: await listen('none'), noop: await listen('noop'), sli: await listen('sli') }
process.on('message', (message) => {
  if (message === 'cpu') {
    const { user, system } = process.cpuUsage()
    process.send?.({ cpuMicros: user + system })
  } else if (message === 'exit') {
    process.exit(0)
  }
})
process.send?.({ ports })
