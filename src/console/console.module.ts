import { Module, type DynamicModule } from '@nestjs/common';
import { join } from 'node:path';
import { ConsoleAssets } from './console-assets';
import { CONSOLE_ASSETS, consoleController } from './console.controller';

export interface ConsoleOptions {
  enabled: boolean;
  /** Where the console is served, e.g. /console (validated: lowercase path segments). */
  path: string;
  /** The built assets; default: the folder shipped beside this module (dist/src/console/public). */
  assetsDir?: string;
}

export const DEFAULT_CONSOLE_OPTIONS: ConsoleOptions = { enabled: true, path: '/console' };

/** Resolved from the compiled module itself, so it works from the built package wherever it is. */
const DEFAULT_CONSOLE_ASSETS_DIR = join(__dirname, 'public');

/**
 * The operator console in the browser: a static page on top of the admin API. Registered by
 * the host next to CaptureModule; switched off, it adds no route at all.
 */
@Module({})
export class ConsoleModule {
  static register(options: ConsoleOptions = DEFAULT_CONSOLE_OPTIONS): DynamicModule {
    if (!options.enabled) return { module: ConsoleModule };
    const assets = new ConsoleAssets(options.assetsDir ?? DEFAULT_CONSOLE_ASSETS_DIR, options.path);
    return {
      module: ConsoleModule,
      controllers: [consoleController(options.path)],
      providers: [{ provide: CONSOLE_ASSETS, useValue: assets }],
    };
  }
}
