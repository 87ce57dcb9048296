#!/usr/bin/env node
import 'reflect-metadata';
import { ConfigError, type AppConfig } from './config/app-config';
import { validateEnvironment } from './config/config.module';
import { createRootLogger, effectiveLogLevel } from './observability/logger';
import { installGracefulShutdown } from './lifecycle/shutdown';
import { displayHost, sandboxBanner } from './sandbox/banner';
import { sandboxKeyPairs } from './sandbox/key-pairs';

async function main(): Promise<void> {
  const validated = validateEnvironment(process.env).app;
  const logger = createRootLogger(effectiveLogLevel(validated.logLevel));
  // Only configuration and the logger are loaded so far: the sandbox's keys are generated on
  // another thread while this one loads the application's modules (the rest of a cold start).
  const keys = sandboxKeyPairs(validated);
  const [{ createApp }, { loopbackUrl, withSandboxAcquirers }, { redactUrl }] = await Promise.all([
    import('./bootstrap.js'),
    import('./sandbox/wiring.js'),
    import('./capture/persistence/database-options.js'),
  ]);
  // ACQUIRER_MODE=sandbox: every acquirer left unconfigured is served by an in-process sandbox.
  const { config, sandbox } = await withSandboxAcquirers(validated, process.env, {
    ...(await keys),
    logger: {
      log: (m) => logger.info({ context: 'sandbox' }, m),
      warn: (m) => logger.warn({ context: 'sandbox' }, m),
    },
  });
  const app = await createApp(config, { logger });
  installGracefulShutdown(app, logger, { timeoutMs: config.shutdownTimeoutMs });
  await app.listen(config.port, config.host);
  if (sandbox) {
    // The sandbox's notifications come back to this very service, whatever port it got.
    sandbox.setNotifyBaseUrl(loopbackUrl(app.getHttpServer().address()));
    app.getHttpServer().once('close', () => void sandbox.close());
  }

  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info(
    { acquirerMode: config.acquirerMode, database: redactUrl(config.databaseUrl) },
    `listening on http://${config.host}:${port}`,
  );
  for (const [name, baseUrl] of acquirerUrls(validated)) {
    if (baseUrl.startsWith('http://'))
      logger.warn(`${name} is plain http:// (${baseUrl}): use https in production`);
  }
  if (config.adminTokenGenerated) {
    // Without it nobody could call /orders or /admin in sandbox mode, so a person must see it:
    // on the terminal (stderr), never in the logs, which are shipped and kept.
    logger.warn(
      'ADMIN_TOKEN was not set: a token was generated for this sandbox run and printed on stderr ' +
        '(set ADMIN_TOKEN to choose one; it is required in live mode)',
    );
    process.stderr.write(
      sandboxBanner(config.capture.adminToken!, `http://${displayHost(config.host)}:${port}`, sandbox?.url),
    );
  }
}

function acquirerUrls(config: AppConfig): [string, string][] {
  const { antom, payermax } = config.capture;
  return [
    ...(antom ? [['ANTOM_BASE_URL', antom.baseUrl] as [string, string]] : []),
    ...(payermax ? [['PAYERMAX_BASE_URL', payermax.baseUrl] as [string, string]] : []),
  ];
}

main().catch((err: unknown) => {
  // A configuration problem is the operator's to fix: its message names the variables, and a
  // stack trace would only bury it.
  if (err instanceof ConfigError) console.error(err.message);
  else console.error('order-capture failed to start:', err);
  process.exit(1);
});
