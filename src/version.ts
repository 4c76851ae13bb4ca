// The tool's name and version, injected at build time by scripts/build.mjs.
declare const __NOPHONEHOME_VERSION__: string

export const TOOL_NAME = 'nophonehome'
export const TOOL_VERSION: string = typeof __NOPHONEHOME_VERSION__ === 'string' ? __NOPHONEHOME_VERSION__ : '0.0.0-dev'

declare const __NOPHONEHOME_ANALYSIS_ID__: string
/** Hash of the static lens sources at build time; keys the analysis cache. */
export const ANALYSIS_ID: string = typeof __NOPHONEHOME_ANALYSIS_ID__ === 'string' ? __NOPHONEHOME_ANALYSIS_ID__ : 'dev'
