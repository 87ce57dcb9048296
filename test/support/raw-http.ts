/**
 * One HTTP/1.1 request written by hand over a socket, so that the request target is exactly
 * what the test says: fetch and http.request always send the origin form, and some clients
 * (Antom's Python SDK) send the absolute form (`POST http://host:port/path HTTP/1.1`).
 */
import { connect } from 'node:net';

export interface RawAnswer {
  status: number;
  /** Names lower-cased. */
  headers: Record<string, string>;
  body: string;
}

export function rawPost(
  baseUrl: string,
  target: string,
  headers: Record<string, string>,
  body: string | Buffer,
): Promise<RawAnswer> {
  const { hostname, port } = new URL(baseUrl);
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      const all = {
        ...headers,
        host: `${hostname}:${port}`,
        connection: 'close',
        'content-length': String(bytes.length),
      };
      const head = Object.entries(all).map(([name, value]) => `${name}: ${value}\r\n`);
      socket.write(`POST ${target} HTTP/1.1\r\n${head.join('')}\r\n`);
      socket.write(bytes);
    });
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      const [statusLine, ...lines] = text.slice(0, split).split('\r\n');
      const parsed: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(':');
        parsed[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      resolve({ status: Number(statusLine!.split(' ')[1]), headers: parsed, body: text.slice(split + 4) });
    });
  });
}
