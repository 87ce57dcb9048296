/**
 * Helpers for the sandbox suites: a tiny HTTP receiver standing in for the service's webhook
 * routes (raw bytes kept, answers scriptable), bounded polling, and a port nobody listens on.
 */
import { createServer as createNetServer } from 'node:net';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';

/** A logger for sandboxes whose give-up warnings are expected. */
export const quiet = { log: () => undefined, warn: () => undefined };

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  raw: Buffer;
  json: Record<string, unknown>;
}

export const ANTOM_ACK = JSON.stringify({
  result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' },
});
export const PAYERMAX_ACK = JSON.stringify({ code: 'SUCCESS', msg: 'Success' });

/** Answers each request with what `answer` says (default: the right acknowledgement). */
export class Receiver {
  readonly received: Received[] = [];
  answer: (r: Received, n: number) => { status: number; body: string } = (r) => ({
    status: 200,
    body: r.path.includes('payermax') ? PAYERMAX_ACK : ANTOM_ACK,
  });
  private server!: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        const r = { path: req.url ?? '', headers: req.headers, raw, json: JSON.parse(raw.toString('utf8')) };
        this.received.push(r);
        const { status, body } = this.answer(r, this.for(r).length);
        res.writeHead(status, { 'content-type': 'application/json' }).end(body);
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    this.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  }

  /** Deliveries concerning one capture (Antom: captureRequestId; PayerMax: data.requestId). */
  for(r: Received | string): Received[] {
    const id = typeof r === 'string' ? r : requestIdOf(r);
    return this.received.filter((x) => requestIdOf(x) === id);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function requestIdOf(r: Received): unknown {
  const data = r.json.data as Record<string, unknown> | undefined;
  return r.json.captureRequestId ?? data?.requestId;
}

/** Polls until `check` passes or the deadline expires (then fails with the last error). */
export async function eventually(check: () => Promise<void> | void, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

/** A loopback port that was free a moment ago: connecting to it is refused. */
export function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createNetServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
