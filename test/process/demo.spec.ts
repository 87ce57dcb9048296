/**
 * `npm run demo` (scripts/demo.mjs) as a newcomer meets it: with no DEMO_URL it looks for the
 * service where `npm start` puts it (PORT, default 3000), and when nothing answers it says
 * which URL it tried instead of a bare "fetch failed".
 */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { closedPort } from '../http/sandbox.support';

const DEMO = resolve(__dirname, '../../scripts/demo.mjs');

function demo(env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [DEMO],
      { env: { PATH: process.env.PATH ?? '', ...env } },
      (err, stdout, stderr) =>
        done({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const credentials = { ADMIN_TOKEN: 'a-long-enough-admin-token', SANDBOX_URL: 'http://127.0.0.1:9' };

describe('npm run demo', () => {
  it('defaults to http://127.0.0.1:$PORT and names the URL it could not reach', async () => {
    const port = await closedPort();
    const run = await demo({ ...credentials, PORT: String(port) });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`demo failed: GET http://127.0.0.1:${port}/health: ECONNREFUSED`);
    expect(run.stderr).toContain('set DEMO_URL or PORT');
  });

  it('takes DEMO_URL over PORT', async () => {
    const port = await closedPort();
    const run = await demo({ ...credentials, PORT: '1', DEMO_URL: `http://127.0.0.1:${port}/` });
    expect(run.stderr).toContain(`GET http://127.0.0.1:${port}/health: ECONNREFUSED`);
  });

  it('without credentials, says what to set and where it expects the service', async () => {
    const run = await demo({ PORT: '3456' });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('ADMIN_TOKEN=<printed by npm start>');
    expect(run.stdout).toContain('http://127.0.0.1:3456');
  });
});
