/**
 * The console in a real Chromium (Debian's `chromium` package, driven by playwright-core) against
 * the whole service over real HTTP. The console's assets are built from the current sources into
 * a temporary folder first, the way `npm run build` builds them, so a test never sees stale ones.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ROOT = resolve(__dirname, '../..');

export interface BuiltConsole {
  dir: string;
  remove(): void;
}

export function buildConsoleAssets(): BuiltConsole {
  const dir = mkdtempSync(join(tmpdir(), 'order-capture-console-'));
  execFileSync(process.execPath, [join(ROOT, 'scripts/build-console.mjs'), dir], { stdio: 'pipe' });
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `no Chromium at ${CHROMIUM_PATH}: install Debian's package (apt-get install -y chromium) or set CHROMIUM_PATH`,
    );
  }
  // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--no-sandbox'] });
}

/** Laptop and phone widths, for the screenshots in docs/. */
export const LAPTOP = { width: 1280, height: 860 };
export const PHONE = { width: 390, height: 844 };
export const DOCS = join(ROOT, 'docs');

export interface SeenRequest {
  url: string;
  authorization: string | undefined;
}

/** Every request the page makes, with the Authorization header it carried. */
export function recordRequests(page: Page): SeenRequest[] {
  const seen: SeenRequest[] = [];
  page.on('request', (r) => seen.push({ url: r.url(), authorization: r.headers().authorization }));
  return seen;
}

/** Fails the test on any script error in the page (a CSP violation included). */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    // The API's 4xx answers (a refused token, a refused action) are part of the tests.
    if (m.type() === 'error' && !/status of 4\d\d/.test(m.text())) errors.push(m.text());
  });
  return errors;
}

export async function signIn(page: Page, baseUrl: string, token: string): Promise<void> {
  await page.goto(`${baseUrl}/console`);
  await page.getByLabel('Admin token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
}
