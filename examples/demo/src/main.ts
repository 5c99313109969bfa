import { runDemo } from './demo.js'

console.log(runDemo().text)
