/**
 * The sandbox acquirer: a real HTTP server on loopback that speaks Antom's and PayerMax's
 * protocols (signed both ways), sends signed notifications to the service with the documented
 * retries, and does what a test scripts per payment. In-process: createSandbox(); as its own
 * process: src/sandbox/main.ts.
 */
import Fastify from 'fastify';
import { antomDelivery, registerAntomRoutes } from './antom-sim';
import { registerControlRoutes } from './control-routes';
import { HeldRequests, keepRawJson } from './http-kit';
import { generateRsaPairAsync } from './key-pairs';
import { Ledger } from './ledger';
import { DOCUMENTED_RETRY_SCHEDULES, Notifier, type Delivery } from './notifier';
import { payermaxDelivery, registerPayermaxRoutes } from './payermax-sim';
import type { Sandbox, SandboxKeys } from './sandbox-api';
import type { NotifyPlan, SandboxCapture, SandboxOptions } from './sandbox-types';
import { listenTls, type TlsListener } from './tls-listener';

export type { Sandbox } from './sandbox-api';

export const SANDBOX_DEFAULTS = {
  antomClientId: 'SANDBOX_ORDER_CAPTURE',
  antomNotifyPath: '/webhooks/antom',
  payermaxAppId: 'sandbox-app',
  payermaxMerchantNo: 'SANDBOX000001',
  payermaxNotifyPath: '/webhooks/payermax/capture',
} as const;

export async function createSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const needsMerchant = !options.antom?.merchantPublicKey || !options.payermax?.merchantPublicKey;
  const [sandboxKeys, merchant] = await Promise.all([
    options.sandboxKeys ?? generateRsaPairAsync(),
    options.merchantKeys ?? (needsMerchant ? generateRsaPairAsync() : undefined),
  ]);
  const antom = {
    clientId: options.antom?.clientId,
    merchantPublicKey: options.antom?.merchantPublicKey ?? merchant!.publicKey,
    privateKey: sandboxKeys.privateKey,
    notifyPath: options.antom?.notifyPath ?? SANDBOX_DEFAULTS.antomNotifyPath,
    captureLatencyMs: options.captureLatencyMs,
  };
  const payermax = {
    appId: options.payermax?.appId,
    merchantNo: options.payermax?.merchantNo,
    merchantPublicKey: options.payermax?.merchantPublicKey ?? merchant!.publicKey,
    privateKey: sandboxKeys.privateKey,
    amountUnit: options.payermax?.amountUnit ?? 'major',
    notifyPath: options.payermax?.notifyPath ?? SANDBOX_DEFAULTS.payermaxNotifyPath,
    captureLatencyMs: options.captureLatencyMs,
  };
  const keys: SandboxKeys = {
    sandboxPublicKey: sandboxKeys.publicKey,
    ...(merchant ? { merchant } : {}),
    antomClientId: antom.clientId ?? SANDBOX_DEFAULTS.antomClientId,
    payermaxAppId: payermax.appId ?? SANDBOX_DEFAULTS.payermaxAppId,
    payermaxMerchantNo: payermax.merchantNo ?? SANDBOX_DEFAULTS.payermaxMerchantNo,
    payermaxAmountUnit: payermax.amountUnit,
  };
  const logger = options.logger ?? {
    log: () => undefined,
    warn: (m: string) => console.warn(`[sandbox] ${m}`),
  };
  const notifier = new Notifier({
    timeScale: options.timeScale ?? 1,
    schedules: { ...DOCUMENTED_RETRY_SCHEDULES, ...options.retrySchedules },
    timeoutMs: options.notifyTimeoutMs ?? 10_000,
    warn: (m) => logger.warn(m),
  });
  const antomClients = new Map<string, string>();
  const payermaxMerchants = new Map<string, { appId: string; merchantNo?: string }>();

  const deliveriesOf = (capture: SandboxCapture, plan: NotifyPlan, copies: number): Delivery[] => {
    const delayMs = plan.delayMs ?? 0;
    return Array.from({ length: copies }, (_, i) => {
      const copy = i + 1;
      if (capture.acquirer === 'antom') {
        const clientId = antomClients.get(capture.captureRequestId) ?? keys.antomClientId;
        return antomDelivery(antom, capture, clientId, copy, delayMs);
      }
      const to = payermaxMerchants.get(capture.captureRequestId) ?? {
        appId: keys.payermaxAppId,
        merchantNo: keys.payermaxMerchantNo,
      };
      const final = payermaxDelivery(payermax, capture, to, { copy, delayMs });
      if (plan.stalePending)
        final.then = payermaxDelivery(payermax, capture, to, { copy, delayMs: 0, stalePending: true });
      return final;
    });
  };
  const ledger = new Ledger((capture, plan) => {
    if (plan.lost) return;
    for (const d of deliveriesOf(capture, plan, plan.copies ?? 1)) notifier.send(d);
  });

  const app = Fastify({ logger: false, forceCloseConnections: true });
  let tls: TlsListener | undefined;
  keepRawJson(app);
  const held = new HeldRequests();
  registerAntomRoutes(app, antom, ledger, held, antomClients);
  registerPayermaxRoutes(app, payermax, ledger, held, payermaxMerchants);

  const sandbox: Sandbox = {
    url: '',
    keys,
    payment: (setup) => ledger.setupPayment(setup),
    script: (paymentId, ...outcomes) => ledger.script(paymentId, outcomes),
    resolve: (id, final) => ledger.resolve(id, final),
    captureByAcquirer: (acquirer, paymentId, amount, notify) =>
      ledger.captureByAcquirer(acquirer, paymentId, amount, notify),
    notifyAgain: (id) => {
      const capture = ledger.findCapture(id);
      if (!capture || capture.status === 'U') return false;
      for (const d of deliveriesOf(capture, {}, 1)) notifier.send(d);
      return true;
    },
    capture: (id) => ledger.findCapture(id),
    counts: (paymentId) => ledger.counts(paymentId),
    deliveries: (id) =>
      notifier.log.filter((r) => id === undefined || r.captureRequestId === id).map((r) => ({ ...r })),
    pendingDeliveries: () => notifier.pending(),
    setNotifyBaseUrl: (baseUrl) => notifier.setTargets(Array.isArray(baseUrl) ? baseUrl : [baseUrl]),
    close: async () => {
      ledger.close();
      notifier.close();
      held.closeAll();
      await tls?.close();
      await app.close();
    },
  };
  registerControlRoutes(app, sandbox);
  if (options.notifyBaseUrl !== undefined) sandbox.setNotifyBaseUrl(options.notifyBaseUrl);

  const host = options.host ?? '127.0.0.1';
  await app.listen({ host, port: options.port ?? 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  sandbox.url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  if (options.tls) {
    try {
      tls = await listenTls(app, options.tls, host);
    } catch (err) {
      await app.close();
      throw err;
    }
    sandbox.tls = { url: tls.url, certPem: tls.certPem };
  }
  const also = tls ? ` and ${tls.url}` : '';
  logger.log(`sandbox acquirer on ${sandbox.url}${also} (script it: POST ${sandbox.url}/sandbox/script)`);
  return sandbox;
}
