// Entry point of the self-hosted release: start the inventory with no extensions at all.
import { main } from './main.ts'

await main(process.argv.slice(2))
