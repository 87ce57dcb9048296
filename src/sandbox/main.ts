#!/usr/bin/env node
/**
 * `node dist/src/sandbox/main.js`: the sandbox acquirer as its own process. Prints one JSON line
 * when ready ({"event":"ready","url":...,"keysFile":...}) so a script can wait for it; the keys
 * themselves are only in the keys file.
 */
import { startStandaloneSandbox } from './standalone';

async function main(): Promise<void> {
  const { sandbox, keysFile, tlsCertFile } = await startStandaloneSandbox(process.env);
  const tls = sandbox.tls ? { tlsUrl: sandbox.tls.url, tlsCertFile } : {};
  process.stdout.write(`${JSON.stringify({ event: 'ready', url: sandbox.url, ...tls, keysFile })}\n`);
  const stop = () => {
    sandbox.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err: unknown) => {
  console.error('sandbox failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
