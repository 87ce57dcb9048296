/**
 * The consumer test's host process: the shop module on the adapter and database it is given
 * (ADAPTER=express|fastify, DATABASE_URL=sqlite:<file>|postgres://...), listening on a free
 * port. It prints JSON lines: {"event":"listening","url"} once up, then {"event":"released",
 * "merchantOrderId"} for every parcel its own @OnEvent('order.captured') listener released.
 */
import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { TypeOrmModuleOptions } from '@nestjs/typeorm';
import { installWebhookHttp } from 'order-capture';
import { ParcelRelease, ShopModule } from './shop.module';

function database(url: string): TypeOrmModuleOptions {
  if (url.startsWith('sqlite:')) return { type: 'better-sqlite3', database: url.slice('sqlite:'.length) };
  return { type: 'postgres', url };
}

async function main(): Promise<void> {
  const adapter = process.env.ADAPTER === 'express' ? new ExpressAdapter() : new FastifyAdapter();
  const app: INestApplication = await NestFactory.create(
    ShopModule.register(database(process.env.DATABASE_URL!)),
    adapter,
    {
      logger: ['error', 'warn'],
    },
  );
  installWebhookHttp(app, 262_144, { routePrefix: 'payments' });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(`${JSON.stringify({ event: 'listening', url: `http://127.0.0.1:${port}` })}\n`);

  const parcels = app.get(ParcelRelease);
  let told = 0;
  setInterval(() => {
    for (; told < parcels.released.length; told++) {
      process.stdout.write(
        `${JSON.stringify({ event: 'released', merchantOrderId: parcels.released[told] })}\n`,
      );
    }
  }, 20);
  process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
