import { readdir, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';

/** What the console's folder may hold: flat file names only, so a request can never leave it. */
const ASSET_NAME = /^[a-z0-9][a-z0-9-]*(\.[a-z0-9]+)+$/;

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.map': 'application/json; charset=utf-8',
};

export interface ConsoleAsset {
  body: Buffer;
  type: string;
}

/**
 * The built console: `index.html` plus the files beside it, read once on first use and kept in
 * memory (a few tens of kilobytes). Only names that exist in the folder are ever served.
 * Reading lazily lets an unbuilt checkout start: the console then answers 503 saying so.
 */
export class ConsoleAssets {
  private loaded?: Promise<Map<string, ConsoleAsset>>;

  constructor(
    private readonly dir: string,
    private readonly basePath: string,
  ) {}

  async index(): Promise<ConsoleAsset | undefined> {
    return (await this.all()).get('index.html');
  }

  async asset(name: string): Promise<ConsoleAsset | undefined> {
    if (!ASSET_NAME.test(name) || name === 'index.html') return undefined;
    return (await this.all()).get(name);
  }

  private all(): Promise<Map<string, ConsoleAsset>> {
    this.loaded ??= this.load().catch((err: unknown) => {
      this.loaded = undefined; // built later (npm run build): try again on the next request
      throw err;
    });
    return this.loaded;
  }

  private async load(): Promise<Map<string, ConsoleAsset>> {
    const names = (await readdir(this.dir)).filter((n) => ASSET_NAME.test(n) && TYPES[extname(n)]);
    if (!names.includes('index.html') || !names.includes('main.js')) {
      throw new Error(`the console is not built in ${this.dir}: run npm run build`);
    }
    const files = new Map<string, ConsoleAsset>();
    for (const name of names) {
      let body = await readFile(join(this.dir, name));
      // The one dynamic part of the page: where its own assets live (the path is validated).
      if (name === 'index.html')
        body = Buffer.from(body.toString('utf8').replaceAll('{{base}}', this.basePath));
      files.set(name, { body, type: TYPES[extname(name)] ?? 'application/octet-stream' });
    }
    return files;
  }
}
