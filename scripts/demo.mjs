/* global fetch, setTimeout */
/**
 * `npm run demo`: a guided tour of the capture lifecycle against a running `npm start`
 * (sandbox mode), through the admin API and the sandbox acquirer's control routes.
 *
 *   ADMIN_TOKEN=... SANDBOX_URL=... npm run demo
 *
 * ADMIN_TOKEN and SANDBOX_URL are printed on stderr by `npm start` in sandbox mode. DEMO_URL is
 * the service (default http://127.0.0.1:$PORT, PORT defaulting to 3000, as `npm start` does).
 * The automatic retry waits CAPTURE_RETRY_BACKOFF_MS (60 s by default); start the service with
 * CAPTURE_RETRY_BACKOFF_MS=5000 SCHEDULER_INTERVAL_MS=1000 for a brisk tour.
 */
const BASE = (process.env.DEMO_URL || `http://127.0.0.1:${process.env.PORT || 3000}`).replace(/\/$/, '');
const TOKEN = process.env.ADMIN_TOKEN;
const SANDBOX = (process.env.SANDBOX_URL || '').replace(/\/$/, '');
const DAY = 86_400_000;
const run = Date.now().toString(36);
let seq = 0;

const out = (line = '') => process.stdout.write(`${line}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** fetch, but a failure says which URL it tried and why ("fetch failed" alone helps nobody). */
async function reach(url, init = {}) {
  try {
    return await fetch(url, init);
  } catch (err) {
    const why = err.cause?.code ?? err.cause?.message ?? err.message;
    const hint = url.startsWith(BASE)
      ? 'is the service running there? set DEMO_URL or PORT'
      : 'check SANDBOX_URL';
    throw new Error(`${init.method ?? 'GET'} ${url}: ${why} (${hint})`);
  }
}

async function api(method, path, body, base = BASE) {
  const headers = { authorization: `Bearer ${TOKEN}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await reach(`${base}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const json = text ? JSON.parse(text) : null;
  if (res.status >= 400 && res.status !== 409) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return { status: res.status, body: json };
}

const sandbox = (path, body) => api('POST', path, body, SANDBOX);

/** Registers the payment at the sandbox (with scripted outcomes) and the order at the service. */
async function newOrder(label, fields = {}, outcomes = []) {
  seq += 1;
  const paymentId = `DEMO-${run}-${seq}`;
  const amount = fields.amount ?? { currency: 'USD', value: '4990' };
  await sandbox('/sandbox/script', { paymentId, amount, outcomes });
  const order = {
    merchantOrderId: `demo-${run}-${seq}`,
    acquirer: 'antom',
    paymentId,
    amount,
    captureMode: 'MANUAL',
    ...fields,
  };
  const { body } = await api('POST', '/orders', order);
  out(`\n== ${label}`);
  out(
    `   order ${body.id} (${order.acquirer} payment ${paymentId}, ${amount.currency} ${amount.value} minor units, ${order.captureMode})`,
  );
  return body;
}

async function waitFor(orderId, states, seconds) {
  const end = Date.now() + seconds * 1000;
  let order;
  while (Date.now() < end) {
    order = (await api('GET', `/admin/orders/${orderId}`)).body;
    if (states.includes(order.state)) return order;
    process.stdout.write('.');
    await sleep(1000);
  }
  out(` (still ${order?.state} after ${seconds} s)`);
  return order;
}

async function waitForEvent(orderId, event, seconds) {
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    const { body } = await api('GET', `/admin/orders/${orderId}`);
    if (body.transitions.some((t) => t.event === event)) return;
    await sleep(250);
  }
}

async function history(orderId) {
  const { body: o } = await api('GET', `/admin/orders/${orderId}`);
  out(
    `   state: ${o.state}, captured ${o.capturedAmount.value} of ${o.amount.value}${o.review ? `, review: ${o.review.reason}` : ''}`,
  );
  for (const t of o.transitions)
    out(`     ${t.at}  ${t.from.padEnd(17)} -> ${t.to.padEnd(17)} ${t.event.padEnd(18)} (${t.source})`);
  for (const a of o.attempts)
    out(`     attempt ${a.captureRequestId}: ${a.status}${a.resultCode ? ` ${a.resultCode}` : ''}`);
  return o;
}

async function main() {
  if (!TOKEN || !SANDBOX) {
    out('Start the service with `npm start` (sandbox mode), then run:');
    out('  ADMIN_TOKEN=<printed by npm start> SANDBOX_URL=<printed by npm start> npm run demo');
    out(`  (the service is expected at ${BASE}; set DEMO_URL, or PORT, if it listens elsewhere)`);
    process.exitCode = 1;
    return;
  }
  const health = await reach(`${BASE}/health`);
  out(`order-capture at ${BASE}: /health ${health.status}; sandbox acquirer at ${SANDBOX}`);
  const summary = [];

  // 1. The happy path: an operator captures, the acquirer says S, the notification confirms.
  const happy = await newOrder('Captured: an operator captures, the acquirer answers S');
  const accepted = await api('POST', `/admin/orders/${happy.id}/capture`, {});
  out(
    `   POST /admin/orders/:id/capture -> ${accepted.status}, captureRequestId ${accepted.body.captureRequestId} committed before the call`,
  );
  await waitFor(happy.id, ['captured'], 15);
  summary.push(['captured', await history(happy.id)]);

  // 2. F with a retryable code at the scheduled time, then a retry with a NEW captureRequestId.
  const retry = await newOrder(
    'Failing and retrying: scheduled capture answered F USER_BALANCE_NOT_ENOUGH, retried by the scheduler',
    { captureAt: new Date().toISOString() },
    [{ status: 'F', code: 'USER_BALANCE_NOT_ENOUGH', message: 'insufficient balance' }, {}],
  );
  out('   waiting for the scheduler: capture, failure, backoff (CAPTURE_RETRY_BACKOFF_MS), retry');
  await waitFor(retry.id, ['captured'], 120);
  summary.push(['failed, retried', await history(retry.id)]);

  // 3. U and a lost notification: only an inquiry can tell. The operator reconciles now.
  const unsure = await newOrder('Reconciled: the acquirer answers U and its notification is lost', {}, [
    { status: 'U', resolveAfterMs: 'manual', notify: { lost: true } },
  ]);
  const sent = await api('POST', `/admin/orders/${unsure.id}/capture`, {});
  await waitForEvent(unsure.id, 'CAPTURE_PENDING', 15);
  await sandbox('/sandbox/resolve', { captureRequestId: sent.body.captureRequestId });
  out('   the acquirer has now captured, but nobody told us; POST /admin/orders/:id/reconcile asks it');
  const rec = await api('POST', `/admin/orders/${unsure.id}/reconcile`, {});
  out(
    `   inquiry: ${rec.body.outcome}, captures reported: ${rec.body.captures.map((c) => `${c.captureRequestId} ${c.status} -> ${c.result}`).join(', ')}`,
  );
  summary.push(['reconciled', await history(unsure.id)]);

  // 4. The authorization lifetime runs out: warned, the acquirer asked first, then autoCancelled.
  const expiring = await newOrder('Expiring: authorized 7 days ago, nobody captures', {
    authorizedAt: new Date(Date.now() - 7 * DAY + 8_000).toISOString(),
  });
  out('   the deadline is 8 s away: the scheduler warns, then asks the acquirer, then expires the order');
  await waitFor(expiring.id, ['autoCancelled', 'captured'], 60);
  summary.push(['expired', await history(expiring.id)]);

  // 5. AUTOMATIC: the acquirer captures by itself and notifies; we never call capture.
  const auto = await newOrder('Automatic capture: the acquirer captures and notifies', {
    captureMode: 'AUTOMATIC',
  });
  await sandbox('/sandbox/acquirer-capture', {
    acquirer: 'antom',
    paymentId: auto.paymentId,
    amount: auto.amount,
  });
  await waitFor(auto.id, ['captured'], 15);
  summary.push(['automatic', await history(auto.id)]);

  // 6. The authorization is gone: no retry can help.
  const gone = await newOrder('Authorization gone: the acquirer answers F AUTH_EXPIRED', {}, [
    { status: 'F', code: 'AUTH_EXPIRED' },
  ]);
  await api('POST', `/admin/orders/${gone.id}/capture`, {});
  await waitFor(gone.id, ['autoCancelled'], 15);
  summary.push(['authorization gone', await history(gone.id)]);

  out('\n== Summary');
  for (const [what, o] of summary) {
    const shipment = (await api('GET', `/orders/${o.id}/shipment`)).body;
    out(`   ${what.padEnd(20)} ${o.state.padEnd(15)} shippable: ${shipment.shippable}`);
  }
  const counts = await (await reach(`${SANDBOX}/sandbox/counts`)).json();
  out(`\nThe sandbox saw ${counts.captureCalls} capture calls in all; per payment of this run:`);
  for (const [paymentId, c] of Object.entries(counts.byPaymentId).filter(([id]) => id.includes(run))) {
    out(`   ${paymentId}: ${c.calls} calls, ${c.succeeded} succeeded, ${c.inquiries} inquiries`);
  }
}

main().catch((err) => {
  process.stderr.write(`demo failed: ${err.message}\n`);
  process.exitCode = 1;
});
