/**
 * The acquirers' settings from environment variables. A key that cannot be parsed stops the
 * start-up with the variable's name (never its text); an acquirer configured by halves is an
 * error rather than a silent "not configured".
 */
import { parsePrivateKey, parsePublicKey } from '../acquirers/keys';
import type { AntomSettings, PayermaxSettings } from '../capture/options/capture-options';

type Env = Record<string, string | undefined>;

const ANTOM_VARS = ['ANTOM_BASE_URL', 'ANTOM_CLIENT_ID', 'ANTOM_MERCHANT_PRIVATE_KEY', 'ANTOM_PUBLIC_KEY'];
const PAYERMAX_VARS = [
  'PAYERMAX_BASE_URL',
  'PAYERMAX_APP_ID',
  'PAYERMAX_MERCHANT_NO',
  'PAYERMAX_MERCHANT_PRIVATE_KEY',
  'PAYERMAX_PUBLIC_KEY',
];

export function antomFromEnv(env: Env, problems: string[], live = false): AntomSettings | undefined {
  if (!complete(env, ANTOM_VARS, problems)) return undefined;
  const notifyPath = env.ANTOM_NOTIFY_PATH || '/webhooks/antom';
  if (!notifyPath.startsWith('/')) problems.push('ANTOM_NOTIFY_PATH must start with /');
  const keys = parseKeys(env, 'ANTOM_MERCHANT_PRIVATE_KEY', 'ANTOM_PUBLIC_KEY', problems);
  const baseUrl = url(env, 'ANTOM_BASE_URL', problems, live);
  if (!keys || !baseUrl) return undefined;
  return { baseUrl, clientId: env.ANTOM_CLIENT_ID!, notifyPath, ...keys };
}

export function payermaxFromEnv(env: Env, problems: string[], live = false): PayermaxSettings | undefined {
  const amountUnit = env.PAYERMAX_AMOUNT_UNIT || 'major';
  if (amountUnit !== 'major' && amountUnit !== 'minor') {
    problems.push(`PAYERMAX_AMOUNT_UNIT must be major or minor (got "${amountUnit}")`);
  }
  if (!complete(env, PAYERMAX_VARS, problems)) return undefined;
  const keys = parseKeys(env, 'PAYERMAX_MERCHANT_PRIVATE_KEY', 'PAYERMAX_PUBLIC_KEY', problems);
  const baseUrl = url(env, 'PAYERMAX_BASE_URL', problems, live);
  if (!keys || !baseUrl) return undefined;
  return {
    baseUrl,
    appId: env.PAYERMAX_APP_ID!,
    merchantNo: env.PAYERMAX_MERCHANT_NO!,
    amountUnit: amountUnit === 'minor' ? 'minor' : 'major',
    ...keys,
  };
}

/** All of the acquirer's variables, or none: true when all are set. */
function complete(env: Env, names: string[], problems: string[]): boolean {
  const missing = names.filter((n) => !env[n]);
  if (missing.length === names.length) return false;
  if (missing.length > 0) {
    problems.push(`${missing.join(', ')} must be set too (${names.filter((n) => env[n]).join(', ')} is set)`);
    return false;
  }
  return true;
}

function parseKeys(env: Env, privateName: string, publicName: string, problems: string[]) {
  try {
    return {
      merchantPrivateKey: parsePrivateKey(env[privateName], privateName),
      publicKey: parsePublicKey(env[publicName], publicName),
    };
  } catch (err) {
    problems.push((err as Error).message);
    return undefined;
  }
}

/**
 * In live mode money moves on what the acquirer answers, so its base URL must be https; plain
 * http is accepted only on this machine's loopback (a local proxy or the standalone sandbox),
 * where nothing can be read or changed on the way.
 */
function url(env: Env, name: string, problems: string[], live: boolean): string | undefined {
  const raw = env[name]!;
  let parsed: URL;
  try {
    parsed = new URL(raw);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new Error('scheme');
  } catch {
    problems.push(`${name} must be an http(s) URL`);
    return undefined;
  }
  if (live && parsed.protocol === 'http:' && !isLoopbackHost(parsed.hostname)) {
    problems.push(
      `${name} must be https:// when ACQUIRER_MODE=live (plain http:// only on loopback: 127.0.0.0/8, ::1, localhost)`,
    );
    return undefined;
  }
  return raw.replace(/\/+$/, '');
}

/** The URL parser has already normalized the host: 127.1 and 0x7f.0.0.1 read as 127.0.0.1. */
function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
