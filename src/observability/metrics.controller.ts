import { Controller, Get, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { MetricsService } from './metrics.service';

/** Prometheus exposition text; for operators, like /health, so no bearer token. */
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  async scrape(@Res() reply: FastifyReply): Promise<void> {
    const { contentType, body } = await this.metrics.scrape();
    await reply.header('content-type', contentType).header('cache-control', 'no-store').send(body);
  }
}
