import { Controller, Get, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { OpsTokenGuard } from '../http/auth/ops-token.guard';
import { MetricsService } from './metrics.service';

/**
 * Prometheus exposition text, behind the ops token (OPS_TOKEN, else ADMIN_TOKEN): it holds
 * business counts, and every scrape runs database queries. Prometheus sends the token with
 * `authorization: { credentials: <token> }` (or `bearer_token_file`) in its scrape config.
 */
@Controller('metrics')
@UseGuards(OpsTokenGuard)
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  async scrape(@Res() reply: FastifyReply): Promise<void> {
    const { contentType, body } = await this.metrics.scrape();
    await reply.header('content-type', contentType).header('cache-control', 'no-store').send(body);
  }
}
