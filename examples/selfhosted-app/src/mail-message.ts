// Formats an inventory event as a plain-text e-mail (RFC 5322 headers, base64 UTF-8 body).
import { randomUUID } from 'node:crypto'
import type { InventoryEvent } from './inventory.ts'

export function formatEventMail(event: InventoryEvent, from: string, to: string[], clientName: string): string {
  const subject = `[Rackhouse] ${describeEvent(event)}`
  const body = [
    describeEvent(event),
    '',
    `Event: ${event.type}`,
    `Time:  ${event.at}`,
    '',
    JSON.stringify(event.data, null, 2),
    '',
    '-- ',
    `Sent by the Rackhouse inventory on ${clientName}.`,
    '',
  ].join('\r\n')
  const headers = [
    `From: ${from}`,
    `To: ${to.join(', ')}`,
    `Subject: ${encodeHeader(subject)}`,
    `Date: ${new Date(event.at).toUTCString()}`,
    `Message-ID: <${randomUUID()}@${clientName}>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: base64',
  ]
  // base64 keeps 8-bit text safe on relays without 8BITMIME; wrap at 76 columns as MIME requires.
  const encoded = Buffer.from(body, 'utf8').toString('base64').replace(/.{76}/g, '$&\r\n')
  return headers.join('\r\n') + '\r\n\r\n' + encoded + '\r\n'
}

function describeEvent(event: InventoryEvent): string {
  const data = event.data as Record<string, any>
  switch (event.type) {
    case 'rack.full':
      return `Rack ${data.rack?.name} is full`
    case 'notification.test':
      return 'Test notification'
    case 'ip.assigned':
      return `${data.address} assigned to ${data.hostname}`
    default:
      return event.type
  }
}

/** Encodes a header as an RFC 2047 encoded word when it is not plain ASCII. */
function encodeHeader(text: string): string {
  return /^[\x20-\x7e]*$/.test(text) ? text : `=?UTF-8?B?${Buffer.from(text, 'utf8').toString('base64')}?=`
}
