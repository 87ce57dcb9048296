import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The repository root, from dist/bench/lib (compiled) or bench/lib (ts sources). */
export const ROOT = [resolve(__dirname, '../../..'), resolve(__dirname, '../..')].find((dir) =>
  existsSync(join(dir, 'package.json')),
)!;

/** The service as `npm run start:prod` runs it. */
export const MAIN_JS = join(ROOT, 'dist/src/main.js');

export const PG_ADMIN_URL = process.env.PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
