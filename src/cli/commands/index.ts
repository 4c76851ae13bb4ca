// Command registry: one file per command in this folder; add yours to the list.
import type { Command } from '../command.ts'
import { scanCommand } from './scan.ts'
import { diffCommand } from './diff.ts'
import { initCommand } from './init.ts'
import { runCommand } from './run.ts'
import { verifyCommand } from './verify.ts'

export const commands: Command[] = [scanCommand, diffCommand, initCommand, runCommand, verifyCommand]
