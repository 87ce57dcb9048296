#!/usr/bin/env node
/**
 * The consumer test: order-capture as a shop installs it. Packs the package, installs the
 * tarball into a scratch NestJS host (its own package.json; installed, not linked), compiles the
 * host with tsc against the published types, then on Express and Fastify, on SQLite and
 * PostgreSQL, in a database that already holds the shop's own `orders` table: registers an
 * order, captures it through the sandbox acquirer (from the package's own bin), hears
 * `order.captured` in the host's @OnEvent listener, and checks that the shop's table is intact.
 * Also: one copy of @nestjs/core in the host (`npm ls`), and README's example is the host's code.
 *
 * node test/consumer/run.mjs   (PG_ADMIN_URL as for the database tests; KEEP=1 keeps the scratch dir)
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';

const root = resolve(import.meta.dirname, '../..');
const PG_ADMIN_URL = process.env.PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const TOKEN = 'consumer-test-admin-token';
const results = [];
const work = mkdtempSync(join(tmpdir(), 'order-capture-consumer-'));
const children = new Set();

const run = (cmd, args, cwd) =>
  execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
const step = (what) => process.stdout.write(`consumer: ${what}\n`);

async function check(name, fn) {
  const started = Date.now();
  try {
    await fn();
    results.push({ name, ok: true });
    step(`ok   ${name} (${Date.now() - started} ms)`);
  } catch (err) {
    results.push({ name, ok: false });
    step(`FAIL ${name}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

/** The README's install example must be the host module this test compiles. */
function readmeExample() {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Install it in your NestJS app'));
  const block = /```ts\n([\s\S]*?)```/.exec(section)?.[1]?.trim();
  const tested = readFileSync(join(root, 'test/consumer/host/src/shop.module.ts'), 'utf8').trim();
  assert(
    block === tested,
    'README "Install it in your NestJS app" differs from test/consumer/host/src/shop.module.ts',
  );
}

function hostPackageJson(tarball) {
  const ours = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const version = (name) => ours.devDependencies[name] ?? ours.dependencies?.[name];
  const peers = Object.keys(ours.peerDependencies);
  return {
    name: 'consumer-host',
    private: true,
    dependencies: {
      'order-capture': `file:${tarball}`,
      ...Object.fromEntries(peers.map((p) => [p, version(p)])),
    },
    // @types/express: what any Express host has; the host is compiled with skipLibCheck off.
    devDependencies: {
      typescript: version('typescript'),
      '@types/node': version('@types/node'),
      '@types/express': '^5.0.0',
    },
    allowScripts: { 'better-sqlite3': true },
  };
}

/** A child process that prints JSON lines; resolves the first line with the given event. */
function start(cmd, args, env, cwd) {
  const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.on('exit', () => children.delete(child));
  const lines = [];
  const waiters = [];
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  let buffer = '';
  child.stdout.on('data', (d) => {
    buffer += d;
    let i;
    while ((i = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 1);
      try {
        lines.push(JSON.parse(line));
      } catch {
        continue;
      }
      for (const w of [...waiters]) w();
    }
  });
  const said = () => `stderr: ${stderr.slice(-2000)}; last lines: ${JSON.stringify(lines.slice(-5))}`;
  // 'close' (not 'exit'): it comes once the output is drained, so the last lines are in.
  const waitFor = (predicate, what, ms = 30_000) =>
    new Promise((ok, fail) => {
      const done = () => {
        const hit = lines.find(predicate);
        if (hit) {
          clearTimeout(timer);
          waiters.splice(waiters.indexOf(done), 1);
          ok(hit);
        }
      };
      const timer = setTimeout(() => fail(new Error(`${what}: not within ${ms} ms; ${said()}`)), ms);
      waiters.push(done);
      child.once('close', (code) => {
        if (!lines.find(predicate)) fail(new Error(`${what}: exited ${code}; ${said()}`));
      });
      done();
    });
  return { child, waitFor, stop: () => child.kill('SIGTERM') };
}

async function http(base, method, path, body) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

async function sandboxCall(base, path, body) {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  assert(res.ok, `sandbox ${path}: ${res.status} ${await res.text()}`);
}

async function pgQuery(url, sql) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

/** A database with the shop's own `orders` table and one row in it, as it was before. */
async function shopDatabase(kind, host) {
  const create = 'CREATE TABLE orders (id varchar(36) PRIMARY KEY, customer varchar(64) NOT NULL)';
  const insert = "INSERT INTO orders (id, customer) VALUES ('SO-1', 'Ada')";
  if (kind === 'sqlite') {
    const file = join(work, `shop-${randomBytes(4).toString('hex')}.sqlite`);
    const Database = (await import(join(host, 'node_modules/better-sqlite3/lib/index.js'))).default;
    const db = new Database(file);
    db.exec(create);
    db.exec(insert);
    db.close();
    return {
      url: `sqlite:${file}`,
      shopRows: async () => {
        const d = new Database(file, { readonly: true });
        try {
          return d.prepare('SELECT id, customer FROM orders').all();
        } finally {
          d.close();
        }
      },
      drop: async () => undefined,
    };
  }
  const name = `oc_consumer_${randomBytes(4).toString('hex')}`;
  await pgQuery(PG_ADMIN_URL, `CREATE DATABASE ${name}`);
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  await pgQuery(url.toString(), create);
  await pgQuery(url.toString(), insert);
  return {
    url: url.toString(),
    shopRows: () => pgQuery(url.toString(), 'SELECT id, customer FROM orders'),
    drop: () => pgQuery(PG_ADMIN_URL, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function captureOnce(host, adapter, kind) {
  const db = await shopDatabase(kind, host);
  const keysFile = join(work, `sandbox-${adapter}-${kind}.json`);
  const bin = join(host, 'node_modules/.bin');
  const sandbox = start(
    join(bin, 'order-capture-sandbox'),
    [],
    {
      SANDBOX_PORT: '0',
      SANDBOX_KEYS_FILE: keysFile,
      ANTOM_NOTIFY_PATH: '/payments/webhooks/antom',
    },
    host,
  );
  try {
    const ready = await sandbox.waitFor((l) => l.event === 'ready', 'sandbox ready');
    const { env } = JSON.parse(readFileSync(keysFile, 'utf8'));
    const shop = start(
      'node',
      ['dist/main.js'],
      { ...env, ADMIN_TOKEN: TOKEN, ADAPTER: adapter, DATABASE_URL: db.url },
      host,
    );
    try {
      const { url } = await shop.waitFor((l) => l.event === 'listening', 'host listening');
      await sandboxCall(ready.url, '/sandbox/config', { notifyBaseUrl: url });
      const suffix = randomBytes(4).toString('hex');
      const order = {
        merchantOrderId: `SO-${suffix}`,
        acquirer: 'antom',
        paymentId: `2026120319${suffix}`,
        amount: { currency: 'USD', value: '10000' },
        captureMode: 'MANUAL',
      };
      // In process first: the capture's result comes back by the signed notification through the host's adapter.
      await sandboxCall(ready.url, '/sandbox/payments', {
        paymentId: order.paymentId,
        amount: order.amount,
        outcomes: [{ status: 'U', then: { status: 'S' }, resolveAfterMs: 100 }],
      });
      const registered = await http(url, 'POST', '/payments/orders', order);
      assert(registered.status === 201, `register: ${registered.status} ${JSON.stringify(registered.body)}`);
      const accepted = await http(url, 'POST', `/payments/admin/orders/${registered.body.id}/capture`);
      assert(accepted.status === 202, `capture: ${accepted.status} ${JSON.stringify(accepted.body)}`);
      await shop.waitFor(
        (l) => l.event === 'released' && l.merchantOrderId === order.merchantOrderId,
        'order.captured heard by the host',
      );
      const shipment = await http(url, 'GET', `/payments/orders/${registered.body.id}/shipment`);
      assert(shipment.body?.shippable === true, `shipment: ${JSON.stringify(shipment.body)}`);
      // The signed notification may come after the capture was settled otherwise (our resend of the
      // same id, answered S): wait for the host to have acknowledged it on this adapter.
      const unacknowledged = async () => {
        const seen = await (await fetch(`${ready.url}/sandbox/deliveries`)).json();
        return seen.deliveries.some((d) => d.acknowledged === true && d.httpStatus === 200) ? null : seen;
      };
      let missing = await unacknowledged();
      for (let i = 0; missing && i < 100; i++) {
        await new Promise((r) => setTimeout(r, 100));
        missing = await unacknowledged();
      }
      assert(!missing, `no notification was acknowledged by the host: ${JSON.stringify(missing)}`);
      const rows = await db.shopRows();
      assert(
        JSON.stringify(rows) === JSON.stringify([{ id: 'SO-1', customer: 'Ada' }]),
        `shop table changed: ${JSON.stringify(rows)}`,
      );
    } finally {
      shop.stop();
    }
  } finally {
    sandbox.stop();
    await db.drop();
  }
}

async function main() {
  let host;
  await check('README example is the host code', async () => readmeExample());
  await check('pack, install the tarball, compile the host against the published types', async () => {
    const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], root));
    const tarball = join(work, packed[0].filename);
    const files = packed[0].files.map((f) => f.path);
    const stray = files.filter(
      (f) => /^(test|bench|\.ci|scripts|src)\//.test(f) || (f.endsWith('.ts') && !f.endsWith('.d.ts')),
    );
    assert(stray.length === 0, `the package holds ${stray.slice(0, 5).join(', ')}`);
    host = join(work, 'host');
    cpSync(join(root, 'test/consumer/host'), host, { recursive: true });
    writeFileSync(join(host, 'package.json'), `${JSON.stringify(hostPackageJson(tarball), null, 2)}\n`);
    run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], host);
    try {
      run('npx', ['tsc', '-p', '.'], host);
    } catch (err) {
      throw new Error(`the host does not compile against the published types:\n${err.stdout ?? err.message}`);
    }
  });
  if (!host) return;
  await check('one copy of @nestjs/core in the host', async () => {
    const paths = run('npm', ['ls', '@nestjs/core', '--all', '--parseable'], host)
      .trim()
      .split('\n')
      .filter(Boolean);
    assert(new Set(paths).size === 1, `copies of @nestjs/core: ${paths.join(', ')}`);
  });
  await check('the standalone service runs from the package bin and is healthy', async () => {
    const service = start(
      join(host, 'node_modules/.bin/order-capture'),
      [],
      {
        PORT: '0',
        HOST: '127.0.0.1',
        DATABASE_URL: `sqlite:${join(work, 'standalone.sqlite')}`,
        LOG_LEVEL: 'info',
      },
      host,
    );
    try {
      const line = await service.waitFor(
        (l) => String(l.msg ?? '').startsWith('listening on '),
        'service listening',
      );
      const url = String(line.msg).slice('listening on '.length);
      const health = await fetch(`${url}/health`);
      assert(health.status === 200, `/health answered ${health.status}: ${await health.text()}`);
    } finally {
      service.stop();
    }
  });
  for (const adapter of ['express', 'fastify']) {
    for (const kind of ['sqlite', 'postgres']) {
      await check(
        `${adapter} on ${kind}: captured through the sandbox, order.captured heard, shop table intact`,
        () => captureOnce(host, adapter, kind),
      );
    }
  }
}

try {
  await main();
} finally {
  for (const c of children) c.kill('SIGKILL');
  if (!process.env.KEEP) rmSync(work, { recursive: true, force: true });
  else step(`kept ${work}`);
}
const failed = results.filter((r) => !r.ok).length;
process.stdout.write(`consumer: ${results.length - failed} passed, ${failed} failed\n`);
process.exit(failed === 0 ? 0 : 1);
