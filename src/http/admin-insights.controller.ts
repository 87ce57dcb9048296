import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { OrderInsightsQuery } from '../capture/queries/order-insights.query';
import { ApiErrors, BearerApi } from './api-docs.decorators';
import {
  CaptureTimesQuery,
  CaptureTimesView,
  DeadlineCliffQuery,
  DeadlineCliffView,
  LapsingQuery,
  LapsingView,
  PendingAttemptListView,
  PendingAttemptsQuery,
} from './dto/insights.dto';
import { toAttemptView, toOrderView } from './views/order-view-mapper';
import { CLOCK, type Clock } from '../capture/ports/clock';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const num = (value: string | undefined, fallback: number) => (value === undefined ? fallback : Number(value));

/** What needs a person now, and how captures behave: the operator console's home page. */
@ApiTags('admin')
@BearerApi()
@Controller('admin/insights')
export class AdminInsightsController {
  constructor(
    private readonly insights: OrderInsightsQuery,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('lapsing')
  @ApiOperation({ summary: 'Open authorizations whose deadline is near, soonest first' })
  @ApiOkResponse({ type: LapsingView })
  @ApiErrors(400)
  async lapsing(@Query() q: LapsingQuery): Promise<LapsingView> {
    const now = this.clock.now();
    const rows = await this.insights.lapsing(now, num(q.withinHours, 24), num(q.limit, 50));
    return { items: rows.map(toOrderView), at: now.toISOString() };
  }

  @Get('pending-attempts')
  @ApiOperation({ summary: 'Capture attempts pending for longer than a threshold, oldest first' })
  @ApiOkResponse({ type: PendingAttemptListView })
  @ApiErrors(400)
  async pendingAttempts(@Query() q: PendingAttemptsQuery): Promise<PendingAttemptListView> {
    const now = this.clock.now();
    const rows = await this.insights.pendingAttempts(
      now,
      num(q.olderThanSeconds, 300) * 1000,
      num(q.limit, 50),
    );
    return {
      items: rows.map(({ attempt, order }) => ({
        order: { ...order, captureDeadline: order.captureDeadline.toISOString() },
        attempt: toAttemptView(attempt),
      })),
      at: now.toISOString(),
    };
  }

  @Get('deadline-cliff')
  @ApiOperation({ summary: 'Open authorizations lapsing per hour over the coming days' })
  @ApiOkResponse({ type: DeadlineCliffView })
  @ApiErrors(400)
  async deadlineCliff(@Query() q: DeadlineCliffQuery): Promise<DeadlineCliffView> {
    const cliff = await this.insights.deadlineCliff(this.clock.now(), num(q.hours, 168));
    const at = (i: number) => new Date(cliff.from.getTime() + i * HOUR).toISOString();
    return {
      from: cliff.from.toISOString(),
      hours: cliff.counts.map((count, i) => ({ start: at(i), end: at(i + 1), count })),
    };
  }

  @Get('capture-times')
  @ApiOperation({ summary: 'How long our captures took, from request to result' })
  @ApiOkResponse({ type: CaptureTimesView })
  @ApiErrors(400)
  async captureTimes(@Query() q: CaptureTimesQuery): Promise<CaptureTimesView> {
    const times = await this.insights.captureTimes(
      new Date(this.clock.now().getTime() - num(q.days, 7) * DAY),
    );
    return { ...times, since: times.since.toISOString() };
  }
}
