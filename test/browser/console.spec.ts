/**
 * The operator console in a real Chromium against the real service and the sandbox acquirer
 * (signed requests and notifications both ways). One Chromium for the file; each database gets
 * its own service and browser context. Waits are on conditions, never on fixed delays.
 */
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { describeEachDatabase } from '../support/databases';
import { applyEvent } from '../support/webhooks';
import {
  flowOrder,
  requestCapture,
  startFlowApp,
  until,
  type FlowApp,
  type FlowOrder,
} from '../http/capture-flow.support';
import {
  buildConsoleAssets,
  collectPageErrors,
  DOCS,
  launchChromium,
  LAPTOP,
  PHONE,
  recordRequests,
  signIn,
  type BuiltConsole,
  type SeenRequest,
} from './console.support';
import { call, TOKEN } from '../support/http-app';
import { HOUR, DAY } from '../support/time';

jest.setTimeout(60_000);

/** authorizedAt such that the 7-day deadline falls `ms` from now. */
const deadlineIn = (ms: number) => new Date(Date.now() - 7 * DAY + ms).toISOString();
const XSS = '<img src=x onerror="window.__pwned=1">';
/** Intl puts a no-break space between the currency code and the amount. */
const text = async (locator: { textContent(): Promise<string | null> }) =>
  ((await locator.textContent()) ?? '').replace(/\u00a0/g, ' ');

let browser: Browser;
let built: BuiltConsole;
beforeAll(async () => {
  built = buildConsoleAssets();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  built?.remove();
});

describeEachDatabase('operator console', (kind) => {
  let f: FlowApp;
  let context: BrowserContext;
  let page: Page;
  let requests: SeenRequest[];
  let errors: string[];
  let lapsing: FlowOrder;
  let review: FlowOrder;
  let hostile: FlowOrder;
  const tag = `${kind.toUpperCase()}-${Date.now().toString(36)}`;
  /** Screenshots for docs/ come from one database's run only. */
  const shoot = kind === 'sqlite';

  beforeAll(async () => {
    f = await startFlowApp(kind, { CONSOLE_ASSETS_DIR: built.dir });
    // The capture from the console stays "in process" until the test resolves it.
    lapsing = await flowOrder(
      f,
      { merchantOrderId: `SO-LAPSING-${tag}`, authorizedAt: deadlineIn(3 * HOUR) },
      [{ status: 'U', resolveAfterMs: 'manual' }],
    );
    for (const [i, at] of [26 * HOUR, 50 * HOUR, 51 * HOUR, 5 * DAY].entries()) {
      await flowOrder(f, { merchantOrderId: `SO-LIST-${tag}-${i}`, authorizedAt: deadlineIn(at) });
    }
    review = await flowOrder(f, { merchantOrderId: `SO-REVIEW-${tag}` });
    await applyEvent(f.t, review.id, {
      type: 'REVIEW_FLAGGED',
      reason: 'authorized amount differs from the shop total',
      at: new Date().toISOString(),
    });
    // A real signed notification from the sandbox whose resultMessage is markup.
    hostile = await flowOrder(f, { merchantOrderId: `SO-HOSTILE-${tag}`, acquirer: 'antom' }, [
      { status: 'F', code: 'PROCESS_FAIL', message: XSS },
    ]);
    expect((await requestCapture(f, hostile.id)).status).toBe(202);
    await until(f, hostile.id, (o) => o.notifications.length > 0 && o.state === 'captureFailed');

    // A fixed locale and zone: the texts checked below are formatted by the browser.
    context = await browser.newContext({ viewport: LAPTOP, locale: 'en-US', timezoneId: 'UTC' });
    page = await context.newPage();
    requests = recordRequests(page);
    errors = collectPageErrors(page);
  });
  afterAll(async () => {
    await context?.close();
    await f?.close();
  });
  afterEach(() => expect(errors).toEqual([]));

  const section = (id: string) => page.locator(`section[aria-labelledby="${id}"]`);

  it('refuses a wrong token, signs in, and shows the lapsing order on the Now page', async () => {
    await signIn(page, f.t.baseUrl, 'not-the-admin-token-at-all');
    await page.getByText('The service refused this token.').waitFor();
    expect(await page.evaluate('sessionStorage.length')).toBe(0);

    await page.getByLabel('Admin token').fill(TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const row = section('lapsing').locator('tr', { hasText: lapsing.merchantOrderId });
    await row.waitFor();
    expect(await row.locator('.countdown').textContent()).toMatch(/^2h 5\dm \d\ds left$/);
    await section('review').getByText('authorized amount differs from the shop total').waitFor();
    await section('failed').getByText(hostile.merchantOrderId).waitFor();
    await page
      .locator('.cliff figcaption', { hasText: /^\d+ authorizations lapse in the next 7 days/ })
      .waitFor();

    // The token stays in this tab's sessionStorage, goes on data calls, never on assets or URLs.
    expect(await page.evaluate('[localStorage.length, document.cookie]')).toEqual([0, '']);
    const assets = requests.filter((r) => r.url.includes('/console'));
    const data = requests.filter((r) => /\/(admin|orders)\//.test(new URL(r.url).pathname));
    expect(assets.length).toBeGreaterThan(3);
    expect(assets.filter((r) => r.authorization !== undefined)).toEqual([]);
    expect(data.length).toBeGreaterThan(3);
    expect(data.every((r) => r.authorization === `Bearer ${TOKEN}` || r.url.endsWith('/admin/stats'))).toBe(
      true,
    );
    expect(requests.filter((r) => r.url.includes(TOKEN))).toEqual([]);
    if (shoot) {
      await page.screenshot({ path: join(DOCS, 'console-now.png'), fullPage: true });
      await page.setViewportSize(PHONE);
      await page.screenshot({ path: join(tmpdir(), 'console-now-phone.png'), fullPage: true });
      await page.setViewportSize(LAPTOP);
    }
  });

  it('opens the order, captures it, shows a refusal, and follows it to captured without a reload', async () => {
    await section('lapsing').getByRole('link', { name: lapsing.merchantOrderId }).click();
    await page.locator('h1 .badge[data-state="authorized"]').waitFor();
    expect(await text(page.locator('#amount-remaining'))).toBe('USD 100.00');
    await page.evaluate('window.__sameDocument = true');

    await page.getByRole('button', { name: 'Capture...' }).click();
    const dialog = page.getByRole('dialog');
    expect(await text(dialog)).toContain(`USD 100.00 of order ${lapsing.merchantOrderId} will be captured`);
    await dialog.getByRole('button', { name: 'Capture USD 100.00' }).click();
    await page.getByText(/Capture of USD\s100\.00 requested/).waitFor();
    await page.locator('h1 .badge[data-state="capturePending"]').waitFor();

    // A second capture while the first is in process: the machine's reason is shown.
    await page.getByRole('button', { name: 'Capture...' }).click();
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /^Capture / })
      .click();
    await page.getByText('Refused: a capture attempt is already in flight').waitFor();

    const pending = await until(f, lapsing.id, (o) => o.attempts.some((a) => a.status === 'pending'));
    f.sandbox.resolve(pending.attempts[0]!.captureRequestId);
    await page.locator('h1 .badge[data-state="captured"]').waitFor({ timeout: 20_000 });
    expect(await page.evaluate('window.__sameDocument')).toBe(true);
    expect(await text(page.locator('#amount-captured'))).toBe('USD 100.00');
    expect(await text(page.locator('#amount-remaining'))).toBe('USD 0.00');
    await page.locator('#shipment', { hasText: 'May ship.' }).waitFor();
    await section('timeline').getByText('CAPTURE_SUCCEEDED').first().waitFor();
    await section('attempts').getByText('succeeded').waitFor();
    await section('notifications').locator('pre', { hasText: '"resultStatus": "S"' }).waitFor();
    if (shoot) {
      await page.screenshot({ path: join(DOCS, 'console-order.png'), fullPage: true });
      await page.setViewportSize(PHONE);
      await page.screenshot({ path: join(tmpdir(), 'console-order-phone.png'), fullPage: true });
      await page.setViewportSize(LAPTOP);
    }
  });

  it('resolves a review with a note', async () => {
    await page.goto(`${f.t.baseUrl}/console#/orders/${review.id}`);
    await page
      .locator('.banner.review', { hasText: 'authorized amount differs from the shop total' })
      .waitFor();
    await page.getByLabel('Note').fill('checked with the acquirer: the shop total was wrong');
    await page.getByRole('button', { name: 'Resolve review...' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Resolve the review' }).click();
    await page.getByText('Review resolved.').waitFor();
    await page.locator('.banner.review').waitFor({ state: 'detached' });
    await section('timeline').getByText('REVIEW_RESOLVED').waitFor();
    const order = await call<{ review: unknown }>(f.t, 'GET', `/orders/${review.id}`);
    expect(order.body.review).toBeNull();
  });

  it('filters and pages through the orders, and a shared URL shows the same page', async () => {
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Orders' }).click();
    await page.locator('#state-authorized').check();
    await page.getByLabel('Acquirer').selectOption('antom');
    await page.getByLabel('Per page').fill('2');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/#\/orders\?state=authorized&acquirer=antom&limit=2$/);
    const names = () => page.locator('tbody tr td:first-child').allTextContents();
    await page.getByRole('link', { name: 'Next page' }).waitFor();
    const first = await names();
    expect(first).toHaveLength(2);

    await page.getByRole('link', { name: 'Next page' }).click();
    await page.waitForURL(/cursor=/);
    await page.getByRole('link', { name: 'First page' }).waitFor();
    const second = await names();
    expect(second).toHaveLength(2);
    expect(second.filter((n) => first.includes(n))).toEqual([]);

    // A colleague opens the same link (a new tab: signing in first), and sees the same page.
    const shared = page.url();
    const other = await context.newPage();
    await other.goto(shared);
    await other.getByLabel('Admin token').fill(TOKEN);
    await other.getByRole('button', { name: 'Sign in' }).click();
    await other.locator('tbody tr').first().waitFor();
    expect(await other.locator('tbody tr td:first-child').allTextContents()).toEqual(second);
    expect(await other.locator('#state-authorized').isChecked()).toBe(true);
    expect(await other.getByLabel('Per page').inputValue()).toBe('2');
    await other.close();

    await page.reload();
    await page.locator('tbody tr').first().waitFor();
    expect(await names()).toEqual(second);
    if (shoot) {
      await page.setViewportSize(PHONE);
      await page.screenshot({ path: join(tmpdir(), 'console-orders-phone.png'), fullPage: true });
      await page.setViewportSize(LAPTOP);
    }

    await page.getByLabel('Search').fill(hostile.paymentId);
    await page.locator('#state-authorized').uncheck();
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/search=/);
    await page.locator('tbody tr', { hasText: hostile.merchantOrderId }).waitFor();
    expect(await names()).toEqual([hostile.merchantOrderId]);
  });

  it('shows an acquirer message that is markup as text, and runs nothing', async () => {
    await page.goto(`${f.t.baseUrl}/console#/orders/${hostile.id}`);
    const raw = section('notifications').locator('pre');
    await raw.first().waitFor();
    expect(await raw.first().textContent()).toContain(
      '"resultMessage": "<img src=x onerror=\\"window.__pwned=1\\">"',
    );
    await section('attempts').getByText(XSS, { exact: true }).waitFor();
    expect(await page.locator('main img').count()).toBe(0);
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
  });

  it('signs out with a message when the token is refused', async () => {
    await page.goto(`${f.t.baseUrl}/console#/`);
    await section('lapsing').waitFor();
    // What a revoked token looks like from the browser: the next data call answers 401.
    await page.evaluate("sessionStorage.setItem('order-capture.console.token', 'revoked-token-0123456789')");
    await page.getByText('The service refused the token (wrong or revoked). Sign in again.').waitFor();
    await page.getByLabel('Admin token').waitFor();
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
  });
});
