// The inventory itself: racks, the servers mounted in them and the IP addresses assigned to servers, with their rules.
import { randomUUID } from 'node:crypto'
import { parseAddress } from './ip-address.ts'
import type { JsonFileStore } from './store.ts'

export interface Rack {
  id: string
  name: string
  location: string
  /** Height in rack units (U). */
  units: number
  createdAt: string
}

export interface Server {
  id: string
  hostname: string
  rackId: string
  /** Lowest rack unit the server occupies, 1-based from the bottom. */
  position: number
  /** Height in rack units. */
  height: number
  createdAt: string
}

export interface IpAssignment {
  address: string
  family: 4 | 6
  serverId: string
  note: string
  assignedAt: string
}

export interface InventoryData {
  version: 1
  racks: Rack[]
  servers: Server[]
  ips: IpAssignment[]
}

export interface InventoryEvent {
  type: string
  at: string
  data: Record<string, unknown>
}

/** A request the rules refuse; `status` is the HTTP status the API answers with. */
export class InventoryError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message)
  }
}

const HOSTNAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/

export class Inventory {
  #data: InventoryData
  #store: JsonFileStore<InventoryData>
  #listeners: Array<(event: InventoryEvent) => void> = []

  private constructor(store: JsonFileStore<InventoryData>, data: InventoryData) {
    this.#store = store
    this.#data = data
  }

  static async open(store: JsonFileStore<InventoryData>): Promise<Inventory> {
    const data = await store.load({ version: 1, racks: [], servers: [], ips: [] })
    if (data.version !== 1) throw new Error(`${store.file}: unsupported data version ${String(data.version)}`)
    return new Inventory(store, data)
  }

  /** Subscribes to changes (used by notifications). */
  onEvent(listener: (event: InventoryEvent) => void): void {
    this.#listeners.push(listener)
  }

  listRacks(): Array<Rack & { usedUnits: number; serverCount: number }> {
    return this.#data.racks.map((rack) => ({ ...rack, ...this.#usage(rack.id) }))
  }

  getRack(id: string): Rack & { servers: Server[]; usedUnits: number; serverCount: number } {
    const rack = this.#rack(id)
    return { ...rack, ...this.#usage(id), servers: this.#data.servers.filter((s) => s.rackId === id) }
  }

  listServers(): Array<Server & { ips: string[] }> {
    return this.#data.servers.map((server) => ({
      ...server,
      ips: this.#data.ips.filter((ip) => ip.serverId === server.id).map((ip) => ip.address),
    }))
  }

  listIps(): IpAssignment[] {
    return [...this.#data.ips].sort((a, b) => a.address.localeCompare(b.address))
  }

  summary(): { racks: number; servers: number; ips: number; freeUnits: number } {
    const total = this.#data.racks.reduce((sum, rack) => sum + rack.units, 0)
    const used = this.#data.servers.reduce((sum, server) => sum + server.height, 0)
    return { racks: this.#data.racks.length, servers: this.#data.servers.length, ips: this.#data.ips.length, freeUnits: total - used }
  }

  async createRack(untrustedInput: unknown): Promise<Rack> {
    const input = asObject(untrustedInput)
    const name = requireText(input, 'name', 64)
    const location = optionalText(input, 'location', 128)
    const units = requireInteger(input, 'units', 1, 60, 42)
    if (this.#data.racks.some((rack) => rack.name.toLowerCase() === name.toLowerCase())) {
      throw new InventoryError(409, 'RACK_EXISTS', `a rack named "${name}" already exists`, 'name')
    }
    const rack: Rack = { id: randomUUID(), name, location, units, createdAt: now() }
    this.#data.racks.push(rack)
    await this.#commit({ type: 'rack.created', data: { rack } })
    return rack
  }

  async deleteRack(id: string): Promise<void> {
    const rack = this.#rack(id)
    if (this.#data.servers.some((server) => server.rackId === id)) {
      throw new InventoryError(409, 'RACK_NOT_EMPTY', `rack "${rack.name}" still holds servers; remove them first`)
    }
    this.#data.racks = this.#data.racks.filter((r) => r.id !== id)
    await this.#commit({ type: 'rack.deleted', data: { rack } })
  }

  async createServer(untrustedInput: unknown): Promise<Server> {
    const input = asObject(untrustedInput)
    const hostname = requireText(input, 'hostname', 253).toLowerCase()
    if (!HOSTNAME.test(hostname)) throw new InventoryError(400, 'INVALID_HOSTNAME', `"${hostname}" is not a valid host name`, 'hostname')
    if (this.#data.servers.some((server) => server.hostname === hostname)) {
      throw new InventoryError(409, 'SERVER_EXISTS', `a server named "${hostname}" already exists`, 'hostname')
    }
    const rack = this.#rack(requireText(input, 'rackId', 64), 'rackId')
    const height = requireInteger(input, 'height', 1, rack.units, 1)
    const occupied = this.#occupiedUnits(rack.id)
    let position: number
    if (input.position === undefined || input.position === null || input.position === '') {
      const free = firstFreeSlot(occupied, rack.units, height)
      if (free === undefined) {
        throw new InventoryError(409, 'RACK_FULL', `rack "${rack.name}" has no ${height}U slot left`, 'rackId')
      }
      position = free
    } else {
      position = requireInteger(input, 'position', 1, rack.units)
      if (position + height - 1 > rack.units) {
        throw new InventoryError(409, 'OUT_OF_RACK', `a ${height}U server at U${position} does not fit in ${rack.units}U`, 'position')
      }
      for (let u = position; u < position + height; u++) {
        if (occupied.has(u)) throw new InventoryError(409, 'SLOT_TAKEN', `U${u} of rack "${rack.name}" is already taken`, 'position')
      }
    }
    const server: Server = { id: randomUUID(), hostname, rackId: rack.id, position, height, createdAt: now() }
    this.#data.servers.push(server)
    const events: Array<Omit<InventoryEvent, 'at'>> = [{ type: 'server.created', data: { server, rack: rack.name } }]
    if (firstFreeSlot(this.#occupiedUnits(rack.id), rack.units, 1) === undefined) {
      events.push({ type: 'rack.full', data: { rack: { id: rack.id, name: rack.name, units: rack.units } } })
    }
    await this.#commit(...events)
    return server
  }

  async deleteServer(id: string): Promise<void> {
    const server = this.#data.servers.find((s) => s.id === id)
    if (!server) throw new InventoryError(404, 'NOT_FOUND', `no server with id ${id}`)
    const released = this.#data.ips.filter((ip) => ip.serverId === id).map((ip) => ip.address)
    this.#data.servers = this.#data.servers.filter((s) => s.id !== id)
    this.#data.ips = this.#data.ips.filter((ip) => ip.serverId !== id)
    await this.#commit({ type: 'server.deleted', data: { server, releasedIps: released } })
  }

  async assignIp(untrustedInput: unknown): Promise<IpAssignment> {
    const input = asObject(untrustedInput)
    const parsed = parseAddress(input.address)
    if (!parsed) throw new InventoryError(400, 'INVALID_ADDRESS', `${JSON.stringify(input.address)} is not an IPv4 or IPv6 address`, 'address')
    const serverId = requireText(input, 'serverId', 64)
    const server = this.#data.servers.find((s) => s.id === serverId)
    if (!server) throw new InventoryError(404, 'NOT_FOUND', `no server with id ${serverId}`, 'serverId')
    // Compare canonical forms: "2001:DB8::1" and "2001:db8:0::1" are the same address.
    const holder = this.#data.ips.find((ip) => ip.address === parsed.address)
    if (holder) {
      const owner = this.#data.servers.find((s) => s.id === holder.serverId)
      throw new InventoryError(409, 'IP_TAKEN', `${parsed.address} is already assigned to ${owner?.hostname ?? holder.serverId}`, 'address')
    }
    const assignment: IpAssignment = {
      address: parsed.address,
      family: parsed.family,
      serverId,
      note: optionalText(input, 'note', 200),
      assignedAt: now(),
    }
    this.#data.ips.push(assignment)
    await this.#commit({ type: 'ip.assigned', data: { ...assignment, hostname: server.hostname } })
    return assignment
  }

  async releaseIp(untrustedAddress: string): Promise<void> {
    const parsed = parseAddress(untrustedAddress)
    const assignment = parsed && this.#data.ips.find((ip) => ip.address === parsed.address)
    if (!assignment) throw new InventoryError(404, 'NOT_FOUND', `${untrustedAddress} is not assigned`)
    this.#data.ips = this.#data.ips.filter((ip) => ip !== assignment)
    await this.#commit({ type: 'ip.released', data: { ...assignment } })
  }

  #rack(id: string, field?: string): Rack {
    const rack = this.#data.racks.find((r) => r.id === id)
    if (!rack) throw new InventoryError(404, 'NOT_FOUND', `no rack with id ${id}`, field)
    return rack
  }

  #occupiedUnits(rackId: string): Set<number> {
    const units = new Set<number>()
    for (const server of this.#data.servers) {
      if (server.rackId !== rackId) continue
      for (let u = server.position; u < server.position + server.height; u++) units.add(u)
    }
    return units
  }

  #usage(rackId: string): { usedUnits: number; serverCount: number } {
    const servers = this.#data.servers.filter((s) => s.rackId === rackId)
    return { usedUnits: servers.reduce((sum, s) => sum + s.height, 0), serverCount: servers.length }
  }

  async #commit(...events: Array<Omit<InventoryEvent, 'at'>>): Promise<void> {
    await this.#store.save(this.#data)
    const at = now()
    for (const event of events) {
      for (const listener of this.#listeners) listener({ ...event, at })
    }
  }
}

function firstFreeSlot(occupied: Set<number>, units: number, height: number): number | undefined {
  for (let start = 1; start + height - 1 <= units; start++) {
    let free = true
    for (let u = start; u < start + height && free; u++) free = !occupied.has(u)
    if (free) return start
  }
  return undefined
}

function now(): string {
  return new Date().toISOString()
}

function asObject(untrustedInput: unknown): Record<string, unknown> {
  if (typeof untrustedInput !== 'object' || untrustedInput === null || Array.isArray(untrustedInput)) {
    throw new InventoryError(400, 'INVALID_BODY', 'expected a JSON object')
  }
  return untrustedInput as Record<string, unknown>
}

function requireText(input: Record<string, unknown>, field: string, max: number): string {
  const value = input[field]
  if (typeof value !== 'string' || value.trim() === '') throw new InventoryError(400, 'REQUIRED', `${field} is required`, field)
  if (value.length > max) throw new InventoryError(400, 'TOO_LONG', `${field} is longer than ${max} characters`, field)
  return value.trim()
}

function optionalText(input: Record<string, unknown>, field: string, max: number): string {
  if (input[field] === undefined || input[field] === null) return ''
  if (typeof input[field] !== 'string') throw new InventoryError(400, 'INVALID_TYPE', `${field} must be a string`, field)
  if ((input[field] as string).length > max) throw new InventoryError(400, 'TOO_LONG', `${field} is longer than ${max} characters`, field)
  return (input[field] as string).trim()
}

function requireInteger(input: Record<string, unknown>, field: string, min: number, max: number, fallback?: number): number {
  let value = input[field]
  if ((value === undefined || value === null || value === '') && fallback !== undefined) return fallback
  if (typeof value === 'string' && /^\d+$/.test(value)) value = Number(value)
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InventoryError(400, 'OUT_OF_RANGE', `${field} must be a whole number from ${min} to ${max}`, field)
  }
  return value
}
