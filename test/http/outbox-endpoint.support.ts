/**
 * A shipping backend on loopback that records every POST and answers as scripted: the next N
 * requests fail, or all of them do, until told otherwise.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  eventId: string;
  type: string;
  orderId: string;
  status: number;
  body: Record<string, unknown>;
  contentType: string | undefined;
  authorization: string | undefined;
}

export interface ShippingEndpoint {
  url: string;
  received: Received[];
  /** The next `n` requests answer 500. */
  failNext(n: number): void;
  /** Every request answers 503 until set back to false. */
  setDown(down: boolean): void;
  /** Successful deliveries, in the order they were acknowledged. */
  delivered(): Received[];
  close(): Promise<void>;
}

export async function startShippingEndpoint(): Promise<ShippingEndpoint> {
  const received: Received[] = [];
  let failures = 0;
  let down = false;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      let status = 204;
      if (down) status = 503;
      else if (failures > 0) {
        failures -= 1;
        status = 500;
      }
      received.push({
        eventId: String(req.headers['x-event-id']),
        type: String(req.headers['x-event-type']),
        orderId: String((body.order as { id?: string } | undefined)?.id),
        status,
        body,
        contentType: req.headers['content-type'],
        authorization: req.headers.authorization,
      });
      res.statusCode = status;
      res.end(status === 204 ? undefined : 'not now');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/shipping/events`,
    received,
    failNext: (n) => {
      failures = n;
    },
    setDown: (value) => {
      down = value;
    },
    delivered: () => received.filter((r) => r.status < 300),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The event ids one order's requests carried, consecutive repeats (retries) collapsed. */
export function sequenceOf(received: Received[], orderId: string): string[] {
  const ids = received.filter((r) => r.orderId === orderId).map((r) => r.eventId);
  return ids.filter((id, i) => i === 0 || ids[i - 1] !== id);
}
