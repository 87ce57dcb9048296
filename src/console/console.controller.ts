import { Controller, Get, Header, Inject, Logger, Param, StreamableFile, type Type } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { ApiException } from '../http/errors/api-error';
import { ConsoleAssets, type ConsoleAsset } from './console-assets';

export const CONSOLE_ASSETS = Symbol('CONSOLE_ASSETS');

/**
 * No inline script or style, nothing from another origin, never framed: raw acquirer text shown
 * by the console can neither run nor load anything, and clickjacking the actions is impossible.
 */
const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Nest's @Header is adapter-neutral, so the console works on Fastify and Express alike. */
function Secured(): MethodDecorator {
  const headers: [string, string][] = [
    ['Content-Security-Policy', CONSOLE_CSP],
    ['X-Frame-Options', 'DENY'],
    ['X-Content-Type-Options', 'nosniff'],
    ['Referrer-Policy', 'no-referrer'],
    ['Cross-Origin-Opener-Policy', 'same-origin'],
    ['Cross-Origin-Resource-Policy', 'same-origin'],
    // Small files, and a new build must show at once: revalidate every time.
    ['Cache-Control', 'no-cache'],
  ];
  return (target, key, descriptor) => {
    for (const [name, value] of headers) Header(name, value)(target, key, descriptor);
  };
}

/**
 * The console's page and assets under a configurable path. Static files carry no token: the
 * console sends it on its data calls only, so these routes are public by design.
 */
export function consoleController(path: string): Type {
  @ApiExcludeController()
  @Controller(path)
  class ConsoleController {
    private readonly log = new Logger('Console');

    constructor(@Inject(CONSOLE_ASSETS) private readonly assets: ConsoleAssets) {}

    @Get()
    @Secured()
    async page(): Promise<StreamableFile> {
      return this.send(() => this.assets.index());
    }

    @Get('assets/:name')
    @Secured()
    async asset(@Param('name') name: string): Promise<StreamableFile> {
      return this.send(() => this.assets.asset(name));
    }

    private async send(read: () => Promise<ConsoleAsset | undefined>): Promise<StreamableFile> {
      let asset: ConsoleAsset | undefined;
      try {
        asset = await read();
      } catch (err) {
        this.log.warn((err as Error).message);
        throw new ApiException(503, 'the console is not available');
      }
      if (!asset) throw new ApiException(404, 'no such console asset');
      return new StreamableFile(asset.body, { type: asset.type, length: asset.body.length });
    }
  }
  return ConsoleController;
}
