import { startShop } from './app.js'

const port = Number(process.env.PORT ?? 3000)
const shop = await startShop(port)
console.log(`shop listening on ${shop.url}`)
console.log(
  `  try: curl ${shop.url}/products/1; curl -X POST '${shop.url}/checkout?fail=1'; curl -X POST '${shop.url}/checkout?delayMs=400'`,
)
console.log(`  then: curl ${shop.url}/slo; curl ${shop.url}/metrics`)

const stop = () => shop.server.close(() => process.exit(0))
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
