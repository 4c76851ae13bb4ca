// A tiny method + path router: "/api/racks/:id" patterns, 404 and 405 answered for the caller.
import type { IncomingMessage, ServerResponse } from 'node:http'

export type Handler = (request: IncomingMessage, response: ServerResponse, params: Record<string, string>) => Promise<void> | void

interface Route {
  method: string
  segments: string[]
  handler: Handler
}

export type RouteMatch = { handler: Handler; params: Record<string, string> } | { status: 404 | 405; allow?: string[] }

export class Router {
  #routes: Route[] = []

  add(method: string, pattern: string, handler: Handler): this {
    this.#routes.push({ method, segments: pattern.split('/').filter(Boolean), handler })
    return this
  }

  match(method: string, pathname: string): RouteMatch {
    const parts = pathname.split('/').filter(Boolean)
    const allowed: string[] = []
    for (const route of this.#routes) {
      const params = matchSegments(route.segments, parts)
      if (!params) continue
      if (route.method === method) return { handler: route.handler, params }
      allowed.push(route.method)
    }
    return allowed.length > 0 ? { status: 405, allow: allowed } : { status: 404 }
  }
}

function matchSegments(segments: string[], parts: string[]): Record<string, string> | undefined {
  if (segments.length !== parts.length) return undefined
  const params: Record<string, string> = {}
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!
    if (segment.startsWith(':')) {
      try {
        params[segment.slice(1)] = decodeURIComponent(parts[i]!)
      } catch {
        return undefined
      }
    } else if (segment !== parts[i]) {
      return undefined
    }
  }
  return params
}
