/** Runs at most `limit` tasks at a time; the rest wait their turn, in order. */
export function createLimiter(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0
  const waiting: Array<() => void> = []
  const next = () => {
    if (running >= limit) return
    const start = waiting.shift()
    if (start !== undefined) {
      running++
      start()
    }
  }
  return (task) =>
    new Promise((resolve, reject) => {
      waiting.push(() => {
        task()
          .then(resolve, reject)
          .finally(() => {
            running--
            next()
          })
      })
      next()
    })
}
