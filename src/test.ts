// `nophonehome/test`: helpers for a product's own node:test suite (filled in by the runtime work).
export {}
