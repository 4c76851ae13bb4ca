#!/usr/bin/env node
// Entry point of the `nophonehome` binary.
import { main } from './cli/main.ts'

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code },
  () => { process.exitCode = 2 },
)
