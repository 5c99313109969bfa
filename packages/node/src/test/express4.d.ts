// Express 4 is installed as `express4` (an npm alias) beside Express 5; its API is close enough to
// Express 5's types for the calls the tests make.
declare module 'express4' {
  import express from 'express'
  export default express
}
