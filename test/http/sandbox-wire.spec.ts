/**
 * The sandbox as clients other than ours reach it: an absolute-form request target (what
 * Antom's Python SDK sends), a query string, and HTTPS to the TLS listener with the certificate
 * it made at start. Signatures cover the path in origin form, never the scheme and host.
 */
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signAntomMessage, verifyAntomMessage } from '../../src/acquirers/antom/antom-signature';
import { generateRsaPair } from '../../src/sandbox/key-pairs';
import { createSandbox, type Sandbox } from '../../src/sandbox/sandbox';
import { createSelfSignedCertificate } from '../../src/sandbox/self-signed';
import { startStandaloneSandbox } from '../../src/sandbox/standalone';
import { rawPost as rawPostTo, type RawAnswer } from '../support/raw-http';
import { quiet } from './sandbox.support';

const CLIENT_ID = 'SANDBOX_WIRE_TEST';
const CAPTURE_PATH = '/ams/sandbox/api/v1/payments/capture';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await createSandbox({ logger: quiet, tls: {} });
});
afterAll(() => sandbox.close());

const captureBody = (id: string) =>
  JSON.stringify({
    captureRequestId: id,
    paymentId: `pay-${id}`,
    captureAmount: { currency: 'USD', value: '1000' },
  });

/** Request headers signed over `signedPath` with the merchant key the sandbox generated. */
function signedHeaders(signedPath: string, body: string, key = sandbox.keys.merchant!.privateKey) {
  const requestTime = new Date().toISOString();
  const message = { method: 'POST', path: signedPath, clientId: CLIENT_ID, requestTime, body };
  return {
    'content-type': 'application/json; charset=UTF-8',
    'client-id': CLIENT_ID,
    'request-time': requestTime,
    signature: signAntomMessage(key, message),
  };
}

function rawPost(target: string, headers: Record<string, string>, body: string): Promise<RawAnswer> {
  return rawPostTo(sandbox.url, target, headers, body);
}

/** The response is signed over the same origin-form path the request was. */
function verifiesOver(answer: RawAnswer, path: string): boolean {
  const message = {
    method: 'POST',
    path,
    clientId: answer.headers['client-id']!,
    requestTime: answer.headers['response-time']!,
    body: answer.body,
  };
  return verifyAntomMessage(sandbox.keys.sandboxPublicKey, message, answer.headers.signature);
}

describe('sandbox: request targets', () => {
  it('captures on an absolute-form request signed over the path, and signs its answer over that path', async () => {
    const body = captureBody('abs-1');
    const answer = await rawPost(`${sandbox.url}${CAPTURE_PATH}`, signedHeaders(CAPTURE_PATH, body), body);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({
      result: { resultStatus: 'S', resultCode: 'SUCCESS' },
      captureRequestId: 'abs-1',
    });
    expect(verifiesOver(answer, CAPTURE_PATH)).toBe(true);
    expect(sandbox.capture('abs-1')).toMatchObject({ status: 'S' });
  });

  it('refuses an absolute-form request signed with another key, or over the absolute URL', async () => {
    const body = captureBody('abs-2');
    const target = `${sandbox.url}${CAPTURE_PATH}`;
    const forged = await rawPost(
      target,
      signedHeaders(CAPTURE_PATH, body, generateRsaPair().privateKey),
      body,
    );
    const overUrl = await rawPost(target, signedHeaders(target, body), body);
    for (const answer of [forged, overUrl]) {
      expect(JSON.parse(answer.body)).toMatchObject({ result: { resultCode: 'INVALID_SIGNATURE' } });
      expect(verifiesOver(answer, CAPTURE_PATH)).toBe(true);
    }
    expect(sandbox.capture('abs-2')).toBeUndefined();
  });

  it('signs and verifies a query string as part of the path, in either form', async () => {
    const withQuery = `${CAPTURE_PATH}?trace=1`;
    const body = captureBody('abs-3');
    const origin = await rawPost(withQuery, signedHeaders(withQuery, body), body);
    expect(JSON.parse(origin.body)).toMatchObject({ result: { resultStatus: 'S' } });
    expect(verifiesOver(origin, withQuery)).toBe(true);
    const absolute = await rawPost(`${sandbox.url}${withQuery}`, signedHeaders(withQuery, body), body);
    expect(JSON.parse(absolute.body)).toMatchObject({ result: { resultStatus: 'S' } });
    expect(verifiesOver(absolute, withQuery)).toBe(true);
    const bare = await rawPost(withQuery, signedHeaders(CAPTURE_PATH, body), body);
    expect(JSON.parse(bare.body)).toMatchObject({ result: { resultCode: 'INVALID_SIGNATURE' } });
  });
});

describe('sandbox: TLS listener', () => {
  function httpsPost(url: string, ca: string, headers: Record<string, string>, body: string) {
    return new Promise<RawAnswer>((resolve, reject) => {
      const req = httpsRequest(url, { method: 'POST', ca, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers as Record<string, string>,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  it('captures over HTTPS for a client that trusts the certificate the sandbox made', async () => {
    expect(sandbox.tls?.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const body = captureBody('tls-1');
    const answer = await httpsPost(
      `${sandbox.tls!.url}${CAPTURE_PATH}`,
      sandbox.tls!.certPem,
      signedHeaders(CAPTURE_PATH, body),
      body,
    );
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({
      result: { resultStatus: 'S' },
      captureRequestId: 'tls-1',
    });
    expect(verifiesOver(answer, CAPTURE_PATH)).toBe(true);
    await expect(
      httpsPost(
        `${sandbox.tls!.url}${CAPTURE_PATH}`,
        createSelfSignedCertificate().certPem,
        signedHeaders(CAPTURE_PATH, body),
        body,
      ),
    ).rejects.toThrow();
  });

  it('standalone: SANDBOX_TLS_PORT starts it, the certificate is written beside the keys file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-tls-'));
    const started = await startStandaloneSandbox({
      SANDBOX_PORT: '0',
      SANDBOX_TLS_PORT: '0',
      SANDBOX_KEYS_FILE: join(dir, 'keys.json'),
    });
    try {
      expect(started.tlsCertFile).toBe(join(dir, 'sandbox-tls-cert.pem'));
      const listed = JSON.parse(readFileSync(join(dir, 'keys.json'), 'utf8'));
      expect(listed).toMatchObject({ tlsUrl: started.sandbox.tls!.url, tlsCertFile: started.tlsCertFile });
      const cert = readFileSync(started.tlsCertFile!, 'utf8');
      expect(new X509Certificate(cert).checkIP('127.0.0.1')).toBe('127.0.0.1');
      const json = { 'content-type': 'application/json' };
      const res = await httpsPost(
        `${started.sandbox.tls!.url}/ams/api/v1/payments/capture`,
        cert,
        json,
        '{}',
      );
      expect(JSON.parse(res.body)).toMatchObject({ result: { resultCode: 'INVALID_SIGNATURE' } });
    } finally {
      await started.sandbox.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('standalone: a certificate given as PEM is served as it is; half of a pair is refused', async () => {
    const given = sandbox.tls!.certPem;
    const pair = createSelfSignedCertificate({ commonName: 'given' });
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-tls-'));
    try {
      await expect(
        startStandaloneSandbox({ SANDBOX_PORT: '0', SANDBOX_TLS_PORT: '0', SANDBOX_TLS_CERT: given }),
      ).rejects.toThrow('SANDBOX_TLS_CERT and SANDBOX_TLS_KEY');
      const started = await startStandaloneSandbox({
        SANDBOX_PORT: '0',
        SANDBOX_TLS_PORT: '0',
        SANDBOX_TLS_CERT: pair.certPem,
        SANDBOX_TLS_KEY: pair.keyPem,
        SANDBOX_KEYS_FILE: join(dir, 'keys.json'),
      });
      try {
        expect(started.sandbox.tls!.certPem).toBe(pair.certPem);
        const res = await httpsPost(`${started.sandbox.tls!.url}/sandbox/counts`, pair.certPem, {}, '');
        expect(res.status).toBeLessThan(500);
      } finally {
        await started.sandbox.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
