import type { INestApplication } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { FastifyInstance } from 'fastify';
import { bearerMatches, presentedBearer, unauthorizedMessage } from './auth/bearer-token';
import { OPS_TOKEN_NAME, findCaptureOptions, opsTokenDigest } from './auth/ops-token.guard';
import { errorBody } from './errors/api-error';
import { ApiExceptionFilter } from './errors/api-exception.filter';

/** The webhooks answer in each acquirer's own acknowledgement format, never in ours. */
const WEBHOOK_PATH_PREFIX = '/webhooks';

export interface CaptureHttpOptions {
  /** The module's routePrefix, when the host mounted it under one. */
  routePrefix?: string;
  /**
   * `module` (default): the API error shape only on the module's own /orders and /admin paths,
   * a host app's other routes keep Nest's; `app`: every path but the webhooks (the standalone).
   */
  errorScope?: 'module' | 'app';
  /** Where the OpenAPI document goes (`docs`, under the prefix); false: none. */
  docsPath?: string | false;
}

/**
 * What an app hosting the capture routes may add on top of the controllers' own filters: the API
 * error shape for what happens before any controller runs (the framework's 415, broken JSON, 413),
 * and the OpenAPI document at /docs (JSON at /docs-json), behind the ops token (OPS_TOKEN, else
 * ADMIN_TOKEN). The standalone service calls it from bootstrap; a host app may too.
 */
export function setupCaptureHttp(app: INestApplication, options: CaptureHttpOptions = {}): void {
  const prefix = (options.routePrefix ?? '').replace(/^\/+|\/+$/g, '');
  const base = prefix === '' ? '' : `/${prefix}`;
  app.useGlobalFilters(
    new ApiExceptionFilter({
      skipPathPrefixes: [base + WEBHOOK_PATH_PREFIX],
      ...(options.errorScope === 'app' ? {} : { onlyPathPrefixes: [`${base}/orders`, `${base}/admin`] }),
      fallback: new BaseExceptionFilter(app.getHttpAdapter()),
    }),
  );
  if (options.docsPath !== false)
    setupOpenApi(app, options.docsPath ?? (prefix === '' ? 'docs' : `${prefix}/docs`));
}

export function setupOpenApi(app: INestApplication, path = 'docs'): void {
  const config = new DocumentBuilder()
    .setTitle('order-capture')
    .setDescription(
      'Payment-capture lifecycle of orders (Antom, PayerMax). Amounts are integer minor units as ' +
        'digit strings; errors are { statusCode, error, message, details?: [{ field, rule }] }.',
    )
    .setVersion('1')
    // Nest's default bearerFormat says JWT; ADMIN_TOKEN is an opaque shared secret.
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: undefined, description: 'ADMIN_TOKEN' })
    .build();
  protectDocs(app, path);
  SwaggerModule.setup(path, app, () => SwaggerModule.createDocument(app, config), {
    jsonDocumentUrl: `${path}-json`,
  });
}

/**
 * Swagger serves its pages straight from the HTTP adapter, past Nest's guards, so the ops token
 * is checked in a hook in front of them: the UI, its assets, and the JSON and YAML documents.
 */
function protectDocs(app: INestApplication, path: string): void {
  const expected = opsTokenDigest(findCaptureOptions(app));
  const base = `/${path.replace(/^\/+/, '')}`.toLowerCase();
  // Matched on the decoded, lower-cased path, so that no spelling of it slips past the check.
  const guarded = (url: string) => {
    const route = decodedPath(url).toLowerCase();
    return route === base || route.startsWith(`${base}/`) || route.startsWith(`${base}-`);
  };
  const refusal = (authorization: unknown) => {
    const presented = presentedBearer(authorization);
    return bearerMatches(presented, expected)
      ? null
      : errorBody(401, unauthorizedMessage(presented, OPS_TOKEN_NAME));
  };
  const adapter = app.getHttpAdapter();
  if (adapter.getType() === 'fastify') {
    const fastify = adapter.getInstance() as FastifyInstance;
    fastify.addHook('onRequest', async (req, reply) => {
      const body = guarded(req.url) ? refusal(req.headers.authorization) : null;
      if (body) await reply.code(401).header('www-authenticate', 'Bearer').send(body);
    });
    return;
  }
  adapter.use(
    (req: { url: string; headers: Record<string, unknown> }, res: ExpressLikeResponse, next: () => void) => {
      const body = guarded(req.url) ? refusal(req.headers.authorization) : null;
      if (!body) return next();
      res.status(401).set('www-authenticate', 'Bearer').json(body);
    },
  );
}

function decodedPath(url: string): string {
  const raw = url.replace(/[?;#].*/s, '').replace(/\/{2,}/g, '/');
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

interface ExpressLikeResponse {
  status(code: number): ExpressLikeResponse;
  set(name: string, value: string): ExpressLikeResponse;
  json(body: unknown): void;
}
