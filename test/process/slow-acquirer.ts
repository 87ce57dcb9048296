/**
 * A sandbox acquirer behind a proxy that holds every call for a while, so that a test can
 * catch the service with acquirer calls in flight.
 */
import { createServer, request, type Server } from 'node:http';
import { SANDBOX_DEFAULTS, createSandbox, type Sandbox } from '../../src/sandbox/sandbox';
import { sandboxServiceEnv } from '../../src/sandbox/standalone';

export interface SlowAcquirer {
  sandbox: Sandbox;
  /** ACQUIRER_MODE=live and ANTOM_* / PAYERMAX_* for a service, pointed at the proxy. */
  serviceEnv: Record<string, string>;
  close(): Promise<void>;
}

export async function startSlowAcquirer(delayMs: number): Promise<SlowAcquirer> {
  const quiet = { log: () => undefined, warn: () => undefined };
  const sandbox = await createSandbox({ antom: { clientId: SANDBOX_DEFAULTS.antomClientId }, logger: quiet });
  const target = new URL(sandbox.url);
  const proxy: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      setTimeout(() => {
        const upstream = request(
          {
            host: target.hostname,
            port: target.port,
            path: req.url,
            method: req.method,
            headers: req.headers,
          },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        upstream.on('error', () => res.destroy());
        upstream.end(Buffer.concat(chunks));
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const address = proxy.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const env = sandboxServiceEnv(sandbox, SANDBOX_DEFAULTS.antomNotifyPath);
  return {
    sandbox,
    serviceEnv: { ...env, ANTOM_BASE_URL: url },
    close: async () => {
      proxy.closeAllConnections();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
      await sandbox.close();
    },
  };
}
