/**
 * ACQUIRER_MODE=sandbox for the standalone service: every acquirer left unconfigured is pointed
 * at an in-process sandbox with freshly generated keys, so `npm start` runs the whole capture
 * lifecycle with no keys and no network. loadConfig stays pure; this runs in main.ts, after it.
 * Acquirers that are configured are left alone, whatever the mode.
 */
import type { AntomSettings, PayermaxSettings } from '../capture/options/capture-options';
import { ConfigError, type AppConfig } from '../config/app-config';
import { needsSandbox } from './key-pairs';
import { createSandbox, SANDBOX_DEFAULTS, type Sandbox } from './sandbox';
import type { SandboxOptions } from './sandbox-types';

export interface SandboxedConfig {
  config: AppConfig;
  /** null when nothing needed it (live mode, or both acquirers configured). */
  sandbox: Sandbox | null;
}

/** The settings a service needs to talk to a sandbox the sandbox generated merchant keys for. */
export function sandboxAcquirerSettings(
  sandbox: Sandbox,
  notifyPath: string = SANDBOX_DEFAULTS.antomNotifyPath,
): { antom: AntomSettings; payermax: PayermaxSettings } {
  const merchant = sandbox.keys.merchant;
  if (!merchant)
    throw new Error('this sandbox was given the merchant public keys only; it cannot configure a service');
  return {
    antom: {
      baseUrl: sandbox.url,
      clientId: sandbox.keys.antomClientId,
      merchantPrivateKey: merchant.privateKey,
      publicKey: sandbox.keys.sandboxPublicKey,
      notifyPath,
    },
    payermax: {
      baseUrl: sandbox.url,
      appId: sandbox.keys.payermaxAppId,
      merchantNo: sandbox.keys.payermaxMerchantNo,
      merchantPrivateKey: merchant.privateKey,
      publicKey: sandbox.keys.sandboxPublicKey,
      amountUnit: sandbox.keys.payermaxAmountUnit,
    },
  };
}

export async function withSandboxAcquirers(
  config: AppConfig,
  env: Record<string, string | undefined> = {},
  extra: Partial<SandboxOptions> = {},
): Promise<SandboxedConfig> {
  const { antom, payermax } = config.capture;
  if (!needsSandbox(config)) return { config, sandbox: null };
  const notifyPath = antom?.notifyPath ?? SANDBOX_DEFAULTS.antomNotifyPath;
  const sandbox = await createSandbox({
    antom: { clientId: SANDBOX_DEFAULTS.antomClientId, notifyPath },
    payermax: {
      appId: SANDBOX_DEFAULTS.payermaxAppId,
      merchantNo: SANDBOX_DEFAULTS.payermaxMerchantNo,
      amountUnit: payermax?.amountUnit ?? 'major',
    },
    timeScale: timeScale(env.SANDBOX_TIME_SCALE),
    port: sandboxPort(env.SANDBOX_PORT),
    captureLatencyMs: captureLatency(env.SANDBOX_CAPTURE_LATENCY_MS),
    ...extra,
  });
  const settings = sandboxAcquirerSettings(sandbox, notifyPath);
  return {
    config: {
      ...config,
      capture: { ...config.capture, antom: antom ?? settings.antom, payermax: payermax ?? settings.payermax },
    },
    sandbox,
  };
}

/** Where the sandbox reaches a service listening on `address` (0.0.0.0 means this machine). */
export function loopbackUrl(address: string | { address: string; port: number } | null): string {
  if (!address || typeof address === 'string') throw new Error('the service is not listening on a TCP port');
  const host = ['0.0.0.0', '::', ''].includes(address.address) ? '127.0.0.1' : address.address;
  return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
}

function timeScale(raw: string | undefined): number {
  const n = raw === undefined || raw === '' ? 1 : Number(raw);
  if (!Number.isFinite(n) || n <= 0)
    throw new ConfigError([`SANDBOX_TIME_SCALE must be a positive number (got "${raw}")`]);
  return n;
}

/** SANDBOX_PORT: where the in-process sandbox listens (loopback); unset or 0, any free port. */
function sandboxPort(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 0;
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || n > 65535)
    throw new ConfigError([`SANDBOX_PORT must be a port number, 0 for any free port (got "${raw}")`]);
  return n;
}

/** SANDBOX_CAPTURE_LATENCY_MS: how long the sandbox takes to answer a capture; unset, 0. */
function captureLatency(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 0;
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || n > 600_000)
    throw new ConfigError([`SANDBOX_CAPTURE_LATENCY_MS must be an integer from 0 to 600000 (got "${raw}")`]);
  return n;
}
