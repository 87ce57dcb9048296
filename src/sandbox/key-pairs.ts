/**
 * The sandbox's RSA key pairs. Kept apart from the sandbox's server (node:crypto only) so that
 * main.ts can start generating them before it loads anything else: a 2048-bit pair costs 80 to
 * 250 ms of CPU, and a cold start in sandbox mode waits for two.
 */
import { generateKeyPair, generateKeyPairSync } from 'node:crypto';
import type { AppConfig } from '../config/app-config';
import type { SandboxKeyPair } from './sandbox-types';

export interface SandboxKeyPairs {
  sandboxKeys: SandboxKeyPair;
  merchantKeys: SandboxKeyPair;
}

export function generateRsaPair(): SandboxKeyPair {
  return generateKeyPairSync('rsa', { modulusLength: 2048 });
}

/** The same, on one of libuv's threads. */
export function generateRsaPairAsync(): Promise<SandboxKeyPair> {
  return new Promise((resolve, reject) =>
    generateKeyPair('rsa', { modulusLength: 2048 }, (err, publicKey, privateKey) =>
      err ? reject(err) : resolve({ publicKey, privateKey }),
    ),
  );
}

/** Whether this configuration runs an in-process sandbox: sandbox mode, an acquirer unconfigured. */
export function needsSandbox(config: AppConfig): boolean {
  const { antom, payermax } = config.capture;
  return config.acquirerMode === 'sandbox' && !(antom && payermax);
}

/**
 * Both pairs a service's in-process sandbox needs, or undefined when it needs none. One after
 * the other on a single thread: the main thread is loading modules meanwhile, and on two cores
 * a second key thread would take its CPU rather than save time.
 */
export function sandboxKeyPairs(config: AppConfig): Promise<SandboxKeyPairs> | undefined {
  if (!needsSandbox(config)) return undefined;
  return generateRsaPairAsync().then(async (sandboxKeys) => ({
    sandboxKeys,
    merchantKeys: await generateRsaPairAsync(),
  }));
}
