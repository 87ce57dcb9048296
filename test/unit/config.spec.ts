/**
 * Configuration errors stop the start with a message that names the variable (never a key's or
 * password's text), all problems at once; through loadConfig and through @nestjs/config.
 */
import { ConfigModule } from '@nestjs/config';
import { ConfigError, loadConfig } from '../../src/config/app-config';
import { validateEnvironment } from '../../src/config/config.module';
import { generateTestKeyPair } from '../fixtures/seed-bodies';

const antomKeys = generateTestKeyPair();
const merchantKeys = generateTestKeyPair();

const ANTOM = {
  ANTOM_BASE_URL: 'https://open-na-global.alipay.com',
  ANTOM_CLIENT_ID: 'SANDBOX_5YTEST0000000001',
  ANTOM_MERCHANT_PRIVATE_KEY: merchantKeys.privateKeyBase64,
  ANTOM_PUBLIC_KEY: antomKeys.publicKeyBase64,
};
const ADMIN_TOKEN = 'a-long-enough-admin-token';

/** The problems loadConfig reports for this environment ([] when it accepts it). */
function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return err.problems;
  }
}

describe('configuration', () => {
  it('starts in sandbox mode with nothing set, generating an admin token', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      acquirerMode: 'sandbox',
      adminTokenGenerated: true,
      shutdownTimeoutMs: 30000,
    });
    expect(config.capture.adminToken).toMatch(/^\S{16,}$/);
    expect(loadConfig({}).capture.adminToken).not.toBe(config.capture.adminToken);
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['SCHEDULER_INTERVAL_MS', '5s'],
    ['SCHEDULER_INTERVAL_MS', '9999999999'],
    ['SCHEDULER_CONCURRENCY', '0'],
    ['SCHEDULER_CONCURRENCY', 'many'],
    ['CAPTURE_RETRY_MAX', '-1'],
    ['CAPTURE_DEADLINE_DAYS', '0'],
    ['BODY_LIMIT_BYTES', '12.5'],
    ['ACQUIRER_TIMEOUT_MS', '0'],
    ['SHUTDOWN_TIMEOUT_MS', 'soon'],
    ['MIGRATE_ON_START', 'maybe'],
    ['SCHEDULER_ENABLED', 'on?'],
    ['INQUIRY_BACKOFF_MS', '1000,x'],
    ['LOG_LEVEL', 'loud'],
    ['ACQUIRER_MODE', 'production'],
    ['SHIPPING_WEBHOOK_URL', 'ftp://example.com'],
  ])('a malformed %s (%s) is named', (name, value) => {
    const found = problems({ [name]: value });
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(name);
  });

  it('a bad DATABASE_URL is named without printing its password', () => {
    expect(problems({ DATABASE_URL: 'mysql://root:hunter2@db/orders' })).toEqual([
      expect.stringContaining('DATABASE_URL'),
    ]);
    const [broken] = problems({ DATABASE_URL: 'postgres://app:hunter2@db:notaport/orders' });
    expect(broken).toContain('DATABASE_URL');
    expect(broken).not.toContain('hunter2');
    expect(problems({ DATABASE_URL: 'sqlite:' })).toEqual([expect.stringContaining('DATABASE_URL')]);
    expect(problems({ DATABASE_URL: 'postgres://app:pw@127.0.0.1:5432/orders' })).toEqual([]);
  });

  it('an acquirer configured by halves names the missing variables', () => {
    const [found] = problems({ ANTOM_CLIENT_ID: 'X', ANTOM_BASE_URL: 'https://a.example' });
    expect(found).toContain('ANTOM_MERCHANT_PRIVATE_KEY');
    expect(found).toContain('ANTOM_PUBLIC_KEY');
    expect(problems({ PAYERMAX_APP_ID: 'app' })).toEqual([expect.stringContaining('PAYERMAX_BASE_URL')]);
  });

  it('an unreadable key is named, and its text is not repeated', () => {
    const garbage = 'bm90IGEga2V5IGF0IGFsbA==';
    const [found] = problems({ ...ANTOM, ANTOM_MERCHANT_PRIVATE_KEY: garbage });
    expect(found).toContain('ANTOM_MERCHANT_PRIVATE_KEY');
    expect(found).not.toContain(garbage);
    const [swapped] = problems({ ...ANTOM, ANTOM_PUBLIC_KEY: merchantKeys.privateKeyPem });
    expect(swapped).toContain('ANTOM_PUBLIC_KEY');
    expect(swapped).not.toContain('PRIVATE KEY-----');
  });

  it('live mode needs acquirer keys and an ADMIN_TOKEN', () => {
    expect(problems({ ACQUIRER_MODE: 'live', ADMIN_TOKEN })).toEqual([
      expect.stringMatching(/ACQUIRER_MODE=live needs ANTOM_\* or PAYERMAX_\*/),
    ]);
    expect(problems({ ACQUIRER_MODE: 'live', ...ANTOM })).toEqual([expect.stringContaining('ADMIN_TOKEN')]);
    const live = loadConfig({ ACQUIRER_MODE: 'live', ADMIN_TOKEN, ...ANTOM });
    expect(live).toMatchObject({ acquirerMode: 'live', adminTokenGenerated: false });
    expect(live.capture.adminToken).toBe(ADMIN_TOKEN);
    expect(live.capture.antom?.clientId).toBe(ANTOM.ANTOM_CLIENT_ID);
  });

  it('a short ADMIN_TOKEN is refused in either mode', () => {
    expect(problems({ ADMIN_TOKEN: 'short' })).toEqual([expect.stringContaining('ADMIN_TOKEN')]);
    expect(problems({ ACQUIRER_MODE: 'live', ADMIN_TOKEN: 'short', ...ANTOM })).toEqual([
      expect.stringContaining('ADMIN_TOKEN'),
    ]);
  });

  it.each(['ADMIN_TOKEN', 'OPS_TOKEN'])('%s with whitespace is refused: it could never match', (name) => {
    for (const token of [
      'a-long-enough token',
      ' a-long-enough-admin-token',
      'a-long-enough-admin-token\n',
    ]) {
      expect(problems({ [name]: token })).toEqual([`${name} must not contain whitespace`]);
    }
    expect(problems({ [name]: 'short' })).toEqual([`${name} must be at least 16 characters`]);
  });

  it('acquirer calls in flight per instance: SCHEDULER_CONCURRENCY, 64 unless set', () => {
    expect(loadConfig({}).capture.schedulerConcurrency).toBe(64);
    expect(loadConfig({ SCHEDULER_CONCURRENCY: '200' }).capture.schedulerConcurrency).toBe(200);
    expect(problems({ SCHEDULER_CONCURRENCY: '0' })).toEqual([
      'SCHEDULER_CONCURRENCY must be an integer from 1 to 10000 (got "0")',
    ]);
  });

  it('OPS_TOKEN is optional, and kept apart from ADMIN_TOKEN', () => {
    expect(loadConfig({ ADMIN_TOKEN }).capture.opsToken).toBeUndefined();
    const config = loadConfig({ ADMIN_TOKEN, OPS_TOKEN: 'an-ops-token-for-prometheus' });
    expect(config.capture).toMatchObject({
      adminToken: ADMIN_TOKEN,
      opsToken: 'an-ops-token-for-prometheus',
    });
  });

  describe('plain http acquirer URLs', () => {
    const PAYERMAX = {
      PAYERMAX_BASE_URL: 'https://pay-gate.payermax.com',
      PAYERMAX_APP_ID: 'APP',
      PAYERMAX_MERCHANT_NO: 'M1',
      PAYERMAX_MERCHANT_PRIVATE_KEY: merchantKeys.privateKeyBase64,
      PAYERMAX_PUBLIC_KEY: antomKeys.publicKeyBase64,
    };
    const live = { ACQUIRER_MODE: 'live', ADMIN_TOKEN, ...ANTOM, ...PAYERMAX };

    it.each(['ANTOM_BASE_URL', 'PAYERMAX_BASE_URL'])(
      '%s http:// off loopback is refused in live mode',
      (name) => {
        for (const url of [
          'http://open-na-global.alipay.com',
          'http://10.0.0.5:8080',
          'http://127.0.0.1.example.com',
        ]) {
          expect(problems({ ...live, [name]: url })).toEqual([
            `${name} must be https:// when ACQUIRER_MODE=live (plain http:// only on loopback: 127.0.0.0/8, ::1, localhost)`,
          ]);
        }
      },
    );

    it.each(['http://127.0.0.1:4100', 'http://127.3.2.1', 'http://[::1]:4100/base', 'http://localhost:4100'])(
      'is accepted on loopback in live mode (%s)',
      (url) => {
        expect(problems({ ...live, ANTOM_BASE_URL: url, PAYERMAX_BASE_URL: url })).toEqual([]);
      },
    );

    it('is accepted anywhere in sandbox mode, as before', () => {
      const config = loadConfig({ ...ANTOM, ANTOM_BASE_URL: 'http://antom-mock.internal:8080' });
      expect(config.capture.antom?.baseUrl).toBe('http://antom-mock.internal:8080');
    });
  });

  it('reports every problem at once', () => {
    const found = problems({ PORT: 'x', LOG_LEVEL: 'loud', ANTOM_CLIENT_ID: 'X' });
    expect(found).toHaveLength(3);
    expect(found.join('\n')).toMatch(/PORT[\s\S]*LOG_LEVEL|LOG_LEVEL[\s\S]*PORT/);
    expect(() => loadConfig({ PORT: 'x' })).toThrow(/^invalid configuration:\n {2}PORT/);
  });

  describe('through @nestjs/config', () => {
    const saved = { ...process.env };
    afterEach(() => {
      process.env = { ...saved };
    });

    it('validates the environment with the same schema', async () => {
      process.env.SCHEDULER_INTERVAL_MS = 'often';
      await expect(
        ConfigModule.forRoot({ ignoreEnvFile: true, validate: validateEnvironment }),
      ).rejects.toThrow(/SCHEDULER_INTERVAL_MS/);
    });

    it('hands out the typed configuration', () => {
      expect(validateEnvironment({ PORT: 8080, SCHEDULER_ENABLED: false }).app).toMatchObject({
        port: 8080,
        capture: { schedulerEnabled: false },
      });
    });
  });
});
