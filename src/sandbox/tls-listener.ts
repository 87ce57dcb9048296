/**
 * The sandbox's optional HTTPS listener, for clients that only speak TLS (Antom's Python SDK
 * talks HTTPS to port 443, whatever the gateway URL says). The same Fastify app serves both
 * listeners: the HTTPS server hands every request to the app's router, so routes, raw bodies
 * and held requests behave the same on either.
 */
import { createServer, type Server } from 'node:https';
import type { FastifyInstance } from 'fastify';
import { createSelfSignedCertificate } from './self-signed';
import type { SandboxTlsOptions } from './sandbox-types';

export interface TlsListener {
  url: string;
  certPem: string;
  close(): Promise<void>;
}

export async function listenTls(
  app: FastifyInstance,
  options: SandboxTlsOptions,
  defaultHost: string,
): Promise<TlsListener> {
  const host = options.host ?? defaultHost;
  if ((options.certPem === undefined) !== (options.keyPem === undefined))
    throw new Error('the sandbox TLS listener needs both a certificate and its key, or neither');
  const given = options.certPem !== undefined && options.keyPem !== undefined;
  const { certPem, keyPem } = given
    ? { certPem: options.certPem!, keyPem: options.keyPem! }
    : createSelfSignedCertificate({ hosts: [host, ...(options.hosts ?? [])] });
  await app.ready();
  const server: Server = createServer({ cert: certPem, key: keyPem }, (req, res) => app.routing(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `https://${host.includes(':') ? `[${host}]` : host}:${port}`,
    certPem,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
