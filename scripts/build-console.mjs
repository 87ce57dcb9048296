// Builds the operator console: its TypeScript compiled by tsc to native ES modules (no bundler),
// next to its HTML, CSS and icon. Default output: dist/src/console/public, where ConsoleModule
// looks for it relative to its own compiled file. `node scripts/build-console.mjs <dir>` builds
// elsewhere (the browser tests build into a temporary folder).
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'src/console/app');
const out = resolve(process.argv[2] ?? join(root, 'dist/src/console/public'));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
execFileSync(process.execPath, [tsc, '-p', join(source, 'tsconfig.json'), '--outDir', out], {
  stdio: 'inherit',
});
for (const name of readdirSync(source)) {
  if (/\.(html|css|svg)$/.test(name)) copyFileSync(join(source, name), join(out, name));
}
