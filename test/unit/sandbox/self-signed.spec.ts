/**
 * The sandbox's certificate builder, checked by the parsers that will read its output: Node's
 * X509Certificate, a real TLS handshake that trusts only this certificate, and openssl where it
 * is installed.
 */
import { execFileSync } from 'node:child_process';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { objectId, time, unsignedInteger } from '../../../src/sandbox/der';
import { createSelfSignedCertificate } from '../../../src/sandbox/self-signed';

const cert = createSelfSignedCertificate({
  hosts: ['sandbox.test', '10.1.2.3'],
  now: new Date('2026-01-10T00:00:00Z'),
});

describe('DER primitives', () => {
  it('encodes object ids, positive integers and both time forms as X.690 says', () => {
    expect(objectId('1.2.840.113549.1.1.11').toString('hex')).toBe('06092a864886f70d01010b');
    expect(unsignedInteger(Buffer.from([0x80])).toString('hex')).toBe('02020080');
    expect(unsignedInteger(Buffer.from([0, 0, 5])).toString('hex')).toBe('020105');
    expect(time(new Date('2026-01-02T03:04:05Z')).toString('ascii', 2)).toBe('260102030405Z');
    expect(time(new Date('2051-01-02T03:04:05Z')).toString('ascii', 2)).toBe('20510102030405Z');
  });
});

describe('createSelfSignedCertificate', () => {
  it('is a v3 certificate that verifies with its own key, for loopback and the names given', () => {
    const x = new X509Certificate(cert.certPem);
    expect(x.verify(x.publicKey)).toBe(true);
    expect(x.ca).toBe(true);
    expect(x.subject).toBe('CN=order-capture sandbox');
    expect(x.checkHost('localhost')).toBe('localhost');
    expect(x.checkHost('sandbox.test')).toBe('sandbox.test');
    expect(x.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(x.checkIP('::1')).toBe('::1');
    expect(x.checkIP('10.1.2.3')).toBe('10.1.2.3');
    expect(x.checkHost('example.com')).toBeUndefined();
    expect(new Date(x.validFrom).toISOString()).toBe('2026-01-09T00:00:00.000Z');
    expect(new Date(x.validTo).toISOString()).toBe('2027-01-10T00:00:00.000Z');
    expect(x.checkPrivateKey(createPrivateKey(cert.keyPem))).toBe(true);
  });

  it('serves TLS to a client that trusts only this certificate, and is refused by one that does not', async () => {
    const fresh = createSelfSignedCertificate();
    const server = createServer({ cert: fresh.certPem, key: fresh.keyPem }, (_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const get = (ca?: string, host = '127.0.0.1') =>
      new Promise<string>((resolve, reject) => {
        const req = request(
          { host, port, path: '/', ca, servername: host === '127.0.0.1' ? undefined : host },
          (res) => {
            res.setEncoding('utf8');
            let text = '';
            res.on('data', (c: string) => (text += c));
            res.on('end', () => resolve(text));
          },
        );
        req.on('error', reject);
        req.end();
      });
    try {
      expect(await get(fresh.certPem)).toBe('ok');
      expect(await get(fresh.certPem, 'localhost')).toBe('ok');
      await expect(get(undefined)).rejects.toThrow(/self[- ]signed/i);
      await expect(get(cert.certPem)).rejects.toThrow();
    } finally {
      server.close();
    }
  });

  const openssl = (() => {
    try {
      execFileSync('openssl', ['version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();
  (openssl ? it : it.skip)(
    'passes openssl verify, strict mode included, with itself as the trust anchor',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'sandbox-cert-'));
      try {
        const file = join(dir, 'cert.pem');
        writeFileSync(file, createSelfSignedCertificate().certPem);
        const out = execFileSync('openssl', ['verify', '-x509_strict', '-CAfile', file, file], {
          encoding: 'utf8',
        });
        expect(out.trim()).toBe(`${file}: OK`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
