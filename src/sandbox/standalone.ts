/**
 * The sandbox as its own process (src/sandbox/main.ts), for setups with several service
 * processes sharing one simulated acquirer. It generates every key itself and writes the
 * settings a service needs (ACQUIRER_MODE=live plus ANTOM_* / PAYERMAX_*) to a JSON file,
 * readable by its owner only: the keys are throwaway, but keys still never go to a log.
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { KeyObject } from 'node:crypto';
import { createSandbox, SANDBOX_DEFAULTS, type Sandbox } from './sandbox';
import type { SandboxTlsOptions } from './sandbox-types';

type Env = Record<string, string | undefined>;

const DEFAULT_SANDBOX_PORT = 4100;
const DEFAULT_KEYS_FILE = 'data/sandbox-keys.json';

export interface StandaloneSandbox {
  sandbox: Sandbox;
  keysFile: string;
  /** The certificate of the HTTPS listener (PEM), for clients to trust; with SANDBOX_TLS_PORT only. */
  tlsCertFile?: string;
  /** The environment a service process needs to use this sandbox (keys included). */
  serviceEnv: Record<string, string>;
}

const der = (key: KeyObject, type: 'pkcs8' | 'spki') =>
  key.export({ format: 'der', type }).toString('base64');

/** ANTOM_* / PAYERMAX_* for a service, as base64 DER keys (what the acquirers hand out). */
export function sandboxServiceEnv(sandbox: Sandbox, antomNotifyPath: string): Record<string, string> {
  const { merchant, sandboxPublicKey } = sandbox.keys;
  if (!merchant) throw new Error('the sandbox does not hold the merchant private key');
  const merchantKey = der(merchant.privateKey, 'pkcs8');
  const sandboxKey = der(sandboxPublicKey, 'spki');
  return {
    ACQUIRER_MODE: 'live',
    ANTOM_BASE_URL: sandbox.url,
    ANTOM_CLIENT_ID: sandbox.keys.antomClientId,
    ANTOM_MERCHANT_PRIVATE_KEY: merchantKey,
    ANTOM_PUBLIC_KEY: sandboxKey,
    ANTOM_NOTIFY_PATH: antomNotifyPath,
    PAYERMAX_BASE_URL: sandbox.url,
    PAYERMAX_APP_ID: sandbox.keys.payermaxAppId,
    PAYERMAX_MERCHANT_NO: sandbox.keys.payermaxMerchantNo,
    PAYERMAX_MERCHANT_PRIVATE_KEY: merchantKey,
    PAYERMAX_PUBLIC_KEY: sandboxKey,
    PAYERMAX_AMOUNT_UNIT: sandbox.keys.payermaxAmountUnit,
  };
}

/**
 * SANDBOX_PORT (4100), SANDBOX_HOST (127.0.0.1), SANDBOX_NOTIFY_BASE_URL (one URL or a
 * comma-separated list used in turn; settable later with POST /sandbox/config),
 * SANDBOX_TIME_SCALE (1), SANDBOX_CAPTURE_LATENCY_MS (0), SANDBOX_KEYS_FILE (data/sandbox-keys.json), SANDBOX_AMOUNT_UNIT
 * (major), ANTOM_NOTIFY_PATH (/webhooks/antom); SANDBOX_TLS_PORT (unset: no HTTPS listener; 0: a
 * free port) with SANDBOX_TLS_CERT and SANDBOX_TLS_KEY (PEM text or a PEM file's path; neither:
 * a self-signed certificate made at start, written beside the keys file).
 */
export async function startStandaloneSandbox(env: Env): Promise<StandaloneSandbox> {
  const port = env.SANDBOX_PORT ? Number(env.SANDBOX_PORT) : DEFAULT_SANDBOX_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error('SANDBOX_PORT must be a port number');
  const timeScale = env.SANDBOX_TIME_SCALE ? Number(env.SANDBOX_TIME_SCALE) : 1;
  if (!Number.isFinite(timeScale) || timeScale <= 0)
    throw new Error('SANDBOX_TIME_SCALE must be a positive number');
  const captureLatencyMs = env.SANDBOX_CAPTURE_LATENCY_MS ? Number(env.SANDBOX_CAPTURE_LATENCY_MS) : 0;
  if (!Number.isInteger(captureLatencyMs) || captureLatencyMs < 0 || captureLatencyMs > 600_000)
    throw new Error('SANDBOX_CAPTURE_LATENCY_MS must be an integer from 0 to 600000');
  const amountUnit = env.SANDBOX_AMOUNT_UNIT || 'major';
  if (amountUnit !== 'major' && amountUnit !== 'minor')
    throw new Error('SANDBOX_AMOUNT_UNIT must be major or minor');
  const notifyPath = env.ANTOM_NOTIFY_PATH || SANDBOX_DEFAULTS.antomNotifyPath;
  const targets = (env.SANDBOX_NOTIFY_BASE_URL ?? '')
    .split(',')
    .map((u) => u.trim())
    .filter((u) => u !== '');

  const tls = tlsFromEnv(env);
  const sandbox = await createSandbox({
    antom: { clientId: SANDBOX_DEFAULTS.antomClientId, notifyPath },
    payermax: {
      appId: SANDBOX_DEFAULTS.payermaxAppId,
      merchantNo: SANDBOX_DEFAULTS.payermaxMerchantNo,
      amountUnit,
    },
    host: env.SANDBOX_HOST || '127.0.0.1',
    port,
    timeScale,
    captureLatencyMs,
    ...(targets.length > 0 ? { notifyBaseUrl: targets } : {}),
    ...(tls ? { tls } : {}),
  });
  const serviceEnv = sandboxServiceEnv(sandbox, notifyPath);
  const keysFile = resolve(env.SANDBOX_KEYS_FILE || DEFAULT_KEYS_FILE);
  mkdirSync(dirname(keysFile), { recursive: true });
  const tlsCertFile = sandbox.tls ? join(dirname(keysFile), 'sandbox-tls-cert.pem') : undefined;
  if (sandbox.tls && tlsCertFile) writeFileSync(tlsCertFile, sandbox.tls.certPem);
  const listing = { url: sandbox.url, ...(sandbox.tls ? { tlsUrl: sandbox.tls.url, tlsCertFile } : {}) };
  writeFileSync(keysFile, `${JSON.stringify({ ...listing, env: serviceEnv }, null, 2)}\n`, { mode: 0o600 });
  chmodSync(keysFile, 0o600);
  return { sandbox, keysFile, serviceEnv, ...(tlsCertFile ? { tlsCertFile } : {}) };
}

function tlsFromEnv(env: Env): SandboxTlsOptions | undefined {
  if (env.SANDBOX_TLS_PORT === undefined || env.SANDBOX_TLS_PORT === '') return undefined;
  const port = Number(env.SANDBOX_TLS_PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error('SANDBOX_TLS_PORT must be a port number (0: any free port)');
  const certPem = pemSetting(env, 'SANDBOX_TLS_CERT');
  const keyPem = pemSetting(env, 'SANDBOX_TLS_KEY');
  if ((certPem === undefined) !== (keyPem === undefined))
    throw new Error('SANDBOX_TLS_CERT and SANDBOX_TLS_KEY go together (neither: a generated certificate)');
  return { port, ...(certPem && keyPem ? { certPem, keyPem } : {}) };
}

/** PEM text as it is, or the path of a file holding it. */
function pemSetting(env: Env, name: string): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  if (raw.includes('-----BEGIN ')) return raw.replace(/\\n/g, '\n');
  try {
    return readFileSync(raw, 'utf8');
  } catch {
    throw new Error(`${name} must be PEM text or the path of a readable PEM file`);
  }
}
