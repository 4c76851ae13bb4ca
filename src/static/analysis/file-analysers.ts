// Analysers for files that are not JavaScript (HTML, CSS, package.json): registered by kind.
import type { FileKind } from '../artifact/collect.ts'
import type { LocatedFinding } from './file-result.ts'
import type { ModuleKind } from '../parse/parse.ts'

export interface FileAnalyserContext {
  /** Path as shown in reports. */
  display: string
  abs: string
  /** Analyses embedded JavaScript (inline <script>, install script files) with all detectors;
   *  positions are shifted by the given line/column of where the code starts in this file. */
  analyseScript(code: string, at: { line: number; column: number }, kind?: ModuleKind): LocatedFinding[] | { parseError: string }
}

export interface FileAnalysis {
  findings: LocatedFinding[]
  /** Set when the file could not be analysed; it is then counted in notAnalysed. */
  notAnalysed?: string
}

export type FileAnalyser = (untrustedText: string, ctx: FileAnalyserContext) => FileAnalysis

export const fileAnalysers: Partial<Record<FileKind, FileAnalyser>> = {}

export function registerFileAnalyser(kind: FileKind, analyser: FileAnalyser): void {
  fileAnalysers[kind] = analyser
}
