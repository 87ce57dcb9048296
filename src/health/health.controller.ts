import { Controller, Get, HttpCode, Res } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyReply } from 'fastify';
import type { DataSource } from 'typeorm';

/** Readiness: the service is only ready when its database answers. */
@Controller('health')
export class HealthController {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @Get()
  async ready(@Res({ passthrough: true }) reply: FastifyReply) {
    try {
      await this.dataSource.query('SELECT 1');
      return { status: 'ok', database: { status: 'up', type: this.dataSource.options.type } };
    } catch {
      reply.status(503);
      return { status: 'error', database: { status: 'down', type: this.dataSource.options.type } };
    }
  }

  @Get('live')
  @HttpCode(200)
  live() {
    return { status: 'ok' };
  }
}
