/**
 * `node dist/src/main.js` as operators start it: a bad configuration exits 1 naming the
 * variables (no stack trace); sandbox mode prints its generated ADMIN_TOKEN on stderr (never in
 * the logs), serves, and a SIGTERM ends it with exit 0.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateTestKeyPair } from '../fixtures/seed-bodies';
import { buildOnce, listeningUrl, spawnService, type ServiceProcess } from './service-process';

jest.setTimeout(300_000);

/** The plain `  ADMIN_TOKEN=...` line of the start-up banner on stderr. */
async function stderrToken(service: ServiceProcess): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const found = /^ {2}ADMIN_TOKEN=(\S+)$/m.exec(service.stderr());
    if (found) return found[1]!;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no ADMIN_TOKEN line on stderr:\n${service.stderr()}`);
}

beforeAll(() => buildOnce());

describe('node dist/src/main.js', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'oc-startup-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 1 on a bad configuration, naming every variable, without a stack trace', async () => {
    const service = spawnService({
      DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`,
      PORT: 'eighty',
      ANTOM_CLIENT_ID: 'SANDBOX_X',
    });
    const { code } = await service.exited;
    expect(code).toBe(1);
    const stderr = service.stderr();
    expect(stderr).toContain('invalid configuration');
    expect(stderr).toContain('PORT');
    expect(stderr).toContain('ANTOM_BASE_URL');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 1 in live mode without keys or ADMIN_TOKEN', async () => {
    const service = spawnService({ DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, ACQUIRER_MODE: 'live' });
    expect((await service.exited).code).toBe(1);
    expect(service.stderr()).toContain('ADMIN_TOKEN is required when ACQUIRER_MODE=live');
    expect(service.stderr()).toContain('ACQUIRER_MODE=live needs ANTOM_* or PAYERMAX_*');
  });

  it('exits 1 in live mode on a plain http:// acquirer URL off loopback and an ADMIN_TOKEN with whitespace', async () => {
    const keys = generateTestKeyPair();
    const service = spawnService({
      DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`,
      ACQUIRER_MODE: 'live',
      ADMIN_TOKEN: 'a long enough admin token',
      ANTOM_BASE_URL: 'http://open-na-global.alipay.com',
      ANTOM_CLIENT_ID: 'LIVE_CLIENT',
      ANTOM_MERCHANT_PRIVATE_KEY: keys.privateKeyBase64,
      ANTOM_PUBLIC_KEY: keys.publicKeyBase64,
    });
    expect((await service.exited).code).toBe(1);
    expect(service.stderr()).toContain('ANTOM_BASE_URL must be https:// when ACQUIRER_MODE=live');
    expect(service.stderr()).toContain('ADMIN_TOKEN must not contain whitespace');
    expect(service.stderr()).not.toMatch(/\n\s+at /);
  });

  it('prints the generated ADMIN_TOKEN once in sandbox mode, serves with it, and stops cleanly on SIGTERM', async () => {
    const service = spawnService({ DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, LOG_LEVEL: 'info' });
    try {
      const url = await listeningUrl(service);
      await service.waitForLine((l) =>
        (typeof l.msg === 'string' ? l.msg : '').startsWith('ADMIN_TOKEN was not set'),
      );
      const token = await stderrToken(service);

      expect((await fetch(`${url}/health`)).status).toBe(200);
      expect((await fetch(`${url}/orders?paymentId=none`)).status).toBe(401);
      const authorized = await fetch(`${url}/orders?paymentId=none`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(authorized.status).not.toBe(401);
    } finally {
      service.child.kill('SIGTERM');
    }
    expect(await service.exited).toEqual({ code: 0, signal: null });
    expect(service.lines.some((l) => l.msg === 'shut down cleanly')).toBe(true);
    // A person sees it on the terminal, once; the JSON logs (kept, shipped) never hold it.
    const token = await stderrToken(service);
    expect(service.stderr().split(`ADMIN_TOKEN=${token}`).length - 1).toBe(2);
    expect(service.stderr()).toMatch(/^ {2}ADMIN_TOKEN=\S+$/m);
    expect(service.stderr()).toMatch(/^ {2}SANDBOX_URL=http:\/\/127\.0\.0\.1:\d+$/m);
    expect(service.stdout()).not.toContain(token);
  });
});
