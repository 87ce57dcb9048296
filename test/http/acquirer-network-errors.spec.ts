/**
 * How a failed POST is classified: only an error that proves the request never left us (the
 * connection refused) may be resent at once as "not delivered"; a connection cut after the
 * request went out, or no answer in time, may have reached the acquirer.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { postBytes, readExchange, silentLogger } from '../../src/acquirers/http';
import { closedPort } from './sandbox.support';

const post = (url: string, timeoutMs = 2000) =>
  postBytes({ url, headers: { 'content-type': 'application/json' }, body: '{}', timeoutMs });

describe('outbound POST: network errors', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    // Reads the whole request, then cuts the connection (a reset after delivery) or never answers.
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        if (req.url === '/cut') res.socket?.destroy();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('connection refused: not delivered, read as the NOT_DELIVERED unknown', async () => {
    const outcome = await post(`http://127.0.0.1:${await closedPort()}/capture`);
    expect(outcome).toMatchObject({ kind: 'networkError', delivered: false });
    expect(readExchange(outcome, () => 'valid', silentLogger, 'test')).toMatchObject({
      kind: 'unknown',
      code: 'NOT_DELIVERED',
    });
  });

  it('the connection cut after the request was read: it may have been delivered', async () => {
    const outcome = await post(`${base}/cut`);
    expect(outcome).toMatchObject({ kind: 'networkError', delivered: true });
    expect(readExchange(outcome, () => 'valid', silentLogger, 'test')).toMatchObject({
      kind: 'unknown',
      code: 'NETWORK_ERROR',
    });
  });

  it('no answer in time: a timeout, never "not delivered"', async () => {
    const outcome = await post(`${base}/hang`, 200);
    expect(outcome).toEqual({ kind: 'timeout', afterMs: 200 });
    expect(readExchange(outcome, () => 'valid', silentLogger, 'test')).toMatchObject({ code: 'TIMEOUT' });
  });
});
