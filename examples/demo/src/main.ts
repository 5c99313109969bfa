import { runDemo } from './demo.js'

console.log((await runDemo()).text)
