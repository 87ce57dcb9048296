import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../src/config/app-config';
import { buildConsoleAssets, type BuiltConsole } from '../browser/console.support';
import { describeEachDatabase } from '../support/databases';
import { startTestApp, type TestApp } from '../support/http-app';

let built: BuiltConsole;
beforeAll(() => {
  built = buildConsoleAssets();
});
afterAll(() => built?.remove());

const env = (extra: Record<string, string> = {}) => ({
  ADMIN_TOKEN: 'console-test-token-0123456789',
  SCHEDULER_ENABLED: 'false',
  LOG_LEVEL: 'silent',
  CONSOLE_ASSETS_DIR: built.dir,
  ...extra,
});

describeEachDatabase('the console is served', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind, env());
  });
  afterAll(() => t.close());

  it('serves its page and assets without a token, under a CSP without inline script, never framed', async () => {
    const page = await t.http('/console');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp.split('; ')).toEqual(
      expect.arrayContaining(["default-src 'none'", "script-src 'self'", "frame-ancestors 'none'"]),
    );
    expect(csp).not.toContain('unsafe');
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await page.text();
    expect(html).toContain('<script type="module" src="/console/assets/main.js"></script>');
    // Every script is a file of ours: none inline, none from elsewhere.
    expect(html.match(/<script[^>]*>/g)).toEqual(['<script type="module" src="/console/assets/main.js">']);
    expect(html).not.toMatch(/https?:\/\//);

    const js = await t.http('/console/assets/main.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('content-security-policy')).toBe(csp);
    expect((await t.http('/console/assets/console.css')).headers.get('content-type')).toBe(
      'text/css; charset=utf-8',
    );
  });

  it('serves only the files of its folder', async () => {
    for (const path of [
      '/console/assets/..%2Fconsole.module.js',
      '/console/assets/..%2F..%2Fpackage.json',
      '/console/assets/nothing.js',
      '/console/assets/tsconfig.json',
    ]) {
      const res = await t.http(path);
      expect([path, res.status]).toEqual([path, 404]);
    }
  });
});

describeEachDatabase('the console configured', (kind) => {
  it('moves to CONSOLE_PATH, and CONSOLE_ENABLED=false removes it', async () => {
    const moved = await startTestApp(kind, env({ CONSOLE_PATH: '/ops/console' }));
    try {
      expect((await moved.http('/console')).status).toBe(404);
      const page = await moved.http('/ops/console');
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('src="/ops/console/assets/main.js"');
      expect((await moved.http('/ops/console/assets/main.js')).status).toBe(200);
    } finally {
      await moved.close();
    }
    const off = await startTestApp(kind, env({ CONSOLE_ENABLED: 'false' }));
    try {
      expect((await off.http('/console')).status).toBe(404);
      expect((await off.http('/console/assets/main.js')).status).toBe(404);
    } finally {
      await off.close();
    }
  });

  it('answers 503 while its assets were never built, and the service runs on', async () => {
    const unbuilt = await startTestApp(kind, env({ CONSOLE_ASSETS_DIR: join(built.dir, 'missing') }));
    try {
      const res = await unbuilt.http('/console');
      // The reason (run npm run build) goes to the log; a 5xx answer never says what failed inside.
      expect(res.status).toBe(503);
      expect((await unbuilt.http('/health/live')).status).toBe(200);
    } finally {
      await unbuilt.close();
    }
  });
});

describe('console configuration', () => {
  it.each([
    ['console', 'CONSOLE_PATH must be a path like /console'],
    ['/console/', 'CONSOLE_PATH must be a path like /console'],
    ['/Console', 'CONSOLE_PATH must be a path like /console'],
    ['/admin/console', 'CONSOLE_PATH must not be under a route of the service'],
  ])('refuses CONSOLE_PATH=%s', (path, problem) => {
    let error: unknown;
    try {
      loadConfig({ CONSOLE_PATH: path });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([expect.stringContaining(problem)]);
  });

  it('is on at /console by default', () => {
    expect(loadConfig({}).console).toEqual({ enabled: true, path: '/console' });
    expect(() => loadConfig({ CONSOLE_ENABLED: 'maybe' })).toThrow('CONSOLE_ENABLED must be true or false');
  });
});
